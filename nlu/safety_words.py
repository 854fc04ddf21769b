"""The words of the safety judgement (`nlu.safety`), on folded text, in en, ru and kk.

What people say to mean they are safe, in danger, unsure, or talking of somebody else; and
what changes a statement's meaning: doubt, a condition, the past, "not really".
"""

from __future__ import annotations

import re

from nlu.negation import BEFORE


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


_YES = r"(?:yes|yep|yeah|yup|ya|aye|oh|well|да|ну|ага|угу|ия|иа|ооо)"
_THANKS = r"(?:thanks|thank you|thx|ty|спасибо|благодарю|рахмет|рахмет сизге|here|тут|у нас|бизде)"
_STATE_ALONE = (
    r"(?:fine|doing fine|doing ok|doing okay|doing well|doing good|good here|ok here|okay here"
    r"|норм|нормас|нормуль|нормально|в норме|жаксымыз|норм бари|бари норм|калыпты"
    r"|(?:totally|completely|perfectly|absolutely) (?:fine|ok|okay|alright))"
)
_VOCATIVE = (
    r"(?:bro|dude|mate|buddy|dear|братан|бро|брат|дружище|дорогая|дорогой|милая|милый|родная"
    r"|родной|доча|доченька|сынок|карагым|айналайын|жаным|бауырым)"
)
"""Words a person calls the one they write to ("братан", "dear"), at the end of a message."""

