"""Commands: ``jobs list``, ``jobs run NAME [--at TIME]`` and ``scheduler``."""
from __future__ import annotations

import logging
from datetime import datetime

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from diary.jobs.registry import JOBS, UnknownJob, get_job, run_job
from diary.models import utcnow

jobs_cli = AppGroup("jobs", help="Scheduled jobs: list them, or run one once.")


class Instant(click.ParamType):
    """An RFC 3339 time with an offset (``2026-03-01T20:15:00+00:00``); naive is refused."""

    name = "TIME"

    def convert(self, value, param, ctx) -> datetime:
        if isinstance(value, datetime):
            return value
        try:
            instant = datetime.fromisoformat(value)
        except ValueError:
            self.fail(f"{value!r} is not an RFC 3339 time such as 2026-03-01T20:15:00+00:00.",
                      param, ctx)
        if instant.tzinfo is None or instant.utcoffset() is None:
            self.fail(f"{value!r} has no UTC offset: add one, e.g. +00:00 or Z.", param, ctx)
        return instant


@jobs_cli.command("list")
def list_jobs() -> None:
    """Name each job with its schedule and what it does."""
    width = max(len(job.name) for job in JOBS)
    for job in JOBS:
        click.echo(f"{job.name:<{width}}  {job.schedule}: {job.description}")


@jobs_cli.command("run")
@click.argument("name")
@click.option("--at", "at", type=Instant(), default=None,
              help="Run as if the time were TIME (RFC 3339 with an offset); default: now.")
def run_command(name: str, at: datetime | None) -> None:
    """Run job NAME once and print its count (notifications written or rows deleted)."""
    try:
        get_job(name)
    except UnknownJob as exc:
        raise click.BadParameter(str(exc), param_hint="NAME") from None
    count = run_job(name, at or utcnow())
    click.echo(f"{name}: {count}")


@click.command("scheduler")
@with_appcontext
def scheduler_command() -> None:
    """Run the scheduled jobs until SIGTERM or SIGINT (one process per deployment)."""
    from flask.logging import default_handler

    from diary.jobs.scheduler import run_scheduler

    app = current_app._get_current_object()
    app.logger.removeHandler(default_handler)  # one handler (the root's) for every logger
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    run_scheduler(app)
