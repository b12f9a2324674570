"""The scheduler process and the ``jobs`` commands: one registry, fixed ids and triggers."""
from __future__ import annotations

import logging
import os
import signal
import threading
from dataclasses import replace
from datetime import timedelta, timezone

import pytest
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from jobs_factories import LONDON, local

from diary.jobs.registry import JOBS
from diary.jobs.scheduler import build_scheduler, run_scheduled, run_scheduler

NAMES = ["diary-reminders", "treatment-reminders", "refresh-alerts", "cleanup"]


def cron_fields(trigger) -> dict[str, str]:
    return {f.name: str(f) for f in trigger.fields if not f.is_default}


def test_the_scheduler_has_every_job_with_a_fixed_id_and_its_trigger(app):
    scheduler = build_scheduler(app)
    assert isinstance(scheduler, BlockingScheduler) and not scheduler.running
    assert scheduler.timezone == timezone.utc
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert sorted(jobs) == sorted(NAMES)
    for job in jobs.values():
        assert isinstance(job.trigger, CronTrigger) and job.trigger.timezone == timezone.utc
        assert job.coalesce is True and job.max_instances == 1
        assert job.args == (app, job.id)
    assert cron_fields(jobs["diary-reminders"].trigger) == {"minute": "*/15"}
    assert cron_fields(jobs["treatment-reminders"].trigger) == {"minute": "5"}
    assert cron_fields(jobs["refresh-alerts"].trigger) == {"hour": "2", "minute": "0"}
    assert jobs["diary-reminders"].misfire_grace_time == 300
    assert jobs["refresh-alerts"].misfire_grace_time == 3600


def test_the_reminder_trigger_fires_every_quarter_hour_in_utc(app):
    trigger = {job.id: job for job in build_scheduler(app).get_jobs()}["diary-reminders"].trigger
    first = trigger.get_next_fire_time(None, local("2026-03-29 00:50", LONDON))
    assert first == local("2026-03-29 01:00", "UTC")
    assert trigger.get_next_fire_time(first, first + timedelta(seconds=1)) == first + timedelta(minutes=15)


def test_a_scheduled_run_logs_its_count_and_survives_a_failure(app, monkeypatch, caplog):
    from diary.jobs import registry

    with caplog.at_level(logging.INFO, logger="diary.jobs"):
        run_scheduled(app, "cleanup")
    assert "job cleanup at" in caplog.text and ": 0" in caplog.text

    def fail(now):
        raise RuntimeError("database away")

    monkeypatch.setitem(registry.BY_NAME, "cleanup", replace(registry.BY_NAME["cleanup"], run=fail))
    with caplog.at_level(logging.ERROR):
        run_scheduled(app, "cleanup")  # logged, not raised: the scheduler goes on
    assert "job cleanup failed" in caplog.text


def test_sigterm_stops_the_scheduler_cleanly(app):
    previous = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT)}
    timer = threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGTERM))
    timer.start()
    try:
        run_scheduler(app)  # returns once the handler has shut the scheduler down
    finally:
        timer.cancel()
        for s, handler in previous.items():
            signal.signal(s, handler)


def test_jobs_list_names_each_job_with_its_schedule(app):
    result = app.test_cli_runner().invoke(args=["jobs", "list"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    for job in JOBS:
        [line] = [line for line in lines if line.startswith(job.name + " ")]
        assert job.schedule in line and job.description in line


def test_jobs_run_at_a_time_prints_the_count(app, patient_in, data):
    patient = patient_in(LONDON, "20:00")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["jobs", "run", "diary-reminders", "--at", "2026-06-15T20:30:00+01:00"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "diary-reminders: 1"
    assert data.notifications(patient)[0].data == {"date": "2026-06-15"}
    again = runner.invoke(args=["jobs", "run", "diary-reminders", "--at", "2026-06-15T19:31:00Z"])
    assert again.output.strip() == "diary-reminders: 0"


def test_jobs_run_without_at_uses_the_current_time(app):
    result = app.test_cli_runner().invoke(args=["jobs", "run", "cleanup"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "cleanup: 0"


@pytest.mark.parametrize("at", ["2026-06-15T20:30:00", "2026-06-15", "tomorrow"])
def test_jobs_run_refuses_a_time_without_offset(app, at):
    result = app.test_cli_runner().invoke(args=["jobs", "run", "diary-reminders", "--at", at])
    assert result.exit_code != 0
    assert "--at" in result.output


def test_jobs_run_names_the_jobs_when_given_an_unknown_one(app):
    result = app.test_cli_runner().invoke(args=["jobs", "run", "send-spam"])
    assert result.exit_code != 0
    assert "send-spam" in result.output
    assert all(name in result.output for name in NAMES)
