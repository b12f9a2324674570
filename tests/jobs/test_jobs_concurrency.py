"""Never twice: jobs run again, or by two workers at once, write each notification once."""
from __future__ import annotations

import threading
from datetime import date

import pytest
from jobs_factories import LONDON, local

from diary.extensions import db
from diary.jobs.alerts import run_refresh_alerts
from diary.jobs.reminders import run_diary_reminders, run_treatment_reminders
from diary.services.notifications import notify
from diary.transactions import transaction

NOW = local("2026-06-15 21:00", LONDON)
NAMES = ("diary-reminders", "treatment-reminders", "refresh-alerts", "cleanup")
# What the world below gets: a reminder and an injection_due each, and for the clinician
# two alerts per patient (an empty diary, and a treatment over 84 days ago).
EXPECTED = {"diary-reminders": 4, "treatment-reminders": 4, "refresh-alerts": 8, "cleanup": 0}


@pytest.fixture
def world(patient_in, make_user, data):
    """Patients due for every kind of notification, and a linked clinician."""
    clinician = make_user("clinician")
    patients = [patient_in(LONDON) for _ in range(4)]
    for patient in patients:
        data.treatment(patient, date(2026, 3, 1))
        data.link(patient, clinician)
    return patients, clinician


def in_threads(app, work, n: int = 2) -> list:
    """Run ``work()`` in ``n`` threads at once, each with its own app context (session)."""
    start, results, errors = threading.Barrier(n), [], []

    def worker():
        with app.app_context():
            try:
                start.wait()
                results.append(work())
            except BaseException as exc:  # reported in the test's thread
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    return results


def test_every_job_run_twice_writes_nothing_the_second_time(world, data, run):
    assert {name: run(name, NOW) for name in NAMES} == EXPECTED
    assert {name: run(name, NOW) for name in NAMES} == dict.fromkeys(NAMES, 0)
    assert len(data.notifications()) == 16


@pytest.mark.parametrize("name", NAMES)
def test_two_schedulers_running_a_job_at_once_write_each_notification_once(app, world, data,
                                                                           name):
    from diary.jobs.registry import run_job

    counts = in_threads(app, lambda: run_job(name, NOW))
    assert sorted(counts) == [0, EXPECTED[name]]
    assert len(data.notifications()) == EXPECTED[name]


@pytest.mark.parametrize("name, job", [("diary-reminders", run_diary_reminders),
                                       ("treatment-reminders", run_treatment_reminders),
                                       ("refresh-alerts", run_refresh_alerts)])
def test_the_unique_key_alone_keeps_racing_runs_from_writing_twice(app, world, data, name, job):
    """Without the registry's turn-taking (each thread its own plain transaction)."""

    def work():
        with transaction():
            return job(NOW)

    counts = in_threads(app, work)
    assert sum(counts) == EXPECTED[name]
    assert len(data.notifications()) == EXPECTED[name]


def test_notify_waits_for_a_racing_insert_of_the_same_key_and_then_does_nothing(app, patient, data):
    inserted, results = threading.Event(), {}

    def first():
        with app.app_context(), transaction():
            results["first"] = notify(patient.id, "diary_reminder", "k", "t", now=NOW)
            inserted.set()
            threading.Event().wait(0.3)  # hold the uncommitted row while the other tries

    def second():
        inserted.wait(10)
        with app.app_context(), transaction():
            results["second"] = notify(patient.id, "diary_reminder", "k", "t", now=NOW)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert results == {"first": True, "second": False}
    assert len(data.notifications(patient)) == 1


def test_notify_is_idempotent_per_user_and_key(app, patient, clinician, data):
    with app.app_context(), transaction():
        assert notify(patient.id, "diary_reminder", "diary_reminder:2026-06-15", "t", now=NOW)
        assert not notify(patient.id, "diary_reminder", "diary_reminder:2026-06-15", "other",
                          now=NOW)
        assert notify(clinician.id, "diary_reminder", "diary_reminder:2026-06-15", "t", now=NOW)
    [note] = data.notifications(patient)
    assert note.title == "t" and note.created_at == NOW


def test_notify_refuses_an_unknown_kind(app, patient):
    with app.app_context(), pytest.raises(ValueError):
        notify(patient.id, "spam", "k", "t", now=NOW)
