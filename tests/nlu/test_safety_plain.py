"""Plain ways of saying "we are fine" and their negated twins (issue 15, fourth round).

Slang ("норм", "fine"), long polite sentences, "we are at home / at the shelter, all well",
Kazakh in Latin letters and mixed with Russian are safe; the same words negated, doubted, in
the past, under a condition or beside somebody else in danger never are. The rows are written
for this file, not taken from any test or development set.
"""

from __future__ import annotations

import pytest

from nlu.negation import BREAK, Tokens
from nlu.safety import Safety, assess, reply_to_warning
from nlu.script import spelled_in_cyrillic

HELP, SAFE, UNCLEAR = Safety.NEEDS_HELP, Safety.SAFE, Safety.UNCLEAR


@pytest.mark.parametrize(
    "text",
    [
        # a state word alone, or as a clause of its own
        "fine",
        "fine, thx",
        "норм",
        "да нормально",
        "нормас у нас",
        "всё путём",
        "қалыпты, үйдеміз",
        # polite and long
        "Thank you for asking, dear. My sister and I are both well and at home.",
        "Спасибо, милая, что беспокоитесь. Мы с внуком дома, оба здоровы.",
        "Рахмет, шырағым. Екеуміз де аманбыз, үйде отырмыз.",
        # at home, with relatives, at a shelter
        "we're in the school shelter with the neighbours, all fine",
        "мы у родственников, все целы",
        "баспанадамыз, бәрі аман",
        "my son is with me, we stayed in, all fine",
        # Latin Kazakh and mixed kk–ru
        "bari okei, rahmet",
        "bizde tynysh, uaiymdamanyz",
        "бәрі нормально",
        "мен в порядке",
        "да норм всё у нас братан",
    ],
)
def test_plain_ways_of_saying_fine_are_safe(text: str) -> None:
    assert assess(text).safety is SAFE
    assert reply_to_warning(text) is SAFE


@pytest.mark.parametrize(
    ("text", "allowed"),
    [
        ("not fine", {HELP}),
        ("fine? not really", {HELP}),
        ("не норм", {HELP}),
        ("всё не путём, помогите", {HELP}),
        ("қалыпты емес", {HELP}),
        ("bari okei emes", {HELP}),
        ("Спасибо, милая. Мы с внуком дома, но он не здоров.", {HELP, UNCLEAR}),
        ("Thank you, dear. We are at home, but my sister is not well.", {HELP, UNCLEAR}),
        ("we're in the shelter, but grandpa stayed in the flat", {HELP}),
        ("мы у родственников, только сын не отвечает", {HELP}),
        ("my son is with me, my wife is missing", {HELP}),
        ("бәрі нормально, бірақ анам үйде қалды", {HELP}),
        ("i am ok, akem uide qaldy", {HELP}),
        ("всё ок, соседка кричит", {HELP}),
        ("fine i guess", {HELP, UNCLEAR}),
        ("вроде норм", {HELP, UNCLEAR}),
        ("норм было, пока вода не пошла", {HELP}),
        ("fine if the power stays on", {HELP, UNCLEAR}),
        ("так себе", {HELP, UNCLEAR}),
        ("норм?", {HELP, UNCLEAR}),
    ],
)
def test_their_negated_doubted_or_shared_twins_are_never_safe(
    text: str, allowed: set[Safety]
) -> None:
    assert reply_to_warning(text) in allowed
    assert assess(text).safety is not SAFE


def test_clauses_survive_reading_the_tokens_again() -> None:
    """Words written back as text and read again keep their clause breaks: "stayed home" in
    one clause is not about the children named in another."""
    tokens = Tokens.of("im ok, kids are with me, but we stayed home")
    assert Tokens.of(tokens.text()) == tokens
    assert tokens.words.count(BREAK) == 2


def test_latin_kazakh_keeps_its_punctuation_when_spelled_in_cyrillic() -> None:
    assert spelled_in_cyrillic("men amanmyn, biraq akem uide qaldy") == (
        "мен аманмын, бирак акем уиде калды"
    )


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("dep aita almaimyn", "деп айта алмаймын"),  # an "i" after a vowel is "й"
        ("aitu qiyn", "айту киын"),  # "iy" is "иы", not "ий"
        ("men qauipsizbin", "мен кауипсизбин"),  # "ui" inside a word stays "уи"
    ],
)
def test_latin_kazakh_letters_for_y_are_read_as_such(latin: str, cyrillic: str) -> None:
    assert spelled_in_cyrillic(latin) == cyrillic


def test_cannot_say_all_is_well_in_latin_kazakh_is_not_safe() -> None:
    """'I can't say all is well, the house is still shaking', typed in Latin letters."""
    said = assess("bari zhaksy dep aita almaimyn ui ali shaiqalyp tur", answering_warning=True)
    assert said.judgement.safety is HELP


@pytest.mark.parametrize(
    "text",
    [
        "too soon to say we're safe, the water is still coming up",
        "рано говорить, что всё хорошо, дым идёт из подъезда",
        "в порядке это не назовёшь, крыша трещит",
        "аманбыз деуге ерте, су әлі көтеріліп жатыр",
    ],
)
def test_too_early_to_say_safe_or_cannot_call_it_safe_is_help(text: str) -> None:
    """'Too early to say' and 'you can't call it that' take back the "safe" beside them."""
    assert assess(text, answering_warning=True).judgement.safety is HELP
