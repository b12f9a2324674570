"""Small factories for report inputs: local wall times in, aware UTC records out."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from itertools import count
from zoneinfo import ZoneInfo

from diary.reports import (
    DiaryDayRecord,
    EpisodeRecord,
    MedicationRecord,
    PatientRecord,
    ReportInput,
    TreatmentRecord,
)
from diary.reports.days import collect_day_facts
from diary.reports.periods import DayIndex, PeriodMetrics

LONDON = "Europe/London"
_ids = count(1)


def at(local: datetime | str, tz: str = LONDON) -> datetime:
    """A local wall time ('2026-03-01 08:00' or naive datetime) in `tz`, as aware UTC."""
    if isinstance(local, str):
        local = datetime.fromisoformat(local)
    return local.replace(tzinfo=ZoneInfo(tz)).astimezone(timezone.utc)


def med(taken: datetime | str, drug_class: str = "simple_analgesic", tz: str = LONDON):
    return MedicationRecord(taken_at=at(taken, tz), drug_class=drug_class)


def episode(
    start: datetime | str,
    end: datetime | str | None,
    tz: str = LONDON,
    severity: int = 1,
    features: tuple[str, ...] = (),
    meds: tuple[MedicationRecord, ...] = (),
    id: str | None = None,
) -> EpisodeRecord:
    return EpisodeRecord(
        id=id or f"ep-{next(_ids):06d}",
        started_at=at(start, tz),
        ended_at=None if end is None else at(end, tz),
        timezone=tz,
        peak_severity=severity,
        features=frozenset(features),
        medications=tuple(meds),
    )


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def diary(days, headache_free: bool = True) -> tuple[DiaryDayRecord, ...]:
    return tuple(DiaryDayRecord(d, headache_free) for d in days)


def headache_on(days, hours: int = 5, **kwargs) -> tuple[EpisodeRecord, ...]:
    """One headache a day from 08:00 local, long enough to be a headache day by both rules."""
    out = []
    for d in days:
        start = datetime(d.year, d.month, d.day, 8)
        out.append(episode(start, start + timedelta(hours=hours), **kwargs))
    return tuple(out)


def treatment(on: date, id: str | None = None) -> TreatmentRecord:
    return TreatmentRecord(id=id or f"tr-{on.isoformat()}", administered_on=on)


def make_input(
    episodes=(),
    diary_days=(),
    treatments=(),
    *,
    end: date,
    start: date | None = None,
    rule: str = "preempt",
    now: datetime | None = None,
    tz: str = LONDON,
) -> ReportInput:
    return ReportInput(
        patient=PatientRecord(id="patient-1", display_name="Ann Example", timezone=tz),
        episodes=tuple(episodes),
        diary_days=tuple(diary_days),
        treatments=tuple(treatments),
        start=start,
        end=end,
        rule=rule,
        now=now or at(datetime(end.year, end.month, end.day) + timedelta(days=1), tz),
    )


def metrics(inp: ReportInput, first: date, last: date | None = None) -> PeriodMetrics:
    """Period metrics of [first, last] (one day by default) computed as the report does."""
    facts = collect_day_facts(inp, inp.now)
    return DayIndex(facts, inp.rule, inp.end).metrics(first, last or first)
