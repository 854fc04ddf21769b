"""Danger on the road, for the emergency layer (`nlu.emergency`): stranded, freezing, a crash.

People caught out by a storm write about the car, the road and the cold, not about danger:
"the car slid into a ditch", "мы в машине и мёрзнем", "көлік қарға батып қалды". Patterns are
on folded text (ё → е, қ → к …), and on Latin Kazakh read as Cyrillic.
"""

from __future__ import annotations

ROAD: dict[str, list[str]] = {
    "trapped": [  # stranded on a road: shown to the dispatcher as trapped
        r"\b(?:stranded|snowed in|stuck in (?:the )?(?:snow|snowdrift|drift|ditch|mud))\b",
        r"\b(?:car|bus|van|truck) (?:\w+ ){0,3}(?:slid|skidded|rolled|flipped|overturned|crashed"
        r"|went off the road|off the road|into a ditch|in a ditch)\b",
        r"\b(?:we (?:are|re)|i m|im|i am) (?:\w+ )?(?:freezing|frozen)\b",
        r"\b(?:car crash|crashed the car|had a crash|hit by a car)\b",
        r"\b(?:замерзаем|замерзаю|мерзнем|мерзну|замерзли|околева\w*|окоченел\w*)\b",
        r"\b(?:занесло|замело|засыпало снегом|кювет\w*|сугроб\w*|перевернул\w*)\b",
        r"\b(?:дтп|попал\w* в авари\w*|врезал\w* в|сбила машина|сбил машина)\b",
        r"\b(?:тонып|тонып жатыр\w*|тоназып|усип\w*|карга батып|кар басып|кар кумып)\b",
        r"\b(?:жол апат\w*|апатка ушыра\w*|аударылып\w*|аударылды\w*|сокты|согып кетти)\b",
    ],
}
"""Kinds of danger on the road and their patterns, added after the emergency layer's own."""
