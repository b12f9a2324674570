"""Password hashing with Argon2id (argon2-cffi); costs come from the configuration."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

_hashers: dict[tuple[int, int, int], PasswordHasher] = {}


def _hasher() -> PasswordHasher:
    cfg = current_app.config
    key = (cfg["ARGON2_TIME_COST"], cfg["ARGON2_MEMORY_KIB"], cfg["ARGON2_PARALLELISM"])
    if key not in _hashers:
        _hashers[key] = PasswordHasher(time_cost=key[0], memory_cost=key[1], parallelism=key[2])
    return _hashers[key]


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches. With no hash (unknown account) a dummy hash is checked,
    so that the answer takes as long whether or not the account exists."""
    hasher = _hasher()
    if password_hash is None:
        password_hash = _dummy_hash()
        try:
            hasher.verify(password_hash, password + "\0not-this")
        except (VerificationError, InvalidHashError):
            pass
        return False
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


_dummy: dict[int, str] = {}


def _dummy_hash() -> str:
    hasher = _hasher()
    key = id(hasher)
    if key not in _dummy:
        _dummy[key] = hasher.hash("dummy password for timing")
    return _dummy[key]
