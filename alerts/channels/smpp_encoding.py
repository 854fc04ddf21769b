"""A text and its addresses as submit_sm carries them: GSM-7 or UCS-2, cut into parts, each
part a submit_sm that asks for a delivery receipt."""

from __future__ import annotations

from datetime import UTC

from aiosmpplib import NPI, TON, PhoneNumber, SubmitSm
from aiosmpplib.codec import GSM7BitCodec

from alerts import sms_text
from alerts.channels.base import Outgoing, Rejected

UDHI = 0x40
"""esm_class bit: the message starts with a user data header (here: concatenation)."""
FINAL_RECEIPT = 0x01
"""registered_delivery: a receipt when the message is delivered or fails."""


CONCATENATION_8BIT = 0x00
CONCATENATION_16BIT = 0x08
"""Information element ids of the concatenation header, by the reference's size."""


def encode_text(
    text: str, reference: int, reference_bits: int = sms_text.REFERENCE_BITS
) -> tuple[list[bytes], int, str]:
    """Payloads (one part, or parts that each start with the concatenation header), the
    esm_class and the encoding: GSM-7 when the whole text is in its alphabet, else UCS-2.
    The parts are `sms_text.segments`, the cut the preview counts."""
    if not text:
        raise Rejected("empty SMS text")
    encoding = "gsm0338" if sms_text.is_gsm(text) else "ucs2"
    cut = sms_text.segments(text, reference_bits)
    if len(cut) > 255:
        raise Rejected("SMS text too long")
    payloads = [_encoded(segment, encoding) for segment in cut]
    if len(cut) == 1:
        return payloads, 0, encoding
    if reference_bits == 16:
        header = bytes([6, CONCATENATION_16BIT, 4, reference >> 8 & 0xFF, reference & 0xFF])
    else:
        header = bytes([5, CONCATENATION_8BIT, 3, reference & 0xFF])
    total = len(cut)
    return (
        [header + bytes([total, number]) + payload for number, payload in enumerate(payloads, 1)],
        UDHI,
        encoding,
    )


def _encoded(text: str, encoding: str) -> bytes:
    """GSM-7 one septet an octet (as SMPP carries it), or UCS-2 big-endian."""
    if encoding == "gsm0338":
        return bytes(GSM7BitCodec.get_codec_info().encode(text)[0])
    return text.encode("utf-16-be")


def destination_number(phone: str | None) -> PhoneNumber:
    """An E.164 phone as an international ISDN address; anything else is refused."""
    digits = (phone or "").removeprefix("+")
    if not digits.isdigit() or not 7 <= len(digits) <= 15:
        raise Rejected("no valid phone number")
    return PhoneNumber(digits, TON.INTERNATIONAL, NPI.ISDN)


def source_number(address: str) -> PhoneNumber:
    """A sender id: +digits is international, digits a short code, anything else alphanumeric."""
    if address.startswith("+") and address[1:].isdigit():
        return PhoneNumber(address[1:], TON.INTERNATIONAL, NPI.ISDN)
    if address.isdigit():
        return PhoneNumber(address, TON.UNKNOWN, NPI.UNKNOWN)
    return PhoneNumber(address, TON.ALPHANUMERIC, NPI.UNKNOWN)


def submit_sm(
    message: Outgoing,
    payload: bytes,
    esm_class: int,
    encoding: str,
    *,
    source: PhoneNumber,
    destination: PhoneNumber,
    log_id: str,
) -> SubmitSm:
    """The submit_sm of one part (`payload`, from `encode_text`), asking for a receipt."""
    submit = SubmitSm(
        short_message=message.text,
        source=source,
        destination=destination,
        esm_class=esm_class,
        registered_delivery=FINAL_RECEIPT,
        # The SMSC drops it once the alert has expired, rather than deliver it late.
        validity_period=message.expires.astimezone(UTC) if message.expires else None,
        encoding=encoding,
        # Parts are cut here; this keeps the library from cutting them again.
        auto_message_payload=True,
        log_id=log_id,
    )
    submit.set_encoded_message(payload)
    return submit
