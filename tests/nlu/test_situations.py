"""The emergency layer names situations, not only danger words, and stays quiet on ordinary talk.

Rules only (no trained model): each situation below must be found by `nlu.emergency.danger`
and judged "needs help"; each ordinary message must not raise a danger.
"""

from __future__ import annotations

import pytest

from nlu.emergency import danger
from nlu.safety import Safety, assess


@pytest.mark.parametrize(
    "text",
    [
        # en
        "pain in my chest i can barely talk",
        "my chest is tight and hurting",
        "we got lost in the blizzard and cant see the road",
        "we are stuck between floors",
        "the elevator stopped with my mother inside",
        "i smell something burning and the lights went out",
        "short of breath, lips going blue",
        "someone is smashing the kitchen window",
        "a stranger is inside our flat",
        "the river is in our yard and rising",
        "my father wont wake up",
        "i'm fine except my leg is stuck",
        # ru
        "сильная боль в груди",
        "в груди давит и рука немеет",
        "мы заблудились в степи, ничего не видно",
        "лифт дёрнулся и остановился, мы внутри",
        "пахнет гарью и свет погас",
        "воздуха не хватает",
        "ногу прижало полкой",
        "поскользнулась в ванной, не могу встать",
        "подняться с пола не выходит",
        "в квартире посторонний",
        "вода уже по подоконник",
        "всё хорошо, только встать не могу",
        "если честно мне совсем худо",
        # kk, with and without the special letters, and in Latin letters
        "кеудем қатты ауырып тұр",
        "жүрегім ауырып тұр",
        "боранда адасып қалдық",
        "далада адасып қалдық жол көрінбейді",
        "күйген иіс шығып тұр",
        "ауа жетпей тұр",
        "демим жетпейди",
        "үйде бөтен адам жүр",
        "су терезеге дейін жетті",
        "бари жаксы тек тыныс алу киын",
        "kewdem auyryp tur",
        "boranda adasyp qaldyq",
    ],
)
def test_situations_are_emergencies(text: str) -> None:
    assert danger(text) is not None, text
    assert assess(text).safety is Safety.NEEDS_HELP, text


@pytest.mark.parametrize(
    "text",
    [
        "МСЭ үйде өтуге бола ма мен төсектен тұра алмаймын",
        "ботта адасып қалдым мұнда не істеуге болады",
        "заблудился в меню бота",
        "сообщайте мне о землетрясениях",
        "keep me posted about floods",
        "жер сілкінісі болса хабар беріп тұрыңыз",
        "hello, how are you",
        "сәлеметсіз бе",
        "when is the disability allowance paid",
        "жәрдемақы қашан түседі",
        "какие льготы положены по второй группе",
    ],
)
def test_ordinary_messages_raise_no_danger(text: str) -> None:
    assert danger(text) is None, text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("i'm ok, no need for help", Safety.SAFE),
        ("помощь не требуется, мы в безопасности", Safety.SAFE),
        ("all good... actually no, we are not", Safety.NEEDS_HELP),
        ("я в безопасности, только что вернулась домой", Safety.SAFE),
        ("бәрі жақсы, тек қорқып отырмын", Safety.NEEDS_HELP),
    ],
)
def test_reservations_and_no_help_needed(text: str, expected: Safety) -> None:
    assert assess(text).safety is expected, text
