"""The safety judgement: "safe" only when clearly said, in kk, ru and en."""

from __future__ import annotations

import pytest

from nlu.negation import Tokens, negated
from nlu.safety import Safety, assess, reply_to_warning

HELP, SAFE, UNCLEAR = Safety.NEEDS_HELP, Safety.SAFE, Safety.UNCLEAR

CASES = [
    # en
    ("I'm not safe", HELP),
    ("im not safe", HELP),
    ("I am safe", SAFE),
    ("we are safe now, thank you", SAFE),
    ("I thought I was safe but the water keeps rising", HELP),
    ("not sure we are ok", HELP),
    ("I think we're fine?", HELP),
    ("We're fine. Nobody is hurt.", SAFE),
    ("safe if the rain stops", HELP),
    ("I was safe, but now smoke is coming in", HELP),
    ("my father stayed at home, he is not safe", HELP),
    ("I'm safe but my grandmother is still inside", HELP),
    ("I'm stuck in the lift", HELP),
    ("the wardrobe fell on me, I can't move", HELP),
    ("water is coming into the flat", HELP),
    ("after the shaking the door won't open", HELP),
    ("I fell and can't get up", HELP),
    ("someone is forcing our door", HELP),
    ("can't say we're ok", HELP),
    ("Safe? not really", HELP),
    ("all good here", SAFE),
    ("everyone in my family is safe", SAFE),
    ("we're safe, the fire is far away", UNCLEAR),
    ("I need help", HELP),
    ("grandpa is not moving", HELP),
    ("smell of gas in the kitchen", HELP),
    ("no danger here we are fine", SAFE),
    ("Safe for now", HELP),
    # ru
    ("я не в безопасности", HELP),
    ("я в безопасности", SAFE),
    ("у нас всё хорошо", SAFE),
    ("нельзя сказать, что у нас всё хорошо", HELP),
    ("мне нужна помощь", HELP),
    ("кажется, всё нормально", HELP),
    ("вроде в безопасности", HELP),
    ("были в безопасности, но вода поднимается", HELP),
    ("мама осталась дома", HELP),
    ("застряли в лифте", HELP),
    ("на меня упал шкаф, не могу встать", HELP),
    ("вода заходит в квартиру", HELP),
    ("после толчков дверь не открывается", HELP),
    ("кто-то ломится в дверь", HELP),
    ("всё в порядке, никто не пострадал", SAFE),
    ("опасности нет", SAFE),
    ("ничего не случилось, мы дома", SAFE),
    ("небезопасно тут", HELP),
    ("мы целы", SAFE),
    ("бабушка не двигается", HELP),
    ("пахнет газом", HELP),
    ("если вода не поднимется, то всё хорошо", HELP),
    ("пока всё нормально", HELP),
    ("мама дома осталась, она не отвечает", HELP),
    # kk, with and without its letters, and in Latin letters
    ("мен қауіпсізбін", SAFE),
    ("біз аманбыз", SAFE),
    ("бәрі жақсы", SAFE),
    ("қауіпсіз емеспін", HELP),
    ("мен кауипсиз емеспин", HELP),
    ("әкем үйде қалды, ол қауіпсіз емес", HELP),
    ("маған көмек керек", HELP),
    ("kauipsiz emespin", HELP),
    ("men qauipsizbin", SAFE),
    ("қауіп жоқ", SAFE),
    ("қауіпсіз сияқтымыз", HELP),
    ("қауіпсіз деп ойлаймын", HELP),
    ("қауіпсіз едік, бірақ су көтеріліп жатыр", HELP),
    ("лифтте қалып қойдым", HELP),
    ("шыға алмаймын", HELP),
    ("шкаф құлап үстіме түсті, тұра алмаймын", HELP),
    ("үйге су кіріп жатыр", HELP),
    ("есік ашылмайды", HELP),
    ("біреу есікті бұзып жатыр", HELP),
    ("газдың иісі шығып тұр", HELP),
    ("әжем қозғалмайды", HELP),
    ("ештеңе болған жоқ, бәрі аман", SAFE),
    ("су тоқтаса қауіпсізбіз", HELP),
    ("мен жаксымын рахмет", SAFE),
    ("men jaqsymyn", SAFE),
    ("maǵan kómek kerek", HELP),
    ("men úıde qamalyp qaldym", HELP),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_the_judgement_is_asymmetric(text: str, expected: Safety) -> None:
    assert assess(text).safety is expected


@pytest.mark.parametrize(
    "text",
    [
        "how do I apply for the disability benefit",
        "is the social taxi safe for wheelchairs",
        "как оформить пособие",
        "мне нужна помощь с оформлением пособия",
        "жәрдемақы қалай алуға болады",
        "can you help me with my application",
    ],
)
def test_ordinary_questions_are_not_about_safety(text: str) -> None:
    assert assess(text).safety is None


@pytest.mark.parametrize("text", ["ok", "хорошо", "жарайды", "да", "thanks"])
def test_a_bare_acknowledgement_of_a_warning_is_unclear(text: str) -> None:
    assert assess(text).safety is None
    assert assess(text, answering_warning=True).safety is UNCLEAR
    assert reply_to_warning(text) is UNCLEAR


def test_an_sms_reply_that_says_nothing_is_unclear_not_safe() -> None:
    assert reply_to_warning("what should I do") is UNCLEAR
    assert reply_to_warning("я в безопасности") is SAFE
    assert reply_to_warning("я не в безопасности") is HELP


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        ("we are not safe", "safe", True),
        ("it was not easy, but we are safe", "safe", False),
        ("кауипсиз емеспин", "кауипсиз", True),
        ("кауип жок", "кауип", True),
        ("опасности нет", "опасности", True),
        ("ничего не случилось", "случилось", True),
        ("небезопасно", "небезопасно", True),
    ],
)
def test_negation_scope(text: str, word: str, expected: bool) -> None:
    tokens = Tokens.of(text)
    index = tokens.words.index(word)
    assert negated(tokens, index, index + 1) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("no im not ok", HELP),
        ("жоқ, жақсы емеспін", HELP),
        ("вроде нормально?? не уверен", HELP),
        ("hard to say", HELP),
        ("я в безопастности", SAFE),
        ("опасности нет всё ок", SAFE),
        ("мен жақсымын ал күйеуім жараланды", HELP),
        ("я в безопасности а мама ещё в здании", HELP),
        ("i am safe my husband is not", HELP),
        ("тағы сілкінбесе қауіпсізбін", HELP),
        ("ok here everything good", SAFE),
    ],
)
def test_answers_found_wanting_in_the_third_held_out_set(text: str, expected: Safety) -> None:
    """Fixed from the third held-out set (which is why a fourth one now measures)."""
    assert assess(text).safety is expected


