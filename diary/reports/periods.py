"""Period metrics over consecutive days, answered from prefix sums of the per-day facts."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from itertools import accumulate

from .days import MIGRAINE_MEDICATION_CLASSES, DayFact, DayFacts, is_headache_day

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
    )

    def __init__(self, facts: DayFacts, rule: str, end: date):
        recorded = facts.recorded
        starts = [d for d, _ in facts.ended_episodes]
        self.first = min([*recorded, *starts], default=end)
        self.first_recorded = min(recorded, default=None)
        self.end = end
        self._days = facts.days
        self._base = base = self.first.toordinal()
        self._size = n = end.toordinal() - base + 1
        rows = {name: [0] * n for name in self.SERIES}
        rec = rows["recorded"]
        for d in recorded:
            rec[d.toordinal() - base] = 1
        headache, migraine = rows["headache"], rows["migraine"]
        severe, headache_us = rows["moderate_severe"], rows["headache_us"]
        acute, triptan = rows["acute"], rows["triptan"]
        o10, o15, oany = rows["overuse_10"], rows["overuse_15"], rows["overuse_any"]
        for d, f in facts.days.items():
            i = d.toordinal() - base
            headache_us[i] = f.headache_us
            if is_headache_day(f, rule):
                headache[i] = 1
                if f.migraine_like or not f.classes.isdisjoint(MIGRAINE_MEDICATION_CLASSES):
                    migraine[i] = 1
                if f.max_severity >= 2:
                    severe[i] = 1
            if f.classes:
                acute[i] = 1
                if "triptan" in f.classes:
                    triptan[i] = 1
                if not f.classes.isdisjoint(OVERUSE_10_CLASSES):
                    o10[i] = oany[i] = 1
                if not f.classes.isdisjoint(OVERUSE_15_CLASSES):
                    o15[i] = oany[i] = 1
        is_headache_day(DayFact(), rule)  # an unknown rule fails even on an empty diary
        count, total_us = rows["ended_count"], rows["ended_us"]
        for d, us in facts.ended_episodes:
            i = d.toordinal() - base
            count[i] += 1
            total_us[i] += us
        self._prefix = {name: list(accumulate(values, initial=0)) for name, values in rows.items()}

    def _bounds(self, start: date, end: date) -> tuple[int, int]:
        lo = max(start.toordinal() - self._base, 0)
        hi = min(end.toordinal() - self._base + 1, self._size)
        return (lo, hi) if lo < hi else (0, 0)

    def total(self, series: str, start: date, end: date) -> int:
        """Sum of `series` over [start, end]; days outside the index count 0."""
        lo, hi = self._bounds(start, end)
        p = self._prefix[series]
        return p[hi] - p[lo]

    def metrics(self, start: date, end: date) -> PeriodMetrics:
        lo, hi = self._bounds(start, end)
        p = self._prefix
        days = (end - start).days + 1
        recorded = p["recorded"][hi] - p["recorded"][lo]
        headache = p["headache"][hi] - p["headache"][lo]
        ended = p["ended_count"][hi] - p["ended_count"][lo]
        # int / int is correctly rounded in Python: exact values come out exact.
        return PeriodMetrics(
            start=start,
            end=end,
            days=days,
            days_recorded=recorded,
            complete=recorded >= min_recorded_days(days),
            headache_days=headache,
            migraine_days=p["migraine"][hi] - p["migraine"][lo],
            moderate_severe_days=p["moderate_severe"][hi] - p["moderate_severe"][lo],
            headache_hours=(p["headache_us"][hi] - p["headache_us"][lo]) / _US_PER_HOUR,
            mean_episode_hours=(
                (p["ended_us"][hi] - p["ended_us"][lo]) / (_US_PER_HOUR * ended) if ended else None
            ),
            acute_medication_days=p["acute"][hi] - p["acute"][lo],
            triptan_days=p["triptan"][hi] - p["triptan"][lo],
            headache_days_per_28d=headache * PERIOD_DAYS / recorded if recorded else None,
        )

    def classes_used(self, start: date, end: date) -> int:
        """How many overuse-relevant medication classes were taken in [start, end]."""
        used: set[str] = set()
        day = start
        while day <= end:
            f = self._days.get(day)
            if f is not None:
                used |= f.classes
            day += timedelta(days=1)
        return len(used & OVERUSE_CLASSES)


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
