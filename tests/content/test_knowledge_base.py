"""The real knowledge base (content/facts.yml, content/articles/) loads and passes the lint."""

from __future__ import annotations

import pytest

from content.articles import KnowledgeBase
from content.lint import SEEDS_DIR, lint
from content.spelling import Speller
from core.profile import LANGUAGES
from tests.content.samples import in_ci


@pytest.fixture(scope="module")
def seeds() -> None:
    if not SEEDS_DIR.is_dir():
        reason = f"the seed documents are not at {SEEDS_DIR}"
        if in_ci():
            pytest.fail(reason)
        pytest.skip(reason)


def test_every_article_renders_in_every_language() -> None:
    knowledge = KnowledgeBase.load()
    assert len(knowledge) > 0
    for article in knowledge:
        assert knowledge.for_intent(article.intent) is article
        for language in LANGUAGES:
            for text in (article.title(language), article.short(language)):
                assert text and "{" not in text, (article.id, language.value)
            assert all("{" not in item for item in article.details(language))


@pytest.mark.usefixtures("seeds")
def test_the_knowledge_base_passes_the_lint() -> None:
    report = lint(speller=Speller.disabled())
    assert report.ok, report.format()


@pytest.mark.usefixtures("seeds")
def test_the_knowledge_base_is_spelt_right(speller: Speller) -> None:
    report = lint(speller=speller)
    assert report.ok, report.format()
    assert report.skipped == ()
