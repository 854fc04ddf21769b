"""The SMPP channel against smpp34's SMSC: what phones receive, receipts and replies."""

from __future__ import annotations

import secrets

import pytest

from alerts.channels.base import Rejected, RetryLater
from alerts.sms_text import parts
from core.clock import ManualClock
from tests.alerts.recording import RecordingEvents
from tests.alerts.smpp_helpers import on_clock, open_channel, sms
from tests.servers.smsc import ESME_RINVDSTADR, Smsc

PHONE = "+77011234567"
SHORT = "Үйден шығыңыз. Өрт. Жауап: 1 қауіпсіз, 2 көмек."
KAZAKH = (
    "Ғимараттан қазір шығыңыз. Алматыда жер сілкінісі болды. Ашық жерге барыңыз, ғимараттар "
    "мен сымдардан алыс тұрыңыз. Лифтіні пайдаланбаңыз. Қауіпсіз болсаңыз 1, көмек керек "
    "болса 2 деп жауап беріңіз."
)
RUSSIAN = (
    "Покиньте здание. В Алматы землетрясение. Выйдите на открытое место, держитесь дальше "
    "от зданий и проводов. Не пользуйтесь лифтом. Ответьте 1, если вы в безопасности, 2, "
    "если нужна помощь."
)


async def test_a_short_text_arrives_as_one_ucs2_message_with_a_receipt(
    smsc: Smsc, events: RecordingEvents
) -> None:
    async with open_channel(smsc, events) as channel:
        sent = await channel.send(sms(PHONE, SHORT))

        (message,) = smsc.received()
        (part,) = message.parts
        assert message.text == SHORT
        assert (part.destination, part.dest_ton) == ("77011234567", 1)
        assert (part.source, part.source_ton) == ("Komek", 5)
        assert (part.data_coding, part.esm_class, part.registered_delivery) == (8, 0, 1)
        assert sent.provider_message_id == part.message_id

        await events.wait_for(lambda: bool(events.receipts))
        assert events.receipts == [(part.message_id, True, None)]


@pytest.mark.parametrize("text", [KAZAKH, RUSSIAN], ids=["kk", "ru"])
async def test_a_long_text_arrives_in_three_parts_that_read_as_the_original(
    smsc: Smsc, events: RecordingEvents, text: str
) -> None:
    assert parts(text) == 3
    async with open_channel(smsc, events) as channel:
        sent = await channel.send(sms(PHONE, text))

        (message,) = smsc.received()
        assert message.text == text
        assert [part.index for part in message.parts] == [1, 2, 3]
        assert {(part.total, part.data_coding, part.esm_class) for part in message.parts} == {
            (3, 8, 0x40)
        }
        assert all(part.registered_delivery == 1 for part in message.parts)
        assert len({part.reference for part in message.parts}) == 1
        assert sent.provider_message_id == message.message_ids[0]
        assert sent.part_ids == message.message_ids

        # Each part's receipt under its own id: the ledger puts them together.
        await smsc.settle()
        await events.wait_for(lambda: len(events.receipts) == 3)
        assert sorted(events.receipts) == sorted((id_, True, None) for id_ in message.message_ids)


async def test_undelivered_parts_are_reported_part_by_part(
    smsc: Smsc, events: RecordingEvents
) -> None:
    smsc.undeliverable.add(PHONE.removeprefix("+"))
    async with open_channel(smsc, events) as channel:
        single = await channel.send(sms(PHONE, SHORT, 1))
        multi = await channel.send(sms(PHONE, KAZAKH, 2))
        await smsc.settle()
        await events.wait_for(lambda: len(events.receipts) == 4)

    assert single.part_ids == () and len(multi.part_ids) == 3
    assert sorted(events.receipts) == sorted(
        (id_, False, "UNDELIV err:001") for id_ in (single.provider_message_id, *multi.part_ids)
    )


async def test_receipts_in_text_only_with_seconds_in_the_dates_keep_the_link_up(
    events: RecordingEvents,
) -> None:
    async with (
        Smsc(receipt_tlvs=False, receipt_date_format="%y%m%d%H%M%S") as smsc,
        open_channel(smsc, events) as channel,
    ):
        first = await channel.send(sms(PHONE, SHORT, 1))
        second = await channel.send(sms(PHONE, KAZAKH, 2))
        await smsc.settle()
        await events.wait_for(lambda: len(events.receipts) == 4)

        assert sorted(events.receipts) == sorted(
            (id_, True, None) for id_ in (first.provider_message_id, *second.part_ids)
        )
        assert channel.stats.link_losses == 0
        assert smsc.binds == 1


