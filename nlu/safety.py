"""Is the person safe? An asymmetric judgement: "safe" only when they clearly say so.

A wrong "safe" stops a person's follow-ups and tells the dispatcher not to worry about them;
a wrong "needs help" costs a dispatcher a minute. So: negation ("I'm not safe"), doubt ("I
think we're ok"), a condition ("safe if the water stops"), the past ("I was safe, but…"),
somebody else in danger, or any danger word mean *needs help*; a safety answer that says
nothing clear ("ok", "we're safe, the fire is far away") is *unclear* and the person is asked.

The rules run on folded text (and on Kazakh typed in Latin letters, read as Cyrillic). They
decide before and over the classifier: a model may say `report_safe`; only this says SAFE.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from nlu.emergency import danger
from nlu.hazard_talk import SUBSCRIPTION
from nlu.negation import BREAK, CONTRAST, Tokens, negated, span
from nlu.safety_words import (
    ASKS_FOR_HELP,
    BAD_STATE,
    BARE_WORDS,
    CANNOT_MOVE,
    CONDITION,
    DOUBT,
    FILLER,
    FIRST_PERSON,
    FIRST_PERSON_ENDING,
    HARM_WORDS,
    INJURED,
    MILD_WORDS,
    MISHAP_CUES,
    MISHAP_WORDS,
    NEGATIVE_ALONE,
    NO_HELP_NEEDED,
    NOT_QUITE,
    NOT_WELL,
    OTHERS,
    OTHERS_AT_RISK,
    PAST,
    REASSURANCE,
    SAFE_WORDS,
    TOPICAL,
    UNSURE,
    WEAK_WORDS,
)
from nlu.script import mostly_latin, spelled_in_cyrillic
from nlu.text import fold


class Safety(StrEnum):
    """What an answer to a warning says: safe, needs help, or unclear (then the bot asks)."""

    SAFE = "safe"
    NEEDS_HELP = "help"
    UNCLEAR = "unclear"


@dataclass(frozen=True, slots=True)
class Judgement:
    """The safety read of one message and the cues that led to it (None: not about safety)."""

    safety: Safety | None
    reasons: tuple[str, ...] = ()


@dataclass(slots=True)
class _Signals:
    claims_safe: bool = False
    claims_in_person: bool = False
    """A claim of safety in a clause that names no service ("all safe, we went to the school
    shelter with the neighbours"): about the person whatever the rest of the message is."""
    weak_only: bool = False
    negated_safe: bool = False
    harm: bool = False
    doubt: bool = False
    condition: bool = False
    past: bool = False
    mild: bool = False
    mild_negated: bool = False
    unsure: bool = False
    contrast: bool = False
    not_quite: bool = False
    question: bool = False
    others: bool = False
    others_at_risk: bool = False
    asks_for_help: bool = False
    topical: bool = False
    cannot_move: bool = False

    def read(self, raw: str, tokens: Tokens, *, transliterated: bool = False) -> None:
        text = tokens.text()
        safe = [span(tokens, m) for m in SAFE_WORDS.finditer(text)]
        harm = [span(tokens, m) for m in HARM_WORDS.finditer(text)]
        mishap = [span(tokens, m) for m in MISHAP_WORDS.finditer(text)]
        mild = [span(tokens, m) for m in MILD_WORDS.finditer(text)]
        terms = {i for start, end in [*safe, *harm, *mishap, *mild] for i in range(start, end)}
        if SUBSCRIPTION.search(text):  # "send me danger alerts" asks for warnings
            harm = []
        for start, end in safe:
            if negated(tokens, start, end, stops=terms):
                self.negated_safe = True
            else:
                self._claim(tokens, start, end)
                self.negated_safe |= _negative_clause_after(tokens, end)
        for start, end in harm:
            if negated(tokens, start, end, stops=terms):
                self._claim(tokens, start, end)
            else:
                self.harm = True
        for start, end in mishap:  # "nothing happened", not "no, that's wrong"
            if negated(tokens, start, end, stops=terms, before=MISHAP_CUES):
                self._claim(tokens, start, end)
        for start, end in mild:
            if not negated(tokens, start, end, stops=terms):
                self.mild = True
            elif _first_person(tokens, start, end) or _short_and_about_no_one(tokens, text):
                self.negated_safe = True
            else:
                self.mild_negated = True
        for match in BAD_STATE.finditer(text):  # "всё плохо", but not "не так уж всё плохо"
            self.harm |= not negated(tokens, *span(tokens, match))
        self.harm |= INJURED.search(text) is not None or NOT_WELL.search(text) is not None
        self.cannot_move |= CANNOT_MOVE.search(text) is not None
        self.unsure |= UNSURE.search(text) is not None
        self.weak_only |= WEAK_WORDS.search(text.replace(f" {BREAK}", "")) is not None
        self.doubt |= DOUBT.search(text) is not None
        self.condition |= CONDITION.search(text) is not None
        self.past |= PAST.search(text) is not None
        if not transliterated:  # English "no" read as Cyrillic is Russian "но" (but)
            self.contrast |= any(word in CONTRAST for word in tokens.words)
        self.not_quite |= NOT_QUITE.search(text) is not None
        self.question |= "?" in raw
        self.others |= OTHERS.search(text) is not None
        for clause in text.split(f" {BREAK} "):  # somebody else, at risk, in one clause
            if OTHERS_AT_RISK.search(clause) and _about_others(clause, text):
                self.others_at_risk = True
        self.asks_for_help |= ASKS_FOR_HELP.search(text) is not None
        self.topical |= TOPICAL.search(text) is not None

    def _claim(self, tokens: Tokens, start: int, end: int) -> None:
        """A claim of safety in words `start:end`; in person when its clause names no service."""
        self.claims_safe = True
        self.claims_in_person |= TOPICAL.search(_clause(tokens, start, end)) is None


def _about_others(clause: str, text: str) -> bool:
    """Whether a clause speaks of somebody else: it names them, or it names nobody and the
    message does ("мама дома, не отвечает"); "we stayed home" is about the speaker."""
    if OTHERS.search(clause):
        return True
    return not FIRST_PERSON.intersection(clause.split()) and OTHERS.search(text) is not None


def _clause_bounds(tokens: Tokens, start: int, end: int) -> tuple[int, int]:
    """Where the clause around words `start:end` begins and ends (between clause breaks)."""
    words = tokens.words
    left = start
    while left > 0 and words[left - 1] != BREAK:
        left -= 1
    right = end
    while right < len(words) and words[right] != BREAK:
        right += 1
    return left, right


def _clause(tokens: Tokens, start: int, end: int) -> str:
    """The clause around words `start:end`, as text."""
    left, right = _clause_bounds(tokens, start, end)
    return " ".join(tokens.words[left:right])


def _first_person(tokens: Tokens, start: int, end: int) -> bool:
    """Whether the clause around words `start:end` speaks of "I" or "we"."""
    words = tokens.words
    left, right = _clause_bounds(tokens, start, end)
    clause = words[left:right]
    return bool(FIRST_PERSON.intersection(clause)) or any(
        FIRST_PERSON_ENDING.search(word) for word in words[start : min(right, end + 2)]
    )


SHORT = 4
"""Words in a message short enough that "not good" can only be about the speaker."""
CORRECT = frozenset({"дурыс", "дурыс па", "правильно", "верно", "right", "correct"})
THINGS = frozenset(
    {"that", "thats", "this", "it", "its", "time", "это", "так", "время", "тот", "бул", "осы",
     "уакыт"}
)  # fmt: skip


def _short_and_about_no_one(tokens: Tokens, text: str) -> bool:
    """Short and about no one ("жақсы емес", "не очень хорошо"): the speaker means themself."""
    words = [word for word in tokens.words if word != BREAK]
    return (
        len(words) <= SHORT
        and not CORRECT.intersection(words)  # "жоқ, дұрыс емес": not right, not unwell
        and OTHERS.search(text) is None
        and not THINGS.intersection(words)  # "no, that's not good" is about a thing
    )


def _negative_clause_after(tokens: Tokens, index: int) -> bool:
    """A later clause of only "no" / "not really" after the safety words: "Safe? Not really." """
    words = tokens.words
    if BREAK not in words[index:]:
        return False
    clause: list[str] = []
    for word in [*words[words.index(BREAK, index) + 1 :], BREAK]:
        if word != BREAK:
            clause.append(word)
            continue
        if clause and set(clause) <= NEGATIVE_ALONE | FILLER and set(clause) & NEGATIVE_ALONE:
            return True
        clause = []
    return False


def judge(text: str, *, hazard: str | None = None, answering_warning: bool = False) -> Judgement:
    """Whether a message says the person is safe, needs help, is unclear, or says neither.

    `hazard` is what the emergency layer found in the message (see `nlu.emergency.danger`).
    `answering_warning`: the person has a warning to answer, so a bare "ok" is unclear.
    """
    s = _signals(text)
    if hazard == "urgent" and SUBSCRIPTION.search(fold(text)):
        hazard = None  # "112 warnings", "бір қызметке жазылғым келеді, көмектесіңізші"
    if s.asks_for_help and (not s.topical or hazard):
        return Judgement(Safety.NEEDS_HELP, ("asks for help",))
    if (s.negated_safe or s.harm) and not s.topical:
        return Judgement(Safety.NEEDS_HELP, ("says they are not safe",))
    if s.others_at_risk and not (s.topical and _asks(text) and hazard is None):
        return Judgement(Safety.NEEDS_HELP, ("somebody else may be in danger",))
    if s.unsure and not s.topical:
        return Judgement(Safety.NEEDS_HELP, ("does not know if they are safe",))
    doubts = _doubts(s)
    if hazard is not None:
        if s.claims_safe and s.question and not _signals(_without_questions(text)).claims_safe:
            return Judgement(Safety.NEEDS_HELP, (f"danger: {hazard}", "asks back, then says it"))
        if s.claims_safe and not doubts and not s.others:
            if danger(_without_past_danger(text)) is None:  # "all good after the earthquake"
                return Judgement(Safety.SAFE, ("says they are safe", f"{hazard} is over"))
            return Judgement(Safety.UNCLEAR, ("safe, but names a danger",))
        return Judgement(Safety.NEEDS_HELP, (f"danger: {hazard}", *doubts))
    if s.claims_safe:
        if s.topical and not (s.negated_safe or s.harm or s.claims_in_person):
            return Judgement(None, ("about a service, not the person",))
        if doubts:
            return Judgement(Safety.NEEDS_HELP, doubts)
        if s.question:
            return Judgement(Safety.UNCLEAR, ("asks rather than says",))
        return Judgement(Safety.SAFE, ("says they are safe",))
    if (s.mild or (s.mild_negated and s.past)) and doubts and not s.topical:
        return Judgement(Safety.NEEDS_HELP, ("'fine', with doubt", *doubts))
    bare = answering_warning and _bare_answer(text)
    if answering_warning and (s.weak_only or s.mild or s.doubt or s.negated_safe or s.harm or bare):
        return Judgement(Safety.UNCLEAR, ("an answer that does not say",))
    return Judgement(None)


def _signals(text: str) -> _Signals:
    """What the message says, read as typed and, when mostly Latin, as Latin Kazakh."""
    signals = _Signals()
    views = [(Tokens.of(text), False)]
    if mostly_latin(text):
        views.append((Tokens.of(spelled_in_cyrillic(text)), True))
    for tokens, transliterated in views:
        said = tokens.text()
        if NO_HELP_NEEDED.search(said):
            signals.claims_safe = True
            said = NO_HELP_NEEDED.sub(" ", said)
        said = REASSURANCE.sub(" ", said)
        signals.read(text, Tokens.of(said), transliterated=transliterated)
    return signals


_QUESTION = re.compile(r"[^.!?\n]*\?+")
_AFTER_DANGER = re.compile(
    r"\b(?:after|since) (?:the |that |this )?\w+"
    r"|\bпосле (?:\w+ )?\w+"
    r"|\b\w+(?:нан|нен|дан|ден|тан|тен) (?:кейин|соң|сон)\b"
)
"""A danger named as over: "after the earthquake", "после землетрясения", "жер сілкінісінен
кейін"."""


def _without_past_danger(text: str) -> str:
    """The message without the dangers it names as over ("all good after the earthquake")."""
    return _AFTER_DANGER.sub(" ", fold(text))


def _without_questions(text: str) -> str:
    """The message without its questions: "Safe? We're stuck in the car" → " We're stuck …"."""
    return _QUESTION.sub(" ", text)


_ASKS = re.compile(
    r"\?|^(?:can|could|is|are|does|do|how|where|when|what)\b|\b(?:can (?:she|he|they|i|we)"
    r"|is there|are there|можно|положен\w*|полагает\w*|как|где|когда|есть ли|бере ме|бола ма"
    r"|кандай|калай|кашан|кайда|ма|ме|ба|бе|па|пе)\b"
)
"""A question ("can she get a personal assistant?", "санаторийге жолдама бар ма")."""


def _asks(text: str) -> bool:
    """Whether the message asks something: "my father is bedridden, can he get a taxi?"."""
    return _ASKS.search(fold(text)) is not None or "?" in text


def _bare_answer(text: str) -> bool:
    """Only "no", "not really", "not yet", "наверное нет" …: to a warning, no answer at all."""
    words = [word for word in Tokens.of(text).words if word != BREAK]
    return 0 < len(words) <= 4 and set(words) <= BARE_WORDS


def _doubts(s: _Signals) -> tuple[str, ...]:
    found = (
        ("doubt", s.doubt),
        ("a condition", s.condition),
        ("the past", s.past),
        ("a 'but'", s.contrast),
        ("'not really'", s.not_quite),
        ("cannot move", s.cannot_move),
    )
    return tuple(name for name, present in found if present)


@dataclass(frozen=True, slots=True)
class Assessment:
    """What the emergency layer found and what the safety judgement made of the message."""

    hazard: str | None
    judgement: Judgement

    @property
    def safety(self) -> Safety | None:
        return self.judgement.safety


@lru_cache(maxsize=512)
def assess(text: str, *, answering_warning: bool = False) -> Assessment:
    """The emergency layer and the safety judgement together, as the dialogue runs them.

    Cached: one turn asks up to three times (flood guard, emergency layer, NLU)."""
    hazard = danger(text)
    return Assessment(hazard, judge(text, hazard=hazard, answering_warning=answering_warning))


def reply_to_warning(text: str) -> Safety:
    """A reply in words to a warning (an SMS): what it says, "unclear" when it says neither."""
    return assess(text, answering_warning=True).safety or Safety.UNCLEAR
