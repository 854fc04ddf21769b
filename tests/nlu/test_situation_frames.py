"""Situation frames (`nlu.emergency_frames`), talk about a danger (`nlu.hazard_talk`), and the
not-safe answers the safety judgement must not read as safe. Rules only, no trained model.

Each row was written fresh, in the style of real messages (no punctuation, typos, Kazakh with
and without its letters, in Latin letters, mixed with Russian), and failed before these rules.
"""

from __future__ import annotations

import pytest

from nlu.emergency import danger
from nlu.hazard_talk import without_hazard_talk
from nlu.safety import Safety, assess
from nlu.text import fold


@pytest.mark.parametrize(
    "text",
    [
        # a building creaking, cracking, sagging
        "the roof is creaking really loud and cracks are spreading",
        "ceiling cracking above my bed what do i do",
        "the ceiling is sagging and about to come down",
        "our walls r splitting after that jolt",
        "крыша трещит",
        "потолок трещит и сыпется штукатурка",
        "по стене пошла трещина и она растёт",
        "потолок на кухне вздулся и капает",
        "так себе, крышу ветром рвет, всё скрипит",
        "шатыр сықырлап тұр",
        "tobe syqyrlap tur qulaiyn dep tur",
        "шатыр трещит қорқып отырмыз",
        "дүмпуден кейін қабырғалар ажырап жатыр",
        # gas, electricity, heat behind a door
        "theres a smell like rotten eggs in the kitchen and my head hurts",
        "gas alarm going off",
        "пахнет тухлыми яйцами на кухне",
        "сработал датчик газа",
        "плита ысылдап тұр иісі бар",
        "печку топили у всех голова болит и тошнит и спать тянет",
        "sparks from the socket and it smells burnt",
        "розеткадан ұшқын шығып жатыр",
        "door is hot to touch",
        "дверь горячая",
        # water
        "we are on the roof waiting water all around",
        "мы на крыше кругом вода",
        "вода на кухне всё прибывает что делать",
        "su tizeden asty",
        "біз шатырдамыз айнала су",
        "асүйде су көбейіп барады не істейін",
        # falls, pinned, locked in, lost on the road
        "my wheelchair tipped over and i cant get back in",
        "been on the floor since morning cant reach the phone",
        "grandad slid off his chair and hes too heavy for me to lift",
        "муж упал не могу его поднять",
        "я на полу с утра до телефона не дотянуться",
        "сын провалился под лёд",
        "ұлым мұзға түсіп кетті",
        "атам орындықтан сырғып түсті көтеруге күшім жетпейді",
        "балконда калып койдым, есик жабылып калды, суык",
        "stuck on the road near taraz since 6 pm, no fuel, minus 25",
        "сбились с дороги метёт ничего не видно",
        "um so i uh can't get out of the bedroom the wardrobe fell against the door",
        # a body in trouble
        "my husband turned blue",
        "муж посинел и хрипит",
        "күйеуім көгеріп кетті хырылдап жатыр",
        "баланың тамағына бірдеңе тұрып қалды",
        "мама на полу в ванной не разговаривает",
        "анам ваннаның еденінде сөйлемей жатыр",
        "сын наглотался таблеток очень сонный",
        "i cant move my left side",
        "сол жағымды қозғалта алмаймын",
        "у мамы давление 220 ей очень плохо",
        "sheshem sozin tusinbeimin bet jagy qisaiyp ketti",
        # somebody at the door, a threat
        "somebody keeps trying the handle of my door its 3am",
        "кто то дёргает ручку двери ночью",
        "біреу түнде есікті тартып жатыр",
        "бұрынғы күйеуім өлтіремін деп қорқытып жатыр",
        "кто то разбил окно я прячусь в ванной",
        "за мной идёт незнакомый мужчина мне страшно",
        "artymnan bir er adam kele jatyr qorqyp turmyn",
        "үйде бөтен еркек жүр",
        # cold at home, a wish to die, a building in ruins
        "ui suyq jylu joq minus 30 qoldarym uiyp barady",
        "отопления нет второй день минус тридцать руки немеют",
        "i dont want to live anymore",
        "не хочу больше жить",
        "өмір сүргім келмейді",
        "безопасно? квартира цела а сын в разрушенной школе",
        # violence at home, a swallowed battery, a swelling throat, a fall into a cellar
        "my husband is beating me and locked the door",
        "kuieuim urip jatyr esikti jauyp aldy",
        "сын проглотил батарейку",
        "ұлым батарейка жұтып қойды",
        "после укуса пчелы у неё отекает горло",
        "демікпе ұстап жатыр ингалятор бос",
        "бабушка упала в погреб и стонет",
        "a tree fell on our roof and the kids room is open to the storm",
        "so um kind of yes but my husband fell and hes not talking",
        "мен зағип адаммын, үйде бір нәрсе күйіп жатыр, иісі қатты",
    ],
)
def test_situations_told_without_a_danger_word_are_emergencies(text: str) -> None:
    assert danger(text) is not None, text
    assert assess(text).safety is Safety.NEEDS_HELP, text


