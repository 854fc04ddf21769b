"""Talk about a danger that is not happening to the person now, for the emergency layer.

"Warn me about floods", "что делать при землетрясении", "компенсация пострадавшим от
наводнения", "өткен жылғы өрттен кейін құжаттар жоғалды", "fire safety training": a danger
named as a subject, in the past, or in general. `without_hazard_talk` takes such phrases out
of a folded message, so the emergency layer reads only the rest: "өрт туралы хабарлаймын,
үйіміз жанып жатыр" (I am writing about a fire, our house is burning) still names a fire.
"""

from __future__ import annotations

import re

_W = r"[^\W\d_]+"
_SEASON_EN = r"(?:year|years|month|months|spring|summer|winter|autumn|week)"
_SEASON_RU = r"(?:год\w*|весн\w*|лет\w*|осен\w*|зим\w*|месяц\w*|недел\w*)"
_SUBSCRIBE_EN = (
    r"(?:warn(?:ing)?s?|alerts?|subscribe\w*|sign me up|notif\w*|keep me (?:posted|informed"
    r"|updated)|texting|messages?|list|registry)"
)
_SUBSCRIBE_RU = (
    r"(?:предупрежд\w*|оповещ\w*|рассылк\w*|подпиш\w*|подписк\w*|уведомл\w*|сообщени\w*"
    r"|сообщайте|пишите|памятк\w*)"
)
_SUBSCRIBE_KK = r"(?:ескерт\w*|хабарлама\w*|жазыл\w*|тиркел\w*|хабар (?:\w+ )?бер\w* тур\w*)"

HAZARD_TALK = re.compile(
    "|".join(
        (
            # subscribing to warnings: "warn me about floods", "flood alerts", "о паводках"
            rf"\b(?:{_W} ){{0,2}}{_SUBSCRIBE_EN}\b(?:(?: {_W}){{0,3}} (?:about|of|for|on|when|if"
            rf"|from"
            rf"|in case)(?: (?:there|is|are|a|an|the|any|will|be|s|possible"
            rf"|big)){{0,3}} {_W}(?: (?:and|or) {_W})*)?",
            rf"\b{_SUBSCRIBE_RU}(?: {_W}){{0,3}} (?:о|об|про|при|на|когда|если|от)(?: {_W}){{1,3}}",
            rf"\b(?:{_W} ){{1,3}}(?:(?:мен|жане|и|and|or) (?:{_W} ){{1,3}})?(?:туралы|болса"
            rf"|болган жагдайда|кезинде|кезде)\b",
            rf"\b(?:{_W} ){{1,3}}{_SUBSCRIBE_KK}",
            r"\bесли (?:\w+ )?будет(?: \w+){1,2}",
            # in general: "in case of an earthquake", "при пожаре", "fire safety"
            rf"\b(?:in case of|in the event of|prepare for|preparing for|ready for|safety (?:during"
            rf"|in)|what to do (?:in|during|after)|how to (?:act|behave) (?:in|during))(?: an?"
            rf"| the)?"
            rf" {_W}",
            rf"\b(?:при|во время|в случае|на случай|как вести себя при) {_W}",
            r"\b(?:fire|gas|flood|earthquake) safety\b|\bпожарн\w* безопасност\w*"
            r"|\bорт кауипсиздиг\w*",
            r"\b(?:smoke|fire|gas|co) (?:detector|alarm|sensor)s? (?:for|in every|installation)\b"
            r"|\b(?:get|install|buy|free) (?:\w+ )?(?:smoke|gas|co) (?:detector|alarm|sensor)s?\b",
            r"\bдатчик\w* (?:дыма|газа|угарн\w* газа) (?:для|в кажд\w*|бесплатн\w*)"
            r"|\b(?:получить|установить|купить|выдают|выдать|поставить) (?:\w+ )?датчик\w*"
            r" (?:дыма|газа)",
            # in the past: "after the fire", "last year's flood", "в прошлом году", "өрттен кейін"
            rf"\b(?:after|since|affected by|victims of|survivors of|damaged by|compensation for)"
            rf"(?: the| that| this)? {_W}",
            rf"\b(?:last|previous) {_SEASON_EN} {_W}|\b{_W} (?:last|this past"
            rf"|previous) {_SEASON_EN}\b"
            rf"|\b{_W} (?:of|in) (?:19|20)\d\d\b",
            rf"\b(?:прошл\w*|позапрошл\w*) {_SEASON_RU}(?: {_W}){{1,2}}"
            rf"|\b{_W} (?:прошл\w*) {_SEASON_RU}",
            r"\bin (?:an |case of (?:an )?|the event of (?:an )?)?emergenc\w*",
            rf"\b(?:после|пострадавш\w*|компенсаци\w*|ущерб\w*)(?: (?:от|за|после|ущерба|урона"
            rf"|пострадавш\w*"
            rf"|разрушени\w*))* {_W}",
            rf"\b{_W} (?:в прошлом году|в (?:19|20)\d\d(?: году)?)",
            rf"\b{_W}(?:нан|нен|дан|ден|тан|тен) (?:кейин|сон|зардап шеккен\w*|жапа шеккен\w*)",
            rf"\b(?:откен|былтыргы|(?:19|20)\d\d)(?! (?:туни|тунде|сагат\w*"
            rf"|минут\w*))(?: {_W}){{1,3}}",
            # a complaint about something past: "вчера застрял в лифте, кому пожаловаться"
            r"^(?=.*\b(?:complain\w*|жалоб\w*|пожаловат\w*|жалуюсь|шагым\w*))"
            r"(?=.*\b(?:yesterday|last week|вчера|на прошлой неделе|кеше|откен аптада)\b).*$",
            # a danger that did nothing here: "the earthquake did nothing here", "нас не задело"
            rf"\b{_W} (?:(?:бизге|нам|нас|us|бизди) )?(?:did nothing|didn t (?:reach|touch|affect"
            rf"|hurt"
            rf"|damage) \w+|ничего не (?:сделал\w*|повредил\w*|задел\w*)|не (?:задел\w*|тронул\w*)"
            rf"|ештен?е (?:истемеди|болмады|истеген жок)|жетпеди|тиген жок)",
            # an everyday idiom: "застрял с документами", "stuck with the paperwork"
            r"\bзастрял\w* (?:с|на) (?:документ\w*|оформлен\w*|заявлени\w*|регистрац\w*|справк\w*)",
            r"\bstuck (?:with|on) (?:the |my )?(?:paperwork|documents?|forms?|application)",
        )
    )
)
"""Phrases naming a danger as a subject, in general or in the past, on folded text."""


SUBSCRIPTION = re.compile(
    r"\b(?:warn(?:ing)?s?|alerts?|subscribe\w*|sign me up|notif\w*|предупрежд\w*|оповещ\w*|"
    r"рассылк\w*|подпиш\w*|подписк\w*|уведомл\w*|ескерт\w*|хабарлама\w*|жазыл\w*|тиркел\w*|"
    r"messages|list|registry|texting|сообщени\w*|сообщайте|пишите|жазбаныз|туралы|если будет|болса"
    r"|хабар (?:\w+ )?бер\w* тур\w*|keep me (?:posted|informed|updated))\b"
)
"""Words of signing up for warnings: beside them "danger" is a topic ("send me danger alerts")."""


def without_hazard_talk(folded: str) -> str:
    """The folded message without the phrases that name a danger not happening now."""
    return HAZARD_TALK.sub(" ", folded)
