"""Alerts: each just below and at its threshold."""

from datetime import date, timedelta

import pytest

from diary.reports import build_report
from reports_factories import days_between, diary, episode, headache_on, make_input, med, treatment

D1 = date(2026, 1, 5)


def _span(first: date, headache_days: int, recorded: int = 28, days: int = 28):
    """`days` from `first`: `recorded` of them recorded, the first `headache_days` headaches."""
    all_days = days_between(first, first + timedelta(days=days - 1))[:recorded]
    return headache_on(all_days[:headache_days]), diary(all_days[headache_days:])


def _codes(spans, treatments, end, **kw):
    eps = tuple(e for s in spans for e in s[0])
    dd = tuple(d for s in spans for d in s[1])
    report = build_report(make_input(eps, dd, treatments, end=end, **kw))
    return {a.code: a.detail for a in report.alerts}


def _periods(first: date, *headache_days: int, recorded=None):
    recorded = recorded or [28] * len(headache_days)
    return [
        _span(first + timedelta(days=28 * i), h, r) for i, (h, r) in enumerate(zip(headache_days, recorded))
    ]


# nice_stop_insufficient_response ------------------------------------------------------

def _two_cycles(cycle2_headache_days: int, end_offset: int = 83):
    d2 = D1 + timedelta(days=84)
    spans = [
        _span(D1 - timedelta(days=28), 20),
        _span(D1, 20, 84, 84),
        _span(d2, cycle2_headache_days, 84, 84),
    ]
    return _codes(spans, [treatment(D1), treatment(d2)], end=d2 + timedelta(days=end_offset))


def test_insufficient_response_below_a_30_percent_reduction_after_cycle_two():
    alerts = _two_cycles(43)  # 14.33 per 28 against 20: -28.3%
    assert "-28.3%" in alerts["nice_stop_insufficient_response"]


def test_no_insufficient_response_at_exactly_30_percent():
    assert "nice_stop_insufficient_response" not in _two_cycles(42)


def test_no_insufficient_response_before_cycle_two_is_complete():
    assert "nice_stop_insufficient_response" not in _two_cycles(60, end_offset=82)


# nice_stop_episodic ---------------------------------------------------------------------

@pytest.mark.parametrize("third, raised", [(14, True), (15, False)])
def test_episodic_needs_three_full_periods_below_15(third, raised):
    alerts = _codes(_periods(D1, 14, 14, third), [treatment(D1)], end=D1 + timedelta(days=83))
    assert ("nice_stop_episodic" in alerts) is raised


def test_episodic_run_continues_across_cycles_past_a_short_remainder():
    d2 = D1 + timedelta(days=91)
    spans = _periods(D1, 20, 14, 14) + [_span(D1 + timedelta(days=84), 7, 7, 7), _span(d2, 14)]
    alerts = _codes(spans, [treatment(D1), treatment(d2)], end=d2 + timedelta(days=27))
    assert "cycle 2 period 1: 14.0" in alerts["nice_stop_episodic"]


def test_episodic_run_is_broken_by_a_full_incomplete_period():
    d2 = D1 + timedelta(days=84)
    spans = _periods(D1, 14, 0, 14, recorded=[28, 19, 28]) + [_span(d2, 14)]
    alerts = _codes(spans, [treatment(D1), treatment(d2)], end=d2 + timedelta(days=27))
    assert "nice_stop_episodic" not in alerts


# medication_overuse_risk ------------------------------------------------------------------

END = date(2026, 6, 30)
WINDOWS = [END - timedelta(days=28 * w + 27) for w in range(3)]  # first day of each window


def _overuse(per_window, recorded=(28, 28, 28)):
    """per_window: for each window, a list of class tuples, one per medicated day."""
    eps, dd = [], []
    for first, day_classes, n in zip(WINDOWS, per_window, recorded):
        days = days_between(first, first + timedelta(days=27))[:n]
        for d, classes in zip(days, day_classes):
            t = f"{d.isoformat()} 09:00"
            eps.append(episode(f"{d.isoformat()} 08:00", t, meds=[med(t, c) for c in classes]))
        dd += diary(days[len(day_classes):])
    return _codes([(eps, dd)], [], end=END)


