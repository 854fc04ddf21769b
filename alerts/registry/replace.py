"""An import that replaces the list of a region: who is no longer on it is marked inactive.

Importing adds and updates; it never removes anybody. When the office sends the whole list of
a region (or of the country) and asks for it to replace what is stored (`--replace-region KATO`
or `--full-list`), registrants of that region who came from the list and whom the file no
longer names are marked inactive: they get no more alerts, and retention deletes them after
KOMEK_RETENTION_INACTIVE_REGISTRANT_DAYS. Somebody named again by a later list is active again.

People who joined through the bot or the console are not on the official list and are never
marked inactive by it. A row that was not imported still names its person when its phone or
chat id can be read. A row naming nobody readable could be anybody's (a mistyped phone), so
then nobody is marked inactive and the report says why: a person must not stop getting
warnings because of a typing mistake.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from alerts.models import Registrant
from alerts.registry import values
from alerts.registry.columns import Columns, Field
from alerts.registry.rows import CONSENT_SOURCE
from alerts.registry.sources import Row
from alerts.registry.store import RegistrantKey

PAGE = 1000
T = TypeVar("T")


@dataclass(frozen=True)
class Replacement:
    """What the file replaces: a region (a KATO code without trailing zeros), or everything."""

    region: str | None = None

    @classmethod
    def of_region(cls, text: str) -> Replacement:
        """From a KATO code or a region's name; ValueError when it is neither."""
        try:
            return cls(values.region(text))
        except values.CellProblem as problem:
            raise ValueError(problem.reason) from None

    @property
    def label(self) -> str:
        """For the audit log and the report: the code, or "all"."""
        return self.region or "all"


@dataclass
class Listed:
    """Who the file names: phones and chat ids, and how many rows name nobody readable."""

    phones: set[str] = field(default_factory=set)
    chats: set[int] = field(default_factory=set)
    unidentified: int = 0

    def add(self, key: RegistrantKey | None) -> None:
        if key is None:
            self.unidentified += 1
            return
        if key.phone is not None:
            self.phones.add(key.phone)
        if key.telegram_chat_id is not None:
            self.chats.add(key.telegram_chat_id)

    def names(self, phone: str | None, chat: int | None) -> bool:
        return (phone is not None and phone in self.phones) or (
            chat is not None and chat in self.chats
        )


def key_of(columns: Columns, row: Row) -> RegistrantKey | None:
    """Whom a row names by its readable phone or chat id, whatever else is wrong with it."""

    def cell(name: Field) -> str:
        index = columns.index.get(name)
        return row.cells[index].strip() if index is not None and index < len(row.cells) else ""

    phone = _readable(cell(Field.PHONE), values.phone)
    chat = _readable(cell(Field.TELEGRAM_CHAT_ID), values.chat_id)
    if phone is None and chat is None:
        return None
    return RegistrantKey(phone=phone, telegram_chat_id=chat)


def _readable(text: str, reader: Callable[[str], T]) -> T | None:
    if not text:
        return None
    try:
        return reader(text)
    except values.CellProblem:
        return None


async def deactivate_missing(
    session: AsyncSession, listed: Listed, replacement: Replacement, now: datetime
) -> int:
    """Mark inactive the active list registrants of the region the file does not name."""
    where = [Registrant.active.is_(True), Registrant.consent_source == CONSENT_SOURCE]
    if replacement.region is not None:
        where.append(Registrant.region.like(f"{replacement.region}%"))
    missing: list[int] = []
    last_id = 0
    while True:
        page = (
            await session.execute(
                select(Registrant.id, Registrant.phone, Registrant.telegram_chat_id)
                .where(*where, Registrant.id > last_id)
                .order_by(Registrant.id)
                .limit(PAGE)
            )
        ).all()
        missing.extend(row.id for row in page if not listed.names(row.phone, row.telegram_chat_id))
        if len(page) < PAGE:
            break
        last_id = page[-1].id
    for start in range(0, len(missing), PAGE):
        await session.execute(
            update(Registrant)
            .where(Registrant.id.in_(missing[start : start + PAGE]))
            .values(active=False, inactive_since=now, updated_at=now)
            .execution_options(synchronize_session=False)
        )
    return len(missing)
