"""The safety contract, row by row, through the real dialogue: typed, spoken and by SMS.

For each row a new person on the warning list gets a warning through the sandbox (Telegram,
or SMS for a phone on the official list), answers with the row's words, and the test reads
what the dispatcher sees: the answer in the console's recipient list, whether follow-ups
stopped, and the calls for help in the inbox. A row fails with the message and that view.
Typed rows also check that `komek nlu predict` decides as the dialogue did.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence

import pytest

from tests.safety.cases import Case
from tests.safety.cases_en import EN
from tests.safety.cases_kk import KK
from tests.safety.cases_ru import RU
from tests.safety.contract import Seen, broken, dispatcher_view
from tests.safety.known_failures import not_kept
from tests.safety.world import World
from tests.waiting import until

pytestmark = pytest.mark.asyncio(loop_scope="module")

CASES = [*KK, *RU, *EN]
WAYS = ("text", "voice", "sms")
LATE_QUESTION_SECONDS = 10.0
"""How long an "unclear" answer may take to be followed by the question."""


async def answered(world: World, case: Case, how: str) -> Seen:
    """Warn a new person, let them answer with the row's words, and look at the screen."""
    if how == "sms":
        someone = await world.phone_on_the_list(case.language)
    else:
        someone = await world.bot_user(case.language)
    alert_id = await world.warn(someone)
    if how == "text":
        said = await world.type(someone, case.text)
    elif how == "voice":
        said = await world.say(someone, case.text)
    else:
        said = await world.text_back(someone, case.text)
    seen = await dispatcher_view(world, someone, alert_id, how, said)

    async def settled() -> bool:
        """Whether the answer is clear or the question came; else look again."""
        nonlocal seen, said
        if seen.answer != "unclear" or seen.asked:
            return True
        if someone.user is not None:
            await someone.user.sync()
            said = someone.user.bot_messages[-len(said) - 5 :]
        else:
            said = await world.sms_after_reply(someone.phone or "")
        seen = await dispatcher_view(world, someone, alert_id, how, said)
        return False

    with contextlib.suppress(AssertionError):  # no question in time: the row's view says so
        await until(settled, LATE_QUESTION_SECONDS, every=0.1)
    return seen


def answers() -> Sequence[object]:
    """Every row answered each way; rows main does not keep yet are strict expected failures."""
    params = []
    for how in WAYS:
        for case in CASES:
            reason = not_kept(case.id, how)
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            params.append(pytest.param(case, how, id=f"{how}-{case.id}", marks=marks))
    return params


@pytest.mark.parametrize(("case", "how"), answers())
async def test_the_dispatcher_sees_what_the_person_meant(
    world: World, predictions: dict[str, str | None], case: Case, how: str
) -> None:
    seen = await answered(world, case, how)
    problems = broken(case, seen)
    if how == "text" and predictions[case.id] != seen.answer:
        problems.append(f"komek nlu predict decides {predictions[case.id]}, the dialogue differs")
    assert not problems, f"{case}\n{seen}\n" + "; ".join(problems)
