"""Audio in and out: every format users send, voice notes, the limits, broken input."""

from __future__ import annotations

import io
import wave
from collections.abc import Callable
from fractions import Fraction

import av
import numpy as np
import pytest
from numpy.typing import NDArray

from voice.audio import (
    AudioError,
    AudioProblem,
    Pcm,
    decode,
    duration_of,
    encode_voice_note,
    is_silence,
)

Samples = NDArray[np.int16]


def speechlike(seconds: float, rate: int = 16_000) -> Samples:
    """A gliding harmonic tone chopped into 'syllables' with pauses, as loud as speech."""
    t = np.arange(round(seconds * rate)) / rate
    pitch = 140 + 40 * np.sin(2 * np.pi * 0.7 * t)
    phase = 2 * np.pi * np.cumsum(pitch) / rate
    voice = np.zeros_like(t)
    for k in range(1, 6):
        voice += np.sin(k * phase) / k
    syllables = np.clip(np.sin(2 * np.pi * 3.0 * t) * 1.5, 0, 1)
    return (voice * syllables * 9_000).astype(np.int16)


def encoded(
    samples: Samples,
    rate: int,
    container: str,
    codec: str,
    codec_rate: int,
    *,
    layout: str = "mono",
    options: dict[str, str] | None = None,
) -> bytes:
    """Encode PCM with one of PyAV's encoders, as a user's app would."""
    channels = av.AudioLayout(layout).nb_channels
    interleaved = np.repeat(samples, channels).reshape(1, -1)
    frame = av.AudioFrame.from_ndarray(interleaved, format="s16", layout=layout)
    frame.sample_rate = rate
    frame.time_base = Fraction(1, rate)
    frame.pts = 0
    buffer = io.BytesIO()
    with av.open(buffer, "w", format=container, container_options=options) as output:
        stream = output.add_stream(codec, rate=codec_rate, layout=layout)
        assert isinstance(stream, av.AudioStream)
        if samples.size:
            output.mux(stream.encode(frame))
        output.mux(stream.encode(None))
    return buffer.getvalue()


def long_opus(container: str, seconds: int, options: dict[str, str] | None = None) -> bytes:
    """A long Opus recording made cheaply: one encoded second, muxed again and again."""
    buffer = io.BytesIO()
    with av.open(buffer, "w", format=container, container_options=options) as output:
        stream = output.add_stream("libopus", rate=48_000, layout="mono")
        frame = av.AudioFrame.from_ndarray(
            speechlike(1.0, 48_000).reshape(1, -1), format="s16", layout="mono"
        )
        frame.sample_rate = 48_000
        frame.pts = 0
        second = [(bytes(p), p.pts or 0, p.duration) for p in stream.encode(frame)]
        for repeat in range(seconds):
            for data, pts, duration in second:
                packet = av.Packet(data)
                packet.stream = stream
                packet.time_base = Fraction(1, 48_000)
                packet.pts = packet.dts = pts + repeat * 48_000
                packet.duration = duration
                output.mux_one(packet)
    return buffer.getvalue()


def video(container: str, codec: str, *, with_audio: bool = False) -> bytes:
    """A few frames of video, with or without a sound track."""
    rng = np.random.default_rng(7)
    buffer = io.BytesIO()
    with av.open(buffer, "w", format=container) as output:
        picture = output.add_stream(codec, rate=10)
        assert isinstance(picture, av.VideoStream)
        picture.width, picture.height, picture.pix_fmt = 64, 48, "yuv420p"
        sound = output.add_stream("aac", rate=44_100, layout="mono") if with_audio else None
        for index in range(5):
            pixels = rng.integers(0, 255, (48, 64, 3), dtype=np.uint8)
            image = av.VideoFrame.from_ndarray(pixels, format="rgb24").reformat(format="yuv420p")
            image.pts = index
            output.mux(picture.encode(image))
        output.mux(picture.encode(None))
        if sound is not None:
            frame = av.AudioFrame.from_ndarray(
                speechlike(0.5, 44_100).reshape(1, -1), format="s16", layout="mono"
            )
            frame.sample_rate, frame.pts = 44_100, 0
            output.mux(sound.encode(frame))
            output.mux(sound.encode(None))
    return buffer.getvalue()


