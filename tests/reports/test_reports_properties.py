"""Properties that hold for any diary: bounds, additivity of months, zone independence."""

from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diary.reports import build_report
from diary.reports.records import FEATURES, MEDICATION_CLASSES
from reports_factories import at, diary, episode, make_input, med, metrics, treatment

FIRST = datetime(2026, 1, 1)
SPAN_DAYS = 120
END = date(2026, 4, 30)
DST_ZONES = ["Europe/London", "Australia/Sydney", "America/New_York"]
FIXED_ZONES = ["UTC", "Asia/Tokyo", "Asia/Kolkata", "America/Phoenix", "Pacific/Kiritimati", "Etc/GMT+11"]

_episode = st.fixed_dictionaries(
    {
        # Minutes after FIRST, local wall time; whole hours often, so that episodes touch
        # each other and midnight.
        "start": st.integers(0, SPAN_DAYS * 24 * 60) | st.integers(0, SPAN_DAYS * 24).map(lambda h: h * 60),
        "minutes": st.integers(0, 600) | st.integers(0, 80 * 60) | st.integers(0, 30).map(lambda h: h * 60),
        "ongoing": st.integers(0, 9).map(lambda x: x == 0),
        "severity": st.integers(1, 3),
        "features": st.frozensets(st.sampled_from(sorted(FEATURES))),
        "meds": st.lists(st.tuples(st.integers(-120, 600), st.sampled_from(sorted(MEDICATION_CLASSES))), max_size=2),
    }
)
_diary = st.fixed_dictionaries(
    {
        "episodes": st.lists(_episode, max_size=25),
        "diary": st.sets(st.integers(0, SPAN_DAYS - 1), max_size=SPAN_DAYS),
        "treatments": st.sets(st.integers(0, SPAN_DAYS - 1), max_size=3),
        "rule": st.sampled_from(["preempt", "ihs"]),
        "now_hours": st.integers(0, 24 * 40),  # after the start of the report's last day
    }
)


def _input(d, tz):
    eps = []
    for i, e in enumerate(d["episodes"]):
        start = FIRST + timedelta(minutes=e["start"])
        end = None if e["ongoing"] else start + timedelta(minutes=e["minutes"])
        meds = [med(start + timedelta(minutes=m), c, tz=tz) for m, c in e["meds"]]
        eps.append(episode(start, end, tz=tz, severity=e["severity"], features=tuple(e["features"]),
                           meds=meds, id=f"ep-{i}"))
    days = diary(FIRST.date() + timedelta(days=i) for i in sorted(d["diary"]))
    trs = [treatment(FIRST.date() + timedelta(days=i)) for i in sorted(d["treatments"])]
    now = at(datetime(END.year, END.month, END.day) + timedelta(hours=d["now_hours"]), tz)
    return make_input(eps, days, trs, end=END, rule=d["rule"], now=now, tz=tz)


def _all_metrics(report):
    yield report.latest_28d
    if report.baseline:
        yield report.baseline
    for c in report.cycles:
        yield from (c.before, c.after, *c.periods)
    for m in report.months:
        yield m.metrics


_settings = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_settings
@given(_diary, st.sampled_from(DST_ZONES + FIXED_ZONES))
def test_counts_are_bounded_by_each_other(d, tz):
    for m in _all_metrics(build_report(_input(d, tz))):
        assert 0 <= m.headache_days <= m.days_recorded <= m.days
        assert m.migraine_days <= m.headache_days
        assert m.moderate_severe_days <= m.headache_days
        assert m.triptan_days <= m.acute_medication_days <= m.days_recorded
        assert 0 <= m.headache_hours <= 24 * m.days + 1


@_settings
@given(_diary, st.sampled_from(DST_ZONES + FIXED_ZONES))
def test_months_add_up_to_the_whole_span(d, tz):
    inp = _input(d, tz)
    report = build_report(inp)
    whole = metrics(inp, report.start, report.end)
    months = [m.metrics for m in report.months]
    assert sum(m.days for m in months) == whole.days
    assert sum(m.headache_days for m in months) == whole.headache_days
    assert sum(m.days_recorded for m in months) == whole.days_recorded
    assert sum(m.headache_hours for m in months) == pytest.approx(whole.headache_hours, abs=1e-9)


@_settings
@given(_diary, st.sampled_from(FIXED_ZONES), st.sampled_from(FIXED_ZONES))
def test_same_local_diary_in_another_zone_gives_the_same_report(d, tz_a, tz_b):
    a, b = build_report(_input(d, tz_a)), build_report(_input(d, tz_b))
    assert list(_all_metrics(a)) == list(_all_metrics(b))
    assert [c.change_from_baseline for c in a.cycles] == [c.change_from_baseline for c in b.cycles]
    assert [x.code for x in a.alerts] == [x.code for x in b.alerts]
