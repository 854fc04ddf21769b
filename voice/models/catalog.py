"""The official small Vosk models for kk, ru and en, and what an installed one is.

alphacephei publishes only MD5 sums (in its model-list.json), no SHA-256. The SHA-256 values
below were computed by others from the same official archives and agree across several
independent projects; for the Kazakh model none could be found, so its sha256 is None
(`voice.models.checksums` says which value an archive is checked against).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Literal

from core.profile import Language


@dataclass(frozen=True)
class ModelSpec:
    """One downloadable Vosk model: where it is, how big, and how to check it."""

    language: Language
    name: str
    url: str
    size: int
    sha256: str | None
    md5: str | None = None

    @property
    def archive(self) -> str:
        """The archive's file name."""
        return PurePosixPath(self.url).name


MODELS: Mapping[Language, ModelSpec] = MappingProxyType(
    {
        Language.KK: ModelSpec(
            Language.KK,
            "vosk-model-small-kz-0.42",
            "https://alphacephei.com/vosk/models/vosk-model-small-kz-0.42.zip",
            size=59_697_294,
            sha256=None,  # not published, and not found anywhere: see the module docstring
            md5="1c7dc487ac5e0c24acfa7566c106ba2d",
        ),
        Language.RU: ModelSpec(
            Language.RU,
            "vosk-model-small-ru-0.22",
            "https://alphacephei.com/vosk/models/vosk-model-small-ru-0.22.zip",
            size=46_236_750,
            sha256="961d5ff98a17f4aa6de69864d0aa71fa5bac682301d2b5d17a3f24c5c99a46d4",
            md5="d1759dc83eb8fd87850129afbd9f4b7b",
        ),
        Language.EN: ModelSpec(
            Language.EN,
            "vosk-model-small-en-us-0.15",
            "https://alphacephei.com/vosk/models/vosk-model-small-en-us-0.15.zip",
            size=41_205_931,
            sha256="30f26242c4eb449f948e42cb302dd7a686cb29a3423a8367f99ff41780942498",
            md5="09ab50ccd62b674cbaa231b825f9c1cb",
        ),
    }
)


@dataclass(frozen=True)
class Installed:
    """A model in place: freshly installed, or found already installed from the same archive."""

    language: Language
    path: Path
    name: str
    sha256: str
    status: Literal["installed", "present"]
