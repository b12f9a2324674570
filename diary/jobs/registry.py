"""The jobs by name: what each does, when it runs, and the one way to run one."""
from __future__ import annotations

import logging
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import text

from diary.jobs import as_utc
from diary.jobs.alerts import run_refresh_alerts
from diary.jobs.cleanup import run_cleanup
from diary.jobs.reminders import run_diary_reminders, run_treatment_reminders
from diary.transactions import transaction

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[datetime], int]
    description: str
    schedule: str  # the trigger, for people
    trigger: Callable[[], BaseTrigger]
    # How late (seconds) a run may still start, e.g. after the scheduler was down.
    misfire_grace_time: int = 300


def _cron(**fields) -> Callable[[], CronTrigger]:
    return lambda: CronTrigger(timezone=timezone.utc, **fields)


JOBS: tuple[Job, ...] = (
    Job("diary-reminders", run_diary_reminders,
        "Remind patients who have recorded nothing for today once their reminder time has "
        "passed (diary_reminder).",
        "every 15 minutes", _cron(minute="*/15")),
    Job("treatment-reminders", run_treatment_reminders,
        "Tell patients to book the next injection 77 days after their latest one "
        "(injection_due).",
        "hourly at minute 5", _cron(minute=5)),
    Job("refresh-alerts", run_refresh_alerts,
        "Recompute every patient's report alerts, keep open_alerts current and tell linked "
        "clinicians of newly raised ones (patient_alert).",
        "daily at 02:00 UTC", _cron(hour=2, minute=0), misfire_grace_time=3600),
    Job("cleanup", run_cleanup,
        "Delete expired tokens, logins with no token left, and invitations used or expired "
        "over 30 days ago.",
        "daily at 03:30 UTC", _cron(hour=3, minute=30), misfire_grace_time=3600),
)
BY_NAME = {job.name: job for job in JOBS}


class UnknownJob(LookupError):
    def __init__(self, name: str):
        super().__init__(f"No job named {name!r}; the jobs are: {', '.join(BY_NAME)}.")


def get_job(name: str) -> Job:
    try:
        return BY_NAME[name]
    except KeyError:
        raise UnknownJob(name) from None


def run_job(name: str, now: datetime) -> int:
    """Run job ``name`` once as of ``now`` (aware) in one transaction; return its count.

    Every notification is unique in the database, so runs that overlap (a second scheduler,
    an operator's ``jobs run``) cannot write one twice. They are also made to take turns:
    SQLite's write transaction (``BEGIN IMMEDIATE``) admits one writer, and on PostgreSQL a
    transaction-scoped advisory lock per job does the same, so racing runs neither deadlock
    nor redo each other's work.
    """
    job = get_job(name)
    now = as_utc(now)
    with transaction() as session:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                            {"key": zlib.crc32(f"diary-job:{name}".encode())})
        count = job.run(now)
    log.info("job %s at %s: %d", name, now.isoformat(), count)
    return count
