"""Spelling: Hunspell dictionaries for kk, ru and en with a reviewed allow-list."""

from __future__ import annotations

from pathlib import Path

import pytest

from content.facts import CONTENT_DIR
from content.spelling import AllowList, Speller
from core.profile import Language
from tests.content.samples import Workspace, good_article

EN, RU, KK = Language.EN, Language.RU, Language.KK


class WordSet:
    """A dictionary of exactly these words, for the tokenising rules alone."""

    def __init__(self, *words: str) -> None:
        self.words = set(words)

    def lookup(self, word: str) -> bool:
        return word in self.words


def test_allow_list_entries() -> None:
    allowed = AllowList.parse(
        ["# names", "eGov  # the portal", "акимат*", "-ке", "", "  Kömek ", "don’t"]
    )
    assert allowed.allows("eGov")
    assert allowed.allows("EGOV")
    assert allowed.allows("Kömek")
    assert allowed.allows("акиматы")
    assert allowed.allows("Акимат")
    assert allowed.allows("don't")
    assert not allowed.allows("names")
    assert not allowed.allows("аким")
    assert allowed.allows_suffix("ке")
    assert not allowed.allows("ке")


def test_tokens_numbers_hyphens_and_latin_terms() -> None:
    speller = Speller(
        dictionaries={KK: [WordSet("нөмір", "хабарласыңыз")], EN: [WordSet("SMS", "can't")]},
        allowed={KK: AllowList.parse(["МӘС", "-ке", "-ге", "-ті"])},
    )
    text = "112-ге, МӘС-ке хабарласыңыз. SMS-ті нөмір 2024 ж. SMS-ке нөмір-ге МӘС-шы can't"
    assert speller.unknown_words(text, KK) == ["ж", "МӘС-шы"]
    assert speller.unknown_words("I can’t, can't.", EN) == ["I"]
    assert speller.unknown_words("anything", RU) == []
    assert not speller.checks(RU)


def test_missing_dictionaries_name_the_debian_package(tmp_path: Path) -> None:
    speller = Speller.load(allowlist_dir=tmp_path, search=[tmp_path])
    assert set(speller.missing) == {KK, RU, EN}
    assert "apt-get install hunspell-kk" in speller.missing[KK]
    assert "hunspell-en-gb hunspell-en-us" in speller.missing[EN]
    assert speller.unknown_words("Teh cat", EN) == []


def test_real_dictionaries_know_plain_words(speller: Speller) -> None:
    assert speller.unknown_words("You can ask for help at any time, and it's free.", EN) == []
    assert speller.unknown_words("Вы можете попросить помощь в любое время.", RU) == []
    assert speller.unknown_words("Сіз кез келген уақытта көмек сұрай аласыз.", KK) == []


def test_real_dictionaries_catch_typos(speller: Speller) -> None:
    assert speller.unknown_words("Call the centre or the cneter.", EN) == ["cneter"]
    assert speller.unknown_words("Позвоните в центр или в цетнр.", RU) == ["цетнр"]
    assert speller.unknown_words("Мемлекет төлейді, мемлект төлейді.", KK) == ["мемлект"]


def test_the_project_allow_list_is_used(speller: Speller) -> None:
    assert speller.unknown_words("Apply on eGov and ask the MSE.", EN) == []
    assert speller.unknown_words("Спросите в акимате или в МСЭ.", RU) == []
    assert speller.unknown_words("МӘС-ке жүгініңіз.", KK) == []


def test_lint_reports_misspelt_words_per_language(workspace: Workspace, speller: Speller) -> None:
    article = good_article()
    article["en"]["details"] = ["Ask your locl social office.", "It is free."]
    article["kk"]["title"] = "Ым тілі аудармашсы"
    workspace.write_article(article)
    report = workspace.lint(speller)
    assert [str(p) for p in report.problems] == [
        "kk spelling: unknown words: аудармашсы",
        "en spelling: unknown words: locl",
    ]
    assert report.skipped == ()


def test_lint_reads_the_allow_lists_beside_the_articles(
    workspace: Workspace, speller: Speller
) -> None:
    article = good_article()
    article["ru"]["details"] = ["Спросите в Комеке.", "Это даром."]
    workspace.write_article(article)
    (workspace.kb / "allowlist").mkdir()
    (workspace.kb / "allowlist" / "ru.txt").write_text("Комек*  # the product's name\n", "utf-8")
    loaded = Speller.load(allowlist_dir=workspace.kb)
    assert workspace.lint(loaded).ok
    assert not workspace.lint(Speller.load(allowlist_dir=workspace.kb / "none")).ok


@pytest.mark.parametrize("language", [KK, RU, EN])
def test_the_good_sample_is_spelt_right(speller: Speller, language: Language) -> None:
    text = good_article()[language.value]
    for piece in (text["title"], text["short"], *text["details"]):
        assert speller.unknown_words(piece.replace("{interpreter_hours}", "60"), language) == []


def test_every_allow_list_word_is_needed(speller: Speller) -> None:
    dictionaries_only = Speller(dictionaries=speller.dictionaries)
    common = AllowList.read(CONTENT_DIR / "allowlist.txt")
    known_everywhere = [
        word
        for word in sorted(common.words)
        if all(not dictionaries_only.unknown_words(word, lang) for lang in (KK, RU, EN))
    ]
    assert known_everywhere == [], "the dictionaries know these: remove them from allowlist.txt"
    for language in (KK, RU, EN):
        allowed = AllowList.read(CONTENT_DIR / "allowlist" / f"{language.value}.txt")
        known = [
            w for w in sorted(allowed.words) if not dictionaries_only.unknown_words(w, language)
        ]
        assert known == [], f"the dictionary knows these: remove them from {language.value}.txt"
