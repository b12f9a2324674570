"""Per-day facts: continuous minutes, midnight, DST, merging, ongoing episodes, recording."""

from datetime import date, datetime, timedelta

import pytest

from diary.reports import build_report
from reports_factories import at, diary, episode, make_input, med, metrics

D = date(2026, 2, 10)
END = date(2026, 12, 31)


def _one_day(episodes, day=D, rule="preempt", **kw):
    return metrics(make_input(episodes, end=END, rule=rule, **kw), day)


@pytest.mark.parametrize("minutes, is_headache_day", [(239, False), (240, True), (241, True)])
def test_preempt_needs_240_continuous_minutes(minutes, is_headache_day):
    start = datetime(2026, 2, 10, 10)
    m = _one_day([episode(start, start + timedelta(minutes=minutes))])
    assert m.headache_days == int(is_headache_day)
    assert m.headache_hours == pytest.approx(minutes / 60)


def test_headache_crossing_midnight_is_split_at_local_midnight():
    inp = make_input([episode("2026-02-10 22:00", "2026-02-11 04:00")], end=END)
    first, second = metrics(inp, D), metrics(inp, D + timedelta(days=1))
    assert (first.headache_hours, first.headache_days) == (2.0, 0)
    assert (second.headache_hours, second.headache_days) == (4.0, 1)
    ihs = make_input([episode("2026-02-10 22:00", "2026-02-11 04:00")], end=END, rule="ihs")
    assert metrics(ihs, D, D + timedelta(days=1)).headache_days == 2


@pytest.mark.parametrize(
    "tz, day, hours",
    [
        ("Europe/London", date(2026, 3, 29), 23),
        ("Europe/London", date(2026, 10, 25), 25),
        ("Australia/Sydney", date(2026, 4, 5), 25),
        ("Australia/Sydney", date(2026, 10, 4), 23),
        # Chile changes its clocks at midnight: 00:00 is skipped in September, and 23:00-24:00
        # on the Saturday happens twice in April.
        ("America/Santiago", date(2026, 9, 6), 23),
        ("America/Santiago", date(2026, 4, 4), 25),
    ],
)
def test_daylight_saving_day_counts_its_real_hours(tz, day, hours):
    start = datetime(day.year, day.month, day.day)
    m = _one_day([episode(start, start + timedelta(days=1), tz=tz)], day=day, tz=tz)
    assert m.headache_hours == hours
    assert m.days_recorded == 1


@pytest.mark.parametrize(
    "tz, day, is_headache_day",
    [
        # 00:00-04:00 on the wall is 3 real hours when clocks go forward, 5 when back.
        ("Europe/London", date(2026, 3, 29), False),
        ("Europe/London", date(2026, 10, 25), True),
        ("Australia/Sydney", date(2026, 10, 4), False),
        ("Australia/Sydney", date(2026, 4, 5), True),
    ],
)
def test_wall_clock_four_hours_on_a_dst_day_is_judged_on_elapsed_minutes(tz, day, is_headache_day):
    start = datetime(day.year, day.month, day.day)
    m = _one_day([episode(start, start + timedelta(hours=4), tz=tz)], day=day, tz=tz)
    assert m.headache_days == int(is_headache_day)


def test_two_three_hour_headaches_make_an_ihs_day_but_not_a_preempt_day():
    eps = [episode("2026-02-10 08:00", "2026-02-10 11:00"), episode("2026-02-10 14:00", "2026-02-10 17:00")]
    assert _one_day(eps).headache_days == 0
    assert _one_day(eps, rule="ihs").headache_days == 1
    assert _one_day(eps).headache_hours == 6.0


@pytest.mark.parametrize("minutes, is_headache_day", [(29, False), (30, True)])
def test_ihs_needs_30_minutes_in_total(minutes, is_headache_day):
    start = datetime(2026, 2, 10, 10)
    m = _one_day([episode(start, start + timedelta(minutes=minutes))], rule="ihs")
    assert m.headache_days == int(is_headache_day)


@pytest.mark.parametrize("drug_class", ["nsaid", "other"])
def test_ihs_counts_any_headache_treated_with_acute_medication(drug_class):
    ep = episode("2026-02-10 10:00", "2026-02-10 10:05", meds=[med("2026-02-10 10:01", drug_class)])
    m = _one_day([ep], rule="ihs")
    assert (m.headache_days, m.acute_medication_days) == (1, 1)


