"""One settings object for the whole system, read from `KOMEK_*` variables and `.env`."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Self

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.profile import Language

PLACEHOLDER_SECRETS = frozenset(
    {"changethis", "change-me", "changeme", "secret", "password", "xxx"}
)


class Environment(StrEnum):
    """Where the system runs; production refuses unsafe settings."""

    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class SmsBackend(StrEnum):
    """How SMS are sent: the sandbox, an SMPP centre, an HTTP gateway, or not at all."""

    SANDBOX = "sandbox"
    SMPP = "smpp"
    HTTP = "http"
    NONE = "none"


class Settings(BaseSettings):
    """Every setting of Kömek; the README's configuration table lists them all."""

    model_config = SettingsConfigDict(
        env_prefix="KOMEK_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        env_ignore_empty=True,  # KOMEK_X= (empty, as compose passes an unset one) is the default
        hide_input_in_errors=True,  # a mistyped secret (KOMEK_DATA_KEY) must not reach the logs
    )

    environment: Environment = Field(
        Environment.DEVELOPMENT, description="development, test or production."
    )
    data_dir: Path = Field(Path("var"), description="Where the SQLite file and caches live.")
    database_url: str | None = Field(
        None,
        description="SQLAlchemy URL; empty means a SQLite file `komek.db` in the data directory.",
    )
    telegram_token: SecretStr | None = Field(
        None, description="Bot token from @BotFather; empty means the local sandbox is used."
    )
    telegram_api_url: str | None = Field(
        None, description="Bot API server base URL; empty means Telegram's own."
    )
    webhook_url: str | None = Field(
        None,
        description="Public HTTPS base URL for webhooks (path /telegram/webhook); empty: polling.",
    )
    webhook_secret: SecretStr | None = Field(
        None, description="Secret Telegram sends in X-Telegram-Bot-Api-Secret-Token."
    )
    webhook_host: str = Field("127.0.0.1", description="Address the webhook server listens on.")
    webhook_port: int = Field(8443, description="Port the webhook server listens on.")
    sandbox_host: str = Field("127.0.0.1", description="Address of the local sandbox page.")
    sandbox_port: int = Field(8080, description="Port of the local sandbox page.")
    default_language: str = Field(
        "kk", description="Language before a person chooses one (kk, ru or en)."
    )
    staff_language: Language | None = Field(
        None,
        description="Language of the command line's messages to staff (kk, ru or en); empty: "
        "`--lang`, else the locale (LC_ALL, LC_MESSAGES, LANG), else English.",
    )
    flood_messages: int = Field(
        8, description="Messages a person may send within the flood window."
    )
    flood_window_seconds: float = Field(10.0, description="Length of the flood window.")
    nlu_embedder: bool = Field(
        True,
        description="Blend the bundled multilingual sentence embedder with TF-IDF (about 90 MiB"
        " more memory, better on unseen phrasing); false: TF-IDF alone.",
    )
    rasa_url: str | None = Field(
        None, description="A Rasa server's base URL; its /model/parse gives intents when set."
    )
    rasa_token: SecretStr | None = Field(None, description="Token for the Rasa server, if any.")
    rasa_timeout_seconds: float = Field(
        2.0, description="How long to wait for Rasa before the local model decides."
    )
    speech_engines: str = Field(
        "en=whisper,kk=vosk,ru=whisper",
        description="Speech recognition engine per language: whisper (ru, en), vosk (a model "
        "from `komek models download`) or pocketsphinx (en). English falls back to "
        "pocketsphinx when Whisper is not installed.",
    )
    speech_time_limit_seconds: float = Field(
        20.0, description="Longest time one voice message may take to recognise."
    )
    vosk_models_dir: Path | None = Field(
        None, description="Vosk models, one folder per language; empty means data_dir/vosk."
    )
    tts_engine: str = Field(
        "auto",
        description="Speech synthesis: auto (Festival for Russian, Piper for English and for "
        "voices `komek models download` installed, eSpeak NG otherwise), espeak, festival, "
        "gtts (online) or piper (with KOMEK_PIPER_MODEL).",
    )
    piper_model: Path | None = Field(None, description="A Piper voice model (.onnx) for piper.")
    outbox_seconds: float = Field(
        15.0, description="How often reminders and other messages to people are sent out."
    )
    redis_url: str | None = Field(
        None,
        description="Redis for alert work across processes and shared send limits; "
        "empty: in-process workers (the embedded default).",
    )
    telegram_alert_rate: float = Field(
        30.0, description="Alert messages a second to Telegram, all workers together."
    )
    telegram_paid_broadcast: bool = Field(
        False,
        description="Use Telegram's paid broadcasts (allow_paid_broadcast) for Actual alerts.",
    )
    telegram_paid_rate: float = Field(
        1000.0, description="Alert messages a second with paid broadcasts."
    )
    alert_batch_size: int = Field(
        500, description="Recipients per batch of work handed to a worker."
    )
    alert_escalation_minutes: str = Field(
        "10,20,30,45",
        description="Extreme and Severe alerts, minutes after sending without an answer: "
        "send again, then by SMS, then tell the contact person, then list as no answer.",
    )
    alert_task_idle_seconds: float = Field(
        60.0,
        description="A batch taken by a worker that has not finished it after this long is "
        "given to another worker (Redis only).",
    )
    worker_grace_seconds: float = Field(
        10.0,
        ge=0,
        description="After SIGTERM, how long a worker keeps sending the batches in hand before "
        "it gives back every message not yet sent, for another worker to send at once.",
    )
    sms_backend: SmsBackend = Field(
        SmsBackend.SANDBOX,
        description="Where SMS go: sandbox (the local sandbox's pretend phones, when it runs), "
        "smpp (an operator's SMS centre), http (a Kannel-style gateway) or none.",
    )
    smpp_host: str | None = Field(None, description="Address of the operator's SMSC (SMPP 3.4).")
    smpp_port: int = Field(2775, description="Port of the SMSC.")
    smpp_system_id: str = Field("", description="SMPP system_id (at most 15 characters).")
    smpp_password: SecretStr | None = Field(
        None, description="SMPP password (at most 8 characters)."
    )
    smpp_system_type: str = Field("", description="SMPP system_type, if the operator wants one.")
    smpp_source_addr: str = Field(
        "Komek",
        description="Sender of Kömek's SMS: a name (at most 11 letters), a short code or "
        "+number; the HTTP gateway's `from` too.",
    )
    smpp_connect_timeout: float = Field(
        30.0,
        gt=0,
        description="Seconds `komek alerts send` waits for the SMSC to accept the bind before it "
        "says the SMSC is down or refused it; the SMS stay queued for the next bind.",
    )
    alert_send_linger_seconds: float = Field(
        120.0,
        ge=0,
        description="After `komek alerts send` has sent everything, how long it keeps its SMSC "
        "bind for delivery receipts and replies still on their way.",
    )
    smpp_window: int = Field(10, description="submit_sm that may wait for the SMSC's answer.")
    smpp_reference_bits: int = Field(
        8,
        description="Size of the concatenation reference of a long SMS, 8 or 16 bits. 16 makes "
        "two messages to one phone sharing a reference far rarer and takes one character from "
        "each part (66 instead of 67 in Kazakh and Russian); previews count parts the same way.",
    )
    smpp_throughput: float = Field(
        50.0, description="SMS parts a second the operator allows on the bind."
    )
    sms_http_url: str | None = Field(
        None, description="The gateway's sendsms URL, e.g. http://kannel:13013/cgi-bin/sendsms."
    )
    sms_http_username: str = Field("", description="Username for the gateway's sendsms.")
    sms_http_password: SecretStr | None = Field(
        None, description="Password for sendsms; also signs the delivery-report URLs."
    )
    sms_http_dlr_url: str | None = Field(
        None,
        description="Kömek's URL the gateway calls with delivery reports; empty: none asked for.",
    )
    console_host: str = Field("127.0.0.1", description="Address the staff console listens on.")
    console_port: int = Field(8090, description="Port of the staff console.")
    console_two_person_rule: bool = Field(
        True, description="An Actual alert needs approval by a second person (approver role)."
    )
    cap_trusted_senders: str = Field(
        "",
        description="CAP API senders (comma-separated names) whose Actual alerts go out "
        "without a second person's approval.",
    )
    login_max_failures: int = Field(
        5,
        description="Wrong passwords for one user name from one address before each further "
        "attempt from there waits (1 s, doubling).",
    )
    login_account_failures: int = Field(
        20,
        description="Wrong passwords in a row for one account, from any address, before the "
        "account itself waits (30 s, doubling).",
    )
    login_lockout_minutes: float = Field(15.0, description="The longest of those waits.")
    trusted_proxies: str = Field(
        "",
        description="Reverse proxies (comma-separated addresses or networks) whose "
        "X-Forwarded-For names the client; empty: the connection's peer is the client.",
    )
    data_key: SecretStr | None = Field(
        None,
        description="Key that encrypts personal data in the database (`komek privacy new-key`); "
        "empty: stored in plain text.",
    )
    retention_delivery_days: int = Field(
        90, ge=1, description="Days after an alert when its delivery records are anonymised."
    )
    retention_inactive_registrant_days: int = Field(
        30, ge=1, description="Days a registrant who left the list is kept before deletion."
    )
    retention_handover_days: int = Field(
        90, ge=1, description="Days after a help request is resolved when it is anonymised."
    )
    retention_notification_days: int = Field(
        30, ge=1, description="Days a message sent to a person is kept in the outbox."
    )
    retention_review_days: int = Field(
        90, ge=1, description="Days an unclear message kept for staff to teach the bot is kept."
    )
    retention_booking_days: int = Field(
        90,
        ge=1,
        description="Days after a booking is over (its time passed, or it was declined, "
        "cancelled or completed) when its address, place and purpose are emptied; bookings to "
        "come and waiting requests are kept.",
    )
    log_level: str = Field("INFO", description="Log level: DEBUG, INFO, WARNING, ERROR.")
    ops_host: str = Field(
        "127.0.0.1",
        description="Address of the health and metrics server of komek bot, worker, scheduler.",
    )
    ops_port: int = Field(
        9100, description="Its port (/healthz, /readyz, /metrics); 0: no such server."
    )
    metrics_token: SecretStr | None = Field(
        None,
        description="Bearer token for /metrics; empty: the console's /metrics is open in "
        "development and refused in production.",
    )

    @model_validator(mode="after")
    def _check_reference_bits(self) -> Self:
        if self.smpp_reference_bits not in (8, 16):
            raise ValueError("KOMEK_SMPP_REFERENCE_BITS is 8 or 16")
        return self

    @model_validator(mode="after")
    def _check_data_key(self) -> Self:
        from core.encryption import check_key  # SQLAlchemy's types: loaded only when needed

        if self.data_key is not None and not self.data_key.get_secret_value().strip():
            self.data_key = None  # KOMEK_DATA_KEY= (empty) means no key
        if self.data_key is not None:
            check_key(self.data_key.get_secret_value().strip())
        return self

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> Self:
        if self.environment is Environment.DEVELOPMENT:
            return self
        for name in ("telegram_token", "webhook_secret", "metrics_token"):
            value: SecretStr | None = getattr(self, name)
            if value is not None and value.get_secret_value().lower() in PLACEHOLDER_SECRETS:
                raise ValueError(
                    f"KOMEK_{name.upper()} is a placeholder; set a real secret outside development"
                )
        if self.webhook_url and self.webhook_secret is None:
            raise ValueError("KOMEK_WEBHOOK_SECRET is required with KOMEK_WEBHOOK_URL")
        return self

    def escalation_steps(self) -> tuple[float, ...]:
        """Minutes after sending for each escalation step, in order."""
        return tuple(float(part) for part in self.alert_escalation_minutes.split(",") if part)

    @model_validator(mode="after")
    def _check_sms(self) -> Self:
        backend = self.sms_backend
        if backend is SmsBackend.SMPP and not (self.smpp_host and self.smpp_system_id):
            raise ValueError("KOMEK_SMPP_HOST and KOMEK_SMPP_SYSTEM_ID are required for smpp")
        if backend is SmsBackend.HTTP and not self.sms_http_url:
            raise ValueError("KOMEK_SMS_HTTP_URL is required with KOMEK_SMS_BACKEND=http")
        if self.environment is Environment.DEVELOPMENT:
            return self
        for name in ("smpp_password", "sms_http_password"):
            value: SecretStr | None = getattr(self, name)
            if value is not None and value.get_secret_value().lower() in PLACEHOLDER_SECRETS:
                raise ValueError(
                    f"KOMEK_{name.upper()} is a placeholder; set a real secret outside development"
                )
        if self.environment is Environment.PRODUCTION and backend is SmsBackend.SANDBOX:
            raise ValueError("KOMEK_SMS_BACKEND=sandbox is for development; set smpp, http or none")
        return self

    def trusted_senders(self) -> frozenset[str]:
        return frozenset(name.strip() for name in self.cap_trusted_senders.split(",") if name)

    @property
    def resolved_vosk_models_dir(self) -> Path:
        return self.vosk_models_dir or self.data_dir / "vosk"

    def speech_engine_for(self) -> dict[str, str]:
        """`en=pocketsphinx,kk=vosk` as a mapping from language code to engine name."""
        pairs = (item.split("=", 1) for item in self.speech_engines.split(",") if "=" in item)
        return {code.strip(): engine.strip() for code, engine in pairs}

    @property
    def resolved_database_url(self) -> str:
        """The database URL, defaulting to a SQLite file in the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'komek.db').as_posix()}"
