"""build_report and summarise: plain records in, an unrounded report out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from . import alerts as A
from .cycles import CYCLE_DAYS, Cycle, baseline_metrics, build_cycles, effective_treatments
from .days import collect_day_facts
from .definitions import definitions_for
from .periods import PERIOD_DAYS, DayIndex, PeriodMetrics, month_spans
from .records import PatientRecord, ReportInput, RULES


@dataclass(frozen=True)
class Month:
    """A calendar month (clipped to the report's span) and its metrics."""

    month: str
    metrics: PeriodMetrics


@dataclass(frozen=True)
class Report:
    """The whole report, unrounded; render/ rounds for display."""

    patient: PatientRecord
    generated_at: datetime
    start: date
    end: date
    rule: str
    definitions: dict
    baseline: PeriodMetrics | None
    cycles: tuple[Cycle, ...]
    months: tuple[Month, ...]
    alerts: tuple[A.Alert, ...]
    latest_28d: PeriodMetrics


@dataclass(frozen=True)
class Summary:
    """What the patient list and the nightly alert job need."""

    headache_days_per_28d: float | None
    last_treatment_on: date | None
    next_due_on: date | None
    alerts: tuple[str, ...]


def _check(inp: ReportInput) -> datetime:
    if inp.rule not in RULES:
        raise ValueError(f"unknown headache-day rule {inp.rule!r}; expected one of {RULES}")
    if inp.now is None or inp.now.utcoffset() is None:
        raise ValueError("ReportInput.now must be an aware datetime")
    if inp.start is not None and inp.start > inp.end:
        raise ValueError("report start is after its end")
    return inp.now


def build_report(inp: ReportInput) -> Report:
    """Compute the report: per-day facts once, then every period from prefix sums."""
    now = _check(inp)
    facts = collect_day_facts(inp, now)
    index = DayIndex(facts, inp.rule, inp.end)
    start = inp.start or index.first_recorded or inp.end

    treatments = effective_treatments(inp.treatments, inp.end)
    baseline = baseline_metrics(index, treatments)
    all_cycles = build_cycles(index, treatments, baseline, inp.end)
    latest = index.metrics(inp.end - timedelta(days=PERIOD_DAYS - 1), inp.end)

    raised = (
        A.insufficient_response(all_cycles, baseline),
        A.episodic(all_cycles),
        A.medication_overuse(index, inp.end),
        A.wearing_off(all_cycles),
        A.treatment_due(all_cycles, inp.end),
        A.insufficient_diary(baseline, latest),
        A.episode_not_ended(facts),
    )
    return Report(
        patient=inp.patient,
        generated_at=now,
        start=start,
        end=inp.end,
        rule=inp.rule,
        definitions=definitions_for(inp.rule),
        baseline=baseline,
        # Computed from all data, listed when they reach into the report's span.
        cycles=tuple(c for c in all_cycles if c.end >= start),
        months=tuple(
            Month(label, index.metrics(a, b)) for label, a, b in month_spans(start, inp.end)
        ),
        alerts=tuple(a for a in raised if a is not None),
        latest_28d=latest,
    )


def summarise(inp: ReportInput) -> Summary:
    """The latest 28 days, the treatment dates and the alert codes of one patient."""
    report = build_report(inp)
    treatments = effective_treatments(inp.treatments, inp.end)
    last = treatments[-1].administered_on if treatments else None
    return Summary(
        headache_days_per_28d=report.latest_28d.headache_days_per_28d,
        last_treatment_on=last,
        next_due_on=last + timedelta(days=CYCLE_DAYS) if last else None,
        alerts=tuple(a.code for a in report.alerts),
    )


__all__ = ["Month", "Report", "Summary", "build_report", "summarise"]
