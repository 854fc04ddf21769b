"""The alert page's map and chart are read and drawn once per few seconds for every viewer
(issue 21: they must not slow a big send, whose fan-out shares the console's event loop)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from alerts.models import Answer
from console.language import Words
from console.picture_store import KEEP_SECONDS, PictureStore
from console.routes.follow import PICTURES, reads
from core.clock import ManualClock
from core.profile import Language
from tests.alerts.broadcast import add_registrants
from tests.console.harness import ConsoleHarness
from tests.console.test_follow import RUSSIAN, answer, send, staff


@contextmanager
def counted(engine: AsyncEngine) -> Iterator[list[str]]:
    """Every SQL statement run on `engine` while inside, as sent to the database."""
    statements: list[str] = []

    def seen(*args: Any) -> None:
        statements.append(str(args[2]))

    event.listen(engine.sync_engine, "before_cursor_execute", seen)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", seen)


def chart_words(html: str) -> str:
    found = re.search(r'<desc id="answers-chart-desc">(.*?)</desc>', html)
    assert found is not None
    return found.group(1)


async def test_viewers_within_the_window_share_one_reading_and_drawing(
    console: ConsoleHarness,
) -> None:
    dispatcher = await staff(console)
    chats = await console.sandbox.add_users(3)
    await add_registrants(console.ctx.sessions, [{"telegram_chat_id": chat} for chat in chats])
    alert_id = await send(console)
    await answer(console, chats[0], Answer.SAFE)
    clock = ManualClock(console.ctx.clock.now())
    store = console.ctx.extras[PICTURES] = PictureStore(reads(console.ctx), clock)
    await console.add_staff("marat", "dispatcher")
    second = await console.client("marat")
    path = f"/alerts/{alert_id}/pictures"
    engine = reads(console.ctx).kw["bind"]

    with counted(engine) as statements:
        first = await (await dispatcher.get(path)).text()
    assert "1 safe, 0 need help, 2 not answered yet" in chart_words(first)
    assert any("alert_recipients" in sql for sql in statements)
    assert (store.figures.made, store.pieces.made) == (1, 1)

    await answer(console, chats[1], Answer.HELP)  # the figures change within the window
    clock.tick(KEEP_SECONDS - 0.1)
    with counted(engine) as statements:
        again = await (await second.get(path)).text()
    assert again == first  # the same drawing, without asking the database
    assert statements == []
    assert (store.figures.made, store.pieces.made) == (1, 1)

    with counted(engine) as statements:
        russian = await (await second.get(path, headers=RUSSIAN)).text()
    assert "нужна помощь 0" in chart_words(russian)  # drawn in Russian from the same reading
    assert statements == []
    assert (store.figures.made, store.pieces.made) == (1, 2)

    clock.tick(0.1)  # the window is over: read and drawn anew
    with counted(engine) as statements:
        later = await (await second.get(path)).text()
    assert "1 safe, 1 need help, 1 not answered yet" in chart_words(later)
    assert any("alert_recipients" in sql for sql in statements)
    assert (store.figures.made, store.pieces.made) == (2, 3)

    missing = await dispatcher.get(f"/alerts/{alert_id + 1}/pictures")
    assert missing.status == 404


async def test_viewers_asking_at_once_wait_for_one_drawing(console: ConsoleHarness) -> None:
    await staff(console)
    chats = await console.sandbox.add_users(2)
    await add_registrants(console.ctx.sessions, [{"telegram_chat_id": chat} for chat in chats])
    alert_id = await send(console)
    store = PictureStore(reads(console.ctx), ManualClock(console.ctx.clock.now()))
    words = Words(console.ctx.catalogs, Language.KK)

    drawn = await asyncio.gather(
        *(store.piece(alert_id, words, show_places=True) for _ in range(5))
    )
    assert drawn[0] is not None and '<svg class="answers-chart"' in drawn[0]
    assert len(set(drawn)) == 1
    assert (store.figures.made, store.pieces.made) == (1, 1)
    assert await store.piece(alert_id + 1, words, show_places=True) is None
