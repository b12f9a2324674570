"""What fuzzing the API found (schemathesis against the served OpenAPI document, and probes
around what it hit), each through HTTP: inputs that answered 500, spoiled later answers, or
were wrongly taken; each is now a problem answer (4xx) that changes nothing."""
from __future__ import annotations

import base64
import json
import uuid

import pytest

from tests.api.owner_fixtures import as_owner, owner  # noqa: F401 (fixtures)

API = "/api/v1"
EPISODE = {"started_at": "2026-03-01T22:30:00+00:00", "peak_severity": 2}
MEDICINE = {"name": "ibuprofen", "class": "nsaid", "taken_at": "2026-03-01T23:00:00+00:00"}


@pytest.mark.parametrize("query", ["to=9999-12-31", "to=0001-01-01", "from=0001-01-01",
                                   "from=0001-01-01&to=0001-01-28"])
def test_report_dates_near_the_ends_of_the_calendar_are_refused(client, as_owner, problem, query):
    """A 28-day step or a time-zone shift from year 1 or 9999 overflowed (500)."""
    body = problem(client.get(f"{API}/me/report?{query}", headers=as_owner), 422)
    assert set(body["errors"]) <= {"from", "to"}


@pytest.mark.parametrize("collection", ["episodes", "diary-days", "treatments"])
def test_list_ranges_near_the_ends_of_the_calendar_are_refused(client, as_owner, problem, collection):
    response = client.get(f"{API}/{collection}?from=0001-01-01&to=9999-12-31", headers=as_owner)
    assert set(problem(response, 422)["errors"]) == {"from", "to"}


@pytest.mark.parametrize("episode, field", [
    ({**EPISODE, "started_at": "0001-01-01T00:30:00+01:00"}, "started_at"),
    ({**EPISODE, "ended_at": "9999-12-31T23:30:00-01:00"}, "ended_at"),
    ({**EPISODE, "medications": [{**MEDICINE, "taken_at": "0001-01-01T00:00:00+14:00"}]},
     "medications.0.taken_at"),
    ({**EPISODE, "medications": [{**MEDICINE, "taken_at": "9999-12-31T23:59:00-14:00"}]},
     "medications.0.taken_at"),
])
def test_instants_outside_the_accepted_years_are_refused(client, as_owner, problem, episode, field):
    """Turning them into UTC overflowed (500); a year-1 episode also broke every later report."""
    assert field in problem(client.post(f"{API}/episodes", json=episode, headers=as_owner), 422)["errors"]
    assert client.get(f"{API}/episodes", headers=as_owner).get_json()["items"] == []


def test_the_first_and_last_accepted_instants_are_stored_and_reported(client, as_owner):
    early = {**EPISODE, "started_at": "1900-01-01T00:00:00+14:00", "ended_at": "1900-01-01T05:00:00+14:00"}
    assert client.post(f"{API}/episodes", json=early, headers=as_owner).status_code == 201
    assert client.put(f"{API}/diary-days/1900-01-02", json={"headache_free": True},
                      headers=as_owner).status_code == 201
    for query in ("", "?from=1900-01-01&to=1900-12-31", "?from=1900-01-01&to=1929-12-31"):
        assert client.get(f"{API}/me/report{query}", headers=as_owner).status_code == 200


def test_diary_days_outside_the_accepted_years_are_refused(client, as_owner, problem):
    for date in ("0001-01-01", "9999-12-31"):
        response = client.put(f"{API}/diary-days/{date}", json={"headache_free": True},
                              headers=as_owner)
        assert "date" in problem(response, 422)["errors"]


def test_a_synced_change_outside_the_accepted_years_is_invalid(client, as_owner):
    change = {"kind": "episode", "id": str(uuid.uuid4()), **EPISODE,
              "started_at": "0001-01-01T00:30:00+01:00"}
    response = client.post(f"{API}/sync", json={"changes": [change]}, headers=as_owner)
    assert response.status_code == 200
    [result] = response.get_json()["results"]
    assert (result["status"], list(result["errors"])) == ("invalid", ["started_at"])


def test_a_null_change_is_invalid_on_its_own(client, as_owner):
    """A ``null`` in a batch made the whole batch a 422; a bad change never spoils the others."""
    change = {"kind": "episode", "id": str(uuid.uuid4()), **EPISODE}
    response = client.post(f"{API}/sync", json={"changes": [None, change, 7]}, headers=as_owner)
    assert response.status_code == 200
    assert [r["status"] for r in response.get_json()["results"]] == ["invalid", "stored", "invalid"]


@pytest.mark.parametrize("if_match", ['""', ';"0', '"\u00b2"', "W/", '"1'])
def test_an_if_match_that_names_no_version_is_412_and_changes_nothing(client, as_owner, problem,
                                                                       if_match):
    """``""`` and ``"²"`` (a digit to ``str.isdigit``, not to ``int``) answered 500; a header
    that did not parse as entity tags was ignored, and the write went ahead unconditionally."""
    url = client.post(f"{API}/episodes", json=EPISODE, headers=as_owner).headers["Location"]
    for method in ("PATCH", "DELETE"):
        response = client.open(url, method=method, json={"notes": "changed"},
                               headers={**as_owner, "If-Match": if_match})
        problem(response, 412)
    assert client.get(url, headers=as_owner).get_json()["notes"] == ""


