"""Fixtures of the jobs' tests: diary data written straight to the database, one job run
through the registry, and what a user was sent."""
from __future__ import annotations

import uuid
from datetime import date, datetime, time, timezone
from types import SimpleNamespace

import pytest
from sqlalchemy import delete, select, update

from jobs_factories import LONDON

from diary.extensions import db
from diary.models import (CareLink, DiaryDay, Episode, MedicationIntake, Notification, OpenAlert,
                          Treatment, User)


@pytest.fixture
def data(app):
    """Write diary data for tests: ``data.episode(...)``, ``data.diary_day(...)``, ...;
    ``data.notifications(user)`` reads what a user was sent."""

    def commit(*rows):
        with app.app_context():
            db.session.add_all(rows)
            db.session.commit()
            return rows[0].id if rows else None

    def user(u, **values):
        with app.app_context():
            db.session.execute(update(User).where(User.id == u.id).values(**values))
            db.session.commit()

    def episode(patient, start: datetime, end: datetime | None, *, tz: str = LONDON,
                deleted: bool = False, taken: list[datetime] = ()):
        ep = Episode(patient_id=patient.id, started_at=start, ended_at=end, timezone=tz,
                     peak_severity=2, deleted_at=start if deleted else None)
        ep.medications = [MedicationIntake(name="ibuprofen", drug_class="nsaid", taken_at=t,
                                           position=i) for i, t in enumerate(taken)]
        return commit(ep)

    def diary_day(patient, day: date, *, deleted: bool = False):
        return commit(DiaryDay(patient_id=patient.id, date=day, headache_free=True,
                               deleted_at=datetime.now(timezone.utc) if deleted else None))

    def treatment(patient, administered_on: date, *, deleted: bool = False) -> uuid.UUID:
        return commit(Treatment(patient_id=patient.id, administered_on=administered_on,
                                deleted_at=datetime.now(timezone.utc) if deleted else None))

    def delete_treatment(treatment_id):
        with app.app_context():
            db.session.execute(update(Treatment).where(Treatment.id == treatment_id)
                               .values(deleted_at=datetime.now(timezone.utc)))
            db.session.commit()

    def link(patient, clinician):
        commit(CareLink(patient_id=patient.id, clinician_id=clinician.id))

    def unlink(patient, clinician):
        with app.app_context():
            db.session.execute(delete(CareLink).where(CareLink.patient_id == patient.id,
                                                      CareLink.clinician_id == clinician.id))
            db.session.commit()

    def notifications(u=None, kind: str | None = None) -> list[Notification]:
        with app.app_context():
            stmt = select(Notification).order_by(Notification.created_at, Notification.dedup_key)
            if u is not None:
                stmt = stmt.where(Notification.user_id == u.id)
            if kind is not None:
                stmt = stmt.where(Notification.kind == kind)
            rows = list(db.session.scalars(stmt))
            db.session.expunge_all()
            return rows

    def open_alerts(patient) -> dict[str, OpenAlert]:
        with app.app_context():
            rows = list(db.session.scalars(select(OpenAlert).where(OpenAlert.patient_id == patient.id)))
            db.session.expunge_all()
            return {row.code: row for row in rows}

    return SimpleNamespace(commit=commit, user=user, episode=episode, diary_day=diary_day,
                           treatment=treatment, delete_treatment=delete_treatment, link=link,
                           unlink=unlink, notifications=notifications, open_alerts=open_alerts)


@pytest.fixture
def run(app):
    """``run(name, now)``: one run of a job through the registry, as the CLI and scheduler do."""
    from diary.jobs.registry import run_job

    def run_once(name: str, now: datetime) -> int:
        with app.app_context():
            return run_job(name, now)

    return run_once


@pytest.fixture
def patient_in(make_user, data):
    """``patient_in(tz, reminder_time="20:00", **settings)``: a patient in time zone ``tz``."""

    def make(tz: str = LONDON, reminder_time: str = "20:00", **settings):
        patient = make_user("patient", timezone=tz)
        data.user(patient, reminder_time=time.fromisoformat(reminder_time), **settings)
        return patient

    return make
