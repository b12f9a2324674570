"""Rendering: rounding half away from zero, the contract's JSON shape, safe CSV."""

import csv
import io
import json
from datetime import date, timedelta

import pytest

from diary.reports import build_report
from diary.reports.render import report_to_csv, report_to_dict
from diary.reports.render.csv import HEADER, cell
from diary.reports.rounding import round_half_away
from reports_factories import days_between, diary, episode, headache_on, make_input, med, treatment

D1 = date(2026, 1, 5)
METRIC_KEYS = {
    "start", "end", "days", "days_recorded", "complete", "headache_days", "migraine_days",
    "moderate_severe_days", "headache_hours", "mean_episode_hours", "acute_medication_days",
    "triptan_days", "headache_days_per_28d",
}


@pytest.mark.parametrize(
    "x, expected",
    [
        (2.25, 2.3), (-2.25, -2.3), (0.05, 0.1), (-0.05, -0.1), (0.15, 0.2), (-0.15, -0.2),
        (1.45, 1.5), (2.35, 2.4), (1.04, 1.0), (-1.04, -1.0), (2.0, 2.0), (9.333333333333334, 9.3),
        (-28.333333333333332, -28.3), (1e-07, 0.0), (None, None),
    ],
)
def test_round_half_away_from_zero(x, expected):
    assert round_half_away(x, 1) == expected


def test_rounding_never_gives_negative_zero():
    assert str(round_half_away(-0.04, 1)) == "0.0"


def _sample_report():
    baseline = days_between(D1 - timedelta(days=28), D1 - timedelta(days=1))
    cycle = days_between(D1, D1 + timedelta(days=100))
    eps = headache_on(baseline[:20], hours=5) + headache_on(cycle[:30], hours=4)
    eps += (episode("2026-01-05 20:00", "2026-01-05 20:20", meds=[med("2026-01-05 20:05", "triptan")]),)
    inp = make_input(eps, diary(baseline[20:] + cycle[30:]), [treatment(D1), treatment(D1 + timedelta(days=91))],
                     end=D1 + timedelta(days=100))
    return build_report(inp)


def test_json_report_has_the_contract_shape():
    report = _sample_report()
    data = report_to_dict(report)
    json.dumps(data)  # serialisable as is
    assert set(data) == {"patient", "generated_at", "definitions", "baseline", "cycles", "months", "alerts"}
    assert data["patient"] == {"id": "patient-1", "display_name": "Ann Example", "timezone": "Europe/London"}
    assert data["generated_at"].endswith("+00:00")
    assert data["definitions"]["headache_day_rule"] == "preempt"
    assert data["definitions"]["period_days"] == 28
    assert set(data["baseline"]) == METRIC_KEYS
    assert data["baseline"]["start"] == "2025-12-08"
    cycle = data["cycles"][0]
    assert set(cycle) == {
        "number", "treatment_id", "administered_on", "start", "end", "complete", "before", "after",
        "periods", "change_from_baseline", "responder_30", "responder_50",
    }
    assert cycle["administered_on"] == "2026-01-05"
    assert [p["days"] for p in cycle["periods"]] == [28, 28, 28, 7]
    assert set(data["months"][0]) == METRIC_KEYS | {"month"}
    assert all(set(a) == {"code", "detail"} for a in data["alerts"])


def test_json_figures_are_rounded_to_one_decimal():
    data = report_to_dict(_sample_report())
    after = data["cycles"][0]["after"]
    # 30 headache days in 91 recorded: 9.2307... per 28 days; 30 * 4 h + 20 min.
    assert after["headache_days_per_28d"] == 9.2
    assert after["headache_hours"] == 120.3
    change = data["cycles"][0]["change_from_baseline"]
    assert change == {"headache_days_per_28d": -10.8, "percent": -53.8}
    assert data["cycles"][0]["responder_50"] is True


def test_csv_has_a_header_and_one_row_per_period():
    report = _sample_report()
    text = report_to_csv(report)
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == HEADER
    expected = 1 + sum(2 + len(c.periods) for c in report.cycles) + len(report.months)
    assert len(rows) == 1 + expected
    assert all(len(r) == len(HEADER) for r in rows)
    by_label = {r[1]: dict(zip(HEADER, r)) for r in rows[1:]}
    assert by_label["baseline"]["section"] == "baseline"
    c1 = by_label["cycle 1"]
    assert (c1["change_from_baseline_days"], c1["change_from_baseline_percent"], c1["responder_50"]) == (
        "-10.8", "-53.8", "true")
    assert by_label["cycle 1 period 4"]["days"] == "7"
    assert by_label["cycle 1 before"]["change_from_baseline_days"] == ""
    assert by_label["2026-01"]["start"] == "2026-01-01"


def test_csv_cells_never_start_like_a_formula():
    for text in ("=HYPERLINK(\"x\")", "+1", "-1", "@SUM(A1)", "\tx"):
        assert cell(text).startswith("'")
    assert cell("cycle 2") == "cycle 2"
    assert cell(-8.04) == "-8.0"  # numbers stay numbers
    assert (cell(None), cell(True), cell(False), cell(date(2026, 1, 5))) == ("", "true", "false", "2026-01-05")
