from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from core.settings import Settings


def test_defaults_use_a_sqlite_file_under_var() -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.resolved_database_url == "sqlite+aiosqlite:///var/komek.db"
    assert settings.sandbox_port == 8080


def test_reads_komek_variables_and_env_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = tmp_path / ".env"
    env.write_text("KOMEK_SANDBOX_PORT=9090\nKOMEK_DEFAULT_LANGUAGE=ru\n")
    monkeypatch.setenv("KOMEK_FLOOD_MESSAGES", "3")
    settings = Settings(_env_file=env)  # type: ignore[call-arg]
    assert (settings.sandbox_port, settings.default_language, settings.flood_messages) == (
        9090,
        "ru",
        3,
    )


def test_tokens_are_secret_in_repr() -> None:
    settings = Settings(_env_file=None, telegram_token="123:real-token")  # type: ignore[call-arg]
    assert "real-token" not in repr(settings)


@pytest.mark.parametrize("placeholder", ["changethis", "CHANGEME", "secret"])
def test_placeholder_secrets_refused_outside_development(placeholder: str) -> None:
    with pytest.raises(ValidationError, match="placeholder"):
        Settings(_env_file=None, environment="production", telegram_token=placeholder)  # type: ignore[call-arg]
    Settings(_env_file=None, environment="development", telegram_token=placeholder)  # type: ignore[call-arg]


def test_webhook_needs_a_secret() -> None:
    with pytest.raises(ValidationError, match="WEBHOOK_SECRET"):
        Settings(  # type: ignore[call-arg]
            _env_file=None, environment="production", webhook_url="https://bot.example.kz"
        )
