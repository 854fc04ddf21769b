"""Check the knowledge base: content/articles/*.yml and content/facts.yml.

Run from the repository root:

    python content/articles/check_articles.py [--seeds /path/to/seeds]

It needs PyYAML (`import yaml`) and the project's own `content.readability`. It prints every
problem it finds and exits with 1 if there is any, 0 if all is well.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve()
ARTICLES = HERE.parent
CONTENT = ARTICLES.parent
REPO = CONTENT.parent
sys.path.insert(0, str(REPO))

try:
    import yaml
except ImportError:  # pragma: no cover - depends on the environment
    sys.exit(
        "PyYAML is not installed for this Python. Run the check with a Python that has it "
        "(for example Debian's /usr/bin/python3 with the python3-yaml package, adding "
        "PYTHONPATH=. ) or add pyyaml to the project's dependencies."
    )

from content.readability import MAX_KAZAKH_SENTENCE_WORDS, MIN_FLESCH, flesch, measure  # noqa: E402
from core.profile import Language  # noqa: E402

LANGUAGES = {"kk": Language.KK, "ru": Language.RU, "en": Language.EN}
ARTICLE_KEYS = {"id", "intent", "as_of", "sources", "facts", "related", "kk", "ru", "en"}
TEXT_KEYS = {"title", "short", "details"}
FACT_KEYS = {"value", "unit", "effective", "source", "note"}
OPTIONAL_FACT_KEYS = {"display"}
NON_SEED_SOURCES = {"general-safety"}
"""Article sources that are not seed files: general safety advice no seed document backs."""
NON_ARTICLE_TARGETS = {"book_service"}
"""`related` may point at these intents, which are handled by the bot, not by an article."""
ALLOWED_BARE_NUMBERS = {"1", "2", "3", "1414"}
"""Digits allowed outside {placeholders}: disability group labels and the 1414 contact centre."""

MAX_SHORT_SENTENCES = 2
MAX_SHORT_WORDS = 30
MAX_DETAILS = 6
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
SEED_FILE = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")
DIGITS = re.compile(r"\d+")


class Seeds:
    """The seed documents and the paragraph / question numbers each one really has."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.texts = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.txt")}

    def exists(self, name: str) -> bool:
        return name in self.texts

    def ref_problems(self, name: str, ref: str) -> list[str]:
        """Problems with a reference such as "¶303", "Q7 (answer 4)" or "¶11 (line 21)"."""
        text = self.texts[name]
        problems = []
        lines = text.splitlines()
        paragraphs = [i + 1 for i, line in enumerate(lines) if re.search(r"\w", line)]
        for kind, number, line in re.findall(r"(¶|Q)(\d+)(?:\s*\(line (\d+)\))?", ref):
            n = int(number)
            if kind == "Q":
                if not re.search(rf"^\t{n}\.\s*$", text, re.MULTILINE):
                    problems.append(f"{name} has no question {n}")
            elif line:
                # Unnumbered files (002, 004): ¶N is the N-th non-empty line.
                if n > len(paragraphs) or paragraphs[n - 1] != int(line):
                    problems.append(f"{name}: ¶{n} is not line {line}")
            elif not re.search(rf"^(?:\[bookmark:[^\]]*\])?\s*{n}\.\s", text, re.MULTILINE):
                problems.append(f"{name} has no paragraph {n}")
        if not re.search(r"(¶|Q)\d+", ref):
            problems.append(f"{name}: reference {ref!r} names no ¶ or Q number")
        return problems


def check_facts(facts: dict[str, Any], seeds: Seeds) -> list[str]:
    problems = []
    for key, fact in facts.items():
        where = f"facts.yml {key}"
        if not isinstance(fact, dict):
            problems.append(f"{where}: not a mapping")
            continue
        missing = FACT_KEYS - fact.keys()
        extra = fact.keys() - FACT_KEYS - OPTIONAL_FACT_KEYS
        if missing:
            problems.append(f"{where}: missing {sorted(missing)}")
        if extra:
            problems.append(f"{where}: unknown keys {sorted(extra)}")
        if not DATE.match(str(fact.get("effective", ""))):
            problems.append(f"{where}: effective must be YYYY, YYYY-MM or YYYY-MM-DD")
        source = str(fact.get("source", ""))
        files = SEED_FILE.findall(source)
        if not files:
            problems.append(f"{where}: source names no seed file")
        for part in source.split(";"):
            names = SEED_FILE.findall(part)
            for name in names:
                if not seeds.exists(name):
                    problems.append(f"{where}: seed file {name} does not exist")
                else:
                    problems += [f"{where}: {p}" for p in seeds.ref_problems(name, part)]
        display = fact.get("display")
        if display is not None and set(display) != set(LANGUAGES):
            problems.append(f"{where}: display needs exactly kk, ru and en")
    return problems


