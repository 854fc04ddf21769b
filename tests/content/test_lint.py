"""The lint catches each rule on small bad articles, and reports broken files without crashing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from content.lint import Report, main
from content.spelling import Speller
from core.profile import Language
from tests.content.samples import SEED, Workspace, good_article

Found = set[tuple[str, Language | None, str]]


def found(report: Report) -> Found:
    return {(p.article, p.language, p.rule) for p in report.problems}


def lint_article(workspace: Workspace, change: Callable[[dict[str, Any]], None]) -> Report:
    article = good_article()
    change(article)
    workspace.write_article(article, "sign_help")
    return workspace.lint()


def test_a_good_article_passes(workspace: Workspace) -> None:
    workspace.write_article(good_article())
    report = workspace.lint()
    assert report.ok, report.format()
    assert (report.articles, report.facts) == (1, 2)
    assert report.format().endswith("OK\n")


def setter(language: str, field: str, value: object) -> Callable[[dict[str, Any]], None]:
    def change(article: dict[str, Any]) -> None:
        article[language][field] = value

    return change


EN, RU, KK = Language.EN, Language.RU, Language.KK
LONG_EN = "You can get help from the state when you need it at home or at work."


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(lambda a: a.pop("ru"), (RU, "languages"), id="missing-language"),
        pytest.param(lambda a: a["kk"].pop("details"), (KK, "languages"), id="missing-details"),
        pytest.param(setter("en", "short", ""), (EN, "languages"), id="empty-short"),
        pytest.param(lambda a: a.update(sources=[]), (None, "sources"), id="no-source"),
        pytest.param(
            lambda a: a.update(sources=[{"file": "009_missing.txt", "ref": "¶1"}]),
            (None, "sources"),
            id="missing-seed",
        ),
        pytest.param(
            lambda a: a.update(sources=[{"file": "../seeds/" + SEED, "ref": "¶1"}]),
            (None, "sources"),
            id="seed-outside-seeds",
        ),
        pytest.param(
            lambda a: a.update(sources=[{"file": SEED, "ref": ""}]), (None, "sources"), id="no-ref"
        ),
        pytest.param(lambda a: a.pop("as_of"), (None, "as_of"), id="no-as-of"),
        pytest.param(lambda a: a.update(as_of="2023"), (None, "as_of"), id="as-of-too-old"),
        pytest.param(
            setter("ru", "details", ["Это {emergency} часов."]),
            (None, "placeholders"),
            id="unknown",
        ),
        pytest.param(lambda a: a.update(facts=[]), (None, "placeholders"), id="unlisted-fact"),
        pytest.param(
            lambda a: a.update(facts=["interpreter_hours", "people"]),
            (None, "placeholders"),
            id="unused-fact",
        ),
        pytest.param(
            setter("en", "short", "Yes. You can. The state pays."), (EN, "short"), id="3-sentences"
        ),
        pytest.param(setter("en", "short", LONG_EN + " " + LONG_EN), (EN, "short"), id="31-words"),
        pytest.param(
            setter("ru", "details", ["Да.", "Нет.", "Да.", "Нет.", "Да. Нет.", "Да."]),
            (RU, "details"),
            id="7-sentences",
        ),
        pytest.param(
            setter(
                "en",
                "short",
                "Individualised rehabilitation programmes necessitate interdepartmental "
                "documentation.",
            ),
            (EN, "readability"),
            id="english-flesch",
        ),
        pytest.param(
            setter(
                "ru",
                "details",
                ["Индивидуальная программа реабилитации предусматривает взаимодействие."],
            ),
            (RU, "readability"),
            id="russian-oborneva",
        ),
        pytest.param(
            setter("kk", "short", " ".join(["сөз"] * 16) + "."), (KK, "readability"), id="kk-16"
        ),
        pytest.param(lambda a: a.update(id="another"), (None, "id"), id="id-not-file-name"),
        pytest.param(lambda a: a.update(related=["weather"]), (None, "related"), id="related"),
        pytest.param(lambda a: a.update(colour="red"), (None, "format"), id="unknown-field"),
    ],
)
def test_each_rule_is_caught(
    workspace: Workspace,
    change: Callable[[dict[str, Any]], None],
    expected: tuple[Language | None, str],
) -> None:
    report = lint_article(workspace, change)
    assert not report.ok
    assert {(language, rule) for _, language, rule in found(report)} == {expected}
    assert "FAILED" in report.format()


def test_messages_say_what_is_wrong(workspace: Workspace) -> None:
    report = lint_article(workspace, setter("en", "short", LONG_EN + " " + LONG_EN))
    assert [str(p) for p in report.problems] == ["en short: 32 words (at most 30)"]
    text = report.format()
    assert "sign_help\n  en short: 32 words (at most 30)" in text


def test_a_decimal_fact_splits_no_sentence(workspace: Workspace) -> None:
    def change(article: dict[str, Any]) -> None:
        article["facts"] = ["interpreter_hours", "people"]
        article["as_of"] = "2024-10-11"
        article["en"]["short"] = "There are {people} people. Each gets {interpreter_hours} hours."

    report = lint_article(workspace, change)
    assert report.ok, report.format()


def test_a_broken_article_is_reported_not_raised(workspace: Workspace) -> None:
    workspace.write_article(good_article())
    (workspace.articles / "broken.yml").write_text("id: broken\nkk: [unclosed\n", "utf-8")
    report = workspace.lint()
    assert [(p.article, p.rule, p.line) for p in report.problems] == [("broken", "format", 3)]
    assert "broken\n  format: line 3: " in report.format()


def test_facts_need_value_effective_and_a_real_source(workspace: Workspace) -> None:
    workspace.write_article(good_article())
    good = {"value": 1, "effective": "2024", "source": f"{SEED} ¶3"}
    workspace.write_facts(
        {
            "interpreter_hours": good,
            "people": good,
            "no_value": {"effective": "2024", "source": SEED},
            "no_effective": {"value": 1, "source": SEED},
            "no_source": {"value": 1, "effective": "2024"},
            "missing_seed": {"value": 1, "effective": "2024", "source": "009_none.txt ¶1"},
            "no_seed": {"value": 1, "effective": "2024", "source": "a speech"},
        }
    )
    report = workspace.lint()
    assert {(p.article, p.rule) for p in report.problems} == {("facts.yml", "facts")}
    text = report.format()
    for key in ("no_value", "no_effective", "no_source", "missing_seed", "no_seed"):
        assert f"'{key}'" in text
    assert len(report.problems) == 5


def test_a_broken_facts_file_is_reported_not_raised(workspace: Workspace) -> None:
    workspace.write_article(good_article())
    (workspace.kb / "facts.yml").write_text("interpreter_hours: {value: 60\n", "utf-8")
    report = workspace.lint()
    assert ("facts.yml", None, "format") in found(report)
    assert ("sign_help", None, "placeholders") in found(report)


def test_two_articles_cannot_share_an_intent(workspace: Workspace) -> None:
    workspace.write_article(good_article())
    workspace.write_article(good_article(id="copy"))
    report = workspace.lint()
    assert found(report) == {("sign_help", None, "id")}
    assert "'sign_help' is also the id or intent of copy" in report.format()


def test_no_articles_is_a_problem(workspace: Workspace) -> None:
    assert found(workspace.lint()) == {("articles", None, "format")}


def test_spelling_skipped_is_said(workspace: Workspace) -> None:
    workspace.write_article(good_article())
    report = workspace.lint(Speller.disabled())
    assert report.ok
    assert "Not checked:\n  spelling (kk): turned off" in report.format()


def test_main_writes_the_report_and_fails_on_problems(
    workspace: Workspace, capsys: pytest.CaptureFixture[str], speller: Speller
) -> None:
    workspace.write_article(good_article(related=["weather"]))
    assert main([str(workspace.kb), str(workspace.seeds)]) == 1
    assert "related 'weather' is neither an article nor a known intent" in capsys.readouterr().out
