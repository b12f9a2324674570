"""The HTML page and its SVG charts: alerts first, figures as the JSON rounds them, patient text
escaped, one bar per month, deterministic output. Pure: no app, no database, no PDF."""

import re
from dataclasses import replace
from datetime import date, timedelta

import pytest

from diary.reports import PatientRecord, build_report
from diary.reports.alerts import Alert
from diary.reports.render.charts import MONTHS_SHOWN, cycles_chart, monthly_chart
from diary.reports.render.html import report_to_html
from diary.reports.render.json import report_to_dict
from reports_factories import days_between, diary, headache_on, make_input, treatment

D1 = date(2026, 1, 5)
END = D1 + timedelta(days=100)


@pytest.fixture(scope="module")
def report():
    """Baseline 20 of 28 days with headache; cycle 1 and a running cycle 2; Feb incomplete."""
    baseline = days_between(D1 - timedelta(days=28), D1 - timedelta(days=1))
    cycle = days_between(D1, END)
    gap = set(days_between(date(2026, 2, 3), date(2026, 2, 20)))  # February: 10 of 28 days
    recorded = [d for d in cycle if d not in gap]
    headaches = baseline[:20] + recorded[:40:3]
    inp = make_input(headache_on(headaches), diary([d for d in baseline + recorded if d not in headaches]),
                     [treatment(D1), treatment(D1 + timedelta(days=91))], end=END)
    built = build_report(inp)
    return replace(built, alerts=(
        Alert("nice_stop_insufficient_response", "Changed by -12.5% (16.0 at baseline)."),
        Alert("wearing_off", "Period 3 had 9 headache days, period 2 had 5."),
    ))


def _bars(svg: str, group: str) -> int:
    match = re.search(rf'<g id="diary-monthly-chart-{group}">(.*?)</g>', svg, re.S)
    return 0 if match is None else len(re.findall(r"<(?:path|use)\b", match[1]))


def test_page_shows_the_alerts_first_with_their_details(report):
    page = report_to_html(report)
    assert "Insufficient response after two cycles (NICE TA260)" in page
    assert "Changed by -12.5% (16.0 at baseline)." in page
    assert "Period 3 had 9 headache days, period 2 had 5." in page
    assert page.index('id="alerts"') < page.index('id="summary"') < page.index('id="cycles"')
    assert page.index("nice_stop_insufficient_response") < page.index('id="summary"')


def test_page_figures_are_rounded_as_in_the_json(report):
    page = report_to_html(report)
    data = report_to_dict(report)
    assert f"<b>{data['baseline']['headache_days_per_28d']:.1f}</b>" in page
    for month in data["months"]:
        row = re.search(rf"<td>{month['month']}(?:<sup>\*</sup>)?</td>(.*?)</tr>", page, re.S)[1]
        assert f"<b>{month['headache_days_per_28d']:.1f}</b>" in row
        assert f"<td>{month['headache_hours']:.1f}</td>" in row
    change = data["cycles"][0]["change_from_baseline"]
    assert f"{change['percent']:.1f}%" in page
    assert re.search(r"<td>2026-02<sup>\*</sup></td>", page), "February is marked incomplete"
    assert "Incomplete month" in page


def test_page_has_no_scripts_and_loads_nothing(report):
    page = report_to_html(report)
    assert "<script" not in page.lower()
    assert not re.search(r"""(?:src|href)=["'](?!#)""", page), "only in-page references"
    assert "@import" not in page and "url(http" not in page


@pytest.mark.parametrize("name", ["<script>alert(1)</script>", "{{7*7}}", "A & B \"quoted\" 'x'"])
def test_patient_text_is_escaped_not_markup_or_template(report, name):
    page = report_to_html(replace(report, patient=PatientRecord("p-1", name, "Europe/London")))
    assert "<script" not in page
    escaped = name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = escaped.replace('"', "&#34;").replace("'", "&#39;")
    assert f"Headache diary report: {escaped}</h1>" in page
    assert "49" not in page.split("<body>")[1].split("</h1>")[0]


def test_monthly_chart_is_svg_with_one_bar_per_month(report):
    svg = monthly_chart(report)
    assert svg.startswith("<svg ") and svg.rstrip().endswith("</svg>")
    complete = [m for m in report.months if m.metrics.complete]
    incomplete = [m for m in report.months if not m.metrics.complete]
    assert incomplete, "the fixture has an incomplete month"
    assert _bars(svg, "complete-months") == len(complete)
    assert _bars(svg, "incomplete-months") == len(incomplete)
    assert "incomplete month" in svg and "T1" in svg and "T2" in svg  # legend and treatments


def test_cycles_chart_shows_baseline_cycles_and_reduction_lines(report):
    svg = cycles_chart(report)
    for text in ("baseline", "cycle 1", "cycle 2", "30% reduction", "50% reduction"):
        assert text in svg


def test_charts_and_page_are_deterministic(report):
    assert monthly_chart(report) == monthly_chart(report)
    assert cycles_chart(report) == cycles_chart(report)
    assert report_to_html(report) == report_to_html(report)
    assert "<dc:date>" not in monthly_chart(report)


def test_two_charts_in_one_page_share_no_element_id(report):
    page = report_to_html(report)
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))


def test_a_long_diary_shows_the_last_months_and_says_so():
    first = D1 - timedelta(days=28)
    days = days_between(first, first + timedelta(days=4 * 365))
    report = build_report(make_input(headache_on(days[::4]), diary([d for i, d in enumerate(days) if i % 4]),
                                     [treatment(D1)], end=days[-1]))
    assert len(report.months) > MONTHS_SHOWN
    svg = monthly_chart(report)
    assert _bars(svg, "complete-months") + _bars(svg, "incomplete-months") == MONTHS_SHOWN
    assert f"last {MONTHS_SHOWN} of {len(report.months)} months shown" in svg
