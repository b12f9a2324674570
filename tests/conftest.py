"""Fixtures: one app and database per test session (SQLite by default, PostgreSQL when
``DIARY_TEST_DATABASE_URL`` is set), emptied after each test; factories for users and tokens."""
from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import text

from diary import create_app
from diary.config import TEST_SETTINGS
from diary.extensions import db
from diary.models import Base

TEST_DATABASE_URL = os.environ.get("DIARY_TEST_DATABASE_URL")
PASSWORD = "correct horse battery"


def pytest_report_header(config):
    return f"diary test database: {TEST_DATABASE_URL or 'SQLite (temporary file)'}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    if TEST_DATABASE_URL:
        return TEST_DATABASE_URL
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "diary-test.sqlite3")


@pytest.fixture(scope="session")
def app(database_url):
    app = create_app({**TEST_SETTINGS, "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        Base.metadata.drop_all(db.engine)
        _drop_alembic_version()
        Base.metadata.create_all(db.engine)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _drop_alembic_version() -> None:
    with db.engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture(autouse=True)
def _clean_tables(request):
    """Every test starts from empty tables (only when the test uses the app)."""
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture
def is_postgres(database_url) -> bool:
    return database_url.startswith("postgresql")


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_user(app):
    """Create an account (committed) and return its id and attributes as a plain object."""
    from diary.services.accounts import create_user
    from diary.transactions import transaction

    def make(role: str = "patient", *, email: str | None = None, password: str = PASSWORD,
             display_name: str | None = None, timezone: str = "Europe/London"):
        email = email or f"{role}-{uuid.uuid4().hex[:8]}@example.org"
        with app.app_context():
            with transaction():
                user = create_user(email=email, password=password, role=role, timezone=timezone,
                                   display_name=display_name or f"Test {role}")
            db.session.expunge(user)
            return user

    return make


@pytest.fixture
def auth_headers(app):
    """``Authorization`` headers with a fresh access token for ``user``."""
    from diary.models import User
    from diary.services.tokens import issue_tokens
    from diary.transactions import transaction

    def headers(user) -> dict[str, str]:
        with app.app_context():
            with transaction():
                pair = issue_tokens(db.session.get(User, user.id))
        return {"Authorization": f"Bearer {pair.access_token}"}

    return headers


@pytest.fixture
def patient(make_user):
    return make_user("patient")


@pytest.fixture
def clinician(make_user):
    return make_user("clinician")


@pytest.fixture
def problem():
    """Assert that a response is an RFC 9457 problem with ``status``; return its body."""

    def check(response, status: int) -> dict:
        assert response.status_code == status, response.get_data(as_text=True)
        assert response.mimetype == "application/problem+json"
        body = response.get_json()
        assert body["status"] == status
        for key in ("type", "title", "detail"):
            assert isinstance(body[key], str) and body[key]
        return body

    return check
