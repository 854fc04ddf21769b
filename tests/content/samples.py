"""A small knowledge base that passes every rule, and a workspace to write it into."""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from content.lint import Report, lint
from content.spelling import Speller

SEED = "001_0123456789abcdef.txt"

GOOD_FACTS: dict[str, Any] = {
    "interpreter_hours": {
        "value": 60,
        "unit": "hours per year",
        "effective": "2024-03",
        "source": f"{SEED} ¶3",
        "note": "Paid by the state.",
    },
    "people": {
        "value": 732.1,
        "unit": "thousand people",
        "effective": "2024-10-11",
        "source": f"{SEED} ¶4",
        "note": "A decimal number, written per language.",
        "display": {"kk": "732,1 мың", "ru": "732,1 тысячи", "en": "732.1 thousand"},
    },
}

GOOD_ARTICLE: dict[str, Any] = {
    "id": "sign_help",
    "intent": "sign_help",
    "as_of": "2024-03",
    "sources": [{"file": SEED, "ref": "¶3"}, {"file": "general-safety", "ref": "advice"}],
    "facts": ["interpreter_hours"],
    "related": ["book_service"],
    "kk": {
        "title": "Ым тілі аудармашысы",
        "short": "Сізге жылына {interpreter_hours} сағат ым тілі аудармашысы беріледі. "
        "Оны мемлекет төлейді.",
        "details": ["Жергілікті бөлімге барыңыз.", "Бұл тегін."],
    },
    "ru": {
        "title": "Переводчик",
        "short": "Вам положен переводчик на {interpreter_hours} часов в год. "
        "За него платит государство.",
        "details": ["Спросите в местном отделе.", "Это бесплатно."],
    },
    "en": {
        "title": "Sign language",
        "short": "You can get a sign language interpreter for {interpreter_hours} hours a year. "
        "The state pays for it.",
        "details": ["Ask your local social office.", "It is free."],
    },
}


def in_ci() -> bool:
    """Whether the tests run in CI, where a missing system dependency is a failure."""
    return os.environ.get("CI") == "true"


@dataclass
class Workspace:
    """A knowledge base folder (facts.yml, articles/) and a seeds folder in tmp_path."""

    kb: Path
    seeds: Path

    @property
    def articles(self) -> Path:
        return self.kb / "articles"

    def write_facts(self, facts: dict[str, Any]) -> None:
        self.write(self.kb / "facts.yml", facts)

    def write_article(self, article: dict[str, Any], name: str | None = None) -> Path:
        path = self.articles / f"{name or article.get('id', 'article')}.yml"
        self.write(path, article)
        return path

    @staticmethod
    def write(path: Path, data: object) -> None:
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")

    def lint(self, speller: Speller | None = None) -> Report:
        return lint(self.kb, self.seeds, speller=speller or Speller.disabled())


def good_article(**changes: Any) -> dict[str, Any]:
    """A copy of the good article with top-level fields replaced."""
    article = copy.deepcopy(GOOD_ARTICLE)
    article.update(changes)
    return article
