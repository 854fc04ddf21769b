"""Negation and its scope in kk, ru and en: is this word said, or said not to be so?

Each language marks negation differently:
- English puts a cue before the word it negates ("not safe", "isn't ok", "never safe"),
  sometimes a few words before ("not really very safe").
- Russian too ("не в безопасности", "не очень хорошо"), or fuses it ("небезопасно"), and puts
  "нет" after a noun to say it is absent ("опасности нет": there is no danger).
- Kazakh puts "емес" or "жоқ" after the word ("қауіпсіз емес", "қауіп жоқ"), or a suffix on the
  verb ("ойламаймын": I do not think).

A message is a list of tokens with clause breaks ("," "." "but" …) kept as `|`, so a cue in
one clause does not negate a word in the next ("it was not easy, but we are safe").
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from core.text import fold

BREAK = "|"
_BREAKS = re.compile(r"[.,;:!?\n()«»\"—–|]+|\s-\s")
"""Clause breaks: punctuation, a dash between words, and `BREAK` itself, so that tokens written
back as text (`Tokens.text`) and read again keep their clauses."""

BEFORE = frozenset(
    {
        # en ("n't" folds to a separate "t": "isn't" → "isn t")
        "not", "no", "never", "t", "nt", "isnt", "arent", "aint", "dont", "doesnt", "didnt",
        "wasnt", "werent", "cant", "cannot", "wont", "hardly", "nobody", "noone", "nothing",
        "nowhere", "neither", "nor", "without",
        # ru
        "не", "ни", "нет", "нельзя", "вряд", "никто", "ничего", "нисколько", "никак", "без",
        # kk (rarely before the word)
        "еш", "ешким", "ешкандай", "ештеме", "ештене", "ешнарсе",
    }
)  # fmt: skip
"""Cues that negate a word after them."""

AFTER = frozenset(
    {
        "емес", "емеспин", "емеспиз", "емеспын", "емеспыз", "емессин", "емессиз", "емессиндер",
        "жок", "жокпын", "жокпыз", "жокпин", "жокпиз", "нет", "not", "no",
    }
)  # fmt: skip
"""Cues that negate the word before them (Kazakh "емес", "жоқ"; "опасности нет")."""

FUSED = re.compile(
    r"^(?:не(?:безопас|хорош|нормал|споко|благопол)\w*|unsafe|insecure|unwell|"
    r"\w+(?:ма|ме|ба|бе|па|пе)(?:йм[ыи]н|йм[ыи]з|[иы]д[ыи]|[иы]м|с[ыи]н|йд[ыи])|"
    r"\w+(?:ма|ме|ба|бе|па|пе)ган\w*)$"
)
"""A word that carries its own negation (Russian не-, English un-, a Kazakh negative verb)."""

NEGATED_VERB_AFTER = re.compile(r"^(?:сезин|ойла|айт|сана|сен)(?:ма|ме|ба|бе|па|пе)\w*$")
"""A Kazakh verb of feeling, thinking or saying, negated by its suffix, after the word it is
about: "қауіпсіз сезінбеймін" (I do not feel safe), "аман деп ойламаймын", "жақсы деп айтпаймын"."""

CONTRAST = frozenset(
    {"but", "however", "although", "though", "yet", "но", "однако", "хотя", "зато", "бирак",
     "алайда", "дегенмен", "biraq"}
)  # fmt: skip

AFTER_ALWAYS = frozenset(word for word in AFTER if word not in {"not", "no"})
"""Kazakh "емес"/"жоқ" and Russian "нет" always negate the word before; "not" only at a clause's end
("safe? not really", "опасности нет"), not before a word of their own ("fine, not hurt")."""
BEFORE_WINDOW = 4
AFTER_WINDOW = 2


@dataclass(frozen=True, slots=True)
class Tokens:
    """A message as folded words, with clause breaks kept as `BREAK`."""

    words: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> Tokens:
        clauses = _BREAKS.split(text.lower())
        words: list[str] = []
        for clause in clauses:
            folded = fold(clause).split()
            if not folded:
                continue
            if words:
                words.append(BREAK)
            for word in folded:
                if word in CONTRAST and words and words[-1] != BREAK:
                    words.extend((BREAK, word))
                else:
                    words.append(word)
        return cls(tuple(words))

    def text(self) -> str:
        return " ".join(self.words)


def negated(
    tokens: Tokens,
    start: int,
    end: int,
    *,
    stops: AbstractSet[int] = frozenset(),
    before: AbstractSet[str] = BEFORE,
) -> bool:
    """Whether the words `start:end` are negated within their clause.

    Russian and Kazakh stack negation for emphasis ("ничего не случилось" is one "nothing
    happened"), so one cue or several mean the same: negated. The search stops at a clause
    break and at `stops`, the words of other terms ("no danger here, we are fine": the "no"
    belongs to "danger", not to "fine").
    """
    words = tokens.words
    if any(FUSED.match(word) for word in words[start:end]):
        return True
    if any(word in before for word in words[start + 1 : end]):  # "we are not ok"
        return True
    for index in range(start - 1, max(-1, start - 1 - BEFORE_WINDOW), -1):
        word = words[index]
        if word == BREAK or index in stops:
            break
        if word in AFTER_ALWAYS and index - 1 in stops:  # "опасности нет, всё ок": "нет" is taken
            break
        if word in before:
            return True
    for index in range(end, min(len(words), end + AFTER_WINDOW)):
        word = words[index]
        if word == BREAK or index in stops:
            break
        if word in AFTER and (word in AFTER_ALWAYS or _ends_clause(words, index + 1)):
            return True
        if NEGATED_VERB_AFTER.match(word):
            return True
    return False


def _ends_clause(words: tuple[str, ...], index: int) -> bool:
    """Nothing but fillers from `index` to the clause's end."""
    for word in words[index:]:
        if word == BREAK:
            return True
        if word not in {"really", "quite", "at", "all", "совсем", "вообще", "особо"}:
            return False
    return True


def span(tokens: Tokens, match: re.Match[str]) -> tuple[int, int]:
    """The word indexes a match on `tokens.text()` covers."""
    text = tokens.text()
    start = text.count(" ", 0, match.start())
    end = start + text.count(" ", match.start(), match.end()) + 1
    return start, end
