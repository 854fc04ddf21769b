"""Which column of the official list holds which field, from header names in kk/ru/en.

Lists come from different offices with headers written by hand ("Телефон", "Тел. моб.",
"телефон нөмірі", "Phone"), so a header is matched after folding (`core.text.fold`): an exact
alias wins, otherwise the longest alias found as whole words inside the header. An explicit
mapping (`{"phone": "Тел. моб."}`) overrides the guess for its field.

Data minimisation: only the fields below are read. Names (ФИО, аты-жөні), IIN, addresses and
birth dates are not needed to warn somebody, so their columns are never read; they are
recognised only so that, for example, "Адрес (город)" is not mistaken for the region.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from core.said import Said
from core.text import fold


class Field(StrEnum):
    """A field of the list, named as in `--map field=Column`."""

    PHONE = "phone"
    TELEGRAM_CHAT_ID = "telegram_chat_id"
    DISABILITY_KINDS = "disability_kinds"
    LANGUAGE = "language"
    REGION = "region"
    LATITUDE = "latitude"
    LONGITUDE = "longitude"
    CONTACT_PHONE = "contact_phone"
    WANTS_SMS = "wants_sms"
    TEST_GROUP = "test_group"
    CONSENT_DATE = "consent_date"
    CONSENT_VERSION = "consent_version"


_NOT_IMPORTED = "not imported"

# Alias groups in order of preference: a header matching an earlier group of the same field
# wins over one matching a later group (a KATO code column over a region name column).
# fmt: off
_ALIASES: dict[str, tuple[tuple[str, ...], ...]] = {
    Field.PHONE: (
        (
            "phone", "phone number", "mobile", "mobile phone", "cell phone", "телефон", "тел",
            "тел моб", "моб тел", "моб", "мобильный", "мобильный телефон", "номер телефона",
            "сотовый", "сотовый телефон", "контактный телефон", "телефон нөмірі", "ұялы телефон",
            "байланыс телефоны", "phone e164",
        ),
    ),
    Field.TELEGRAM_CHAT_ID: (
        (
            "telegram", "telegram chat id", "telegram id", "chat id", "telegram_chat_id",
            "телеграм", "телеграмм", "телеграм id", "телеграм чат",
        ),
    ),
    Field.DISABILITY_KINDS: (
        (
            "disability", "disabilities", "disability kind", "disability kinds",
            "disability_kinds", "type of disability", "impairment", "инвалидность",
            "вид инвалидности", "тип инвалидности", "вид нарушения", "нарушение", "нарушения",
            "категория", "мүгедектік", "мүгедектік түрі", "бұзылыс түрі",
        ),
    ),
    Field.LANGUAGE: (
        (
            "language", "lang", "preferred language", "язык", "язык общения", "тіл", "тілі",
            "байланыс тілі",
        ),
    ),
    Field.REGION: (
        ("kato", "kato code", "като", "код като", "като коды"),
        (
            "region", "region code", "область", "регион", "город", "облыс", "облысы", "өңір",
            "аймақ", "қала",
        ),
    ),
    Field.LATITUDE: (("latitude", "lat", "широта", "ендік"),),
    Field.LONGITUDE: (("longitude", "lon", "lng", "long", "долгота", "бойлық"),),
    Field.CONTACT_PHONE: (
        (
            "contact_phone", "contact person", "contact person phone", "emergency contact",
            "trusted person", "контактное лицо", "телефон контактного лица",
            "телефон доверенного лица", "телефон родственника", "сенім білдірілген адам",
            "сенім білдірілген адамның телефоны", "туысының телефоны",
        ),
    ),
    Field.WANTS_SMS: (
        ("sms", "wants sms", "wants_sms", "send sms", "смс", "sms оповещение", "согласие на смс",
         "смс хабарлама"),
    ),
    Field.TEST_GROUP: (
        ("test group", "test_group", "тестовая группа", "тест", "сынақ тобы", "тест тобы"),
    ),
    Field.CONSENT_DATE: (
        (
            "consent", "consent date", "consent_date", "date of consent", "согласие",
            "дата согласия", "келісім", "келісім күні", "келісім берілген күні",
        ),
    ),
    Field.CONSENT_VERSION: (
        ("consent version", "consent_version", "версия согласия", "келісім нұсқасы"),
    ),
    _NOT_IMPORTED: (
        (
            "фио", "ф и о", "фамилия", "имя", "отчество", "name", "full name", "surname",
            "аты жөні", "тегі", "аты", "иин", "жсн", "iin", "адрес", "address", "мекенжай",
            "дата рождения", "birth date", "date of birth", "туған күні", "паспорт", "passport",
        ),
    ),
}
# fmt: on


def _folded() -> dict[str, tuple[frozenset[str], ...]]:
    return {
        field: tuple(frozenset(fold(alias) for alias in group) for group in groups)
        for field, groups in _ALIASES.items()
    }


_FOLDED = _folded()
REQUIRED = (Field.REGION, Field.DISABILITY_KINDS)
"""Fields without which no row can be imported (besides a phone or a Telegram chat id)."""


class ColumnError(Exception):
    """The header cannot be used: a field is missing, ambiguous or mapped to no column."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Columns:
    """Where each field is: a 0-based column index, and the header names left unread."""

    index: Mapping[Field, int]
    headers: Mapping[Field, str]
    not_read: tuple[str, ...]

    def __contains__(self, field: object) -> bool:
        return field in self.index


