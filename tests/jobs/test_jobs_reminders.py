"""``diary-reminders``: after the local reminder time, once a day, only when nothing is recorded."""
from __future__ import annotations

import logging
from datetime import date

import pytest
from jobs_factories import LONDON, LOS_ANGELES, SYDNEY, local, utc
from sqlalchemy import event

from diary.extensions import db

JOB = "diary-reminders"


@pytest.mark.parametrize("tz", [LONDON, SYDNEY, LOS_ANGELES])
def test_reminder_comes_once_after_the_local_reminder_time(tz, patient_in, data, run):
    patient = patient_in(tz, "20:00")
    assert run(JOB, local("2026-06-15 19:59", tz)) == 0
    assert run(JOB, local("2026-06-15 20:00", tz)) == 1
    assert run(JOB, local("2026-06-15 20:15", tz)) == 0
    assert run(JOB, local("2026-06-15 23:45", tz)) == 0
    [note] = data.notifications(patient)
    assert note.kind == "diary_reminder"
    assert note.dedup_key == "diary_reminder:2026-06-15"
    assert note.data == {"date": "2026-06-15"}
    assert note.title and "2026" in note.body
    assert note.read_at is None


def test_the_local_date_is_the_patients_not_utcs(patient_in, data, run):
    patient = patient_in(LOS_ANGELES, "20:00")
    now = utc("2026-06-16 03:30")  # 20:30 on the 15th in Los Angeles
    assert run(JOB, now) == 1
    assert data.notifications(patient)[0].data == {"date": "2026-06-15"}


def test_each_day_gets_its_own_reminder(patient_in, data, run):
    patient = patient_in(SYDNEY, "08:00")
    for day in ("2026-06-15", "2026-06-16"):
        assert run(JOB, local(f"{day} 09:00", SYDNEY)) == 1
    assert [n.data["date"] for n in data.notifications(patient)] == ["2026-06-15", "2026-06-16"]


@pytest.mark.parametrize("tz, day, wall, before, fires", [
    # Spring forward: 02:00 -> 03:00 in Los Angeles, 01:00 -> 02:00 in London. The skipped
    # time is read with the offset before the change: it falls an hour later, once.
    (LOS_ANGELES, "2026-03-08", "02:30", "2026-03-08 10:29", "2026-03-08 10:30"),
    (LONDON, "2026-03-29", "01:30", "2026-03-29 01:29", "2026-03-29 01:30"),
    # Sydney springs forward 02:00 -> 03:00 on 4 October 2026.
    (SYDNEY, "2026-10-04", "02:30", "2026-10-03 16:29", "2026-10-03 16:30"),
])
def test_a_reminder_time_skipped_by_a_spring_forward_still_comes_once(
        tz, day, wall, before, fires, patient_in, data, run):
    patient = patient_in(tz, wall)
    assert run(JOB, utc(before)) == 0
    assert run(JOB, utc(fires)) == 1
    assert run(JOB, local(f"{day} 23:00", tz)) == 0
    [note] = data.notifications(patient)
    assert note.data == {"date": day}


def test_a_reminder_time_that_occurs_twice_in_autumn_comes_at_the_first(patient_in, data, run):
    patient = patient_in(LOS_ANGELES, "01:30")  # 1 November 2026: 01:00-02:00 happens twice
    assert run(JOB, utc("2026-11-01 08:29")) == 0
    assert run(JOB, utc("2026-11-01 08:30")) == 1  # 01:30 PDT
    assert run(JOB, utc("2026-11-01 09:30")) == 0  # 01:30 PST, the second time
    assert len(data.notifications(patient)) == 1


def test_a_reminder_just_before_midnight_is_caught_up_just_after(patient_in, data, run):
    patient = patient_in(LONDON, "23:50")
    assert run(JOB, local("2026-06-15 23:45", LONDON)) == 0
    assert run(JOB, local("2026-06-16 00:00", LONDON)) == 1
    assert data.notifications(patient)[0].data == {"date": "2026-06-15"}


def test_yesterdays_reminder_is_not_sent_hours_late(patient_in, data, run):
    patient_in(LONDON, "23:00")
    assert run(JOB, local("2026-06-16 02:00", LONDON)) == 0


def test_a_diary_day_for_today_means_no_reminder(patient_in, data, run):
    patient = patient_in(LONDON)
    data.diary_day(patient, date(2026, 6, 15))
    data.diary_day(patient, date(2026, 6, 14))
    assert run(JOB, local("2026-06-15 21:00", LONDON)) == 0
    assert run(JOB, local("2026-06-16 21:00", LONDON)) == 1


def test_a_deleted_diary_day_does_not_count(patient_in, data, run):
    patient = patient_in(LONDON)
    data.diary_day(patient, date(2026, 6, 15), deleted=True)
    assert run(JOB, local("2026-06-15 21:00", LONDON)) == 1


