"""The one module of the reports that reads the database: it turns rows into input records.

Each loader runs a constant number of queries (episodes, medications, diary days,
treatments), however many days, episodes or patients it reads, and selects plain columns
rather than ORM objects: the rows go straight into frozen records.
"""
from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import replace
from functools import lru_cache
from datetime import date, datetime, timedelta
from typing import Iterable, Sequence
from zoneinfo import ZoneInfo

from sqlalchemy import String, cast, select
from sqlalchemy.orm import Session

from diary.models import DiaryDay, Episode, MedicationIntake, Treatment, User
from diary.models.episodes import FEATURES
from diary.reports.records import (
    DiaryDayRecord,
    EpisodeRecord,
    MedicationRecord,
    PatientRecord,
    ReportInput,
    TreatmentRecord,
)

_FEATURE_COLUMNS = [getattr(Episode, name) for name in FEATURES]
# The longest episode the API accepts; an older start cannot reach a recent day.
MAX_EPISODE_DAYS = 14


def _key(column):
    """A UUID column read as text: a cheap grouping key (no uuid.UUID built per row)."""
    return cast(column, String)


def local_today(timezone: str, now: datetime) -> date:
    return now.astimezone(ZoneInfo(timezone)).date()


def patient_record(patient: User) -> PatientRecord:
    return PatientRecord(id=str(patient.id), display_name=patient.display_name,
                         timezone=patient.timezone)


def _patient_keys(patient_ids: Sequence[uuid.UUID]) -> dict[str, uuid.UUID]:
    """Text forms of the ids as the databases render them (hex on SQLite, hyphenated on
    PostgreSQL), back to the ids."""
    keys = {p.hex: p for p in patient_ids}
    keys.update({str(p): p for p in patient_ids})
    return keys


@lru_cache(maxsize=1024)
def _features(flags: tuple) -> frozenset[str]:
    return frozenset(name for name, flag in zip(FEATURES, flags) if flag)


def _episodes(session: Session, patient_ids: Sequence[uuid.UUID],
              since: datetime | None = None) -> dict[uuid.UUID, list[EpisodeRecord]]:
    """Episodes with their medicines in one query (one row per medicine, or one per episode
    without any), grouped as the rows arrive; only those starting at ``since`` or later."""
    keys = _patient_keys(patient_ids)
    recent = [] if since is None else [Episode.started_at >= since]
    rows = session.connection().execute(
        select(_key(Episode.patient_id), _key(Episode.id), Episode.started_at, Episode.ended_at,
               Episode.timezone, Episode.peak_severity, *_FEATURE_COLUMNS,
               MedicationIntake.taken_at, MedicationIntake.drug_class, MedicationIntake.name,
               MedicationIntake.dose_mg)
        .outerjoin(MedicationIntake, MedicationIntake.episode_id == Episode.id)
        .where(Episode.patient_id.in_(patient_ids), Episode.deleted_at.is_(None), *recent)
        .order_by(Episode.patient_id, Episode.started_at, Episode.id, MedicationIntake.position)
    ).all()
    episodes: dict[uuid.UUID, list[EpisodeRecord]] = defaultdict(list)
    n = len(FEATURES)
    current = None  # (patient key, episode row, medicines) of the episode being read
    for row in rows:
        if current is None or current[1][1] != row[1]:
            if current is not None:
                _emit(episodes, keys, current, n)
            current = (row[0], row, [])
        if row[6 + n] is not None:
            current[2].append(MedicationRecord(*row[6 + n:10 + n]))
    if current is not None:
        _emit(episodes, keys, current, n)
    return episodes


def _emit(episodes, keys, current, n) -> None:
    patient_key, row, medicines = current
    # Positional: (id, started_at, ended_at, timezone, peak_severity) are the first columns.
    episodes[keys[patient_key]].append(
        EpisodeRecord(*row[1:6], _features(row[6:6 + n]), tuple(medicines)))


def _diary_days(session: Session, patient_ids: Sequence[uuid.UUID],
                since: date | None = None) -> dict[uuid.UUID, list[DiaryDayRecord]]:
    days: dict[uuid.UUID, list[DiaryDayRecord]] = defaultdict(list)
    recent = [] if since is None else [DiaryDay.date >= since]
    rows = session.connection().execute(
        select(DiaryDay.patient_id, DiaryDay.date, DiaryDay.headache_free)
        .where(DiaryDay.patient_id.in_(patient_ids), DiaryDay.deleted_at.is_(None), *recent)
    )
    for patient_id, day, headache_free in rows:
        days[patient_id].append(DiaryDayRecord(date=day, headache_free=headache_free))
    return days


def _treatments(session: Session, patient_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[TreatmentRecord]]:
    treatments: dict[uuid.UUID, list[TreatmentRecord]] = defaultdict(list)
    rows = session.connection().execute(
        select(Treatment.patient_id, Treatment.id, Treatment.administered_on, Treatment.product)
        .where(Treatment.patient_id.in_(patient_ids), Treatment.deleted_at.is_(None))
        .order_by(Treatment.administered_on, Treatment.id)
    )
    for patient_id, treatment_id, administered_on, product in rows:
        treatments[patient_id].append(TreatmentRecord(id=str(treatment_id),
                                                      administered_on=administered_on,
                                                      product=product))
    return treatments


def load_report_inputs(session: Session, patients: Iterable[User], *, now: datetime,
                       rule: str = "preempt", recent_days: int | None = None
                       ) -> dict[uuid.UUID, ReportInput]:
    """One ReportInput per patient, as of each patient's local today (three queries in all).

    With ``recent_days``, only the diary that can touch the latest ``recent_days`` local days
    is read (episodes last at most 14 days): enough for the latest-28-days figures of a
    patient list, not for a whole report.
    """
    patients = list(patients)
    ids = [p.id for p in patients]
    if not ids:
        return {}
    since_day = since_instant = None
    if recent_days is not None:
        since_day = (now - timedelta(days=recent_days + 1)).date()
        since_instant = now - timedelta(days=recent_days + 1 + MAX_EPISODE_DAYS)
    episodes = _episodes(session, ids, since_instant)
    diary_days = _diary_days(session, ids, since_day)
    treatments = _treatments(session, ids)
    return {
        p.id: ReportInput(
            patient=patient_record(p),
            episodes=tuple(episodes.get(p.id, ())),
            diary_days=tuple(diary_days.get(p.id, ())),
            treatments=tuple(treatments.get(p.id, ())),
            start=None, end=local_today(p.timezone, now), rule=rule, now=now,
        )
        for p in patients
    }


def load_report_input(session: Session, patient: User, *, now: datetime, start: date | None = None,
                      end: date | None = None, rule: str = "preempt") -> ReportInput:
    """The input of one patient's report from ``start`` to ``end`` (default: local today)."""
    inp = load_report_inputs(session, [patient], now=now, rule=rule)[patient.id]
    if end is None and start is None:
        return inp
    return replace(inp, start=start, end=end or inp.end)
