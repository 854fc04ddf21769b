"""MP3 from an online engine to 16-bit mono samples, and tempo changes, with PyAV."""

from __future__ import annotations

import io

import av
import av.error
import numpy as np
import numpy.typing as npt

from voice.synthesis.base import SynthesisError

Samples = npt.NDArray[np.int16]


def _samples(frame: av.AudioFrame) -> Samples:
    """The samples of a packed s16 mono frame as one flat array."""
    return frame.to_ndarray().reshape(-1).astype(np.int16)


def decode_mp3(data: bytes) -> tuple[Samples, int]:
    """Decode MP3 bytes to int16 mono samples and their sample rate."""
    chunks: list[Samples] = []
    try:
        with av.open(io.BytesIO(data), mode="r", format="mp3") as container:
            if not container.streams.audio:
                raise SynthesisError("the MP3 has no audio stream")
            stream = container.streams.audio[0]
            rate = stream.rate
            resampler = av.AudioResampler(format="s16", layout="mono", rate=rate)
            for frame in container.decode(stream):
                chunks.extend(_samples(out) for out in resampler.resample(frame))
            chunks.extend(_samples(out) for out in resampler.resample(None))
    except av.error.FFmpegError as error:
        raise SynthesisError(f"cannot decode the MP3: {error}") from error
    if not chunks or not rate:
        raise SynthesisError("the MP3 holds no audio")
    return np.concatenate(chunks), rate


def change_tempo(samples: Samples, sample_rate: int, factor: float) -> Samples:
    """Speed speech up (factor > 1) or slow it down without changing its pitch."""
    if factor == 1.0 or len(samples) == 0:
        return samples
    graph = av.filter.Graph()
    source = graph.add_abuffer(sample_rate=sample_rate, format="s16", layout="mono")
    tempo = graph.add("atempo", f"{factor:.4f}")
    sink = graph.add("abuffersink")
    graph.link_nodes(source, tempo, sink)
    graph.configure()
    frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
    frame.sample_rate = sample_rate
    graph.push(frame)
    graph.push(None)
    chunks: list[Samples] = []
    while True:
        try:
            out = graph.pull()
        except (av.error.BlockingIOError, av.error.EOFError):
            break
        if isinstance(out, av.AudioFrame):
            chunks.append(_samples(out))
    if not chunks:
        return samples[:0]
    return np.concatenate(chunks)
