"""gTTS: the real library against endpoints that fail, and a loopback stand-in for Google."""

from __future__ import annotations

import base64
import http.server
import io
import os
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import av
import pytest
import structlog

from core.profile import Language
from tests.voice.test_synthesis import SENTENCES, SILENCE_RMS, assert_same_speech
from voice.synthesis import EspeakSynthesizer, GttsSynthesizer, Speech, UnsupportedLanguageError


@pytest.fixture(scope="module")
def espeak() -> EspeakSynthesizer:
    return EspeakSynthesizer()


# There is no internet here: the real requests really fail.


def test_gtts_falls_back_to_espeak_when_google_cannot_be_reached(
    espeak: EspeakSynthesizer,
) -> None:
    text = "Здравствуйте! Чем я могу вам помочь?"
    gtts = GttsSynthesizer(tld="invalid", timeout=2)

    with structlog.testing.capture_logs() as logs:
        speech = gtts.synthesize(text, Language.RU, rate=120)

    offline = espeak.synthesize(text, Language.RU, rate=120)
    assert speech.engine == "espeak"
    assert_same_speech(speech, offline)
    assert [entry["event"] for entry in logs] == ["speech_engine_fell_back"]
    assert logs[0]["log_level"] == "warning"
    assert logs[0]["error"] == "gTTSError"
    assert text not in repr(logs)
    assert "Здравствуйте" not in repr(logs)


def test_gtts_falls_back_when_the_endpoint_refuses_connections() -> None:
    gtts = GttsSynthesizer(tld=f"com@127.0.0.1:{_closed_port()}", timeout=2)

    speech = gtts.synthesize("Hello, how can I help?", Language.EN)

    assert speech.engine == "espeak"
    assert speech.rms() > SILENCE_RMS


def test_gtts_has_no_kazakh_voice() -> None:
    with pytest.raises(UnsupportedLanguageError):
        GttsSynthesizer().synthesize("Сәлем", Language.KK)


def _closed_port() -> int:
    """A loopback port with nobody listening."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _mp3_of(speech: Speech) -> bytes:
    """Encode speech as MP3, as Google's service sends it."""
    out = io.BytesIO()
    with av.open(out, "w", format="mp3") as container:
        stream = container.add_stream("libmp3lame", rate=24000, layout="mono")
        resampler = av.AudioResampler(format="s16p", layout="mono", rate=24000)
        frame = av.AudioFrame.from_ndarray(
            speech.samples.reshape(1, -1).copy(), format="s16", layout="mono"
        )
        frame.sample_rate = speech.sample_rate
        for chunk in [*resampler.resample(frame), *resampler.resample(None)]:
            container.mux(stream.encode(chunk))
        container.mux(stream.encode(None))
    return out.getvalue()


class _FakeGoogle(http.server.BaseHTTPRequestHandler):
    """Answers gTTS's batchexecute request the way translate.google.com does."""

    mp3 = b""
    status = 200
    requests: list[bytes] = []  # noqa: RUF012

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).requests.append(body)
        if self.status != 200:
            self.send_error(self.status)
            return
        audio = base64.b64encode(self.mp3).decode()
        line = '[["wrb.fr","jQ1olc","[\\"' + audio + '\\"]",null,null,null,"generic"]]'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(f")]}}'\n\n{len(line)}\n{line}\n".encode())

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def fake_google(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[str, type[_FakeGoogle]]]:
    """An HTTPS server on loopback that plays Google's TTS endpoint; yields a gTTS tld for it."""
    for proxy in ("http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(proxy, raising=False)
        monkeypatch.delenv(proxy.upper(), raising=False)
    if shutil.which("openssl") is None:
        reason = "openssl makes the loopback TLS certificate"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (required in CI)")
        pytest.skip(reason)
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    handler = type("Google", (_FakeGoogle,), {"requests": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"com@127.0.0.1:{server.server_address[1]}", handler
    finally:
        server.shutdown()
        server.server_close()


def test_gtts_speech_is_decoded_from_google_mp3(
    espeak: EspeakSynthesizer, fake_google: tuple[str, type[_FakeGoogle]]
) -> None:
    tld, google = fake_google
    original = espeak.synthesize("Hello, how can I help you today?", Language.EN)
    google.mp3 = _mp3_of(original)
    gtts = GttsSynthesizer(tld=tld, timeout=5)

    normal = gtts.synthesize("Hello, how can I help you today?", Language.EN)
    fast = gtts.synthesize("Hello, how can I help you today?", Language.EN, rate=150)
    slow = gtts.synthesize("Hello, how can I help you today?", Language.EN, rate=70)

    assert len(google.requests) == 3
    assert normal.engine == "gtts"
    assert normal.sample_rate == 24000
    assert abs(normal.seconds - original.seconds) < 0.1
    assert normal.rms() > SILENCE_RMS
    assert fast.seconds == pytest.approx(normal.seconds / 1.5, rel=0.05)
    assert slow.seconds == pytest.approx(normal.seconds / 0.7, rel=0.05)


@pytest.mark.parametrize("status", [500, 429])
def test_gtts_falls_back_when_google_answers_with_an_error(
    espeak: EspeakSynthesizer, fake_google: tuple[str, type[_FakeGoogle]], status: int
) -> None:
    tld, google = fake_google
    google.status = status

    speech = GttsSynthesizer(tld=tld, timeout=5).synthesize(SENTENCES[Language.EN], Language.EN)

    assert len(google.requests) == 1
    assert speech.engine == "espeak"
    assert_same_speech(speech, espeak.synthesize(SENTENCES[Language.EN], Language.EN))


def test_gtts_falls_back_when_google_sends_something_that_is_not_mp3(
    fake_google: tuple[str, type[_FakeGoogle]],
) -> None:
    tld, google = fake_google
    google.mp3 = b"<html>Sign in to the Wi-Fi</html>"

    speech = GttsSynthesizer(tld=tld, timeout=5).synthesize(SENTENCES[Language.EN], Language.EN)

    assert speech.engine == "espeak"
