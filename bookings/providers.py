"""Providers from providers.yml, seeded into the database idempotently (insert or update)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bookings.models import Provider

PROVIDERS_FILE = Path(__file__).with_name("providers.yml")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True, slots=True)
class ProviderSpec:
    """A provider as written in the file."""

    id: str
    name: str
    region: str
    services: dict[str, int]
    hours: dict[str, list[list[str]]]
    slot_minutes: int = 60
    wheelchair: bool = False
    active: bool = field(default=True)


def _spec(raw: dict[str, Any]) -> ProviderSpec:
    hours = {str(day): [[str(a), str(b)] for a, b in spans] for day, spans in raw["hours"].items()}
    unknown = set(hours) - set(WEEKDAYS)
    if unknown:
        raise ValueError(f"{raw['id']}: unknown weekdays {sorted(unknown)}")
    region = str(raw["region"])
    if not region.isdigit():
        raise ValueError(f"{raw['id']}: region must be a KATO code prefix")
    return ProviderSpec(
        id=str(raw["id"]),
        name=str(raw["name"]),
        region=region,
        services={str(key): int(value) for key, value in raw["services"].items()},
        hours=hours,
        slot_minutes=int(raw.get("slot_minutes", 60)),
        wheelchair=bool(raw.get("wheelchair", False)),
        active=bool(raw.get("active", True)),
    )


def load_providers(path: Path = PROVIDERS_FILE) -> list[ProviderSpec]:
    """Read and check the providers file."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [_spec(item) for item in raw["providers"]]


async def seed_providers(session: AsyncSession, specs: Sequence[ProviderSpec]) -> int:
    """Insert new providers and update changed ones; returns how many rows were written."""
    existing = {row.id: row for row in await session.scalars(select(Provider))}
    written = 0
    for spec in specs:
        values = {
            "name": spec.name,
            "region_prefix": spec.region,
            "services": dict(spec.services),
            "hours": {day: [list(span) for span in spans] for day, spans in spec.hours.items()},
            "slot_minutes": spec.slot_minutes,
            "wheelchair": spec.wheelchair,
            "active": spec.active,
        }
        row = existing.get(spec.id)
        if row is None:
            session.add(Provider(id=spec.id, **values))
            written += 1
            continue
        if any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            written += 1
    await session.flush()
    return written
