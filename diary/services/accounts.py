"""Accounts: creating users and checking credentials."""
from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from diary.errors import Conflict, Invalid
from diary.extensions import db
from diary.models import ROLES, User, normalise_email
from diary.services.passwords import hash_password, needs_rehash, verify_password
from diary.services.timezones import is_valid_timezone


def check_password_strength(password: str) -> None:
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        raise Invalid("The password is too short.",
                      errors={"password": [f"Use at least {minimum} characters."]})


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(*, email: str, password: str, display_name: str, timezone: str,
                role: str = "patient") -> User:
    """Create an account; 409 when the email (case-insensitively) is taken."""
    if role not in ROLES:
        raise Invalid("Unknown role.", errors={"role": [f"Must be one of {', '.join(ROLES)}."]})
    if not is_valid_timezone(timezone):
        raise Invalid("Unknown time zone.", errors={"timezone": ["Not an IANA time zone name."]})
    check_password_strength(password)
    if find_user_by_email(email) is not None:
        raise Conflict("An account with this email already exists.")
    user = User(email=normalise_email(email), password_hash=hash_password(password),
                display_name=display_name.strip(), timezone=timezone, role=role)
    db.session.add(user)
    db.session.flush()
    return user


def authenticate_user(email: str, password: str) -> User | None:
    """The active user with these credentials, or None (same cost whether or not the email
    exists)."""
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        verify_password(None, password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user
