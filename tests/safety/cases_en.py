"""English rows of the safety contract."""

from __future__ import annotations

from tests.safety.cases import Case, Expect, Kind, table

S, H, U = Expect.SAFE, Expect.HELP, Expect.HELP_OR_UNCLEAR
K = Kind

EN: list[Case] = table(
    "en",
    [
        ("I'm not safe", H, K.NEGATED),
        ("No, I am not safe", H, K.NEGATED),
        ("we are not ok", H, K.NEGATED),
        ("not safe here at all", H, K.NEGATED),
        ("I'm definitely not fine", H, K.NEGATED),
        ("I wouldn't call this safe", U, K.NEGATED),
        ("never felt less safe in my life", U, K.NEGATED),
        ("I don't know if I'm safe", U, K.DOUBT),
        ("I think I'm safe? not sure", U, K.DOUBT),
        ("maybe safe, hard to tell", U, K.DOUBT),
        ("probably ok but I can't be sure", U, K.DOUBT),
        ("safe as long as the roof holds", U, K.CONDITION),
        ("we're fine unless the river rises more", U, K.CONDITION),
        ("if the wall stays up we'll be okay", U, K.CONDITION),
        ("I thought I was safe but the water keeps rising", H, K.PAST),
        ("I was safe, but now the stairs have collapsed", H, K.PAST),
        ("we were ok an hour ago, now there's smoke in the hall", H, K.PAST),
        ("I'm safe but my mother is trapped upstairs", H, K.OTHER_PERSON),
        ("my dad stayed at home and he is not safe", H, K.OTHER_PERSON),
        ("I'm fine, my neighbour is stuck in the lift", H, K.OTHER_PERSON),
        ("my son is alone at home and can't walk", H, K.OTHER_PERSON),
        ("my sister hasn't answered her phone since the shaking", U, K.OTHER_PERSON),
        ("stuck in the elevator", H, K.DISGUISED),
        ("we're trapped in the basement", H, K.DISGUISED),
        ("a bookcase fell on my legs and I can't move", H, K.DISGUISED),
        ("water is coming in under the door", H, K.DISGUISED),
        ("after the shaking the door won't open", H, K.DISGUISED),
        ("I can't breathe properly", H, K.DISGUISED),
        ("it smells like gas in the kitchen", H, K.DISGUISED),
        ("someone is trying to force my door open", H, K.DISGUISED),
        ("I fell and I can't get up", H, K.DISGUISED),
        ("my husband collapsed and isn't moving", H, K.DISGUISED),
        ("the ceiling came down in the bedroom", H, K.DISGUISED),
        ("can't get out, the exit is blocked", H, K.DISGUISED),
        ("I need help", H, K.ASKS_HELP),
        ("please send someone", H, K.ASKS_HELP),
        ("help!", H, K.ASKS_HELP),
        ("I use a wheelchair and can't get down the stairs, please help", H, K.ASKS_HELP),
        (
            "hello i am on the ninth floor the lift is not working i am in a wheelchair "
            "and i cannot get out",
            H,
            K.SPEECH,
        ),
        ("there is water in the flat up to my knees what do i do", H, K.SPEECH),
        ("we are four people in the flat and the door is jammed", H, K.SPEECH),
        ("I'm safe here", S, K.SAFE),
        ("I am safe, thank you", S, K.SAFE),
        ("we're all fine", S, K.SAFE),
        ("all good here, everyone is safe", S, K.SAFE),
        ("I'm okay", S, K.SAFE),
        ("we're safe and sound", S, K.SAFE),
        ("I made it out, I'm safe now", S, K.SAFE),
        ("we got out and we're fine", S, K.SAFE),
        ("we're all alright here", S, K.SAFE),
        ("all calm, nobody hurt", S, K.SAFE),
        ("yep, all fine", S, K.SAFE),
        ("safe? as if, we're stuck in the car on the highway", H, K.DISGUISED),
        ("safe? hardly", H, K.NEGATED),
        ("im fine but i broke my arm", H, K.DISGUISED),
    ],
)
