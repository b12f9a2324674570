"""Patients' reminders: fill in today's diary (``diary-reminders``) and book the next
injection (``treatment-reminders``)."""
from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import func, select

from diary.extensions import db
from diary.jobs import as_utc, batches, isolated
from diary.models import DiaryDay, Episode, MedicationIntake, Role, Treatment, User
from diary.reports.cycles import CYCLE_DAYS
from diary.reports.days import ONGOING_CAP
from diary.services.notifications import notify
from diary.services.timezones import day_bounds, zone

# A reminder time in the last minutes of a day is caught up just after midnight (the job
# runs every 15 minutes), for this long; later, yesterday's reminder is no use any more.
CATCH_UP = timedelta(hours=1)
INJECTION_REMINDER_DAYS = 77  # 11 weeks: a week to book the 12-week injection
MAX_EPISODE = timedelta(days=14)  # the API refuses longer episodes
_DAY = timedelta(days=1)


def reminder_instant(day: date, at: time, tz: str) -> datetime:
    """The UTC instant the local time ``at`` falls on ``day`` in ``tz``.

    zoneinfo's ``fold=0`` decides the days of a clock change: a time skipped by a
    spring-forward change is read with the offset before it (02:30 on a day the clocks jump
    from 02:00 to 03:00 falls at 03:30), and a time that occurs twice in autumn is its first
    occurrence. Either way the reminder falls once that day.
    """
    return datetime.combine(day, at, tzinfo=zone(tz)).astimezone(timezone.utc)


def due_dates(tz: str, at: time, now: datetime) -> list[date]:
    """The local dates whose reminder is due at ``now``: today once ``at`` has passed, and
    yesterday for a short while after midnight if its reminder fell just before it."""
    today = now.astimezone(zone(tz)).date()
    dates = []
    yesterday_at = reminder_instant(today - _DAY, at, tz)
    if yesterday_at <= now < yesterday_at + CATCH_UP:
        dates.append(today - _DAY)
    if reminder_instant(today, at, tz) <= now:
        dates.append(today)
    return dates


@dataclass(frozen=True)
class Due:
    patient_id: uuid.UUID
    timezone: str
    day: date


def _overlaps(start: datetime, end: datetime, tz: str, day: date) -> bool:
    """Whether [start, end) touches local ``day`` as the reports count it (an instant-long
    episode records the day it starts on)."""
    d0, d1 = (b.astimezone(timezone.utc) for b in day_bounds(day, tz))
    return start < d1 and (end > d0 or start >= d0)


def recorded(due: list[Due], now: datetime) -> set[tuple[uuid.UUID, date]]:
    """Which (patient, local date) pairs of ``due`` have anything recorded: a diary day, an
    episode overlapping the date (in the episode's zone, as the reports count it) or a
    medicine taken on it. Three queries for the whole batch."""
    if not due:
        return set()
    session = db.session()
    ids = sorted({d.patient_id for d in due})
    wanted = {(d.patient_id, d.day) for d in due}
    days_of: dict[uuid.UUID, list[date]] = defaultdict(list)
    for d in due:
        days_of[d.patient_id].append(d.day)
    # Time zones differ by up to 26 hours: a day's bounds anywhere lie within a day of UTC's.
    lo = datetime.combine(min(d.day for d in due) - _DAY, time(0), tzinfo=timezone.utc)
    hi = datetime.combine(max(d.day for d in due) + 2 * _DAY, time(0), tzinfo=timezone.utc)

    found = set(session.execute(
        select(DiaryDay.patient_id, DiaryDay.date)
        .where(DiaryDay.patient_id.in_(ids), DiaryDay.date.in_(sorted({d.day for d in due})),
               DiaryDay.deleted_at.is_(None))
    ))

    episodes = session.execute(
        select(Episode.patient_id, Episode.started_at, Episode.ended_at, Episode.timezone)
        .where(Episode.patient_id.in_(ids), Episode.deleted_at.is_(None),
               Episode.started_at < hi, Episode.started_at >= lo - MAX_EPISODE,
               (Episode.ended_at.is_(None)) | (Episode.ended_at >= lo))
    )
    for patient_id, started, ended, tz in episodes:
        end = min(now, started + ONGOING_CAP) if ended is None else ended
        found.update((patient_id, day) for day in days_of[patient_id]
                     if _overlaps(started, max(end, started), tz, day))

    taken = session.execute(
        select(Episode.patient_id, MedicationIntake.taken_at, Episode.timezone)
        .join(Episode, Episode.id == MedicationIntake.episode_id)
        .where(Episode.patient_id.in_(ids), Episode.deleted_at.is_(None),
               MedicationIntake.taken_at >= lo, MedicationIntake.taken_at < hi)
    )
    found.update((patient_id, at.astimezone(zone(tz)).date()) for patient_id, at, tz in taken)
    return found & wanted


