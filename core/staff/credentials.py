"""Passwords hashed with Argon2id; tokens random, stored only as SHA-256 hashes."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_PASSWORD_LENGTH = 12

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("a password nobody has, checked so a wrong name takes as long")


class WeakPassword(ValueError):
    """A password the console refuses; the message says why."""


def check_strength(password: str, username: str) -> None:
    """Raise WeakPassword for a password too short or containing the user name."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    if username.lower() in password.lower():
        raise WeakPassword("a password must not contain the user name")


def hash_password(password: str) -> str:
    """The password's Argon2 hash (slow on purpose: call it off the event loop)."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches; a missing account still costs one hash."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with other Argon2 parameters than today's."""
    return _hasher.check_needs_rehash(password_hash)


def new_token() -> str:
    """A new random token (a session or an API key), URL-safe."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """How a token is stored: its SHA-256, in hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def same(a: str, b: str) -> bool:
    """Whether two secrets are equal, compared in constant time."""
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))
