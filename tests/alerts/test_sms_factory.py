"""Settings choose the SMS channel; a production setup must choose a real one."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from alerts.channels.factory import build_sms_channel
from alerts.channels.http_sms import HttpSmsChannel
from alerts.channels.sandbox_sms import SandboxSmsChannel
from alerts.channels.smpp import SmppChannel
from core.settings import Settings
from tests.alerts.recording import RecordingEvents


def settings(**values: Any) -> Settings:
    return Settings(_env_file=None, **values)


async def test_each_backend_builds_its_channel() -> None:
    events = RecordingEvents()
    sandbox = build_sms_channel(settings(), events, sandbox_url="http://127.0.0.1:8080")
    assert isinstance(sandbox, SandboxSmsChannel)
    assert build_sms_channel(settings(), events) is None
    assert build_sms_channel(settings(sms_backend="none"), events) is None

    smpp = build_sms_channel(
        settings(
            sms_backend="smpp",
            smpp_host="smsc.example.kz",
            smpp_system_id="komek",
            smpp_password="s3cret",
            smpp_window=4,
            smpp_throughput=25,
        ),
        events,
    )
    assert isinstance(smpp, SmppChannel)
    assert (smpp.config.window, smpp.config.throughput, smpp.config.port) == (4, 25.0, 2775)
    assert "s3cret" not in repr(smpp.config)

    http = build_sms_channel(
        settings(sms_backend="http", sms_http_url="http://kannel:13013/cgi-bin/sendsms"), events
    )
    assert isinstance(http, HttpSmsChannel)
    for channel in (sandbox, smpp, http):
        await channel.close()


@pytest.mark.parametrize(
    ("values", "complaint"),
    [
        ({"sms_backend": "smpp"}, "SMPP_HOST"),
        ({"sms_backend": "http"}, "SMS_HTTP_URL"),
        ({"environment": "production"}, "SMS_BACKEND=sandbox"),
        (
            {
                "environment": "production",
                "sms_backend": "http",
                "sms_http_url": "http://kannel/cgi-bin/sendsms",
                "sms_http_password": "changeme",
            },
            "placeholder",
        ),
    ],
)
def test_incomplete_or_unsafe_sms_settings_are_refused(
    values: dict[str, Any], complaint: str
) -> None:
    with pytest.raises(ValidationError, match=complaint):
        settings(**values)


def test_smpp_limits_are_checked_before_connecting() -> None:
    too_long = settings(
        sms_backend="smpp", smpp_host="smsc", smpp_system_id="komek", smpp_password="123456789"
    )
    with pytest.raises(ValueError, match="8 characters"):
        build_sms_channel(too_long, None)
