"""Baseline and injection cycles: Dk to the day before D(k+1), or 84 days, cut at the end."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from .periods import PERIOD_DAYS, DayIndex, PeriodMetrics, per_28d_exact
from .records import TreatmentRecord

CYCLE_DAYS = 84
RESPONDER_30_PERCENT = -30
RESPONDER_50_PERCENT = -50


@dataclass(frozen=True)
class ChangeFromBaseline:
    """Cycle minus baseline headache days per 28 days, and that as percent of baseline."""

    headache_days_per_28d: float
    percent: float | None


@dataclass(frozen=True)
class Cycle:
    """One injection cycle with its before, after (whole cycle) and 28-day periods."""

    number: int
    treatment_id: str
    administered_on: date
    start: date
    end: date
    complete: bool
    before: PeriodMetrics
    after: PeriodMetrics
    periods: tuple[PeriodMetrics, ...]
    change_from_baseline: ChangeFromBaseline | None
    responder_30: bool | None
    responder_50: bool | None


def effective_treatments(
    treatments: tuple[TreatmentRecord, ...], end: date
) -> list[TreatmentRecord]:
    """Treatments up to `end`, by date; several on one date count once (first by id)."""
    by_date: dict[date, TreatmentRecord] = {}
    for t in sorted(treatments, key=lambda t: (t.administered_on, t.id)):
        if t.administered_on <= end:
            by_date.setdefault(t.administered_on, t)
    return list(by_date.values())


def baseline_metrics(index: DayIndex, treatments: list[TreatmentRecord]) -> PeriodMetrics | None:
    """The 28 days before the first treatment; None without a treatment."""
    if not treatments:
        return None
    d1 = treatments[0].administered_on
    return index.metrics(d1 - timedelta(days=PERIOD_DAYS), d1 - timedelta(days=1))


def percent_change(baseline: PeriodMetrics | None, after: PeriodMetrics) -> tuple[
    Fraction | None, Fraction | None
]:
    """(change, percent) in exact fractions; change None unless both are complete."""
    if baseline is None or not baseline.complete or not after.complete:
        return None, None
    b, a = per_28d_exact(baseline), per_28d_exact(after)
    if b is None or a is None:
        return None, None
    return a - b, ((a - b) * 100 / b if b else None)


def build_cycles(
    index: DayIndex, treatments: list[TreatmentRecord], baseline: PeriodMetrics | None, end: date
) -> list[Cycle]:
    """Every cycle up to `end`, each measured against the baseline."""
    cycles = []
    for k, t in enumerate(treatments):
        start = t.administered_on
        if k + 1 < len(treatments):
            nominal_end, complete = treatments[k + 1].administered_on - timedelta(days=1), True
        else:
            nominal_end = start + timedelta(days=CYCLE_DAYS - 1)
            complete = nominal_end <= end
        cut = min(nominal_end, end)
        after = index.metrics(start, cut)
        change, percent = percent_change(baseline, after)
        cycles.append(
            Cycle(
                number=k + 1,
                treatment_id=t.id,
                administered_on=start,
                start=start,
                end=cut,
                complete=complete,
                before=index.metrics(
                    start - timedelta(days=PERIOD_DAYS), start - timedelta(days=1)
                ),
                after=after,
                periods=tuple(index.metrics(a, b) for a, b in period_spans(start, cut)),
                change_from_baseline=(
                    None
                    if change is None
                    else ChangeFromBaseline(
                        float(change), None if percent is None else float(percent)
                    )
                ),
                responder_30=None if percent is None else percent <= RESPONDER_30_PERCENT,
                responder_50=None if percent is None else percent <= RESPONDER_50_PERCENT,
            )
        )
    return cycles


def period_spans(start: date, end: date) -> list[tuple[date, date]]:
    """Consecutive 28-day parts of [start, end]; the last may be shorter."""
    spans = []
    a = start
    while a <= end:
        b = min(a + timedelta(days=PERIOD_DAYS - 1), end)
        spans.append((a, b))
        a = b + timedelta(days=1)
    return spans
