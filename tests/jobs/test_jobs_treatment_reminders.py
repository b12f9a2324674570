"""``treatment-reminders``: 77 days after the latest treatment, once, in the patient's time zone."""
from __future__ import annotations

from datetime import date

from jobs_factories import LONDON, SYDNEY, local, utc

JOB = "treatment-reminders"


def test_injection_reminder_on_day_77_not_76_and_only_once(patient_in, data, run):
    patient = patient_in(LONDON)
    treatment_id = data.treatment(patient, date(2026, 1, 1))
    assert run(JOB, local("2026-03-18 23:59", LONDON)) == 0  # day 76
    assert run(JOB, local("2026-03-19 00:00", LONDON)) == 1  # day 77
    assert run(JOB, local("2026-03-19 01:00", LONDON)) == 0
    assert run(JOB, local("2026-04-10 12:00", LONDON)) == 0
    [note] = data.notifications(patient)
    assert note.kind == "injection_due"
    assert note.dedup_key == f"injection_due:{treatment_id}"
    assert note.title == "Time to book your next injection"
    assert note.data == {"treatment_id": str(treatment_id), "administered_on": "2026-01-01",
                         "next_due_on": "2026-03-26"}


def test_day_77_is_counted_in_the_patients_time_zone(patient_in, data, run):
    patient = patient_in(SYDNEY)
    data.treatment(patient, date(2026, 1, 1))
    # 19 March 00:30 in Sydney is still 18 March in UTC.
    assert run(JOB, local("2026-03-18 23:30", SYDNEY)) == 0
    assert run(JOB, utc("2026-03-18 13:30")) == 1
    assert len(data.notifications(patient)) == 1


def test_only_the_latest_treatment_counts(patient_in, data, run):
    patient = patient_in(LONDON)
    data.treatment(patient, date(2026, 1, 1))
    data.treatment(patient, date(2026, 3, 10))
    assert run(JOB, local("2026-03-19 12:00", LONDON)) == 0
    assert run(JOB, local("2026-05-26 12:00", LONDON)) == 1  # day 77 of the second one
    assert data.notifications(patient)[0].data["administered_on"] == "2026-03-10"


def test_a_later_treatment_recorded_after_the_reminder_starts_afresh(patient_in, data, run):
    patient = patient_in(LONDON)
    data.treatment(patient, date(2026, 1, 1))
    assert run(JOB, local("2026-03-19 12:00", LONDON)) == 1
    data.treatment(patient, date(2026, 3, 25))
    assert run(JOB, local("2026-03-26 12:00", LONDON)) == 0
    assert run(JOB, local("2026-06-10 12:00", LONDON)) == 1
    assert len(data.notifications(patient)) == 2


def test_deleted_treatments_do_not_count(patient_in, data, run):
    only_deleted = patient_in(LONDON)
    data.treatment(only_deleted, date(2026, 1, 1), deleted=True)
    latest_deleted = patient_in(LONDON)
    earlier = data.treatment(latest_deleted, date(2025, 12, 1))
    data.treatment(latest_deleted, date(2026, 3, 1), deleted=True)
    assert run(JOB, local("2026-03-19 12:00", LONDON)) == 1
    assert data.notifications(only_deleted) == []
    assert data.notifications(latest_deleted)[0].data["treatment_id"] == str(earlier)


def test_no_injection_reminder_without_treatments_or_for_inactive_patients(patient_in, data, run):
    patient_in(LONDON)
    inactive = patient_in(LONDON, is_active=False)
    data.treatment(inactive, date(2026, 1, 1))
    assert run(JOB, local("2026-03-19 12:00", LONDON)) == 0


def test_two_treatments_on_the_latest_date_give_one_reminder(patient_in, data, run):
    patient = patient_in(LONDON)
    data.treatment(patient, date(2026, 1, 1))
    data.treatment(patient, date(2026, 1, 1))
    assert run(JOB, local("2026-03-19 12:00", LONDON)) == 1
    assert len(data.notifications(patient)) == 1
