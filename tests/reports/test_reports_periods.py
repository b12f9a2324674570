"""Period metrics: completeness, normalisation, hours, episode means, months, report span."""

from datetime import date, timedelta

import pytest

from diary.reports import build_report
from diary.reports.periods import min_recorded_days
from reports_factories import days_between, diary, episode, headache_on, make_input, metrics

START = date(2026, 3, 2)
END = date(2026, 6, 30)


@pytest.mark.parametrize("recorded, complete", [(19, False), (20, True)])
def test_28_days_are_complete_from_20_recorded(recorded, complete):
    inp = make_input([], diary(days_between(START, START + timedelta(days=recorded - 1))), end=END)
    m = metrics(inp, START, START + timedelta(days=27))
    assert (m.days, m.days_recorded, m.complete) == (28, recorded, complete)


@pytest.mark.parametrize("recorded, complete", [(9, False), (10, True)])
def test_14_day_period_needs_10_recorded_days(recorded, complete):
    inp = make_input([], diary(days_between(START, START + timedelta(days=recorded - 1))), end=END)
    assert metrics(inp, START, START + timedelta(days=13)).complete is complete


@pytest.mark.parametrize("days, needed", [(28, 20), (14, 10), (7, 5), (1, 1), (84, 60), (91, 65), (31, 23)])
def test_completeness_threshold_scales_with_period_length(days, needed):
    assert min_recorded_days(days) == needed


def test_headache_days_per_28d_uses_recorded_days_only():
    recorded = days_between(START, START + timedelta(days=20))  # 21 days
    inp = make_input(headache_on(recorded[:7]), diary(recorded), end=END)
    m = metrics(inp, START, START + timedelta(days=27))
    assert (m.days_recorded, m.headache_days) == (21, 7)
    assert m.headache_days_per_28d == pytest.approx(7 * 28 / 21)


def test_nothing_recorded_gives_no_rate():
    m = metrics(make_input([], end=END), START, START + timedelta(days=27))
    assert (m.days_recorded, m.headache_days_per_28d, m.complete) == (0, None, False)
    assert m.mean_episode_hours is None


def test_mean_episode_hours_counts_ended_episodes_that_started_in_the_period():
    eps = [
        episode("2026-03-01 22:00", "2026-03-02 09:00"),  # started the day before
        episode("2026-03-02 08:00", "2026-03-02 10:00"),
        episode("2026-03-03 08:00", "2026-03-03 13:00"),
        episode("2026-03-04 08:00", None),  # ongoing
    ]
    m = metrics(make_input(eps, end=END), START, START + timedelta(days=6))
    assert m.mean_episode_hours == pytest.approx(3.5)


def test_mean_episode_hours_uses_each_episodes_own_length_not_the_merged_one():
    eps = [episode("2026-03-02 08:00", "2026-03-02 12:00"), episode("2026-03-02 10:00", "2026-03-02 12:00")]
    m = metrics(make_input(eps, end=END), START)
    assert (m.mean_episode_hours, m.headache_hours) == (3.0, 4.0)


def test_months_are_calendar_months_clipped_to_the_report_span():
    inp = make_input([], diary([date(2025, 12, 20)]), start=date(2025, 12, 20), end=date(2026, 2, 10))
    months = build_report(inp).months
    assert [(m.month, m.metrics.start, m.metrics.end, m.metrics.days) for m in months] == [
        ("2025-12", date(2025, 12, 20), date(2025, 12, 31), 12),
        ("2026-01", date(2026, 1, 1), date(2026, 1, 31), 31),
        ("2026-02", date(2026, 2, 1), date(2026, 2, 10), 10),
    ]


def test_report_starts_at_the_first_recorded_day_by_default():
    inp = make_input(headache_on([date(2026, 4, 17)]), diary([date(2026, 5, 3)]), end=date(2026, 5, 5))
    report = build_report(inp)
    assert report.start == date(2026, 4, 17)
    assert report.months[0].metrics.start == date(2026, 4, 17)


def test_report_with_nothing_recorded_covers_its_end_day_only():
    report = build_report(make_input([], end=date(2026, 5, 5)))
    assert report.start == report.end == date(2026, 5, 5)
    assert [(m.month, m.metrics.days) for m in report.months] == [("2026-05", 1)]


def test_latest_28_days_end_at_the_report_end():
    inp = make_input(headache_on([date(2026, 6, 3), date(2026, 6, 2)]), end=date(2026, 6, 30))
    latest = build_report(inp).latest_28d
    assert (latest.start, latest.end, latest.headache_days) == (date(2026, 6, 3), date(2026, 6, 30), 1)


def test_start_after_end_is_rejected():
    with pytest.raises(ValueError):
        build_report(make_input([], start=date(2026, 7, 1), end=date(2026, 6, 30)))


def test_naive_or_missing_now_is_rejected():
    inp = make_input([], end=END)
    with pytest.raises(ValueError):
        build_report(type(inp)(**{**inp.__dict__, "now": None}))
    with pytest.raises(ValueError):
        build_report(type(inp)(**{**inp.__dict__, "now": inp.now.replace(tzinfo=None)}))
