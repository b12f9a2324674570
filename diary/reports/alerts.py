"""Report alerts: NICE stopping rules, medication overuse, wearing off, gaps in the diary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from .cycles import CYCLE_DAYS, Cycle, percent_change
from .days import DayFacts
from .periods import PERIOD_DAYS, DayIndex, PeriodMetrics, per_28d_exact
from .rounding import round_half_away

NICE_MIN_REDUCTION_PERCENT = 30
EPISODIC_BELOW_PER_28D = 15
EPISODIC_RUN = 3
OVERUSE_WINDOWS = 3
OVERUSE_10_DAYS = 10
OVERUSE_15_DAYS = 15
WEARING_OFF_MIN_MORE_DAYS = 2
WEARING_OFF_MIN_RATIO = Fraction(13, 10)

ALERT_CODES = (
    "nice_stop_insufficient_response",
    "nice_stop_episodic",
    "medication_overuse_risk",
    "wearing_off",
    "treatment_due",
    "insufficient_diary",
    "episode_not_ended",
)


@dataclass(frozen=True)
class Alert:
    """One raised alert: a fixed code and a short human sentence with the figures."""

    code: str
    detail: str


def _f(x: Fraction | float) -> str:
    """A figure for a sentence, 1 decimal half away from zero."""
    return f"{round_half_away(float(x), 1):.1f}"


def insufficient_response(cycles: list[Cycle], baseline: PeriodMetrics | None) -> Alert | None:
    """NICE TA260: cycle 2 complete and less than a 30% reduction against baseline."""
    if len(cycles) < 2 or not cycles[1].complete:
        return None
    change, percent = percent_change(baseline, cycles[1].after)
    if percent is None or percent <= -NICE_MIN_REDUCTION_PERCENT:
        return None
    return Alert(
        "nice_stop_insufficient_response",
        f"After two treatment cycles headache days per 28 days changed by {_f(percent)}% "
        f"({_f(per_28d_exact(baseline))} at baseline, {_f(per_28d_exact(cycles[1].after))} "
        f"in cycle 2): less than a {NICE_MIN_REDUCTION_PERCENT}% reduction (NICE TA260).",
    )


def episodic(cycles: list[Cycle]) -> Alert | None:
    """NICE TA260: three consecutive full, complete cycle periods below 15 per 28 days."""
    run: list[tuple[Cycle, int, PeriodMetrics]] = []
    found = None
    for cycle in cycles:
        for i, p in enumerate(cycle.periods):
            if p.days < PERIOD_DAYS:
                continue  # a shorter remainder neither counts nor breaks the run
            rate = per_28d_exact(p)
            if p.complete and rate is not None and rate < EPISODIC_BELOW_PER_28D:
                run.append((cycle, i + 1, p))
                if len(run) >= EPISODIC_RUN:
                    found = run[-EPISODIC_RUN:]
            else:
                run = []
    if found is None:
        return None
    parts = ", ".join(
        f"cycle {c.number} period {n}: {_f(per_28d_exact(p))}" for c, n, p in found
    )
    return Alert(
        "nice_stop_episodic",
        f"Three consecutive complete 28-day periods had fewer than {EPISODIC_BELOW_PER_28D} "
        f"headache days per 28 days ({parts}): the migraine may have become episodic; review "
        "and consider a pause in treatment (NICE TA260).",
    )


def medication_overuse(index: DayIndex, end: date) -> Alert | None:
    """ICHD-3 8.2 levels in each of the three complete 28-day windows ending at `end`."""
    found = []
    for w in range(OVERUSE_WINDOWS):
        b = end - timedelta(days=PERIOD_DAYS * w)
        a = b - timedelta(days=PERIOD_DAYS - 1)
        if not index.metrics(a, b).complete:
            return None
        strong = index.total("overuse_10", a, b)
        simple = index.total("overuse_15", a, b)
        mixed = index.total("overuse_any", a, b)
        if strong >= OVERUSE_10_DAYS:
            found.append(f"{strong} days of triptan, ergot, opioid or combination analgesic")
        elif simple >= OVERUSE_15_DAYS:
            found.append(f"{simple} days of simple analgesic or NSAID")
        elif mixed >= OVERUSE_10_DAYS and index.classes_used(a, b) > 1:
            found.append(f"{mixed} days of acute medication of several classes")
        else:
            return None
    return Alert(
        "medication_overuse_risk",
        "Acute medication reached overuse levels (ICHD-3 8.2) in each of the last three "
        f"28-day periods (latest first: {'; '.join(found)}).",
    )


def wearing_off(cycles: list[Cycle]) -> Alert | None:
    """Product heuristic: period 3 of a complete cycle clearly worse than period 2."""
    hits = []
    for c in cycles:
        if not c.complete or len(c.periods) < 3:
            continue
        p2, p3 = c.periods[1], c.periods[2]
        if not all(p.days == PERIOD_DAYS and p.complete for p in (p2, p3)):
            continue
        r2, r3 = per_28d_exact(p2), per_28d_exact(p3)
        if r3 - r2 >= WEARING_OFF_MIN_MORE_DAYS and r3 >= WEARING_OFF_MIN_RATIO * r2:
            hits.append((c, r2, r3))
    if not hits:
        return None
    c, r2, r3 = hits[-1]
    earlier = ", ".join(str(h[0].number) for h in hits[:-1])
    return Alert(
        "wearing_off",
        f"Headache days per 28 days rose late in cycle {c.number}: {_f(r2)} in days 29-56, "
        f"{_f(r3)} in days 57-84" + (f" (also in cycles {earlier})" if earlier else "")
        + ". This is a heuristic of this product, not a published criterion.",
    )


def treatment_due(cycles: list[Cycle], end: date) -> Alert | None:
    """More than 84 days from the last treatment to `end`."""
    if not cycles:
        return None
    last = cycles[-1].administered_on
    gap = (end - last).days
    if gap <= CYCLE_DAYS:
        return None
    return Alert(
        "treatment_due",
        f"{gap} days have passed since the last treatment on {last.isoformat()} "
        f"(a cycle is {CYCLE_DAYS} days).",
    )


def insufficient_diary(baseline: PeriodMetrics | None, latest: PeriodMetrics) -> Alert | None:
    """The baseline (if any) or the latest 28 days is not complete."""
    gaps = [
        f"{name} {m.start.isoformat()} to {m.end.isoformat()}: {m.days_recorded} of {m.days} "
        "days recorded"
        for name, m in (("baseline", baseline), ("latest 28 days", latest))
        if m is not None and not m.complete
    ]
    if not gaps:
        return None
    return Alert(
        "insufficient_diary",
        f"Too few diary days to be reliable (at least 20 of 28 needed): {'; '.join(gaps)}.",
    )


def episode_not_ended(facts: DayFacts) -> Alert | None:
    """Episodes still open more than 72 hours after they started."""
    if not facts.overdue_starts:
        return None
    starts = ", ".join(s.isoformat(timespec="minutes") for s in facts.overdue_starts)
    return Alert(
        "episode_not_ended",
        f"Headache still open more than 72 hours after it started ({starts}); counted as "
        "72 hours. Please record when it ended.",
    )