@pytest.mark.parametrize("value", [0, 1, 1.0])
def test_reminders_enabled_takes_only_json_booleans(client, as_owner, problem, value):
    """``0`` and ``1`` passed as false and true (``0 in {False}`` in Python)."""
    response = client.patch(f"{API}/me", json={"reminders_enabled": value}, headers=as_owner)
    assert "reminders_enabled" in problem(response, 422)["errors"]
    assert client.get(f"{API}/me", headers=as_owner).get_json()["reminders_enabled"] is True


def _cursor(values) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


@pytest.mark.parametrize("values", [
    ["2026-03-01T22:30:00+00:00", 5],  # uuid.UUID(5): AttributeError
    ["2026-03-01T22:30:00", "5f0c6a52-3c1e-4b8e-9f5e-2b1f0e7d4a11"],  # naive: the UTC type refused it
    ["0001-01-01T00:00:00+05:00", "5f0c6a52-3c1e-4b8e-9f5e-2b1f0e7d4a11"],  # overflows into UTC
    [[[[[]]]], {}],
])
@pytest.mark.parametrize("collection", ["episodes", "notifications", "me/clinicians"])
def test_an_edited_list_cursor_is_422(client, as_owner, problem, collection, values):
    response = client.get(f"{API}/{collection}?cursor={_cursor(values)}", headers=as_owner)
    assert "cursor" in problem(response, 422)["errors"]


@pytest.mark.parametrize("number", ["9" * 30, "9" * 5000, "\u00b2"])
def test_an_edited_sync_cursor_is_422(client, as_owner, problem, number):
    """Too large for the database's integers, past Python's 4,300-digit limit, or a digit
    only to ``str.isdigit``: each answered 500."""
    since = base64.urlsafe_b64encode(f"seq:{number}".encode()).decode()
    assert "since" in problem(client.get(f"{API}/sync?since={since}", headers=as_owner), 422)["errors"]


@pytest.mark.parametrize("body", ["[" * 100_000 + "]" * 100_000,
                                  '{"changes": [' + "[" * 5000 + "]" * 5000 + "]}"])
def test_json_nested_too_deep_is_400(client, as_owner, problem, body):
    """Python's JSON decoder raises RecursionError, which is no ValueError: it answered 500."""
    response = client.post(f"{API}/sync", data=body, content_type="application/json",
                           headers=as_owner)
    problem(response, 400)


def test_json_nested_too_deep_is_400_on_a_rate_limited_login(app, client, problem):
    """The per-account limit reads the email from the body before the view does."""
    app.config["RATELIMIT_ENABLED"] = True
    try:
        response = client.post(f"{API}/auth/token", data="[" * 100_000 + "]" * 100_000,
                               content_type="application/json")
    finally:
        app.config["RATELIMIT_ENABLED"] = False
    problem(response, 400)


UNSTORABLE = ["a\udc00b", "a\x00b"]  # a lone surrogate (no UTF-8 for it); NUL (PostgreSQL)


@pytest.mark.parametrize("text", UNSTORABLE)
@pytest.mark.parametrize("method, path, body, field", [
    ("POST", "/episodes", {**EPISODE, "notes": "{}"}, "notes"),
    ("POST", "/episodes", {**EPISODE, "triggers": ["sleep", "{}"]}, "triggers"),
    ("POST", "/episodes", {**EPISODE, "medications": [{**MEDICINE, "name": "{}"}]}, "medications.0.name"),
    ("PUT", "/diary-days/2026-03-01", {"headache_free": True, "notes": "{}"}, "notes"),
    ("POST", "/treatments", {"administered_on": "2026-01-05", "product": "{}"}, "product"),
    ("PATCH", "/me", {"display_name": "{}"}, "display_name"),
    ("POST", "/me/clinicians", {"code": "{}"}, "code"),
    ("POST", "/auth/token", {"email": "{}@example.org", "password": "correct horse"}, "email"),
    ("POST", "/auth/refresh", {"refresh_token": "{}"}, "refresh_token"),
    ("POST", "/auth/register", {"email": "new@example.org", "password": "{}{}{}{}{}",
                                "display_name": "New", "timezone": "Europe/London"}, "password"),
])
def test_text_that_cannot_be_stored_is_422(client, as_owner, problem, text, method, path, body, field):
    """Each answered 500: encoding to UTF-8 for SQLite or a password hash, or PostgreSQL."""
    body = json.loads(json.dumps(body).replace("{}", json.dumps(text)[1:-1]))
    response = client.open(f"{API}{path}", method=method, json=body, headers=as_owner)
    assert field in problem(response, 422)["errors"]
    assert client.get(f"{API}/episodes", headers=as_owner).get_json()["items"] == []


def test_a_synced_change_with_text_that_cannot_be_stored_is_invalid(client, as_owner):
    change = {"kind": "episode", "id": str(uuid.uuid4()), **EPISODE, "notes": "\x00"}
    response = client.post(f"{API}/sync", json={"changes": [change]}, headers=as_owner)
    [result] = response.get_json()["results"]
    assert (result["status"], list(result["errors"])) == ("invalid", ["notes"])
