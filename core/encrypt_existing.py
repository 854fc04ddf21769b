"""Encrypting what was written before the data key was set (`komek privacy encrypt-existing`).

Every table with encrypted columns (core.encryption) is walked in primary-key order, a batch
per transaction. A row is rewritten when one of its personal values is still plain text or a
blind index is not the current key's; the rest are left alone. So the work can be stopped at
any point and started again, and running it twice changes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, MetaData, Table, Text, bindparam, func, select, type_coerce, update

from core import encryption
from core.database import SessionFactory
from core.encryption import EncryptedFloat, EncryptedText

BATCH = 500
Progress = Callable[[str, int, int], None]
"""Called after each batch with (table, rows checked, rows in the table)."""


@dataclass(frozen=True)
class Target:
    """A table with personal data to encrypt."""

    table: Table
    key: Column[Any]
    sealed: tuple[Column[Any], ...]
    indexes: tuple[tuple[Column[Any], Column[Any]], ...]
    """(blind index column, the column it indexes)."""


def targets(metadata: MetaData) -> list[Target]:
    """Tables with encrypted columns, each with one integer primary key."""
    found: list[Target] = []
    for table in metadata.sorted_tables:
        sealed = tuple(
            column
            for column in table.columns
            if isinstance(column.type, EncryptedText | EncryptedFloat)
        )
        if not sealed:
            continue
        (key,) = table.primary_key.columns
        indexes = tuple(
            (table.c[index], table.c[source])
            for (name, index), source in sorted(encryption.BLIND_INDEXES.items())
            if name == table.name
        )
        found.append(Target(table, key, sealed, indexes))
    return found


async def encrypt_existing(
    sessions: SessionFactory,
    metadata: MetaData,
    *,
    progress: Progress | None = None,
    batch_size: int = BATCH,
) -> dict[str, int]:
    """Rewrite plain rows encrypted; table name → rows rewritten.

    Raises DataKeyError without a key, or when stored data was encrypted with another key.
    """
    if not encryption.enabled():
        raise encryption.DataKeyError("set KOMEK_DATA_KEY first: there is no key to encrypt with")
    rewritten: dict[str, int] = {}
    for target in targets(metadata):
        rewritten[target.table.name] = await _encrypt_table(sessions, target, progress, batch_size)
    return rewritten


async def _encrypt_table(
    sessions: SessionFactory, target: Target, progress: Progress | None, batch_size: int
) -> int:
    async with sessions() as session:
        total = int(await session.scalar(select(func.count()).select_from(target.table)) or 0)
    raw = [type_coerce(column, Text).label(column.name) for column in target.sealed]
    index_columns = [index for index, _ in target.indexes]
    statement = (
        update(target.table)
        .where(target.key == bindparam("b_key"))
        .values(
            {
                column: bindparam(f"b_{column.name}", type_=column.type)
                for column in (*target.sealed, *index_columns)
            }
        )
    )
    done = rewritten = 0
    last: Any = None
    while True:
        async with sessions.begin() as session:
            query = select(target.key, *raw, *index_columns).order_by(target.key).limit(batch_size)
            if last is not None:
                query = query.where(target.key > last)
            rows = (await session.execute(query)).mappings().all()
            dialect = session.get_bind().dialect
            changes = [
                change
                for row in rows
                if (change := _change(target, row, dialect, target.key.name)) is not None
            ]
            if changes:
                await session.execute(statement, changes)
        done += len(rows)
        rewritten += len(changes)
        if progress is not None:
            progress(target.table.name, done, max(total, done))
        if len(rows) < batch_size:
            return rewritten
        last = rows[-1][target.key.name]


def _change(target: Target, row: Any, dialect: Any, key: str) -> dict[str, Any] | None:
    """The row's values to write again, or None when it is encrypted and indexed already."""
    values = {column.name: _decode(column, row[column.name], dialect) for column in target.sealed}
    stale = any(
        row[column.name] is not None and not encryption.is_sealed(row[column.name])
        for column in target.sealed
    )
    indexes = {
        index.name: encryption.blind_index(values[source.name]) for index, source in target.indexes
    }
    stale = stale or any(row[name] != value for name, value in indexes.items())
    if not stale:
        return None
    return {"b_key": row[key]} | {f"b_{name}": value for name, value in (values | indexes).items()}


def _decode(column: Column[Any], stored: Any, dialect: Any) -> Any:
    """The value a raw stored value stands for (decrypted when it is ciphertext)."""
    kind = column.type
    if stored is None or not isinstance(kind, EncryptedText | EncryptedFloat):
        return stored
    return kind.process_result_value(stored, dialect)


def tables_with_personal_data(metadata: MetaData) -> Sequence[str]:
    """Names of the tables `encrypt_existing` walks, for the progress display."""
    return [target.table.name for target in targets(metadata)]
