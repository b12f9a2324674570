"""Scheduled jobs: plain functions ``run(now) -> int``, named in ``registry``; the CLI and
the scheduler process both run them through ``registry.run_job``."""
from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Callable, Iterator, Sequence, TypeVar

from diary.extensions import db

log = logging.getLogger(__name__)
T = TypeVar("T")
# Patients handled per batch of queries: bounds memory and the size of IN (...) lists.
BATCH_SIZE = 500


def as_utc(now: datetime) -> datetime:
    """The job's clock as an aware UTC instant; a naive time is refused (whose 9 o'clock?)."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("a job's `now` must be an aware datetime (with a UTC offset)")
    return now.astimezone(timezone.utc)


def batches(items: Sequence[T], size: int = BATCH_SIZE) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def isolated(job: str, patient_id, work: Callable[[], T], *, default: T = 0,
             writes: bool = True) -> T:
    """Run one patient's part of a job so that a failure is logged (and, for ``writes``,
    undone by a savepoint) and the job goes on with the other patients: one bad diary never
    stops everyone's reminders. Returns ``work()``'s result, ``default`` on failure."""
    try:
        if not writes:
            return work()
        with db.session().begin_nested():
            return work()
    except Exception:
        log.exception("%s: patient %s failed; continuing with the others", job, patient_id)
        return default
