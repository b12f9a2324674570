"""The data model's own guarantees, on SQLite and PostgreSQL alike."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, StatementError

from diary.extensions import db
from diary.models import DiaryDay, Episode, User

PLUS_ONE = timezone(timedelta(hours=1))


def _episode(patient_id, **kwargs) -> Episode:
    values = dict(patient_id=patient_id, started_at=datetime(2026, 3, 1, 1, 30, tzinfo=PLUS_ONE),
                  timezone="Europe/Paris", peak_severity=2)
    values.update(kwargs)
    return Episode(**values)


def test_instants_are_stored_in_utc_and_come_back_aware(app, patient):
    with app.app_context():
        episode = _episode(patient.id)
        db.session.add(episode)
        db.session.commit()
        db.session.expire_all()
        stored = db.session.get(Episode, episode.id)
        assert stored.started_at == datetime(2026, 3, 1, 0, 30, tzinfo=timezone.utc)
        assert stored.started_at.utcoffset() == timedelta(0)


def test_naive_instants_are_refused(app, patient):
    with app.app_context():
        db.session.add(_episode(patient.id, started_at=datetime(2026, 3, 1, 1, 30)))
        with pytest.raises(StatementError, match="naive datetime refused"):
            db.session.flush()
        db.session.rollback()


def test_database_refuses_an_episode_ending_before_it_starts(app, patient):
    with app.app_context():
        start = datetime(2026, 3, 1, 10, tzinfo=timezone.utc)
        db.session.add(_episode(patient.id, started_at=start, ended_at=start - timedelta(minutes=1)))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_database_refuses_a_severity_outside_one_to_three(app, patient):
    with app.app_context():
        db.session.add(_episode(patient.id, peak_severity=4))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_one_diary_day_per_patient_and_date(app, patient):
    from datetime import date

    with app.app_context():
        db.session.add(DiaryDay(patient_id=patient.id, date=date(2026, 3, 1), headache_free=True))
        db.session.flush()
        db.session.add(DiaryDay(patient_id=patient.id, date=date(2026, 3, 1), headache_free=False))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_deleting_an_account_deletes_its_diary(app, patient):
    with app.app_context():
        db.session.add(_episode(patient.id))
        db.session.commit()
        db.session.delete(db.session.get(User, patient.id))
        db.session.commit()
        assert db.session.scalar(select(Episode)) is None


def test_emails_are_unique_case_insensitively(app, make_user):
    from diary.errors import Conflict

    make_user(email="Anna@Example.org")
    with pytest.raises(Conflict):
        make_user(email="anna@example.ORG")


def test_a_date_may_hold_tombstones_beside_its_one_live_diary_day(app, patient):
    from datetime import date

    from diary.models import utcnow

    with app.app_context():
        for _ in range(2):
            db.session.add(DiaryDay(patient_id=patient.id, date=date(2026, 3, 1), headache_free=True,
                                    deleted_at=utcnow()))
        db.session.add(DiaryDay(patient_id=patient.id, date=date(2026, 3, 1), headache_free=False))
        db.session.commit()
        assert len(db.session.scalars(select(DiaryDay)).all()) == 3
