"""Vosk speech models: the official small models for kk, ru, en, downloaded, verified, installed.

`download()` streams each archive to `models_dir/.downloads/<archive>.part` (resuming a partial
file with an HTTP Range request), verifies it, unpacks it into a temporary folder beside the
target, checks that it holds a Vosk model, and only then renames it to `models_dir/<lang>`.
A model already installed from the same archive is left alone.

Checksums: alphacephei publishes only MD5 sums (in its model-list.json), no SHA-256. The SHA-256
values below were computed by others from the same official archives and agree across several
independent projects; for the Kazakh model none could be found, so its sha256 is None. The
expected SHA-256 comes, in order, from the operator's checksum file (sha256sum format: the
`checksums` argument, else `models_dir/SHA256SUMS`), then from this catalog; only when neither has
one is the archive checked against the publisher's MD5 and size instead.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Mapping
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Literal

import aiohttp
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from core.profile import Language
from voice.recognition.errors import ModelMissing
from voice.recognition.vosk_engine import check_model_dir

MARKER = ".komek-model.json"
DOWNLOADS = ".downloads"
CHECKSUMS_FILE = "SHA256SUMS"
_BLOCK = 1 << 16
_MAX_UNPACKED = 4 << 30


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


class ModelDownloadError(Exception):
    """A model could not be downloaded or installed; nothing was changed in its place."""


class ChecksumUnknown(ModelDownloadError):
    """No checksum to verify the archive against, so it was not downloaded."""


class ChecksumMismatch(ModelDownloadError):
    """The downloaded archive is not the one expected; it was deleted."""


@dataclass(frozen=True)
class Installed:
    """A model in place: freshly installed, or found already installed from the same archive."""

    language: Language
    path: Path
    name: str
    sha256: str
    status: Literal["installed", "present"]


@dataclass(frozen=True)
class _Expected:
    """What a verified archive must hash to, and where that value came from."""

    algorithm: Literal["sha256", "md5"]
    digest: str
    source: str


def read_checksums(path: Path) -> dict[str, str]:
    """File name -> SHA-256 from a sha256sum-style file ('<hex>  <name>' or '<hex> *<name>')."""
    sums: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.strip().split(maxsplit=1)
        if len(parts) != 2 or line.lstrip().startswith("#"):
            continue
        digest, name = parts[0].lower(), parts[1].strip().lstrip("*")
        if len(digest) == 64 and all(c in "0123456789abcdef" for c in digest):
            sums[PurePosixPath(name).name] = digest
    return sums


def _expected(spec: ModelSpec, operator: Mapping[str, str], checksums: Path | None) -> _Expected:
    """The checksum to verify against: the operator's SHA-256, ours, or the publisher's MD5."""
    listed = operator.get(spec.archive) or operator.get(spec.name)
    if listed is not None:
        return _Expected("sha256", listed, f"the checksum file {checksums}")
    if spec.sha256 is not None:
        return _Expected("sha256", spec.sha256.lower(), "Kömek's model catalog")
    if spec.md5 is not None:
        return _Expected("md5", spec.md5.lower(), "the publisher's MD5 in model-list.json")
    raise ChecksumUnknown(
        f"No checksum is known for {spec.archive}, so it was not downloaded. Compute its "
        f"SHA-256 on a trusted copy and list it in {checksums or CHECKSUMS_FILE} "
        f"(sha256sum format: '<sha256>  {spec.archive}')."
    )


def _installed(target: Path, spec: ModelSpec, expected: _Expected) -> Installed | None:
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


def _operator_checksums(
    models_dir: Path, checksums: Path | None
) -> tuple[Path | None, dict[str, str]]:
    """Create models_dir; read the operator's checksum file (given, or models_dir/SHA256SUMS)."""
    models_dir.mkdir(parents=True, exist_ok=True)
    if checksums is None and (models_dir / CHECKSUMS_FILE).is_file():
        checksums = models_dir / CHECKSUMS_FILE
    if checksums is None:
        return None, {}
    try:
        return checksums, read_checksums(checksums)
    except OSError as error:
        raise ModelDownloadError(f"cannot read the checksum file {checksums} ({error})") from error


def _prepare(target: Path, spec: ModelSpec) -> Path:
    """The partial-download path, once there is room for the archive and its unpacked copy."""
    downloads = target.parent / DOWNLOADS
    downloads.mkdir(exist_ok=True)
    free = shutil.disk_usage(target.parent).free
    if free < 3 * spec.size:
        raise ModelDownloadError(
            f"{spec.name} needs about {3 * spec.size // 2**20} MiB free in {target.parent}, "
            f"there are {free // 2**20} MiB"
        )
    return downloads / f"{spec.archive}.part"


def _size_of(path: Path) -> int:
    """A file's size, 0 when it does not exist."""
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def _digests(path: Path) -> tuple[str, str]:
    """SHA-256 and MD5 of a file, read in blocks."""
    sha256, md5 = hashlib.sha256(), hashlib.md5(usedforsecurity=False)
    with path.open("rb") as stream:
        while block := stream.read(1 << 20):
            sha256.update(block)
            md5.update(block)
    return sha256.hexdigest(), md5.hexdigest()