@pytest.mark.parametrize(
    "text",
    [
        "safe is a strong word",
        "i wish i could say im ok",
        "define safe lol the roofs leaking everywhere",
        "yes safe... no actually the wall just cracked",
        "какая безопасность у нас всё плывёт",
        "спокойным это не назовёшь",
        "всё ужасно",
        "мы не очень",
        "ну как сказать плохо",
        "мүлде қауіпсіз сезінбеймін",
        "қазірше аманбыз су есікке жетті",
        "біз онша емеспіз",
        "жағдайымыз нашар",
        "бәрі жаман",
        "no, help",
        "жоқ, көмек",
        "бөгет шыдаса аманбыз",
        "were ok-ish, smoke getting in through the windows",
    ],
)
def test_not_safe_answers_are_calls_for_help(text: str) -> None:
    assert assess(text, answering_warning=True).safety is Safety.NEEDS_HELP, text


@pytest.mark.parametrize(
    "text",
    [
        "no damage we are ok",
        "totally fine, all of us",
        "все в полном порядке",
        "да мы в безопасности вода до нас не дошла",
        "бәрі жақсы уайымдамаңыз",
        "we're fine, the earthquake did nothing here",
        "мы в порядке землетрясение ничего не сделало",
        "бәріміз жақсымыз жер сілкінісі бізге ештеңе істемеді",
        "all fine on our street",
        "на нашей улице всё хорошо",
    ],
)
def test_plain_safe_answers_stay_safe(text: str) -> None:
    assert assess(text, answering_warning=True).safety is Safety.SAFE, text


@pytest.mark.parametrize(
    "text",
    [
        "мсэк кашан отуге болады",
        "last years flood destroyed my documents how do i restore my disability certificate",
        "is there compensation for people affected by the fire in 2023",
        "what should i do in case of an earthquake any guidance",
        "fire safety training for blind people where",
        "can i get a smoke detector for deaf people",
        "после пожара в прошлом году сгорели документы как восстановить справку",
        "положена ли компенсация пострадавшим от наводнения",
        "что делать при землетрясении есть памятка",
        "можно получить датчик дыма для глухих",
        "застрял с документами в акимате что делать",
        "вчера застрял в лифте кому пожаловаться",
        "өткен жылғы өрттен кейін құжаттарым жоғалды қалай қалпына келтіремін",
        "су тасқынынан зардап шеккендерге өтемақы бар ма",
        "жер сілкінісі кезінде не істеу керек",
        "send me a message if there is an earthquake",
        "I want to get alerts about floods",
        "i'd like to get warnings from the emergency ministry",
        "my mother is bedridden can she get a personal assistant",
        "әкем төсекте жатыр санаторийге жолдама бар ма",
        "бір қызметке жазылғым келеді көмектесіңізші",
        "спокойной ночи пока",
        "get me on the list for 112 warnings",
        "су тасқыны мен жер сілкінісі туралы хабардар етіп тұрыңыз",
        "aqyrynyraq oqy qulaǵym nashar",
    ],
)
def test_talk_about_a_danger_is_not_a_call_for_help(text: str) -> None:
    assert assess(text).safety is not Safety.NEEDS_HELP, text


@pytest.mark.parametrize(
    "text",
    [
        "өрт туралы хабарлаймын үйіміз жанып жатыр",
        "got your warning about floods, water is coming into the flat",
        "после пожара в подъезде дым, мы не можем выйти",
        "during the earthquake the ceiling fell on my dad",
    ],
)
def test_a_danger_beside_talk_about_one_is_still_found(text: str) -> None:
    assert danger(text) is not None, text


def test_hazard_talk_takes_out_only_the_phrase() -> None:
    assert without_hazard_talk(fold("warn me about floods please")).split() == ["please"]