async def test_replies_from_phones_reach_the_events_in_e164(
    smsc: Smsc, events: RecordingEvents
) -> None:
    async with open_channel(smsc, events):
        await smsc.wait_bound()
        await smsc.send_text("+77011234567", "1")
        await smsc.send_text("+77011234568", "2", ucs2=False)
        await smsc.send_text("87011234569", "1", ton=2)
        await events.wait_for(lambda: len(events.replies) == 3)

    assert events.replies == [
        ("+77011234567", "1"),
        ("+77011234568", "2"),
        ("+77011234569", "1"),
    ]


async def test_a_refused_destination_is_rejected_for_good(
    smsc: Smsc, events: RecordingEvents
) -> None:
    smsc.refuse[PHONE.removeprefix("+")] = ESME_RINVDSTADR
    async with open_channel(smsc, events) as channel:
        with pytest.raises(Rejected, match="ESME_RINVDSTADR"):
            await channel.send(sms(PHONE, SHORT))
        with pytest.raises(Rejected):
            await channel.send(sms("not a phone", SHORT))
    assert smsc.messages == []


async def test_a_wrong_password_is_never_bound_and_sends_are_retried_later(
    smsc: Smsc, events: RecordingEvents, clock: ManualClock
) -> None:
    async with open_channel(
        smsc, events, clock=clock, bind=False, password="wrong", rebind_wait=0.3
    ) as channel:
        with pytest.raises(RetryLater):
            await on_clock(clock, channel, channel.send(sms(PHONE, SHORT)))
        assert not channel.bound
    assert smsc.refused_binds >= 1
    assert smsc.messages == []


def references_to(smsc: Smsc, phone: str) -> list[int | None]:
    """The concatenation reference of each long message the phone got, in order."""
    return [
        message.parts[0].reference for message in smsc.received() if message.destination == phone
    ]


async def test_two_long_messages_to_one_phone_across_a_new_bind_do_not_share_a_reference(
    smsc: Smsc, events: RecordingEvents, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The worst luck: every random draw the same. References must still not come back.
    monkeypatch.setattr(secrets, "randbelow", lambda _: 42)
    smsc.drop_after(3, "unbind")  # the SMSC ends the session after the first message
    async with open_channel(smsc, events, clock=clock) as channel:
        await channel.send(sms(PHONE, KAZAKH, 1))
        await on_clock(clock, channel, smsc.wait_for(lambda: smsc.binds == 2))
        assert await on_clock(clock, channel, channel.wait_bound(5.0)), "bound again"
        await channel.send(sms(PHONE, RUSSIAN, 2))
    first, second = references_to(smsc, PHONE.removeprefix("+"))
    assert first is not None and second is not None
    assert second != first, "a phone could splice parts of two messages together"


async def test_each_channel_starts_its_references_somewhere_else(
    smsc: Smsc, events: RecordingEvents, clock: ManualClock
) -> None:
    """Processes (each with its own channel) sending to one phone: a fixed start would make
    them all use the same reference; eight random starts agreeing is a chance of 1 in 256**7."""
    for number in range(8):
        async with open_channel(smsc, events, clock=clock) as channel:
            await channel.send(sms(PHONE, KAZAKH, number))
    assert len(set(references_to(smsc, PHONE.removeprefix("+")))) > 1


@pytest.mark.parametrize(("bits", "count"), [(8, 2), (16, 3)])
async def test_a_bind_with_16_bit_references_cuts_parts_one_character_shorter(
    smsc: Smsc, events: RecordingEvents, bits: int, count: int
) -> None:
    """133 UCS-2 characters: two parts of 67 under an 8-bit reference, three of 66 under a
    16-bit one; either way the phone puts the text together, in the parts the preview said."""
    text = KAZAKH[:133]
    async with open_channel(smsc, events, reference_bits=bits) as channel:
        sent = await channel.send(sms(PHONE, text))
    (message,) = smsc.received()
    assert message.text == text
    assert len(message.parts) == len(sent.part_ids) == count == parts(text, bits)
    assert {part.total for part in message.parts} == {count}
    assert len({part.reference for part in message.parts}) == 1
