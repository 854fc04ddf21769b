"""An optional Rasa server as the intent source, for organisations that already run Rasa.

Rasa's HTTP API `POST /model/parse {"text": ...}` answers with the intent, its ranking and the
entities. When the server does not answer in time or answers with an error, the local model
decides, so the assistant never stops understanding because another service is down.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import aiohttp
import structlog

from nlu.classifier import Ranked
from nlu.entities import Entity

log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class RasaParse:
    """What a Rasa server made of a message: ranked intents and entities."""

    ranking: tuple[Ranked, ...]
    entities: tuple[Entity, ...]


class RasaClient:
    """Talks to one Rasa server; one HTTP session for its lifetime."""

    def __init__(self, url: str, *, timeout: float = 2.0, token: str | None = None) -> None:
        self._url = url.rstrip("/") + "/model/parse"
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._params = {"token": token} if token else {}
        self._session: aiohttp.ClientSession | None = None

    async def parse(self, text: str) -> RasaParse | None:
        """Rasa's reading of the text, or None when the server failed us."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        try:
            async with self._session.post(
                self._url, json={"text": text}, params=self._params
            ) as response:
                if response.status != 200:
                    log.warning("rasa.error", status=response.status)
                    return None
                body = await response.json()
        except (aiohttp.ClientError, TimeoutError, ValueError) as error:
            log.warning("rasa.unreachable", error=type(error).__name__)
            return None
        return _read(body)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()


def _read(body: Any) -> RasaParse | None:
    try:
        ranking = body.get("intent_ranking") or [body["intent"]]
        ranked = tuple(
            Ranked(str(item["name"]), float(item.get("confidence", 0.0))) for item in ranking
        )
        entities = tuple(
            Entity(str(e["entity"]), str(e.get("value", e.get("text", ""))), str(e.get("text", "")))
            for e in body.get("entities", [])
        )
    except (AttributeError, KeyError, TypeError, ValueError):
        log.warning("rasa.unreadable_answer")
        return None
    if not ranked or not ranked[0].intent:
        return None
    return RasaParse(ranked, entities)
