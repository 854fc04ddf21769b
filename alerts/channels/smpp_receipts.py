"""What an SMSC's deliver_sm means: a delivery receipt, or a text from a phone.

Receipts are read from the receipted_message_id and message_state options when the SMSC
sends them, else from the text SMPP 3.4 suggests ("id:… stat:DELIVRD err:000 …"), without
trusting its dates. A message sent in several parts has one receipt per part; `PartReceipts`
turns them into one report under the id of the first part, which is the id `send()` returned.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field

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


@dataclass(eq=False)
class _Message:
    """A message of several parts whose receipts are still being collected."""

    ids: list[str | None]
    heard: set[int] = field(default_factory=set)
    error: str | None = None
    reported: bool = False


class PartReceipts:
    """Collects the receipts of the parts of one message into one report.

    A message counts as delivered when every part is, and as failed at the first part that
    fails; the other parts' receipts after the report are swallowed. Receipts of messages this
    process does not know (sent before a restart, forgotten after `limit` messages, or single
    parts) are passed on as they are: the first part's id still finds its message.
    """

    def __init__(self, limit: int = 100_000) -> None:
        self._limit = limit
        self._messages: OrderedDict[int, _Message] = OrderedDict()
        self._part_of: dict[str, tuple[int, int]] = {}

    def expect(self, key: int, parts: int) -> None:
        """Start collecting for a message of `parts` parts, named by the caller's `key`."""
        if parts < 2:
            return
        self._messages[key] = _Message([None] * parts)
        while len(self._messages) > self._limit:
            self._drop(next(iter(self._messages)))

    def forget(self, key: int) -> None:
        """The message was not sent after all."""
        self._drop(key)

    def accepted(self, key: int, index: int, message_id: str) -> Receipt | None:
        """The SMSC took part `index` under `message_id`; a report may now be due."""
        message = self._messages.get(key)
        if message is None:
            return None
        message.ids[index] = message_id
        self._part_of[message_id] = (key, index)
        return self._report(message)

    def heard(self, receipt: Receipt) -> Receipt | None:
        """A receipt for one part; returns the message's report once it is due."""
        found = self._part_of.get(receipt.message_id)
        if found is None:
            return receipt
        key, index = found
        message = self._messages[key]
        message.heard.add(index)
        if not receipt.delivered and message.error is None:
            message.error = receipt.error or "not delivered"
        report = self._report(message)
        if len(message.heard) == len(message.ids):
            self._drop(key)
        return report

    @staticmethod
    def _report(message: _Message) -> Receipt | None:
        first = message.ids[0]
        complete = message.error is not None or len(message.heard) == len(message.ids)
        if message.reported or first is None or not complete:
            return None
        message.reported = True
        return Receipt(first, message.error is None, message.error)

    def _drop(self, key: int) -> None:
        message = self._messages.pop(key, None)
        if message is None:
            return
        for message_id in message.ids:
            if message_id is not None:
                self._part_of.pop(message_id, None)
