"""The `definitions` object: every rule and choice the report was computed with."""

from __future__ import annotations

from . import alerts as A
from .cycles import CYCLE_DAYS, RESPONDER_30_PERCENT, RESPONDER_50_PERCENT
from .days import ONGOING_CAP
from .periods import (
    COMPLETE_MIN_DAYS_PER_28,
    OVERUSE_10_CLASSES,
    OVERUSE_15_CLASSES,
    PERIOD_DAYS,
)

RULE_TEXT = {
    "preempt": "A headache day is a local calendar day with at least 240 minutes of "
    "continuous headache within that day (PREEMPT).",
    "ihs": "A headache day is a local calendar day with at least 30 minutes of headache in "
    "total, or any headache on a day on which acute medication was taken (IHS 2018).",
}


def definitions_for(rule: str) -> dict:
    """Plain JSON-ready description of the rules in force."""
    return {
        "headache_day_rule": rule,
        "headache_day_rule_text": RULE_TEXT[rule],
        "day": "Local calendar day (00:00-24:00) in the episode's time zone; days of a "
        "daylight-saving change count their real 23 or 25 hours.",
        "overlap_merge": "Overlapping or touching episodes are merged so no minute counts "
        "twice; a merged headache whose episodes have different time zones is split into "
        "days by the time zone of its earliest-starting episode.",
        "period_days": PERIOD_DAYS,
        "complete_min_days_per_28": COMPLETE_MIN_DAYS_PER_28,
        "complete_rule": "days_recorded >= ceil(days * 20 / 28)",
        "recorded_day": "A diary-day entry, an episode overlapping the day, or a medicine "
        "taken that day; other days are missing data and left out of denominators.",
        "ongoing_episode_cap_hours": int(ONGOING_CAP.total_seconds() // 3600),
        "data_after_end": "Ignored: an episode crossing the report's end counts up to the end "
        "of that local day; an episode ending after it is not counted as ended.",
        "mean_episode_hours": "Mean duration of ended episodes whose local start date is in "
        "the period (unmerged, uncapped).",
        "acute_medication": "Every recorded medication class, including other, is acute "
        "medication.",
        "migraine_like": "Aura; or at least 2 of unilateral, pulsating, peak severity 2-3, "
        "worse with activity; or nausea or vomiting; or photophobia and phonophobia.",
        "cycle_days": CYCLE_DAYS,
        "baseline": "The 28 days before the first treatment; several treatments on one date "
        "count once; treatments after the report's end are ignored.",
        "change_from_baseline": "Cycle headache days per 28 days minus baseline's, and as "
        "percent of baseline (null when baseline is 0); null unless baseline and cycle are "
        "complete.",
        "responder_30_percent_change_at_most": RESPONDER_30_PERCENT,
        "responder_50_percent_change_at_most": RESPONDER_50_PERCENT,
        "nice_stop_min_reduction_percent": A.NICE_MIN_REDUCTION_PERCENT,
        "nice_stop_episodic_below_per_28d": A.EPISODIC_BELOW_PER_28D,
        "nice_stop_episodic_run": "Three consecutive full 28-day cycle periods, across "
        "cycles, each complete and below 15 per 28 days; a shorter period neither counts "
        "nor breaks the run, a full incomplete one breaks it.",
        "medication_overuse": {
            "windows": "[end-27, end], [end-55, end-28], [end-83, end-56], each complete",
            "days_10_classes": sorted(OVERUSE_10_CLASSES),
            "days_10": A.OVERUSE_10_DAYS,
            "days_15_classes": sorted(OVERUSE_15_CLASSES),
            "days_15": A.OVERUSE_15_DAYS,
            "mixed": "days with any of these classes >= 10 while more than one of them was "
            "used in the window (other does not count)",
        },
        "wearing_off": "Product heuristic, not a published criterion: in a complete cycle "
        "with periods 2 and 3 of 28 days each and complete, period 3 has at least "
        f"{A.WEARING_OFF_MIN_MORE_DAYS} more headache days per 28 days than period 2 and at "
        "least 1.3 times as many.",
        "treatment_due_after_days": CYCLE_DAYS,
        "thresholds": "Compared on exact unrounded values; 'at least' includes equality.",
        "rounding": "Shown figures rounded to 1 decimal, half away from zero.",
    }
