"""Personal data encrypted at rest, when the operator sets a key (`KOMEK_DATA_KEY`).

Columns of type `EncryptedText` or `EncryptedFloat` hold personal data. With a key, a value is
written as `enc:v1:` followed by a Fernet token (AES-128-CBC with HMAC-SHA256); without one, as
plain text, as before the feature existed. Reading accepts both, so a database written before a
key was set keeps working after it is set (`komek privacy encrypt-existing` then rewrites the old
rows). A value that merely looks like ciphertext is escaped when written without a key.

Encrypted values cannot be compared in SQL, so a column that is looked up (a phone) has a blind
index beside it: HMAC-SHA256 of the value with a key derived from the data key, or the value
itself without a key. `lookup_values` gives what to look for: both forms while a key is set, so
rows written before the key are found until they are rewritten.

The key is configured once per process by the code that creates the database engine
(`core.database.create_engine`), from the settings; nothing here reads the environment.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Callable
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from pydantic import SecretStr
from sqlalchemy import Text, TypeDecorator, event
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import InstrumentedAttribute

PREFIX = "enc:v1:"
"""Marks a stored value as a Fernet token."""
ESCAPE = "enc:plain:"
"""Marks a plain value that starts like ciphertext (written without a key)."""
_MARK = "enc:"
_INDEX_INFO = b"komek blind index v1"


class DataKeyError(ValueError):
    """A malformed key, no key for encrypted data, or not the key the data was written with."""


def new_key() -> str:
    """A fresh random key for KOMEK_DATA_KEY."""
    return Fernet.generate_key().decode("ascii")


def check_key(key: str) -> None:
    """Raise DataKeyError unless `key` is a Fernet key (32 bytes, URL-safe base64)."""
    try:
        raw = base64.urlsafe_b64decode(key.encode("ascii"))
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raw = b""
    if len(raw) != 32:
        raise DataKeyError(
            "KOMEK_DATA_KEY is not a valid key (32 bytes in URL-safe base64); "
            "make one with `komek privacy new-key`"
        )


class Keyring:
    """Encrypts, decrypts and indexes values with one data key."""

    def __init__(self, key: str) -> None:
        key = key.strip()
        check_key(key)
        self._fernet = Fernet(key.encode("ascii"))
        raw = base64.urlsafe_b64decode(key.encode("ascii"))
        derive = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INDEX_INFO)
        self._index_key = derive.derive(raw)

    def seal(self, text: str) -> str:
        return PREFIX + self._fernet.encrypt(text.encode("utf-8")).decode("ascii")

    def open(self, stored: str) -> str:
        try:
            return self._fernet.decrypt(stored.removeprefix(PREFIX).encode("ascii")).decode()
        except (InvalidToken, UnicodeEncodeError):
            raise DataKeyError(
                "stored personal data cannot be decrypted with KOMEK_DATA_KEY: "
                "it was written with another key"
            ) from None

    def blind_index(self, text: str) -> str:
        return hmac.new(self._index_key, text.encode("utf-8"), hashlib.sha256).hexdigest()


_keyring: Keyring | None = None


def configure(key: SecretStr | None) -> None:
    """Set (or clear) the process's data key; called where the database engine is made."""
    global _keyring
    _keyring = None if key is None else Keyring(key.get_secret_value())


def keyring() -> Keyring | None:
    """The process's keyring, None when personal data is stored in plain text."""
    return _keyring


def enabled() -> bool:
    return _keyring is not None


def is_sealed(stored: object) -> bool:
    """Whether a raw stored value is ciphertext."""
    return isinstance(stored, str) and stored.startswith(PREFIX)


def seal(text: str) -> str:
    """What to store for `text`: ciphertext with a key, else the text (escaped if need be)."""
    if _keyring is not None:
        return _keyring.seal(text)
    return ESCAPE + text if text.startswith(_MARK) else text


def unseal(stored: str) -> str:
    """The value of what was stored by `seal`, whether or not a key was set then."""
    if stored.startswith(PREFIX):
        if _keyring is None:
            raise DataKeyError(
                "the database holds encrypted personal data: set KOMEK_DATA_KEY to read it"
            )
        return _keyring.open(stored)
    return stored.removeprefix(ESCAPE)


def blind_index(text: str | None) -> str | None:
    """The value stored in a blind-index column for `text`."""
    if text is None:
        return None
    return text if _keyring is None else _keyring.blind_index(text)


def lookup_values(text: str) -> list[str]:
    """What a blind-index column may hold for `text`: the HMAC, and the plain value that rows
    written before the key was set still hold."""
    if _keyring is None:
        return [text]
    return [_keyring.blind_index(text), text]


class EncryptedText(TypeDecorator[str]):
    """Text that is encrypted when a data key is set."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else seal(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else unseal(str(value))


class EncryptedFloat(TypeDecorator[float]):
    """A number (a coordinate) stored as text, encrypted when a data key is set."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: float | None, dialect: Dialect) -> str | None:
        return None if value is None else seal(repr(float(value)))

    def process_result_value(self, value: Any, dialect: Dialect) -> float | None:
        if value is None:
            return None
        if isinstance(value, int | float):  # a number SQLite kept as REAL
            return float(value)
        return float(unseal(value))


def blind_index_default(source: str) -> Callable[[Any], str | None]:
    """A column default that indexes the `source` column of the row being inserted.

    It covers INSERTs that do not name the index, bulk ones included; ORM objects keep theirs
    up to date through `keep_blind_index`.
    """

    def default(context: Any) -> str | None:
        value = context.get_current_parameters().get(source)
        return None if value is None else blind_index(value)

    return default


BLIND_INDEXES: dict[tuple[str, str], str] = {}
"""(table, index column) → the column it indexes, for every blind index declared."""


def keep_blind_index(attribute: InstrumentedAttribute[Any], index: str) -> None:
    """Whenever `attribute` is set on an object, set its blind index `index` too."""

    def on_set(target: Any, value: str | None, _old: Any, _initiator: Any) -> None:
        setattr(target, index, blind_index(value))

    event.listen(attribute, "set", on_set)
    table = attribute.class_.__tablename__
    BLIND_INDEXES[(table, index)] = attribute.key
