"""The emergency layer: danger words and situations in kk, ru and en, before the classifier.

A person in danger must never depend on a statistical model. These patterns run on folded text
(lower case, no punctuation, Kazakh letters folded, so "өрт" and "орт" are the same; Kazakh in
Latin letters is read as Cyrillic too). Besides danger words they name situations: trapped,
stuck, cannot get out, collapsed, not moving, water coming in, someone forcing the door, fell
and cannot get up. They are tuned for recall; their false positives are measured by
`komek nlu eval` and in BENCHMARKS.md.
"""

from __future__ import annotations

import re

from nlu.emergency_road import ROAD
from nlu.script import latin_to_cyrillic, mostly_latin
from nlu.text import fold

_HAZARDS: dict[str, list[str]] = {
    "fire": [
        r"\bfire\b(?! (?:me|him|her|us|them|someone|somebody|people|employees?|workers?|staff)\b)",
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
    "smoke": [
        r"\bsmok\w*",
        r"\bдым\w*",
        r"\bтут(?:ин|н|е)\w*",
        r"\bгар(?:ь|ью|и)\b",
        r"\b(?:горел\w* (?:\w+ )?(?:пахн|воня|запах)|(?:пахн|воня|запах)\w* (?:\w+ )?"
        r"(?:горел|пал[её]н))",
        r"\bку[йиы](?:ген|ик) (?:\w+ )?и?ис\w*",
    ],
    "trapped": [
        r"\b(?:trapped|pinned|crushed|buried|locked in|shut in|walled in)\b",
        r"\bstuck\b(?! on\b| with\b| at the (?:form|step|question))",
        r"\b(?:can ?n?o?t|cant|unable to|couldn t|could not|no way to) (?:get|climb|crawl|go)"
        r" (?:out|outside|down|free)\b(?! of (?:bed|the bed|my bed))",
        r"\bno way out\b",
        r"\b(?:can ?n?o?t|cant|unable to|couldn t|could not) (?:\w+ )?leave (?:the|my|our|this)"
        r" (?:flat|house|home|apartment|room|building|bathroom|car)\b",
        r"\b(?:fell|fallen|collapsed|came down) on (?:me|us|top of|my|him|her)\b",
        r"\b(?:under|beneath) (?:the )?(?:rubble|wardrobe|cupboard|debris|ruins|fallen|wall|roof"
        r"|ceiling|beam|shelf|bookcase)",
        r"\bdoor (?:\w+ )?(?:won t|will not|wont|doesn t|does not|can t|cannot|isn t|is not)"
        r" (?:\w+ )?(?:open|budge|move)",
        r"\bdoor is (?:stuck|jammed|blocked)\b",
        r"\bjammed\b",
        r"\bget (?:me|us) out\b",
        r"\b(?:lift|elevator)\b.{0,30}\b(?:stopped|stuck|not moving)|between (?:the )?floors",
        r"\blost in (?:the )?(?:blizzard|snow\w*|storm|steppe|fog|mountains|woods|forest)",
        r"\b(?:blizzard|snowstorm|whiteout)\b",
        r"\bлифт\w* (?:\w+ ){0,2}(?:встал|останови\w*|застрял\w*)|между этажами",
        r"\bзаблуди\w* (?:\w+ ){0,2}(?:метел|буран|лес|степ|гор|снег|темнот|пол[еяю])\w*",
        r"\b(?:метел|буран|лес|степ|гор|снег|темнот)\w* (?:\w+ ){0,2}заблуди\w*",
        r"\b(?:метел\w*|буран\w*|пург\w*)",
        r"\b(?:боран|буран|кар|дала|тау|орман|тун)\w* (?:\w+ ){0,2}адас\w*",
        r"\bадас\w* (?:\w+ ){0,3}(?:жол\w* (?:\w+ )?(?:таба алма|корин)\w*|боран|буран)",
        r"\bборан\w*",
        r"\bприжал[оаи]\b",
        r"\bзастрял\w*",
        r"\bзастря\w*",
        r"\bзаперт\w*",
        r"\bзаперл\w*",
        r"\b(?:не могу|не можем|не может|не могут|не получается|нельзя|невозможно) (?:\w+ )?"
        r"(?:выйти|выбраться|вылезти|выползти|спуститься|открыть дверь)",
        r"\bне (?:выйти|выбраться|вылезти)\b",
        r"\b(?:выйти|выбраться|вылезти|спуститься|подняться|встать|вынести|вывести|эвакуировать)"
        r" (?:\w+ ){0,2}не (?:могу|может|можем|могут|получается|выходит)\b",
        r"\bне (?:могут|может|можем) (?:\w+ )?(?:вынести|вывести|эвакуировать|спустить)\b",
        r"\b(?:тусе|шыга|кете|козгала) алмай\w*",
        r"(?<!тосектен )(?<!орныннан )\bтура алмай\w*",
        r"\b(?:тусе|шыга|кете) алма\w*",
        r"\bпридави\w*",
        r"\bпридавл\w*",
        r"\bзавали\w*",
        r"\bпод (?:завал\w*|обломк\w*|шкаф\w*|стен\w*|плит\w*)",
        r"\bдверь (?:\w+ )?(?:не открывается|не открыть|заклинил\w*|не поддается|не поддаётся)",
        r"\bзаклинил\w*",
        r"\bнет выхода\b",
        r"\bвыход (?:\w+ )?(?:завален|заблокирован|закрыт)",
        r"\b(?:камалып|кысылып|тыгылып|кулыптаулы|кулыптанып) (?:\w+ )?кал\w*",
        r"\bкамалдым\b",
        r"\bлифт\w* (?:\w+ )?(?:калып|кал[дг]\w*|тур[ыд]\w*|токта\w*)",
        r"\bшыга алма\w*",
        r"\bшыга алмаи\w*",
        r"\bшыгу(?:га)? (?:\w+ )?(?:мумкин емес|болмаи\w*|болмай\w*)",
        r"\bшыга (?:\w+ )?алмай\w*",
        r"\bбасып калд\w*",
        r"\b(?:астында|астына) (?:\w+ )?кал\w*",
        r"\bуйинди\w*",
        r"\bесик (?:\w+ )?ашылма\w*",
        r"\bесик\w* (?:\w+ )?аша алма\w*",
        r"\bесик (?:\w+ )?(?:кыстал\w*|кысылып\w*|бузылып\w*)",
    ],
    "collapse": [
        r"\b(?:ceiling|roof|wall|building|house|floor|stairs|balcony)\b(?: \w+){0,2}"
        r" (?:collapsed|fell|fallen|caved|came down|cracked|is falling|falling down)",
        r"\bcollaps\w*",
        r"\bобрушил\w*",
        r"\bобвал\w*",
        r"\bрухнул\w*",
        r"\b(?:потолок|стена|крыша|дом|балкон|лестница|перекрыти\w*|шкаф) (?:\w+ )?(?:упал\w*"
        r"|рухнул\w*|обвалил\w*|треснул\w*|падает)",
        r"\bупал[аио]? (?:\w+ )?(?:потолок|стена|крыша|шкаф)",
        r"\b(?:тобе|кабырга|шатыр|уи|уй|уйимиз|балкон|шкаф)\w* (?:\w+ )?(?:кулады|кулап|опырыл\w*"
        r"|кираи\w*|кирады|жарылып|жарыкшак\w*)",
        r"\bопырыл\w*",
        r"\bкирап\w*",
    ],
    "unresponsive": [
        r"\b(?:not|isn t|isnt|is not|stopped) (?:moving|breathing|responding|waking|answering"
        r" the door)\b",
        r"\b(?:won t|wont|will not|doesn t|does not|can t) wake(?: up)?\b",
        r"\b(?:passed out|fainted|unresponsive|seizure|convuls\w*|overdos\w*|poison\w*"
        r"|drowning|electrocut\w*|electric shock|carbon monoxide)\b",
        r"\bне (?:двигается|дышит|шевелится|просыпается|приходит в себя|реагирует)\b",
        r"\b(?:потерял\w* сознание|упал\w* в обморок|обморок|судорог\w*|отравил\w*|отравлен\w*"
        r"|тон[уе]т|утопа\w*|ударило током|угарн\w*)\b",
        r"\b(?:козгалмаи\w*|козгалмай\w*|дем алмаи\w*|дем алмай\w*|оянбаи\w*|оянбай\w*"
        r"|есин жогалт\w*|талып\w*|талма\w*|улан\w*|суга бат\w*|ток сок\w*|ис тиг\w*)\b",
    ],
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
        r"\bgas (?:smell|leak\w*|is on|everywhere|in the|stink\w*|odou?r)\b",
        r"\b(?:smells?|smelling|reeks?) (?:\w+ ){0,2}(?:gas|burning|burnt)\b",
        r"\bгаз\w* (?:\w+ )?иси\w*",
        r"\bиси (?:\w+ )?газ\w*",
        r"\bгаздын\b",
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
        r"\bвод[аы]? (?:\w+ ){0,2}(?:заходит|заход\w*|поднима\w*|прибыва\w*|хлещ\w*|течет в|"
        r"теч[её]т в|по колено|по пояс|уже в|в квартир\w*|в подвал\w*|в подъезд\w*|залива\w*)",
        r"\bзалил[аио]\b",
        r"\b(?:поступает|прибывает|заходит|затекает|теч[её]т|хлещет|ид[её]т|набирается) вод[аы]\b",
        r"\bпо (?:щиколотк\w*|колено|колени|пояс|подоконник\w*)\b",
        r"\b(?:river|lake)\b.{0,30}\b(?:rising|in our|in the (?:yard|house|street)|overflow\w*)",
        r"\bрек[аи]\b.{0,30}\b(?:поднима\w*|во двор\w*|в доме|разлил\w*)",
        r"\bозен\w*.{0,30}(?:кирди|котерил\w*|тасып)",
        r"\bвод[аы] (?:\w+ )?кир\w*",
        r"\bзатоп\w*",
        r"\bwater (?:\w+ ){0,3}(?:coming|pouring|rising|getting|leaking|up to|flowing|"
        r"seeping|in the (?:flat|house|room|apartment|basement))",
        r"\b(?:knee|waist|ankle)[ -]deep\b",
        r"\bсу (?:\w+ ){0,2}(?:кирип|котерил\w*|келип жатыр|толып|агып жатыр|тизеге|белге|терезеге"
        r"|бас\w*|кирд\w*)",
        r"\b(?:уиге|уйге|пайтерге|подвалга|ишке) (?:\w+ )?су\b",
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
        r"\bне (?:могу|может|можем) (?:\w+ )?дышать",
        r"\bзадыха\w*",
        r"\b(?:hard|difficult|struggling) to breathe\b",
        r"\bno air\b",
        r"\b(?:трудно|тяжело|нечем) дышать",
        r"\bдышать (?:\w+ )?(?:трудно|тяжело|нечем)\b",
        r"\bbreathing is (?:\w+ )?(?:hard|difficult)\b",
        r"\bдем (?:\w+ )?(?:ала алма\w*|жетпе\w*|киын\w*)",
        r"\bтыныс (?:\w+ )?(?:ала алма\w*|тарыл\w*|жетпе\w*)",
        r"\bдем ала алма\w*",
        r"\bтуншыг\w*",
        r"\b(?:дем|тыныс) алу киын",
        r"\b(?:short of breath|out of breath|gasping|can ?n?o?t catch (?:my|his|her|our) breath)",
        r"\b(?:не хватает воздуха|воздуха не хватает|не продохнуть)",
        r"\bауа (?:\w+ )?жетпе\w*",
        r"\bдем\w* (?:\w+ )?(?:жетпе\w*|тарыл\w*)",
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
        r"\bstranger\w* (?:is |are )?(?:in|inside)\b",
        r"\b(?:smash\w*|breaking) (?:\w+ ){0,2}(?:window|door|lock)",
        r"\b(?:бь[её]т|бьют|разбива\w*) (?:\w+ )?(?:окно|окна|стекл\w*|двер\w*)",
        r"\bпосторонн\w* (?:\w+ )?(?:в доме|в квартире|дома)|\bв (?:доме|квартире) посторонн\w*",
        r"\bботен адам",
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
        r"\b(?:someone|somebody|a man|men|people|they|he|strangers?) (?:\w+ ){0,2}(?:is |are )?"
        r"(?:forcing|banging on|kicking|breaking|trying to (?:open|get in|break)|"
        r"pounding on) (?:\w+ )?(?:door|window|lock)",
        r"\bforc\w* (?:\w+ )?(?:door|window|lock)\b",
        r"\bsomeone (?:is )?(?:in|inside) (?:my|our|the) (?:flat|house|home|apartment)\b",
        r"\bкто то (?:\w+ ){0,2}(?:ломит\w*|ломает|стучит|пытается (?:открыть|войти|зайти|"
        r"взломать)|лезет|в квартир\w*|в доме)",
        r"\bломают (?:\w+ )?(?:дверь|окно|замок)",
        r"\bвыбивают (?:\w+ )?(?:дверь|окно)",
        r"\bбиреу (?:\w+ ){0,2}(?:есик\w*|терезе\w*) (?:\w+ )?(?:бузып|ашпак\w*|ашуга|тепкил\w*"
        r"|урып|тыкылдат\w*|сындыр\w*)",
        r"\b(?:есик\w*|терезе\w*|кулып\w*) (?:\w+ )?(?:бузып|сындыр\w*|тепкил\w*)",
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
        r"\b(?:chest|heart) (?:\w+ ){0,2}(?:hurts?|hurting|pains?|tight\w*|pressure|squeez\w*)",
        r"\bpains? in (?:my|his|her|the) chest",
        r"\bбол\w* в (?:груди|сердце)",
        r"\bв груди (?:\w+ )?(?:болит|давит|жж[её]т|колет|сдавил\w*|жмет|жмёт)",
        r"\b(?:грудь|сердце) (?:\w+ )?(?:болит|давит|сдавил\w*|прихватил\w*|колет)",
        r"\bсердечн\w* приступ",
        r"\bкеуде\w* (?:\w+ ){0,2}(?:ау[ыйи]р\w*|кыс\w*|шаншы\w*)",
        r"\bжурег\w* (?:\w+ )?(?:кыс\w*|шаншы\w*|токта\w*|ау[ыйи]р\w*)",
        r"\bне (?:могу|может|можем|смогу|в силах) (?:\w+ )?(?:встать|подняться)",
        r"\bupал\w* .{0,20}встать",
        r"\bупал\w*.{0,25}(?:встать|подняться)",
        r"\bвстать не мог",
        r"\bне мож\w* (?:встать|подняться)",
        r"\bсердце болит",
        r"\bкулап калд\w*",
        r"\bкулад\w*.{0,25}тура алма",
        r"(?<!тосектен )(?<!орныннан )\bтура алма\w*",
        r"\bжурег\w* ауыр\w*",
        r"\bинсульт",
        r"\bинфаркт",
        r"\bstroke\b",
        r"\bunconscious",
        r"\bбез сознания",
        r"\bесінен танд\w*",
        r"\bесинен танд\w*",
        r"\b(?:fell|fallen|slipped) (?:\w+ ){0,4}(?:can ?n?o?t|cant|unable to|couldn t) (?:get up|"
        r"stand|move|reach)",
        r"\b(?:lying|lie) on the (?:floor|ground)\b",
        r"\bупал\w* (?:\w+ ){0,4}(?:не могу|не может|не можем) (?:\w+ )?(?:встать|подняться|"
        r"двигаться|пошевелить\w*)",
        r"\bлежу на полу\b",
        r"\bлежит на полу\b",
        r"\b(?:кулап|кулад\w*|тайып) (?:\w+ ){0,4}(?:тура алма\w*|тура алмаи\w*|козгала алма\w*)",
        r"\bеденде жат\w*",
        r"\bжерде жатыр\w*",
    ],
    "urgent": [
        r"\bказир\b.{0,15}\bкомек\b",
        r"\bкомек керек тез\b",
        r"\bтез\b.{0,10}\bкомек",
        r"\bмне плохо\b",
        r"\bплохо мне\b",
        r"\b(?:мне|нам) (?:совсем |очень |так )?худо\b",
        r"\bпомощь\b.{0,20}\bсрочно",
        r"^(?:please )?(?:help ?)+(?:me)?(?: please)?$",
        r"\bhelp\b.{0,20}\b(?:now|urgent\w*|quick\w*|asap)\b",
        r"\bhepl\b",
        r"\bsos\b",
        r"\bemergency\b",
        r"\bambulance\b",
        r"\b112\b",
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
        r"\bорт сондируш\w*",
        r"\bкуткар\w*",
    ],
}
_PATTERNS = [(kind, re.compile(p)) for kind, ps in (*_HAZARDS.items(), *ROAD.items()) for p in ps]

SUBSCRIPTION = re.compile(
    r"\b(?:warn(?:ing)?s?|alerts?|subscribe\w*|sign me up|notif\w*|предупрежд\w*|оповещ\w*|"
    r"рассылк\w*|подпиш\w*|подписк\w*|уведомл\w*|ескерт\w*|хабарлама\w*|жазыл\w*|тиркел\w*|"
    r"messages|list|registry|texting|сообщени\w*|сообщайте|пишите|жазбаныз|туралы|если будет|болса"
    r"|хабар (?:\w+ )?бер\w* тур\w*|keep me (?:posted|informed|updated))\b"
)


def danger(text: str) -> str | None:
    """The kind of danger a message names (fire, flood, trapped, …, urgent), or None.

    A message about signing up for warnings ("warn me about earthquakes") is not a danger.
    Whether the person says they are safe all the same is `nlu.safety`'s to decide.
    """
    views = [fold(text)]
    if mostly_latin(text):
        views.append(latin_to_cyrillic(text))
    for folded in views:
        if SUBSCRIPTION.search(folded):
            return None
    for kind, pattern in _PATTERNS:
        if any(pattern.search(folded) for folded in views):
            return kind
    return None
