"""``cleanup``: expired tokens, logins left without tokens, and old invitations go."""
from __future__ import annotations

import secrets
from datetime import timedelta

from jobs_factories import utc
from sqlalchemy import func, select

from diary.extensions import db
from diary.models import AccessToken, Invitation, RefreshToken, TokenFamily, User

JOB = "cleanup"
T0 = utc("2026-06-01 12:00")


def login(app, user, now):
    from diary.services.tokens import issue_tokens

    with app.app_context():
        issue_tokens(db.session.get(User, user.id), now=now)
        family = db.session.scalars(select(TokenFamily).order_by(TokenFamily.created_at.desc())).first()
        db.session.commit()
        return family.id


def counts(app) -> tuple[int, int, int, int]:
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(m))
                     for m in (AccessToken, RefreshToken, TokenFamily, Invitation))


def test_expired_tokens_go_then_their_login(app, patient, run):
    login(app, patient, T0)
    assert run(JOB, T0 + timedelta(minutes=59)) == 0
    assert run(JOB, T0 + timedelta(hours=1)) == 1  # the access token (an hour)
    assert counts(app)[:3] == (0, 1, 1)
    assert run(JOB, T0 + timedelta(days=30)) == 2  # the refresh token, then its family
    assert counts(app)[:3] == (0, 0, 0)


def test_a_revoked_login_goes_once_its_tokens_have_expired(app, patient, run):
    from diary.services.tokens import revoke_family

    family_id = login(app, patient, T0)
    with app.app_context():
        revoke_family(family_id, now=T0)
        db.session.commit()
    assert run(JOB, T0 + timedelta(days=1)) == 1  # the access token only
    assert counts(app)[:3] == (0, 1, 1)
    assert run(JOB, T0 + timedelta(days=31)) == 2


def test_live_logins_are_kept(app, patient, run):
    login(app, patient, T0)
    login(app, patient, T0 + timedelta(days=2))
    assert run(JOB, T0 + timedelta(days=2, minutes=30)) == 1
    assert counts(app)[:3] == (1, 2, 2)


def test_invitations_go_30_days_after_use_or_expiry(app, clinician, patient, run):
    now = T0 + timedelta(days=60)

    def invitation(expires_at, used_at=None):
        return Invitation(clinician_id=clinician.id, code_hash=secrets.token_hex(32),
                          created_at=expires_at - timedelta(days=7), expires_at=expires_at,
                          used_at=used_at, used_by_id=patient.id if used_at else None)

    with app.app_context():
        db.session.add_all([
            invitation(now - timedelta(days=31)),                                # expired long ago
            invitation(now - timedelta(days=29)),                                # recently expired
            invitation(now - timedelta(days=25), used_at=now - timedelta(days=31)),  # used long ago
            invitation(now - timedelta(days=25), used_at=now - timedelta(days=29)),
            invitation(now + timedelta(days=3)),                                 # still open
        ])
        db.session.commit()
    assert run(JOB, now) == 2
    assert counts(app)[3] == 3