SAFE_WORDS = _any(
    # a state word as a clause of its own, "yes" before and "thanks" after: "fine", "да норм",
    # "fine, thanks", "норм, сидим дома"
    rf"(?:^|(?<=\| ))(?:{_YES} (?:\| )?)*{_STATE_ALONE}(?: (?:\| )?{_THANKS})*"
    rf"(?: (?:\| )?{_VOCATIVE})?(?= \||$)",
    # the same at the start, where speech has no comma: "нормально дома сидим", "fine at home"
    rf"^(?:{_YES} )*{_STATE_ALONE} (?:(?:мы |я )?(?:дома|сидим дома|дома сидим|у себя)"
    r"|(?:at |staying |stayed )?home|here|уйдемиз|уйдемин|уйде)\b",
    # en
    r"\bsafe(?:ly)?\b",
    r"\b(?:i|im|we|were|everyone|everybody|all of us|family|both of us|the kids|kids|both|us)"
    r" (?:\w+ ){0,2}(?:ok|okay|fine|alright|all right|good|well|unharmed|unhurt|alive|secure)\b",
    r"\ball (?:good|fine|ok|okay|well|clear|normal|calm|quiet)\b",
    r"\b(?:everything|everyone|everybody|all) (?:\w+ )?(?:is |are |s |seems )?(?:good|fine|ok"
    r"|okay|alright|well|calm|quiet|normal|under control)\b",
    r"\b(?:alive and well|safe and sound|fine here|alright here|all fine here)\b",
    r"^(?:yes|yep|yeah|yup|ya|aye) (?:\w+ )?(?:fine|alright|all good|all fine)$",
    r"\b(?:quiet|calm) (?:here|at home|where i am|where we are)\b",
    r"\bout of danger\b",
    r"\b(?:got|are|am|m|re) (?:\w+ )?(?:out|evacuated)\b",
    # ru
    r"\bв (?:не)?безопас\w*",
    r"\b(?:не)?безопас\w*",
    r"\bвс[её] (?:\w+ )?(?:(?:не)?хорошо|(?:не)?нормально|в порядке|ок|окей|норм\w*|отлично"
    r"|спокойно|тихо|(?:не)?благополучно|в норме|путем|пучком|ровно|четко|тип топ|в ажуре"
    r"|замечательно|прекрасно|жаксы|дурыс|аман|тыныш)\b",
    r"\b(?:(?:не)?хорошо|(?:не)?нормально|норм|в порядке|ок|окей|спокойно|тихо|отлично"
    r"|в норме) (?:\w+ )?(?:вс[её]|мы|я|бари|баримиз)(?: у (?:нас|меня)| тут| здесь| дома)?"
    rf"(?: (?:\| )?(?:{_THANKS}|{_VOCATIVE}))*$",
    r"\bживы?\b(?: \|)? (?:и )?здоров\w*",
    r"\b(?:у нас|тут|здесь|дома) (?:\w+ )?(?:тихо|спокойно)\b",
    r"\b(?:норм\w*|нормально|хорошо|в порядке|ок|окей|спокойно|тихо)"
    r" (?:у (?:нас|меня)|тут|здесь)\b",
    r"\b(?:я|мы|нас|у нас|у меня|мен|биз|бизде|менде|оба|обе)\b(?: \w+){0,3}"
    r" (?:(?:не)?хорошо|(?:не)?нормально|в порядке|норм|цел[аы]?|жив[аы]?|(?:не)?благополучн\w*"
    r"|(?:не)?здоров[аы]?|в норме)\b",
    r"\bв (?:полном )?порядке\b",
    r"\bвс[еи] (?:\w+ )?(?:цел[аы]?|живы|здоровы)\b",
    r"\b(?:мы|я) (?:уже )?(?:на улице|снаружи|вышли на улицу)\b",
    r"\bцел[аы]? и невредим\w*",
    r"\bживы? и здоров\w*",
    r"\b(?:выбрал\w*|эвакуир\w*|вывезли)\b",
    # kk (folded: қ→к, і→и, ә→а …)
    r"\bкауипсиз\w*",
    r"\bаман\w*(?! бол)",  # "аман болыңыз" is a farewell
    r"\bбари(?:миз|низ)? (?:\w+ )?(?:жаксы|дурыс|калыпты|тынш|тыныш|аман|сау|ок|окей|океи"
    r"|норм|нормально|хорошо|в порядке|керим|керемет|тамаша|отлично|спокойно|тихо)\w*",
    r"\bжаксы(?:мын|мыз|пын|пыз|быз)\b",
    r"\b(?:мен|биз|менин|бизин|бизде|менде|екеуми?з|баримиз|уйде|уйдемиз|уйдемин)\b(?: \w+){0,2}"
    r" (?:жаксы|аман|сау|калыпты|тынш|тыныш|ок|окей|норм)\w*(?! бол)",
    r"\b(?:тынш|тыныш)(?:пын|пыз|пин|пиз|тык|пыз)\b",
    r"\b(?:уйде|уйдемин|уйдемиз) (?:\w+ )?(?:тыныш|тынш|аман|жаксы)\w*",
    r"\bсау (?:саламат|сламат)\w*",
    r"\b(?:жагда[йи]|денсаулыг)\w* (?:\w+ )?(?:жаксы|калыпты|дурыс|тамаша)\w*",
    r"\bбари (?:де )?жайында\b",
    r"\bсау(?:мын|пын|быз|мыз|пыз)\b",
    r"\bшыгып (?:кеттик|кеттим|улгердик|улгердим|алдык)\b",
    r"\bэвакуац\w*",
)
"""Words by which people say they are safe."""

WEAK_WORDS = _any(
    r"^(?:(?:ok|okay|ок|окей|хорошо|ладно|понятно|понял[аи]?|жарайды|жаксы|тусиникти|тусиндим"
    r"|got it|understood|fine|good|normal|норм|нормально|alright|all right|yes|yeah|да|иа|иа"
    r"|ия|thanks|thank you|спасибо|рахмет|рахмет сизге|ok thanks) ?)+$",
)
"""Acknowledgements that, alone after a warning, do not say whether the person is safe."""

MILD_WORDS = _any(
    r"\b(?:ok|okay|fine|good(?! (?:morning|afternoon|evening|night|day|bye))|alright|all right"
    r"|(?<!working )(?<!works )(?<!work )well)\b",
    r"\b(?:хорошо|нормально|норм|в порядке|ок|окей|благополучно|спокойн\w*(?<!спокойной)"
    r"|здоров[аы]?)\b",
    r"\b(?:жаксы\w*|дурыс\w*|калыпты\w*|тынш\w*|тыныш\w*)\b",
)
"""Everyday "fine": negated in the first person ("I'm not ok", "жақсы емеспін"), it is a call for
help; with doubt ("вроде нормально?? не уверен"), not a clear answer."""

