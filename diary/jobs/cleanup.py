"""``cleanup``: delete expired tokens, logins with no token left, and old invitations."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, exists, or_, select

from diary.extensions import db
from diary.jobs import as_utc
from diary.models import AccessToken, Invitation, RefreshToken, TokenFamily

# Invitations are kept this long after use or expiry, so a patient who mistypes an old
# code is told it expired rather than that it never existed.
INVITATION_RETENTION = timedelta(days=30)


def run_cleanup(now: datetime) -> int:
    """Delete expired access and refresh tokens, token families left with no token (a
    family cannot issue tokens again once its refresh tokens are gone), and invitations used
    or expired more than 30 days ago. Returns how many rows were deleted."""
    now = as_utc(now)
    session = db.session()
    deleted = 0
    for token in (AccessToken, RefreshToken):
        deleted += session.execute(
            delete(token).where(token.expires_at <= now)
            .execution_options(synchronize_session=False)
        ).rowcount
    has_token = or_(
        exists(select(AccessToken.id).where(AccessToken.family_id == TokenFamily.id)),
        exists(select(RefreshToken.id).where(RefreshToken.family_id == TokenFamily.id)),
    )
    deleted += session.execute(
        delete(TokenFamily).where(~has_token).execution_options(synchronize_session=False)
    ).rowcount
    old = now - INVITATION_RETENTION
    deleted += session.execute(
        delete(Invitation).where(or_(Invitation.used_at <= old, Invitation.expires_at <= old))
        .execution_options(synchronize_session=False)
    ).rowcount
    return deleted
