"""What an SMSC's deliver_sm means: a delivery receipt, or a text from a phone.

Receipts are read from the receipted_message_id and message_state options when the SMSC
sends them, else from the text SMPP 3.4 suggests ("id:… stat:DELIVRD err:000 …"), without
trusting its dates. A message sent in several parts has one receipt per part, reported under
the part's own id; the fan-out's ledger puts them together (`alerts.fanout.receipts`).
"""

from __future__ import annotations

import re

import phonenumbers
from aiosmpplib import TON, DeliverSm
from aiosmpplib.state import MESSAGE_STATE, RECEIPTED_MESSAGE_ID

from alerts.channels.sms_receipt import Receipt

_RECEIPT_FIELD = re.compile(r"\b(id|stat|err):\s*(\S+)", re.IGNORECASE)
_QUOTED_TEXT = re.compile(r"\btext:", re.IGNORECASE)
_STATE_NAMES = {
    1: "ENROUTE",
    2: "DELIVRD",
    3: "EXPIRED",
    4: "DELETED",
    5: "UNDELIV",
    6: "ACCEPTD",
    7: "UNKNOWN",
    8: "REJECTD",
}
_PENDING_STATES = frozenset({"ENROUTE", "ACCEPTD", "ACCEPTED", "BUFFRED", "SCHEDULED"})
_DELIVERED_STATES = frozenset({"DELIVRD", "DELIVERED"})
MO_MESSAGE = 0
DELIVERY_RECEIPT = 1


def message_type(deliver: DeliverSm) -> int:
    """esm_class bits 2-5: 0 a text from a phone, 1 a delivery receipt, others notifications."""
    return (deliver.esm_class >> 2) & 0x0F


def read_receipt(deliver: DeliverSm) -> Receipt | None:
    """The final outcome a receipt reports; None while the message is still on its way."""
    options = {param.tag: param.value for param in deliver.optional_params or []}
    # The receipt's text quotes the start of the message last: never read fields from it.
    report = _QUOTED_TEXT.split(deliver.short_message or "", maxsplit=1)[0]
    fields: dict[str, str] = {}
    for name, value in _RECEIPT_FIELD.findall(report):
        fields.setdefault(name.lower(), value)
    message_id = str(options.get(RECEIPTED_MESSAGE_ID) or fields.get("id") or "").strip()
    state_code = options.get(MESSAGE_STATE)
    state = (
        fields.get("stat")
        or (_STATE_NAMES.get(state_code, "") if isinstance(state_code, int) else "")
    ).upper()
    if not message_id or not state or state in _PENDING_STATES:
        return None
    if state in _DELIVERED_STATES:
        return Receipt(message_id, True)
    error = f"{state} err:{fields['err']}" if "err" in fields else state
    return Receipt(message_id, False, error)


def phone_number(address: str, ton: int) -> str | None:
    """The sender of a text in E.164, or None for an address that is not a phone number."""
    digits = address.removeprefix("+")
    if not digits.isdigit():
        return None
    candidates = ["+" + digits] if ton == TON.INTERNATIONAL or address.startswith("+") else []
    candidates += [digits, "+" + digits]
    for candidate in candidates:
        try:
            number = phonenumbers.parse(candidate, "KZ")
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return None
