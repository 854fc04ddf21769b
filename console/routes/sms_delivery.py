"""The HTTP SMS gateway's delivery reports: Kannel calls the dlr-url of each message it sent.

The dlr-url `alerts.channels.http_sms` builds is KOMEK_SMS_HTTP_DLR_URL plus the message's id,
its signature, and Kannel's `type=%d&answer=%A`; point KOMEK_SMS_HTTP_DLR_URL at this route
(`https://console.example/sms/dlr`). The signature (keyed with KOMEK_SMS_HTTP_PASSWORD) is
what authorises a call, so the route is public; a forged one is refused with 403. The query
may quote the message text (in `answer`): nothing of it is logged.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse

from alerts.channels.base import InboundEvents
from alerts.channels.http_sms import report_delivery
from alerts.fanout.inbound import SmsInbound
from console.context import ConsoleContext
from console.deps import Context
from console.security import public
from core.settings import Settings, SmsBackend
from nlu.safety import reply_to_warning

DELIVERY_REPORT_PATH = "/sms/dlr"
_INBOUND = "sms_inbound"
"""The key in `ConsoleContext.extras` of the process's `InboundEvents`, if it has one."""

router = APIRouter(include_in_schema=False)


@router.get(DELIVERY_REPORT_PATH)
@public
async def delivery_report(request: Request, ctx: Context) -> PlainTextResponse:
    key = signing_key(ctx.settings)
    if key is None:
        return PlainTextResponse("no delivery reports are expected here", status_code=404)
    query = dict(request.query_params)
    if not query.get("id") or not query.get("type", "").isdigit():
        return PlainTextResponse("not a delivery report", status_code=400)
    try:
        await report_delivery(query, _events(ctx), key=key)
    except ValueError:
        return PlainTextResponse("the report's signature is wrong", status_code=403)
    return PlainTextResponse("OK")


def signing_key(settings: Settings) -> str | None:
    """The key the HTTP SMS channel signs its dlr-urls with; None when it is not in use."""
    secret = settings.sms_http_password
    if settings.sms_backend is not SmsBackend.HTTP or secret is None:
        return None
    return secret.get_secret_value() or None


def _events(ctx: ConsoleContext) -> InboundEvents:
    """The process's receiver of SMS receipts, made once and kept with the context."""
    events = ctx.extras.get(_INBOUND)
    if not isinstance(events, SmsInbound):
        events = SmsInbound(ctx.sessions, ctx.clock, reply_to_warning)
        ctx.extras[_INBOUND] = events
    return events
