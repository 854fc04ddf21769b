"""One alert as one recipient gets it: Telegram text, an SMS and a text for speech.

DESIGN.md rule 8: an alert starts with what to do, then what happened, where and until when;
details come last, so whatever a small screen, a braille display or a cut SMS drops is the
least important part. A drill or test says so before anything else, so it can never be
mistaken for a real emergency. Text from the CAP document is used in the language it came
in: when no block matches the recipient's language we send the closest one we have rather
than invent a translation; only our own framing sentences come from the catalogs.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from alerts import sms_text
from alerts.cap.model import CapAlert, Info
from core.i18n import Catalogs
from core.profile import Language, parse_language

FALLBACK_ORDER = (Language.RU, Language.KK, Language.EN)
"""When no block is in the recipient's language: Russian is read most widely in Kazakhstan."""

TIME_FORMAT = "%d.%m %H:%M"
TELEGRAM_LIMIT = 4096
AREAS_LIMIT = 300
DESCRIPTION_LIMIT = 400

_TAG = re.compile(r"<[^>]{0,200}>")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])\s+")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_NOT_SPOKEN = re.compile(r"[^\w\s.,;:!?()«»\"'“”’%…–—-]")
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([.,;:!?])")
_TERMINAL = ".!?…"


@dataclass(frozen=True)
class Rendered:
    """What one recipient is sent; `info_language` is the CAP language the content is in."""

    language: Language
    info_language: str
    text: str
    sms: str
    spoken: str


def choose_info(alert: CapAlert, language: Language) -> Info | None:
    """The info block in `language`, else Russian, Kazakh, English, else the first one.

    CAP languages are RFC 3066 tags ("ru-KZ", "kk", "en-US"); the primary subtag decides.
    A block without <language> is en-US (the model's default, as the spec says).
    """
    for wanted in (language, *FALLBACK_ORDER):
        for info in alert.infos:
            if parse_language(info.language) is wanted:
                return info
    return alert.infos[0] if alert.infos else None


def render(
    alert: CapAlert,
    language: Language,
    catalogs: Catalogs,
    *,
    tz: ZoneInfo,
    reference_bits: int = sms_text.REFERENCE_BITS,
) -> Rendered:
    """`alert` for a recipient who reads `language` and lives in `tz`; the SMS cut for parts
    with a concatenation reference of `reference_bits` (the bind's)."""
    info = choose_info(alert, language)
    lead, details = _sections(alert, info, language, catalogs, tz)
    links = [info.web.strip()] if info is not None and info.web else []
    text = "\n".join(lead)
    if details or links:
        text += "\n\n" + "\n".join([*details, *links])
    return Rendered(
        language=language,
        info_language=info.language if info is not None else language.value,
        text=_shorten(text, TELEGRAM_LIMIT),
        sms=_sms(
            " ".join([*lead, *details]),
            catalogs.text(language, "alert.sms.reply"),
            reference_bits,
        ),
        spoken=_spoken(" ".join([*lead, *details])),
    )


def _sections(
    alert: CapAlert, info: Info | None, language: Language, catalogs: Catalogs, tz: ZoneInfo
) -> tuple[list[str], list[str]]:
    """The lead (marker, action, what, where, until) and the details (instruction, description)."""
    lead: list[str] = []
    if alert.status != "Actual":
        lead.append(catalogs.text(language, _marker(alert.status)))
    steps = _sentences(info.instruction) if info is not None and info.instruction else []
    description = _description(info.description) if info is not None else ""
    if alert.msg_type == "Cancel":
        name = _clean(info.headline or info.event) if info is not None else ""
        if name:
            lead.append(catalogs.text(language, "alert.cancel", headline=name.rstrip(_TERMINAL)))
        else:
            lead.append(catalogs.text(language, "alert.cancel_plain"))
        return lead, [part for part in (" ".join(steps), description) if part]
    action = _sentence(steps[0]) if steps else catalogs.text(language, "alert.default_action")
    if alert.msg_type == "Update":
        action = catalogs.text(language, "alert.update", text=action)
    lead.append(action)
    if info is None:
        return lead, []
    what = _clean(info.headline or info.event)
    if what:
        lead.append(_sentence(what))
    areas = _areas(info)
    if areas:
        lead.append(catalogs.text(language, "alert.area", areas=areas))
    if info.expires is not None:
        until = info.expires.astimezone(tz).strftime(TIME_FORMAT)
        lead.append(catalogs.text(language, "alert.until", time=until))
    return lead, [part for part in (" ".join(steps[1:]), description) if part]


def _marker(status: str) -> str:
    """Exercise is a drill; Test, and System or Draft (never meant for the public), a test."""
    return "alert.exercise" if status == "Exercise" else "alert.test"


def _clean(text: str | None) -> str:
    """CAP free text as one plain line: feeds put HTML (`<br />`, `&nbsp;`) and hard wraps in."""
    if not text:
        return ""
    return " ".join(html.unescape(_TAG.sub(" ", text)).split())


def _sentences(text: str) -> list[str]:
    return [part for part in _SENTENCE_BREAK.split(_clean(text)) if part]


def _sentence(text: str) -> str:
    return text if text.endswith(tuple(_TERMINAL)) else f"{text}."


def _areas(info: Info) -> str:
    names = dict.fromkeys(_clean(area.description).rstrip(_TERMINAL) for area in info.areas)
    return _shorten(", ".join(name for name in names if name), AREAS_LIMIT)


def _description(text: str | None) -> str:
    """The first sentences of the description that fit in `DESCRIPTION_LIMIT` characters."""
    sentences = _sentences(text or "")
    if not sentences:
        return ""
    kept = [sentences[0]]
    for sentence in sentences[1:]:
        if len(" ".join([*kept, sentence])) > DESCRIPTION_LIMIT:
            break
        kept.append(sentence)
    return _shorten(" ".join(kept), DESCRIPTION_LIMIT)


def _shorten(text: str, limit: int) -> str:
    """`text` cut at a word boundary to at most `limit` characters, marked with "…"."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-—") + sms_text.ELLIPSIS


def _sms(body: str, reply_hint: str, reference_bits: int) -> str:
    """`body` and the reply hint in at most three UCS-2 parts; the body is cut, never the hint.

    People answer "1" or "2" by SMS, so the hint must survive however long the alert is.
    """
    body = " ".join(body.split())
    whole = f"{body} {reply_hint}"
    if sms_text.parts(whole, reference_bits) <= sms_text.MAX_PARTS:
        return sms_text.fit(whole, reference_bits=reference_bits)
    room = sms_text.capacity(reference_bits=reference_bits) - sms_text.units(
        f"{sms_text.ELLIPSIS} {reply_hint}"
    )
    cut = body[: max(room, 0)]
    while cut and sms_text.units(cut) > room:
        cut = cut[:-1]
    if " " in cut and not body[len(cut)].isspace():
        cut = cut.rsplit(" ", 1)[0]
    cut = cut.rstrip(" ,;:-—")
    mark = "" if cut.endswith(tuple(_TERMINAL)) else sms_text.ELLIPSIS
    return sms_text.fit(f"{cut}{mark} {reply_hint}", reference_bits=reference_bits)


def _spoken(text: str) -> str:
    """For speech synthesis: no links, no symbols a synthesiser would spell out."""
    text = _NOT_SPOKEN.sub(" ", _URL.sub(" ", text))
    return _SPACE_BEFORE_PUNCTUATION.sub(r"\1", " ".join(text.split()))
