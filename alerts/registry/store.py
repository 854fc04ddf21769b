"""Storing registrants: found by phone, else by Telegram chat; created or updated in place.

Shared by the list import and by self-registration in the bot, so that both agree on who is
the same person: the phone (E.164) identifies a registrant first, the Telegram chat id
second. A registrant is never duplicated, and an update that changes nothing does not touch
`updated_at`, which makes importing the same list twice a no-op.

For one person call `upsert`. For many, a `Batch` loads everyone a batch of keys may touch
in two queries, collects the changes, and writes them as one multi-row INSERT and UPDATE:
building ORM objects row by row made a 100,000-row import several times slower.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from alerts.models import Registrant
from core.encryption import blind_index, lookup_values
from core.said import Said

_TABLE = Registrant.__table__
_NOT_VALUES = frozenset(
    {"id", "phone", "phone_hash", "telegram_chat_id", "created_at", "updated_at"}
)
SETTABLE = frozenset(_TABLE.columns.keys()) - _NOT_VALUES
"""Columns `values` may set; the keys are given separately and times are set here."""
NEW_DEFAULTS: Mapping[str, Any] = {
    "person_id": None,
    "latitude": None,
    "longitude": None,
    "contact_phone": None,
    "wants_sms": False,
    "telegram_unreachable_at": None,
    "active": True,
    "test_group": False,
    "disability_kinds": [],
}
"""What a new registrant has unless `values` says otherwise."""


@dataclass(frozen=True)
class RegistrantKey:
    """Who somebody is: a phone (E.164), a Telegram chat id, or both."""

    phone: str | None = None
    telegram_chat_id: int | None = None

    def __post_init__(self) -> None:
        if self.phone is None and self.telegram_chat_id is None:
            raise ValueError("a registrant needs a phone or a Telegram chat id")


class Outcome(StrEnum):
    """What storing one row did to the list: created, updated or left unchanged."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


class KeyConflict(Exception):
    """The phone belongs to one registrant and the Telegram chat to another."""


def _check(values: Mapping[str, Any]) -> None:
    unknown = set(values) - SETTABLE
    if unknown:
        raise ValueError(f"not registrant values: {', '.join(sorted(unknown))}")


class Batch:
    """The registrants a batch of keys may touch, as plain rows, and the changes to them."""

    def __init__(self, rows: Iterable[Mapping[str, Any]] = ()) -> None:
        self._by_phone: dict[str, dict[str, Any]] = {}
        self._by_chat: dict[int, dict[str, Any]] = {}
        self._new: list[dict[str, Any]] = []
        self._changed: dict[int, dict[str, Any]] = {}
        """Registrant id → the columns that changed, with their new values."""
        for row in rows:
            self._index(dict(row))

    @classmethod
    async def load(cls, session: AsyncSession, keys: Iterable[RegistrantKey]) -> Batch:
        keys = list(keys)
        phones = {key.phone for key in keys if key.phone is not None}
        chats = {key.telegram_chat_id for key in keys if key.telegram_chat_id is not None}
        if not phones and not chats:
            return cls()
        hashes = {value for phone in phones for value in lookup_values(phone)}
        query = select(_TABLE).where(
            or_(_TABLE.c.phone_hash.in_(hashes), _TABLE.c.telegram_chat_id.in_(chats))
        )
        result = await session.execute(query)
        return cls(row._asdict() for row in result)

    def _index(self, row: dict[str, Any]) -> None:
        if row["phone"] is not None:
            self._by_phone[row["phone"]] = row
        if row["telegram_chat_id"] is not None:
            self._by_chat[row["telegram_chat_id"]] = row

    def find(self, key: RegistrantKey) -> Mapping[str, Any] | None:
        """The stored registrant with this phone, else this chat (as a row of values).

        Raises KeyConflict when the phone and the chat belong to two different registrants.
        """
        return self._find(key)

    def _find(self, key: RegistrantKey) -> dict[str, Any] | None:
        by_phone = self._by_phone.get(key.phone) if key.phone is not None else None
        by_chat = (
            self._by_chat.get(key.telegram_chat_id) if key.telegram_chat_id is not None else None
        )
        if by_phone is not None and by_chat is not None and by_phone is not by_chat:
            raise KeyConflict(Said("registry.row.chat_other_phone"))
        return by_phone if by_phone is not None else by_chat

    def put(self, key: RegistrantKey, values: Mapping[str, Any], now: datetime) -> Outcome:
        """Plan creating or updating the registrant of `key`; `write` stores it.

        A new registrant needs at least language, region and the consent fields in `values`.
        Keys given are set too: a person found by their chat gets the phone in `key`.
        """
        _check(values)
        found = self._find(key)
        wanted = dict(values)
        wanted.update(
            (name, value)
            for name, value in (("phone", key.phone), ("telegram_chat_id", key.telegram_chat_id))
            if value is not None
        )
        if found is None:
            row = {**NEW_DEFAULTS, "phone": None, "telegram_chat_id": None, **wanted}
            row |= {"created_at": now, "updated_at": now, "phone_hash": blind_index(row["phone"])}
            self._new.append(row)
            self._index(row)
            return Outcome.CREATED
        changes = {name: value for name, value in wanted.items() if found[name] != value}
        if not changes:
            return Outcome.UNCHANGED
        if "phone" in changes:
            changes["phone_hash"] = blind_index(changes["phone"])
        if "phone" in changes and found["phone"] is not None:
            del self._by_phone[found["phone"]]
        if "telegram_chat_id" in changes and found["telegram_chat_id"] is not None:
            del self._by_chat[found["telegram_chat_id"]]
        changes["updated_at"] = now
        found.update(changes)  # in place: a row planned for INSERT is written as changed
        if "id" in found:
            self._changed.setdefault(found["id"], {}).update(changes)
        self._index(found)
        return Outcome.UPDATED

    async def write(self, session: AsyncSession) -> None:
        """One multi-row INSERT for the new, one UPDATE per set of changed columns."""
        if self._new:
            await session.execute(insert(Registrant), self._new)
        groups: dict[frozenset[str], list[dict[str, Any]]] = {}
        for registrant_id, changes in self._changed.items():
            groups.setdefault(frozenset(changes), []).append({"id": registrant_id, **changes})
        for rows in groups.values():
            await session.execute(update(Registrant), rows)
        self._new, self._changed = [], {}


async def upsert(
    session: AsyncSession, key: RegistrantKey, values: Mapping[str, Any], now: datetime
) -> tuple[Registrant, Outcome]:
    """Create or update one registrant (the bot's self-registration, the console).

    Raises KeyConflict when the phone and the chat belong to two different registrants.
    """
    batch = await Batch.load(session, [key])
    outcome = batch.put(key, values, now)
    await batch.write(session)
    found = (
        Registrant.phone_hash.in_(lookup_values(key.phone))
        if key.phone is not None
        else Registrant.telegram_chat_id == key.telegram_chat_id
    )
    query = select(Registrant).where(found).execution_options(populate_existing=True)
    return (await session.scalars(query)).one(), outcome