FIRST_PERSON = frozenset(
    {"i", "im", "m", "we", "me", "us", "my", "our", "я", "мы", "мне", "нам", "нас", "меня", "мен",
     "биз", "маган", "бизге", "менде", "бизде"}
)  # fmt: skip
FIRST_PERSON_ENDING = re.compile(
    r"(?:мын|мин|пын|пин|бын|бин|мыз|миз|пыз|пиз|быз|биз)$|^жагда[ий]ым"
)

UNSURE = _any(
    r"\b(?:hard to say|difficult to say|not sure|unsure|no idea|can t tell|i m not certain)\b",
    r"\b(?:трудно сказать|сложно сказать|не уверен\w*|не знаю что сказать|вроде да вроде нет"
    r"|не могу понять)\b",
    r"\b(?:айту киын|сенимди емес\w*|билмеим\w* кауипсиз|тусинбеим\w*)\b",
)
"""Saying one does not know whether one is safe: a reason to send help, not to wait."""

HARM_WORDS = _any(
    r"(?<!out of )\bdanger\w*",
    r"\b(?:hurt|injur\w*|harm\w*|threat\w*)\b",
    r"\b(?:опасн\w*|угрож\w*|угроз\w*|пострада\w*|ранен\w*|травм\w*)",
    r"\bкауип(?!сиз)\w*",
    r"\b(?:зардап\w*|жаракат\w*|жарала\w*)",
)
"""Words for harm: said, they mean danger; negated ("no danger", "қауіп жоқ"), safety."""

BAD_STATE = _any(
    r"\b(?:things|everything|it|its|it s|all|we re|we are|i m|im) (?:is |are )?(?:really |very |so "
    r"|pretty )?(?:bad|terrible|awful|horrible)\b",
    r"\bвс[её] (?:очень |так |совсем )?(?:плохо|ужасно|хреново|кошмар\w*)\b|\bхуже некуда\b",
    r"\bбари (?:\w+ )?(?:жаман|нашар)\b|\bжагда[йи]\w* (?:\w+ )?(?:нашар|киын|жаман|ауыр|мушкил)\b",
)
"""Saying things are bad ("всё плохо", "жағдайымыз нашар"): not safe, unless negated."""
NOT_WELL = _any(
    r"\b(?:we re|we are|we r|i m|im|i am) (?:not (?:so |too |very )?(?:good|great|well))\b",
    r"\b(?:мы|я|у нас|у меня) (?:\w+ )?не очень$",
    r"\b(?:биз|мен)\w* (?:\w+ )?онша (?:\w+ )?емес\w*|\bонша емес(?:пиз|пин|пыз|пын|миз|мин)\b",
    r"\b(?:(?:i m|im|i am|we re|we are|we r) (?:so |really |very )?(?:scared|terrified"
    r"|frightened))\b",
    r"\b(?:мне|нам) (?:очень |так )?страшно\b|^страшно\b",
    r"\bкоркып (?:\w+ )?(?:отыр|тур|жатыр)\w*",
    r"\bбас(?:ым|ымыз) (?:\w+ )?айналып|\bголова (?:\w+ )?кружит\w*|\b(?:i m|im|i feel|feeling)"
    r" (?:\w+ )?dizzy|\bстрашно$",
    r"^(?!.*\b(?:кулаг\w*|коз\w*|слух\w*|зрени\w*|hearing|eyesight|sight|vision)\b)"
    r"(?:\w+ ){0,3}(?<!не )(?<!емес )(?:плохо|жаман|нашар|bad|terrible|awful)$",
)
"""Saying "we are not so good", "мы не очень", "мне страшно", "қорқып отырмыз": not safe."""

