"""Teaching the assistant in the console: admins see masked messages, label them, and each
step is in the audit log; nobody else sees them."""

from __future__ import annotations

from sqlalchemy import select

from core import audit
from core.models import Person, ReviewItem
from core.people import People
from core.profile import Language
from nlu import review
from nlu.review import Guess, Reason
from tests.console.harness import ConsoleHarness
from tests.console.test_admin import text_of

PRIVATE = "my name is Aigul Bekova, phone 87011234567, where do I get a social taxi?"


async def kept_message(
    console: ConsoleHarness,
    text: str,
    *,
    telegram_id: int = 7001,
    language: Language = Language.EN,
    intent: str = "greet",
    confidence: float = 0.31,
    reason: Reason = Reason.UNSURE,
) -> int:
    """What the bot keeps for a person who agreed to teach it."""
    clock = console.ctx.clock
    async with console.ctx.sessions.begin() as session:
        person = await session.scalar(select(Person).where(Person.telegram_id == telegram_id))
        if person is None:
            person = await People(clock).create(session, telegram_id, language)
        await review.agree(session, person, text_key="learning.what", now=clock.now())
        guess = Guess(text, language.value, intent, confidence)
        item = await review.keep(session, person, guess, reason, now=clock.now())
        assert item is not None
        return item.id


async def test_an_admin_sees_masked_messages_and_labels_one(console: ConsoleHarness) -> None:
    await console.add_staff("root", "admin")
    first = await kept_message(console, PRIVATE)
    second = await kept_message(
        console, "мне нужен переводчик", language=Language.RU, reason=Reason.CORRECTED
    )
    async with console.ctx.sessions.begin() as session:
        await review.note_choice(session, first, "social_taxi_info")
    admin = await console.client("root")
    shown = await admin.get("/admin/review")
    assert shown.status == 200
    words = text_of(await shown.text())
    assert "Waiting: 2." in words
    assert "my name is [name], phone [phone], where do I get a social taxi?" in words
    assert "Aigul" not in words and "1234567" not in words
    assert "guess greet , 31% sure The person then chose social_taxi_info" in words
    assert "The person then said this was not what they asked." in words
    assert 'lang="ru"' in await shown.text()
    assert "7001" not in words  # staff do not see who wrote it

    saved = await admin.post("/admin/review", {"item_id": str(first), "label": "social_taxi_info"})
    assert saved.status == 303 and saved.headers["Location"] == f"/admin/review?saved={first}"
    after = text_of(await (await admin.get(saved.headers["Location"])).text())
    assert f"Message {first} is saved." in after and "Waiting: 1." in after
    assert f"Message {first} " not in after.replace(f"Message {first} is saved.", "")

    noise = await admin.post("/admin/review", {"item_id": str(second), "label": "not_a_request"})
    assert noise.status == 303
    async with console.ctx.sessions() as session:
        items = {i.id: i for i in (await session.scalars(select(ReviewItem))).all()}
        labelled = await audit.entries(session, action="nlu_review.labelled")
        viewed = await audit.entries(session, action="nlu_review.viewed")
        assert [i.text for i in await review.labelled(session)] == [items[first].text]
    assert (items[first].label, items[first].labelled_by) == ("social_taxi_info", "staff:root")
    assert items[second].label == "not_a_request"
    assert [(e.actor, e.subject, e.details["label"]) for e in labelled] == [
        ("staff:root", f"review:{first}", "social_taxi_info"),
        ("staff:root", f"review:{second}", "not_a_request"),
    ]
    assert labelled[0].details["predicted"] == "greet" and labelled[0].origin == "127.0.0.1"
    assert "Aigul" not in repr([e.details for e in labelled])
    assert viewed and viewed[0].details == {"shown": 2}


async def test_a_bad_choice_is_explained_next_to_the_field(console: ConsoleHarness) -> None:
    await console.add_staff("root", "admin")
    item = await kept_message(console, "hello hello")
    admin = await console.client("root")
    empty = await admin.post("/admin/review", {"item_id": str(item), "label": ""})
    assert empty.status == 400
    page = await empty.text()
    assert f"Message {item} was not saved: choose the right intent first." in text_of(page)
    assert f'id="label-{item}-problem"' in page and 'aria-invalid="true"' in page
    made_up = await admin.post("/admin/review", {"item_id": str(item), "label": "drop_tables"})
    assert made_up.status == 400
    assert "is not an intent the assistant knows" in text_of(await made_up.text())
    gone = await admin.post("/admin/review", {"item_id": "999", "label": "greet"})
    assert gone.status == 404
    assert "Message 999 is no longer kept" in text_of(await gone.text())
    async with console.ctx.sessions() as session:
        stored = await session.get(ReviewItem, item)
        assert stored is not None and stored.label is None
        assert await audit.entries(session, action="nlu_review.labelled") == []


async def test_only_admins_see_or_label_and_the_form_needs_its_token(
    console: ConsoleHarness,
) -> None:
    await console.add_staff("root", "admin")
    await console.add_staff("aigul", "dispatcher,approver,coordinator")
    item = await kept_message(console, "hello hello")
    other = await console.client("aigul")
    assert (await other.get("/admin/review")).status == 403
    refused = await other.post("/admin/review", {"item_id": str(item), "label": "greet"})
    assert refused.status == 403
    admin = await console.client("root")
    forged = await admin.post("/admin/review", {"item_id": str(item), "label": "greet"}, csrf=False)
    assert forged.status == 403
    visitor = await console.client()
    assert (await visitor.get("/admin/review")).headers["Location"].startswith("/login")
    async with console.ctx.sessions() as session:
        stored = await session.get(ReviewItem, item)
        assert stored is not None and stored.label is None
