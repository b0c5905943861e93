"""One Settings object for the whole platform, read from ``KOUAN_*`` environment variables (or a ``.env`` file)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# The referral loop's open states, each of which may have a deadline. The machine is referrals.lifecycle (which
# settings must not import: every layer reads settings); tests/test_settings.py keeps the two in step.
OPEN_REFERRAL_STATES = ("created", "sent", "acknowledged", "handed_over", "accepted", "transferred", "monitoring")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KOUAN_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default="sqlite:///var/kouan.sqlite3",
        description="SQLAlchemy URL of the operational store: SQLite by default, "
        "postgresql+psycopg://user@host:port/db at national scale.",
    )
    data_dir: Path = Field(
        default=Path("var"),
        description="Folder for the SQLite database, the demo night's PAXLST files and other local state.",
    )
    port_of_entry: str = Field(
        default="PEK",
        description=(
            "Default port: a single-port installation's airport (IATA); with several ports (the units' own), where"
            " a message naming none of them is filed and the port of users at national level."
        ),
    )
    screening_backend: str = Field(
        default="duckdb",
        description="Engine that evaluates the screening rules: 'duckdb' (embedded) or 'spark' (local or cluster).",
    )
    classifier: str = Field(
        default="rate14-v1",
        description="Named, versioned classifier that turns a region's 14-day rate into a risk level.",
    )
    history_days: int = Field(
        default=14, description="How many days of a traveller's history before arrival count as recent stays."
    )
    crossing_history_dir: Path | None = Field(
        default=None,
        description="Folder of the crossing history: every screened crossing and its stays as Parquet by day "
        "(crossings/day=YYYY-MM-DD/, stays/day=YYYY-MM-DD/), read by DuckDB or, at national scale, by Spark from a "
        "shared path (default: history in data_dir).",
    )
    host: str = Field(default="127.0.0.1", description="Address the API and console listen on.")
    port: int = Field(default=8000, description="Port the API and console listen on.")
    trusted_proxies: list[str] = Field(
        default=[],
        description="Addresses of reverse proxies whose X-Forwarded-For is believed (JSON list, e.g. "
        '["10.0.0.5"]); with none, the client address is the connection\'s own, which the public rate limit counts.',
    )
    token_bytes: int = Field(default=32, description="Random bytes in each new API bearer token.")
    max_message_bytes: int = Field(
        default=1_000_000,
        description="Largest carrier message (PAXLST, PNRGOV) accepted over HTTP, in bytes; a larger one is refused "
        "with 413 before it is read.",
    )
    max_message_travellers: int = Field(
        default=3_000,
        description="Most travellers in one PAXLST message (three full A380s); more is refused with 413. Filing "
        "holds SQLite's writer while other uploads wait (benchmarks/README.md: load_bench.py). A ship's lists come "
        "as FAL forms.",
    )
    max_upload_bytes: int = Field(
        default=5_000_000, description="Largest multipart upload (the console's MDH and crew list files), in bytes."
    )
    max_body_bytes: int = Field(
        default=1_000_000,
        description="Largest body of any other request (JSON, forms), in bytes; checked before sign-in.",
    )

    referral_deadlines: dict[str, int] = Field(
        default={
            "created": 30,
            "sent": 60,
            "acknowledged": 180,
            "handed_over": 60,
            "accepted": 720,
            "transferred": 1440,
            "monitoring": 20160,
        },
        description="Minutes a referral may stay in each open state before it is overdue (JSON object).",
    )

    @field_validator("referral_deadlines")
    @classmethod
    def _deadlines_are_for_states(cls, deadlines: dict[str, int]) -> dict[str, int]:
        """A deadline for a state the loop does not have (or one it never leaves) would never apply: a typo is
        refused, not ignored."""
        unknown = [key for key in deadlines if key not in OPEN_REFERRAL_STATES]
        if unknown:
            names = ", ".join(map(repr, unknown))
            states = ", ".join(OPEN_REFERRAL_STATES)
            raise ValueError(f"{names} is not an open state of the referral loop; its open states are {states}")
        return deadlines

    relay_lease_seconds: int = Field(default=30, description="How long a relay holds claimed outbox rows.")
    relay_max_attempts: int = Field(
        default=8, description="Delivery attempts (webhook or Kafka) before an event is dead-lettered."
    )
    relay_backoff_seconds: float = Field(
        default=2.0, description="First retry delay; doubled for each further attempt, with full jitter."
    )
    delivery: Literal["webhook", "kafka"] = Field(
        default="webhook",
        description="How the relay pushes outbox events: 'webhook' (signed HTTP POSTs to each agency's URL) or "
        "'kafka' (one topic per agency kind, the event id as key, an idempotent producer). The pull feed serves both.",
    )
    kafka_bootstrap: str = Field(
        default="127.0.0.1:9092", description="Kafka brokers the relay produces to (host:port, comma-separated)."
    )
    kafka_topic_prefix: str = Field(
        default="kouan.", description="Prefix of the Kafka topics, one per agency kind, e.g. kouan.customs_quarantine."
    )
    retention_days: dict[str, int] = Field(
        default={"travel": 60, "referrals": 180, "requests": 365, "outbox": 30},
        description="Days personal data is kept per purpose before `kouan purge` removes it: travel data after "
        "arrival, referrals after closing, lawful requests after their decision, delivered outbox payloads.",
    )
    sqlite_requests_at_once: int = Field(
        default=4, description="On SQLite, how many HTTP requests that write are worked on at once (the rest queue)."
    )
    sqlite_reads_at_once: int = Field(
        default=16, description="On SQLite, how many GET requests are worked on at once, apart from the writes."
    )
    sqlite_synchronous: Literal["NORMAL", "FULL"] = Field(
        default="NORMAL",
        description="SQLite's synchronous mode under WAL. NORMAL (as Rails and Django ship) syncs at checkpoints: a "
        "crash of kouan loses nothing, a power cut may lose the last commits. FULL syncs every commit (its cost per "
        "write is in benchmarks/README.md). PostgreSQL is the store for a national deployment.",
    )
    request_answer_hours: int = Field(default=72, description="Hours an approved lawful request's answer can be read.")
    audit_key: SecretStr | None = Field(
        default=None,
        min_length=32,
        description="The audit chain's HMAC-SHA256 key as text (32 characters or more), e.g. from a secret store. "
        "When set it wins over audit_key_file. Keep it out of the database and its backups: whoever holds the key and "
        "can write to the store can re-forge the chain. Changing it breaks the chain of every event already written.",
    )
    audit_key_file: Path | None = Field(
        default=None,
        description="File holding the audit chain's HMAC-SHA256 key (default: audit.key in data_dir). When absent, "
        "the first audit event of an empty chain creates it with mode 0600; with events already written kouan refuses "
        "to make a new one. Put it on a mount the database's users and backups do not reach; losing it makes the "
        "chain unverifiable.",
    )
    audit_checkpoint_file: Path | None = Field(
        default=None,
        description="Where `kouan audit checkpoint` writes the signed checkpoint (event count, last event and its "
        "hash, time) and where `kouan audit verify` reads it (default: audit-checkpoint.json in data_dir). Keep it, or "
        "copies of it, where the database's writers cannot reach: a store holding fewer events than the checkpoint, "
        "or another event at its position, is reported broken.",
    )

    def audit_key_path(self) -> Path:
        return self.audit_key_file or self.data_dir / "audit.key"

    def crossing_history_path(self) -> Path:
        return self.crossing_history_dir or self.data_dir / "history"

    def audit_checkpoint_path(self) -> Path:
        return self.audit_checkpoint_file or self.data_dir / "audit-checkpoint.json"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
