"""Situation frames for the emergency layer (`nlu.emergency`): a thing and what it is doing.

People in danger describe what they see, not the danger's name: "крыша трещит" (the roof is
creaking), "шатыр сықырлап тұр", "the ceiling is sagging", "плита шипит", "the door is hot",
"кто-то дёргает ручку двери", "мама упала и молчит". Each frame pairs a subject (a part of the
building, the stove, the door, a person) with a state verb, in kk, ru and en, on folded text
(қ → к, ұ → у, і → и, ё → е …) and on Kazakh typed in Latin letters read as Cyrillic.
"""

from __future__ import annotations

from nlu.emergency_road import ROAD

_NEAR = r"(?: \w+){0,3} "
_STRUCTURE_EN = (
    r"(?:roof|ceiling|walls?|floor|balcony|beams?|stairs|staircase|building|house|yurt|tent)"
)
_STRUCTURE_RU = (
    r"(?:крыш\w*|потол\w*|стен[аыуе]?|пол|балкон\w*|перекрыти\w*|балк[аи]|дом|здани\w*"
    r"|лестниц\w*|подъезд\w*|кровл\w*|юрт\w*)"
)
_STRUCTURE_KK = (
    r"(?:шатыр\w*|тобе\w*|кабырга\w*|еден\w*|уи|уй|уйимиз|балкон\w*|баспалдак\w*|гимарат\w*"
    r"|кииз уй\w*)"
)
_PERSON_RU = (
    r"(?:мам\w*|пап\w*|бабушк\w*|бабул\w*|дедушк\w*|дед\w*|муж\w*|жен\w*|сын\w*|доч\w*"
    r"|реб[её]н\w*|брат\w*|сестр\w*|сосед\w*|внук\w*)"
)
_PERSON_EN = (
    r"(?:mum|mom|mother|dad|father|grandma|granny|grandpa|husband|wife|son|daughter|child|kid"
    r"|baby|brother|sister|neighbou?r|he|she)"
)
_STRANGER_RU = (
    r"(?:(?:чуж\w*|незнаком\w*|посторонн\w*) (?:мужик\w*|мужчин\w*|человек|люди|парн\w*)"
    r"|(?:мужик\w*|мужчин\w*|человек|люди|парн\w*) (?:чуж\w*|незнаком\w*))"
)
_PLACE_RU = (
    r"(?:в|на|у|под) (?:квартир\w*|дом\w*|кухн\w*|комнат\w*|подъезд\w*|двер\w*|окн\w*"
    r"|подвал\w*|балкон\w*|двор\w*)"
)
_STRANGER_KK = r"(?:ботен|бейтаныс|танымайтын) (?:еркек|киси|адам|адамдар|жигит)\w*"
_PLACE_KK = r"(?:уйде|уйге|пайтерде|подъезде|аулада|есик\w*|терезе\w*|ас уйде|болмеде)"

