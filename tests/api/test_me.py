"""``GET /me`` and ``PATCH /me``: the caller's own account."""
from __future__ import annotations

import pytest


def me(client, headers):
    return client.get("/api/v1/me", headers=headers)


def patch_me(client, headers, **changes):
    return client.patch("/api/v1/me", json=changes, headers=headers)


def test_a_patient_sees_their_account_with_reminder_settings(client, patient, auth_headers):
    response = me(client, auth_headers(patient))
    assert response.status_code == 200
    assert response.get_json() == {
        "id": str(patient.id), "email": patient.email, "role": "patient",
        "display_name": "Test patient", "timezone": "Europe/London",
        "reminder_time": "20:00", "reminders_enabled": True,
    }


def test_a_clinician_sees_their_account_without_reminder_settings(client, clinician, auth_headers):
    body = me(client, auth_headers(clinician)).get_json()
    assert body["role"] == "clinician"
    assert set(body) == {"id", "email", "role", "display_name", "timezone"}


def test_me_needs_a_token(client, problem):
    problem(me(client, {}), 401)
    problem(patch_me(client, {}, display_name="x"), 401)


def test_patch_changes_name_time_zone_and_reminders(client, patient, auth_headers):
    headers = auth_headers(patient)
    response = patch_me(client, headers, display_name="  Ann B.  ", timezone="America/New_York",
                        reminder_time="07:45", reminders_enabled=False)
    assert response.status_code == 200
    body = response.get_json()
    assert body["display_name"] == "Ann B." and body["timezone"] == "America/New_York"
    assert body["reminder_time"] == "07:45" and body["reminders_enabled"] is False
    assert me(client, headers).get_json() == body


def test_patch_leaves_fields_it_does_not_name(client, patient, auth_headers):
    headers = auth_headers(patient)
    body = patch_me(client, headers, reminder_time="21:30").get_json()
    assert body["display_name"] == "Test patient" and body["timezone"] == "Europe/London"
    assert body["reminders_enabled"] is True


@pytest.mark.parametrize("changes,field", [
    ({"timezone": "Europe/Atlantis"}, "timezone"),
    ({"reminder_time": "24:00"}, "reminder_time"),
    ({"reminder_time": "7:45"}, "reminder_time"),
    ({"reminder_time": "07:45:00"}, "reminder_time"),
    ({"reminders_enabled": "yes"}, "reminders_enabled"),
    ({"display_name": ""}, "display_name"),
    ({"email": "new@example.org"}, "email"),
    ({"role": "clinician"}, "role"),
])
def test_invalid_changes_are_a_422_and_change_nothing(client, patient, auth_headers, problem,
                                                      changes, field):
    headers = auth_headers(patient)
    before = me(client, headers).get_json()
    body = problem(patch_me(client, headers, **{"display_name": "Changed", **changes}), 422)
    assert field in body["errors"]
    assert me(client, headers).get_json() == before


def test_a_clinician_has_no_reminders_to_set(client, clinician, auth_headers, problem):
    body = problem(patch_me(client, auth_headers(clinician), reminder_time="08:00"), 422)
    assert "reminder_time" in body["errors"]


def test_a_clinician_may_change_their_name(client, clinician, auth_headers):
    body = patch_me(client, auth_headers(clinician), display_name="Dr Who").get_json()
    assert body["display_name"] == "Dr Who"
