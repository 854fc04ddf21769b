"""SMS parts with 8- or 16-bit concatenation references: the cut the channel sends is the
count the preview shows (issue 17, finding 8)."""

from __future__ import annotations

import dataclasses

import pytest

from alerts import sms_text
from alerts.channels.smpp_encoding import encode_text
from alerts.review import outgoing
from core.i18n import Catalogs
from core.localtime import LOCAL_ZONE
from tests.alerts.broadcast import alert

RUSSIAN = (
    "Покиньте здание. В Алматы землетрясение. Выйдите на открытое место, держитесь подальше "
    "от зданий и проводов. Ответьте сразу: 1 или 2."
)
ENGLISH = (
    "Leave the building now. Strong earthquake in Almaty region. Go to an open place away "
    "from walls and power lines. Do not use lifts or stairs crowded with people. Wait there "
    "for the rescue teams and follow what they say. Keep your phone on and charged. Reply 1 "
    "if you are safe, or 2 if you need any help now."
)


def test_a_part_holds_one_character_less_with_a_16_bit_reference() -> None:
    assert sms_text.units(RUSSIAN) == 133 and len(ENGLISH) == 306
    assert sms_text.parts(RUSSIAN, 8) == 2 and sms_text.parts(RUSSIAN, 16) == 3
    assert sms_text.parts(ENGLISH, 8) == 2 and sms_text.parts(ENGLISH, 16) == 3
    for bits, size in ((8, 67), (16, 66)):
        cut = sms_text.segments(RUSSIAN, bits)
        assert "".join(cut) == RUSSIAN and [len(part) for part in cut[:-1]] == [size] * (
            len(cut) - 1
        )
    assert [len(part) for part in sms_text.segments(ENGLISH, 16)] == [152, 152, 2]
    with pytest.raises(ValueError, match="8 or 16 bits"):
        sms_text.parts(RUSSIAN, 12)


def test_a_character_beyond_ucs2_is_never_split_between_parts() -> None:
    text = "а" * 65 + "🚨" + "б" * 10
    first, second = sms_text.segments(text, 16)  # 65 + 2 units would not fit in 66
    assert first == "а" * 65 and second == "🚨" + "б" * 10
    assert sms_text.segments(text, 8)[0] == "а" * 65 + "🚨"  # 67 units fit in 67


def test_the_header_carries_the_reference_in_8_or_16_bits() -> None:
    payloads, esm_class, encoding = encode_text(RUSSIAN, 0x1234, 16)
    assert (esm_class, encoding, len(payloads)) == (0x40, "ucs2", 3)
    for number, payload in enumerate(payloads, 1):
        assert payload[:7] == bytes([6, 0x08, 4, 0x12, 0x34, 3, number])
    assert b"".join(payload[7:] for payload in payloads).decode("utf-16-be") == RUSSIAN
    payloads, _, encoding = encode_text(ENGLISH, 0xAB, 8)
    assert encoding == "gsm0338" and [payload[:6] for payload in payloads] == [
        bytes([5, 0x00, 3, 0xAB, 2, number]) for number in (1, 2)
    ]
    single, esm_class, _ = encode_text("Leave now.", 0x1234, 16)
    assert esm_class == 0 and single == [b"Leave now."]


@pytest.mark.parametrize("bits", [8, 16])
def test_the_preview_counts_the_parts_the_bind_sends(bits: int) -> None:
    """A long alert is cut to three parts for the bind's reference size; the preview's count
    is the number of submit_sm the channel makes of that text."""
    cap = alert("long")
    description = " ".join(["Сильный ветер повалил деревья и оборвал провода на улицах."] * 9)
    infos = tuple(dataclasses.replace(info, description=description) for info in cap.infos)
    shown = outgoing(
        dataclasses.replace(cap, infos=infos),
        Catalogs.load(),
        tz=LOCAL_ZONE,
        reference_bits=bits,
    )
    for text in shown:
        payloads, _, _ = encode_text(text.sms, 7, bits)
        assert text.sms_parts == len(payloads) == 3, text.language
