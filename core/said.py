"""A message the domain gives a person: English text, with the catalog key that says it in
any language.

The domain checks staff input (a composed alert, an approval, an imported list) and explains
what is wrong. `Said` is a `str` holding the English text, so programs, logs, the CLI and the
API read it as before, and it carries the key and parameters of the console catalog
(core/locales/*/console.po), so the console says it in the reader's language. The English
comes from the same catalog: one text, nothing written twice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache

from core.i18n import Catalogs
from core.profile import Language


class Said(str):
    """`Said("alerts.compose.choose_template")`, `Said("alerts.area_input.radius", most=50)`.

    A parameter may itself be `Said` (a reason inside a sentence); an interface says it in the
    same language."""

    key: str
    params: Mapping[str, object]

    def __new__(cls, key: str, **params: object) -> Said:
        made = super().__new__(cls, catalogs().text(Language.EN, key, **params))
        made.key = key
        made.params = params
        return made

    def __reduce__(self) -> tuple[object, ...]:
        return (_remade, (self.key, dict(self.params)))

    def said_in(self, catalogs: Catalogs, language: Language, wording: str = "") -> str:
        """The message in `language`, its `Said` parameters too.

        `wording` names an interface's own variants: with "console.", the key
        `console.<key>` is said where the catalog has it (the console names its form's boxes
        where the command line names its options)."""
        params = {
            name: value.said_in(catalogs, language, wording) if isinstance(value, Said) else value
            for name, value in self.params.items()
        }
        key = self.key
        if wording and f"{wording}{key}" in catalogs.texts[language]:
            key = f"{wording}{key}"
        return catalogs.text(language, key, **params)


def _remade(key: str, params: dict[str, object]) -> Said:
    return Said(key, **params)


@cache
def catalogs() -> Catalogs:
    """The catalogs `Said` takes its English from, read once per process (the command line
    says its messages in the other languages from them too)."""
    return Catalogs.load()


def joined(parts: Sequence[str]) -> str:
    """Several messages said one after another: `Said` when every part is."""
    result = parts[0]
    for part in parts[1:]:
        if isinstance(result, Said) and isinstance(part, Said):
            result = Said("alerts.notes.two", first=result, second=part)
        else:
            result = f"{result} {part}"
    return result
