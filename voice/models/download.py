"""Downloading the models: `download()` fetches, verifies and installs each language's model.

Each archive streams to `models_dir/.downloads/<archive>.part` (a partial file is continued
with an HTTP Range request), is verified (`checksums`) and installed (`unpack`). A model
already installed from the same archive is left alone.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Iterable, Mapping
from contextlib import AsyncExitStack
from pathlib import Path

import aiohttp
from rich.progress import Progress, TaskID

from core.profile import Language
from voice.models.catalog import MODELS, Installed, ModelSpec
from voice.models.checksums import Expected, digests, expected_digest, operator_checksums
from voice.models.errors import ChecksumMismatch, ModelDownloadError
from voice.models.progress import new_progress
from voice.models.unpack import install, installed

DOWNLOADS = ".downloads"
_BLOCK = 1 << 16


def prepare(target: Path, spec: ModelSpec) -> Path:
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


def size_of(path: Path) -> int:
    """A file's size, 0 when it does not exist."""
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


async def fetch(
    session: aiohttp.ClientSession,
    spec: ModelSpec,
    part: Path,
    progress: Progress | None,
) -> None:
    """Download the archive into `part`, continuing a partial file when the server allows."""
    task: TaskID | None = None
    for attempt in range(2):
        have = await asyncio.to_thread(size_of, part)
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
    checksums, operator = await asyncio.to_thread(operator_checksums, models_dir, checksums)
    results: list[Installed] = []
    async with AsyncExitStack() as stack:
        display: Progress | None = None
        if isinstance(progress, Progress):
            display = progress
        elif progress:
            display = stack.enter_context(new_progress())
        session: aiohttp.ClientSession | None = None
        specs = [catalog[language] for language in dict.fromkeys(languages)]
        plan = [(spec, expected_digest(spec, operator, checksums)) for spec in specs]
        for spec, expected in plan:
            target = models_dir / spec.language.value
            present = await asyncio.to_thread(installed, target, spec, expected)
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
    expected: Expected,
    target: Path,
    display: Progress | None,
) -> Installed:
    """Fetch, verify and install one model."""
    part = await asyncio.to_thread(prepare, target, spec)
    try:
        await fetch(session, spec, part, display)
    except (aiohttp.ClientError, TimeoutError) as error:
        raise ModelDownloadError(
            f"downloading {spec.url} failed ({error!r}); run again to resume"
        ) from error
    received = await asyncio.to_thread(size_of, part)
    if received < spec.size:
        raise ModelDownloadError(
            f"the download of {spec.url} stopped at {received} of {spec.size} bytes; "
            "run again to resume"
        )
    sha256, md5 = await asyncio.to_thread(digests, part)
    actual = sha256 if expected.algorithm == "sha256" else md5
    if actual != expected.digest:
        await asyncio.to_thread(part.unlink, missing_ok=True)
        raise ChecksumMismatch(
            f"{spec.archive} from {spec.url} has {expected.algorithm.upper()} {actual}, but "
            f"{expected.source} says {expected.digest}. The download was deleted and nothing "
            f"was installed in {target}."
        )
    try:
        await asyncio.to_thread(install, part, target, spec, sha256, md5)
    finally:
        await asyncio.to_thread(part.unlink, missing_ok=True)
    return Installed(spec.language, target, spec.name, sha256, "installed")