def test_overlapping_episodes_are_merged_before_counting():
    eps = [episode("2026-02-10 08:00", "2026-02-10 10:30"), episode("2026-02-10 10:00", "2026-02-10 12:00")]
    m = _one_day(eps)
    assert m.headache_hours == 4.0
    assert m.headache_days == 1


def test_touching_episodes_are_one_continuous_headache():
    eps = [episode("2026-02-10 08:00", "2026-02-10 10:00"), episode("2026-02-10 10:00", "2026-02-10 12:00")]
    assert _one_day(eps).headache_days == 1


def test_a_one_minute_gap_breaks_continuity():
    eps = [episode("2026-02-10 08:00", "2026-02-10 10:00"), episode("2026-02-10 10:01", "2026-02-10 12:01")]
    m = _one_day(eps)
    assert (m.headache_days, m.headache_hours) == (0, 4.0)


def test_merged_episodes_from_two_zones_are_split_by_the_earliest_episodes_zone():
    # London 22:00-23:30 GMT, then Tokyo 08:00-12:00 JST (23:00-03:00 UTC): one headache
    # 22:00-03:00 London time, so 2 h on the 10th and 3 h on the 11th.
    eps = [
        episode("2026-02-10 22:00", "2026-02-10 23:30"),
        episode("2026-02-11 08:00", "2026-02-11 12:00", tz="Asia/Tokyo"),
    ]
    inp = make_input(eps, end=END)
    assert metrics(inp, D).headache_hours == 2.0
    assert metrics(inp, D + timedelta(days=1)).headache_hours == 3.0


def test_ongoing_episode_counts_to_now():
    inp = make_input([episode("2026-02-10 08:00", None)], end=D, now=at("2026-02-10 13:00"))
    assert metrics(inp, D).headache_hours == 5.0
    assert "episode_not_ended" not in [a.code for a in build_report(inp).alerts]


def test_ongoing_episode_is_capped_at_72_hours_and_raises_an_alert():
    inp = make_input([episode("2026-02-10 08:00", None)], diary([D]), end=D + timedelta(days=5),
                     now=at("2026-02-15 08:00"))
    m = metrics(inp, D, D + timedelta(days=5))
    assert m.headache_hours == 72.0
    assert m.days_recorded == 4  # the 10th to the 13th; nothing after the cap
    report = build_report(inp)
    alert = [a for a in report.alerts if a.code == "episode_not_ended"]
    assert len(alert) == 1 and "2026-02-10T08:00" in alert[0].detail


def test_ongoing_episode_at_exactly_72_hours_raises_no_alert():
    inp = make_input([episode("2026-02-10 08:00", None)], end=D + timedelta(days=5),
                     now=at("2026-02-13 08:00"))
    assert "episode_not_ended" not in [a.code for a in build_report(inp).alerts]
    assert metrics(inp, D, D + timedelta(days=5)).headache_hours == 72.0


def test_a_medicine_alone_records_its_day():
    ep = episode("2026-02-09 20:00", "2026-02-09 21:00", meds=[med("2026-02-10 07:00", "triptan")])
    m = _one_day([ep])
    assert (m.days_recorded, m.headache_days, m.acute_medication_days, m.triptan_days) == (1, 0, 1, 1)


def test_medication_day_is_local_to_the_episodes_zone():
    # 23:30 UTC is already the next day in Tokyo.
    ep = episode("2026-02-11 08:00", "2026-02-11 09:00", tz="Asia/Tokyo",
                 meds=[med("2026-02-11 08:30", "nsaid", tz="Asia/Tokyo")])
    inp = make_input([ep], end=END)
    assert metrics(inp, D + timedelta(days=1)).acute_medication_days == 1
    assert metrics(inp, D).acute_medication_days == 0


def test_diary_entry_records_a_day_without_headache_either_way():
    inp = make_input([], diary([D], headache_free=False) + diary([D + timedelta(days=1)]), end=END)
    m = metrics(inp, D, D + timedelta(days=2))
    assert (m.days, m.days_recorded, m.headache_days) == (3, 2, 0)


