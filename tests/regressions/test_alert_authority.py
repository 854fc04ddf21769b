"""Issue 16, findings 1 and 2: only an alert's owner, with the approval the original needed,
can change what its real recipients are told; a CAP sender speaks only in its own name.

Two CAP API senders (a stranger and the hydrometeorological service that owns the real
alert), two dispatchers and an approver; recipients are sandbox Telegram users, one of them
in the test group.
"""

from __future__ import annotations

from sqlalchemy import select, update

from alerts.models import AlertRecipient, Registrant
from tests.console.form_fields import with_values
from tests.console.harness import ConsoleHarness
from tests.console.test_compose import compose, new_form, post_form, text_of
from tests.regressions.authority_world import HYDROMET, STRANGER, World, document, world


async def _next_steps(w: World, alert_id: int) -> list[object]:
    async with w.console.ctx.sessions() as session:
        return list(
            await session.scalars(
                select(AlertRecipient.next_step_at).where(AlertRecipient.alert_id == alert_id)
            )
        )


async def _real_alert(w: World, identifier: str = "flood-1") -> int:
    """Sender B's Actual alert, approved by the approver and sent to both recipients."""
    status, body = await w.post(document(identifier, HYDROMET), w.hydromet)
    assert (status, body["approval"]) == (202, "required"), body
    assert await w.approve(body["id"]) == 303
    assert len(await w.texts(w.public)) == 1 and len(await w.texts(w.tester)) == 1
    return int(body["id"])


async def test_references_to_another_senders_alert_are_refused(console: ConsoleHarness) -> None:
    w = await world(console)
    real = await _real_alert(w)
    steps = await _next_steps(w, real)
    assert steps and all(step is not None for step in steps)  # Extreme: followed up

    for status, msg_type in (
        ("Test", "Cancel"),
        ("Exercise", "Update"),
        ("Actual", "Alert"),
        ("Actual", "Cancel"),
    ):
        forged = document(
            f"forged-{status}-{msg_type}",
            STRANGER,
            status=status,
            msg_type=msg_type,
            references=((HYDROMET, "flood-1"),),
        )
        code, body = await w.post(forged, w.stranger)
        assert code == 403, (status, msg_type, body)
        assert "belongs to API sender hydromet" in body["detail"]
    # the owner itself cannot weaken the status class to skip the approver
    for status, msg_type in (("Test", "Cancel"), ("Exercise", "Update")):
        weaker = document(
            f"weak-{status}",
            HYDROMET,
            status=status,
            msg_type=msg_type,
            references=((HYDROMET, "flood-1"),),
        )
        code, body = await w.post(weaker, w.hydromet)
        assert code == 403, body
        assert "must be Actual too" in body["detail"]

    await console.system.fanout.wait_idle()
    assert await w.alerts() == 1
    assert len(await w.texts(w.public)) == 1 and len(await w.texts(w.tester)) == 1
    assert await _next_steps(w, real) == steps  # the escalation goes on

    # the owner's own Actual cancel is taken, and waits for the approver
    code, body = await w.post(
        document(
            "flood-1-cancel", HYDROMET, msg_type="Cancel", references=((HYDROMET, "flood-1"),)
        ),
        w.hydromet,
    )
    assert (code, body["approval"]) == (202, "required"), body
    assert len(await w.texts(w.public)) == 1


