"""Rate limits on login and registration, per client address and per account (429).

The limits are settings (``DIARY_LOGIN_LIMIT_PER_CLIENT`` ...) read from the application's
configuration at request time, so a test app can raise or lower them.
"""
from __future__ import annotations

from flask import current_app, request
from flask_limiter.util import get_remote_address

from diary.extensions import limiter
from diary.models import normalise_email

TOO_MANY = "Too many attempts; wait a little and try again."


def _setting(name: str):
    return lambda: current_app.config[name]


def _disabled() -> bool:
    # The Limiter object is shared by every app built in the process and keeps the last
    # app's RATELIMIT_ENABLED: ask the app that serves this request instead.
    return not current_app.config.get("RATELIMIT_ENABLED", True)


def account_key() -> str:
    """The account a login is for: its email as stored (case and spaces do not matter)."""
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # nested too deep to decode: the view answers 400
        body = None
    email = body.get("email") if isinstance(body, dict) else None
    return "account:" + (normalise_email(email) if isinstance(email, str) else "")


def _limit(setting: str, key_func, scope: str):
    return limiter.limit(_setting(setting), key_func=key_func, scope=scope,
                         exempt_when=_disabled, error_message=TOO_MANY)


def login_limits(view):
    """``POST /auth/token``: per client address and per account."""
    view = _limit("DIARY_LOGIN_LIMIT_PER_ACCOUNT", account_key, "login-account")(view)
    return _limit("DIARY_LOGIN_LIMIT_PER_CLIENT", get_remote_address, "login-client")(view)


def registration_limits(view):
    """``POST /auth/register``: per client address."""
    return _limit("DIARY_REGISTER_LIMIT_PER_CLIENT", get_remote_address, "register-client")(view)
