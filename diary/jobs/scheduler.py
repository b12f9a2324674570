"""The scheduler process (``flask --app diary scheduler``): APScheduler 3, one per deployment.

Memory job store and jobs defined in code with fixed ids: nothing to share or migrate, and
an accidental second scheduler is harmless because every job is idempotent in the database.
"""
from __future__ import annotations

import logging
import signal
from datetime import timezone

from apscheduler.events import EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from diary.jobs.registry import JOBS, run_job
from diary.models import utcnow

log = logging.getLogger(__name__)


def run_scheduled(app: Flask, name: str) -> None:
    """What the scheduler calls: one run of job ``name`` now, in its own app context."""
    with app.app_context():
        try:
            run_job(name, utcnow())
        except Exception:
            log.exception("job %s failed; it runs again at its next time", name)


def _log_missed(event: JobExecutionEvent) -> None:
    log.warning("job %s missed its run at %s (later than its grace time)",
                event.job_id, event.scheduled_run_time)


def build_scheduler(app: Flask) -> BlockingScheduler:
    """A scheduler with every job of the registry, not started."""
    scheduler = BlockingScheduler(timezone=timezone.utc)
    for job in JOBS:
        # coalesce: runs missed while down become one; max_instances: never overlap itself.
        scheduler.add_job(run_scheduled, trigger=job.trigger(), args=(app, job.name),
                          id=job.name, name=job.name, coalesce=True, max_instances=1,
                          misfire_grace_time=job.misfire_grace_time, replace_existing=True)
    scheduler.add_listener(_log_missed, EVENT_JOB_MISSED)
    return scheduler


def run_scheduler(app: Flask) -> None:
    """Run the jobs until SIGTERM or SIGINT, then let running jobs finish and stop."""
    scheduler = build_scheduler(app)

    def stop(signum, _frame) -> None:
        if scheduler.running:  # a second signal while stopping changes nothing
            log.info("signal %s: stopping the scheduler after the running jobs", signum)
            scheduler.shutdown(wait=True)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for job in JOBS:
        log.info("scheduling %s: %s", job.name, job.schedule)
    scheduler.start()
    log.info("scheduler stopped")
