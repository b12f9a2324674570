"""Accounts and tokens through HTTP: registration, login, refresh rotation, reuse, logout."""
from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from diary.extensions import db
from diary.models import AuditEvent, utcnow
from tests.conftest import PASSWORD

REGISTRATION = {"email": "Ann.Patient@Example.org", "password": "a long enough secret",
                "display_name": "Ann", "timezone": "Europe/London"}


def register(client, **changes):
    return client.post("/api/v1/auth/register", json={**REGISTRATION, **changes})


def login(client, email, password=PASSWORD):
    return client.post("/api/v1/auth/token", json={"email": email, "password": password})


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def audit_actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


# Registration


def test_registration_creates_a_patient_account(client):
    response = register(client)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert response.headers["Location"] == "/api/v1/me"
    assert body["email"] == "ann.patient@example.org"
    assert body["role"] == "patient"
    assert body["display_name"] == "Ann" and body["timezone"] == "Europe/London"
    assert body["reminder_time"] == "20:00" and body["reminders_enabled"] is True
    assert "password" not in body


def test_registered_account_can_log_in_with_any_case_of_its_email(client):
    register(client)
    response = login(client, "ANN.PATIENT@example.ORG", REGISTRATION["password"])
    assert response.status_code == 200


def test_an_email_taken_in_another_case_is_a_409(client, problem):
    register(client)
    problem(register(client, email="ann.patient@EXAMPLE.org"), 409)


def test_an_email_registered_concurrently_is_a_409_not_a_500(client, problem, monkeypatch):
    register(client)
    # As if another request had committed the same email after this one looked it up.
    monkeypatch.setattr("diary.services.accounts.find_user_by_email", lambda email: None)
    problem(register(client), 409)


def test_nobody_registers_as_a_clinician(client, problem):
    body = problem(register(client, role="clinician"), 422)
    assert "role" in body["errors"]


@pytest.mark.parametrize("field,value", [
    ("password", "too short"),
    ("timezone", "Mars/Olympus_Mons"),
    ("email", "not-an-email"),
    ("display_name", "   "),
])
def test_invalid_registration_is_a_422_naming_the_field(client, problem, field, value):
    body = problem(register(client, **{field: value}), 422)
    assert field in body["errors"]


def test_a_rejected_registration_creates_nothing(client, app, problem):
    problem(register(client, timezone="Nowhere/Special"), 422)
    problem(login(client, REGISTRATION["email"], REGISTRATION["password"]), 401)
    assert audit_actions(app) == ["auth.login_failed"]


def test_registration_is_audited(client, app):
    register(client)
    assert audit_actions(app) == ["auth.registered"]


# Login


def test_login_answers_a_bearer_token_pair_that_is_not_cached(client, patient):
    response = login(client, patient.email)
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"access_token", "refresh_token", "token_type", "expires_in"}
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    assert response.headers["Cache-Control"] == "no-store"
    assert client.get("/api/v1/me", headers=bearer(body["access_token"])).status_code == 200


def test_unknown_email_and_wrong_password_get_the_same_401(client, patient, problem):
    unknown = problem(login(client, "nobody@example.org"), 401)
    wrong = problem(login(client, patient.email, "wrong password!"), 401)
    assert unknown == wrong


def test_login_success_and_failure_are_audited_without_the_password(client, app, patient):
    login(client, patient.email)
    login(client, patient.email, "wrong password!")
    login(client, "nobody@example.org", "another wrong one")
    with app.app_context():
        events = list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)))
        assert [e.action for e in events] == ["auth.login", "auth.login_failed", "auth.login_failed"]
        assert events[1].subject_id == str(patient.id)
        assert events[2].data == {"email": "nobody@example.org"}
        assert events[0].client_address == "127.0.0.1"
        everything = repr([(e.data, e.subject_id) for e in events])
    assert "wrong password" not in everything and PASSWORD not in everything


def test_missing_credentials_are_a_422(client, problem):
    body = problem(client.post("/api/v1/auth/token", json={"email": "a@example.org"}), 422)
    assert "password" in body["errors"]


# Access tokens


def test_no_token_or_a_bad_one_is_a_401(client, problem):
    problem(client.get("/api/v1/me"), 401)
    problem(client.get("/api/v1/me", headers=bearer("not-a-token")), 401)
    problem(client.get("/api/v1/me", headers={"Authorization": "Basic abc"}), 401)


def test_an_access_token_expires_after_its_lifetime(client, patient):
    with time_machine.travel(utcnow() - timedelta(hours=2), tick=False):
        tokens = login(client, patient.email).get_json()
    assert client.get("/api/v1/me", headers=bearer(tokens["access_token"])).status_code == 401


def test_an_access_token_works_until_just_before_it_expires(client, patient):
    start = utcnow()
    with time_machine.travel(start, tick=False):
        tokens = login(client, patient.email).get_json()
    with time_machine.travel(start + timedelta(seconds=3599), tick=False):
        assert client.get("/api/v1/me", headers=bearer(tokens["access_token"])).status_code == 200
    with time_machine.travel(start + timedelta(seconds=3600), tick=False):
        assert client.get("/api/v1/me", headers=bearer(tokens["access_token"])).status_code == 401


