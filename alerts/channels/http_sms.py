"""SMS through an HTTP gateway that speaks Kannel's `sendsms` interface.

One GET per message, as Kannel's user guide documents it:
`{url}?username=…&password=…&from=…&to=…&text=…&coding=2&charset=UTF-8&dlr-mask=19&dlr-url=…`.
`coding=2` asks for UCS-2 (Kazakh and Russian need it) and `charset=UTF-8` says how `text` is
written; Kannel splits long texts itself. Kannel answers 202 ("0: Accepted for delivery" or
"3: Queued for later delivery"), 4xx when it refuses the request, 503 when it cannot take
more now. Kannel's answer carries no message id, so the channel makes one and puts it, signed,
into the `dlr-url`; Kannel calls that URL with `%d` (the report type) and `%A` (the SMSC's
answer) filled in, and `read_delivery_report()` turns the call back into a receipt. Whatever
web server answers that URL (the console) passes the query to `report_delivery()`.

The GET carries the phone number and the text in its query string, as Kannel expects: the
gateway's access log must be treated as personal data. This module logs neither.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

import aiohttp

from alerts.channels.base import InboundEvents, Outgoing, Rejected, RetryLater, Sent
from alerts.channels.sms_receipt import Receipt

DLR_FINAL = 1 | 2 | 16
"""dlr-mask: delivered to the phone (1), not delivered (2), refused by the SMSC (16)."""
_DLR_DELIVERED = 1
_DLR_FAILED = {2: "not delivered", 16: "refused by the SMSC"}
_ANSWER_CODES = re.compile(r"\b(stat|err):(\w+)|\bNACK/(0x[0-9a-fA-F]+)")


@dataclass(frozen=True, kw_only=True)
class HttpSmsConfig:
    """Where and how to reach an HTTP SMS gateway (the secret comes from settings)."""

    url: str
    """Kannel's sendsms URL, e.g. http://kannel:13013/cgi-bin/sendsms."""
    username: str = ""
    password: str = field(default="", repr=False)
    sender: str = "Komek"
    dlr_url: str | None = None
    """Our URL Kannel calls with delivery reports; empty: no reports are asked for."""
    dlr_key: str = field(default="", repr=False)
    """Signs the ids in `dlr_url`, so a forged report is refused."""
    timeout: float = 10.0
    retry_seconds: float = 5.0


def _signature(key: str, message_id: str) -> str:
    digest = hmac.new(key.encode(), message_id.encode(), hashlib.sha256).hexdigest()
    return digest[:32]


class HttpSmsChannel:
    """The `Channel` for SMS through a Kannel-style HTTP gateway."""

    name = "sms"

    def __init__(
        self,
        config: HttpSmsConfig,
        events: InboundEvents | None = None,
        *,
        session: aiohttp.ClientSession | None = None,
    ) -> None:
        self.config = config
        self._events = events
        self._session = session
        self._owns_session = session is None

    async def start(self) -> None:
        """Nothing to connect: every send is its own request."""

    async def close(self) -> None:
        if self._owns_session and self._session is not None:
            await self._session.close()
        self._session = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None:
            self._session = aiohttp.ClientSession()
            self._owns_session = True
        return self._session

    async def send(self, message: Outgoing) -> Sent:
        if not message.phone:
            raise Rejected("no phone number")
        if not message.text:
            raise Rejected("empty SMS text")
        message_id = secrets.token_hex(12)
        params = {
            "username": self.config.username,
            "password": self.config.password,
            "from": self.config.sender,
            "to": message.phone,
            "text": message.text,
            "coding": "2",
            "charset": "UTF-8",
        }
        if self.config.dlr_url:
            params["dlr-mask"] = str(DLR_FINAL)
            params["dlr-url"] = self.delivery_report_url(message_id)
        timeout = aiohttp.ClientTimeout(total=self.config.timeout)
        try:
            async with self._client().get(
                self.config.url, params=params, timeout=timeout
            ) as response:
                status = response.status
                retry_after = response.headers.get("Retry-After", "")
                await response.read()
        except (aiohttp.ClientError, TimeoutError) as error:
            raise RetryLater(
                f"SMS gateway unreachable ({type(error).__name__})", self.config.retry_seconds
            ) from None
        if 200 <= status < 300:
            return Sent(provider_message_id=message_id)
        if status >= 500 or status in (408, 429):
            seconds = float(retry_after) if retry_after.isdigit() else self.config.retry_seconds
            raise RetryLater(f"SMS gateway answered {status}", seconds)
        raise Rejected(f"SMS gateway refused the message ({status})")

    async def delivery_report(self, query: Mapping[str, str]) -> Receipt | None:
        """Handle the gateway's call to our dlr-url (see `report_delivery`)."""
        if self._events is None:
            return read_delivery_report(query, key=self.config.dlr_key)
        return await report_delivery(query, self._events, key=self.config.dlr_key)

    def delivery_report_url(self, message_id: str) -> str:
        """The dlr-url for one message: our id and its signature, then Kannel's escapes."""
        assert self.config.dlr_url
        ours = urlencode({"id": message_id, "sig": _signature(self.config.dlr_key, message_id)})
        joiner = "&" if "?" in self.config.dlr_url else "?"
        return f"{self.config.dlr_url}{joiner}{ours}&type=%d&answer=%A"


def read_delivery_report(query: Mapping[str, str], *, key: str) -> Receipt | None:
    """The receipt in Kannel's call to our dlr-url; None for a report that is not final.

    Raises ValueError for a call that is not one of ours (missing fields, wrong signature).
    Only the SMSC's status words are kept from its answer, which may quote the message text.
    """
    message_id = query.get("id", "")
    signature = query.get("sig", "")
    kind = query.get("type", "")
    if not message_id or not kind.isdigit():
        raise ValueError("not a delivery report")
    if not hmac.compare_digest(signature, _signature(key, message_id)):
        raise ValueError("delivery report with a wrong signature")
    report = int(kind)
    if report == _DLR_DELIVERED:
        return Receipt(message_id, True)
    if report not in _DLR_FAILED:
        return None
    codes = [
        f"{name}:{value}" if name else f"NACK/{nack}"
        for name, value, nack in _ANSWER_CODES.findall(query.get("answer", ""))
    ]
    return Receipt(message_id, False, " ".join([_DLR_FAILED[report], *codes]))


async def report_delivery(
    query: Mapping[str, str], events: InboundEvents, *, key: str
) -> Receipt | None:
    """Handle Kannel's call to our dlr-url: pass a final report on to `events`.

    Framework-neutral: give it the request's query parameters. Raises ValueError for a call
    that is not ours; the web handler should answer it with 400 (or 403) and nothing else.
    """
    receipt = read_delivery_report(query, key=key)
    if receipt is not None:
        await receipt.report(events)
    return receipt
