"""Reading one cell of the list: phones, disability words, languages, regions, dates, yes/no.

Each reader takes the cell's text and returns the stored value, or raises `CellProblem` with
a short plain-English reason. Reasons never repeat the cell: it is personal data, and the
report names the line and the field, which is enough to find it.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from alerts.registry import regions
from core.localtime import LOCAL_ZONE
from core.profile import DisabilityKind, Language
from core.said import Said
from core.text import fold

KAZAKHSTAN_BOUNDS = ((40.5, 55.5), (46.0, 87.5))
"""(latitude range, longitude range) around Kazakhstan, as `regions.by_point` uses."""


class CellProblem(ValueError):
    """A cell that cannot be used, with a short reason that holds no personal data."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
        """In English, and with its catalog key when it is `Said`."""


_MOBILE = {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}


def phone(text: str) -> str:
    """A mobile number in E.164; Kazakh national forms (8 701 …, 701 …) are understood.

    Only mobile numbers are accepted: the number is where SMS warnings go.
    """
    try:
        number = phonenumbers.parse(text, "KZ")
    except phonenumbers.NumberParseException:
        raise CellProblem(Said("registry.cell.not_phone")) from None
    kind = phonenumbers.number_type(number)  # UNKNOWN when the number is not valid
    if kind == PhoneNumberType.UNKNOWN:
        raise CellProblem(Said("registry.cell.bad_phone"))
    if kind not in _MOBILE:
        raise CellProblem(Said("registry.cell.not_mobile"))
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def chat_id(text: str) -> int:
    """A Telegram chat id: a person's chat is a positive whole number."""
    cleaned = text.strip().removesuffix(".0")
    if not cleaned.isdigit() or int(cleaned) == 0:
        raise CellProblem(Said("registry.cell.not_chat"))
    return int(cleaned)


# Words people write for each kind, in kk/ru/en (folded when the table is built).
# fmt: off
_KIND_WORDS: dict[DisabilityKind, tuple[str, ...]] = {
    DisabilityKind.BLIND: (
        "blind", "totally blind", "незрячий", "незрячая", "незрячие", "слепой", "слепая",
        "слепые", "тотально слепой", "нет зрения", "зағип", "соқыр", "көзі көрмейтін",
        "көрмейтін",
    ),
    DisabilityKind.LOW_VISION: (
        "low vision", "low_vision", "visually impaired", "partially sighted", "слабовидящий",
        "слабовидящая", "слабовидящие", "слабое зрение", "нарушение зрения", "по зрению",
        "нашар көретін", "көру қабілеті нашар", "көзі нашар",
    ),
    DisabilityKind.DEAF: (
        "deaf", "глухой", "глухая", "глухие", "неслышащий", "неслышащая", "неслышащие",
        "саңырау", "естімейтін", "құлағы естімейтін",
    ),
    DisabilityKind.HARD_OF_HEARING: (
        "hard of hearing", "hard_of_hearing", "hearing impaired", "слабослышащий",
        "слабослышащая", "слабослышащие", "тугоухий", "нарушение слуха", "по слуху",
        "нашар еститін", "нашар естітін", "есту қабілеті нашар",
    ),
    DisabilityKind.DEAFBLIND: (
        "deafblind", "deaf blind", "слепоглухой", "слепоглухая", "слепоглухие",
        "слепоглухота", "зағип саңырау", "саңырау зағип", "саңырау соқыр",
    ),
    DisabilityKind.MOBILITY: (
        "mobility", "wheelchair", "wheelchair user", "колясочник", "колясочница",
        "опорно двигательный", "опорно двигательный аппарат", "ода",
        "нарушение опорно двигательного аппарата", "тірек қимыл", "тірек қимыл аппараты",
        "арбамен жүреді",
    ),
    DisabilityKind.OTHER: ("other", "другое", "другая", "иное", "басқа", "басқасы"),
}
# fmt: on
_KINDS_BY_WORD = {fold(word): kind for kind, words in _KIND_WORDS.items() for word in words}
_KIND_SEPARATORS = re.compile(r"[,;/|+\n]|\s(?:и|және|жане|and|&)\s", re.IGNORECASE)


