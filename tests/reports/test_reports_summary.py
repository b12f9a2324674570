"""summarise: the patient list's figures and the nightly job's alert codes."""

from datetime import date, timedelta

from diary.reports import build_report, summarise
from reports_factories import days_between, diary, headache_on, make_input, treatment

END = date(2026, 6, 30)
LATEST = days_between(END - timedelta(days=27), END)


def test_summary_reports_the_latest_28_days_and_the_next_due_date():
    inp = make_input(headache_on(LATEST[:7]), diary(LATEST[7:21]),
                     [treatment(date(2026, 3, 1)), treatment(date(2026, 5, 20)), treatment(date(2026, 7, 2))],
                     end=END)
    s = summarise(inp)
    assert s.headache_days_per_28d == 7 * 28 / 21
    assert (s.last_treatment_on, s.next_due_on) == (date(2026, 5, 20), date(2026, 8, 12))
    assert s.alerts == tuple(a.code for a in build_report(inp).alerts)


def test_summary_without_treatments_or_diary():
    s = summarise(make_input([], end=END))
    assert (s.headache_days_per_28d, s.last_treatment_on, s.next_due_on) == (None, None, None)
    assert s.alerts == ("insufficient_diary",)


def test_summary_flags_an_overdue_treatment():
    s = summarise(make_input([], diary(LATEST), [treatment(END - timedelta(days=85))], end=END))
    assert "treatment_due" in s.alerts
