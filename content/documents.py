"""Official documents outside the seeds that facts and articles cite: content/documents.yml."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from content.facts import CONTENT_DIR, ContentError, Located, read_yaml

DOCUMENTS_FILE = CONTENT_DIR / "documents.yml"


def read_documents(path: Path = DOCUMENTS_FILE) -> Mapping[str, str]:
    """Each document's id and full title; empty when the file is absent (no outside sources)."""
    if not path.is_file():
        return MappingProxyType({})
    data = read_yaml(path)
    if data is None:
        return MappingProxyType({})
    if not isinstance(data, Located):
        raise ContentError(path, "must be a mapping of document ids", 1, rule="sources")
    documents = {}
    for key, value in data.items():
        title = value.get("title") if isinstance(value, Located) else None
        if not isinstance(title, str) or not title.strip():
            raise ContentError(
                path, f"document {key!r} needs a title", data.line_of(key), rule="sources"
            )
        documents[str(key)] = " ".join(title.split())
    return MappingProxyType(documents)