def _score(header: str, aliases: frozenset[str]) -> tuple[bool, int] | None:
    """How well a folded header matches a group: exact beats contained, longer beats shorter."""
    if header in aliases:
        return (True, len(header))
    padded = f" {header} "
    found = [len(alias) for alias in aliases if f" {alias} " in padded]
    return (False, max(found)) if found else None


def _guess(header: str) -> tuple[str, tuple[bool, int, int]] | None:
    """The field a header most likely holds, with a score; names etc. win ties (never read)."""
    best: tuple[str, tuple[bool, int, int]] | None = None
    for field, groups in _FOLDED.items():
        for preference, aliases in enumerate(groups):
            score = _score(header, aliases)
            if score is None:
                continue
            ranked = (score[0], score[1], -preference)
            if best is None or ranked > best[1] or (ranked == best[1] and field == _NOT_IMPORTED):
                best = (field, ranked)
    return best


def resolve(header: Sequence[str], mapping: Mapping[str, str] | None = None) -> Columns:
    """Find the fields in a header row; `mapping` (field → header) overrides the guess."""
    folded = [fold(name) for name in header]
    index: dict[Field, int] = {}
    for name, column in (mapping or {}).items():
        field = _field(name)
        wanted = fold(column)
        matches = [i for i, have in enumerate(folded) if have == wanted and wanted]
        if not matches:
            raise ColumnError(
                Said("registry.columns.not_in_header", column=column, field=field.value)
            )
        if len(matches) > 1:
            raise ColumnError(Said("registry.columns.twice", column=column))
        index[field] = matches[0]
    taken = set(index.values())
    candidates: dict[Field, list[tuple[tuple[bool, int, int], int]]] = {}
    for i, name in enumerate(folded):
        guessed = _guess(name) if i not in taken and name else None
        if guessed is None or guessed[0] == _NOT_IMPORTED:
            continue
        field = Field(guessed[0])
        if field not in index:
            candidates.setdefault(field, []).append((guessed[1], i))
    for field, found in candidates.items():
        found.sort(reverse=True)
        if len(found) > 1 and found[0][0] == found[1][0]:
            names = ", ".join(f'"{header[i]}"' for _, i in found)
            raise ColumnError(Said("registry.columns.ambiguous", field=field.value, names=names))
        index[field] = found[0][1]
    used = set(index.values())
    return Columns(
        index=index,
        headers={field: header[i] for field, i in index.items()},
        not_read=tuple(name for i, name in enumerate(header) if i not in used and name.strip()),
    )


def _field(name: str) -> Field:
    try:
        return Field(name.strip().lower())
    except ValueError:
        known = ", ".join(field.value for field in Field)
        raise ColumnError(Said("registry.columns.unknown_field", name=name, known=known)) from None