@pytest.mark.parametrize(
    "window_days, raised",
    [
        ([("triptan",)] * 10, True),
        ([("triptan",)] * 9, False),
        ([("opioid",)] * 4 + [("ergot",)] * 3 + [("combination_analgesic",)] * 3, True),
        ([("nsaid",)] * 15, True),
        ([("nsaid",)] * 14, False),  # one class only, below 15
        ([("simple_analgesic",)] * 8 + [("nsaid",)] * 6, True),  # two classes, 14 days
        ([("triptan",)] * 5 + [("nsaid",)] * 5, True),
        ([("triptan",)] * 5 + [("nsaid",)] * 4, False),
        ([("triptan", "nsaid")] * 9, False),
        ([("nsaid",)] * 5 + [("other",)] * 5, False),  # other is no overuse class
    ],
)
def test_medication_overuse_thresholds(window_days, raised):
    last_window_at_threshold = _overuse([window_days, [("triptan",)] * 10, [("nsaid",)] * 15])
    assert ("medication_overuse_risk" in last_window_at_threshold) is raised


def test_medication_overuse_needs_all_three_windows_complete():
    days = [("triptan",)] * 10
    assert "medication_overuse_risk" in _overuse([days] * 3, recorded=(28, 28, 20))
    assert "medication_overuse_risk" not in _overuse([days] * 3, recorded=(28, 28, 19))


# wearing_off ------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "p2, p3, raised",
    [
        (10, 13, True),  # +3 and exactly 1.3 times
        (10, 12, False),  # +2 but only 1.2 times
        (4, 6, True),  # exactly +2, 1.5 times
        (5, 6, False),  # +1
    ],
)
def test_wearing_off_thresholds(p2, p3, raised):
    alerts = _codes(_periods(D1, 10, p2, p3), [treatment(D1)], end=D1 + timedelta(days=83))
    assert ("wearing_off" in alerts) is raised
    if raised:
        assert "heuristic" in alerts["wearing_off"]
        assert f"cycle 1: {p2:.1f} in days 29-56, {p3:.1f} in days 57-84" in alerts["wearing_off"]


def test_wearing_off_needs_period_three_complete():
    spans = _periods(D1, 10, 4, 10, recorded=[28, 28, 19])
    assert "wearing_off" not in _codes(spans, [treatment(D1)], end=D1 + timedelta(days=83))


def test_wearing_off_needs_a_complete_cycle():
    spans = _periods(D1, 10, 4, 10)
    assert "wearing_off" not in _codes(spans, [treatment(D1)], end=D1 + timedelta(days=82))


# treatment_due, insufficient_diary --------------------------------------------------------

@pytest.mark.parametrize("days_since, raised", [(84, False), (85, True)])
def test_treatment_due_after_84_days(days_since, raised):
    alerts = _codes([], [treatment(D1)], end=D1 + timedelta(days=days_since))
    assert ("treatment_due" in alerts) is raised


@pytest.mark.parametrize("baseline_recorded, raised", [(19, True), (20, False)])
def test_insufficient_diary_in_baseline(baseline_recorded, raised):
    spans = [_span(D1 - timedelta(days=28), 0, baseline_recorded), _span(D1, 0)]
    alerts = _codes(spans, [treatment(D1)], end=D1 + timedelta(days=27))
    assert ("insufficient_diary" in alerts) is raised


@pytest.mark.parametrize("latest_recorded, raised", [(19, True), (20, False)])
def test_insufficient_diary_in_latest_28_days(latest_recorded, raised):
    alerts = _codes([_span(D1, 3, latest_recorded)], [], end=D1 + timedelta(days=27))
    assert ("insufficient_diary" in alerts) is raised
    if raised:
        assert "19 of 28" in alerts["insufficient_diary"]


def test_alerts_come_in_contract_order():
    eps = [episode("2026-01-01 08:00", None)]
    report = build_report(make_input(eps, (), [treatment(D1 - timedelta(days=100))], end=D1))
    assert [a.code for a in report.alerts] == ["treatment_due", "insufficient_diary", "episode_not_ended"]