async def test_a_console_follow_up_keeps_the_status_and_the_owner(
    console: ConsoleHarness,
) -> None:
    w = await world(console)
    api_alert = await _real_alert(w)
    original = await compose(w.aigerim, status="Actual", regions="75")
    assert await w.approve(original) == 303
    assert len(await w.texts(w.public)) == 2

    # a cancel of a real alert as an exercise: refused, nothing stored
    fields = with_values(await new_form(w.bolat, f"?cancel={original}"), status="Exercise")
    before = await w.alerts()
    response = await post_form(w.bolat, "/alerts/new", fields)
    assert response.status == 422
    assert f"alert {original} is Actual: an update or cancel of it must be Actual" in text_of(
        await response.text()
    )
    assert await w.alerts() == before

    # the console may not change an API sender's alert, nor name it in a forged form
    refused = await w.bolat.get(f"/alerts/new?cancel={api_alert}")
    assert refused.status == 403
    assert "belongs to API sender hydromet" in text_of(await refused.text())
    forged = with_values(fields, original=str(api_alert), status="Actual")
    response = await post_form(w.bolat, "/alerts/new", forged)
    assert response.status == 422
    assert "belongs to API sender hydromet" in text_of(await response.text())
    assert await w.alerts() == before

    # an Actual cancel of its own alert: one dispatcher alone cannot send it
    cancel = await compose(w.bolat, f"?cancel={original}", circles="")
    alone = await w.bolat.post(f"/alerts/{cancel}/approve")
    assert alone.status == 403
    assert len(await w.texts(w.public)) == 2
    assert await w.approve(cancel) == 303
    assert (await w.texts(w.public))[-1].startswith("Отбой тревоги.")


async def test_an_exercise_follow_up_reaches_only_the_test_group(
    console: ConsoleHarness,
) -> None:
    w = await world(console)
    drill = await compose(w.aigerim, status="Exercise", regions="75")
    assert (await w.aigerim.post(f"/alerts/{drill}/approve")).status == 303
    await console.system.fanout.wait_idle()
    assert len(await w.texts(w.tester)) == 1 and await w.texts(w.public) == []
    # the tester leaves the test group: an update of the drill must not reach them now
    async with console.ctx.sessions.begin() as session:
        await session.execute(
            update(Registrant)
            .where(Registrant.telegram_chat_id == w.tester)
            .values(test_group=False)
        )
    update_id = await compose(w.aigerim, f"?update={drill}")
    assert (await w.aigerim.post(f"/alerts/{update_id}/approve")).status == 303
    await console.system.fanout.wait_idle()
    assert len(await w.texts(w.tester)) == 1 and await w.texts(w.public) == []


async def test_a_sender_posts_only_as_itself_and_identifiers_are_its_own(
    console: ConsoleHarness,
) -> None:
    w = await world(console)
    code, body = await w.post(document("flood-2", HYDROMET), w.stranger)
    assert code == 403
    assert f"may not send as {HYDROMET}" in body["detail"]
    assert await w.alerts() == 0
    code, body = await w.post(document("flood-2", HYDROMET), w.hydromet)
    assert code == 202, body
    # the same identifier from another sender is another alert
    code, body = await w.post(document("flood-2", STRANGER), w.stranger)
    assert code == 202, body
    # a dispatcher posting CAP cannot speak for an API sender either
    headers = {"Content-Type": "application/cap+xml", "X-CSRF-Token": w.aigerim.csrf}
    async with w.aigerim.http.post(
        "/api/cap", data=document("flood-3", HYDROMET), headers=headers
    ) as response:
        assert response.status == 403
        assert "belongs to API sender hydromet" in (await response.json())["detail"]
    assert await w.alerts() == 2


async def test_the_review_page_shows_the_alert_it_changes_beside_it(
    console: ConsoleHarness,
) -> None:
    w = await world(console)
    real = await _real_alert(w)
    code, body = await w.post(
        document(
            "flood-1-update", HYDROMET, msg_type="Update", references=((HYDROMET, "flood-1"),)
        ),
        w.hydromet,
    )
    assert code == 202, body
    page = await w.erlan.get(f"/alerts/{body['id']}/review")
    html = await page.text()
    shown = text_of(html)
    assert "What this alert changes" in shown
    assert f"Alert {real} it refers to" in shown
    assert f"{HYDROMET}, API sender hydromet" in shown
    assert "belongs to someone else" not in shown
    assert 'data-recipients="2"' in html
