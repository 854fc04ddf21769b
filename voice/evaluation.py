"""How well speech is recognised: word and character error rates with digits spelled out.

Used by bench/asr_wer.py and the tests, on real recordings: the shared clips
(../shared/testdata/speech) and the studio sentences that Debian's festvox-ru ships with its
voice (the same speaker as Festival's Russian voice; "+" in its transcripts marks stress).
"""

from __future__ import annotations

import csv
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from num2words import num2words  # type: ignore[import-untyped]

from core.profile import Language

FESTVOX_RU: Final = Path("/usr/share/festival/voices/russian/msu_ru_nsh_clunits")
_LINE: Final = re.compile(r'^\(\s*(\S+)\s+"(.*)"\s*\)\s*$')
_NUMBER: Final = re.compile(r"\d+(?:[.,]\d+)?")
_NOT_WORD: Final = re.compile(r"[^\w\s']+|_")
_DIGIT_NAMES: Final = {
    Language.EN: tuple("zero one two three four five six seven eight nine".split()),  # noqa: SIM905
    Language.RU: tuple("ноль один два три четыре пять шесть семь восемь девять".split()),  # noqa: SIM905
    Language.KK: tuple("нөл бір екі үш төрт бес алты жеті сегіз тоғыз".split()),  # noqa: SIM905
}
_SAME_WORD: Final = {"oh": "zero", "ё": "е"}


@dataclass(frozen=True)
class Clip:
    """A recording and what is said in it."""

    path: Path
    transcript: str
    language: Language


def spell_number(digits: str, language: Language) -> str:
    """A number in words; long digit strings ("10019") and leading zeros digit by digit."""
    plain = digits.replace(",", ".")
    if "." not in plain and (len(plain) > 4 or (len(plain) > 1 and plain.startswith("0"))):
        return " ".join(_DIGIT_NAMES[language][int(d)] for d in plain)
    value: float | int = float(plain) if "." in plain else int(plain)
    return str(num2words(value, lang=language.value))


def words_for_scoring(text: str, language: Language) -> list[str]:
    """Lower-case words, digits spelled out, stress marks and punctuation gone, ё read as е."""
    text = text.replace("+", "").lower()
    text = _NUMBER.sub(lambda match: f" {spell_number(match.group(), language)} ", text)
    text = text.replace("ё", "е").replace("-", " ")
    words = _NOT_WORD.sub(" ", text).split()
    return [_SAME_WORD.get(word, word) for word in words]


def _edits(reference: Sequence[str], hypothesis: Sequence[str]) -> int:
    """The Levenshtein distance between two sequences."""
    previous = list(range(len(hypothesis) + 1))
    for i, wanted in enumerate(reference, start=1):
        current = [i]
        for j, heard in enumerate(hypothesis, start=1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (wanted != heard))
            )
        previous = current
    return previous[-1]


def word_error_rate(
    references: Sequence[str], hypotheses: Sequence[str], language: Language
) -> float:
    """Word errors over all reference words, after `words_for_scoring` on both sides."""
    errors = total = 0
    for reference, hypothesis in zip(references, hypotheses, strict=True):
        wanted = words_for_scoring(reference, language)
        errors += _edits(wanted, words_for_scoring(hypothesis, language))
        total += len(wanted)
    return errors / max(total, 1)


def character_error_rate(
    references: Sequence[str], hypotheses: Sequence[str], language: Language
) -> float:
    """Character errors (spaces between words included) over all reference characters."""
    errors = total = 0
    for reference, hypothesis in zip(references, hypotheses, strict=True):
        wanted = " ".join(words_for_scoring(reference, language))
        errors += _edits(wanted, " ".join(words_for_scoring(hypothesis, language)))
        total += len(wanted)
    return errors / max(total, 1)


def shared_clips(folder: Path, languages: frozenset[Language]) -> list[Clip]:
    """The clips listed in the folder's MANIFEST.tsv in the given languages."""
    with (folder / "MANIFEST.tsv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream, delimiter="\t"))
    return [
        Clip(folder / row["file"], row["transcript"], Language(row["language"]))
        for row in rows
        if row["language"] in {language.value for language in languages}
    ]


def festvox_sentences(
    count: int, *, seed: int = 18, voice: Path = FESTVOX_RU, max_seconds: float | None = None
) -> list[Clip]:
    """A seeded sample of the Russian studio sentences festvox-ru ships (wav/ + txt.done.data)."""
    lines = (voice / "etc" / "txt.done.data").read_text(encoding="utf-8").splitlines()
    clips: list[Clip] = []
    for line in lines:
        match = _LINE.match(line.strip())
        if match is None:
            continue
        path = voice / "wav" / f"{match.group(1)}.wav"
        if path.is_file() and (max_seconds is None or _wav_seconds(path) <= max_seconds):
            clips.append(Clip(path, match.group(2), Language.RU))
    sampler = random.Random(seed)  # noqa: S311 - a reproducible sample, not a secret
    return sampler.sample(clips, min(count, len(clips)))


def _wav_seconds(path: Path) -> float:
    """A WAV file's length from its header."""
    import wave

    with wave.open(str(path)) as reader:
        return float(reader.getnframes()) / float(reader.getframerate())