_LIMB_EN = r"(?:leg|arm|hand|foot|ankle|wrist|hip|ribs?|back|neck|bones?|knee|shoulder)"
_LIMB_RU = r"(?:ног\w*|рук\w*|ребр\w*|бедр\w*|шею|шея|позвоноч\w*|кост\w*|лодыжк\w*|колен\w*)"
_LIMB_KK = r"(?:аяг\w*|аяк\w*|кол\w*|кабырга\w*|омырт\w*|суйег\w*|тизе\w*|иыг\w*)"
INJURED = _any(
    rf"\b(?:broke|broken|fractured|sprained|twisted|hurt) (?:my |his |her |a )?{_LIMB_EN}\b",
    rf"\b{_LIMB_EN} (?:is |s |was )?(?:broken|fractured)\b",
    rf"\b{_LIMB_EN} (?:\w+ )?(?:hurts?|hurting) (?:\w+ )?(?:bad|badly|so much|a lot)\b",
    r"\b(?:bleeding|bleed|losing blood)\b",
    rf"\b(?:слома\w*|вывих\w*|подверн\w*|повредил\w*) (?:\w+ )?{_LIMB_RU}",
    rf"\b{_LIMB_RU} (?:\w+ )?(?:сломан\w*|слома\w*)",
    r"\b(?:кровь (?:идет|течет|хлещет|не останавл\w*)|кровотечен\w*|истекаю\w*|мне больно)\b",
    rf"\b{_LIMB_KK} (?:\w+ )?(?:сынды\w*|сынып\w*|сындыр\w*|сынган\w*|шыгып кет\w*)",
    r"\b(?:кан (?:кетип|агып|токтамай)\w*)",
    r"\b(?:can t|cant|cannot) feel (?:my|his|her|our) (?:feet|legs|hands|arms|toes|fingers)\b",
    r"\bне чувству\w* (?:\w+ )?(?:ног|рук|пальц)\w*",
    rf"\b{_LIMB_KK} (?:\w+ )?сезбе\w*",
)
"""An injury told as it is ("my leg is broken", "аяғымды сындырып алдым", "кровь идёт"): a
danger that no negation nearby takes away ("I'm fine, but I broke my arm" is not "safe")."""

CANNOT_MOVE = _any(
    r"\b(?:can t|cant|cannot|can not|unable to) (?:\w+ )?(?:move|walk|stand|get up|breathe)\b",
    r"\bне (?:могу|может|можем) (?:\w+ )?(?:двигат\w*|ходить|встать|дышать|пошевел\w*)",
    r"\b(?:козгала|журе|тура|дем ала) алмай\w*",
)
"""Cannot move, walk or get up: many who use this service live so, and say it in ordinary
questions; beside "I'm fine", though, it means the "fine" is not the whole story."""

MISHAP_WORDS = _any(
    r"\b(?:trouble|wrong|happened|problems?|damage\w*)\b",
    r"\b(?:случил\w*|проблем\w*|беспоко\w*|повреждени\w*|разрушени\w*|ущерб\w*)",
    r"\b(?:проблема\w*|болган|болды|мазасыз\w*|зиян\w*|шыгын\w*)\b",
)
"""Everyday words that say "safe" only when negated ("nothing happened", "ничего не случилось")."""
MISHAP_CUES = BEFORE - {"no", "not", "t", "nt"}
"""Only "nothing", "nobody", "ничего", "не" … negate a mishap: "no, that's wrong" is no safety."""

