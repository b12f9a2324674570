"""The one module of the reports that reads the database: it turns rows into input records.

Each loader runs a constant number of queries (episodes, medications, diary days,
treatments), however many days, episodes or patients it reads, and selects plain columns
rather than ORM objects: the rows go straight into frozen records.
"""
from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import replace
from datetime import date, datetime
from typing import Iterable, Sequence
from zoneinfo import ZoneInfo

from sqlalchemy import select
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


def local_today(timezone: str, now: datetime) -> date:
    return now.astimezone(ZoneInfo(timezone)).date()


def patient_record(patient: User) -> PatientRecord:
    return PatientRecord(id=str(patient.id), display_name=patient.display_name,
                         timezone=patient.timezone)


def _episodes(session: Session, patient_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[EpisodeRecord]]:
    medications: dict[uuid.UUID, list[MedicationRecord]] = defaultdict(list)
    med_rows = session.execute(
        select(MedicationIntake.episode_id, MedicationIntake.taken_at, MedicationIntake.drug_class,
               MedicationIntake.name, MedicationIntake.dose_mg)
        .join(Episode, Episode.id == MedicationIntake.episode_id)
        .where(Episode.patient_id.in_(patient_ids), Episode.deleted_at.is_(None))
        .order_by(MedicationIntake.episode_id, MedicationIntake.position)
    )
    for episode_id, taken_at, drug_class, name, dose_mg in med_rows:
        medications[episode_id].append(MedicationRecord(taken_at=taken_at, drug_class=drug_class,
                                                        name=name, dose_mg=dose_mg))
    episodes: dict[uuid.UUID, list[EpisodeRecord]] = defaultdict(list)
    rows = session.execute(
        select(Episode.patient_id, Episode.id, Episode.started_at, Episode.ended_at,
               Episode.timezone, Episode.peak_severity, *_FEATURE_COLUMNS)
        .where(Episode.patient_id.in_(patient_ids), Episode.deleted_at.is_(None))
        .order_by(Episode.started_at)
    )
    for patient_id, episode_id, started_at, ended_at, tz, severity, *flags in rows:
        features = frozenset(name for name, flag in zip(FEATURES, flags) if flag)
        episodes[patient_id].append(EpisodeRecord(
            id=str(episode_id), started_at=started_at, ended_at=ended_at, timezone=tz,
            peak_severity=severity, features=features,
            medications=tuple(medications.get(episode_id, ())),
        ))
    return episodes


def _diary_days(session: Session, patient_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[DiaryDayRecord]]:
    days: dict[uuid.UUID, list[DiaryDayRecord]] = defaultdict(list)
    rows = session.execute(
        select(DiaryDay.patient_id, DiaryDay.date, DiaryDay.headache_free)
        .where(DiaryDay.patient_id.in_(patient_ids), DiaryDay.deleted_at.is_(None))
    )
    for patient_id, day, headache_free in rows:
        days[patient_id].append(DiaryDayRecord(date=day, headache_free=headache_free))
    return days


def _treatments(session: Session, patient_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[TreatmentRecord]]:
    treatments: dict[uuid.UUID, list[TreatmentRecord]] = defaultdict(list)
    rows = session.execute(
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
                       rule: str = "preempt") -> dict[uuid.UUID, ReportInput]:
    """One ReportInput per patient, as of each patient's local today (four queries in all)."""
    patients = list(patients)
    ids = [p.id for p in patients]
    if not ids:
        return {}
    episodes = _episodes(session, ids)
    diary_days = _diary_days(session, ids)
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
