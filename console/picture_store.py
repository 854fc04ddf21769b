"""The alert page's map and chart for every viewer: read and drawn at most once in a few seconds.

During a big send the fan-out shares this process's event loop with the console. Every viewer
of the alert page fetches the pictures again while answers come, so the figures are read once
per window for all of them (one aggregate query for the answers over time), and each variant
(language, with or without the help places) is drawn once per window, in a worker thread.
What never changes is kept for good: the alert's area and when its first message was planned.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from markupsafe import Markup
from shapely.geometry.base import BaseGeometry  # type: ignore[import-untyped]

from alerts import review
from console.alert_pictures import (
    AreaPicture,
    Moment,
    answers_over_time,
    area_of,
    chart_svg,
    first_message,
    help_places,
    map_svg,
)
from console.alert_progress import ANSWERS
from console.kept import MOST, Kept
from console.language import Words
from console.pages import rendered
from core.clock import Clock
from core.database import SessionFactory
from core.profile import Language

KEEP_SECONDS = 5.0
"""How long a reading and a drawing serve every viewer (the page asks every 15 s at most)."""

T = TypeVar("T")
Area = tuple[frozenset[str], tuple[BaseGeometry, ...]]


@dataclass(frozen=True)
class Figures:
    """What an alert page's map and chart are drawn from."""

    area: AreaPicture
    moments: tuple[Moment, ...]


class PictureStore:
    """`await store.piece(alert_id, words, show_places=...)`: the pictures' HTML, or None when
    there is no such alert."""

    def __init__(
        self, sessions: SessionFactory, clock: Clock, keep_seconds: float = KEEP_SECONDS
    ) -> None:
        self.sessions = sessions
        self.clock = clock
        self.figures: Kept[int, Figures | None] = Kept(clock, keep_seconds)
        """Readings from the database, one per alert per window."""
        self.pieces: Kept[tuple[int, Language, bool], Markup | None] = Kept(clock, keep_seconds)
        """Drawings, one per alert, language and role variant per window."""
        self._areas: dict[int, Area] = {}
        self._firsts: dict[int, datetime] = {}

    async def piece(self, alert_id: int, words: Words, *, show_places: bool) -> Markup | None:
        key = (alert_id, words.language, show_places)
        drawn = await self.pieces.get(key, lambda: self._draw(alert_id, words, show_places))
        if drawn is None:
            self.pieces.forget(key)  # an alert made later gets its pictures at once
            self.figures.forget(alert_id)
        return drawn

    async def _draw(self, alert_id: int, words: Words, show_places: bool) -> Markup | None:
        figures = await self.figures.get(alert_id, lambda: self._read(alert_id))
        if figures is None:
            return None
        return await asyncio.to_thread(draw, words, figures, show_places=show_places)

    async def _read(self, alert_id: int) -> Figures | None:
        async with self.sessions() as session:
            area = self._areas.get(alert_id)
            if area is None:
                stored = await review.stored(session, alert_id)
                if stored is None:
                    return None
                area = self._remember(self._areas, alert_id, area_of(stored.cap))
            places = await help_places(session, alert_id)
            first = self._firsts.get(alert_id)
            if first is None:
                first = await first_message(session, alert_id)
                if first is not None:
                    self._remember(self._firsts, alert_id, first)
            moments = await answers_over_time(session, alert_id, first, self.clock.now())
        return Figures(AreaPicture(*area, places), tuple(moments))

    @staticmethod
    def _remember(kept: dict[int, T], alert_id: int, value: T) -> T:
        kept[alert_id] = value
        while len(kept) > MOST:
            del kept[next(iter(kept))]
        return value


def draw(words: Words, figures: Figures, *, show_places: bool) -> Markup:
    """The map, the chart and their tables (alert_pictures.html) in `words`' language."""
    area = figures.area
    return rendered(
        words,
        "alert_pictures.html",
        {
            "words": words,
            "area_map": map_svg(words, area, show_places=show_places),
            "help_by_region": Counter(place.region for place in area.help_places),
            "moments": figures.moments,
            "chart": chart_svg(words, figures.moments),
            "answers": ANSWERS,
        },
    )
