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
            "How much is my disability benefit?",
            "Kazakhstan's report on the UN convention, paragraphs 435, 436, 438; "
            "Kazakhstan's answers to the UN committee (2024), question 7; "
            "Ministry of Labour (October 2024), paragraph 7;",
        ),
        ("ru", "Какой размер пособия по инвалидности?", "по конвенции ООН, пункты 435, 436, 438;"),
        (
            "kk",
            "Мүгедектік жәрдемақысы қанша?",
            "конвенциясы бойынша баяндамасы, 435, 436, 438-тармақтар;",
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