def _remind(d: Due, now: datetime) -> int:
    return int(notify(
        d.patient_id, "diary_reminder", f"diary_reminder:{d.day.isoformat()}",
        title="Fill in your headache diary",
        body=f"Nothing is recorded for {_long(d.day)} yet: log a headache, or mark the day "
             "headache-free.",
        data={"date": d.day.isoformat()}, now=now,
    ))


def run_diary_reminders(now: datetime) -> int:
    """One ``diary_reminder`` per patient and local date, once their reminder time has
    passed, unless they recorded something for that date. Returns how many were written."""
    now = as_utc(now)
    patients = db.session.execute(
        select(User.id, User.timezone, User.reminder_time)
        .where(User.role == Role.PATIENT.value, User.is_active.is_(True),
               User.reminders_enabled.is_(True))
        .order_by(User.id)
    ).all()
    due = []
    for patient_id, tz, at in patients:
        dates = isolated("diary-reminders", patient_id, lambda: due_dates(tz, at, now),
                         default=[], writes=False)
        due.extend(Due(patient_id, tz, day) for day in dates)
    written = 0
    for batch in batches(due):
        done = recorded(list(batch), now)
        for d in batch:
            if (d.patient_id, d.day) not in done:
                written += isolated("diary-reminders", d.patient_id, lambda d=d: _remind(d, now))
    return written


def run_treatment_reminders(now: datetime) -> int:
    """One ``injection_due`` once 77 days have passed (in the patient's time zone) since the
    patient's latest treatment; a later treatment replaces it. Returns how many were written."""
    now = as_utc(now)
    ranked = select(
        Treatment.id, Treatment.patient_id, Treatment.administered_on,
        func.row_number().over(
            partition_by=Treatment.patient_id,
            order_by=(Treatment.administered_on.desc(), Treatment.created_at.desc(),
                      Treatment.id.desc()),
        ).label("rank"),
    ).where(Treatment.deleted_at.is_(None)).subquery()
    # No time zone's today is later than UTC's tomorrow: an SQL bound that Python refines.
    latest_possible = now.date() + _DAY - timedelta(days=INJECTION_REMINDER_DAYS)
    rows = db.session.execute(
        select(ranked.c.id, ranked.c.patient_id, ranked.c.administered_on, User.timezone)
        .join(User, User.id == ranked.c.patient_id)
        .where(ranked.c.rank == 1, ranked.c.administered_on <= latest_possible,
               User.role == Role.PATIENT.value, User.is_active.is_(True))
        .order_by(ranked.c.patient_id)
    ).all()
    written = 0
    for treatment_id, patient_id, administered_on, tz in rows:
        written += isolated("treatment-reminders", patient_id, lambda t=treatment_id, p=patient_id,
                            on=administered_on, tz=tz: _injection_due(t, p, on, tz, now))
    return written


def _injection_due(treatment_id: uuid.UUID, patient_id: uuid.UUID, administered_on: date,
                   tz: str, now: datetime) -> int:
    today = now.astimezone(zone(tz)).date()
    if (today - administered_on).days < INJECTION_REMINDER_DAYS:
        return 0
    next_due = administered_on + timedelta(days=CYCLE_DAYS)
    return int(notify(
        patient_id, "injection_due", f"injection_due:{treatment_id}",
        title="Time to book your next injection",
        body=f"Your last injection was on {_long(administered_on)}; the next one is due on "
             f"{_long(next_due)}. Book it now if you have not yet.",
        data={"treatment_id": str(treatment_id), "administered_on": administered_on.isoformat(),
              "next_due_on": next_due.isoformat()},
        now=now,
    ))


def _long(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"
