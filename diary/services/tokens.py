"""Bearer tokens: opaque random strings, stored as SHA-256 hashes, rotated and revocable."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from diary.errors import Unauthorized
from diary.extensions import db
from diary.models import AccessToken, RefreshToken, TokenFamily, User, utcnow


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "Bearer"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def issue_tokens(user: User, family: TokenFamily | None = None, now: datetime | None = None) -> TokenPair:
    """A new access and refresh token for ``user``, in ``family`` (a new login when None)."""
    now = now or utcnow()
    cfg = current_app.config
    if family is None:
        family = TokenFamily(user_id=user.id, created_at=now)
        db.session.add(family)
        db.session.flush()
    access, refresh = new_secret(), new_secret()
    access_ttl = cfg["ACCESS_TOKEN_TTL_SECONDS"]
    db.session.add_all([
        AccessToken(token_hash=hash_token(access), family_id=family.id, user_id=user.id,
                    created_at=now, expires_at=now + timedelta(seconds=access_ttl)),
        RefreshToken(token_hash=hash_token(refresh), family_id=family.id, user_id=user.id,
                     created_at=now,
                     expires_at=now + timedelta(seconds=cfg["REFRESH_TOKEN_TTL_SECONDS"])),
    ])
    db.session.flush()
    return TokenPair(access_token=access, refresh_token=refresh, expires_in=access_ttl)


def find_access_token(raw: str, now: datetime | None = None) -> tuple[User, AccessToken] | None:
    """The user and token for a valid (known, unexpired, unrevoked) access token, else None."""
    now = now or utcnow()
    row = db.session.execute(
        select(User, AccessToken)
        .join(AccessToken, AccessToken.user_id == User.id)
        .join(TokenFamily, TokenFamily.id == AccessToken.family_id)
        .where(AccessToken.token_hash == hash_token(raw),
               AccessToken.revoked_at.is_(None),
               AccessToken.expires_at > now,
               TokenFamily.revoked_at.is_(None),
               User.is_active.is_(True))
    ).first()
    return (row[0], row[1]) if row else None


def revoke_family(family_id, now: datetime | None = None) -> None:
    """Revoke a login: its family, and with it every access and refresh token issued in it."""
    now = now or utcnow()
    db.session.execute(
        update(TokenFamily).where(TokenFamily.id == family_id, TokenFamily.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    db.session.execute(
        update(AccessToken).where(AccessToken.family_id == family_id, AccessToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def rotate_refresh_token(raw: str, now: datetime | None = None) -> tuple[User, TokenPair]:
    """Spend a refresh token for a new pair. A spent token presented again revokes its whole
    family (someone else holds a copy) and is refused."""
    now = now or utcnow()
    token = db.session.scalar(
        select(RefreshToken).where(RefreshToken.token_hash == hash_token(raw)).with_for_update()
    )
    refused = Unauthorized("The refresh token is invalid, expired or revoked.")
    if token is None:
        raise refused
    family = db.session.get(TokenFamily, token.family_id)
    user = db.session.get(User, token.user_id)
    if token.spent_at is not None:
        revoke_family(token.family_id, now)
        # The revocation must stand although the request fails: commit it here.
        db.session.commit()
        raise Unauthorized("The refresh token was already used; this login has been revoked.")
    if family.revoked_at is not None or token.expires_at <= now or not user.is_active:
        raise refused
    spent = db.session.execute(
        update(RefreshToken).where(RefreshToken.id == token.id, RefreshToken.spent_at.is_(None))
        .values(spent_at=now)
    )
    if spent.rowcount != 1:  # a concurrent rotation won the race: treat as reuse
        revoke_family(token.family_id, now)
        db.session.commit()
        raise Unauthorized("The refresh token was already used; this login has been revoked.")
    return user, issue_tokens(user, family, now)
