"""The SMS channel the settings choose: the sandbox's phones, an SMSC, an HTTP gateway, or none.

The caller (the worker, or `komek run`) starts the channel, so that receipts and replies flow
even before the first alert, and closes it on the way out.
"""

from __future__ import annotations

import logging
from typing import Protocol

from alerts.channels.base import Channel, InboundEvents
from alerts.channels.http_sms import HttpSmsChannel, HttpSmsConfig
from alerts.channels.sandbox_sms import SandboxSmsChannel
from alerts.channels.smpp import SmppChannel, SmppConfig
from core.settings import Settings, SmsBackend

log = logging.getLogger(__name__)


class SmsChannel(Channel, Protocol):
    """A `Channel` that also listens: `start()` begins taking receipts and replies."""

    async def start(self) -> None: ...


def build_sms_channel(
    settings: Settings, events: InboundEvents | None, *, sandbox_url: str | None = None
) -> SmsChannel | None:
    """The configured SMS channel, not yet started; None when SMS are off.

    `sandbox_url` is the base URL of the sandbox when this process runs one; with the
    `sandbox` backend and no sandbox there is nowhere to send SMS, so there is no channel.
    """
    backend = settings.sms_backend
    if backend is SmsBackend.SANDBOX:
        if sandbox_url is None:
            log.info("SMS are off: the sandbox backend needs a running sandbox")
            return None
        return SandboxSmsChannel(sandbox_url, events, sender=settings.smpp_source_addr)
    if backend is SmsBackend.SMPP:
        password = settings.smpp_password.get_secret_value() if settings.smpp_password else ""
        smpp = SmppConfig(
            host=settings.smpp_host or "",
            port=settings.smpp_port,
            system_id=settings.smpp_system_id,
            password=password,
            system_type=settings.smpp_system_type,
            source_addr=settings.smpp_source_addr,
            window=settings.smpp_window,
            connect_timeout=settings.smpp_connect_timeout,
            throughput=settings.smpp_throughput,
            reference_bits=settings.smpp_reference_bits,
        )
        return SmppChannel(smpp, events)
    if backend is SmsBackend.HTTP:
        secret = settings.sms_http_password
        password = secret.get_secret_value() if secret else ""
        http = HttpSmsConfig(
            url=settings.sms_http_url or "",
            username=settings.sms_http_username,
            password=password,
            sender=settings.smpp_source_addr,
            dlr_url=settings.sms_http_dlr_url,
            dlr_key=password,
        )
        return HttpSmsChannel(http, events)
    return None
