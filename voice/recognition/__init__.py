"""Speech recognition: voice messages in Kazakh, Russian and English to text."""

from voice.recognition.base import SAMPLE_RATE, Recognizer, Transcript
from voice.recognition.errors import ModelMissing, RecognitionFailed, RecognitionTimedOut
from voice.recognition.pool import (
    DEFAULT_ENGINES,
    ENGINE_NAMES,
    POCKETSPHINX,
    VOSK,
    WHISPER,
    RecognitionConfig,
    RecognizerPool,
)

__all__ = [
    "DEFAULT_ENGINES",
    "ENGINE_NAMES",
    "POCKETSPHINX",
    "SAMPLE_RATE",
    "VOSK",
    "WHISPER",
    "ModelMissing",
    "RecognitionConfig",
    "RecognitionFailed",
    "RecognitionTimedOut",
    "Recognizer",
    "RecognizerPool",
    "Transcript",
]
