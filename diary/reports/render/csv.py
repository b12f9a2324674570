"""The report as CSV: one row per period, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

from ..engine import Report
from ..periods import PeriodMetrics
from ..rounding import round_half_away

METRIC_COLUMNS = (
    "days",
    "days_recorded",
    "complete",
    "headache_days",
    "migraine_days",
    "moderate_severe_days",
    "headache_hours",
    "mean_episode_hours",
    "acute_medication_days",
    "triptan_days",
    "headache_days_per_28d",
)
CYCLE_COLUMNS = (
    "change_from_baseline_days",
    "change_from_baseline_percent",
    "responder_30",
    "responder_50",
)
HEADER = ("section", "label", "cycle", "period", "start", "end", *METRIC_COLUMNS, *CYCLE_COLUMNS)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> str:
    """One cell: empty for null, true/false, ISO dates, 1-decimal floats, guarded text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{round_half_away(value, 1):.1f}"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = str(value)
    # A spreadsheet would run text starting like a formula: make it plain text.
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _row(section, label, cycle, period, m: PeriodMetrics, extra=(None,) * 4) -> list[str]:
    values = [section, label, cycle, period, m.start, m.end]
    values += [getattr(m, name) for name in METRIC_COLUMNS]
    return [cell(v) for v in (*values, *extra)]


def report_to_csv(report: Report) -> str:
    """Header, then baseline, each cycle (whole, before, its periods), then the months."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    if report.baseline is not None:
        writer.writerow(_row("baseline", "baseline", None, None, report.baseline))
    for c in report.cycles:
        label = f"cycle {c.number}"
        change = c.change_from_baseline
        extra = (
            None if change is None else change.headache_days_per_28d,
            None if change is None else change.percent,
            c.responder_30,
            c.responder_50,
        )
        writer.writerow(_row("cycle", label, c.number, None, c.after, extra))
        writer.writerow(_row("before", f"{label} before", c.number, None, c.before))
        for n, p in enumerate(c.periods, start=1):
            writer.writerow(_row("cycle_period", f"{label} period {n}", c.number, n, p))
    for m in report.months:
        writer.writerow(_row("month", m.month, None, None, m.metrics))
    return out.getvalue()
