"""The safety judgement on everyday wording: how people say they are fine, how they wave a
question about safety away, and injuries told beside a "fine" (issue 15, third round)."""

from __future__ import annotations

import pytest

from nlu.emergency import danger
from nlu.safety import Safety, assess, reply_to_warning

HELP, SAFE, UNCLEAR = Safety.NEEDS_HELP, Safety.SAFE, Safety.UNCLEAR


@pytest.mark.parametrize(
    "text",
    [
        # en: no "safe" in it, but clearly fine
        "im alright",
        "we re all good here",
        "everything is calm at our place",
        "all quiet, all normal",
        "yeah, fine",
        "alive and well",
        # ru: no subject, word order turned round
        "живы, здоровы",
        "хорошо всё",
        "нормально всё у нас",
        "у нас дома спокойно",
        # kk: Cyrillic, without its letters, Latin
        "бәрі тып-тыныш",
        "тынышпыз",
        "бари тыныш, уйдемиз",
        "ештеңе болған жоқ, бәрі жақсы",
        "qauipsizbiz",
        "sau-salamatpyz",
    ],
)
def test_everyday_ways_of_saying_fine_are_safe(text: str) -> None:
    assert assess(text).safety is SAFE
    assert reply_to_warning(text) is SAFE


@pytest.mark.parametrize(
    "text",
    [
        "safe? as if",
        "safe? yeah right, the car is stuck in the snow",
        "в безопасности? какое там",
        "какая там безопасность, нас заливает",
        "в порядке? куда там, мы в машине на трассе и не можем выехать",
        "қауіпсізсіз бе? қайдағы",
        "kaidagy aman, jolda qalyp qoidyq",
    ],
)
def test_a_question_about_safety_waved_away_is_a_call_for_help(text: str) -> None:
    assert assess(text).safety is HELP
    assert reply_to_warning(text) is HELP


def test_safety_asked_back_then_a_danger_is_a_call_for_help() -> None:
    """The safety word is the person repeating the question, not an answer."""
    assert assess("в безопасности? мы застряли в машине на трассе").safety is HELP
    assert assess("safe? we are trapped in the car").safety is HELP


@pytest.mark.parametrize(
    "text",
    [
        "I'm fine but my leg is broken",
        "im ok, bleeding a bit",
        "im alright just cant move my arm",
        "я в порядке, только руку сломал",
        "всё нормально, кровь идёт из носа и не останавливается",
        "мен аманмын, аяғым сынып қалды",
        "бәрі жақсы, тек қан кетіп жатыр",
        "we are all fine except grandma",
        "норм всё, кроме папы",
        "бәрі аман, анамнан басқа",
        "yes fine but my son is missing",
        "живы здоровы? не знаю",
    ],
)
def test_fine_with_an_injury_or_an_exception_is_not_safe(text: str) -> None:
    assert assess(text).safety in {HELP, UNCLEAR}
    assert reply_to_warning(text) is not SAFE


@pytest.mark.parametrize(
    "text", ["жақсы емес", "калай айтсам, жаксы емес", "не очень хорошо", "not good at all"]
)
def test_a_short_not_good_speaks_of_the_person(text: str) -> None:
    assert assess(text).safety is HELP


@pytest.mark.parametrize(
    "text",
    [
        "жоқ дұрыс емес",
        "no that's not good",
        "спасибо большое",
        "больше не присылайте предупреждения",
        "закажи соцтакси в больницу на пятницу",
        "my prosthesis is broken who repairs it",
        "коляска сломалась как заменить",
        "i cant walk, can someone come with me to the doctor",
    ],
)
def test_corrections_and_ordinary_requests_are_not_safety_answers(text: str) -> None:
    assert assess(text).safety is None


@pytest.mark.parametrize(
    "text",
    [
        "our van skidded into a ditch and we cant open the doors",
        "we are freezing in the car on the highway",
        "машину занесло в кювет, мы внутри",
        "стоим на трассе, замерзаем",
        "көлік қарға батып қалды, тоңып отырмыз",
        "jol apatyna ushyradyq",
    ],
)
def test_stranded_on_the_road_is_an_emergency(text: str) -> None:
    assert danger(text) == "trapped"
    assert assess(text).safety is HELP


@pytest.mark.parametrize(
    "text",
    [
        "аварийное жильё, куда жаловаться",
        "уши мёрзнут, какие шапки положены",
        "is the social taxi a car or a van",
    ],
)
def test_road_and_cold_words_in_ordinary_questions_raise_no_danger(text: str) -> None:
    assert danger(text) is None
