"""Flask commands: ``db``, ``create-user`` (more are added by the features that own them)."""
from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from diary import migrate
from diary.errors import DomainError
from diary.models import ROLES

db_cli = AppGroup("db", help="Database migrations (Alembic).")


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (default: head)."""
    migrate.upgrade(current_app, revision)


@db_cli.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Revert migrations down to REVISION (e.g. -1 or base)."""
    migrate.downgrade(current_app, revision)


@db_cli.command("revision")
@click.option("-m", "--message", required=True, help="What the change does.")
@click.option("--autogenerate", is_flag=True, help="Compare the models with the database.")
def db_revision(message: str, autogenerate: bool) -> None:
    """Create a new migration script in migrations/versions."""
    migrate.revision(current_app, message, autogenerate)


def read_password() -> str:
    """Prompted twice on a terminal; otherwise two lines on standard input. Never an argument."""
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    first, second = sys.stdin.readline().rstrip("\r\n"), sys.stdin.readline().rstrip("\r\n")
    if first != second:
        raise click.ClickException("The two passwords differ.")
    return first


@click.command("create-user")
@with_appcontext
@click.option("--role", type=click.Choice(ROLES), default="patient", show_default=True)
@click.option("--email", required=True)
@click.option("--name", "display_name", required=True, help="Display name.")
@click.option("--timezone", default="Europe/London", show_default=True, help="IANA time zone.")
def create_user_command(role: str, email: str, display_name: str, timezone: str) -> None:
    """Create an account (clinicians and administrators are created only this way)."""
    from diary.services.accounts import create_user
    from diary.transactions import transaction

    password = read_password()
    try:
        with transaction():
            user = create_user(email=email, password=password, display_name=display_name,
                               timezone=timezone, role=role)
    except DomainError as exc:
        details = "; ".join(f"{k}: {' '.join(v)}" for k, v in (exc.errors or {}).items())
        raise click.ClickException(f"{exc.detail} {details}".strip()) from None
    click.echo(f"Created {user.role} {user.email} ({user.id}).")


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Create a demo clinician and synthetic patients with a year of diary (development)."""
    from datetime import datetime, timezone

    from diary.demo import DEMO_PASSWORD, create_demo_data
    from diary.transactions import transaction

    with transaction():
        accounts = create_demo_data(datetime.now(timezone.utc).date())
    if accounts is None:
        click.echo("The demo data exists already.")
        return
    click.echo(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
    for role, name, email in accounts:
        click.echo(f"  {role:<10} {email:<32} {name}")


def init_app(app: Flask) -> None:
    app.cli.add_command(db_cli)
    app.cli.add_command(create_user_command)
    app.cli.add_command(demo_command)
    from diary.jobs.cli import jobs_cli, scheduler_command
    app.cli.add_command(jobs_cli)
    app.cli.add_command(scheduler_command)
