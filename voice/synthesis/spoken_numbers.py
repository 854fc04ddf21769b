"""Numbers, dates and times as words in Kazakh, Russian and English."""

from __future__ import annotations

from decimal import Decimal
from typing import Final, Literal

from num2words import num2words  # type: ignore[import-untyped]

from core.profile import Language

Gender = Literal["m", "f", "n"]
Case = Literal["n", "g", "d", "a", "i", "p"]
"""Russian cases: nominative, genitive, dative, accusative, instrumental, prepositional."""

_NUM2WORDS_LANG: Final = {Language.KK: "kz", Language.RU: "ru", Language.EN: "en"}
"""num2words calls Kazakh "kz"."""

DIGIT_WORDS: Final[dict[Language, tuple[str, ...]]] = {
    Language.KK: ("нөл", "бір", "екі", "үш", "төрт", "бес", "алты", "жеті", "сегіз", "тоғыз"),
    Language.RU: (
        "ноль", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять",
    ),
    Language.EN: ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
}  # fmt: skip

_KK_ORDINAL_OF: Final = {
    "нөл": "нөлінші",
    "бір": "бірінші",
    "екі": "екінші",
    "үш": "үшінші",
    "төрт": "төртінші",
    "бес": "бесінші",
    "алты": "алтыншы",
    "жеті": "жетінші",
    "сегіз": "сегізінші",
    "тоғыз": "тоғызыншы",
    "он": "оныншы",
    "жиырма": "жиырмасыншы",
    "отыз": "отызыншы",
    "қырық": "қырқыншы",
    "елу": "елуінші",
    "алпыс": "алпысыншы",
    "жетпіс": "жетпісінші",
    "сексен": "сексенінші",
    "тоқсан": "тоқсаныншы",
    "жүз": "жүзінші",
    "мың": "мыңыншы",
    "миллион": "миллионыншы",
    "миллиард": "миллиардыншы",
}
"""Kazakh ordinals of the words a number ends with: the suffix goes on the last word only."""

MONTHS: Final[dict[Language, tuple[str, ...]]] = {
    Language.KK: (
        "қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым",
        "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан",
    ),
    Language.RU: (
        "января", "февраля", "марта", "апреля", "мая", "июня",
        "июля", "августа", "сентября", "октября", "ноября", "декабря",
    ),
    Language.EN: (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
}  # fmt: skip
"""Month names as a date says them: Russian in the genitive ("1 июля")."""

_LARGEST_SPOKEN: Final = 10**12
"""Beyond this a number is read digit by digit."""


def _words(value: int | Decimal, language: Language, **options: object) -> str:
    """num2words with our language codes."""
    return str(num2words(value, lang=_NUM2WORDS_LANG[language], **options))


def digits(text: str, language: Language) -> str:
    """Each digit of text as a word: "112" → "one one two"."""
    names = DIGIT_WORDS[language]
    return " ".join(names[int(char)] for char in text if char.isdigit())


def cardinal(
    value: int | Decimal, language: Language, *, gender: Gender = "m", case: Case = "n"
) -> str:
    """A number as words; Russian agrees with a noun's gender and a preposition's case."""
    if abs(int(value)) >= _LARGEST_SPOKEN:
        return digits(str(value), language)
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)
    if language is Language.RU:
        if isinstance(value, Decimal):
            case = "n"
        said = _words(value, language, gender=gender, case=case)
        if said.startswith("одна тысяча"):
            said = said.removeprefix("одна ")
        return said
    return _words(value, language).replace(",", "")


def ordinal(
    number: int,
    language: Language,
    *,
    gender: Gender = "n",
    case: Case = "n",
    plural: bool = False,
) -> str:
    """An ordinal number as words; gender, case and plural apply to Russian."""
    if language is Language.KK:
        *head, last = _words(number, language).split()
        return " ".join([*head, _KK_ORDINAL_OF.get(last, last)])
    if language is Language.RU:
        return _words(
            number, language, to="ordinal", case=case, gender=gender, plural=plural, animate=False
        )
    return _words(number, language, to="ordinal")


def year(number: int, language: Language, *, case: Case = "n") -> str:
    """A year as people say it: "twenty twenty-three", "две тысячи двадцать третий"."""
    if language is Language.EN:
        return _words(number, language, to="year")
    return ordinal(number, language, gender="m", case=case)


def date(
    day: int, month: int, year_number: int | None, language: Language, *, case: Case = "n"
) -> str:
    """A calendar date read aloud; case is the Russian case of the day."""
    month_name = MONTHS[language][month - 1]
    if language is Language.KK:
        said = f"{ordinal(day, language)} {month_name}"
        if year_number is None:
            return said
        return f"{year(year_number, language)} жылғы {said}"
    if language is Language.RU:
        said = f"{ordinal(day, language, gender='n', case=case)} {month_name}"
        if year_number is None:
            return said
        return f"{said} {year(year_number, language, case='g')} года"
    said = f"the {ordinal(day, language)} of {month_name}"
    if year_number is None:
        return said
    return f"{said}, {year(year_number, language)}"


def clock_time(hours: int, minutes: int, language: Language) -> str:
    """A time of day such as 09:05: "nine oh five", "девять ноль пять"."""
    said_hours = cardinal(hours, language)
    if language is Language.EN and minutes == 0:
        return f"{said_hours} o'clock"
    if minutes == 0:
        return f"{said_hours} {DIGIT_WORDS[language][0]} {DIGIT_WORDS[language][0]}"
    if minutes < 10:
        zero = "oh" if language is Language.EN else DIGIT_WORDS[language][0]
        return f"{said_hours} {zero} {cardinal(minutes, language)}"
    return f"{said_hours} {cardinal(minutes, language)}"


def russian_plural(
    value: int | Decimal, one: str, few: str, many: str, *, genitive: bool = False
) -> str:
    """The Russian noun form for a count: 1 процент, 2 процента, 5 процентов, 1,5 процента."""
    if isinstance(value, Decimal) and value != value.to_integral_value():
        return few
    count = abs(int(value))
    if count % 10 == 1 and count % 100 != 11:
        return few if genitive else one
    if genitive:
        return many
    if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
        return few
    return many
