"""Articles load into a knowledge base, render with facts, and a broken file names its problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from content.articles import GENERAL_SAFETY, KnowledgeBase, Source, load_article
from content.facts import AsOf, ContentError, Facts
from core.profile import LANGUAGES, Language
from tests.content.samples import SEED, Workspace, good_article


def load(workspace: Workspace) -> KnowledgeBase:
    return KnowledgeBase.load(workspace.articles)


def test_articles_load_and_render_with_facts(workspace: Workspace) -> None:
    workspace.write_article(good_article())
    knowledge = load(workspace)
    article = knowledge.by_id("sign_help")
    assert knowledge.for_intent("sign_help") is article
    assert knowledge.for_intent("weather") is None
    assert knowledge.intents == {"sign_help"}
    assert article.as_of == AsOf(2024, 3)
    assert article.sources == (Source(SEED, "¶3"), Source(GENERAL_SAFETY, "advice"))
    assert article.seed_sources == (Source(SEED, "¶3"),)
    assert article.general_safety
    assert article.related == ("book_service",)
    assert article.short(Language.EN).startswith(
        "You can get a sign language interpreter for 60 hours a year."
    )
    assert "{interpreter_hours}" in article.text(Language.EN).short
    assert article.details(Language.RU) == ("Спросите в местном отделе.", "Это бесплатно.")
    assert article.title(Language.KK) == "Ым тілі аудармашысы"
    for language in LANGUAGES:
        assert "{" not in article.short(language)


def test_by_id_of_an_unknown_article_says_so(workspace: Workspace) -> None:
    workspace.write_article(good_article())
    with pytest.raises(KeyError) as caught:
        load(workspace).by_id("nothing")
    assert str(caught.value) == "no article with id 'nothing'"


def test_folded_yaml_text_is_one_line(workspace: Workspace) -> None:
    path = workspace.articles / "folded.yml"
    text = (workspace.write_article(good_article(id="folded"))).read_text("utf-8")
    path.write_text(text.replace("title: Sign language", "title: >-\n    Sign\n    language"))
    assert load_article(path).text(Language.EN).title == "Sign language"


def broken(workspace: Workspace, text: str) -> Path:
    path = workspace.articles / "broken.yml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "line", "rule", "message"),
    [
        ("intent: sign_help\n", "", 1, "format", "intent must be a non-empty text"),
        ("as_of: 2024-03\n", "", 1, "as_of", "has no as_of date"),
        ("as_of: 2024-03\n", "as_of: last spring\n", 3, "as_of", "'last spring' is not a date"),
        ("  title: Переводчик\n", "", 20, "languages", "ru title must be a non-empty text"),
        ("  title: Sign language\n", "  title: ''\n", 28, "languages", "en title must be"),
        ("related:\n", "relatd:\n", 11, "format", "unknown field 'relatd'"),
        ("  title: Переводчик\n", "  title: Переводчик\n  summary: x\n", 22, "format", "'summary'"),
        ("  title: Переводчик\n", "  title: Звоните: сейчас\n", 21, "format", "double quotes"),
        ("  - Это бесплатно.\n", "  - Это: бесплатно.\n", 26, "format", "quote it"),
        ("id: sign_help\n", "id: sign_help\nid: again\n", 2, "format", "'id' appears twice"),
        (
            "- file: general-safety\n  ref: advice\n",
            "- general-safety\n",
            4,
            "format",
            "{file: ...",
        ),
        ("ru:\n", "ru:\n\t", 21, "format", "tab"),
    ],
)
def test_a_broken_article_names_file_line_and_problem(
    workspace: Workspace, old: str, new: str, line: int, rule: str, message: str
) -> None:
    text = workspace.write_article(good_article()).read_text("utf-8")
    (workspace.articles / "sign_help.yml").unlink()
    assert old in text
    path = broken(workspace, text.replace(old, new, 1))
    with pytest.raises(ContentError) as caught:
        load(workspace)
    error = caught.value
    assert (error.path, error.line, error.rule) == (path, line, rule)
    assert message in error.message
    assert str(error).startswith(f"broken.yml, line {line}: ")


def test_a_missing_language_is_named(workspace: Workspace) -> None:
    article = good_article()
    del article["kk"]
    workspace.write_article(article)
    with pytest.raises(ContentError, match=r"sign_help\.yml.*needs a kk section") as caught:
        load(workspace)
    assert (caught.value.rule, caught.value.language) == ("languages", Language.KK)


def test_details_must_be_a_list(workspace: Workspace) -> None:
    article = good_article()
    article["en"]["details"] = "Ask your local social office."
    workspace.write_article(article)
    with pytest.raises(ContentError, match="en details must be a list of sentences"):
        load(workspace)


def test_an_unknown_placeholder_stops_the_load(workspace: Workspace) -> None:
    article = good_article()
    article["ru"]["details"] = ["Звоните {emergency}."]
    workspace.write_article(article)
    with pytest.raises(ContentError, match=r"ru: \{emergency\} is not a key in facts.yml"):
        load(workspace)


def test_two_articles_cannot_answer_one_intent(workspace: Workspace) -> None:
    workspace.write_article(good_article())
    workspace.write_article(good_article(id="other"))
    with pytest.raises(ContentError, match="'sign_help' is also the id or intent of"):
        load(workspace)


def test_an_empty_folder_is_an_error(workspace: Workspace) -> None:
    with pytest.raises(ContentError, match="holds no article"):
        load(workspace)


def test_facts_can_be_given(workspace: Workspace) -> None:
    workspace.write_article(good_article())
    facts = Facts.load(workspace.kb / "facts.yml")
    knowledge = KnowledgeBase.load(workspace.articles, facts=facts)
    assert knowledge.facts is facts
    assert len(knowledge) == 1
