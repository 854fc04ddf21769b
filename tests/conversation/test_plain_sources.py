"""Issue 20, finding 4: "Source" names each document by its plain name and the paragraphs or
questions cited, in the person's language: no "¶7 (line 13)", "Q7 (answer 1)" or English
section names inside a Kazakh or Russian answer."""

from __future__ import annotations

from functools import partial

import pytest

from bot.dialogue.features.answers import sources_text
from content.articles import KnowledgeBase
from core.i18n import Catalogs
from core.profile import Language
from sandbox.client import SandboxClient
from sandbox.sim_user import button_texts, message_text
from tests.conversation.talk import onboarded, press, say

CODES = ("¶", "Q7", "Q15", "(line", "(answer", "general-safety", ".txt")


@pytest.mark.parametrize(
    ("language", "question", "expected"),
    [
        (
            "en",
            "Tell me about the disability benefit",
            "The Social Code of Kazakhstan (2023), article 177, the benefit to parents; "
            "The law on the state budget for 2026–2028, the subsistence minimum; ",
        ),
        (
            "ru",
            "Расскажите про пособие по инвалидности",
            "Доклад Казахстана по конвенции ООН, пункты 435, 438;",
        ),
        (
            "kk",
            "Мүгедектік жәрдемақысы туралы айтып беріңізші",
            "Қазақстанның Әлеуметтік кодексі (2023), 177-бап, ата-анаға жәрдемақы;",
        ),
    ],
)
async def test_the_source_of_an_answer_is_in_plain_words(
    telegram: SandboxClient, language: str, question: str, expected: str
) -> None:
    user = await onboarded(telegram, language)
    (answer,) = await say(user, question)
    (source,) = await press(user, button_texts(answer)[1])
    text = message_text(source)
    assert expected in text
    assert not [code for code in CODES if code in text], text


@pytest.mark.parametrize("language", list(Language))
def test_every_articles_sources_read_plainly(language: Language) -> None:
    catalogs = Catalogs.load()
    for article in KnowledgeBase.load().articles:
        text = sources_text(partial(catalogs.text, language), article.sources)
        assert not [code for code in CODES if code in text], (article.id, text)
        if language is not Language.EN:
            assert "what to do" not in text and "paragraph" not in text, (article.id, text)