DOUBT = _any(
    r"\b(?:think|thought|maybe|perhaps|probably|guess|hope|hopefully|seems?|seemed|apparently"
    r"|unsure|kind of|kinda|sort of|almost|ish|might|dunno|suppose|believe|for now|so far|for the"
    r" moment|i don t know|i do not know|not sure|not certain)\b",
    r"\b(?:so so|meh|could be better)\b",
    r"\b(?:так себе|такое себе|бывало и лучше|не ахти)\b",
    r"\b(?:наверн\w*|кажется|казалось|вроде|не знаю|надеюсь|надеемся|может|возможно|пока"
    r"|не уверен\w*|думаю|думал\w*|похоже|как будто|почти|вероятно|видимо|более менее"
    r"|полагаю|не факт)\b(?<!\bпока)|\bпока\b(?! ?\|? ?$)",
    r"\b(?:шыгар(?:мын|мыз|сын)?|сиякты\w*|секилди\w*|тарызди\w*|билмеим\w*|билмейм\w*|мумкин"
    r"|азирге|азирше|казирге|казирше|ойла\w*"
    r"|сенимди\w*|сенимсиз\w*|болар|шамасы|уайым(?!дама)\w*|корейик)\b",
)
CONDITION = _any(
    r"\b(?:if|unless|as long as|until|provided|only if)\b",
    r"\b(?:если|пока не|лишь бы|при условии)\b",
    r"\b(?:шыда|туры?|жет|шык|котерил|кир|тус|жау|сок|ашыл|жабыл|жан|сондир|бит|бер|кал|улгер)"
    r"(?:са|се)(?:к|м|н|ныз|низ)?\b",
    r"\b(?:егер|\w*(?:болс|токтас|кетс|келс|кайтс|басс|тартылс|азайс|отс)[ае]\w*)\b",
    r"\b\w+(?:ма|ме|ба|бе|па|пе)(?:са|се)\b",
)
PAST = _any(
    r"\b(?:i|we|he|she|they|it|everything) (?:was|were|had been|used to be|felt) (?:\w+ )?"
    r"(?:safe|fine|ok|okay|alright|good)\b",
    r"\bбыл[аио]? (?:\w+ )?(?:в безопасност\w*|безопасн\w*|хорошо|нормально|в порядке)",
    r"\b(?:безопасно|хорошо|нормально|спокойно) был[оаи]?\b",
    r"\b(?:сначала|раньше|до этого|only at first|at first|earlier)\b",
    r"\b(?:кауипсиз|жаксы|аман|тынш|тыныш)\w* (?:(?!еш)\w+ )?"
    r"(?:едим|едик|еди|болатын|болган(?! жок))\b",
    r"\b(?:бурын|алдында|басында)\b",
)
NOT_QUITE = _any(
    r"\b(?:wouldn t say|would not say|wouldnt say|can t say|cannot say|can not say|cant say"
    r"|wouldn t call|would not call|wouldnt call|not exactly|not really"
    r"|not quite|not at all|not totally|not completely|far from|actually (?:no|not)|except"
    r"|too (?:early|soon) to (?:say|tell|call it)|can t call|cannot call|couldn t call"
    r"|strong word|no actually|no wait|define (?:safe|ok|okay|fine|alright)|wish i could say"
    r"|if only"
    r"|(?:i d|i would|would) (?:love|like) to say)\b",
    r"\b(?:нельзя сказать|не сказал\w* бы|не могу сказать|не совсем|не очень|не особо"
    r"|не то чтобы|далеко не|не вполне|не сказать|бы не сказал\w*|не скаж\w*|только(?! что)"
    r"|хотя нет|на самом деле нет|кроме|за исключением|рано (?:говорить|сказать|радоваться)"
    r"|не назов[её]\w*|не назвать|не могу назвать|громко сказано|мягко говоря"
    r"|хотел\w* бы сказать|хотелось бы сказать"
    r"|как(?:ая|ой|ое|ие) (?:там )?(?:безопасн\w*|спокойств\w*|порядок|норм\w*))\b",
    r"\b(?:айту киын|айта алмаймын|онша|анча|толык емес|деуге болмай\w*|деп айта алма\w*"
    r"|деп айту киын|тек|баскасы|\w+(?:дан|ден|тан|тен|нан|нен) баска|деуге ерте|айтуга ерте"
    r"|айткым келер еди|айтар едим|деп айтсам (?:гои|гой|ба))\b",
    # a rhetorical dismissal of the question: "safe? as if", "в безопасности? какое там"
    r"\b(?:as if|yeah right|you kidding|are you kidding|kidding me|no way|hardly|far from it)\b",
    r"\b(?:какое там|какой там|какая там|какие там|куда там|где уж там|ага щас|ага сейчас"
    r"|если бы|шутите|смеетесь|смеётесь)\b",
    r"\b(?:ка[йи]дагы|калай болсын|калжындап\w*)\b",
)
"""Ways of saying "not really" that negate a whole statement, not one word."""

NEGATIVE_ALONE = frozenset({"no", "not", "nope", "нет", "не", "жок", "емес", "ne", "net", "jok"})
FILLER = frozenset({"really", "quite", "exactly", "совсем", "очень", "особо", "онша", "as", "yet"})

