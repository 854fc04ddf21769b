"""Audio users send (voice notes, music files, browser recordings) to 16 kHz mono PCM."""

from __future__ import annotations

import io

import av
import av.error
import numpy as np
from av.audio.frame import AudioFrame
from av.audio.resampler import AudioResampler
from av.audio.stream import AudioStream
from av.container import InputContainer
from numpy.typing import NDArray

from voice.audio.errors import AudioError, AudioProblem
from voice.audio.pcm import SAMPLE_RATE, Pcm

MAX_BYTES = 20 * 1024 * 1024
MAX_SECONDS = 120.0

# Demuxers we open (FFmpeg names; "mov" covers MP4, M4A and 3GP, "matroska" covers WebM).
# Anything else (pictures, playlists, concat scripts that would open other files) is refused.
DEMUXERS = ("ogg", "mp3", "mov", "wav", "flac", "matroska", "aac", "amr", "aiff", "caf")

# A container's own duration is trusted to refuse at once only when it is clearly too long.
_DECLARED_SLACK_SECONDS = 0.5


def decode(data: bytes, *, max_bytes: int = MAX_BYTES, max_seconds: float = MAX_SECONDS) -> Pcm:
    """Decode OGG/Opus, MP3, M4A/AAC, WAV, FLAC or WebM audio to 16 kHz mono 16-bit PCM.

    Raises AudioError only: EMPTY (no bytes, no samples), TOO_BIG (checked first),
    TOO_LONG (from the declared duration, else while decoding), NOT_AUDIO (anything else).
    A video with sound gives its sound; damaged packets are skipped unless most are damaged;
    a file cut off after its headers gives the audio that arrived.
    """
    if not data:
        raise AudioError(AudioProblem.EMPTY, "no bytes")
    if len(data) > max_bytes:
        raise AudioError(AudioProblem.TOO_BIG, f"{len(data)} bytes > {max_bytes}")
    try:
        with _open(data) as container:
            return _decode_container(container, max_seconds)
    except AudioError:
        raise
    except Exception as error:  # PyAV raises FFmpegError, ValueError, TypeError...
        raise AudioError(AudioProblem.NOT_AUDIO, f"{type(error).__name__}: {error}") from error


def duration_of(data: bytes) -> float | None:
    """The audio's duration in seconds as its container declares it (no decoding), or None."""
    if not data:
        return None
    try:
        with _open(data) as container:
            stream = _audio_stream(container)
            return None if stream is None else _declared_seconds(container, stream)
    except Exception:
        return None


def _open(data: bytes) -> InputContainer:
    return av.open(
        io.BytesIO(data),
        mode="r",
        container_options={"format_whitelist": ",".join(DEMUXERS)},
        metadata_errors="ignore",
    )


def _audio_stream(container: InputContainer) -> AudioStream | None:
    stream = container.streams.best("audio")
    return stream if isinstance(stream, AudioStream) else None


def _declared_seconds(container: InputContainer, stream: AudioStream) -> float | None:
    if stream.duration is not None and stream.duration > 0 and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None and container.duration > 0:
        return container.duration / av.time_base
    return None


def _decode_container(container: InputContainer, max_seconds: float) -> Pcm:
    stream = _audio_stream(container)
    if stream is None:
        raise AudioError(AudioProblem.NOT_AUDIO, "no audio stream")
    declared = _declared_seconds(container, stream)
    if declared is not None and declared > max_seconds + _DECLARED_SLACK_SECONDS:
        raise AudioError(AudioProblem.TOO_LONG, f"declared {declared:.1f} s > {max_seconds} s")
    to_mono = _ToMono16k()
    seconds = 0.0
    good = bad = 0
    try:
        for packet in container.demux(stream):
            try:
                frames = stream.decode(packet)
            except av.error.FFmpegError:
                bad += 1  # one damaged packet loses a few milliseconds, not the message
                continue
            good += 1
            for frame in frames:
                seconds += frame.samples / frame.sample_rate
                if seconds > max_seconds:
                    raise AudioError(
                        AudioProblem.TOO_LONG, f"over {max_seconds} s", decoded_seconds=seconds
                    )
                to_mono.add(frame)
    except av.error.FFmpegError:
        if not to_mono.has_samples:
            raise
        # A cut-off download: keep what was received.
    samples = to_mono.finish()
    if bad > good:
        raise AudioError(AudioProblem.NOT_AUDIO, f"{bad} of {good + bad} packets undecodable")
    if samples.size == 0:
        raise AudioError(AudioProblem.NOT_AUDIO if bad else AudioProblem.EMPTY, "no samples")
    if len(samples) / SAMPLE_RATE > max_seconds:
        raise AudioError(AudioProblem.TOO_LONG, f"over {max_seconds} s", decoded_seconds=seconds)
    samples.flags.writeable = False
    return Pcm(samples, SAMPLE_RATE)


class _ToMono16k:
    """Resamples decoded frames to 16 kHz mono s16, starting afresh when the input changes."""

    def __init__(self) -> None:
        self._resampler: AudioResampler | None = None
        self._input: tuple[str, str, int] | None = None
        self._chunks: list[NDArray[np.int16]] = []

    @property
    def has_samples(self) -> bool:
        """Whether any samples came out yet."""
        return bool(self._chunks)

    def add(self, frame: AudioFrame) -> None:
        """Resample one decoded frame."""
        shape = (frame.format.name, frame.layout.name, frame.sample_rate)
        if self._resampler is None or shape != self._input:
            self._flush()  # a chained OGG or an MP3 may change rate or channels midway
            self._resampler = AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
            self._input = shape
        self._keep(self._resampler.resample(frame))

    def finish(self) -> NDArray[np.int16]:
        """Flush the resampler and return every sample, in order."""
        self._flush()
        if not self._chunks:
            return np.zeros(0, dtype=np.int16)
        return np.concatenate(self._chunks)

    def _flush(self) -> None:
        if self._resampler is not None:
            self._keep(self._resampler.resample(None))
            self._resampler = None

    def _keep(self, frames: list[AudioFrame]) -> None:
        for frame in frames:
            if frame.samples:
                self._chunks.append(frame.to_ndarray().reshape(-1).astype(np.int16, copy=False))
