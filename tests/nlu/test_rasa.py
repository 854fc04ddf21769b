"""The optional Rasa backend: used when it answers, the local model when it does not.

Rasa itself does not install on Python 3.11, so a small HTTP server on loopback plays its
`/model/parse` API with answers in Rasa's documented shape.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from core.profile import Language
from nlu.pipeline import EMERGENCY, NLU
from nlu.rasa import RasaClient
from tests.servers.ports import free_port


@pytest.fixture
async def rasa_server() -> AsyncIterator[tuple[str, list[str]]]:
    seen: list[str] = []

    async def parse(request: web.Request) -> web.Response:
        text = (await request.json())["text"]
        seen.append(text)
        if text == "broken":
            return web.Response(status=500)
        return web.json_response(
            {
                "text": text,
                "intent": {"name": "sanatorium_info", "confidence": 0.88},
                "intent_ranking": [
                    {"name": "sanatorium_info", "confidence": 0.88},
                    {"name": "benefits_info", "confidence": 0.07},
                ],
                "entities": [{"entity": "service", "value": "sanatorium", "text": "курорт"}],
            }
        )

    app = web.Application()
    app.router.add_post("/model/parse", parse)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    yield f"http://127.0.0.1:{port}", seen
    await runner.cleanup()


async def test_intents_come_from_rasa_when_it_answers(
    nlu: NLU, rasa_server: tuple[str, list[str]]
) -> None:
    url, seen = rasa_server
    client = RasaClient(url)
    remote = NLU(nlu._models, client)
    try:
        parse = await remote.understand("хочу на курорт", Language.RU)
    finally:
        await client.close()
    assert (parse.intent, parse.confidence, parse.entity("service")) == (
        "sanatorium_info",
        0.88,
        "sanatorium",
    )
    assert seen == ["хочу на курорт"]


async def test_local_model_decides_when_rasa_fails_or_is_down(
    nlu: NLU, rasa_server: tuple[str, list[str]]
) -> None:
    url, _ = rasa_server
    for address in (url, f"http://127.0.0.1:{free_port()}"):
        client = RasaClient(address, timeout=1.0)
        remote = NLU(nlu._models, client)
        try:
            text = "broken" if address == url else "сколько часов сурдопереводчика в год"
            parse = await remote.understand(text, Language.RU)
        finally:
            await client.close()
        assert parse == nlu.parse(text, Language.RU)


async def test_danger_overrides_rasa(nlu: NLU, rasa_server: tuple[str, list[str]]) -> None:
    url, _ = rasa_server
    client = RasaClient(url)
    try:
        parse = await NLU(nlu._models, client).understand("пожар в доме", Language.RU)
    finally:
        await client.close()
    assert parse.intent == EMERGENCY
