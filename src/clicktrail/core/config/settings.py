"""Server settings, read once from the environment (prefix ``CLICKTRAIL_``) and passed down.

Each field's description is its one-line help: ``clicktrail serve --help`` lists them (``environment()``),
and a test keeps the README's table in step with the fields."""

from __future__ import annotations

from ipaddress import IPv4Network, IPv6Network, ip_network
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PREFIX = "CLICKTRAIL_"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=PREFIX, extra="ignore", frozen=True)

    database_url: str = Field(
        default="sqlite:///./clicktrail.db", description="SQLite file or PostgreSQL URL"
    )
    admin_token: str | None = Field(
        default=None, description="bearer token for /admin/v1; unset: the admin API is off"
    )
    geoip_db: str | None = Field(
        default=None, description="MaxMind-format .mmdb for city, latitude and longitude"
    )
    auth_cache_seconds: float = Field(
        default=5.0, ge=0, description="how long a process trusts a credential lookup"
    )
    token_ttl_seconds: int = Field(default=3600, ge=60, description="lifetime of issued bearer tokens")
    db_pool_size: int = Field(default=10, ge=1, description="PostgreSQL connections per server process")
    outbox_poll_seconds: float = Field(
        default=1.0,
        ge=0,
        description="how often a server process delivers due webhooks, callbacks and postbacks; 0: off",
    )
    stream_heartbeat_seconds: float = Field(
        default=15.0, gt=0, le=300, description="how often an idle event stream sends a comment line"
    )
    outbox_max_attempts: int = Field(
        default=15, ge=1, le=100, description="delivery attempts before a message is a dead letter"
    )
    outbound_allow: str | None = Field(
        default=None,
        description="comma-separated CIDR ranges that deliveries may reach though internal (a receiver on"
        " loopback or a private network); unset: none",
    )
    config_cache_seconds: float = Field(
        default=1.0,
        ge=0,
        description="how long a process trusts cached config it was not told changed (changes applied"
        " anywhere are seen within a second)",
    )
    sqlite_synchronous: Literal["FULL", "NORMAL"] = Field(
        default="FULL", description="SQLite durability: FULL survives power loss, NORMAL a crash"
    )
    retention_interval_seconds: float = Field(
        default=3600.0,
        ge=0,
        description=(
            "how often a server process purges personal data past each app's retention and looks after"
            " partitions (PostgreSQL) or planner statistics (SQLite); 0: off"
        ),
    )
    row_retention_days: int | None = Field(
        default=None,
        ge=1,
        description="delete journey events and partner clicks older than this many days, of every app "
        "(PostgreSQL: whole month partitions dropped); unset: kept",
    )
    # The Host header is the caller's to choose, so links never take it (see core.http.public_url).
    public_url: Annotated[str, Field(pattern=r"^https?://[^/?#\s]+(/[^?#\s]*)?$")] | None = Field(
        default=None,
        description="the public base URL of every absolute link the server builds; unset: relative links",
    )
    log_format: Literal["text", "json"] = Field(
        default="text", description="text, or json: one JSON object per line"
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", description="DEBUG, INFO, WARNING or ERROR"
    )
    access_log: bool = Field(default=True, description="one log line per request; false turns it off")
    max_body_bytes: int = Field(
        default=65_536, ge=1024, description="largest request body (413 beyond), admin config aside"
    )
    max_config_bytes: int = Field(
        default=1_048_576,
        ge=1024,
        description="largest body of PUT /admin/v1/config (and file of clicktrail apply)",
    )
    max_config_nodes: int = Field(
        default=500_000,
        ge=1000,
        description="most values a config document may hold, YAML aliases expanded (PUT /admin/v1/config,"
        " clicktrail apply)",
    )
    body_timeout_seconds: float = Field(
        default=10.0, ge=0, description="time to send a whole request body (408 beyond); 0: none"
    )
    header_timeout_seconds: float = Field(
        default=10.0, gt=0, description="time to send a request's headers before serve hangs up"
    )
    max_header_bytes: int = Field(
        default=16_384, ge=1024, description="largest request line and header block serve reads (431 beyond)"
    )
    keep_alive_seconds: int = Field(
        default=5, ge=1, description="how long serve keeps an idle connection open"
    )
    rate_per_credential: float = Field(
        default=1000.0,
        ge=0,
        description="requests per second per presented credential (429 beyond); 0: no limit",
    )
    burst_per_credential: int = Field(
        default=2000, ge=1, description="requests a credential may send at once above its rate"
    )
    rate_per_ip: float = Field(
        default=50.0,
        ge=0,
        description="requests per second per client IP without a credential; 0: no limit",
    )
    burst_per_ip: int = Field(default=100, ge=1, description="requests an IP may send at once above its rate")
    auth_failures_per_minute: int = Field(
        default=20,
        ge=0,
        description="failed authentications an IP may make per minute before it gets 429s; 0: no limit",
    )
    redis_url: str | None = Field(
        default=None,
        description="Redis (redis://host:6379/0) where every process counts rate limits and failed"
        " authentications; unset: each process counts its own",
    )
    redis_key_prefix: str = Field(
        default="clicktrail", min_length=1, description="prefix of the keys the limits keep in Redis"
    )
    metrics: Literal["off", "loopback", "token"] = Field(
        default="loopback",
        description="/metrics: off, loopback (loopback clients only) or token (the admin bearer token)",
    )

    @field_validator("outbound_allow")
    @classmethod
    def _cidr_list(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return ",".join(str(net) for net in networks_of(value))
        except ValueError as exc:
            raise ValueError(f"not a comma-separated list of CIDR ranges: {exc}") from None

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("log_format", "metrics", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value

    def outbound_networks(self) -> tuple[IPv4Network | IPv6Network, ...]:
        return networks_of(self.outbound_allow)


def networks_of(text: str | None) -> tuple[IPv4Network | IPv6Network, ...]:
    """``"10.0.0.0/8, 127.0.0.1"`` → its networks (a bare address is its own /32 or /128)."""
    return tuple(ip_network(part.strip(), strict=False) for part in (text or "").split(",") if part.strip())


def environment() -> list[tuple[str, str, str]]:
    """(variable, default, help) for every setting, in declaration order."""
    rows = []
    for name, field in Settings.model_fields.items():
        default = "unset" if field.default is None else str(field.default)
        default = default.lower() if isinstance(field.default, bool) else default
        rows.append((PREFIX + name.upper(), default, field.description or ""))
    return rows


ENVIRONMENT = tuple(environment())
