"""Text normalisation for dates and times: lower case, Kazakh letters folded, numbers as digits."""

from __future__ import annotations

import re

from core.profile import Language

_KAZAKH_FOLD = str.maketrans("әқұүғөңіһё", "акуугонихе")
_LATIN_I = re.compile(r"(?<=[а-я])i|i(?=[а-я])")
_MERIDIEM_DOTS = re.compile(r"\b([ap])\.\s?m\b\.?")
_NOT_KEPT = re.compile(r"[^\w:./\-]+|_")
_WORD_HYPHEN = re.compile(r"(?<=[a-zа-я])-(?=[a-zа-я])")
_SPOKEN_MERIDIEM = re.compile(r"(?<=[0-9])\s*([ap])\s?m\b")
_PHONE = re.compile(r"\+?(?<![0-9])[0-9](?:[\s\-()]{0,2}[0-9]){9,}")

_EN_CARDINALS = {
    word: value
    for value, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
    )
} | {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}
_EN_ORDINALS = {
    word: value
    for value, word in enumerate(
        [
            "first",
            "second",
            "third",
            "fourth",
            "fifth",
            "sixth",
            "seventh",
            "eighth",
            "ninth",
            "tenth",
            "eleventh",
            "twelfth",
            "thirteenth",
            "fourteenth",
            "fifteenth",
            "sixteenth",
            "seventeenth",
            "eighteenth",
            "nineteenth",
        ],
        start=1,
    )
} | {"twentieth": 20, "thirtieth": 30}

_RU_CARDINAL_FORMS = {
    0: "ноль нуля",
    1: "один одна одно одного одной",
    2: "два две двух",
    3: "три трех",
    4: "четыре четырех",
    5: "пять пяти",
    6: "шесть шести",
    7: "семь семи",
    8: "восемь восьми",
    9: "девять девяти",
    10: "десять десяти",
    40: "сорок сорока",
    50: "пятьдесят пятидесяти",
}
_RU_TEEN_STEMS = {
    11: "одиннадцат",
    12: "двенадцат",
    13: "тринадцат",
    14: "четырнадцат",
    15: "пятнадцат",
    16: "шестнадцат",
    17: "семнадцат",
    18: "восемнадцат",
    19: "девятнадцат",
    20: "двадцат",
    30: "тридцат",
}
_RU_CARDINALS = {
    form: value for value, forms in _RU_CARDINAL_FORMS.items() for form in forms.split()
} | {stem + ending: value for value, stem in _RU_TEEN_STEMS.items() for ending in ("ь", "и")}
_RU_ORDINAL_STEMS = {
    1: "перв",
    2: "втор",
    3: "трет",
    4: "четверт",
    5: "пят",
    6: "шест",
    7: "седьм",
    8: "восьм",
    9: "девят",
    10: "десят",
} | _RU_TEEN_STEMS
_RU_ORDINALS = {
    stem + ending: value
    for value, stem in _RU_ORDINAL_STEMS.items()
    for ending in ("ое", "ого", "ый", "ой", "ье", "ьего", "ий", "ья", "ьей", "ом", "ому")
}

_KK_CARDINALS = {
    "бир": 1,
    "еки": 2,
    "уш": 3,
    "торт": 4,
    "бес": 5,
    "алты": 6,
    "жети": 7,
    "сегиз": 8,
    "тогыз": 9,
    "он": 10,
    "жиырма": 20,
    "отыз": 30,
    "кырык": 40,
    "елу": 50,
}
_KK_ORDINAL_ENDINGS = frozenset({"инши", "ынши", "нши", "ншы", "ыншы", "иншы", "сыншы", "синши"})
_KK_CASE_ENDINGS = frozenset(
    [
        "да",
        "де",
        "та",
        "те",
        "нда",
        "нде",
        "га",
        "ге",
        "ка",
        "ке",
        "дан",
        "ден",
        "тан",
        "тен",
        "нан",
        "нен",
        "инде",
        "ында",
        "сында",
        "синде",
        "ине",
        "ына",
    ]
)

_TENS = frozenset({20, 30, 40, 50})


def normalise(text: str, language: Language) -> str:
    """Lower case, Kazakh letters folded, punctuation but ':./-' dropped, number words as digits.

    Phone numbers (ten digits or more) are masked so their groups are not read as hours.

    Word ordinals become '25ord'; Kazakh case endings stay glued: 'он бірде' becomes '11де'.
    """
    folded = _LATIN_I.sub("и", text.lower().translate(_KAZAKH_FOLD))
    folded = _MERIDIEM_DOTS.sub(r"\1m", folded)
    folded = _WORD_HYPHEN.sub(" ", _NOT_KEPT.sub(" ", folded))
    tokens = folded.split()
    digits = " ".join(_numbers_as_digits(tokens, language))
    without_phones = _PHONE.sub(lambda match: "#" * len(match.group()), digits)
    return _SPOKEN_MERIDIEM.sub(r" \1m", without_phones)


def _numbers_as_digits(tokens: list[str], language: Language) -> list[str]:
    """Number words replaced by digits; 'twenty five' and 'он бір' join into one number."""
    out: list[str] = []
    index = 0
    while index < len(tokens):
        word = _number_word(tokens[index], language)
        if word is None:
            out.append(tokens[index])
            index += 1
            continue
        value, ending = word
        joins = value in _TENS or (language is Language.KK and tokens[index] == "он")
        following = _number_word(tokens[index + 1], language) if index + 1 < len(tokens) else None
        if joins and not ending and following is not None and 1 <= following[0] <= 9:
            value, ending = value + following[0], following[1]
            index += 1
        out.append(f"{value}{ending}")
        index += 1
    return out


def _number_word(token: str, language: Language) -> tuple[int, str] | None:
    """The value of one number word and what to glue after its digits ('ord', a case ending)."""
    if language is Language.EN:
        if token in _EN_CARDINALS:
            return _EN_CARDINALS[token], ""
        return (_EN_ORDINALS[token], "ord") if token in _EN_ORDINALS else None
    if token in _RU_CARDINALS:
        return _RU_CARDINALS[token], ""
    if token in _RU_ORDINALS:
        return _RU_ORDINALS[token], "ord"
    if language is not Language.KK:
        return None
    for stem, value in _KK_CARDINALS.items():
        if token.startswith(stem):
            ending = token[len(stem) :]
            if not ending:
                return value, ""
            if ending in _KK_ORDINAL_ENDINGS:
                return value, "ord"
            if ending in _KK_CASE_ENDINGS:
                return value, ending
    return None
