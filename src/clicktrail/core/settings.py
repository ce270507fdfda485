"""Server settings, read once from the environment (prefix ``CLICKTRAIL_``) and passed down."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

# (name, default, help): the table the README documents and tests keep honest.
ENVIRONMENT = (
    ("CLICKTRAIL_DATABASE_URL", "sqlite:///./clicktrail.db", "SQLite file or PostgreSQL URL"),
    ("CLICKTRAIL_ADMIN_TOKEN", "(unset: admin API disabled)", "bearer token for /admin/v1"),
    ("CLICKTRAIL_GEOIP_DB", "(unset)", "MaxMind-format .mmdb for city, latitude and longitude"),
    ("CLICKTRAIL_AUTH_CACHE_SECONDS", "5", "how long a process trusts a credential lookup"),
    ("CLICKTRAIL_TOKEN_TTL_SECONDS", "3600", "lifetime of issued bearer tokens"),
    ("CLICKTRAIL_DB_POOL_SIZE", "10", "PostgreSQL connections per server process"),
    (
        "CLICKTRAIL_CONFIG_CACHE_SECONDS",
        "1",
        "how soon a config change applied by another process takes effect here",
    ),
    (
        "CLICKTRAIL_SQLITE_SYNCHRONOUS",
        "FULL",
        "SQLite durability: FULL survives power loss (one fsync per batch), NORMAL survives a crash",
    ),
    (
        "CLICKTRAIL_PUBLIC_URL",
        "(unset)",
        "the public base URL of every absolute link the server builds; unset: relative links",
    ),
    (
        "CLICKTRAIL_OUTBOX_POLL_SECONDS",
        "1",
        "how often a server process delivers due webhooks, callbacks and postbacks; 0 turns it off",
    ),
    (
        "CLICKTRAIL_OUTBOX_MAX_ATTEMPTS",
        "15",
        "attempts per outbox message before it becomes a dead letter (replayed with the admin API)",
    ),
    (
        "CLICKTRAIL_RETENTION_INTERVAL_SECONDS",
        "3600",
        "how often a server process purges personal data past each app's retention; 0 turns it off",
    ),
    ("CLICKTRAIL_OUTBOX_MAX_ATTEMPTS", "15", "attempts per message before it becomes a dead letter"),
)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLICKTRAIL_", extra="ignore", frozen=True)

    database_url: str = "sqlite:///./clicktrail.db"
    admin_token: str | None = None
    geoip_db: str | None = None
    auth_cache_seconds: float = Field(default=5.0, ge=0)
    token_ttl_seconds: int = Field(default=3600, ge=60)
    db_pool_size: int = Field(default=10, ge=1)
    outbox_poll_seconds: float = Field(default=1.0, ge=0)
    outbox_max_attempts: int = Field(default=15, ge=1, le=100)
    retention_interval_seconds: float = Field(default=3600.0, ge=0)
    config_cache_seconds: float = Field(default=1.0, ge=0)
    sqlite_synchronous: Literal["FULL", "NORMAL"] = "FULL"
    # The Host header is the caller's to choose, so links never take it (see core.http.public_url).
    public_url: Annotated[str, Field(pattern=r"^https?://[^/?#\s]+(/[^?#\s]*)?$")] | None = None
