"""``flask demo``: accounts to log in with, and diaries whose reports tell their stories."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from diary.extensions import db
from diary.models import User
from diary.reports import build_report
from diary.reports.queries import load_report_input


@pytest.fixture
def demo(app):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    return result.output


def _report(app, email):
    with app.app_context():
        patient = db.session.scalar(select(User).where(User.email == email))
        return build_report(load_report_input(db.session, patient, now=datetime.now(timezone.utc)))


def test_demo_prints_the_logins(demo):
    assert "clinician@demo.diary.example" in demo
    assert "alice@demo.diary.example" in demo
    assert "password for all: diary-demo-password" in demo


def test_demo_runs_once(app, demo):
    again = app.test_cli_runner().invoke(args=["demo"])
    assert again.exit_code == 0
    assert "exists already" in again.output


def test_demo_logins_work(client, demo):
    response = client.post("/api/v1/auth/token", json={"email": "clinician@demo.diary.example",
                                                        "password": "diary-demo-password"})
    assert response.status_code == 200
    token = response.get_json()["access_token"]
    patients = client.get("/api/v1/patients", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert len(patients["items"]) == 6


def test_demo_stories_show_in_the_reports(app, demo):
    alice = _report(app, "alice@demo.diary.example")
    assert alice.baseline.complete and alice.baseline.headache_days_per_28d >= 15
    assert all(c.responder_50 for c in alice.cycles if c.change_from_baseline)
    bob = {a.code for a in _report(app, "bob@demo.diary.example").alerts}
    assert "nice_stop_insufficient_response" in bob
    carla = {a.code for a in _report(app, "carla@demo.diary.example").alerts}
    assert "wearing_off" in carla
    dev = {a.code for a in _report(app, "dev@demo.diary.example").alerts}
    assert "medication_overuse_risk" in dev
    eve = {a.code for a in _report(app, "eve@demo.diary.example").alerts}
    assert "insufficient_diary" in eve
    finn = _report(app, "finn@demo.diary.example")
    assert finn.patient.timezone == "Australia/Sydney" and len(finn.cycles) >= 4