def disability_kinds(text: str) -> list[str]:
    """Kinds named in a cell ("незрячий, слабослышащий"), in the order of `DisabilityKind`.

    "Blind" and "deaf" in one cell mean deafblind: such a person reads text on a braille
    display and must not be sent voice notes meant for blind people.
    """
    found: set[DisabilityKind] = set()
    for part in _KIND_SEPARATORS.split(text):
        word = fold(part)
        if not word:
            continue
        kind = _KINDS_BY_WORD.get(word)
        if kind is None:
            raise CellProblem(Said("registry.cell.unknown_disability"))
        found.add(kind)
    if not found:
        raise CellProblem(Said("registry.cell.missing"))
    if {DisabilityKind.BLIND, DisabilityKind.DEAF} <= found:
        found -= {DisabilityKind.BLIND, DisabilityKind.DEAF}
        found.add(DisabilityKind.DEAFBLIND)
    return [kind.value for kind in DisabilityKind if kind in found]


# fmt: off
_LANGUAGE_WORDS: dict[Language, tuple[str, ...]] = {
    Language.KK: (
        "kk", "kaz", "kz", "kazakh", "қазақ", "қазақша", "қазақ тілі", "казахский",
        "казахский язык", "каз", "казах",
    ),
    Language.RU: (
        "ru", "rus", "russian", "орыс", "орысша", "орыс тілі", "русский", "русский язык", "рус",
    ),
    Language.EN: (
        "en", "eng", "english", "ағылшын", "ағылшынша", "ағылшын тілі", "английский",
        "английский язык", "англ",
    ),
}
# fmt: on
_LANGUAGES_BY_WORD = {fold(word): lang for lang, words in _LANGUAGE_WORDS.items() for word in words}


def language(text: str) -> str:
    """A language code from a code ("ru", "ru-RU") or a name in kk/ru/en ("қазақша")."""
    found = _LANGUAGES_BY_WORD.get(fold(text)) or _LANGUAGES_BY_WORD.get(
        fold(re.split(r"[-_]", text.strip())[0])
    )
    if found is None:
        raise CellProblem(Said("registry.cell.unknown_language"))
    return found.value


def region(text: str) -> str:
    """A KATO code without trailing zeros, from a code ("750000000") or a region's name."""
    cleaned = text.strip().removesuffix(".0")
    if cleaned.isdigit():
        code = regions.normalise_code(cleaned)
        if code is None:
            raise CellProblem(Said("registry.cell.not_kato"))
        return code
    found = regions.by_name(cleaned)
    if found is None:
        raise CellProblem(Said("registry.cell.unknown_region"))
    return found.code


def coordinate(text: str) -> float:
    """A number in degrees; a decimal comma ("43,238") is accepted."""
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        raise CellProblem(Said("registry.cell.not_degrees")) from None


def in_kazakhstan(latitude: float, longitude: float) -> bool:
    (south, north), (west, east) = KAZAKHSTAN_BOUNDS
    return south <= latitude <= north and west <= longitude <= east


_YES = {fold(word) for word in ("да", "д", "yes", "y", "true", "1", "+", "иә", "ия", "ие", "x")}
_NO = {fold(word) for word in ("нет", "н", "no", "n", "false", "0", "жоқ", "жок")}


def yes_no(text: str) -> bool:
    """Yes or no in kk/ru/en ("да", "иә", "yes", "1", "+"; "нет", "жоқ", "no", "0")."""
    word = fold(text.strip().removesuffix(".0"))
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise CellProblem(Said("registry.cell.not_yes_no"))


_DAY_FIRST = re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{4})(?:\s+(\d{1,2}):(\d{2})(?::\d{2})?)?")


def consent_date(text: str, now: datetime) -> datetime:
    """When consent was given, in UTC, from an ISO date or a day-first one ("01.03.2025").

    Dates without a zone are Kazakhstan's local time; a date alone is its local midnight.
    """
    moment = _parse_moment(text.strip())
    if moment is None:
        raise CellProblem(Said("registry.cell.not_date"))
    moment = moment.astimezone(UTC)
    if moment > now:
        raise CellProblem(Said("registry.cell.future"))
    return moment


def _parse_moment(text: str) -> datetime | None:
    """An aware moment; one written without a zone is local time."""
    matched = _DAY_FIRST.fullmatch(text)
    try:
        if matched:
            day, month, year, hour, minute = (int(part or 0) for part in matched.groups())
            return datetime(year, month, day, hour, minute, tzinfo=LOCAL_ZONE)
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time(0), tzinfo=LOCAL_ZONE)
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=LOCAL_ZONE)


def consent_version(text: str) -> str:
    """A consent text's version, as short as the table holds."""
    cleaned = text.strip()
    if len(cleaned) > 16:
        raise CellProblem(Said("registry.cell.too_long", most=16))
    return cleaned