FRAMES: dict[str, list[str]] = {
    "collapse": [
        # a part of the building creaking, cracking, sagging, leaning, giving way
        rf"\b{_STRUCTURE_EN}\b{_NEAR}(?:is |are |r )?(?:bowing|coming down|ripping|torn|blown"
        rf"|blowing|flying off|ripped|gone|destroyed|creak\w*|crack\w*|sagg\w*|sags|bulg\w*"
        r"|tilt\w*|lean\w*|sway\w*|sink\w*|cav\w* in|giv\w* way|gave way|buckl\w*|crumbl\w*"
        r"|split\w*|about to (?:fall|collapse|come down|give))",
        r"\bcracks? (?:\w+ ){0,4}(?:everywhere|spreading|getting (?:bigger|wider)|growing"
        r"|widening)",
        r"\b(?:plaster|bricks?|chunks?|pieces?|dust|debris) (?:\w+ ){0,2}(?:is |are )?(?:falling"
        r"|coming down)",
        r"\b(?:loud )?(?:crack|bang|boom|crash) (?:from|in|on) the (?:roof|ceiling|walls?|upstairs"
        r"|building)",
        r"\b(?:грохнул\w*|бабахнул\w*|гурс ет\w*)|\b(?:пыль|побелк\w*|песок) (?:\w+ )?сып\w*"
        r"|\bшан (?:\w+ )?тусип",
        rf"\b{_STRUCTURE_RU}\b{_NEAR}(?:трещ\w*|треска\w*|трескает\w*|провис\w*|прогиб\w*"
        r"|прогну\w*|провал\w*|отвалива\w*|крени\w*|накрени\w*|повело|шата\w*|кача\w*|сыплет\w*"
        r"|осыпа\w*|рушит\w*|разруша\w*|ход\w* ходуном|вот вот|расход\w*|разъезжа\w*|вздул\w*"
        r"|вспучи\w*|лопа\w*|лопнул\w*|рв[её]т|сорвал\w*|срыва\w*|снесло|снос\w*)",
        rf"\b(?:трещ\w*|провис\w*|прогиб\w*|провали\w*|отвалива\w*|трескает\w*){_NEAR}"
        rf"{_STRUCTURE_RU}\b",
        r"\bтрещин\w* (?:\w+ ){0,3}(?:растет|растут|пошл\w*|везде|расширя\w*|больше|по стен\w*)",
        r"\b(?:штукатурк\w*|кирпич\w*|куски) (?:\w+ )?(?:сыпл\w*|пада\w*)",
        rf"\b{_STRUCTURE_KK}{_NEAR}(?:сыкыр\w*|шыкыр\w*|жарыкшак\w*|жарыл\w*|сызат\w*|кисай\w*"
        r"|кисаи\w*|салбыра\w*|кула[йи]ын\w*|кулай\w*|согил\w*|ойыл\w*|шаикал\w*|шайкал\w*"
        r"|иилип\w*|майыс\w*|трещ\w*|провис\w*|рушит\w*|ажыра\w*|томен тус\w*|жулып\w*|ушырып\w*)",
        r"\b(?:разрушенн?\w*|рухнувш\w*|обрушивш\w*|кираган|кулаган (?:мектеп|уй|гимарат))\w*",
        r"\b(?:things|stuff) (?:\w+ )?(?:keep|keeps|are|is) falling|\bчто то (?:\w+ )?пада\w*"
        r"|\bвещи (?:\w+ )?падают|\bзаттар (?:\w+ )?кулап|\bвыбил\w* (?:\w+ )?(?:окн\w*|стекл\w*)",
        r"\b(?:сылак|кирпиш|кирпич)\w* (?:\w+ )?(?:тусип|кулап|тогил)\w*",
    ],
    "gas": [
        r"\brotten eggs?\b",
        r"\b(?:gas|co|carbon monoxide|smoke|fire) (?:alarm|detector|sensor)s? (?:\w+ )?(?:is )?"
        r"(?:going off|went off|beep\w*|goes off|sound\w*|ring\w*|scream\w*)",
        r"\b(?:stove|cooker|hob|boiler|cylinder|pipe) (?:\w+ ){0,2}(?:is )?hiss\w*",
        r"\bтухл\w* я[йи]ц\w*",
        r"\b(?:датчик|сигнализаци)\w* (?:\w+ )?(?:газа |дыма |угарн\w* )?(?:сработал\w*|пищит"
        r"|орет|звенит|срабатывает)",
        r"\b(?:сработал\w*|пищит|орет|звенит) (?:\w+ )?(?:датчик|сигнализаци)\w*",
        r"\b(?:плит\w*|котел|колонк\w*|баллон\w*|труб[аы]) (?:\w+ ){0,2}шип\w*",
        r"\bугорел\w*",
        r"(?=.*\b(?:печ\w*|пешт?\w*|stove|heater|boiler|котел|котл\w*|жылыт\w*|мангал\w*))"
        r"(?=.*\b(?:голов\w* (?:\w+ )?(?:болит|кружит\w*)|тошнит|headache|dizzy|sick|sleepy"
        r"|бас\w* (?:\w+ )?(?:ауыр|айнал)\w*|журег\w* (?:\w+ )?айн\w*|спать тянет))",
        r"\bgas (?:\w+ ){1,5}(?:burst|hiss\w*|leak\w*)",
        r"\bширик жумырт\w*",
        r"\b(?:датчиг|датчик|дабыл)\w* (?:\w+ )?(?:шыкылда\w*|сыкылда\w*|шырылда\w*|дабыл кагып"
        r"|иске косылд\w*|пипилде\w*)",
        r"\b(?:плита|казан|баллон|кубыр)\w* (?:\w+ ){0,2}(?:ысылда\w*|шыжылда\w*)",
    ],
    "fire": [
        r"\bsparks? (?:\w+ ){0,2}(?:from|coming|out of|fly\w*)",
        r"\b(?:socket|outlet|wiring|wires?|plug|heater|charger|cord|cable"
        r"|extension)\w* (?:\w+ ){0,2}(?:is )?"
        r"(?:spark\w*|smok\w*|melt\w*|on fire)",
        r"\bискр(?:ы|а|ит|ят|ами|ой)\b (?:\w+ ){0,2}(?:из|от|с|летят|сыплют\w*)",
        r"\b(?:розетк\w*|проводк\w*|провод\w*|обогреватель\w*|удлинител\w*|щиток|щитк\w*"
        r"|зарядк\w*) (?:\w+ ){0,2}(?:искр\w*|дым\w*|плав\w*|гор(?:ит|ят|ел\w*)|задымил\w*)",
        r"\bкуйип (?:жатыр|барады)|\bискр(?:ит|ят)\b|\bушкын\w*|\b(?:розетка|удлинитель|сым|провод"
        r"|щит)\w* (?:\w+ )?(?:ерип|балкып)\w*",
        r"\b(?:door|handle|дверь|ручка двери|есик|есиктин)\w* (?:\w+ )?(?:is )?(?:hot|горяч\w*"
        r"|ыстык\w*|кызып\w*)",
    ],
    "flood": [
        r"\bwater (?:is )?(?:all )?(?:around|everywhere|at the door|almost at|reached|up to)\b",
        r"\b(?:river|lake|stream|canal) (?:\w+ )?(?:came|is coming|coming|got) (?:in|into)\b",
        r"\b(?:filling|filled|fills) (?:up )?with water\b",
        r"\b(?:room|flat|house|basement|cellar|kitchen|yard|car) (?:\w+ )?(?:is )?filling up\b",
        r"\b(?:water|pipe) (?:\w+ )?(?:gush\w*|burst\w*|pour\w*)",
        r"\b(?:кругом|вокруг|везде|всюду) вод[аы]\b|\bвод[аы] (?:кругом|вокруг|везде|всюду)\b",
        r"\b(?:заполня\w*|наполня\w*|залива\w*|затопля\w*) (?:\w+ )?вод\w*",
        r"\bвод[аы] (?:\w+ ){0,3}(?:у порога|у двери|к двери|к дому|на полу|(?<!не )подход\w*"
        r"|(?<!не )прибыва\w*|хлынул\w*|(?<!не )дошл\w*)",
        r"\bпрорвал\w* (?:\w+ )?(?:труб\w*|стояк\w*|батаре\w*|плотин\w*|дамб\w*)",
        r"\b(?:айнала|айналамыз|барлык жер)\w* (?:\w+ )?су\b",
        r"\bсу (?:\w+ ){0,2}(?:есикке|табалдырык\w*|аулага|аулада|тизеден|белден|жетти\b|жетип"
        r"|келип кал\w*)",
        r"\bвод\w* (?:\w+ )?под двер\w*|\bсочит\w* вод\w*|\bвод\w* (?:\w+ )?сочит\w*"
        r"|\bвод\w*\b.{0,40}\b(?:вс[её] больше|больше и больше)|\bcreep\w* (?:up|in|into)\b"
        r"|\b(?:еден|кабырга|тобе)\w* (?:\w+ )?су шыгып|\bсу\b.{0,40}\bкобейип",
        r"\bсуга (?:\w+ )?толы\w*|\bсу (?:\w+ )?(?:кобейип|кобейди|артып бар)\w*",
        r"\b(?:кубыр|батарея)\w* (?:\w+ )?(?:жарыл\w*|агып кет\w*)",
        r"\b(?:плотин|дамб)\w* (?:\w+ )?(?:прорва\w*|размы\w*)|\bбогет\w* (?:\w+ )?(?:бузыл\w*"
        r"|жарыл\w*)",
    ],
    "trapped": [
        r"\b(?:lying|lies) in the snow\b|\bлежит в снегу|\bкарда жатыр\w*|\b(?:went|fell|drove)"
        r" through the ice|\bsurrounded by water|\bокруж[её]н\w* водой",
        r"\b(?:отрезал\w* (?:\w+ )?(?:водой|селем|снегом|от мира)|cut off by (?:the )?\w+)",
        r"\bfell (?:\w+ )?(?:into|down) (?:the |a )?(?:cellar|well|pit|hole|manhole|basement|ditch)"
        r"|\bупал\w* (?:\w+ )?в (?:погреб|колодец|колодц\w*|люк|яму|подвал)"
        r"|\b(?:жертолеге|кудыкка|шункырга|люкке|подвалга) (?:\w+ )?кулап",
        r"\b(?:tree|branch|pole|sign) (?:\w+ )?fell on (?:our|the|my|his|her) \w+"
        r"|\b(?:дерево|столб|ветк\w*) (?:\w+ )?упал\w* на (?:крыш\w*|дом\w*|машин\w*|нас|него"
        r"|не[её])"
        r"|\b(?:агаш|баган)\w* (?:\w+ )?(?:шатырга|уйге|коликке|устимизге) (?:\w+ )?кулап",
        r"\bfell (?:\w+ )?(?:through|off|out of|from) (?:the |a )?(?:ice|window|balcony|roof"
        r"|stairs|ladder)",
        r"\b(?:ice|лед\w*|муз(?:га|дан|да|ды)?) (?:\w+ ){0,3}(?:broke|cracked|fell through"
        r"|провал\w*|ойыл\w*)",
        r"\bпровалил\w* (?:\w+ )?(?:под|в|сквозь) (?:лед|яму|люк|колод\w*|подвал\w*)",
        r"\b(?:выпал\w*|упал\w*) (?:\w+ )?(?:из окна|с балкона|с крыши|с лестниц\w*|в люк|в яму)",
        r"\bмуз(?:га|дан|да|ды)? (?:\w+ )?(?:тусип|кулап|батып|ойылып) кет\w*",
        r"\b(?:терезеден|балконнан|шатырдан|баспалдактан) (?:\w+ )?(?:кулап|тусип)\w*",
        r"\bупал\w*(?: \w+){0,4} не (?:могу|можем|может) (?:\w+ )?подня\w*",
        r"\b(?:slid|slipped|fell) (?:off|out of|from) (?:his|her|my|the) (?:chair|bed|wheelchair"
        r"|sofa)"
        r"|\btoo heavy (?:for me )?to lift\b|\bcan ?n?o?t (?:lift|get) (?:him|her) (?:up|off)",
        r"\bсполз\w* (?:со|с) (?:стула|кровати|коляски|дивана)|\bподнять (?:\w+ )?не (?:могу"
        r"|можем)",
        r"\b(?:орындыктан|тосектен|арбадан|диваннан) (?:\w+ )?(?:сыргып|кулап) тус\w*"
        r"|\bкотеру\w* (?:\w+ )?(?:кушим|шамам|алым) (?:\w+ )?жетпе\w*",
        r"\bon the (?:\w+ )?floor\b.{0,40}\b(?:won t|wont|not|isn t|doesn t|can t) (?:talk\w*"
        r"|answer\w*"
        r"|respond\w*|mov\w*|speak\w*|get up)",
        rf"\b{_PERSON_EN} (?:is |s )?(?:lying )?on the (?:\w+ )?floor\b",
        r"\bна полу\b.{0,40}\b(?:не разговаривает|не отвечает|молчит|не вста[её]т|не двигается)",
        r"\bеден\w* (?:\w+ ){0,3}(?:сойлемей|унсиз|козгалмай|жауап бермей)\w*",
        r"(?=.*\b(?:no fuel|out of (?:fuel|petrol|gas)|бензин\w* (?:\w+ )?(?:нет|кончил\w*"
        r"|закончил\w*"
        r"|на нуле)|бензин (?:\w+ )?(?:жок|бит\w*|тауси\w*)))"
        r".*\b(?:minus|минус|мороз\w*|холод\w*|cold|freez\w*|суык\w*|аяз\w*)",
        r"\bstuck on (?:the |a )?(?:road|highway|pass|motorway)\b|\bбатпак\w* (?:\w+ )?батып",
        r"\b(?:landed|fell) on (?:my|his|her) (?:leg|legs|arm|foot|feet|back|chest)|\bcan ?n?o?t"
        r" (?:pull|get) (?:it|my \w+|his \w+|her \w+) out\b|\bunder a (?:concrete )?slab"
        r"|\bcan ?n?o?t move it off",
        r"\b(?:устиме|устимизге|аягыма|устине) (?:\w+ ){0,2}кулап тус\w*|\bшыгара алма\w*",
        r"\bесик (?:\w+ )?(?:сырттан )?(?:жабылып|кулыпталып) кал\w*|\bдвер\w* (?:\w+ )?"
        r"захлопнул\w*|\block(?:ed)? (?:myself |me )?out on the balcony|\bdoor (?:\w+ )?(?:slammed"
        r"|locked) (?:shut )?behind me",
        r"\bшыгатын жер\w* (?:\w+ )?таппа\w*|\bвыход\w* (?:\w+ )?не (?:могу|можем) найти"
        r"|\bне (?:могу|можем) найти выход|\bcan ?n?o?t find (?:the )?(?:way out|exit)",
        r"\bне (?:выберемся|выберусь|выберется|выйдем|выбраться)\b|\b(?:won t|will not|wont)"
        r" (?:be able to )?get out\b",
        r"\b(?:guide dog|поводыр\w*|жетекши ит\w*)(?: \w+){0,2} (?:ran off|ran away|убежал\w*"
        r"|кашып)|\balone on the (?:highway|road)|\b(?:стою|стоим)(?: \w+){0,2} (?:у|на|посреди)"
        r" трасс\w*|\bтрасса\w* ортасында",
        r"\b(?:stairs|staircase|steps) (?:are |is )?(?:gone|destroyed|collapsed)\b"
        r"|\bлестниц\w* (?:\w+ )?(?:нет|снесло|разрушен\w*)\b",
        r"\b(?:кулад\w*|кулап|тайып)\b.{0,40}\b(?:козгалта алма|тура алма|баса алма)\w*",
        r"\b(?:fell|fallen|slipped)\b(?: \w+){0,7} (?:can ?n?o?t|cant|unable to) (?:get up|stand"
        r"|walk)",
        r"\bwheelchair (?:\w+ )?(?:tipped|fell|overturned|flipped|rolled)",
        r"\b(?:can ?n?o?t|cant|unable to|couldn t) (?:get|climb) back (?:in|into|on)",
        r"\b(?:on|from) the floor (?:since|for|all)\b|\b(?:i m|im|i am|i ve been|been|stuck) on the"
        r" floor\b",
        r"\b(?:can ?n?o?t|cant|unable to|couldn t) reach (?:my |the )?(?:phone|door)",
        r"\bна полу (?:с утра|со вчера|уже|всю ночь|несколько|который|давно|с ночи)",
        r"\bдо (?:телефона|двери) (?:\w+ )?не (?:дотян\w*|доста\w*|дойти|добрат\w*)",
        r"\bтелефон\w* (?:\w+ )?жете алма\w*",
        r"\b(?:в лифте|in the lift|in the elevator|in a lift|in an elevator|лифт\w*де|лифтте)\b"
        r"(?: \w+){0,4} (?:сижу|сидим|час\w*|уже|отырм\w*|отырмыз|сагат\w*|hour\w*|since)\b",
        r"\b(?:сиж\w*|сидим|отырм\w*) (?:\w+ ){0,2}(?:в лифте|лифт\w*де|лифтте)\b",
        r"\b(?:can ?n?o?t|cant|unable to|couldn t) come (?:down|out)\b",
        r"\bсбил\w* с (?:дороги|пути)|\bне видно дорог\w*|\bпотерял\w* (?:\w+ )?дорог\w*",
        r"\bпотерял\w* (?:\w+ ){0,2}(?:в степи|в лесу|в горах|в поле|в метель|в буран)",
        r"\bдалада (?:\w+ )?адас\w*",
        r"\b(?:car|engine) (?:\w+ ){0,2}(?:died|broke down|won t start|stalled|is dead)\b"
        r"(?: \w+){0,6} (?:snow\w*|highway|steppe|cold|freez\w*|nowhere)",
        r"\b(?:машин\w*|мотор|двигател\w*) (?:\w+ )?(?:заглох\w*|сломал\w*|не завод\w*)"
        r"(?: \w+){0,6} (?:трасс\w*|снег\w*|степ\w*|холод\w*|мороз\w*|мерзн\w*)",
        r"\b(?:колик|машина)\w* (?:\w+ )?(?:сонип|бузылып|оталмай)\w*(?: \w+){0,6}"
        r" (?:жол\w*|кар\w*|дала\w*|суык\w*|аяз\w*|тонып)",
        r"(?=.*\b(?:heating|отоплени\w*|жылу|батаре\w*)\b)(?=.*\b(?:minus|минус|мороз\w*|freez\w*"
        r"|суык\w*|аяз\w*|мерзн\w*|замерза\w*|немеют|уйып)\b)",
        r"\bsnow (?:\w+ )?(?:blocked|blocking|covers?|covered) (?:the |our |my )?(?:door|exit|car)",
        r"\bснег\w* (?:\w+ )?(?:завалил\w*|замел\w*|засыпал\w*) (?:\w+ )?(?:двер\w*|выход\w*"
        r"|машин\w*)",
        r"\bкар (?:\w+ )?есик\w* (?:\w+ )?(?:басып|жауып)",
    ],
    "unresponsive": [
        r"\b(?:turned|turning|going|lips (?:are|turned)) blue\b",
        r"\b(?:посинел\w*|синеет|хрипит|подавил\w*)\b",
        r"\b(?:когерип кет\w*|кокпенбек\w*|хырылда\w*)",
        r"\bтамаг\w* (?:\w+ ){0,2}(?:турып|кептел\w*|тыгыл\w*) (?:\w+ )?кал\w*",
        r"\b(?:having a|had a|has a) (?:fit|seizure)\b|\bприпадок\b|\bприступ эпилеп\w*",
        r"\b(?:face|one side|left side|right side|mouth|left arm) (?:\w+ ){0,2}(?:is |went |gone )?"
        r"(?:numb|droop\w*)(?! sometimes| at times| often)",
        r"\b(?:лицо|рука|половин\w*|рот) (?:\w+ )?(?:онемел\w*|перекосил\w*|отнял\w*)",
        r"\bбет\w* (?:\w+ )?(?:кисайып|кисаиып|уйып|сезбей)\w*",
        r"\bв глазах (?:\w+ )?(?:темнеет|потемнел\w*|плывет)|\bкоз\w* (?:\w+ )?карауыт\w*",
        r"\b(?:about to|going to|gonna) (?:faint|pass out)\b|\bfeel (?:\w+ )?faint\b|\bpassing out"
        r"|\bтеря\w* сознани\w*|\bесим\w* танып",
        r"\b(?:trouble|difficulty) breathing|\b(?:плохо|еле|с трудом) дыш\w*|\bарен дем ал\w*"
        r"|\blips (?:are |look |turned )?(?:blue|purple|grey)|\bгубы (?:\w+ )?(?:син\w*|посинел\w*)"
        r"|\bерн\w* (?:\w+ )?когер\w*",
        r"\b(?:fell|fallen|collapsed)\b(?: \w+){0,4} (?:not answering|not responding|not talking"
        r"|not speaking|not breathing|silent"
        rf"|won t answer|doesn t answer)|\b{_PERSON_EN} (?:\w+ )?(?:is )?not answering me\b",
        r"\b(?:упал\w*|лежит)\b(?: \w+){0,4} (?:молчит|не отвечает|не реагирует|не дышит)",
        r"\b(?:кулап|кулады|жатыр)\b(?: \w+){0,4} (?:унсиз|ун жок|жауап бермей\w*|ундемей\w*)",
        r"\bесин (?:\w+ )?(?:билмей|жогалт)\w*",
        r"\bswallowed (?:\w+ ){0,2}(?:pills|tablets|bleach|battery|batteries|poison)"
        r"|\btook too many"
        r" (?:pills|tablets)|\bнаглотал\w*|\b(?:коп дари\w*|дари\w* (?:\w+ )?коп) ишип (?:кой|ал"
        r"|жибер)\w*",
        r"\b(?:swallowed|проглотил\w*)(?: \w+){0,2} (?:a )?(?:button )?(?:batter\w*|magnet\w*"
        r"|coin\w*"
        r"|батарейк\w*|магнит\w*|монет\w*|иголк\w*)|\b(?:батарейка|магнит|тиын)\w* (?:\w+ )?жутып",
        r"\b(?:got|had) (?:a |an electric )?shock\b|\b(?:сосульк\w*|ice|муз)\b.{0,25}(?:на голову"
        r"|on (?:my|his|her) head|басыма|басына)",
        r"\b(?:hit|banged) (?:his|her|my|their) head\b|\bудари\w* (?:\w+ )?голов\w*"
        r"|\bбас(?:ын|ым) (?:\w+ )?(?:согып|урып) ал\w*",
        r"\b(?:can ?n?o?t|cant) move (?:my|his|her) (?:left|right) (?:side|arm|leg)"
        r"|\b(?:left|right) side (?:\w+ )?(?:numb|won t move|not moving)"
        r"|\b(?:левой|правой|левая|правая) (?:сторон\w*|рук\w*|ног\w*)(?: \w+){0,2} (?:не (?:могу"
        r"|может)"
        r" (?:\w+ )?пошевел\w*|онемел\w*|не двига\w*)|\bне (?:могу|может) пошевелить (?:левой"
        r"|правой)"
        r"|\b(?:сол|он) (?:жаг|кол|аяг)\w* (?:\w+ )?(?:козгалта алма|сезбе|козгалмай)\w*",
        r"\bholding (?:his|her|my) chest\b|\bдерж\w* за (?:грудь|сердце)|\b(?:кеуде"
        r"|журег)\w* (?:\w+ )?"
        r"устап",
        r"\b(?:давит|болит|жж[её]т|колет|сжимает) в груди|\bлев(?:ая|ую) рук\w* (?:\w+ )?(?:немеет"
        r"|онемел\w*)|\bотда[её]т в лев\w*|\bleft arm (?:\w+ )?(?:numb|pain\w*|tingl\w*)"
        r"|\bheart (?:is )?(?:racing|pounding)|\bсердце (?:\w+ )?колотится|\bжурег\w* (?:\w+ )?"
        r"(?:катты )?(?:согып|дурсил)\w*",
        r"\bсахар\w* (?:\w+ )?(?:упал|низк\w*)|\bsugar (?:is )?(?:low|dropped|crashed)"
        r"|\bкант\w* (?:\w+ )?(?:тусип кет|томендеп)\w*",
        r"\bslurr\w*|\bневнятн\w*|\bсоз\w* (?:\w+ )?тусинбе\w*|\b(?:порезал\w*|порез) (?:\w+ )?"
        r"(?:рук\w*|ног\w*|палец|голов\w*)|\b(?:рук\w*|ног\w*) (?:\w+ )?порезал\w*",
        r"\b(?:отка|отко) жакын|\bот (?:\w+ )?жакындап",
        r"\bдавлени\w* (?:\w+ )?(?:2\d\d|под 200|очень высок\w*|скакнул\w*)",
        r"\bкан кысым\w* (?:\w+ ){0,3}(?:оте нашар|2\d\d|катты котерил\w*)",
        rf"\b(?:мне|нам|ей|ему|им|{_PERSON_RU}) (?:очень |совсем |так |резко |сильно )?"
        r"(?:плохо|худо)(?: *$| (?:с (?:сердцем|головой)|помог\w*|срочно|сердц\w*|голов\w*"
        r"|давлени\w*|дыш\w*|вызов\w*|скор\w*|тошнит|упал\w*|теря\w*))",
        r"\b(?:маган|бизге|оган|анама|акеме|ажеме|атама|балама) (?:\w+ )?(?:оте |катты )?"
        r"(?:жаман|нашар) (?:болып|боп)",
        r"\b(?:хали|халы) (?:\w+ )?(?:оте |катты )?(?:нашар|ауыр)",
    ],
    "intruder": [
        r"\b(?:trying|tries|tried|keeps trying|is trying) (?:\w+ )?(?:the )?(?:handle|door|lock"
        r"|window)",
        r"\btrying to (?:climb|get|break|sneak) (?:in|into)",
        r"\b(?:kicking|banging on|pounding on|forcing|hammering on) (?:the |my "
        r"|our )?(?:\w+ )?(?:door"
        r"|window)|\b(?:someone|somebody|they|he|men) (?:broke|smashed) (?:\w+ ){0,2}(?:window|door"
        r"|glass|lock)",
        r"\bразбил\w* (?:\w+ )?(?:окн\w*|стекл\w*|двер\w*)|\b(?:i m|im|we re|we are) hiding\b"
        r"|\bпряч(?:усь|емся)\b|\bтыгылып (?:отыр|тур|жатыр)\w*",
        r"\b(?:following|stalking|chasing) (?:me|us)\b|\bза (?:мной|нами) (?:\w+ )?(?:ид[её]т"
        r"|след\w*"
        r"|гон\w*|бежит)|\bпреследу\w*|\bартым(?:нан|ыздан) (?:\w+ ){0,3}(?:келе жатыр|ерип|андып)"
        r"|\bанды(?:п|ды)\w*",
        r"\b(?:strange|unknown|some) (?:man|men|guy|person|people)\b(?: \w+){0,2} (?:in|inside)"
        r" (?:my|our|the) (?:flat|house|home|kitchen|room|apartment|yard|stairwell|hallway)",
        r"\b(?:strange|unknown) (?:man|men|guy|person|people) in (?:my|our|the) \w+",
        r"\bдерга\w* (?:\w+ )?(?:ручк\w*|двер\w*)|\bручк\w* двер\w* (?:\w+ )?дерга\w*",
        r"\b(?:терезеден|есиктен) (?:\w+ )?(?:\w+ )?кирип жатыр|\bбире[йу]\w* (?:\w+ )?кирип жатыр",
        r"\bпыта\w* (?:\w+ )?(?:залезть|влезть|вломиться|проникнуть|открыть (?:дверь|окно"
        r"|замок))",
        rf"\b{_STRANGER_RU}(?: \w+){{0,3}} {_PLACE_RU}|\b{_PLACE_RU}(?: \w+){{0,3}} {_STRANGER_RU}",
        r"\b(?:есик|есикти|терезе|терезени)\w* (?:\w+ )?(?:тартып|тартк\w*|ашпак\w*|тебип|теуип)",
        r"\bлез(?:ут|ет) (?:\w+ )?(?:во двор|в дом|в окно|в квартиру|через)",
        r"\b(?:биреу\w*|еркек\w*|уйге|аулага|пайтерге|терезеден"
        r"|есиктен) (?:\w+ ){0,3}кируге (?:\w+ )?"
        r"(?:тырыс\w*|арекет\w*)",
        rf"\b{_STRANGER_KK}(?: \w+){{0,3}} {_PLACE_KK}|\b{_PLACE_KK}(?: \w+){{0,3}} {_STRANGER_KK}",
        # violence at home: "he is beating me", "муж бьёт меня", "күйеуім ұрып жатыр"
        r"\b(?:beating|hitting|beats|hits|punching|choking) (?:me|us|my \w+)\b|\bбь[её]т (?:меня"
        r"|нас|маму)"
        r"|\bизбива\w*|\b(?:мени|бизди|анамды) (?:\w+ )?ур(?:ып|ип) (?:жатыр|сог\w*)"
        r"|\bур(?:ып|ип) (?:жатыр|согып)",
        # a threat to kill, or a weapon
        r"\b(?:kill|stab|shoot) (?:me|us|her|him)\b|\b(?:with|has|got) a (?:knife|gun)\b",
        r"\b(?:убь[её]т|убить|убью|зарежу|зарежет|прирежу|застрелю|покалечу)\b|\bножом\b",
        r"\bолтир(?:емин|еди|ем|ип)\w*|\bпышак\w*|\bкоркыт\w*",
    ],
    "bleeding": [
        r"\b(?:течет|идет|хлещет|льется|льет) (?:\w+ )?кровь|\bкровит\b|\bкровоточ\w*"
        r"|\bистека\w* кровью",
        r"\bпокусал\w*|\bукусил\w*|\b(?:dog|dogs) (?:\w+ )?(?:bit|bitten|attacked)",
        r"\bит (?:\w+ )?(?:кауып|талап)\w*",
    ],
    "self_harm": [
        r"\b(?:don t|do not|dont) want to live|\bwant to die\b|\bkill myself|\bend my life"
        r"|\bsuicid\w*",
        r"\bне хочу (?:больше )?жить|\bхочу умереть|\bпокончить с собой|\bсуицид\w*"
        r"|\bубью себя|\bомир сургим келмей\w*|\bолгим келеди|\bозимди олтир\w*",
    ],
    "breathing": [
        r"\bthroat (?:is )?swell\w*|\b(?:отека\w*|опух\w*) (?:\w+ )?горло"
        r"|\bгорло (?:\w+ )?(?:отека\w*"
        r"|опух\w*)|\bтамаг\w* (?:\w+ )?(?:исип|исти)\w*",
        r"\basthma attack|\b(?:приступ астмы|астм\w* (?:\w+ )?приступ\w*)"
        r"|\bдемикпе\w* (?:\w+ )?устап",
        r"\b(?:дем алатын )?ауа (?:\w+ )?жок\b",
    ],
}
"""Kinds of danger told as a situation, and their patterns, added after the emergency layer's."""

SITUATIONS = (*ROAD.items(), *FRAMES.items())
"""Road dangers (`nlu.emergency_road`) and the frames above, in the order they are tried."""
