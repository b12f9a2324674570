"""Period metrics over consecutive days, answered from prefix sums of the per-day facts."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from itertools import accumulate

from .days import DayFacts, MIGRAINE_MEDICATION_CLASSES, is_headache_day

PERIOD_DAYS = 28
COMPLETE_MIN_DAYS_PER_28 = 20
# ICHD-3 8.2: classes overused from 10 days a month, from 15, and all that count towards
# "more than one class". `other` (antiemetics, ...) is acute medication but not among them.
OVERUSE_10_CLASSES = frozenset({"triptan", "ergot", "opioid", "combination_analgesic"})
OVERUSE_15_CLASSES = frozenset({"simple_analgesic", "nsaid"})
OVERUSE_CLASSES = OVERUSE_10_CLASSES | OVERUSE_15_CLASSES
_US_PER_HOUR = 3_600 * 1_000_000


@dataclass(frozen=True)
class PeriodMetrics:
    """The metrics of one span of days (inclusive), unrounded."""

    start: date
    end: date
    days: int
    days_recorded: int
    complete: bool
    headache_days: int
    migraine_days: int
    moderate_severe_days: int
    headache_hours: float
    mean_episode_hours: float | None
    acute_medication_days: int
    triptan_days: int
    headache_days_per_28d: float | None


def min_recorded_days(days: int) -> int:
    """Recorded days a period of `days` needs to be complete: 20 of 28, scaled up."""
    return math.ceil(days * COMPLETE_MIN_DAYS_PER_28 / PERIOD_DAYS)


def per_28d_exact(m: PeriodMetrics) -> Fraction | None:
    """Headache days per 28 recorded days as an exact fraction, for threshold tests."""
    if m.days_recorded == 0:
        return None
    return Fraction(m.headache_days * PERIOD_DAYS, m.days_recorded)


class DayIndex:
    """Prefix sums of every per-day series from the first fact to the report's end."""

    SERIES = (
        "recorded", "headache", "migraine", "moderate_severe", "acute", "triptan",
        "headache_us", "ended_count", "ended_us", "overuse_10", "overuse_15", "overuse_any",
        *(f"class_{c}" for c in sorted(OVERUSE_CLASSES)),
    )

    def __init__(self, facts: DayFacts, rule: str, end: date):
        recorded = facts.recorded
        starts = [d for d, _ in facts.ended_episodes]
        self.first = min([*recorded, *starts], default=end)
        self.first_recorded = min(recorded, default=None)
        self.end = end
        n = (end - self.first).days + 1
        rows = {name: [0] * n for name in self.SERIES}
        for d in recorded:
            rows["recorded"][(d - self.first).days] = 1
        for d, f in facts.days.items():
            i = (d - self.first).days
            headache = is_headache_day(f, rule)  # raises on an unknown rule
            rows["headache_us"][i] = f.headache_us
            if headache:
                rows["headache"][i] = 1
                if f.migraine_like or f.classes & MIGRAINE_MEDICATION_CLASSES:
                    rows["migraine"][i] = 1
                if f.max_severity >= 2:
                    rows["moderate_severe"][i] = 1
            if f.classes:
                rows["acute"][i] = 1
                rows["triptan"][i] = int("triptan" in f.classes)
                rows["overuse_10"][i] = int(bool(f.classes & OVERUSE_10_CLASSES))
                rows["overuse_15"][i] = int(bool(f.classes & OVERUSE_15_CLASSES))
                rows["overuse_any"][i] = int(bool(f.classes & OVERUSE_CLASSES))
                for c in f.classes & OVERUSE_CLASSES:
                    rows[f"class_{c}"][i] = 1
        for d, us in facts.ended_episodes:
            i = (d - self.first).days
            rows["ended_count"][i] += 1
            rows["ended_us"][i] += us
        self._prefix = {name: list(accumulate(values, initial=0)) for name, values in rows.items()}

    def total(self, series: str, start: date, end: date) -> int:
        """Sum of `series` over [start, end]; days outside the index count 0."""
        lo = max((start - self.first).days, 0)
        hi = min((end - self.first).days, (self.end - self.first).days) + 1
        if hi <= lo:
            return 0
        p = self._prefix[series]
        return p[hi] - p[lo]

    def metrics(self, start: date, end: date) -> PeriodMetrics:
        days = (end - start).days + 1
        t = lambda name: self.total(name, start, end)  # noqa: E731
        recorded, headache = t("recorded"), t("headache")
        ended = t("ended_count")
        return PeriodMetrics(
            start=start,
            end=end,
            days=days,
            days_recorded=recorded,
            complete=recorded >= min_recorded_days(days),
            headache_days=headache,
            migraine_days=t("migraine"),
            moderate_severe_days=t("moderate_severe"),
            headache_hours=float(Fraction(t("headache_us"), _US_PER_HOUR)),
            mean_episode_hours=(
                float(Fraction(t("ended_us"), _US_PER_HOUR * ended)) if ended else None
            ),
            acute_medication_days=t("acute"),
            triptan_days=t("triptan"),
            headache_days_per_28d=(
                float(Fraction(headache * PERIOD_DAYS, recorded)) if recorded else None
            ),
        )

    def classes_used(self, start: date, end: date) -> int:
        """How many overuse-relevant medication classes were taken in [start, end]."""
        return sum(self.total(f"class_{c}", start, end) > 0 for c in OVERUSE_CLASSES)


def month_spans(start: date, end: date) -> list[tuple[str, date, date]]:
    """Calendar months from `start` to `end`, each clipped to [start, end]."""
    spans = []
    first = start
    while first <= end:
        nxt = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        last = min(nxt - timedelta(days=1), end)
        spans.append((f"{first.year:04d}-{first.month:02d}", first, last))
        first = nxt
    return spans
