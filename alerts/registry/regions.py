"""Kazakhstan's regions by KATO code: names in kk/ru/en, lookup by name and by place.

A registrant's region is a KATO code (two digits for a region or a city of republican
significance, up to nine below). An alert's geocode "KATO" value matches every registrant
whose code starts with it, once trailing zeros are dropped ("750000000" is all of Almaty).
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from core.profile import Language
from core.text import fold

_DATA = Path(__file__).with_name("regions.toml")
EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True)
class Region:
    """A region or city of republican significance: KATO code, names in each language, centre."""

    code: str
    names: dict[Language, tuple[str, ...]]
    centre: tuple[float, float]
    city_radius_km: float | None = None
    """Set for the three cities of republican significance, which sit inside a region."""

    def name(self, language: Language) -> str:
        return self.names[language][0]


@cache
def regions() -> tuple[Region, ...]:
    data = tomllib.loads(_DATA.read_text(encoding="utf-8"))
    return tuple(
        Region(
            code=row["code"],
            names={language: tuple(row[language.value]) for language in Language},
            centre=(float(row["centre"][0]), float(row["centre"][1])),
            city_radius_km=row.get("city_radius_km"),
        )
        for row in data["region"]
    )


@cache
def _by_name() -> dict[str, Region]:
    index: dict[str, Region] = {}
    for region in regions():
        for names in region.names.values():
            for name in names:
                index.setdefault(fold(name), region)
    return index


def by_code(code: str) -> Region | None:
    """The region a KATO code (2 to 9 digits) lies in, or None for an unknown code."""
    code = code.strip()
    if not code.isdigit() or not 2 <= len(code) <= 9:
        return None
    return next((region for region in regions() if region.code == code[:2]), None)


def normalise_code(code: str) -> str | None:
    """A KATO code without trailing zeros (at least two digits), or None when not a region's."""
    code = code.strip()
    if by_code(code) is None:
        return None
    return code.rstrip("0").ljust(2, "0")


def by_name(text: str) -> Region | None:
    """The region a typed or spoken name means ("Алматы", "almaty region", "ВКО"), or None."""
    key = fold(text)
    if not key:
        return None
    found = _by_name().get(key)
    if found:
        return found
    words = {"облысы", "область", "region", "обл", "қаласы", "каласы", "город", "city", "г"}
    stripped = " ".join(word for word in key.split() if word not in words)
    return _by_name().get(stripped) if stripped else None


# Case endings a city's name takes in a sentence ("в Шымкенте", "Астанада"), longest first:
# Russian prepositional and other cases, Kazakh locative and ablative.
_ENDINGS = (
    "нда", "нде", "дан", "ден", "тан", "тен", "нан", "нен",
    "да", "де", "та", "те", "ом", "ой", "ем", "ей",
    "е", "и", "у", "ы", "а",
)  # fmt: skip


def named_in(text: str) -> Region | None:
    """The region named by the whole message, or by a few words in it ("I live in Almaty"),
    or by one word with a case ending ("живу в Шымкенте", "Астанада тұрамын")."""
    words = text.split()
    spans = [(0, len(words))] + [
        (start, start + size) for size in (3, 2, 1) for start in range(len(words) - size + 1)
    ]
    for start, end in spans:
        found = by_name(" ".join(words[start:end]))
        if found is not None:
            return found
    for word in words:
        found = _inflected(fold(word))
        if found is not None:
            return found
    return None


def _inflected(word: str) -> Region | None:
    """The one-word name that `word` is with a case ending: the name is the word without the
    ending, or that plus a letter or two ("Астане" → "Астана"). Stems under 4 letters: none."""
    for ending in _ENDINGS:
        stem = word.removesuffix(ending)
        if stem == word or len(stem) < 4:
            continue
        matches = {
            region.code: region
            for name, region in _by_name().items()
            if " " not in name and name.startswith(stem) and len(name) - len(stem) <= 2
        }
        if len(matches) == 1:
            return next(iter(matches.values()))
    return None


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def by_point(latitude: float, longitude: float) -> Region | None:
    """The region a place most likely lies in; None outside Kazakhstan's bounds.

    Without boundary data this is an approximation: inside a city's radius it is the city,
    else the region with the nearest centre. The bot therefore asks people to confirm it.
    """
    if not (40.5 <= latitude <= 55.5 and 46.0 <= longitude <= 87.5):
        return None
    point = (latitude, longitude)
    for region in regions():
        if region.city_radius_km and distance_km(point, region.centre) <= region.city_radius_km:
            return region
    oblasts = [region for region in regions() if region.city_radius_km is None]
    return min(oblasts, key=lambda region: distance_km(point, region.centre))
