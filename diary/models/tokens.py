"""Opaque bearer tokens, stored only as SHA-256 hashes, grouped into revocable families."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from diary.models.base import Base, UUIDKey, utcnow


class TokenFamily(UUIDKey, Base):
    """One login: every access and refresh token issued from it by rotation.

    Revoking the family (logout, or a spent refresh token presented again) revokes them all.
    """

    __tablename__ = "token_families"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]


class IssuedToken(UUIDKey):
    """What access and refresh tokens share: the hash, the login and user, the lifetime."""

    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    family_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("token_families.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)


class AccessToken(IssuedToken, Base):
    __tablename__ = "access_tokens"

    revoked_at: Mapped[datetime | None]


class RefreshToken(IssuedToken, Base):
    __tablename__ = "refresh_tokens"

    # Set when the token is exchanged for a new pair; presenting it again is reuse.
    spent_at: Mapped[datetime | None]
