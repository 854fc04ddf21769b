"""Who an alert reaches, and on which channels: the recipients of a broadcast, streamed.

`targets` reads active registrants in id order, a page at a time (keyset pagination), so a
broadcast to 100,000 people never holds them all. The database does the cheap part (region
code prefixes, coordinate boxes, language, test group); the exact geometry, the fallback to a
region (see `alerts.areas`) and the disability filter run here.

Channels follow who the person is: a Telegram text for deaf, hard-of-hearing and deafblind
people (a braille display reads text, not voice); a voice note with its text for blind and
low-vision people, who also get an SMS, which their phone reads aloud even when Telegram is
closed; SMS for everybody whose Telegram does not work, and for anybody who asked for it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

from sqlalchemy import ColumnElement, Float, and_, cast, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from alerts.areas import Box, Match, TargetArea, compile_area
from alerts.cap.model import CapAlert
from alerts.models import Channel, Registrant
from core import encryption
from core.profile import DisabilityKind, Language
from core.said import Said

SEEING_IMPAIRED = frozenset({DisabilityKind.BLIND.value, DisabilityKind.LOW_VISION.value})
_KINDS = frozenset(kind.value for kind in DisabilityKind)
_LANGUAGES = frozenset(language.value for language in Language)


@dataclass(frozen=True)
class Audience:
    """Whom among the people in the area: disability kinds and languages (empty = all).

    Unknown values raise ValueError: a misspelt kind must not quietly reach nobody.

    A deafblind person belongs to a "blind" and to a "deaf" audience: they can neither see a
    screen nor hear a siren. Somebody listed as both blind and deaf belongs to "deafblind".
    """

    kinds: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        # Frozen, so normalised through object.__setattr__: "Deaf " means "deaf".
        object.__setattr__(self, "kinds", frozenset(k.strip().lower() for k in self.kinds))
        object.__setattr__(self, "languages", frozenset(x.strip().lower() for x in self.languages))
        unknown = (self.kinds - _KINDS) | (self.languages - _LANGUAGES)
        if unknown:
            raise ValueError(Said("alerts.targeting.unknown", values=", ".join(sorted(unknown))))

    def as_json(self) -> dict[str, list[str]]:
        """As stored with an alert (`alerts.audience`)."""
        return {"kinds": sorted(self.kinds), "languages": sorted(self.languages)}

    @classmethod
    def from_json(cls, data: Mapping[str, Iterable[str]]) -> Audience:
        return cls(
            kinds=frozenset(data.get("kinds", ())), languages=frozenset(data.get("languages", ()))
        )

    def admits(self, registrant: Registrant) -> bool:
        return self.admits_profile(registrant.language, registrant.disability_kinds)

    def admits_profile(self, language: str, kinds: Collection[str]) -> bool:
        """Whether somebody with this language and these disability kinds is in the audience."""
        if self.languages and language not in self.languages:
            return False
        if not self.kinds:
            return True
        return bool(_effective_kinds(kinds) & self.kinds)


def test_group_only(alert: CapAlert) -> bool:
    """Exercise and Test alerts (anything but Actual) go to the test group only."""
    return alert.status != "Actual"


def _effective_kinds(declared: Collection[str]) -> set[str]:
    kinds = set(declared)
    if DisabilityKind.DEAFBLIND in kinds:
        kinds |= {DisabilityKind.BLIND.value, DisabilityKind.DEAF.value}
    if {DisabilityKind.BLIND.value, DisabilityKind.DEAF.value} <= kinds:
        kinds.add(DisabilityKind.DEAFBLIND.value)
    return kinds


_CANNOT_HEAR = frozenset({DisabilityKind.DEAFBLIND.value, DisabilityKind.DEAF.value})


def telegram_form(who: Registrant | Collection[str]) -> Literal["text", "voice"]:
    """A voice note (with its text) for blind and low-vision people; text for everyone else.

    Takes a registrant or their disability kinds. Deafblind people get text (a braille
    display reads it), and so does somebody listed as both blind and deaf.
    """
    kinds = set(who.disability_kinds if isinstance(who, Registrant) else who)
    if kinds & SEEING_IMPAIRED and not kinds & _CANNOT_HEAR:
        return "voice"
    return "text"


class Reachable(Protocol):
    """What a person's channels depend on: a registrant, or a row of `PLANNED_ON`."""

    @property
    def id(self) -> int: ...
    @property
    def language(self) -> str: ...
    @property
    def telegram_chat_id(self) -> int | None: ...
    @property
    def telegram_unreachable_at(self) -> datetime | None: ...
    @property
    def phone(self) -> str | None: ...
    @property
    def wants_sms(self) -> bool: ...
    @property
    def disability_kinds(self) -> list[str]: ...