# Refresh


def refresh(client, refresh_token):
    return client.post("/api/v1/auth/refresh", json={"refresh_token": refresh_token})


def test_refresh_gives_a_new_pair_and_spends_the_old_refresh_token(client, patient):
    first = login(client, patient.email).get_json()
    response = refresh(client, first["refresh_token"])
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    second = response.get_json()
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    assert client.get("/api/v1/me", headers=bearer(second["access_token"])).status_code == 200


def test_reusing_a_spent_refresh_token_revokes_the_whole_login(client, app, patient, problem):
    first = login(client, patient.email).get_json()
    second = refresh(client, first["refresh_token"]).get_json()
    problem(refresh(client, first["refresh_token"]), 401)
    # The thief's copy and the rightful holder's new pair are both dead now.
    problem(client.get("/api/v1/me", headers=bearer(second["access_token"])), 401)
    problem(client.get("/api/v1/me", headers=bearer(first["access_token"])), 401)
    problem(refresh(client, second["refresh_token"]), 401)
    assert "auth.refresh_reused" in audit_actions(app)


def test_reuse_does_not_touch_another_login_of_the_same_account(client, patient):
    phone = login(client, patient.email).get_json()
    tablet = login(client, patient.email).get_json()
    refresh(client, phone["refresh_token"])
    refresh(client, phone["refresh_token"])
    assert client.get("/api/v1/me", headers=bearer(tablet["access_token"])).status_code == 200


def test_an_unknown_or_expired_refresh_token_is_a_401(client, patient, problem):
    problem(refresh(client, "made-up"), 401)
    with time_machine.travel(utcnow() - timedelta(days=31), tick=False):
        old = login(client, patient.email).get_json()
    problem(refresh(client, old["refresh_token"]), 401)


# Logout


def test_logout_revokes_the_access_token_and_its_refresh_token(client, app, patient, problem):
    tokens = login(client, patient.email).get_json()
    response = client.post("/api/v1/auth/logout", headers=bearer(tokens["access_token"]))
    assert response.status_code == 204
    problem(client.get("/api/v1/me", headers=bearer(tokens["access_token"])), 401)
    problem(refresh(client, tokens["refresh_token"]), 401)
    assert audit_actions(app)[-1] == "auth.logout"


def test_logout_accepts_an_empty_json_object(client, patient):
    tokens = login(client, patient.email).get_json()
    response = client.post("/api/v1/auth/logout", json={}, headers=bearer(tokens["access_token"]))
    assert response.status_code == 204


def test_logout_leaves_other_logins_alone(client, patient):
    phone = login(client, patient.email).get_json()
    tablet = login(client, patient.email).get_json()
    client.post("/api/v1/auth/logout", headers=bearer(phone["access_token"]))
    assert client.get("/api/v1/me", headers=bearer(tablet["access_token"])).status_code == 200


def test_logout_needs_a_token(client, problem):
    problem(client.post("/api/v1/auth/logout"), 401)


# OpenAPI


def test_public_auth_endpoints_are_documented_without_security(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in ("register", "token", "refresh"):
        operation = paths[f"/api/v1/auth/{path}"]["post"]
        assert operation["security"] == []
        assert operation["summary"]
    assert paths["/api/v1/auth/logout"]["post"].get("security") != []


# Clinicians' accounts are created by an administrator


CLINICIAN = {"email": "Dr.Ng@Example.org", "password": "a long enough secret",
             "display_name": "Dr Ng", "timezone": "Europe/London"}


def test_an_admin_creates_a_clinician_who_can_log_in(client, app, make_user, auth_headers):
    admin = make_user("admin")
    response = client.post("/api/v1/admin/clinicians", json=CLINICIAN, headers=auth_headers(admin))
    assert response.status_code == 201
    body = response.get_json()
    assert body["role"] == "clinician" and body["email"] == "dr.ng@example.org"
    assert response.headers["Location"] == f"/api/v1/admin/users/{body['id']}"
    assert client.get(response.headers["Location"], headers=auth_headers(admin)).get_json() == body
    assert login(client, CLINICIAN["email"], CLINICIAN["password"]).status_code == 200
    assert audit_actions(app)[0] == "account.created"


@pytest.mark.parametrize("role", ["patient", "clinician"])
def test_only_an_admin_creates_clinicians(client, make_user, auth_headers, problem, role):
    user = make_user(role)
    problem(client.post("/api/v1/admin/clinicians", json=CLINICIAN, headers=auth_headers(user)), 403)
    problem(client.get(f"/api/v1/admin/users/{user.id}", headers=auth_headers(user)), 404)
    problem(client.post("/api/v1/admin/clinicians", json=CLINICIAN), 401)
