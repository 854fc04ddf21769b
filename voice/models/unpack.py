"""Unpacking a model archive safely and swapping it into place; finding one installed.

The archive is unpacked into a temporary folder beside the target, checked to hold a Vosk
model, marked with where it came from, and only then renamed to the target.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from voice.models.catalog import Installed, ModelSpec
from voice.models.checksums import Expected
from voice.models.errors import ModelDownloadError
from voice.recognition.errors import ModelMissing
from voice.recognition.vosk_engine import check_model_dir

MARKER = ".komek-model.json"
_BLOCK = 1 << 16
_MAX_UNPACKED = 4 << 30


def installed(target: Path, spec: ModelSpec, expected: Expected) -> Installed | None:
    """The installed model if it came from this archive and still looks complete."""
    try:
        marker = json.loads((target / MARKER).read_text(encoding="utf-8"))
        check_model_dir(target, spec.language)
    except (OSError, ValueError, ModelMissing):
        return None
    if not isinstance(marker, dict) or marker.get("name") != spec.name:
        return None
    if marker.get(expected.algorithm) != expected.digest:
        return None
    sha256 = marker.get("sha256")
    if not isinstance(sha256, str):
        return None
    return Installed(spec.language, target, spec.name, sha256, "present")


def members(archive: zipfile.ZipFile) -> tuple[list[zipfile.ZipInfo], int]:
    """The archive's entries after safety checks, and how many leading path parts to drop."""
    entries = archive.infolist()
    total = 0
    tops: set[str] = set()
    for entry in entries:
        path = PurePosixPath(entry.filename)
        if path.is_absolute() or ".." in path.parts or "\\" in entry.filename:
            raise ModelDownloadError(f"the archive has an unsafe path: {entry.filename!r}")
        total += entry.file_size
        if path.parts:
            tops.add(path.parts[0])
    if total > _MAX_UNPACKED:
        raise ModelDownloadError(f"the archive would unpack to {total} bytes, too many")
    single_folder = len(tops) == 1 and any(
        len(PurePosixPath(entry.filename).parts) > 1 for entry in entries
    )
    return entries, 1 if single_folder else 0


def unpack(archive_path: Path, staging: Path) -> None:
    """Unpack into `staging`, dropping the archive's single top folder if it has one."""
    try:
        with zipfile.ZipFile(archive_path) as archive:
            entries, strip = members(archive)
            for entry in entries:
                parts = PurePosixPath(entry.filename).parts[strip:]
                if not parts:
                    continue
                destination = staging.joinpath(*parts)
                if entry.is_dir():
                    destination.mkdir(parents=True, exist_ok=True)
                    continue
                destination.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(entry) as source, destination.open("wb") as sink:
                    shutil.copyfileobj(source, sink, _BLOCK)
    except zipfile.BadZipFile as error:
        raise ModelDownloadError(f"the archive is not a readable zip file ({error})") from error


def install(archive: Path, target: Path, spec: ModelSpec, sha256: str, md5: str) -> None:
    """Unpack and check in a temporary folder, then swap it into place with renames."""
    staging = Path(tempfile.mkdtemp(prefix=f".unpack-{spec.language.value}-", dir=target.parent))
    try:
        unpack(archive, staging)
        try:
            check_model_dir(staging, spec.language)
        except ModelMissing as missing:
            raise ModelDownloadError(
                f"{spec.archive} does not hold a Vosk model: {missing.reason}"
            ) from missing
        marker = {"name": spec.name, "url": spec.url, "sha256": sha256, "md5": md5}
        (staging / MARKER).write_text(json.dumps(marker, indent=2), encoding="utf-8")
        old: Path | None = None
        if target.exists() or target.is_symlink():
            old = Path(tempfile.mkdtemp(prefix=f".old-{spec.language.value}-", dir=target.parent))
            os.replace(target, old / "model")
        os.replace(staging, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
