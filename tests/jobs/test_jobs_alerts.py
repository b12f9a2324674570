"""``refresh-alerts``: open_alerts follows the reports engine; linked clinicians hear of each
newly raised alert once."""
from __future__ import annotations

import logging
from datetime import date, timedelta

import pytest
from jobs_factories import LONDON, LOS_ANGELES, local

JOB = "refresh-alerts"
NOW = local("2026-06-15 03:00", LONDON)


def record_latest_28_days(data, patient, today: date) -> None:
    for i in range(28):
        data.diary_day(patient, today - timedelta(days=i))


def test_first_run_tells_linked_clinicians_of_every_open_alert(patient_in, make_user, data, run):
    patient = patient_in(LONDON)
    linked, unlinked, withdrawn = (make_user("clinician") for _ in range(3))
    data.link(patient, linked)
    data.link(patient, withdrawn)
    data.unlink(patient, withdrawn)
    assert run(JOB, NOW) == 1  # an empty diary: insufficient_diary
    [note] = data.notifications(linked)
    assert note.kind == "patient_alert"
    assert note.data == {"patient_id": str(patient.id), "code": "insufficient_diary"}
    assert note.dedup_key.startswith(f"patient_alert:{patient.id}:insufficient_diary:")
    assert patient.display_name in note.body
    assert data.notifications(unlinked) == data.notifications(withdrawn) == []
    assert data.notifications(patient) == []
    stored = data.open_alerts(patient)
    assert set(stored) == {"insufficient_diary"}
    assert stored["insufficient_diary"].raised_at == stored["insufficient_diary"].checked_at == NOW


def test_a_rerun_notifies_nothing_but_refreshes_detail_and_checked_at(patient_in, make_user,
                                                                       data, run):
    patient, clinician = patient_in(LONDON), make_user("clinician")
    data.link(patient, clinician)
    assert run(JOB, NOW) == 1
    first = data.open_alerts(patient)["insufficient_diary"]
    later = NOW + timedelta(days=1)
    data.diary_day(patient, date(2026, 6, 16))  # the detail's count of recorded days changes
    assert run(JOB, NOW) == 0
    assert run(JOB, later) == 0
    again = data.open_alerts(patient)["insufficient_diary"]
    assert again.raised_at == first.raised_at and again.checked_at == later
    assert again.detail != first.detail and "1 of 28" in again.detail
    assert len(data.notifications(clinician)) == 1


def test_a_resolved_alert_raised_again_notifies_again(patient_in, make_user, data, run):
    patient, clinician = patient_in(LONDON), make_user("clinician")
    data.link(patient, clinician)
    assert run(JOB, NOW) == 1
    record_latest_28_days(data, patient, date(2026, 6, 15))
    assert run(JOB, NOW + timedelta(hours=1)) == 0
    assert data.open_alerts(patient) == {}
    assert run(JOB, NOW + timedelta(days=30)) == 1  # the diary has lapsed again
    assert run(JOB, NOW + timedelta(days=30, hours=1)) == 0
    notes = data.notifications(clinician)
    assert [n.data["code"] for n in notes] == ["insufficient_diary"] * 2
    assert len({n.dedup_key for n in notes}) == 2


def test_alerts_are_judged_as_of_the_patients_local_today(patient_in, make_user, data, run):
    patient, clinician = patient_in(LOS_ANGELES), make_user("clinician")
    data.link(patient, clinician)
    record_latest_28_days(data, patient, date(2026, 6, 14))
    record_latest_28_days(data, patient, date(2026, 3, 21))  # the baseline
    data.treatment(patient, date(2026, 3, 22))  # 84 days before 14 June: not yet overdue
    # 03:00 on 15 June in London is still 14 June in Los Angeles.
    assert run(JOB, NOW) == 0
    assert "treatment_due" not in data.open_alerts(patient)
    data.diary_day(patient, date(2026, 6, 15))
    assert run(JOB, local("2026-06-15 12:00", LOS_ANGELES)) == 1
    assert set(data.open_alerts(patient)) == {"treatment_due"}
    assert data.notifications(clinician)[0].data["code"] == "treatment_due"


def test_a_clinician_linked_to_several_patients_hears_of_each(patient_in, make_user, data, run):
    clinician = make_user("clinician")
    patients = [patient_in(LONDON) for _ in range(3)]
    for patient in patients:
        data.link(patient, clinician)
    assert run(JOB, NOW) == 3
    assert {n.data["patient_id"] for n in data.notifications(clinician)} == {
        str(p.id) for p in patients}


@pytest.fixture
def failing_and_fine(patient_in, make_user, data):
    """Two patients with an open alert each, linked to one clinician."""
    failing, fine = patient_in(LONDON), patient_in(LONDON)
    clinician = make_user("clinician")
    data.link(failing, clinician)
    data.link(fine, clinician)
    return failing, fine, clinician


def test_one_patients_failure_does_not_stop_the_others(failing_and_fine, data, run, monkeypatch,
                                                       caplog):
    from diary.jobs import alerts

    failing, fine, clinician = failing_and_fine
    real = alerts.build_report

    def build_report(inp):
        if inp.patient.id == str(failing.id):
            raise ValueError("corrupt diary")
        return real(inp)

    monkeypatch.setattr(alerts, "build_report", build_report)
    with caplog.at_level(logging.ERROR):
        assert run(JOB, NOW) == 1
    assert data.notifications(clinician)[0].data["patient_id"] == str(fine.id)
    assert data.open_alerts(failing) == {}
    assert str(failing.id) in caplog.text
    monkeypatch.setattr(alerts, "build_report", real)
    assert run(JOB, NOW + timedelta(hours=1)) == 1  # caught up on the next run


def test_a_failure_while_storing_is_undone_for_that_patient_only(failing_and_fine, data, run,
                                                                  monkeypatch):
    from diary.jobs import alerts

    failing, fine, _ = failing_and_fine
    real = alerts.notify

    def notify(user_id, kind, dedup_key, *args, **kwargs):
        if str(failing.id) in dedup_key:
            raise RuntimeError("boom")
        return real(user_id, kind, dedup_key, *args, **kwargs)

    monkeypatch.setattr(alerts, "notify", notify)
    assert run(JOB, NOW) == 1
    assert data.open_alerts(failing) == {}  # rolled back with its savepoint: retried next run
    assert set(data.open_alerts(fine)) == {"insufficient_diary"}
