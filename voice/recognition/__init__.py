"""Speech recognition: voice messages in Kazakh, Russian and English to text."""

from voice.recognition.base import SAMPLE_RATE, Recognizer, Transcript
from voice.recognition.errors import ModelMissing, RecognitionFailed
from voice.recognition.pool import (
    DEFAULT_ENGINES,
    POCKETSPHINX,
    VOSK,
    RecognitionConfig,
    RecognitionSettings,
    RecognizerPool,
)

__all__ = [
    "DEFAULT_ENGINES",
    "POCKETSPHINX",
    "SAMPLE_RATE",
    "VOSK",
    "ModelMissing",
    "RecognitionConfig",
    "RecognitionFailed",
    "RecognitionSettings",
    "Recognizer",
    "RecognizerPool",
    "Transcript",
]
