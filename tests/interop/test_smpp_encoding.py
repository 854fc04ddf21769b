"""What node-smpp's SMS centre receives: GSM-7 when the text fits its alphabet, UCS-2 otherwise,
as many parts as the preview says, and a validity period from the alert's expiry (issue 17, 8)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from alerts import sms_text
from tests.alerts.recording import RecordingEvents
from tests.alerts.smpp_helpers import open_channel, phone, sms
from tests.interop.node_peers import NodeSmsc

ENGLISH = (
    "Leave the building now. Strong earthquake in Almaty region. Go to an open place away from "
    "walls and power lines. Do not use lifts. Until 18:00. Reply 1 if you are safe, 2 if you "
    "need help."
)
RUSSIAN = "Выйдите из здания сейчас. Сильное землетрясение. Ответьте 1 или 2."


async def test_english_goes_as_gsm7_in_the_parts_the_preview_counts(
    node_smsc: NodeSmsc, events: RecordingEvents
) -> None:
    assert len(ENGLISH) > 160 and sms_text.parts(ENGLISH) == 2
    expires = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=2)
    async with open_channel(node_smsc, events) as channel:
        message = dataclasses.replace(sms(phone(1), ENGLISH, 1), expires=expires)
        sent = await channel.send(message)
        await channel.send(sms(phone(2), RUSSIAN, 2))

    english = [s for s in node_smsc.submits if s["destination"] == phone(1).removeprefix("+")]
    assert len(english) == 2 == len(sent.part_ids)
    assert {part["data_coding"] for part in english} == {0}
    assert node_smsc.texts_to(phone(1)) == [ENGLISH]
    assert {part["validity_period"] for part in english} != {""}
    russian = [s for s in node_smsc.submits if s["destination"] == phone(2).removeprefix("+")]
    assert [part["data_coding"] for part in russian] == [8]
    assert russian[0]["validity_period"] == "", "no expiry, no validity period"
    assert node_smsc.texts_to(phone(2)) == [RUSSIAN]


async def test_parts_under_a_16_bit_reference_are_put_together_by_node_smpp(
    node_smsc: NodeSmsc, events: RecordingEvents
) -> None:
    """A bind set to 16-bit references: one character less a part (66 in UCS-2, 152 in
    GSM-7), as the preview counts, and the SMS centre puts each message together."""
    russian = (RUSSIAN + " Держитесь подальше от зданий, проводов и деревьев. Ждите спасателей.")[
        :133
    ]
    assert sms_text.parts(russian, 8) == 2 and sms_text.parts(russian, 16) == 3
    english = ENGLISH + " Keep your phone on." * 5 + " Please stay calm."
    assert sms_text.parts(english, 8) == 2 and sms_text.parts(english, 16) == 3
    async with open_channel(node_smsc, events, reference_bits=16) as channel:
        await channel.send(sms(phone(1), russian, 1))
        await channel.send(sms(phone(2), english, 2))

    for number, text in ((1, russian), (2, english)):
        to = [s for s in node_smsc.submits if s["destination"] == phone(number).removeprefix("+")]
        assert len(to) == sms_text.parts(text, 16) == len(sms_text.segments(text, 16))
        assert {part["total"] for part in to} == {len(to)}
        assert len({part["reference"] for part in to}) == 1
        assert node_smsc.texts_to(phone(number)) == [text]
