"""`komek voice say|hear` and `komek models download`."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Annotated

import typer

from cli.start import load_settings
from core.profile import Language
from voice.errors import VoiceError
from voice.factory import build_voice
from voice.models.download import download
from voice.models.errors import ModelDownloadError
from voice.piper_voices import download_voices

voice_app = typer.Typer(help="Speech: synthesise and recognise.", no_args_is_help=True)
models_app = typer.Typer(help="Speech recognition models.", no_args_is_help=True)

LanguageOption = Annotated[Language, typer.Option("--lang", help="kk, ru or en.")]


@voice_app.command()
def say(
    text: Annotated[str, typer.Argument(help="What to say.")],
    lang: LanguageOption,
    output: Annotated[Path, typer.Option("-o", "--output", help="The .ogg voice note to write.")],
    rate: Annotated[int, typer.Option(help="Speech rate in percent of normal.")] = 100,
) -> None:
    """Write TEXT as a Telegram voice note (OGG/Opus)."""
    voice = build_voice(load_settings())
    note = asyncio.run(voice.say(text, lang, rate=rate))
    output.write_bytes(note.ogg)
    typer.echo(f"{output} ({len(note.ogg)} bytes)")


@voice_app.command()
def hear(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Audio file.")],
    lang: LanguageOption,
    as_json: Annotated[bool, typer.Option("--json", help="JSON with timings.")] = False,
) -> None:
    """Print the transcript of an audio file."""
    voice = build_voice(load_settings())
    started = time.perf_counter()
    try:
        heard = asyncio.run(voice.hear(file.read_bytes(), lang))
    except VoiceError as error:
        typer.echo(f"no transcript: {error.key}", err=True)
        raise typer.Exit(1) from None
    total_ms = (time.perf_counter() - started) * 1000
    if not as_json:
        typer.echo(heard.text)
        return
    typer.echo(
        json.dumps(
            {
                "text": heard.text,
                "lang": lang.value,
                "engine": heard.engine,
                "cut_short": heard.cut_short,
                "audio_seconds": round(heard.audio_seconds, 2),
                "decode_ms": round(heard.decode_ms, 1),
                "recognise_ms": round(heard.recognise_ms, 1),
                "real_time_factor": round(heard.recognise_ms / 1000 / heard.audio_seconds, 3),
                "total_ms": round(total_ms, 1),
            },
            ensure_ascii=False,
        )
    )


@models_app.command("download")
def download_models(
    languages: Annotated[
        list[Language] | None, typer.Argument(help="Languages to fetch (default: kk ru en).")
    ] = None,
    checksums: Annotated[
        Path | None, typer.Option(help="A sha256sum-style file with the archives' checksums.")
    ] = None,
    voices: Annotated[
        bool, typer.Option(help="Also the Piper voices for kk and ru (SHA-256 pinned per file).")
    ] = True,
) -> None:
    """Fetch the Vosk models (and Piper voices for kk, ru), verify checksums, install them."""
    settings = load_settings()
    wanted = languages or [Language.KK, Language.RU, Language.EN]
    try:
        installed = asyncio.run(
            download(wanted, settings.resolved_vosk_models_dir, checksums=checksums)
        )
        for model in installed:
            typer.echo(f"{model.language.value}: {model.name} {model.status} in {model.path}")
        if voices:
            spoken = asyncio.run(
                download_voices(wanted, settings.data_dir / "piper", checksums=checksums)
            )
            for voice in spoken:
                typer.echo(f"{voice.language.value}: voice {voice.name} {voice.status}")
    except ModelDownloadError as error:
        typer.echo(f"model download failed: {error}", err=True)
        raise typer.Exit(1) from None
