"""Login and registration are rate limited per client address and per account (429 problems
with Retry-After). Each test builds its own app with rate limiting on and low limits."""
from __future__ import annotations

import pytest

from diary import create_app
from diary.config import TEST_SETTINGS
from diary.extensions import db
from diary.models import Base

LIMITS = {
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": "memory://",
    "DIARY_LOGIN_LIMIT_PER_CLIENT": "3 per minute",
    "DIARY_LOGIN_LIMIT_PER_ACCOUNT": "2 per minute",
    "DIARY_REGISTER_LIMIT_PER_CLIENT": "2 per hour",
}


@pytest.fixture
def limited_client(database_url, app):
    """A client of an app with low limits, on the session's (emptied-after-each-test) database."""
    limited = create_app({**TEST_SETTINGS, **LIMITS, "SQLALCHEMY_DATABASE_URI": database_url})
    yield limited.test_client()
    with limited.app_context():
        db.session.remove()
        db.engine.dispose()


def login(client, email, address="10.0.0.1"):
    return client.post("/api/v1/auth/token", json={"email": email, "password": "wrong password!"},
                       environ_base={"REMOTE_ADDR": address})


def register(client, n, address="10.0.0.1"):
    return client.post("/api/v1/auth/register", environ_base={"REMOTE_ADDR": address}, json={
        "email": f"new{n}@example.org", "password": "a long enough secret",
        "display_name": "New", "timezone": "Europe/London"})


def assert_too_many(response, problem):
    body = problem(response, 429)
    assert int(response.headers["Retry-After"]) > 0
    assert body["detail"]


def test_login_is_limited_per_client_address(limited_client, problem):
    for n in range(3):
        assert login(limited_client, f"user{n}@example.org").status_code == 401
    assert_too_many(login(limited_client, "user9@example.org"), problem)
    # Another address is counted on its own.
    assert login(limited_client, "user9@example.org", address="10.0.0.2").status_code == 401


def test_login_is_limited_per_account_whatever_the_case_or_address(limited_client, problem):
    assert login(limited_client, "ann@example.org", address="10.0.0.1").status_code == 401
    assert login(limited_client, "ANN@Example.org", address="10.0.0.2").status_code == 401
    assert_too_many(login(limited_client, " ann@example.ORG", address="10.0.0.3"), problem)
    assert login(limited_client, "bob@example.org", address="10.0.0.4").status_code == 401


def test_a_limited_login_is_refused_even_with_the_right_password(limited_client, make_user, problem):
    user = make_user("patient")
    for _ in range(2):
        login(limited_client, user.email)
    response = limited_client.post("/api/v1/auth/token", environ_base={"REMOTE_ADDR": "10.0.0.5"},
                                   json={"email": user.email, "password": "correct horse battery"})
    assert_too_many(response, problem)


def test_registration_is_limited_per_client_address(limited_client, problem):
    assert register(limited_client, 1).status_code == 201
    assert register(limited_client, 2).status_code == 201
    assert_too_many(register(limited_client, 3), problem)
    assert register(limited_client, 3, address="10.0.0.2").status_code == 201


def test_limits_are_off_when_the_setting_says_so(client, problem):
    for n in range(25):
        assert login(client, "same@example.org").status_code == 401