OTHERS = _any(
    r"\b(?:mother|mom|mum|mommy|father|dad|daddy|son|daughter|child|children|kid|kids|baby"
    r"|grandma|grandmother|granny|grandpa|grandfather|wife|husband|brother|sister|neighbou?r\w*"
    r"|friend|family|he|she|they|him|her|them|someone|somebody|parents|aunt|uncle|people"
    r"|grandson|granddaughter|grandchild\w*|grandkids|nephew|niece|cousin|partner)\b",
    r"\b(?:ним|ней|ними|нему|него|нее|неё)\b",
    r"\b(?:мам\w*|мать|матер\w*|пап\w*|отец|отц\w*|сын(?:а|у|ом|ок|ишка|овья)?|доч\w*|реб[её]н\w*"
    r"|дет[иья]\w*"
    r"|бабушк\w*|бабул\w*|дедушк\w*|дед|жена|жену|жены|муж|мужа|брат\w*|сестр\w*|сосед\w*"
    r"|друг\w*|семь\w*|родител\w*|он|она|они|его|е[её]|их|кто то|внук\w*|внучк\w*"
    r"|племянни\w*)\b",
    r"\b(?:аке\w*|анам\w*|анасы\w*|шеше\w*|бала\w*|аже\w*|атам\w*|атасы\w*|куйеу\w*|айел\w*"
    r"|агам\w*|ини\w*|карындас\w*|апа\w*|сингли\w*|немере\w*|корши\w*|досым\w*|отбасы\w*|ол"
    r"|олар\w*|оны|оган|онымен|онын|биреу\w*|ул(?:ым|ымыз|ы|ын|ыма|ымнан)?"
    r"|кыз(?:ым|ымыз|ы|ын|ыма|ымнан)|жиен\w*)\b",
)
OTHERS_AT_RISK = _any(
    r"\b(?:stayed|still (?:at|in|inside|there)|left behind|is (?:still )?(?:inside|at home"
    r"|in there)|(?:is|are) still there|(?:is|are) (?:not|n t)$|isn t$|aren t$|can t reach"
    r"|(?:not|isn t|isnt) picking up|didn t come back|did not come back|hasn t come back"
    r"|cannot reach|not answering|doesn t answer|isn t answering"
    r"|missing|lost|can t find|cannot find|cant find|not with (?:me|us)|didn t make it"
    r"|did not make it"
    r"|trapped|stuck|alone|on (?:his|her|their) own|can t walk|cannot walk|bedridden"
    r"|scream\w*|(?:calling|shouting|crying|asking) for help)\b",
    r"\b(?:остал\w*|не отвечает|не бер[её]т|не могу дозвониться|не дозвон\w*|пропал\w*"
    r"|не выходит на связь|не вернул\w*|внутри$|вс[её] ещ[её]|ещ[её] (?:\w+ )?(?:в|на|дома|там"
    r"|внутри)|не успел\w*"
    r"|нет$|тоже нет|ранен\w*|пострадал\w*|один дома|одна дома|одни дома|лежач\w*"
    r"|не знаю (?:что|где) (?:с )?(?:ним|ней|ними)|не (?:могу|может|можем|могут) (?:\w+ )?"
    r"(?:вынести|вывести|забрать|спустить|выйти|спуститься)"
    r"|не можем найти|не могу найти|не с нами|не со мной|крич\w*|зов[её]т на помощь"
    r"|просит помощи)\b",
    r"\b(?:калды|калып\w*|жауап бермей\w*|хабарласа алмай\w*|телефон\w* алмай\w*"
    r"|таба алмай\w*|кайтпады|оралмады|али (?:де )?(?:\w+ ){0,2}(?:уй\w*|сонда|ишинде)|жок болып"
    r"|шыкпай\w*|шыга алмай\w*"
    r"|шыкпады|(?<!\bол )емес$|жарала\w*|жаракат\w*|жалгыз\w*|журе алмай\w*|тосекте жатыр\w*"
    r"|айкайла\w*|комек сура\w*)\b",
)
ASKS_FOR_HELP = _any(
    # "no, help": a call for help as a clause of its own
    r"(?<=\| )(?:please )?(?:help|sos|помогите|помощь|комек|komek)(?: me| us| please"
    r"| пожалуйста| срочно)?$",
    r"(?<!you )(?<!u )\b(?:need (?:\w+ )?help|help me|help us|send (?:help|someone|somebody"
    r"|rescue\w*)|come (?:quickly|fast|here|now)|please come|get me out|get us out"
    r"|save (?:me|us))\b",
    r"\b(?:нужна (?:\w+ )?помощь|нужна помощь|помогите|помоги|спасите|приезжайте"
    r"|пришлите (?:\w+ ){0,2}(?:помощь|кого|людей|спасател\w*|скор\w*|машину)|вытащите"
    r"|заберите (?:нас|меня))\b",
    r"\b(?:к[оу]мек (?:\w+ )?керек|комек кажет|комектесин\w*|кутказ\w*|кутар\w*|тез келиниз\w*"
    r"|келиниздерши|шыгарып алыныз\w*)\b",
)
TOPICAL = _any(
    r"\b(?:benefit\w*|pension\w*|payment\w*|allowance\w*|document\w*|application\w*|apply"
    r"|taxi|interpreter\w*|assistant\w*|sanatorium\w*|bot|booking\w*|form\w*"
    r"|job\w*|work|website|portal|egov|app|question\w*|information|info|registration|password"
    r"|account|bus|road|sidewalk|ramp\w*|(?<!our )(?<!my )street|group|paperwork|compensation)\b",
    r"\b(?:пособи\w*|пенси\w*|выплат\w*|документ\w*|оформ\w*|заявлен\w*|справк\w*|такси"
    r"|переводчик\w*|сурдо\w*|ассистент\w*|помощник\w*|санатор\w*|бот(?:а|у|ом|е|ы|ов|ка|ке|ты|тан"
    r"|пен)?\b|запис\w*"
    r"|работ\w*|ваканс\w*|вопрос\w*|информац\w*|сайт\w*|портал\w*|егов|приложени\w*|пандус\w*"
    r"|тротуар\w*|(?<!на )(?<!нашей )(?<!моей )улиц\w*|дорог\w*|автобус\w*|транспорт\w*|льгот\w*"
    r"|инвалидност\w*|групп\w*"
    r"|мсэ|с оформлением|с документами|компенсац\w*)\b",
    r"\b(?:жардемакы\w*|зейнетакы\w*|толем\w*|кужат\w*|расимде\w*|отиниш\w*|такси"
    r"|аудармашы\w*|сурдо\w*|комекши\w*|санатор\w*|бот(?:а|у|ом|е|ы|ов|ка|ке|ты|тан|пен)?\b"
    r"|жазыл\w*|жумыс\w*|сурак\w*"
    r"|акпарат\w*|сайт\w*|портал\w*|пандус\w*|автобус\w*|женилдик\w*|мугедектик\w*|отемакы\w*)\b",
)
"""Words of an ordinary question (a service, a benefit, a street): "the taxi is not safe for
wheelchairs" is a complaint, not a call for help. Danger words still win over these."""

