"""The production files: docker-compose.yml, .env.example and the Dockerfile.

No Docker engine runs here; `docker-compose config` (Debian's docker-compose package) checks
the compose file against Compose's schema without one. The rest reads the files as a
reviewer would: every process with a health check, workers with replicas, nothing secret
written down, an image that runs unprivileged and verifies the speech models it downloads.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from core.settings import PLACEHOLDER_SECRETS, Settings
from tests.conftest import need
from voice.models.catalog import MODELS
from voice.models.checksums import read_checksums

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
DOCKERFILE = ROOT / "Dockerfile"
SERVICES = ("postgres", "redis", "bot", "console", "worker", "scheduler")
KOMEK_PROCESSES = ("bot", "console", "worker", "scheduler")
SECRET_WORDS = ("PASSWORD", "TOKEN", "SECRET", "KEY")
NOT_IN_THE_IMAGE = {"sandbox_host", "sandbox_port", "piper_model"}
"""Settings with no use in the production image (the sandbox is for development; Piper is an
optional extra the image does not install)."""
_VARIABLE = re.compile(r"\$\{(?P<name>\w+)(?:(?P<op>:-|:\?)(?P<arg>[^}]*))?\}")


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    return loaded


def env_example() -> dict[str, str]:
    values = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def interpolate(value: str, variables: dict[str, str]) -> str:
    """Compose's ${NAME}, ${NAME:-default} and ${NAME:?error}, as `docker compose` does it."""

    def one(match: re.Match[str]) -> str:
        name, op, arg = match["name"], match["op"], match["arg"]
        given = variables.get(name, "")
        if op == ":?" and not given:
            raise AssertionError(f"{name} must be set: {arg}")
        return given or (arg if op == ":-" else "")

    return _VARIABLE.sub(one, value)


def test_compose_config_is_valid() -> None:
    binary = shutil.which("docker-compose")
    need(binary is not None, "docker-compose from Debian packages is not installed")
    assert binary is not None
    done = subprocess.run(
        [binary, "-f", str(COMPOSE), "--env-file", str(ENV_EXAMPLE), "config", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_every_service_is_there_with_a_health_check() -> None:
    services = compose()["services"]
    for name in SERVICES:
        assert name in services, name
        check = services[name].get("healthcheck")
        assert check and check.get("test"), f"{name} has no health check"
    for name in KOMEK_PROCESSES:
        assert services[name]["command"][:2] == ["komek", name], name
        (url,) = [part for part in services[name]["healthcheck"]["test"] if "://" in part]
        assert url.endswith("/readyz"), f"{name} is healthy only when ready"


def test_workers_have_replicas_and_leave_the_ticks_to_the_scheduler() -> None:
    services = compose()["services"]
    replicas = interpolate(str(services["worker"]["deploy"]["replicas"]), env_example())
    assert int(replicas) >= 2
    assert "--no-ticks" in services["worker"]["command"]
    assert "deploy" not in services["scheduler"], "one scheduler per deployment"
    assert "deploy" not in services["bot"], "Telegram gives updates to one bot process"


def test_every_setting_can_be_given_and_none_is_forwarded_by_mistake() -> None:
    environment = compose()["x-komek-environment"]
    expected = {f"KOMEK_{name.upper()}" for name in Settings.model_fields} - {
        f"KOMEK_{name.upper()}" for name in NOT_IN_THE_IMAGE
    }
    missing = sorted(expected - set(environment))
    assert not missing, f"add these to x-komek-environment in docker-compose.yml: {missing}"
    assert sorted(set(environment) - expected) == []
    for name in env_example():
        if name.startswith("KOMEK_"):
            assert name in environment, f"{name} in .env.example never reaches the processes"


def test_no_secret_is_written_down() -> None:
    for service in compose()["services"].values():
        for name, value in dict(service.get("environment") or {}).items():
            if any(word in name for word in SECRET_WORDS):
                assert str(value).startswith("${"), f"{name} must come from .env"
    url = compose()["x-komek-environment"]["KOMEK_DATABASE_URL"]
    assert "${POSTGRES_PASSWORD" in url
    for name, value in env_example().items():
        if any(word in name for word in SECRET_WORDS):
            assert value == "" or value.lower() in PLACEHOLDER_SECRETS, name
    for line in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        if line.strip().startswith(("ENV", "ARG")):
            assert not any(word in line for word in SECRET_WORDS), line


def test_the_example_configuration_refuses_to_start_until_its_placeholders_are_replaced(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    variables = env_example()
    environment = {
        name: interpolate(str(value), variables)
        for name, value in compose()["x-komek-environment"].items()
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError, match="placeholder"):
        Settings(_env_file=None)  # type: ignore[call-arg]

    real = {"POSTGRES_PASSWORD": "pg7Hq2xk", "KOMEK_TELEGRAM_TOKEN": "123456:AAHreal"} | {
        "KOMEK_METRICS_TOKEN": "Zq8pW2rT0m"
    }
    for name, value in compose()["x-komek-environment"].items():
        monkeypatch.setenv(name, interpolate(str(value), variables | real))
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.environment == "production"
    assert settings.resolved_database_url.startswith("postgresql+asyncpg://komek:")
    assert settings.redis_url == "redis://redis:6379/0"
    assert settings.smpp_port == 2775, "an empty value is the default"
    assert settings.flood_messages == Settings.model_fields["flood_messages"].default


def _final_stage(dockerfile: str) -> list[str]:
    """The instructions of the last stage (continuation lines joined)."""
    joined = re.sub(r"\\\n\s*", " ", dockerfile)
    lines = [line.strip() for line in joined.splitlines() if line.strip()]
    lines = [line for line in lines if not line.startswith("#")]
    starts = [number for number, line in enumerate(lines) if line.upper().startswith("FROM ")]
    return lines[starts[-1] :]


def test_the_image_runs_as_an_unprivileged_user() -> None:
    stage = _final_stage(DOCKERFILE.read_text(encoding="utf-8"))
    users = [line.split()[1] for line in stage if line.upper().startswith("USER ")]
    assert users, "the final stage sets no USER"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}
    assert any("useradd" in line and user in line for line in stage)


def test_the_image_downloads_the_speech_models_with_checksums() -> None:
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text(encoding="utf-8"))
    runs = [line for line in text.splitlines() if line.startswith("RUN ")]
    (command,) = [line for line in runs if "komek models download" in line]
    words = shlex.split(command.split("komek models download", 1)[1].split("&&")[0])
    assert {"kk", "ru", "en"} <= set(words)
    checksums_in_image = words[words.index("--checksums") + 1]
    copies = [line.split()[1:] for line in text.splitlines() if line.startswith("COPY ")]
    (source,) = [
        parts[0] for parts in copies if parts[-1] == checksums_in_image and len(parts) == 2
    ]
    listed = read_checksums(ROOT / source)
    for spec in MODELS.values():
        if spec.sha256 is not None:
            assert listed[spec.archive] == spec.sha256, spec.archive
        else:  # no SHA-256 known anywhere: the publisher's MD5 and size stand in
            assert spec.md5 is not None and spec.size > 0
