"""The CAP API for alerting authorities: POST /api/cap, GET /api/alerts/{id} and its CAP XML.

Senders authenticate with `Authorization: Bearer <token>` (`komek api-senders create NAME`);
signed-in dispatchers may use it too, with their session and the CSRF token. A document is
validated and stored like one uploaded in the console; an Actual alert then waits for an
approver (the two-person rule) unless the rule is off or the sender is trusted by
configuration (KOMEK_CAP_TRUSTED_SENDERS); staff are held to the console's own rule. These
are the only routes in the OpenAPI schema.
"""

from __future__ import annotations

import re

from fastapi import APIRouter, HTTPException, Request, Response, Security
from fastapi.security import HTTPBearer

from alerts.approval import approval_refusal
from alerts.cap.codec import from_dict
from alerts.cap.errors import CapError
from alerts.cap.export import to_xml
from alerts.cap.parse import MAX_BYTES
from alerts.models import Alert, AlertState
from alerts.service import AlertRefused
from console.api_schema import DeliveryStatus, Received, problems
from console.context import ConsoleContext
from console.deps import AlertId, Context
from console.routes import sms_delivery
from console.security import actor_of, allow, client_address, current_staff
from core.settings import Settings
from core.staff.roles import Role

CAP_MEDIA_TYPE = "application/cap+xml"
ACCEPTED_MEDIA_TYPES = (CAP_MEDIA_TYPE, "application/xml", "text/xml")
MAX_DOCUMENT_BYTES = MAX_BYTES
"""1 MiB, as the CAP parser allows; real alerts are a few kilobytes."""

router = APIRouter(tags=["CAP"])
router.include_router(sms_delivery.router)

sender_token = HTTPBearer(
    auto_error=False,
    scheme_name="senderToken",
    description="The token of a CAP sender (`komek api-senders create NAME`). Signed-in "
    "dispatchers may use their console session instead, with the `X-CSRF-Token` header.",
)
_DECLARED_ENCODING = re.compile(r"""^\ufeff?\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']+)["']""")


_EXAMPLE = """<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>KZ-2026-0001</identifier>
  <sender>dispatch@example.kz</sender>
  <sent>2026-11-22T14:00:00+05:00</sent>
  <status>Exercise</status>
  <msgType>Alert</msgType>
  <scope>Public</scope>
  <info>
    <language>en</language>
    <category>Geo</category>
    <event>Earthquake</event>
    <urgency>Immediate</urgency>
    <severity>Extreme</severity>
    <certainty>Observed</certainty>
    <expires>2026-11-23T14:00:00+05:00</expires>
    <headline>Strong earthquake in Almaty</headline>
    <instruction>Leave the building now. Keep away from walls and wires.</instruction>
    <area>
      <areaDesc>Almaty</areaDesc>
      <geocode><valueName>KATO</valueName><value>750000000</value></geocode>
    </area>
  </info>
</alert>
"""


class CapXmlResponse(Response):
    """A CAP XML document as an HTTP answer."""

    media_type = CAP_MEDIA_TYPE


@router.post(
    "/api/cap",
    status_code=202,
    response_model=Received,
    summary="Send a CAP alert",
    dependencies=[Security(sender_token)],
    responses={
        202: {
            "description": "Taken. It is sent at once, or waits for an approver "
            "(`approval: required`).",
            "headers": {
                "Location": {
                    "description": "Where its status is: /api/alerts/{id}.",
                    "required": True,
                    "schema": {"type": "string"},
                }
            },
        },
        **problems(401, 403, 413, 415, 422),
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "One CAP 1.2 (or 1.1) alert document, at most 1 MiB. Actual alerts "
            "wait for a second person's approval unless the sender is trusted.",
            "content": {
                CAP_MEDIA_TYPE: {"schema": {"type": "string"}, "example": _EXAMPLE},
                "application/xml": {"schema": {"type": "string"}},
                "text/xml": {"schema": {"type": "string"}},
            },
        }
    },
)
@allow(Role.DISPATCHER, api=True, max_body=MAX_DOCUMENT_BYTES)
async def receive_cap(
    request: Request,
    response: Response,
    ctx: Context,
) -> Received:
    media = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media not in ACCEPTED_MEDIA_TYPES:
        raise HTTPException(415, "send the CAP document as application/cap+xml")
    document = await _body(request, MAX_DOCUMENT_BYTES)
    actor = actor_of(request)
    origin = client_address(request)
    try:
        alert = await ctx.alerts.receive(document, actor=actor, origin=origin)
    except CapError as error:
        raise HTTPException(422, error.reason) from None
    except AlertRefused as refused:
        raise HTTPException(403 if refused.forbidden else 422, refused.reason) from None
    at_once = _approved_at_once(request, ctx.settings, alert)
    if at_once:
        await ctx.alerts.approve(alert.id, actor=actor, origin=origin)
    response.headers["Location"] = f"/api/alerts/{alert.id}"
    return Received(
        id=alert.id,
        identifier=alert.identifier,
        state=AlertState.SENDING if at_once else AlertState.AWAITING_APPROVAL,
        approval="not required" if at_once else "required",
    )


