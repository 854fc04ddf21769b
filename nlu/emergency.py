"""The emergency layer: danger words in kk, ru and en, checked before and beside the classifier.

A person in danger must never depend on a statistical model. These patterns run on folded text
(lower case, no punctuation, Kazakh letters folded, so "өрт" and "орт" are the same). They are
tuned for recall; their false positives are measured by `komek nlu eval` and in BENCHMARKS.md.
"""

from __future__ import annotations

import re

from nlu.text import fold

_HAZARDS: dict[str, list[str]] = {
    "fire": [
        r"\bfire\b",
        r"\bburn(?:ing|s)?\b",
        r"\bflames?\b",
        r"\bпожар",
        r"\bгорит\b",
        r"\bгорю\b",
        r"\bгорим\b",
        r"\bогонь\b",
        r"\bпламя\b",
        r"\bорт\b",
        r"\bорт(?:ен|ке|те|ти|ен|ши)",
        r"\bжанып\b",
        r"\bжанып жатыр",
        r"\bотка?\s?орандым",
    ],
    "smoke": [r"\bsmok\w*", r"\bдым\w*", r"\bтутин\w*", r"\bтутн\w*"],
    "gas": [
        r"\bгаз\w* (?:шыг|агып|жарыл)\w*",
        r"\bгаз баллон",
        r"\bгаз\w* воня\w*",
        r"\bвоня\w* газ\w*",
        r"\bexplo(?:sion|ded|de)\b",
        r"\bжарыл\w*",
        r"\bвзрыв\w*",
        r"\bgas\b.{0,20}\b(?:leak|smell)",
        r"\bsmell\w* (?:of )?gas\b",
        r"\bгаз\w*\b.{0,20}(?:пахн|запах|утечк|утек|ис[иы]|агып)",
        r"(?:пахн\w*|запах\w*|утечк\w*) газ",
        r"\bгаз\w* ис\w*",
    ],
    "earthquake": [
        r"\bearth ?quake",
        r"\bshak(?:ing|es)\b",
        r"\bground is moving",
        r"\btremors?\b",
        r"\bземлетрясен",
        r"\bтряс[её]т",
        r"\bтрясет",
        r"\bшатает",
        r"\bшатаются",
        r"\bходуном",
        r"\bкачается",
        r"\bжер силкин",
        r"\bсилкин\w*",
        r"\bшайкал\w*",
        r"\bтенсел\w*",
        r"\bдирил\w*",
    ],
    "flood": [
        r"\bflood\w*",
        r"\bunder water\b",
        r"\bwater is (?:coming|in|rising|everywhere)",
        r"\boverflow\w*",
        r"\bнаводнен",
        r"\bзатопил\w*",
        r"\bзаливает",
        r"\bтопит\b",
        r"\bпотоп",
        r"\bвода (?:заходит|идет|прибывает|поднимается|во дворе|в доме)",
        r"\bвышла из берегов",
        r"\bсу бас\w*",
        r"\bсу таскын\w*",
        r"\bсу кир\w*",
        r"\bарнасынан асып",
    ],
    "mudflow": [
        r"\bmud ?(?:flow|slide)",
        r"\blandslide",
        r"\bavalanche",
        r"\bсел[ьи]?\b",
        r"\bоползень",
        r"\bлавина",
        r"\bкочки\b",
    ],
    "breathing": [
        r"\bтыныс ала алма\w*",
        r"\bca?n'?t breath\w*",
        r"\bcan ?n?o?'?t breathe",
        r"\bcannot breathe",
        r"\bchok(?:e|ed|ing)\b",
        r"\bsuffocat",
        r"\bне мож\w* дышать",
        r"\bне могу дышать",
        r"\bзадыха\w*",
        r"\bдем ала алма\w*",
        r"\bтуншыг\w*",
        r"\bдем алу киын",
    ],
    "bleeding": [
        r"\bкан аг\w*",
        r"\bкровь теч\w*",
        r"\bкровь\b.{0,20}\bостанов\w*",
        r"\bbleed\w*",
        r"\bкровотечен",
        r"\bкровь (?:не остан|хлещет|идет)",
        r"\bкан кет\w*",
        r"\bкан токта\w*",
    ],
    "intruder": [
        r"\bбузып\b",
        r"\bуры кир\w*",
        r"\bвзламыва\w*",
        r"\bвзлом\w*",
        r"\bbroke in",
        r"\bbreak-?in\b",
        r"\bbreak(?:ing)? in",
        r"\bbreaking into",
        r"\bstranger in",
        r"\battack\w*",
        r"\bburglar",
        r"\brobber",
        r"\btrying to (?:open|get in|break)",
        r"\bломит\w*",
        r"\bзалезли",
        r"\bнапал[аи]?\b",
        r"\bчужой человек",
        r"\bграбит\w*",
        r"\bвор\b",
        r"\bбузып жатыр",
        r"\bуры тус\w*",
        r"\bбогде адам",
        r"\bшабуыл\w*",
    ],
    "injury": [
        r"\bупал[аи]?\b.{0,20}\bне вста\w*",
        r"\bне вста[её]т",
        r"\bi fell\b",
        r"\bfell down\b",
        r"\bfell\b.{0,30}\b(?:get|stand) up",
        r"\bca?n'?t get up",
        r"\bcannot (?:get|stand) up",
        r"\bheart attack",
        r"\bchest pain",
        r"\bupал\w* .{0,20}встать",
        r"\bупал\w*.{0,25}(?:встать|подняться)",
        r"\bвстать не мог",
        r"\bне мож\w* (?:встать|подняться)",
        r"\bсердце болит",
        r"\bкулап калд\w*",
        r"\bкулад\w*.{0,25}тура алма",
        r"\bтура алма\w*",
        r"\bжурег\w* ауыр\w*",
        r"\bинсульт",
        r"\bинфаркт",
        r"\bstroke\b",
        r"\bunconscious",
        r"\bбез сознания",
        r"\bесінен танд\w*",
    ],
    "urgent": [
        r"\bказир\b.{0,15}\bкомек\b",
        r"\bкомек керек тез\b",
        r"\bтез\b.{0,10}\bкомек",
        r"\bмне плохо\b",
        r"\bпомощь\b.{0,20}\bсрочно",
        r"^(?:please )?(?:help ?)+(?:me)?(?: please)?$",
        r"\bhelp\b.{0,20}\b(?:now|urgent\w*|quick\w*|asap)\b",
        r"\bhepl\b",
        r"\bsos\b",
        r"\bemergency\b",
        r"\bambulance\b",
        r"\b112\b",
        r"\bin danger\b",
        r"\brescue\b",
        r"\bfire brigade\b",
        r"\burgent\w*\b.{0,20}help",
        r"^(?:помогите ?)+$",
        r"\bпомогите\b.{0,30}\bсрочно",
        r"\bсрочно\b.{0,30}\bпомо",
        r"\bсрочно нужна помощь",
        r"\bпамагите\b",
        r"\bскорая\b",
        r"\bскорую\b",
        r"\bопасност\w*",
        r"\bбеда\b",
        r"\bспасите\b",
        r"\bпожарн\w*",
        r"^(?:комек ?)+$",
        r"\bкомектесиндер\b",
        r"\bкомектесинизш?и?\b",
        r"\bкомектесинездер\b",
        r"\bкомектесиниздер\b",
        r"\bшугыл\b",
        r"\bжедел жардем",
        r"\bкауип(?!сиз)\w*",
        r"\bорт сондируш\w*",
        r"\bкутқар\w*",
        r"\bкуткар\w*",
        r"\bтез комек",
    ],
}
_PATTERNS = [(kind, re.compile(p)) for kind, ps in _HAZARDS.items() for p in ps]

