"""One row of the list → who it is and what to store, or the problems that keep it out.

A row with any problem is not imported at all (a half-imported person is worse than a
reported one): every problem of the row is reported at once, so the file can be fixed in one
go. Optional cells left empty are not stored, so they never wipe what the person told the bot.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from alerts.registry import values
from alerts.registry.columns import Columns, Field
from alerts.registry.report import Problem
from alerts.registry.sources import Row
from alerts.registry.store import RegistrantKey
from core.said import Said

CONSENT_SOURCE = "list"
CONSENT_FIELDS = ("consent_source", "consent_version", "consent_at")


@dataclass(frozen=True)
class Parsed:
    """One row of a registry file, read and checked."""

    line: int
    key: RegistrantKey
    values: dict[str, Any]
    consent_at_from_file: bool
    """False when the list has no consent date and the import time stands in for it."""


@dataclass
class RowReader:
    """Reads rows of one file; remembers keys seen, to report duplicates inside the file."""

    columns: Columns
    now: datetime
    consent_version: str | None = None
    default_language: str | None = None
    _phones: dict[str, int] = field(default_factory=dict)
    _chats: dict[int, int] = field(default_factory=dict)

    def read(self, row: Row) -> Parsed | list[Problem]:
        problems: list[Problem] = []

        def cell(name: Field) -> str:
            index = self.columns.index.get(name)
            if index is None or index >= len(row.cells):
                return ""
            return row.cells[index].strip()

        def parse(name: Field, reader: Callable[[str], Any], *, required: bool = False) -> Any:
            text = cell(name)
            if not text:
                if required:
                    problems.append(Problem(row.line, name.value, Said("registry.cell.missing")))
                return None
            try:
                return reader(text)
            except values.CellProblem as problem:
                problems.append(Problem(row.line, name.value, problem.reason))
                return None

        phone = parse(Field.PHONE, values.phone)
        chat = parse(Field.TELEGRAM_CHAT_ID, values.chat_id)
        if not cell(Field.PHONE) and not cell(Field.TELEGRAM_CHAT_ID):
            problems.append(Problem(row.line, Field.PHONE.value, Said("registry.row.no_contact")))
        stored: dict[str, Any] = {
            "disability_kinds": parse(
                Field.DISABILITY_KINDS, values.disability_kinds, required=True
            ),
            "region": parse(Field.REGION, values.region, required=True),
            "language": (
                parse(Field.LANGUAGE, values.language, required=self.default_language is None)
                if cell(Field.LANGUAGE) or self.default_language is None
                else self.default_language
            ),
        }
        stored.update(self._coordinates(row.line, cell, problems))
        optional = {
            "contact_phone": parse(Field.CONTACT_PHONE, values.phone),
            "wants_sms": parse(Field.WANTS_SMS, values.yes_no),
            "test_group": parse(Field.TEST_GROUP, values.yes_no),
        }
        stored.update({name: value for name, value in optional.items() if value is not None})
        stored.update(self._consent(row.line, cell, parse, problems))
        problems.extend(self._duplicates(row.line, phone, chat))
        if problems:
            return problems
        key = RegistrantKey(phone=phone, telegram_chat_id=chat)
        if phone is not None:
            self._phones[phone] = row.line
        if chat is not None:
            self._chats[chat] = row.line
        return Parsed(
            row.line, key, stored, consent_at_from_file=Field.CONSENT_DATE in self.columns
        )

    def _coordinates(
        self, line: int, cell: Callable[[Field], str], problems: list[Problem]
    ) -> dict[str, float]:
        """Both or neither; a pair inside Kazakhstan (a swapped pair is named as such)."""
        texts = {Field.LATITUDE: cell(Field.LATITUDE), Field.LONGITUDE: cell(Field.LONGITUDE)}
        given = {name: text for name, text in texts.items() if text}
        if not given:
            return {}
        if len(given) == 1:
            (missing,) = set(texts) - set(given)
            problems.append(Problem(line, missing.value, Said("registry.row.half_coordinates")))
            return {}
        parsed: dict[Field, float] = {}
        for name, text in given.items():
            try:
                parsed[name] = values.coordinate(text)
            except values.CellProblem as problem:
                problems.append(Problem(line, name.value, problem.reason))
        if len(parsed) < 2:
            return {}
        latitude, longitude = parsed[Field.LATITUDE], parsed[Field.LONGITUDE]
        if not values.in_kazakhstan(latitude, longitude):
            reason = Said(
                "registry.row.swapped"
                if values.in_kazakhstan(longitude, latitude)
                else "registry.row.outside"
            )
            problems.append(Problem(line, "coordinates", reason))
            return {}
        return {"latitude": latitude, "longitude": longitude}

    def _consent(
        self,
        line: int,
        cell: Callable[[Field], str],
        parse: Callable[..., Any],
        problems: list[Problem],
    ) -> dict[str, Any]:
        """The list only holds people who consented: a row must say when, or the file as a
        whole stands for it (no consent column: the import time and the given version)."""
        if Field.CONSENT_DATE in self.columns:
            at = parse(
                Field.CONSENT_DATE, lambda text: values.consent_date(text, self.now), required=True
            )
        else:
            at = self.now
        version = parse(Field.CONSENT_VERSION, values.consent_version) or self.consent_version
        if version is None and not cell(Field.CONSENT_VERSION):
            problems.append(
                Problem(line, Field.CONSENT_VERSION.value, Said("registry.cell.missing"))
            )
        return {"consent_source": CONSENT_SOURCE, "consent_version": version, "consent_at": at}

    def _duplicates(self, line: int, phone: str | None, chat: int | None) -> list[Problem]:
        if phone is not None and phone in self._phones:
            first = self._phones[phone]
            return [Problem(line, Field.PHONE.value, Said("registry.row.same_phone", line=first))]
        if chat is not None and chat in self._chats:
            first = self._chats[chat]
            return [
                Problem(
                    line, Field.TELEGRAM_CHAT_ID.value, Said("registry.row.same_chat", line=first)
                )
            ]
        return []
