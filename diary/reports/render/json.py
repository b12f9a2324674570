"""The report as the API contract's JSON object: ISO dates, figures to 1 decimal."""

from __future__ import annotations

from dataclasses import fields
from datetime import timezone

from ..cycles import Cycle
from ..engine import Report
from ..periods import PeriodMetrics
from ..rounding import round_half_away


def metrics_to_dict(m: PeriodMetrics) -> dict:
    """Period metrics with ISO dates and floats rounded half away from zero."""
    out = {}
    for f in fields(m):
        value = getattr(m, f.name)
        if isinstance(value, float):
            value = round_half_away(value, 1)
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        out[f.name] = value
    return out


def cycle_to_dict(c: Cycle) -> dict:
    change = c.change_from_baseline
    return {
        "number": c.number,
        "treatment_id": c.treatment_id,
        "administered_on": c.administered_on.isoformat(),
        "start": c.start.isoformat(),
        "end": c.end.isoformat(),
        "complete": c.complete,
        "before": metrics_to_dict(c.before),
        "after": metrics_to_dict(c.after),
        "periods": [metrics_to_dict(p) for p in c.periods],
        "change_from_baseline": None
        if change is None
        else {
            "headache_days_per_28d": round_half_away(change.headache_days_per_28d, 1),
            "percent": round_half_away(change.percent, 1),
        },
        "responder_30": c.responder_30,
        "responder_50": c.responder_50,
    }


def report_to_dict(report: Report) -> dict:
    """The JSON report of the contract (v1)."""
    p = report.patient
    return {
        "patient": {"id": p.id, "display_name": p.display_name, "timezone": p.timezone},
        "generated_at": report.generated_at.astimezone(timezone.utc).isoformat(
            timespec="seconds"
        ),
        "definitions": report.definitions,
        "baseline": None if report.baseline is None else metrics_to_dict(report.baseline),
        "cycles": [cycle_to_dict(c) for c in report.cycles],
        "months": [{"month": m.month, **metrics_to_dict(m.metrics)} for m in report.months],
        "alerts": [{"code": a.code, "detail": a.detail} for a in report.alerts],
    }
