"""Every interface string exists in kk, ru and en, and no handler holds a string of its own."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from core.i18n import Catalogs, MissingTranslation
from core.profile import LANGUAGES, Language

ROOT = Path(__file__).resolve().parents[2]
KEY_CALL = re.compile(r"""\.t\(\s*f?["']([a-z_.{}]+)["']""")


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_language_has_the_same_keys(catalogs: Catalogs) -> None:
    english = catalogs.keys(Language.EN)
    assert len(english) > 50
    for language in LANGUAGES:
        assert catalogs.keys(language) == english, language


def test_placeholders_match_across_languages(catalogs: Catalogs) -> None:
    for key in catalogs.keys(Language.EN):
        expected = _placeholders(catalogs.text(Language.EN, key))
        for language in LANGUAGES:
            assert _placeholders(catalogs.texts[language][key]) == expected, (language, key)


def test_keys_used_in_code_exist(catalogs: Catalogs) -> None:
    known = catalogs.keys(Language.EN)
    used: set[str] = set()
    for path in (ROOT / "bot").rglob("*.py"):
        used.update(KEY_CALL.findall(path.read_text(encoding="utf-8")))
    assert len(used) > 30
    for key in used:
        if "{" in key:  # an f-string family such as kind.{kind}: some key must start with it
            prefix = key.split("{")[0]
            assert any(k.startswith(prefix) for k in known), key
        else:
            assert key in known, key


def test_no_user_facing_string_inline_in_handlers() -> None:
    """Handlers and dialogue features hold keys and payloads, never sentences."""
    folders = [ROOT / "bot" / "handlers", ROOT / "bot" / "dialogue" / "features"]
    for path in (p for folder in folders for p in folder.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if id(node) in docstrings:
                    continue
                assert " " not in node.value.strip(), f"{path.name}: {node.value!r}"


def test_missing_key_is_an_error(catalogs: Catalogs) -> None:
    with pytest.raises(MissingTranslation):
        catalogs.text(Language.KK, "no.such.key")


def test_native_language_names_are_in_each_catalog(catalogs: Catalogs) -> None:
    assert catalogs.text(Language.RU, "language.name.kk") == "казахский"
    assert catalogs.text(Language.KK, "mydata.phone", value="+7") == "Телефон: +7"


SAID_KEY = re.compile(r"""\bSaid\(\s*f?["']([a-z_.{}]+)["']""")


def test_every_domain_message_to_staff_has_its_key(catalogs: Catalogs) -> None:
    """Each `Said("key")` in the domain and the adapters (compose checks, CAP and approval
    refusals, the importer's problems) has a text in every language."""
    known = catalogs.keys(Language.EN)
    used: set[str] = set()
    for folder in ("alerts", "bookings", "console", "core", "cli"):
        for path in (ROOT / folder).rglob("*.py"):
            used.update(SAID_KEY.findall(path.read_text(encoding="utf-8")))
    assert {"alerts.cap.empty", "alerts.refused.no_alert", "registry.file.empty"} <= used
    for key in used:
        if "{" in key:  # a family such as registry.file.{key}: some key must start with it
            prefix = key.split("{")[0]
            assert any(k.startswith(prefix) for k in known), key
        else:
            assert key in known, key