_SUBSCRIPTION = re.compile(
    r"\b(?:warn(?:ing)?s?|alerts?|subscribe\w*|sign me up|notif\w*|предупрежд\w*|оповещ\w*|"
    r"рассылк\w*|подпиш\w*|подписк\w*|уведомл\w*|ескерт\w*|хабарлама\w*|жазыл\w*|тиркел\w*|"
    r"messages|list|registry|texting|сообщени\w*|пишите|жазбаныз|туралы|если будет|болса)\b"
)

_SAFE = re.compile(
    r"\b(?:i'?m (?:fine|ok|okay|safe)|i am (?:fine|ok|okay|safe)|all (?:fine|good|ok)|"
    r"all is (?:fine|well)|(?:is|are) far away|stopped|у меня вс[её] (?:нормально|хорошо)|"
    r"вс[её] (?:нормально|хорошо|в порядке)|опасности нет|далеко|в безопасности|"
    r"бари жаксы|кауип жок|кауипсиз\w*|алыста|токтады)\b"
)
_UNSAFE = re.compile(r"\b(?:not (?:fine|ok|okay|safe)|не в безопасности|жаксы емес)\b")


def danger(text: str) -> str | None:
    """The kind of danger a message reports (fire, flood, …, urgent), or None.

    A message about signing up for warnings ("warn me about earthquakes") is not a danger.
    """
    folded = fold(text)
    if _SUBSCRIPTION.search(folded) or (_SAFE.search(folded) and not _UNSAFE.search(folded)):
        return None
    for kind, pattern in _PATTERNS:
        if pattern.search(folded):
            return kind
    return None