def check_text(where: str, language: str, block: dict[str, Any], facts_used: set[str]) -> list[str]:
    problems: list[str] = []
    lang = LANGUAGES[language]
    if set(block) != TEXT_KEYS:
        return [f"{where}: needs exactly {sorted(TEXT_KEYS)}, has {sorted(block)}"]
    title, short, details = block["title"], block["short"], block["details"]
    if not isinstance(details, list) or not all(isinstance(d, str) for d in details):
        return [f"{where}: details must be a list of sentences (quote a line that has ': ')"]
    for name, text in [
        ("title", title),
        ("short", short),
        *((f"details[{i}]", d) for i, d in enumerate(details)),
    ]:
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{where}.{name}: empty")
            continue
        if "#" in text:
            problems.append(f"{where}.{name}: contains '#' (a YAML comment leaked into the text?)")
        facts_used.update(PLACEHOLDER.findall(text))
        bare = set(DIGITS.findall(PLACEHOLDER.sub("", text))) - ALLOWED_BARE_NUMBERS
        if bare:
            problems.append(
                f"{where}.{name}: figures {sorted(bare)} must come from facts.yml as {{key}}"
            )
    short_m = measure(short, lang)
    if short_m.sentences > MAX_SHORT_SENTENCES:
        problems.append(
            f"{where}.short: {short_m.sentences} sentences (at most {MAX_SHORT_SENTENCES})"
        )
    words = len(PLACEHOLDER.sub("X", short).split())
    if words > MAX_SHORT_WORDS:
        problems.append(f"{where}.short: {words} words (at most {MAX_SHORT_WORDS})")
    if len(details) > MAX_DETAILS:
        problems.append(f"{where}.details: {len(details)} items (at most {MAX_DETAILS})")
    for i, item in enumerate(details):
        if measure(item, lang).sentences != 1:
            problems.append(f"{where}.details[{i}]: one sentence per item")
    joined = " ".join(details)
    if lang is Language.KK:
        for name, text in [("title", title), ("short", short), ("details", joined)]:
            longest = measure(text, lang).longest_sentence
            if longest > MAX_KAZAKH_SENTENCE_WORDS:
                limit = MAX_KAZAKH_SENTENCE_WORDS
                problems.append(f"{where}.{name}: a sentence of {longest} words (at most {limit})")
    else:
        for name, text in [("short", short), ("details", joined)]:
            score = flesch(text, lang)
            if score < MIN_FLESCH:
                problems.append(
                    f"{where}.{name}: reading ease {score:.1f} (at least {MIN_FLESCH:.0f})"
                )
    return problems


def check_article(
    path: Path, article: dict[str, Any], facts: dict[str, Any], seeds: Seeds, ids: set[str]
) -> list[str]:
    where = path.name
    if not isinstance(article, dict):
        return [f"{where}: not a mapping"]
    problems = []
    missing, extra = ARTICLE_KEYS - article.keys(), article.keys() - ARTICLE_KEYS
    if missing:
        problems.append(f"{where}: missing {sorted(missing)}")
    if extra:
        problems.append(f"{where}: unknown keys {sorted(extra)}")
    if article.get("id") != path.stem:
        problems.append(f"{where}: id must be the file name ({path.stem})")
    as_of = str(article.get("as_of", ""))
    if not DATE.match(as_of):
        problems.append(f"{where}: as_of must be YYYY, YYYY-MM or YYYY-MM-DD")
    sources = article.get("sources") or []
    if not sources:
        problems.append(f"{where}: no sources")
    for source in sources:
        name, ref = str(source.get("file", "")), str(source.get("ref", ""))
        if name in NON_SEED_SOURCES:
            continue
        if not seeds.exists(name):
            problems.append(f"{where}: source file {name!r} is not in {seeds.folder}")
        else:
            problems += [f"{where}: {p}" for p in seeds.ref_problems(name, ref)]
    listed = set(article.get("facts") or [])
    for key in sorted(listed - facts.keys()):
        problems.append(f"{where}: fact {key!r} is not in facts.yml")
    used: set[str] = set()
    for language in LANGUAGES:
        if isinstance(article.get(language), dict):
            problems += check_text(f"{where} {language}", language, article[language], used)
        else:
            problems.append(f"{where}: missing language {language}")
    for key in sorted(used - facts.keys()):
        problems.append(f"{where}: placeholder {{{key}}} is not a key in facts.yml")
    for key in sorted(used - listed):
        problems.append(f"{where}: placeholder {{{key}}} is not listed under facts")
    for key in sorted(listed - used):
        problems.append(f"{where}: fact {key!r} is listed but not used")
    dated = [str(facts[k]["effective"]) for k in used if k in facts]
    if dated and DATE.match(as_of) and as_of != max(dated):
        problems.append(f"{where}: as_of should be {max(dated)}, the newest figure it uses")
    for target in article.get("related") or []:
        if target not in ids and target not in NON_ARTICLE_TARGETS:
            problems.append(f"{where}: related {target!r} is neither an article nor a known intent")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=REPO.parent / "shared" / "seeds")
    args = parser.parse_args()
    seeds = Seeds(args.seeds)
    if not seeds.texts:
        sys.stdout.write(f"No seed documents in {args.seeds}\n")
        return 1
    facts = yaml.safe_load((CONTENT / "facts.yml").read_text(encoding="utf-8")) or {}
    problems = check_facts(facts, seeds)
    paths = sorted(ARTICLES.glob("*.yml"))
    articles = {p: yaml.safe_load(p.read_text(encoding="utf-8")) for p in paths}
    ids = {p.stem for p in paths}
    for path, article in articles.items():
        problems += check_article(path, article, facts, seeds, ids)
    for problem in problems:
        sys.stdout.write(problem + "\n")
    sys.stdout.write(f"{len(paths)} articles, {len(facts)} facts, {len(problems)} problems\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