@pytest.mark.parametrize("start, end, recorded", [
    ("2026-06-14 22:00", "2026-06-15 02:00", True),   # began yesterday evening
    ("2026-06-15 08:00", "2026-06-15 09:00", True),
    ("2026-06-15 08:00", "2026-06-15 08:00", True),   # an instant still records its day
    ("2026-06-14 18:00", "2026-06-14 23:00", False),  # yesterday only
    ("2026-06-14 22:00", "2026-06-15 00:00", False),  # ends exactly at midnight
    ("2026-06-14 22:00", None, True),                 # still going on
    ("2026-06-11 22:00", None, False),                # open > 72 h: counted up to 72 h only
])
def test_an_episode_overlapping_the_local_date_means_no_reminder(start, end, recorded,
                                                                  patient_in, data, run):
    patient = patient_in(LONDON)
    data.episode(patient, local(start, LONDON), end and local(end, LONDON))
    assert run(JOB, local("2026-06-15 21:00", LONDON)) == (0 if recorded else 1)


def test_an_episodes_days_are_those_of_its_own_time_zone(patient_in, data, run):
    patient = patient_in(LONDON)
    # 15 June 09:00-10:00 in Sydney is still 14 June in London, but it records the 15th,
    # as the reports count it.
    data.episode(patient, local("2026-06-15 09:00", SYDNEY), local("2026-06-15 10:00", SYDNEY),
                 tz=SYDNEY)
    assert run(JOB, local("2026-06-15 21:00", LONDON)) == 0


def test_a_deleted_episode_does_not_count(patient_in, data, run):
    patient = patient_in(LONDON)
    data.episode(patient, local("2026-06-15 08:00", LONDON), local("2026-06-15 12:00", LONDON),
                 deleted=True)
    assert run(JOB, local("2026-06-15 21:00", LONDON)) == 1


def test_a_medicine_taken_today_means_no_reminder(patient_in, data, run):
    patient = patient_in(LONDON)
    data.episode(patient, local("2026-06-14 20:00", LONDON), local("2026-06-14 23:00", LONDON),
                 taken=[local("2026-06-15 00:30", LONDON)])
    assert run(JOB, local("2026-06-15 21:00", LONDON)) == 0


def test_no_reminder_when_disabled_inactive_or_for_clinicians(patient_in, make_user, data, run):
    patient_in(LONDON, reminders_enabled=False)
    patient_in(LONDON, is_active=False)
    clinician = make_user("clinician")
    assert run(JOB, local("2026-06-15 21:00", LONDON)) == 0
    assert data.notifications(clinician) == []


def test_another_patients_records_do_not_count(patient_in, data, run):
    recorded, other = patient_in(LONDON), patient_in(LONDON)
    data.diary_day(recorded, date(2026, 6, 15))
    assert run(JOB, local("2026-06-15 21:00", LONDON)) == 1
    assert len(data.notifications(other)) == 1 and data.notifications(recorded) == []


def test_one_patients_failure_does_not_stop_the_others(patient_in, data, run, monkeypatch,
                                                       caplog):
    from diary.jobs import reminders

    broken_zone = patient_in(LONDON)
    data.user(broken_zone, timezone="Not/AZone")  # bypasses validation, as a bad row would
    failing, fine = patient_in(LONDON), patient_in(LONDON)
    real_notify = reminders.notify

    def notify(user_id, *args, **kwargs):
        if user_id == failing.id:
            raise RuntimeError("push gateway exploded")
        return real_notify(user_id, *args, **kwargs)

    monkeypatch.setattr(reminders, "notify", notify)
    with caplog.at_level(logging.ERROR):
        assert run(JOB, local("2026-06-15 21:00", LONDON)) == 1
    assert len(data.notifications(fine)) == 1
    assert data.notifications(failing) == []
    assert str(failing.id) in caplog.text and str(broken_zone.id) in caplog.text


def test_queries_do_not_grow_with_the_number_of_patients(app, patient_in, data, run):
    day = date(2026, 6, 15)

    def statements_with(more_patients: int) -> int:
        for _ in range(more_patients):
            p = patient_in(LONDON)
            data.diary_day(p, day)  # recorded: no writes, only the reads are counted
            data.episode(p, local(f"{day} 08:00", LONDON), local(f"{day} 09:00", LONDON),
                         taken=[local(f"{day} 08:30", LONDON)])
        seen = []
        with app.app_context():
            listen = lambda *args: seen.append(args[2])  # noqa: E731 (statement text)
            event.listen(db.engine, "before_cursor_execute", listen)
            try:
                assert run(JOB, local(f"{day} 21:00", LONDON)) == 0
            finally:
                event.remove(db.engine, "before_cursor_execute", listen)
        return len(seen)

    assert statements_with(2) == statements_with(6)