@router.get(
    "/api/alerts/{alert_id:int}",
    response_model=DeliveryStatus,
    summary="Where an alert is",
    dependencies=[Security(sender_token)],
    responses=problems(401, 403, 404, 422),
)
@allow(Role.DISPATCHER, Role.APPROVER, api=True)
async def alert_status(request: Request, ctx: Context, alert_id: AlertId) -> DeliveryStatus:
    await _readable(request, ctx, alert_id)
    try:
        status = await ctx.alerts.status(alert_id)
    except AlertRefused as refused:
        raise HTTPException(404, refused.reason) from None
    return DeliveryStatus.of(status)


@router.get(
    "/api/alerts/{alert_id:int}.cap",
    response_class=Response,  # refusals are JSON; the 200 is declared below
    summary="An alert as CAP XML",
    dependencies=[Security(sender_token)],
    responses={
        200: {
            "description": "The document as received (or as written here, as CAP 1.2).",
            "content": {CAP_MEDIA_TYPE: {"schema": {"type": "string"}}},
        },
        **problems(401, 403, 404, 422),
    },
)
@allow(Role.DISPATCHER, Role.APPROVER, api=True)
async def alert_document(request: Request, ctx: Context, alert_id: AlertId) -> CapXmlResponse:
    alert = await _readable(request, ctx, alert_id)
    return CapXmlResponse(_document(alert))


async def _readable(request: Request, ctx: ConsoleContext, alert_id: int) -> Alert:
    """The alert, if the caller may read it: staff read any, a sender only its own."""
    async with ctx.sessions() as session:
        alert = await session.get(Alert, alert_id)
    if alert is None or (_sender(request) is not None and alert.created_by != actor_of(request)):
        raise HTTPException(404, f"there is no alert {alert_id}")
    return alert


def _approved_at_once(request: Request, settings: Settings, alert: Alert) -> bool:
    """Whether the alert goes out now, or waits for an approver in the console.

    A sender's alert waits when it is Actual, the two-person rule is on and the sender is not
    trusted. A member of staff posting here is held to the console's rule (alerts.approval).
    """
    rule = settings.console_two_person_rule
    sender = _sender(request)
    if sender is not None:
        return sender in settings.trusted_senders() or not rule or alert.status != "Actual"
    staff = current_staff(request)
    refusal = approval_refusal(
        status=alert.status,
        created_by=alert.created_by,
        actor=staff.actor,
        roles=staff.roles,
        two_person_rule=rule,
    )
    return refusal is None


def _sender(request: Request) -> str | None:
    """The CAP sender's name when the request came with its token (not a staff session)."""
    sender: str | None = getattr(request.state, "sender", None)
    return sender


async def _body(request: Request, limit: int) -> bytes:
    """The raw body, refused with 413 as soon as it is larger than `limit`."""
    too_large = HTTPException(413, f"the document is larger than {limit // 1024 // 1024} MiB")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise too_large
    return bytes(body)


def _document(alert: Alert) -> bytes:
    """The document as received, when its text is intact; otherwise written again as CAP 1.2.

    The stored text was decoded as UTF-8; a document in another encoding (ISO-8859-1, say)
    is only faithful in UTF-8 when it is plain ASCII.
    """
    original = alert.cap_xml
    declared = _DECLARED_ENCODING.match(original)
    utf8 = declared is None or declared.group(1).lower().replace("_", "-") in ("utf-8", "utf8")
    if original.isascii() or (utf8 and "\ufffd" not in original):
        return original.encode("utf-8")
    return to_xml(from_dict(alert.document))
