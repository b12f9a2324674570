"""Command line: migrations and creating accounts (password never on the command line)."""
from __future__ import annotations

from sqlalchemy import create_engine, inspect, select

from diary import create_app
from diary.config import TEST_SETTINGS
from diary.extensions import db
from diary.models import User


def _app(tmp_path):
    return create_app({**TEST_SETTINGS, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'cli.sqlite3'}"})


def test_db_upgrade_creates_the_schema(tmp_path):
    app = _app(tmp_path)
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    assert {"users", "episodes", "diary_days", "treatments", "notifications"} <= set(
        inspect(engine).get_table_names())
    engine.dispose()


def test_create_user_reads_the_password_twice_from_stdin(tmp_path):
    app = _app(tmp_path)
    runner = app.test_cli_runner()
    runner.invoke(args=["db", "upgrade"])
    result = runner.invoke(args=["create-user", "--role", "clinician", "--email", "Dr.Who@Example.org",
                                 "--name", "Dr Who"], input="a long password\na long password\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "dr.who@example.org"))
        assert user.role == "clinician" and user.display_name == "Dr Who"
        assert "a long password" not in user.password_hash


def test_create_user_refuses_different_passwords_and_creates_nothing(tmp_path):
    app = _app(tmp_path)
    runner = app.test_cli_runner()
    runner.invoke(args=["db", "upgrade"])
    result = runner.invoke(args=["create-user", "--role", "clinician", "--email", "c@example.org",
                                 "--name", "C"], input="a long password\nanother password\n")
    assert result.exit_code != 0
    assert "differ" in result.output
    with app.app_context():
        assert db.session.scalar(select(User)) is None


def test_create_user_refuses_a_short_password(tmp_path):
    app = _app(tmp_path)
    runner = app.test_cli_runner()
    runner.invoke(args=["db", "upgrade"])
    result = runner.invoke(args=["create-user", "--email", "p@example.org", "--name", "P"],
                           input="short\nshort\n")
    assert result.exit_code != 0
    assert "at least 10" in result.output
