"""``/auth``: registration, login, token refresh (rotation with reuse detection), logout."""
from __future__ import annotations

from flask import g
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from diary.api import API_PREFIX
from diary.api.base import Blueprint
from diary.api.schemas.accounts import (CredentialsSchema, LogoutSchema, MeSchema, RefreshSchema,
                                        RegistrationSchema, TokenPairSchema)
from diary.api.security import auth_required
from diary.errors import Conflict, Unauthorized
from diary.extensions import db
from diary.models import RefreshToken, normalise_email
from diary.ratelimits import login_limits, registration_limits
from diary.services.accounts import authenticate_user, create_user, find_user_by_email
from diary.services.audit import record_audit, record_audit_of_refusal
from diary.services.tokens import hash_token, issue_tokens, revoke_family, rotate_refresh_token

blp = Blueprint("auth", __name__, description="Accounts and tokens")

# Token answers must never be cached (RFC 6749, section 5.1).
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
# The same answer whether the email is unknown or the password wrong.
BAD_CREDENTIALS = "The email or password is not correct."


@blp.route("/auth/register", methods=["POST"])
@blp.doc(security=[])
@registration_limits
@blp.arguments(RegistrationSchema)
@blp.response(201, MeSchema, headers={"Location": {"description": "`/api/v1/me`",
                                                   "schema": {"type": "string"}}})
@blp.alt_response(409, response="CONFLICT", description="An account with this email exists.")
@blp.alt_response(429, response="TOO_MANY_REQUESTS")
def register(data):
    """Create a patient account (clinicians are created by an administrator)"""
    user = create_account("patient", data)
    record_audit("auth.registered", user, user, subject=("user", user.id))
    return user, {"Location": f"{API_PREFIX}/me"}


def create_account(role: str, data: dict):
    """``create_user`` in a savepoint: the same email registered concurrently (which the
    service's look-up cannot see yet) is a 409, not a 500."""
    try:
        with db.session.begin_nested():
            return create_user(role=role, **data)
    except IntegrityError:
        raise Conflict("An account with this email already exists.") from None


@blp.route("/auth/token", methods=["POST"])
@blp.doc(security=[])
@login_limits
@blp.arguments(CredentialsSchema)
@blp.response(200, TokenPairSchema)
@blp.alt_response(401, response="UNAUTHORIZED",
                  description="Wrong email or password (one answer for both).")
@blp.alt_response(429, response="TOO_MANY_REQUESTS")
def create_token(credentials):
    """Log in: exchange email and password for an access and a refresh token"""
    user = authenticate_user(credentials["email"], credentials["password"])
    if user is None:
        known = find_user_by_email(credentials["email"])
        record_audit_of_refusal("auth.login_failed", None, _patient_or_none(known),
                                subject=("user", known.id) if known else None,
                                data={"email": normalise_email(credentials["email"])})
        raise Unauthorized(BAD_CREDENTIALS)
    pair = issue_tokens(user)
    record_audit("auth.login", user, _patient_or_none(user), subject=("user", user.id))
    return pair, NO_STORE


def _patient_or_none(user):
    # Audit events name a patient only when they concern a patient's account or data.
    return user if user is not None and user.is_patient else None


@blp.route("/auth/refresh", methods=["POST"])
@blp.doc(security=[])
@blp.arguments(RefreshSchema)
@blp.response(200, TokenPairSchema)
@blp.alt_response(401, response="UNAUTHORIZED",
                  description="Unknown, expired or revoked; a spent token also ends its login.")
def refresh_token(data):
    """Spend a refresh token for a new pair; a spent one presented again ends the login"""
    try:
        _user, pair = rotate_refresh_token(data["refresh_token"])
    except Unauthorized:
        _audit_if_reused(data["refresh_token"])
        raise
    return pair, NO_STORE


def _audit_if_reused(raw: str) -> None:
    # rotate_refresh_token has already revoked (and committed) the family when the token
    # was spent before: a copy of it is in someone else's hands.
    token = db.session.scalar(select(RefreshToken).where(RefreshToken.token_hash == hash_token(raw)))
    if token is not None and token.spent_at is not None:
        record_audit_of_refusal("auth.refresh_reused", token.user_id,
                                subject=("token_family", token.family_id))


@blp.route("/auth/logout", methods=["POST"])
@auth_required()
@blp.arguments(LogoutSchema)
@blp.response(204)
@blp.alt_response(401, response="UNAUTHORIZED")
def logout(_data):
    """Log out: revoke this access token and every token of its login"""
    token = g.current_access_token
    revoke_family(token.family_id)
    record_audit("auth.logout", g.current_user, subject=("token_family", token.family_id))