def test_data_after_the_end_day_is_ignored():
    eps = [
        episode("2026-02-10 22:00", "2026-02-11 06:00"),
        episode("2026-02-11 09:00", "2026-02-11 10:00", meds=[med("2026-02-11 09:00", "triptan")]),
    ]
    inp = make_input(eps, diary([D + timedelta(days=1)]), end=D)
    m = metrics(inp, D, D + timedelta(days=1))
    assert (m.headache_hours, m.days_recorded, m.acute_medication_days) == (2.0, 1, 0)
    # Ended only after the report's end: not an ended episode as of that day.
    assert m.mean_episode_hours is None


@pytest.mark.parametrize(
    "features, severity, migraine",
    [
        ((), 1, False),
        (("aura",), 1, True),
        (("unilateral",), 1, False),
        (("unilateral",), 2, True),
        (("pulsating", "worse_with_activity"), 1, True),
        (("nausea",), 1, True),
        (("vomiting",), 1, True),
        (("photophobia",), 1, False),
        (("photophobia", "phonophobia"), 1, True),
    ],
)
def test_migraine_day_needs_a_migraine_like_episode(features, severity, migraine):
    m = _one_day([episode("2026-02-10 08:00", "2026-02-10 13:00", severity=severity, features=features)])
    assert (m.headache_days, m.migraine_days) == (1, int(migraine))


@pytest.mark.parametrize("drug_class, migraine", [("triptan", True), ("ergot", True), ("nsaid", False)])
def test_triptan_or_ergot_makes_a_headache_day_a_migraine_day(drug_class, migraine):
    ep = episode("2026-02-10 08:00", "2026-02-10 13:00", meds=[med("2026-02-10 09:00", drug_class)])
    assert _one_day([ep]).migraine_days == int(migraine)


def test_migraine_and_severity_need_a_headache_day():
    ep = episode("2026-02-10 08:00", "2026-02-10 09:00", severity=3, features=("aura",),
                 meds=[med("2026-02-10 08:10", "triptan")])
    m = _one_day([ep])
    assert (m.headache_days, m.migraine_days, m.moderate_severe_days, m.triptan_days) == (0, 0, 0, 1)


@pytest.mark.parametrize("severity, counted", [(1, 0), (2, 1), (3, 1)])
def test_moderate_severe_day_needs_peak_severity_two_or_three(severity, counted):
    m = _one_day([episode("2026-02-10 08:00", "2026-02-10 13:00", severity=severity)])
    assert m.moderate_severe_days == counted


def test_short_severe_episode_on_a_headache_day_makes_it_moderate_severe():
    eps = [episode("2026-02-10 08:00", "2026-02-10 13:00", severity=1),
           episode("2026-02-10 20:00", "2026-02-10 20:30", severity=3)]
    assert _one_day(eps).moderate_severe_days == 1


def test_unknown_rule_is_rejected():
    with pytest.raises(ValueError, match="rule"):
        build_report(make_input([], end=END, rule="whatever"))


def test_features_of_a_merged_episode_from_another_zone_count_on_the_merged_day():
    # 19:00-23:30 London (a headache day), then an aura episode at 08:00 Tokyo = 23:00 UTC:
    # merged, it belongs to London's 10th, not Tokyo's 11th.
    eps = [
        episode("2026-02-10 19:00", "2026-02-10 23:30"),
        episode("2026-02-11 08:00", "2026-02-11 08:20", tz="Asia/Tokyo", severity=3, features=("aura",)),
    ]
    inp = make_input(eps, end=END)
    m = metrics(inp, D)
    assert (m.headache_days, m.migraine_days, m.moderate_severe_days) == (1, 1, 1)
    assert metrics(inp, D + timedelta(days=1)).days_recorded == 0


def test_instant_long_episode_touching_a_headache_at_midnight_records_the_next_day():
    eps = [episode("2026-02-10 20:00", "2026-02-11 00:00"),
           episode("2026-02-11 00:00", "2026-02-11 00:00", severity=3)]
    inp = make_input(eps, end=END)
    m = metrics(inp, D + timedelta(days=1))
    assert (m.days_recorded, m.headache_hours) == (1, 0.0)
    assert metrics(inp, D).headache_hours == 4.0