PLANNED_ON = (
    Registrant.id,
    Registrant.language,
    Registrant.telegram_chat_id,
    Registrant.telegram_unreachable_at,
    Registrant.phone,
    Registrant.wants_sms,
    Registrant.disability_kinds,
)
"""The columns planning a broadcast reads (`Reachable`), instead of whole registrants."""


def telegram_works(registrant: Reachable) -> bool:
    return registrant.telegram_chat_id is not None and registrant.telegram_unreachable_at is None


def channels_for(registrant: Reachable) -> frozenset[Channel]:
    """Telegram when it works; SMS when there is a phone and Telegram does not work, the
    person asked for SMS, or they are blind or low-vision (their phone reads SMS aloud)."""
    channels: set[Channel] = set()
    telegram = telegram_works(registrant)
    if telegram:
        channels.add(Channel.TELEGRAM)
    if registrant.phone is not None and (
        not telegram
        or registrant.wants_sms
        or bool(set(registrant.disability_kinds) & SEEING_IMPAIRED)
    ):
        channels.add(Channel.SMS)
    return frozenset(channels)


def _prefilter(area: TargetArea) -> ColumnElement[bool]:
    """A cheap SQL superset of the area; the exact test runs on the rows it returns."""
    conditions: list[ColumnElement[bool]] = []
    for prefix in sorted(area.prefixes):
        conditions.append(Registrant.region.like(f"{prefix}%"))
        coarser = {prefix[:size] for size in range(2, len(prefix))}
        coarser |= {code.ljust(9, "0") for code in coarser}
        if coarser:
            conditions.append(Registrant.region.in_(sorted(coarser)))
    conditions.extend(_located_in(area.boxes()))
    if area.fallback_regions:
        conditions.append(
            and_(
                or_(Registrant.latitude.is_(None), Registrant.longitude.is_(None)),
                or_(
                    *(Registrant.region.like(f"{code}%") for code in sorted(area.fallback_regions))
                ),
            )
        )
    return or_(*conditions) if conditions else false()


def _located_in(boxes: list[Box]) -> list[ColumnElement[bool]]:
    """Registrants whose coordinates may lie in the boxes.

    Encrypted coordinates (KOMEK_DATA_KEY) cannot be compared in SQL: then everybody with
    coordinates is a candidate and the exact test runs on the decrypted values.
    """
    if not boxes:
        return []
    if encryption.enabled():
        return [and_(Registrant.latitude.is_not(None), Registrant.longitude.is_not(None))]
    latitude, longitude = cast(Registrant.latitude, Float), cast(Registrant.longitude, Float)
    return [
        and_(latitude.between(box.south, box.north), longitude.between(box.west, box.east))
        for box in boxes
    ]


_MATCHED_ON = (
    Registrant.id,
    Registrant.region,
    Registrant.latitude,
    Registrant.longitude,
    Registrant.language,
    Registrant.disability_kinds,
)


async def matching(
    session: AsyncSession,
    area: TargetArea,
    audience: Audience,
    *,
    test_group_only: bool,
    batch_size: int = 1000,
) -> AsyncIterator[list[tuple[Registrant, Match]]]:
    """Batches of (registrant, how they matched), in id order; at most `batch_size` each."""
    async for batch in _matching(
        session, area, audience, test_group_only=test_group_only, batch_size=batch_size
    ):
        yield batch


