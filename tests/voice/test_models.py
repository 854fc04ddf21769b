"""Model download: from a real HTTP server on 127.0.0.1, never the network."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
from aiohttp import web
from rich.console import Console
from rich.progress import Progress

from core.profile import Language
from voice.models.catalog import MODELS, ModelSpec
from voice.models.checksums import CHECKSUMS_FILE, read_checksums
from voice.models.download import DOWNLOADS, download
from voice.models.errors import ChecksumMismatch, ChecksumUnknown, ModelDownloadError
from voice.models.unpack import MARKER
from voice.recognition.vosk_engine import check_model_dir

NAME = "vosk-model-tiny-kz-0.1"
FST = bytes.fromhex("d6fdb27e") + b"\x00" * 60


def model_zip(
    name: str = NAME, *, valid: bool = True, extra: dict[str, bytes] | None = None
) -> bytes:
    """A zip laid out like Vosk's: one top folder holding am/, conf/, graph/, ivector/."""
    files = {
        "am/final.mdl": b"\x00B<TransitionModel>" + bytes(range(256)) * 64,
        "conf/mfcc.conf": b"--use-energy=false\n",
        "conf/model.conf": b"--beam=10.0\n",
        "graph/HCLr.fst": FST,
        "graph/Gr.fst": FST,
        "ivector/final.ie": b"\x00B<IvectorExtractor>",
        "README": b"a tiny stand-in, not a real model\n",
    }
    if not valid:
        files = {"README": b"no model here\n", "notes/x.txt": b"garbage"}
    files.update(extra or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{name}/", b"")
        for path, data in files.items():
            archive.writestr(f"{name}/{path}", data)
    return buffer.getvalue()


@dataclass
class Server:
    """A static file server that records the Range header of every request."""

    base: str
    folder: Path
    ranges: list[str | None] = field(default_factory=list)

    def publish(self, name: str, data: bytes) -> str:
        (self.folder / name).write_bytes(data)
        return f"{self.base}/{name}"


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[Server]:
    folder = tmp_path / "www"
    folder.mkdir()
    state = Server("", folder)

    async def serve(request: web.Request) -> web.StreamResponse:
        state.ranges.append(request.headers.get("Range"))
        path = folder / request.match_info["name"]
        if not path.is_file():
            raise web.HTTPNotFound()
        return web.FileResponse(path)

    app = web.Application()
    app.router.add_get("/{name}", serve)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    state.base = f"http://127.0.0.1:{port}"
    yield state
    await runner.cleanup()


def spec_for(url: str, data: bytes, **changes: object) -> ModelSpec:
    spec = ModelSpec(
        Language.KK, NAME, url, size=len(data), sha256=hashlib.sha256(data).hexdigest()
    )
    return replace(spec, **changes)  # type: ignore[arg-type]


def leftovers(models: Path) -> list[str]:
    """Anything besides installed models: partial downloads, unpack and swap folders."""
    names = [p.name for p in models.iterdir() if p.name.startswith(".") and p.name != DOWNLOADS]
    downloads = models / DOWNLOADS
    if downloads.exists():
        names += [f"{DOWNLOADS}/{p.name}" for p in downloads.iterdir()]
    return names


async def test_downloads_verifies_and_installs_then_skips(server: Server, tmp_path: Path) -> None:
    data = model_zip()
    spec = spec_for(server.publish(f"{NAME}.zip", data), data)
    models = tmp_path / "models"

    [first] = await download([Language.KK], models, progress=False, catalog={Language.KK: spec})

    assert first.status == "installed"
    assert first.path == models / "kk"
    assert first.sha256 == spec.sha256
    check_model_dir(models / "kk", Language.KK)
    assert (models / "kk" / "README").read_bytes().startswith(b"a tiny stand-in")
    assert (models / "kk" / MARKER).is_file()
    assert leftovers(models) == []

    [second] = await download([Language.KK], models, progress=False, catalog={Language.KK: spec})
    assert second.status == "present"
    assert len(server.ranges) == 1, "an installed model is not downloaded again"


async def test_checksum_mismatch_installs_nothing(server: Server, tmp_path: Path) -> None:
    data = model_zip()
    spec = spec_for(server.publish(f"{NAME}.zip", data), data, sha256="0" * 64)
    models = tmp_path / "models"

    with pytest.raises(ChecksumMismatch) as caught:
        await download([Language.KK], models, progress=False, catalog={Language.KK: spec})

    message = str(caught.value)
    assert "SHA256" in message
    assert hashlib.sha256(data).hexdigest() in message
    assert "nothing was installed" in message
    assert not (models / "kk").exists()
    assert leftovers(models) == []


async def test_mismatch_keeps_the_model_already_installed(server: Server, tmp_path: Path) -> None:
    good = model_zip()
    models = tmp_path / "models"
    spec = spec_for(server.publish(f"{NAME}.zip", good), good)
    await download([Language.KK], models, progress=False, catalog={Language.KK: spec})

    newer = model_zip("vosk-model-tiny-kz-0.2", extra={"README": b"newer"})
    url = server.publish("vosk-model-tiny-kz-0.2.zip", newer)
    bad = spec_for(url, newer, name="vosk-model-tiny-kz-0.2", sha256="f" * 64)
    with pytest.raises(ChecksumMismatch):
        await download([Language.KK], models, progress=False, catalog={Language.KK: bad})

    assert (models / "kk" / "README").read_bytes().startswith(b"a tiny stand-in")
    check_model_dir(models / "kk", Language.KK)
    assert leftovers(models) == []


async def test_a_newer_model_replaces_the_old_one(server: Server, tmp_path: Path) -> None:
    models = tmp_path / "models"
    old = model_zip()
    await download(
        [Language.KK],
        models,
        progress=False,
        catalog={Language.KK: spec_for(server.publish(f"{NAME}.zip", old), old)},
    )
    newer = model_zip("vosk-model-tiny-kz-0.2", extra={"README": b"newer"})
    url = server.publish("vosk-model-tiny-kz-0.2.zip", newer)
    spec = spec_for(url, newer, name="vosk-model-tiny-kz-0.2")

    [result] = await download([Language.KK], models, progress=False, catalog={Language.KK: spec})

    assert result.status == "installed"
    assert (models / "kk" / "README").read_bytes() == b"newer"
    assert leftovers(models) == []


async def test_resumes_a_partial_download(server: Server, tmp_path: Path) -> None:
    data = model_zip()
    spec = spec_for(server.publish(f"{NAME}.zip", data), data)
    models = tmp_path / "models"
    (models / DOWNLOADS).mkdir(parents=True)
    half = len(data) // 2
    (models / DOWNLOADS / f"{NAME}.zip.part").write_bytes(data[:half])

    [result] = await download([Language.KK], models, progress=False, catalog={Language.KK: spec})

    assert result.status == "installed"
    assert server.ranges == [f"bytes={half}-"]
    assert leftovers(models) == []


async def test_an_archive_without_a_model_installs_nothing(server: Server, tmp_path: Path) -> None:
    data = model_zip(valid=False)
    spec = spec_for(server.publish(f"{NAME}.zip", data), data)
    models = tmp_path / "models"

    with pytest.raises(ModelDownloadError, match="does not hold a Vosk model"):
        await download([Language.KK], models, progress=False, catalog={Language.KK: spec})

    assert not (models / "kk").exists()
    assert leftovers(models) == []


async def test_an_archive_escaping_its_folder_is_refused(server: Server, tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../../evil.txt", b"owned")
    data = buffer.getvalue()
    spec = spec_for(server.publish(f"{NAME}.zip", data), data)
    models = tmp_path / "models"

    with pytest.raises(ModelDownloadError, match="unsafe path"):
        await download([Language.KK], models, progress=False, catalog={Language.KK: spec})

    assert not (tmp_path / "evil.txt").exists()
    assert not (models / "kk").exists()


async def test_no_checksum_means_no_download(server: Server, tmp_path: Path) -> None:
    data = model_zip()
    spec = spec_for(server.publish(f"{NAME}.zip", data), data, sha256=None, md5=None)
    models = tmp_path / "models"

    with pytest.raises(ChecksumUnknown, match=CHECKSUMS_FILE):
        await download([Language.KK], models, progress=False, catalog={Language.KK: spec})

    assert server.ranges == []
    assert not (models / "kk").exists()


async def test_operator_checksum_file_verifies_a_model_we_have_no_sum_for(
    server: Server, tmp_path: Path
) -> None:
    data = model_zip()
    spec = spec_for(server.publish(f"{NAME}.zip", data), data, sha256=None, md5=None)
    models = tmp_path / "models"
    models.mkdir()
    digest = hashlib.sha256(data).hexdigest()
    (models / CHECKSUMS_FILE).write_text(f"# verified by ops\n{digest}  {NAME}.zip\n")

    [result] = await download([Language.KK], models, progress=False, catalog={Language.KK: spec})

    assert result.status == "installed"
    assert result.sha256 == digest


async def test_operator_checksum_file_wins_and_can_refuse(server: Server, tmp_path: Path) -> None:
    data = model_zip()
    spec = spec_for(server.publish(f"{NAME}.zip", data), data)
    sums = tmp_path / "sums.txt"
    sums.write_text(f"{'a' * 64} *{NAME}.zip\n")

    with pytest.raises(ChecksumMismatch, match=r"the checksum file .*sums\.txt"):
        await download(
            [Language.KK],
            tmp_path / "models",
            progress=False,
            checksums=sums,
            catalog={Language.KK: spec},
        )


async def test_publisher_md5_is_the_last_resort(server: Server, tmp_path: Path) -> None:
    data = model_zip()
    md5 = hashlib.md5(data, usedforsecurity=False).hexdigest()
    spec = spec_for(server.publish(f"{NAME}.zip", data), data, sha256=None, md5=md5)
    models = tmp_path / "models"

    [result] = await download([Language.KK], models, progress=False, catalog={Language.KK: spec})
    assert result.status == "installed"

    wrong = replace(spec, md5="0" * 32)
    (models / "kk" / MARKER).unlink()
    with pytest.raises(ChecksumMismatch, match="MD5"):
        await download([Language.KK], models, progress=False, catalog={Language.KK: wrong})


async def test_a_server_error_is_reported(server: Server, tmp_path: Path) -> None:
    data = model_zip()
    spec = spec_for(f"{server.base}/missing.zip", data)

    with pytest.raises(ModelDownloadError, match="HTTP 404"):
        await download(
            [Language.KK], tmp_path / "models", progress=False, catalog={Language.KK: spec}
        )


async def test_progress_is_shown_with_rich(server: Server, tmp_path: Path) -> None:
    data = model_zip()
    spec = spec_for(server.publish(f"{NAME}.zip", data), data)
    screen = io.StringIO()
    with Progress(console=Console(file=screen, force_terminal=False, width=100)) as progress:
        await download(
            [Language.KK], tmp_path / "models", progress=progress, catalog={Language.KK: spec}
        )
    [task] = progress.tasks
    assert (task.description, task.completed, task.total) == (NAME, len(data), len(data))
    assert NAME in screen.getvalue()


def test_read_checksums_understands_sha256sum_output(tmp_path: Path) -> None:
    sums = tmp_path / "SHA256SUMS"
    digest = "AB" * 32
    sums.write_text(f"{digest}  dir/vosk-model-small-kz-0.42.zip\nnot a line\n{'c' * 64} *x.zip\n")

    assert read_checksums(sums) == {
        "vosk-model-small-kz-0.42.zip": digest.lower(),
        "x.zip": "c" * 64,
    }


def test_catalog_lists_the_official_small_models() -> None:
    assert set(MODELS) == set(Language)
    names = {language: spec.name for language, spec in MODELS.items()}
    assert names == {
        Language.KK: "vosk-model-small-kz-0.42",
        Language.RU: "vosk-model-small-ru-0.22",
        Language.EN: "vosk-model-small-en-us-0.15",
    }
    for spec in MODELS.values():
        assert spec.url == f"https://alphacephei.com/vosk/models/{spec.name}.zip"
        assert spec.archive == f"{spec.name}.zip"
        assert 30_000_000 < spec.size < 70_000_000
        assert spec.md5 is not None and len(spec.md5) == 32
        if spec.sha256 is not None:
            assert len(spec.sha256) == 64 and spec.sha256 == spec.sha256.lower()
    assert MODELS[Language.KK].sha256 is None, "no SHA-256 has been found for the Kazakh model"
