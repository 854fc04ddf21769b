"""An error page's words in the staff's language.

The API answers in English (its `detail`); a page says the same in the page's language. A
refusal the console knows has its own words; any other falls back to words for its status.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from console.language import Words
from core.profile import Language
from core.said import Said

ERROR_TITLES = {
    403: "console.error.title.403",
    404: "console.error.title.404",
    405: "console.error.title.405",
    413: "console.error.title.413",
}
KNOWN = {
    "your role does not allow this": "console.error.role",
    "this address has no access rule": "console.error.no_rule",
    "the form is out of date; reload the page": "console.error.csrf",
    "no such language": "console.error.no_language",
    "speech synthesis is not set up": "console.error.no_speech",
    "this alert has no voice note in that language": "console.error.no_voice_note",
}
NO_ALERT = re.compile(r"there is no alert (\d+)")


def error_words(words: Words, status: int, detail: str) -> str:
    """The page's sentence for an HTTP error whose API detail is `detail` (in English, the
    detail itself: the API's and the page's words stay the same). A refusal from the domain
    (`Said`) is said in the page's language."""
    known = detail_words(words, detail)
    if known is not None:
        return known
    return words(f"console.error.status.{status if status in (404, 413) else 'other'}")


def detail_words(words: Words, detail: object) -> str | None:
    """An error's detail in the reader's language when the console knows its words (a `Said`
    refusal, a refusal of its own); None for any other, which stays as it is."""
    if isinstance(detail, Said):
        return words.said_text(detail)
    if not isinstance(detail, str):
        return None
    if words.language is Language.EN:
        return detail
    if detail in KNOWN:
        return words(KNOWN[detail])
    found = NO_ALERT.fullmatch(detail)
    if found:
        return words("console.error.no_alert", id=found.group(1))
    return None


def form_fields_words(words: Words, fields: list[str]) -> Markup:
    """The page's sentence for a request the validator refused (it speaks English only): the
    fields' names are the request's own, shown as code, not as words of the page."""
    named = Markup(", ").join(Markup('<code translate="no">{}</code>').format(f) for f in fields)
    return escape(words("console.error.form_fields", fields="{fields}")).format(fields=named)