async def _matching(
    session: AsyncSession,
    area: TargetArea,
    audience: Audience,
    *,
    test_group_only: bool,
    batch_size: int,
    columns: tuple[Any, ...] | None = None,
) -> AsyncIterator[list[tuple[Any, Match]]]:
    """`matching`, yielding rows of `columns` instead of whole registrants when given."""
    if area.empty:
        return
    where = [Registrant.active.is_(True), _prefilter(area)]
    if test_group_only:
        where.append(Registrant.test_group.is_(True))
    if audience.languages:
        where.append(Registrant.language.in_(sorted(audience.languages)))
    last_id = 0
    pending: list[tuple[Any, Match]] = []
    # With a data key, what the match needs is read first and the rest only for those
    # inside: that decrypts two values of each candidate instead of four (the phones too).
    # Without one, one query is cheaper (the fan-out shares the database).
    two_steps = encryption.enabled()
    objects = columns is None
    wanted: tuple[Any, ...] = (
        (Registrant,)
        if columns is None
        else tuple({column.key: column for column in (*_MATCHED_ON, *columns)}.values())
    )
    while True:
        query = (
            select(*(_MATCHED_ON if two_steps else wanted))
            .where(*where, Registrant.id > last_id)
            .order_by(Registrant.id)
            .limit(batch_size)
        )
        page = (await session.execute(query)).all()
        inside: dict[int, Match] = {}
        found: list[Any] = []
        for row in page:
            candidate = row[0] if objects and not two_steps else row
            if audience.admits_profile(candidate.language, candidate.disability_kinds):
                how = area.match(candidate.region, candidate.latitude, candidate.longitude)
                if how is not None:
                    inside[candidate.id] = how
                    if not two_steps:
                        found.append(candidate)
        if inside and two_steps:
            rest = select(*wanted).where(Registrant.id.in_(inside)).order_by(Registrant.id)
            result = await session.execute(rest)
            found = list(result.scalars() if objects else result.all())
        pending.extend((one, inside[one.id]) for one in found)
        while len(pending) >= batch_size:
            yield pending[:batch_size]
            pending = pending[batch_size:]
        if len(page) < batch_size:
            break
        last_id = (page[-1][0] if objects and not two_steps else page[-1]).id
    if pending:
        yield pending


async def targets(
    session: AsyncSession,
    alert: CapAlert,
    audience: Audience,
    *,
    test_group_only: bool,
    batch_size: int = 1000,
) -> AsyncIterator[list[Registrant]]:
    """The active registrants the alert reaches, in id order, in batches of `batch_size`.

    `test_group_only` is for Exercise and Test alerts: only the test group gets them.
    An alert without a usable area yields nothing (see `alerts.areas`).
    """
    area = compile_area(alert)
    async for batch in matching(
        session, area, audience, test_group_only=test_group_only, batch_size=batch_size
    ):
        yield [registrant for registrant, _ in batch]


async def reachable(
    session: AsyncSession,
    alert: CapAlert,
    audience: Audience,
    *,
    test_group_only: bool,
    batch_size: int = 1000,
) -> AsyncIterator[list[Reachable]]:
    """`targets` as rows of `PLANNED_ON`: planning 100,000 people built, for each, a whole
    registrant (identity map, six timestamps, both phones) to read five of its columns."""
    area = compile_area(alert)
    async for batch in _matching(
        session,
        area,
        audience,
        test_group_only=test_group_only,
        batch_size=batch_size,
        columns=PLANNED_ON,
    ):
        yield [row for row, _ in batch]


class ChannelTally:
    """Recipients counted by the channels the fan-out will use for them (`Preview`'s counts)."""

    def __init__(self) -> None:
        self.counts = dict.fromkeys(
            ("recipients", "telegram_text", "telegram_voice", "sms", "unreachable"), 0
        )

    def add(self, registrant: Registrant) -> None:
        self.counts["recipients"] += 1
        channels = channels_for(registrant)
        if Channel.TELEGRAM in channels:
            self.counts[f"telegram_{telegram_form(registrant)}"] += 1
        self.counts["sms"] += Channel.SMS in channels
        self.counts["unreachable"] += not channels


@dataclass(frozen=True)
class Preview:
    """What sending would do, for the dispatcher to check before approving."""

    recipients: int = 0
    telegram_text: int = 0
    telegram_voice: int = 0
    sms: int = 0
    unreachable: int = 0
    """Reached by the area but with no channel at all (no working Telegram and no phone)."""
    located_by_region: int = 0
    """Recipients without coordinates, included because of their region (alerts.areas)."""
    notes: tuple[str, ...] = ()
    """Parts of the alert's area that were ignored, and why."""


async def preview(
    session: AsyncSession, alert: CapAlert, audience: Audience, *, test_group_only: bool
) -> Preview:
    """Counts of recipients and channels, without keeping anybody in memory."""
    area = compile_area(alert)
    tally = ChannelTally()
    by_region = 0
    async for batch in matching(session, area, audience, test_group_only=test_group_only):
        for registrant, how in batch:
            tally.add(registrant)
            by_region += how is Match.REGION
    return Preview(**tally.counts, located_by_region=by_region, notes=area.notes)