def png() -> bytes:
    """A small PNG picture."""
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="image2pipe") as output:
        stream = output.add_stream("png")
        stream.width, stream.height, stream.pix_fmt = 32, 32, "rgb24"
        pixels = np.random.default_rng(3).integers(0, 255, (32, 32, 3), dtype=np.uint8)
        output.mux(stream.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")))
        output.mux(stream.encode(None))
    return buffer.getvalue()


def wav(samples: Samples, rate: int) -> bytes:
    """A plain 16-bit mono WAV file, written by the standard library."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as output:
        output.setnchannels(1)
        output.setsampwidth(2)
        output.setframerate(rate)
        output.writeframes(samples.tobytes())
    return buffer.getvalue()


def reason(call: Callable[[], object]) -> AudioProblem:
    """The reason an AudioError gives; fails when there is none."""
    with pytest.raises(AudioError) as caught:
        call()
    return caught.value.reason


def refusal(call: Callable[[], object]) -> AudioError:
    """The AudioError a call raises; fails when there is none."""
    with pytest.raises(AudioError) as caught:
        call()
    return caught.value


def level_db(samples: Samples) -> float:
    """RMS level in dB relative to one 16-bit step."""
    return float(10 * np.log10(np.mean(samples.astype(np.float64) ** 2) + 1))


# (container, codec, codec rate, channel layout): what Telegram users' apps and browsers send.
FORMATS = {
    "ogg-opus": ("ogg", "libopus", 48_000, "mono"),
    "mp3": ("mp3", "libmp3lame", 44_100, "stereo"),
    "m4a-aac": ("ipod", "aac", 44_100, "mono"),
    "wav": ("wav", "pcm_s16le", 16_000, "mono"),
    "flac": ("flac", "flac", 44_100, "stereo"),
    "webm-opus": ("webm", "libopus", 48_000, "mono"),
}


@pytest.mark.parametrize("name", FORMATS)
def test_each_format_decodes_to_16k_mono_of_the_same_length_and_loudness(name: str) -> None:
    container, codec, codec_rate, layout = FORMATS[name]
    source = speechlike(3.0, 22_050)
    data = encoded(source, 22_050, container, codec, codec_rate, layout=layout)

    pcm = decode(data)

    assert pcm.sample_rate == 16_000
    assert pcm.samples.dtype == np.int16
    assert pcm.samples.ndim == 1
    assert pcm.seconds == pytest.approx(3.0, abs=0.1)
    assert level_db(pcm.samples) == pytest.approx(level_db(source), abs=2.0)
    assert not is_silence(pcm)
    assert duration_of(data) == pytest.approx(3.0, abs=0.1)


def test_voice_note_is_ogg_opus_48k_mono_and_round_trips() -> None:
    source = speechlike(5.0, 22_050)  # eSpeak NG speaks at 22 050 Hz

    note = encode_voice_note(source, 22_050)

    with av.open(io.BytesIO(note)) as container:
        stream = container.streams.audio[0]
        assert container.format.name == "ogg"
        assert stream.codec_context.name == "opus"
        assert (stream.sample_rate, stream.channels) == (48_000, 1)
    assert len(note) * 8 / 5.0 < 48_000  # about 32 kbit/s
    pcm = decode(note)
    assert pcm.seconds == pytest.approx(5.0, abs=0.1)
    assert level_db(pcm.samples) == pytest.approx(level_db(source), abs=2.0)
    assert not is_silence(pcm)


@pytest.mark.parametrize("rate", [8_000, 16_000, 24_000, 44_100, 48_000])
def test_voice_note_round_trips_from_any_rate(rate: int) -> None:
    pcm = decode(encode_voice_note(speechlike(1.3, rate), rate))

    assert pcm.seconds == pytest.approx(1.3, abs=0.1)
    assert not is_silence(pcm)


def test_voice_note_needs_samples() -> None:
    assert reason(lambda: encode_voice_note(np.zeros(0, np.int16), 16_000)) is AudioProblem.EMPTY
    with pytest.raises(ValueError, match="int16"):
        encode_voice_note(np.zeros(100, np.float32), 16_000)
    with pytest.raises(ValueError, match="rate"):
        encode_voice_note(np.zeros(100, np.int16), 0)


def test_video_with_sound_is_decoded_as_its_sound() -> None:
    pcm = decode(video("mp4", "libx264", with_audio=True))

    assert pcm.seconds == pytest.approx(0.5, abs=0.1)


@pytest.mark.parametrize(("container", "codec"), [("mp4", "libx264"), ("matroska", "mpeg4")])
def test_video_without_sound_is_not_audio(container: str, codec: str) -> None:
    data = video(container, codec)

    assert reason(lambda: decode(data)) is AudioProblem.NOT_AUDIO
    assert duration_of(data) is None


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(png(), id="png-picture"),
        pytest.param(np.random.default_rng(1).bytes(50_000), id="random-bytes"),
        pytest.param("Сәлем! Привет! Hello!".encode() * 50, id="text"),
        pytest.param(b"#EXTM3U\n#EXTINF:10,\n/etc/passwd\n#EXT-X-ENDLIST\n", id="playlist"),
        pytest.param(b"ffconcat version 1.0\nfile /etc/passwd\n", id="concat-script"),
    ],
)
def test_what_is_not_audio_is_refused(data: bytes) -> None:
    assert reason(lambda: decode(data)) is AudioProblem.NOT_AUDIO
    assert duration_of(data) is None


def test_empty_input_and_audio_without_samples_are_empty() -> None:
    flac_header_only = encoded(np.zeros(0, np.int16), 16_000, "flac", "flac", 16_000)

    assert reason(lambda: decode(b"")) is AudioProblem.EMPTY
    assert reason(lambda: decode(wav(np.zeros(0, np.int16), 16_000))) is AudioProblem.EMPTY
    assert reason(lambda: decode(flac_header_only)) is AudioProblem.EMPTY
    assert duration_of(b"") is None


def test_ogg_cut_inside_its_headers_is_refused_and_cut_later_keeps_what_arrived() -> None:
    note = encode_voice_note(speechlike(5.0), 16_000)

    assert reason(lambda: decode(note[:30])) is AudioProblem.NOT_AUDIO
    assert reason(lambda: decode(note[:300])) is AudioProblem.NOT_AUDIO
    partial = decode(note[: len(note) // 2])
    assert 1.0 < partial.seconds < 4.0


def test_size_limit_is_checked_before_decoding() -> None:
    too_big = bytes(20 * 1024 * 1024 + 1)
    note = encode_voice_note(speechlike(1.0), 16_000)

    refused = refusal(lambda: decode(too_big))
    assert refused.reason is AudioProblem.TOO_BIG
    assert refused.decoded_seconds == 0.0
    assert reason(lambda: decode(note, max_bytes=len(note) - 1)) is AudioProblem.TOO_BIG
    assert decode(note, max_bytes=len(note)).seconds == pytest.approx(1.0, abs=0.1)


def test_duration_limit_is_two_minutes_by_default() -> None:
    assert decode(wav(speechlike(119.0, 8_000), 8_000)).seconds == pytest.approx(119.0, abs=0.01)
    too_long = wav(speechlike(121.0, 8_000), 8_000)
    assert reason(lambda: decode(too_long)) is AudioProblem.TOO_LONG
    assert reason(lambda: decode(too_long, max_seconds=60)) is AudioProblem.TOO_LONG
    assert decode(too_long, max_seconds=130).seconds == pytest.approx(121.0, abs=0.01)


@pytest.mark.parametrize(
    ("container", "options", "most_decoded"),
    [
        # The container declares ten minutes: refused before a packet is decoded.
        pytest.param("ogg", None, 0.0, id="ogg-declares-its-duration"),
        # No declared duration: decoding stops one frame (at most 120 ms of Opus) past 2 min.
        pytest.param("webm", {"live": "1"}, 120.2, id="webm-live-declares-none"),
    ],
)
def test_ten_minute_recording_is_refused_without_decoding_it_all(
    container: str, options: dict[str, str] | None, most_decoded: float
) -> None:
    data = long_opus(container, 600, options)

    refused = refusal(lambda: decode(data))
    assert refused.reason is AudioProblem.TOO_LONG
    assert refused.decoded_seconds <= most_decoded  # of 600 s (CPU: bench/audio_refusal.py)


def test_ten_minute_wav_is_refused_from_its_header() -> None:
    data = wav(np.zeros(600 * 8_000, np.int16), 8_000)

    assert duration_of(data) == pytest.approx(600.0)
    refused = refusal(lambda: decode(data))
    assert refused.reason is AudioProblem.TOO_LONG
    assert refused.decoded_seconds == 0.0


def test_damaged_packets_lose_only_themselves() -> None:
    note = bytearray(encode_voice_note(speechlike(5.0), 16_000))
    note[len(note) // 2 : len(note) // 2 + 500] = np.random.default_rng(5).bytes(500)

    assert decode(bytes(note)).seconds == pytest.approx(5.0, abs=1.1)


def test_audio_whose_rate_changes_midway_is_resampled_throughout() -> None:
    first = encoded(speechlike(2.0, 16_000), 16_000, "mp3", "libmp3lame", 16_000)
    second = encoded(speechlike(3.0, 44_100), 44_100, "mp3", "libmp3lame", 44_100)

    assert decode(first + second).seconds == pytest.approx(5.0, abs=0.2)


def test_pcm_is_frozen_mono_int16() -> None:
    pcm = Pcm(np.zeros(8_000, np.int16))

    assert (pcm.sample_rate, pcm.seconds) == (16_000, 0.5)
    with pytest.raises(AttributeError):
        pcm.sample_rate = 8_000  # type: ignore[misc]
    with pytest.raises(ValueError, match="int16"):
        Pcm(np.zeros((2, 100), np.int16))
    decoded = decode(wav(speechlike(0.5), 16_000))
    with pytest.raises(ValueError, match="read-only"):
        decoded.samples[0] = 1