@pytest.mark.parametrize(
    "text",
    [
        "can my boss fire me because of my disability",
        "can the assessment be done at home i cant get out of bed",
        "can you send me danger alerts for my city",
        "is there remote work for blind people",
        "протезім сынып қалды кімге жүгінемін",
    ],
)
def test_ordinary_questions_that_sound_like_danger(text: str) -> None:
    assert assess(text).safety is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("don't worry i'm safe", SAFE),
        ("не переживайте я в безопасности", SAFE),
        ("i'm fine not hurt", SAFE),
        ("were safe dont worry about us", SAFE),
        ("мен қауіпсізбін көмек керек емес", SAFE),
        ("аманмын уайымдамаңыз", SAFE),
        ("мы вышли из дома все живы", SAFE),
        ("мне не нужна помощь", SAFE),
    ],
)
def test_reassurance_is_not_negation(text: str, expected: Safety) -> None:
    assert assess(text).safety is expected


@pytest.mark.parametrize(
    "text",
    [
        "no thats wrong",
        "no the date is wrong",
        "yes yes that one is fine",
        "жақсы мен кеттім сау болыңыз",
    ],
)
def test_corrections_and_farewells_are_not_safety_answers(text: str) -> None:
    assert assess(text).safety is None


@pytest.mark.parametrize("text", ["no", "нет", "жоқ", "not yet", "наверное нет", "yes"])
def test_a_bare_yes_or_no_to_a_warning_is_asked_about(text: str) -> None:
    assert assess(text, answering_warning=True).safety is UNCLEAR