def _members(archive: zipfile.ZipFile) -> tuple[list[zipfile.ZipInfo], int]:
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


def _unpack(archive_path: Path, staging: Path) -> None:
    """Unpack into `staging`, dropping the archive's single top folder if it has one."""
    try:
        with zipfile.ZipFile(archive_path) as archive:
            entries, strip = _members(archive)
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


def _install(archive: Path, target: Path, spec: ModelSpec, sha256: str, md5: str) -> None:
    """Unpack and check in a temporary folder, then swap it into place with renames."""
    staging = Path(tempfile.mkdtemp(prefix=f".unpack-{spec.language.value}-", dir=target.parent))
    try:
        _unpack(archive, staging)
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


async def _fetch(
    session: aiohttp.ClientSession,
    spec: ModelSpec,
    part: Path,
    progress: Progress | None,
) -> None:
    """Download the archive into `part`, continuing a partial file when the server allows."""
    task: TaskID | None = None
    for attempt in range(2):
        have = await asyncio.to_thread(_size_of, part)
        headers = {"Range": f"bytes={have}-"} if have else {}
        async with session.get(spec.url, headers=headers) as response:
            if response.status == 416 and have and attempt == 0:
                await asyncio.to_thread(part.unlink)
                continue
            if response.status not in (200, 206):
                raise ModelDownloadError(f"{spec.url} answered HTTP {response.status}")
            resumed = response.status == 206
            done = have if resumed else 0
            total = done + (response.content_length or max(spec.size - done, 0))
            if progress is not None:
                if task is None:
                    task = progress.add_task(spec.name, total=total, completed=done)
                else:
                    progress.update(task, total=total, completed=done)
            with part.open("ab" if resumed else "wb") as sink:
                async for block in response.content.iter_chunked(_BLOCK):
                    sink.write(block)
                    if progress is not None and task is not None:
                        progress.advance(task, len(block))
        return


def _new_progress() -> Progress:
    """A download progress display on standard error."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
    )


async def download(
    languages: Iterable[Language],
    models_dir: Path,
    *,
    progress: bool | Progress = True,
    checksums: Path | None = None,
    catalog: Mapping[Language, ModelSpec] = MODELS,
    read_timeout: float = 60.0,
) -> list[Installed]:
    """Download, verify and install each language's model in models_dir/<lang>; safe to rerun."""
    checksums, operator = await asyncio.to_thread(_operator_checksums, models_dir, checksums)
    results: list[Installed] = []
    async with AsyncExitStack() as stack:
        display: Progress | None = None
        if isinstance(progress, Progress):
            display = progress
        elif progress:
            display = stack.enter_context(_new_progress())
        session: aiohttp.ClientSession | None = None
        specs = [catalog[language] for language in dict.fromkeys(languages)]
        plan = [(spec, _expected(spec, operator, checksums)) for spec in specs]
        for spec, expected in plan:
            target = models_dir / spec.language.value
            present = await asyncio.to_thread(_installed, target, spec, expected)
            if present is not None:
                results.append(present)
                continue
            if session is None:
                client_timeout = aiohttp.ClientTimeout(total=None, sock_read=read_timeout)
                session = await stack.enter_async_context(
                    aiohttp.ClientSession(timeout=client_timeout)
                )
            results.append(await _download_one(session, spec, expected, target, display))
    return results


async def _download_one(
    session: aiohttp.ClientSession,
    spec: ModelSpec,
    expected: _Expected,
    target: Path,
    display: Progress | None,
) -> Installed:
    """Fetch, verify and install one model."""
    part = await asyncio.to_thread(_prepare, target, spec)
    try:
        await _fetch(session, spec, part, display)
    except (aiohttp.ClientError, TimeoutError) as error:
        raise ModelDownloadError(
            f"downloading {spec.url} failed ({error!r}); run again to resume"
        ) from error
    received = await asyncio.to_thread(_size_of, part)
    if received < spec.size:
        raise ModelDownloadError(
            f"the download of {spec.url} stopped at {received} of {spec.size} bytes; "
            "run again to resume"
        )
    sha256, md5 = await asyncio.to_thread(_digests, part)
    actual = sha256 if expected.algorithm == "sha256" else md5
    if actual != expected.digest:
        await asyncio.to_thread(part.unlink, missing_ok=True)
        raise ChecksumMismatch(
            f"{spec.archive} from {spec.url} has {expected.algorithm.upper()} {actual}, but "
            f"{expected.source} says {expected.digest}. The download was deleted and nothing "
            f"was installed in {target}."
        )
    try:
        await asyncio.to_thread(_install, part, target, spec, sha256, md5)
    finally:
        await asyncio.to_thread(part.unlink, missing_ok=True)
    return Installed(spec.language, target, spec.name, sha256, "installed")
