"""What one ledger row becomes on the wire: the message, and the send-limit lane it waits in.

Telegram gets the alert's text (a reminder first on an escalation step), with a voice note for
blind and low-vision people; SMS gets the alert's SMS text, and a contact person a short note
naming the person and the alert; somebody who answered by SMS a short acknowledgement.
"""

from __future__ import annotations

from alerts.channels.base import Outgoing
from alerts.fanout import ledger
from alerts.fanout.sms_ack import ACK_KEYS
from alerts.fanout.sms_talk import ENDED_KEY, WORDS_KEY
from alerts.fanout.texts import AlertInfo, AlertTexts
from alerts.models import Channel as ChannelName
from alerts.targeting import telegram_form

ANSWERING = (ChannelName.SMS_ACK, ChannelName.SMS_TALK)
"""SMS that answer a person: sent even after the alert expired, with no validity of its own."""
TELEGRAM_LANE = "telegram"
PAID_TELEGRAM_LANE = "telegram_paid"
"""Rate-limit lanes: Telegram, and Telegram with paid broadcasts. SMS channels pace themselves."""


async def outgoing(
    row: ledger.Claimed, info: AlertInfo, texts: AlertTexts, *, paid_broadcast: bool
) -> tuple[Outgoing, str | None, str | None]:
    """The message for `row`, the lane it waits in (None: the channel paces itself) and the
    chat it goes to (for the limit per chat). LookupError when the row has no address."""
    rendered = await texts.rendered(row.alert_id, row.language)
    key = f"{row.alert_id}:{row.registrant_id}:{row.channel}:{row.step}"
    reminder = row.step > 0
    if row.channel == ChannelName.TELEGRAM:
        if row.chat_id is None:
            raise LookupError("no Telegram chat")
        text = rendered.text
        if reminder:
            text = f"{texts.text(row.language, 'escalation.reminder')}\n\n{text}"
        voice = None
        if telegram_form(row.disability_kinds) == "voice" and not row.voice_refused:
            voice = await texts.voice(row.alert_id, row.language)
        paid = paid_broadcast and info.actual
        message = Outgoing(
            key=key,
            delivery_id=row.id,
            alert_id=row.alert_id,
            language=rendered.language.value,
            text=text,
            chat_id=row.chat_id,
            voice=voice,
            answer_buttons=info.cap.msg_type != "Cancel",
            paid_broadcast=paid,
        )
        lane = PAID_TELEGRAM_LANE if paid else TELEGRAM_LANE
        return message, lane, str(row.chat_id)
    if row.channel == ChannelName.CONTACT_SMS:
        if row.contact_phone is None:
            raise LookupError("no contact phone")
        headline = rendered.sms.split(".")[0]
        text = texts.text(row.language, "escalation.contact", alert=headline, phone=row.phone or "")
        phone = row.contact_phone
    elif row.channel == ChannelName.SMS_ACK:
        if row.phone is None:
            raise LookupError("no phone")
        text = texts.text(row.language, ACK_KEYS[row.step])
        phone = row.phone
    elif row.channel == ChannelName.SMS_TALK:
        if row.phone is None:
            raise LookupError("no phone")
        if row.step > 0:
            name, words = await texts.help_words(row.step)
            text = texts.text(row.language, WORDS_KEY, name=name, text=words)
        else:
            text = texts.text(row.language, ENDED_KEY)
        phone = row.phone
    else:
        if row.phone is None:
            raise LookupError("no phone")
        text = rendered.sms
        phone = row.phone
    acknowledging = row.channel in ANSWERING
    message = Outgoing(
        key=key,
        delivery_id=row.id,
        alert_id=row.alert_id,
        language=rendered.language.value,
        text=text,
        phone=phone,
        answer_buttons=row.channel == ChannelName.SMS and info.cap.msg_type != "Cancel",
        expires=None if acknowledging else info.expires,
    )
    return message, None, None