REASSURANCE = _any(
    r"\b(?:don t|do not|dont|no need to) (?:\w+ )?(?:worry|panic)(?: about (?:me|us))?",
    r"\bне (?:надо |нужно )?(?:переживай\w*|волнуй\w*|беспокой\w*|паникуй\w*|кипишуй\w*)",
    r"\b(?:уайымдама\w*|алан?дама\w*|кам жеме\w*)",
)
"""Reassurance ("don't worry") is not a negation of what follows ("don't worry, I'm safe")."""
NO_HELP_NEEDED = _any(
    r"\b(?:no help (?:is )?needed|(?:don t|do not|dont) need (?:any )?help|need no help"
    r"|no need (?:for|of) (?:any )?help)\b",
    r"\b(?:помощь (?:мне |нам )?не (?:нужна|требуется)|не нужна (?:мне |нам )?помощь)\b",
    r"\b(?:комек (?:\w+ )?(?:керек емес|кажет емес)|комектин кажети жок|комек керек жок)\b",
)
"""Saying no help is needed: a claim of being safe (and not a call for help)."""

BARE_WORDS = NEGATIVE_ALONE | FILLER | frozenset(
    {"yes", "yeah", "nope", "way", "yet", "maybe", "да", "иа", "ия", "мабуць", "может", "наверное",
     "пока", "ещ", "еще", "ещё", "али", "азир", "азирше", "жогу", "иа иа"}
)  # fmt: skip
