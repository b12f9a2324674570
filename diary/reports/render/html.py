"""The report as one self-contained HTML page (inline CSS and SVG), also the PDF's source.

Jinja2 with autoescape on: patient text (the display name) is data, never markup or
template. Figures are rounded exactly as in the JSON (`round_half_away`, 1 decimal).
"""

from __future__ import annotations

from datetime import timezone

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from ..cycles import RESPONDER_30_PERCENT, RESPONDER_50_PERCENT
from ..engine import Report
from ..periods import COMPLETE_MIN_DAYS_PER_28, PERIOD_DAYS, PeriodMetrics
from ..rounding import round_half_away
from .charts import CYCLES_SHOWN, MONTHS_SHOWN, cycles_chart, monthly_chart

ALERT_TITLES = {
    "nice_stop_insufficient_response": "Insufficient response after two cycles (NICE TA260)",
    "nice_stop_episodic": "May have become episodic: review, consider a pause (NICE TA260)",
    "medication_overuse_risk": "Risk of medication-overuse headache (ICHD-3 8.2)",
    "wearing_off": "Wearing off before the next injection (product heuristic)",
    "treatment_due": "Treatment due",
    "insufficient_diary": "Diary too incomplete to judge",
    "episode_not_ended": "An episode was never ended",
}
RULE_NAMES = {"preempt": "PREEMPT (4 hours continuous)", "ihs": "IHS 2018 (30 minutes, or treated)"}
DASH = "\u2013"

_env = Environment(
    loader=PackageLoader("diary.reports", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def fmt(value, places: int = 1) -> str:
    """A figure as the JSON shows it: 1 decimal half away from zero; a dash for null."""
    if value is None:
        return DASH
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    return f"{round_half_away(value, places):.{places}f}"


def signed(value) -> str:
    text = fmt(value)
    return "+" + text if value is not None and not text.startswith(("-", "0.0")) else text


def _span(m: PeriodMetrics) -> str:
    return f"{m.start.isoformat()} {DASH} {m.end.isoformat()}"


def _metrics(m: PeriodMetrics | None) -> dict | None:
    if m is None:
        return None
    return {
        "span": _span(m),
        "days": m.days,
        "recorded": m.days_recorded,
        "complete": m.complete,
        "headache_days": m.headache_days,
        "migraine_days": m.migraine_days,
        "moderate_severe_days": m.moderate_severe_days,
        "headache_hours": fmt(m.headache_hours),
        "mean_episode_hours": fmt(m.mean_episode_hours),
        "acute_medication_days": m.acute_medication_days,
        "triptan_days": m.triptan_days,
        "per_28d": fmt(m.headache_days_per_28d),
    }


def _cycle(c) -> dict:
    change = c.change_from_baseline
    return {
        "number": c.number,
        "administered_on": c.administered_on.isoformat(),
        "span": f"{c.start.isoformat()} {DASH} {c.end.isoformat()}",
        "complete": c.complete,
        "before": _metrics(c.before),
        "after": _metrics(c.after),
        "periods": [_metrics(p) for p in c.periods],
        "change_days": DASH if change is None else signed(change.headache_days_per_28d),
        "change_percent": DASH if change is None or change.percent is None
        else signed(change.percent) + "%",
        "responder_30": fmt(c.responder_30),
        "responder_50": fmt(c.responder_50),
    }


def report_context(report: Report) -> dict:
    """Everything the template shows, as display strings (no logic left to the template)."""
    p = report.patient
    alerts = [{"code": a.code, "title": ALERT_TITLES.get(a.code, a.code), "detail": a.detail}
              for a in report.alerts]
    return {
        "patient": {"name": p.display_name, "id": p.id, "timezone": p.timezone},
        "start": report.start.isoformat(),
        "end": report.end.isoformat(),
        "generated_at": report.generated_at.astimezone(timezone.utc).strftime(
            "%Y-%m-%d %H:%M UTC"),
        "rule": report.rule,
        "rule_name": RULE_NAMES.get(report.rule, report.rule),
        "definitions": report.definitions,
        "period_days": PERIOD_DAYS,
        "complete_min": COMPLETE_MIN_DAYS_PER_28,
        "responder_30": -RESPONDER_30_PERCENT,
        "responder_50": -RESPONDER_50_PERCENT,
        "alerts": alerts,
        "baseline": _metrics(report.baseline),
        "latest": _metrics(report.latest_28d),
        "cycles": [_cycle(c) for c in report.cycles],
        "months": [{"month": m.month, **_metrics(m.metrics)} for m in report.months],
        "monthly_chart": Markup(monthly_chart(report)),
        "cycles_chart": Markup(cycles_chart(report)) if report.cycles else None,
        "months_shown": min(MONTHS_SHOWN, len(report.months)),
        "cycles_shown": min(CYCLES_SHOWN, len(report.cycles)),
    }


def report_to_html(report: Report) -> str:
    """The whole page; deterministic for the same report."""
    return _env.get_template("report.html").render(report_context(report))
