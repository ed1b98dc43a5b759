"""Settings: read once from the environment and ``.env`` into one typed object.

Nothing reads ``os.environ`` elsewhere. A missing or wrong value raises :class:`bot.errors.ConfigError`
at start-up with a message that says which variable to fix. The README's settings table mirrors this.
"""

from __future__ import annotations

import base64
import binascii
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.errors import ConfigError

ProviderName = Literal["anthropic", "openai", "offline"]
FERNET_KEY_COMMAND = "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"


class Settings(BaseSettings):
    """Every setting Recap reads. Environment variable names are the field names in upper case.

    Attributes:
        slack_bot_token: ``xoxb-…`` bot token (single-workspace mode).
        slack_app_token: ``xapp-…`` app-level token; when set, ``recap run`` uses Socket Mode.
        slack_signing_secret: verifies HTTP requests from Slack (HTTP mode).
        slack_api_url: Web API base URL (tests point it at a fake server).
        port: HTTP mode port.
        http_workers: HTTP mode worker processes (``recap run --http`` serves with Granian); each has its
            own interpreter and GIL, so use up to one per core. Several workers need a shared database
            that handles concurrent writers well (PostgreSQL; SQLite works but serializes claims).
        http_threads: threads per HTTP worker answering Slack's requests (acks; the work itself runs on
            ``listener_threads``); None = 2 × CPU cores + 1, Granian's guidance for WSGI (5 beat 16 in
            ``bench/load_bench.py`` on 2 cores: ack p99 71 vs 85 ms).
        database_url: SQLAlchemy URL; SQLite file by default, PostgreSQL in production.
        llm_provider: ``anthropic``, ``openai`` or ``offline``; empty = pick by the keys present.
        anthropic_api_key, openai_api_key, openai_base_url, anthropic_base_url, llm_model: model access.
        llm_timeout: seconds one model call may take before the SDK gives up.
        llm_max_retries: the SDK's own retries.
        llm_context_tokens: prompt budget per model call (map-reduce splits beyond it), tokens.
        llm_stream_answers: stream a mention's model answer into the thread with Slack's native streaming
            (``chat.startStream``; point by point, each checked and guarded first); False posts the
            whole answer at the end.
        llm_stream_deadline: seconds a streamed answer may take; past it the model's HTTP stream is
            closed (the server stops generating) and the labelled offline summary is shown. None: the
            ``llm_timeout``.
        llm_batch_deadline: seconds a scheduled digest waits for the provider's batch API (half price)
            before calling the model directly for what the batch has not answered; 0 = no batch.
        default_window_hours: how far back a channel summary reads by default, hours.
        workspace_tz: IANA time zone for periods ("today", "since monday") and digests.
        listener_threads: worker threads for the slow part of requests (lazy listeners: reading, model
            calls, posting); at most this many requests are worked on at once, the rest queue.
        slack_timeout: seconds one Web API request may take (slack_sdk's socket timeout; a timed-out
            call is not retried, since a post may have gone through).
        slack_client_id, slack_client_secret: OAuth credentials; when both are set Recap runs in
            multi-workspace mode (OAuth install at ``/slack/install``, tokens in the database).
        slack_redirect_uri: OAuth redirect URL (optional; Slack uses the app's configured one).
        http_max_body_bytes: largest request body HTTP mode accepts, bytes; a longer one, or one without
            a ``Content-Length``, is refused with 413 before it is read (:mod:`bot.runtime.http_guard`).
            1 MiB by default: Slack's payloads stay far below it (a message's text is at most 40,000
            characters, its blocks 50).
        recap_encryption_keys: Fernet keys, comma-separated (``RECAP_ENCRYPTION_KEYS``); the first
            encrypts, every one decrypts (add a new key in front to rotate, see ``docs/security.md``).
            Required in OAuth mode: bot and refresh tokens are kept encrypted in the database.
        queue_url: the durable queue's broker (``redis://…`` or ``amqp://…``, see ``docs/queue.md``); the
            web tier then only acks and enqueues, and ``recap worker`` processes do the work. Empty =
            embedded mode: the work runs on ``listener_threads`` in the process that acked it (a crash or
            redeploy after the ack loses that request).
        queue_name: the broker queue (and Redis key namespace) Recap's jobs use.
        queue_lease_seconds: how long a worker's claim on a job lasts without renewal, seconds (renewed
            every third of it while working); a SIGKILLed worker's job is taken over after at most this.
        queue_max_attempts: deliveries of one job (first try, retries and redeliveries after a crash)
            before it gives up and tells the person why.
        rate_limit_url: where Slack's per-workspace, per-method rate limits are counted
            (``redis://…``: shared by every web and worker process; ``memory://``: this process only).
            Empty = ``queue_url`` when it is a Redis URL, else ``memory://`` (``docs/rate-limits.md``).
        slack_app_distribution: ``internal`` (built for your own workspace), ``marketplace`` (approved
            for the Slack Marketplace) or ``distributed`` (commercially distributed outside the
            Marketplace: since 2025-05-29 Slack allows such apps 1 ``conversations.history`` /
            ``conversations.replies`` call a minute and 15 messages a page).
    """

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    slack_bot_token: str | None = None
    slack_app_token: str | None = None
    slack_signing_secret: str | None = None
    slack_api_url: str = "https://slack.com/api/"
    port: int = Field(default=3000, ge=1, le=65535)
    http_workers: int = Field(default=1, ge=1, le=64)
    http_threads: int | None = Field(default=None, ge=1, le=512)
    database_url: str = "sqlite:///recap.sqlite3"

    llm_provider: ProviderName | None = None
    anthropic_api_key: str | None = None
    anthropic_base_url: str | None = None
    openai_api_key: str | None = None
    openai_base_url: str | None = None
    llm_model: str | None = None
    llm_timeout: float = Field(default=60.0, gt=0)
    llm_max_retries: int = Field(default=2, ge=0, le=10)
    llm_context_tokens: int | None = Field(default=None, gt=500)
    llm_batch_deadline: float = Field(default=0.0, ge=0)
    llm_stream_answers: bool = True
    llm_stream_deadline: float | None = Field(default=None, gt=0)

    default_window_hours: int = Field(default=24, ge=1, le=24 * 90)
    workspace_tz: str = "UTC"
    listener_threads: int = Field(default=256, ge=1, le=2000)
    slack_timeout: float = Field(default=30.0, gt=0, le=300)
    slack_client_id: str | None = None
    slack_client_secret: str | None = None
    slack_redirect_uri: str | None = None
    log_level: str = "INFO"
    http_max_body_bytes: int = Field(default=1_048_576, ge=4096, le=64 * 1_048_576)
    recap_encryption_keys: SecretStr | None = None
    queue_url: str | None = None
    queue_name: str = Field(default="recap", pattern=r"^[A-Za-z0-9_.-]{1,64}$")
    queue_lease_seconds: float = Field(default=30.0, ge=1, le=3600)
    queue_max_attempts: int = Field(default=3, ge=1, le=20)
    rate_limit_url: str | None = None
    slack_app_distribution: Literal["internal", "marketplace", "distributed"] = "internal"

    @field_validator("llm_provider", mode="before")
    @classmethod
    def _empty_provider(cls, value: object) -> object:
        return None if value in ("", None) else str(value).lower()

    @field_validator("queue_url", mode="before")
    @classmethod
    def _queue_url(cls, value: object) -> object:
        """``QUEUE_URL=`` (empty) is embedded mode; otherwise a Redis or RabbitMQ URL."""
        if value is None or not str(value).strip():
            return None
        text = str(value).strip()
        if not text.startswith(("redis://", "rediss://", "unix://", "amqp://", "amqps://")):
            raise ValueError("use redis://HOST:6379/0 or amqp://USER:PASSWORD@HOST:5672/ (or leave it empty)")
        return text

    @field_validator("rate_limit_url", mode="before")
    @classmethod
    def _rate_limit_url(cls, value: object) -> object:
        """``RATE_LIMIT_URL=`` (empty) means the default; otherwise a Redis URL or ``memory://``."""
        if value is None or not str(value).strip():
            return None
        text = str(value).strip()
        if not text.startswith(("redis://", "rediss://", "memory://")):
            raise ValueError("use redis://HOST:6379/0 or memory:// (or leave it empty)")
        return text

    @field_validator("slack_app_distribution", mode="before")
    @classmethod
    def _distribution(cls, value: object) -> object:
        return "internal" if value is None or not str(value).strip() else str(value).strip().lower()

    @field_validator("llm_context_tokens", "llm_stream_deadline", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        """``LLM_CONTEXT_TOKENS=`` (empty, as in ``.env.example``) means the provider's default."""
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _log_level(cls, value: object) -> str:
        """``debug``, ``Info`` … as Python's ``logging`` names them (``DEBUG``); an unknown name is refused."""
        import logging

        name = str(value or "INFO").strip().upper()
        if not isinstance(logging.getLevelName(name), int):
            raise ValueError(f"unknown log level {value!r}: use DEBUG, INFO, WARNING or ERROR")
        return name

    @field_validator("recap_encryption_keys")
    @classmethod
    def _fernet_keys(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        for number, key in enumerate(value.get_secret_value().split(","), start=1):
            try:
                valid = len(base64.urlsafe_b64decode(key.strip().encode("ascii"))) == 32
            except (binascii.Error, ValueError):
                valid = False
            if not valid:  # the key itself is never echoed
                raise ValueError(f"key {number} is not a Fernet key (32 url-safe base64-encoded bytes); "
                                 f"make one with: {FERNET_KEY_COMMAND}")
        return value

    @field_validator("workspace_tz")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r} (use an IANA name like Europe/Berlin)") from exc
        return value


def load_settings(env_file: str | Path | None = ".env", **overrides: object) -> Settings:
    """Load settings from ``env_file`` (if it exists), the environment, then ``overrides``.

    Raises:
        ConfigError: a value is malformed; the message names the variable.
    """
    try:
        return Settings(_env_file=env_file, **overrides)  # type: ignore[call-arg, arg-type]  # pydantic validates
    except ValidationError as exc:
        problems = "; ".join(
            f"{'_'.join(str(p) for p in err['loc']).upper()}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"invalid settings: {problems}") from exc


def require_slack(settings: Settings) -> None:
    """Check the settings ``recap run`` needs.

    Raises:
        ConfigError: no bot token (single-workspace mode), only half of the OAuth credentials, OAuth
            without a signing secret or without ``RECAP_ENCRYPTION_KEYS``, or neither an app token (Socket
            Mode) nor a signing secret (HTTP).
    """
    if bool(settings.slack_client_id) != bool(settings.slack_client_secret):
        raise ConfigError("set both SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (multi-workspace OAuth mode), or neither")
    if settings.slack_client_id:
        if not settings.slack_signing_secret:
            raise ConfigError("multi-workspace OAuth mode runs over HTTP: set SLACK_SIGNING_SECRET")
        if settings.recap_encryption_keys is None:
            raise ConfigError("multi-workspace OAuth mode keeps bot and refresh tokens encrypted in the database: "
                              f"set RECAP_ENCRYPTION_KEYS to a Fernet key (make one with: {FERNET_KEY_COMMAND})")
        return
    if not settings.slack_bot_token:
        raise ConfigError("SLACK_BOT_TOKEN is not set (the xoxb-… token from your app's OAuth page)")
    if not settings.slack_app_token and not settings.slack_signing_secret:
        raise ConfigError(
            "set SLACK_APP_TOKEN (xapp-…, Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode) to run the app"
        )
