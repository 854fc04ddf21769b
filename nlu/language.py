"""Which of kk, ru and en a message is in; when unsure, the person's own language wins."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from core.profile import Language
from core.text import fold
from nlu.script import latin_to_cyrillic

_KAZAKH_ONLY = re.compile(r"[әғқңөұүһі]", re.IGNORECASE)
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_LATIN = re.compile(r"[a-zäáǵğıńñóöşúüūý]", re.IGNORECASE)
_KAZAKH_LATIN_ONLY = re.compile(r"[áǵğıńóúüūýä]|q(?!u)")  # lower case: "I" would match "ı"
_ENGLISH_WORDS = frozenset(
    {
        "the", "a", "an", "i", "im", "is", "are", "am", "was", "were", "be", "to", "of", "in",
        "on", "at", "for", "with", "and", "or", "but", "not", "no", "yes", "my", "me", "you",
        "your", "we", "our", "us", "it", "this", "that", "what", "how", "when", "where", "who",
        "can", "could", "do", "does", "did", "have", "has", "please", "help", "need", "want",
        "safe", "ok", "okay", "fine", "thanks", "thank", "hello", "hi", "there", "here", "now",
        "get", "t", "m", "s",
    }
)  # fmt: skip
_SHARED_WORDS = frozenset(
    {"ау", "алло", "ало", "але", "алё", "эй", "ей", "ой", "ну", "мм", "ммм", "хм", "аа",
     "ааа", "э", "ээ", "эээ", "о", "а", "ок", "окей"}
)  # fmt: skip
"""Calls and fillers said alike in Kazakh and Russian: a message of only these has no language."""
_WORD = re.compile(r"\w+")
KAZAKH_IN_LATIN = 0.6
"""How sure the character model must be that a transliterated Latin message is Kazakh."""
SURE = 0.75
"""Below this, a Cyrillic message is taken to be in the person's profile language."""
SURE_SHORT = 0.9
"""The same for messages of one to three words, where a guess has little to go on."""


@dataclass(frozen=True, slots=True)
class Guess:
    """The language a message is in, and how sure the guess is."""

    language: Language
    confidence: float


class LanguageIdentifier:
    """Script first (Latin is English unless it reads as Kazakh; Kazakh letters are Kazakh), then
    a character model."""

    def __init__(self, model: Pipeline) -> None:
        self._model = model
        self._classes = [Language(str(c)) for c in model.classes_]

    @classmethod
    def train(cls, texts: Sequence[str], languages: Sequence[Language]) -> LanguageIdentifier:
        cyrillic = [
            (t, lang.value)
            for t, lang in zip(texts, languages, strict=True)
            if lang is not Language.EN
        ]
        model = Pipeline(
            [
                (
                    "chars",
                    TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True),
                ),
                ("model", LogisticRegression(C=10.0, max_iter=2000)),
            ]
        )
        model.fit([t.lower() for t, _ in cyrillic], [lang for _, lang in cyrillic])
        return cls(model)

    def guess(self, text: str) -> Guess | None:
        """The language and how sure; None when the text has no letters to go by."""
        cyrillic = len(_CYRILLIC.findall(text)) + len(_KAZAKH_ONLY.findall(text))
        latin = len(_LATIN.findall(text))
        if not cyrillic and not latin:
            return None
        words = _WORD.findall(text.lower())
        if cyrillic and all(word in _SHARED_WORDS for word in words):
            return None
        if latin > cyrillic:
            return self._latin(text, latin / (latin + cyrillic))
        if _KAZAKH_ONLY.search(text):
            return Guess(Language.KK, 1.0)
        probabilities = self._model.predict_proba([text.lower()])[0]
        best = int(probabilities.argmax())
        return Guess(self._classes[best], float(probabilities[best]))

    def _latin(self, text: str, share: float) -> Guess:
        """Latin letters: English, unless the words are Kazakh typed in Latin letters."""
        words = fold(text).split()
        if len(words) < 2:  # one Latin word is as likely a name ("Almaty", "Qostanay")
            return Guess(Language.EN, share)
        if _KAZAKH_LATIN_ONLY.search(text.lower()):
            return Guess(Language.KK, 0.95)
        english = sum(word in _ENGLISH_WORDS for word in words)
        if len(words) >= 3 and english / len(words) < 0.2:
            probabilities = self._model.predict_proba([latin_to_cyrillic(text)])[0]
            kazakh = float(probabilities[self._classes.index(Language.KK)])
            if kazakh >= KAZAKH_IN_LATIN:
                return Guess(Language.KK, kazakh)
        return Guess(Language.EN, share)

    def identify(self, text: str, profile: Language) -> Language:
        guess = self.guess(text)
        needed = SURE_SHORT if len(text.split()) <= 3 else SURE
        if guess is None or guess.confidence < needed:
            return profile
        return guess.language
