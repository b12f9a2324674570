"""Baseline and cycles: boundaries, late injections, cut cycles, change and responders."""

from datetime import date, timedelta

import pytest

from diary.reports import build_report
from reports_factories import days_between, diary, headache_on, make_input, treatment

D1 = date(2026, 1, 5)
BASELINE = days_between(D1 - timedelta(days=28), D1 - timedelta(days=1))


def _days(first: date, n: int) -> list[date]:
    return days_between(first, first + timedelta(days=n - 1))


def _diary_with_headaches(first: date, n: int, headache_days: int):
    """`n` recorded days from `first`, the first `headache_days` of them with a headache."""
    days = _days(first, n)
    return headache_on(days[:headache_days]), diary(days[headache_days:])


def _report(parts, treatments, end, start=BASELINE[0], **kw):
    eps = tuple(e for p in parts for e in p[0])
    dd = tuple(d for p in parts for d in p[1])
    return build_report(make_input(eps, dd, treatments, end=end, start=start, **kw))


def test_no_treatment_means_no_baseline_and_no_cycles():
    report = _report([_diary_with_headaches(D1, 28, 5)], [], end=D1 + timedelta(days=30))
    assert (report.baseline, report.cycles) == (None, ())


def test_baseline_is_the_28_days_before_the_first_treatment():
    report = _report([_diary_with_headaches(BASELINE[0], 28, 20)], [treatment(D1)], end=D1)
    b = report.baseline
    assert (b.start, b.end, b.days, b.headache_days, b.headache_days_per_28d) == (
        D1 - timedelta(days=28), D1 - timedelta(days=1), 28, 20, 20.0)
    assert report.cycles[0].before == b


def test_next_injection_seven_days_late_gives_a_seven_day_fourth_period():
    d2 = D1 + timedelta(days=91)
    report = _report([], [treatment(D1), treatment(d2)], end=d2 + timedelta(days=10))
    c1 = report.cycles[0]
    assert (c1.start, c1.end, c1.complete, c1.after.days) == (D1, d2 - timedelta(days=1), True, 91)
    assert [p.days for p in c1.periods] == [28, 28, 28, 7]
    assert c1.periods[3].start == D1 + timedelta(days=84)


def test_last_cycle_is_cut_at_the_report_end():
    end = D1 + timedelta(days=40)
    c = _report([], [treatment(D1)], end=end).cycles[0]
    assert (c.end, c.complete, [p.days for p in c.periods]) == (end, False, [28, 13])


@pytest.mark.parametrize("days_after, complete", [(82, False), (83, True), (200, True)])
def test_last_cycle_is_complete_once_all_84_days_have_passed(days_after, complete):
    c = _report([], [treatment(D1)], end=D1 + timedelta(days=days_after)).cycles[0]
    assert c.complete is complete
    assert c.end == D1 + timedelta(days=min(days_after, 83))


def test_treatments_on_one_date_count_once_and_later_ones_are_ignored():
    ts = [treatment(D1, "b"), treatment(D1, "a"), treatment(D1 + timedelta(days=200), "late")]
    report = _report([], ts, end=D1 + timedelta(days=100))
    assert [c.treatment_id for c in report.cycles] == ["a"]


def _responder_report(cycle_headache_days: int, baseline_recorded: int = 28):
    baseline = _diary_with_headaches(BASELINE[0], baseline_recorded, 20)
    cycle = _diary_with_headaches(D1, 84, cycle_headache_days)
    return _report([baseline, cycle], [treatment(D1)], end=D1 + timedelta(days=83))


@pytest.mark.parametrize(
    "headache_days, change, percent, r30, r50",
    [
        (43, 43 / 3 - 20, (43 / 3 - 20) * 5, False, False),  # -28.3%
        (42, -6.0, -30.0, True, False),  # exactly 30% fewer
        (31, 31 / 3 - 20, (31 / 3 - 20) * 5, True, False),  # -48.3%
        (30, -10.0, -50.0, True, True),  # exactly 50% fewer
    ],
)
def test_responders_at_and_around_the_thresholds(headache_days, change, percent, r30, r50):
    c = _responder_report(headache_days).cycles[0]
    assert c.change_from_baseline.headache_days_per_28d == pytest.approx(change)
    assert c.change_from_baseline.percent == pytest.approx(percent)
    assert (c.responder_30, c.responder_50) == (r30, r50)


def test_exactly_thirty_percent_is_a_responder_where_floats_would_say_29_99():
    # Baseline 20 of 20 recorded (28 per 28); cycle 56 of 80 recorded (19.6): exactly -30%,
    # which naive floating point computes as -29.999999999999993.
    baseline = (headache_on(BASELINE[:20]), ())
    days = _days(D1, 80)
    cycle = (headache_on(days[:56]), diary(days[56:]))
    c = _report([baseline, cycle], [treatment(D1)], end=D1 + timedelta(days=83)).cycles[0]
    assert c.change_from_baseline.percent == -30.0
    assert c.responder_30 is True and c.responder_50 is False


def test_change_is_null_when_the_baseline_is_incomplete():
    c = _responder_report(30, baseline_recorded=19).cycles[0]
    assert (c.change_from_baseline, c.responder_30, c.responder_50) == (None, None, None)


def test_change_is_null_when_the_cycle_is_incomplete():
    baseline = _diary_with_headaches(BASELINE[0], 28, 20)
    cycle = _diary_with_headaches(D1, 59, 10)  # 59 of 84 < 60
    c = _report([baseline, cycle], [treatment(D1)], end=D1 + timedelta(days=83)).cycles[0]
    assert c.after.complete is False
    assert c.change_from_baseline is None


def test_percent_is_null_when_the_baseline_had_no_headache_days():
    baseline = _diary_with_headaches(BASELINE[0], 28, 0)
    cycle = _diary_with_headaches(D1, 84, 3)
    c = _report([baseline, cycle], [treatment(D1)], end=D1 + timedelta(days=83)).cycles[0]
    assert c.change_from_baseline.headache_days_per_28d == 1.0
    assert c.change_from_baseline.percent is None
    assert (c.responder_30, c.responder_50) == (None, None)


def test_cycles_before_the_report_start_are_left_out_but_still_measured_against_baseline():
    d2 = D1 + timedelta(days=84)
    baseline = _diary_with_headaches(BASELINE[0], 28, 20)
    cycles = _diary_with_headaches(D1, 168, 0)
    end = d2 + timedelta(days=83)
    report = _report([baseline, cycles], [treatment(D1), treatment(d2)], end=end, start=d2 + timedelta(days=30))
    assert [c.number for c in report.cycles] == [2]
    assert report.baseline.headache_days == 20
    assert report.cycles[0].change_from_baseline.percent == -100.0
    assert (report.months[0].month, report.months[0].metrics.start) == ("2026-04", d2 + timedelta(days=30))


def test_default_start_without_any_diary_lists_only_the_cycle_reaching_the_end():
    d2 = D1 + timedelta(days=84)
    report = _report([], [treatment(D1), treatment(d2)], end=d2 + timedelta(days=10), start=None)
    assert [c.number for c in report.cycles] == [2]


def test_cycle_ending_on_the_report_start_is_listed():
    d2 = D1 + timedelta(days=84)
    report = _report([], [treatment(D1), treatment(d2)], end=d2 + timedelta(days=10), start=d2 - timedelta(days=1))
    assert [c.number for c in report.cycles] == [1, 2]
