"""Issue 20, finding 3: figures from official documents outside the seeds (the Social Code,
the budget law) carry the law, the article and the page's address; amounts the law gives as a
multiple of the subsistence minimum are computed once, and match the Ministry's figures; the
lint refuses a figure written as digits in an article and a law it does not know."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from content.amounts import multiple_of, written
from content.facts import AsOf, ContentError, ExternalSource, Facts
from core.profile import Language
from tests.content.samples import GOOD_FACTS, Workspace, good_article

SOCIAL_CODE = {"law": "social_code", "article": "177", "address": "https://example.kz/p/1"}
OFFICIAL: dict[str, Any] = {
    "minimum": {
        "value": 50851,
        "unit": "tenge a month",
        "effective": "2026-01-01",
        "source": {"law": "budget", "article": "subsistence minimum", "address": "https://a.kz/"},
    },
    "multiple": {"value": 1.76, "effective": "2023-07-01", "source": SOCIAL_CODE},
    "amount": {"compute": {"multiple": "multiple", "of": "minimum"}, "unit": "tenge a month"},
}
DOCUMENTS = {"social_code": {"title": "Social Code"}, "budget": {"title": "Budget law"}}

# The Ministry of Labour's published 2026 figures for a general illness, group 1, 2 and 3
# (reported at news.mail.ru/society/69999305/), and the multiples of article 177.
MINISTRY_2026 = {2.2: 111872.3, 1.76: 89498, 1.2: 61022}


def test_amounts_are_the_multiple_of_the_minimum_rounded_up_as_the_ministry_publishes() -> None:
    for multiple, published in MINISTRY_2026.items():
        computed = multiple_of(multiple, 50851)
        assert 0 <= computed - published < 1, (multiple, computed, published)
    assert multiple_of(1.76, 50851) == 89498  # 89,497.76 rounded up
    assert multiple_of(1.2, 50851) == 61022  # 61,021.2 rounded up
    assert multiple_of(2, 50851) == 101702  # exact products stay as they are
    with pytest.raises(ValueError, match="negative"):
        multiple_of(-1, 5)


def test_numbers_are_written_as_people_write_them() -> None:
    assert written(111873, Language.RU) == "111\u00a0873"
    assert written(111873, Language.KK) == "111\u00a0873"
    assert written(111873, Language.EN) == "111,873"
    assert written(1.76, Language.RU) == "1,76"
    assert written(1.76, Language.EN) == "1.76"
    assert written(999, Language.EN) == "999"


def test_the_real_facts_give_the_2026_benefits() -> None:
    facts = Facts.load()
    assert facts["benefit_general_group2"].value == 89498
    assert facts["benefit_general_group3"].value == 61022
    assert facts["benefit_childhood_group2"].text(Language.EN) == "93,058"
    assert facts["carer_benefit_child"].effective == AsOf(2026, 1, 1)
    laws = {source.law for source in facts["benefit_general_group1"].external}
    assert laws == {"social_code", "budget_law_2026"}


def test_an_external_source_loads_and_a_computed_fact_takes_both_sources(
    tmp_path: Path,
) -> None:
    space = _official(tmp_path)
    facts = Facts.load(space.kb / "facts.yml")
    amount = facts["amount"]
    assert amount.value == 89498 and amount.effective == AsOf(2026, 1, 1)
    assert amount.text(Language.RU) == "89\u00a0498"
    assert ExternalSource("social_code", "177", "https://example.kz/p/1") in amount.external
    assert len(amount.external) == 2
    assert "177" in facts["multiple"].source


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ({"law": "social_code", "article": "", "address": "https://a.kz/"}, "has no article"),
        ({"law": "", "article": "177", "address": "https://a.kz/"}, "has no law"),
        ({"law": "social_code", "article": "177"}, "has no address"),
        ({"law": "social_code", "article": "177", "address": "a.kz"}, "not an https:// page"),
        ({"law": "x", "article": "1", "address": "https://a.kz/", "page": 3}, "'page'"),
    ],
)
def test_an_external_source_needs_law_article_and_address(
    tmp_path: Path, source: dict[str, str], message: str
) -> None:
    facts = copy.deepcopy(OFFICIAL)
    facts["multiple"]["source"] = source
    space = _official(tmp_path, facts)
    with pytest.raises(ContentError, match=message):
        Facts.load(space.kb / "facts.yml")


@pytest.mark.parametrize(
    ("compute", "message"),
    [
        ({"multiple": "nothing", "of": "minimum"}, "not a fact above"),
        ({"multiple": "multiple"}, "exactly"),
    ],
)
def test_a_broken_computation_is_named(
    tmp_path: Path, compute: dict[str, str], message: str
) -> None:
    facts = copy.deepcopy(OFFICIAL)
    facts["amount"]["compute"] = compute
    space = _official(tmp_path, facts)
    loaded, errors = Facts.read(space.kb / "facts.yml")
    assert "amount" not in loaded and message in errors[0].message


def test_the_lint_knows_the_laws_facts_cite(tmp_path: Path) -> None:
    space = _official(tmp_path)
    space.write_article(good_article())
    assert space.lint().ok, space.lint().format()
    space.write(space.kb / "documents.yml", {"social_code": DOCUMENTS["social_code"]})
    problems = [str(p) for p in space.lint().problems]
    assert problems == [  # the computed amount inherits the minimum's source
        f"facts: fact {key!r}: law 'budget' is not in documents.yml"
        for key in ("minimum", "amount")
    ]


def test_the_lint_refuses_a_figure_written_as_digits(tmp_path: Path) -> None:
    space = _official(tmp_path)
    article = good_article()
    article["ru"]["details"] = ["Это 61 022 тенге при 3 группе.", "Звоните 1414."]
    article["en"]["details"] = ["Call 1414 for group 1 or 2.", "It is free."]
    space.write_article(article)
    problems = [(p.language, p.rule, p.message) for p in space.lint().problems]
    assert problems == [
        (
            Language.RU,
            "figures",
            "'61 022' is written as digits: put it in facts.yml, write {key}",
        )
    ]


def test_an_article_may_cite_a_known_document_by_article(tmp_path: Path) -> None:
    space = _official(tmp_path)
    article = good_article()
    article["sources"].append({"file": "social_code", "ref": "article 177"})
    space.write_article(article)
    assert space.lint().ok
    article["sources"].append({"file": "tax_code", "ref": "article 1"})
    space.write_article(article)
    assert [p.message for p in space.lint().problems] == [
        "document 'tax_code' is not in documents.yml"
    ]


def _official(tmp_path: Path, official: dict[str, Any] | None = None) -> Workspace:
    space = Workspace(tmp_path / "content", tmp_path / "seeds")
    space.articles.mkdir(parents=True)
    space.seeds.mkdir()
    (space.seeds / "001_0123456789abcdef.txt").write_text("3. Sixty.\n4. Persons.\n", "utf-8")
    space.write_facts({**copy.deepcopy(GOOD_FACTS), **copy.deepcopy(official or OFFICIAL)})
    space.write(space.kb / "documents.yml", DOCUMENTS)
    return space
