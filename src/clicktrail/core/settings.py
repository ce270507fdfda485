"""Server settings, read once from the environment (prefix ``CLICKTRAIL_``) and passed down."""

from __future__ import annotations

from typing import Literal

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
        "CLICKTRAIL_OUTBOX_POLL_SECONDS",
        "1",
        "how often a server process delivers due callbacks; 0 turns it off",
    ),
    ("CLICKTRAIL_MAX_BODY_BYTES", "65536", "largest request body (413 beyond), admin config aside"),
    ("CLICKTRAIL_MAX_CONFIG_BYTES", "1048576", "largest body of PUT /admin/v1/config"),
    ("CLICKTRAIL_BODY_TIMEOUT_SECONDS", "10", "time to send a whole request body (408 beyond); 0: none"),
    ("CLICKTRAIL_HEADER_TIMEOUT_SECONDS", "10", "time to send a request's headers before `serve` hangs up"),
    ("CLICKTRAIL_KEEP_ALIVE_SECONDS", "5", "how long `serve` keeps an idle connection open"),
    (
        "CLICKTRAIL_RATE_PER_CREDENTIAL",
        "1000",
        "requests per second per presented credential, per process (429 beyond); 0: no limit",
    ),
    ("CLICKTRAIL_BURST_PER_CREDENTIAL", "2000", "requests a credential may send at once above its rate"),
    (
        "CLICKTRAIL_RATE_PER_IP",
        "50",
        "requests per second per client IP without a credential, per process; 0: no limit",
    ),
    ("CLICKTRAIL_BURST_PER_IP", "100", "requests an IP may send at once above its rate"),
    (
        "CLICKTRAIL_AUTH_FAILURES_PER_MINUTE",
        "20",
        "failed authentications an IP may make per minute before it gets 429s; 0: no limit",
    ),
    ("CLICKTRAIL_OUTBOX_MAX_ATTEMPTS", "15", "attempts per outbox message before it is a dead letter"),
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
    config_cache_seconds: float = Field(default=1.0, ge=0)
    sqlite_synchronous: Literal["FULL", "NORMAL"] = "FULL"
    max_body_bytes: int = Field(default=65_536, ge=1024)
    max_config_bytes: int = Field(default=1_048_576, ge=1024)
    body_timeout_seconds: float = Field(default=10.0, ge=0)
    header_timeout_seconds: float = Field(default=10.0, gt=0)
    keep_alive_seconds: int = Field(default=5, ge=1)
    rate_per_credential: float = Field(default=1000.0, ge=0)
    burst_per_credential: int = Field(default=2000, ge=1)
    rate_per_ip: float = Field(default=50.0, ge=0)
    burst_per_ip: int = Field(default=100, ge=1)
    auth_failures_per_minute: int = Field(default=20, ge=0)
