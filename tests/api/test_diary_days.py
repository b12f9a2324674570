"""Diary days over HTTP: recording a date, listing, deleting; validation, idempotent PUT,
If-Match preconditions, and who may do what."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from diary.extensions import db
from tests.api.owner_fixtures import as_owner, owner  # noqa: F401 (fixtures)
from diary.models import DiaryDay

BASE = "/api/v1/diary-days"
FREE = {"headache_free": True, "notes": ""}


def stored_days(app, patient) -> list[DiaryDay]:
    with app.app_context():
        rows = list(db.session.scalars(select(DiaryDay).where(DiaryDay.patient_id == patient.id)))
        for row in rows:
            db.session.expunge(row)
        return rows


@pytest.fixture
def recorded(client, as_owner):
    """The owner's diary day of 2026-03-01: its JSON."""
    response = client.put(f"{BASE}/2026-03-01", json=FREE, headers=as_owner)
    assert response.status_code == 201
    return response.get_json()


def test_put_creates_then_replaces_and_the_same_body_twice_stores_one(app, client, owner, as_owner):
    url = f"{BASE}/2026-03-01"
    created = client.put(url, json=FREE, headers=as_owner)
    again = client.put(url, json=FREE, headers=as_owner)
    replaced = client.put(url, json={"headache_free": False, "notes": "mild"}, headers=as_owner)
    assert [r.status_code for r in (created, again, replaced)] == [201, 200, 200]
    assert [r.headers["ETag"] for r in (created, again, replaced)] == ['"1"', '"1"', '"2"']
    body = replaced.get_json()
    assert set(body) == {"id", "date", "headache_free", "notes", "version", "created_at", "updated_at"}
    assert (body["date"], body["headache_free"], body["notes"]) == ("2026-03-01", False, "mild")
    assert len(stored_days(app, owner)) == 1


def test_notes_default_to_empty(client, as_owner):
    response = client.put(f"{BASE}/2026-03-01", json={"headache_free": False}, headers=as_owner)
    assert response.get_json()["notes"] == ""


def test_a_client_id_is_kept_and_another_id_for_the_date_is_a_409(client, as_owner, problem):
    chosen = str(uuid.uuid4())
    url = f"{BASE}/2026-03-01"
    assert client.put(url, json={**FREE, "id": chosen}, headers=as_owner).get_json()["id"] == chosen
    assert client.put(url, json={**FREE, "id": chosen}, headers=as_owner).status_code == 200
    problem(client.put(url, json={**FREE, "id": str(uuid.uuid4())}, headers=as_owner), 409)


def test_headache_free_is_stored_as_sent_on_a_date_with_an_episode(client, as_owner):
    client.post("/api/v1/episodes", headers=as_owner, json={
        "started_at": "2026-03-01T10:00:00+00:00", "ended_at": "2026-03-01T12:00:00+00:00",
        "peak_severity": 2})
    response = client.put(f"{BASE}/2026-03-01", json=FREE, headers=as_owner)
    assert (response.status_code, response.get_json()["headache_free"]) == (201, True)


INVALID = {
    "missing headache_free": ({"notes": ""}, "headache_free"),
    "headache_free as text": ({"headache_free": "yes"}, "headache_free"),
    "headache_free as a number": ({"headache_free": 1}, "headache_free"),
    "null headache_free": ({"headache_free": None}, "headache_free"),
    "unknown field": ({**FREE, "mood": "fine"}, "mood"),
    "notes too long": ({**FREE, "notes": "x" * 5001}, "notes"),
    "bad id": ({**FREE, "id": "not-a-uuid"}, "id"),
    "other date in body": ({**FREE, "date": "2026-03-02"}, "date"),
}


@pytest.mark.parametrize("body, field", INVALID.values(), ids=INVALID.keys())
def test_invalid_body_is_a_422_naming_the_field(app, client, owner, as_owner, problem, body, field):
    response = client.put(f"{BASE}/2026-03-01", json=body, headers=as_owner)
    assert field in problem(response, 422)["errors"]
    assert stored_days(app, owner) == []


@pytest.mark.parametrize("method", ["get", "put", "delete"])
@pytest.mark.parametrize("raw", ["2026-02-30", "2026-3-1", "yesterday", "2026-03-01T00:00:00Z"])
def test_invalid_date_in_the_path_is_a_422_on_date(client, as_owner, problem, method, raw):
    response = getattr(client, method)(f"{BASE}/{raw}", json=FREE if method == "put" else None,
                                       headers=as_owner)
    assert "date" in problem(response, 422)["errors"]


def test_get_one_date_with_its_etag(client, as_owner, recorded, problem):
    response = client.get(f"{BASE}/2026-03-01", headers=as_owner)
    assert (response.get_json(), response.headers["ETag"]) == (recorded, '"1"')
    problem(client.get(f"{BASE}/2026-03-02", headers=as_owner), 404)


def test_stale_if_match_is_a_412_and_changes_nothing(client, as_owner, recorded, problem):
    url = f"{BASE}/2026-03-01"
    client.put(url, json={**FREE, "notes": "first"}, headers={**as_owner, "If-Match": '"1"'})
    problem(client.put(url, json={**FREE, "notes": "second"}, headers={**as_owner, "If-Match": '"1"'}), 412)
    problem(client.delete(url, headers={**as_owner, "If-Match": '"1"'}), 412)
    current = client.get(url, headers=as_owner)
    assert (current.headers["ETag"], current.get_json()["notes"]) == ('"2"', "first")


def test_delete_leaves_a_tombstone_and_the_date_can_be_recorded_again(app, client, owner, as_owner,
                                                                      recorded, problem):
    url = f"{BASE}/2026-03-01"
    assert client.delete(url, headers=as_owner).status_code == 204
    problem(client.get(url, headers=as_owner), 404)
    problem(client.delete(url, headers=as_owner), 404)
    assert client.get(BASE, headers=as_owner).get_json()["items"] == []
    again = client.put(url, json={"headache_free": False}, headers=as_owner)
    assert again.status_code == 201
    assert (again.get_json()["id"], again.get_json()["version"]) == (recorded["id"], 3)
    assert len(stored_days(app, owner)) == 1


def test_a_deleted_date_put_with_a_new_id_is_a_new_diary_day(app, client, owner, as_owner, recorded):
    import uuid

    url = f"{BASE}/2026-03-01"
    assert client.delete(url, headers=as_owner).status_code == 204
    new_id = str(uuid.uuid4())
    again = client.put(url, json={"id": new_id, "headache_free": True}, headers=as_owner)
    assert again.status_code == 201
    assert (again.get_json()["id"], again.get_json()["version"]) == (new_id, 1)
    assert client.get(url, headers=as_owner).get_json()["id"] == new_id
    assert len(stored_days(app, owner)) == 2  # the tombstone stays for sync


def test_list_is_latest_date_first_within_the_range_and_pages(client, as_owner):
    for day in range(1, 7):
        client.put(f"{BASE}/2026-03-0{day}", json=FREE, headers=as_owner)
    first = client.get(f"{BASE}?from=2026-03-02&to=2026-03-05&limit=3", headers=as_owner).get_json()
    second = client.get(f"{BASE}?from=2026-03-02&to=2026-03-05&limit=3&cursor={first['next_cursor']}",
                        headers=as_owner).get_json()
    dates = [item["date"] for page in (first, second) for item in page["items"]]
    assert dates == ["2026-03-05", "2026-03-04", "2026-03-03", "2026-03-02"]
    assert second["next_cursor"] is None


@pytest.mark.parametrize("query, field", [("?from=2026-13-01", "from"), ("?to=soon", "to"),
                                          ("?from=2026-03-02&to=2026-03-01", "from")])
def test_bad_list_query_is_a_422(client, as_owner, problem, query, field):
    assert field in problem(client.get(f"{BASE}{query}", headers=as_owner), 422)["errors"]


# Who may do what: /diary-days is the caller's own diary, so a clinician gets 403 for the
# list (it names no one) and 404 for a date (a path naming a resource, never 403, whatever
# the caller's role); another patient reaches only their own diary.

ACCESS = {"owner": 200, "other_patient": 200, "unlinked_clinician": 403,
          "linked_clinician": 403, "withdrawn_clinician": 403, "anonymous": 401}


@pytest.mark.parametrize("name", ACCESS)
def test_access(app, client, cast, owner, recorded, name, problem):
    headers = cast.actor(name).headers
    listing = client.get(BASE, headers=headers)
    one = client.get(f"{BASE}/2026-03-01", headers=headers)
    write = client.put(f"{BASE}/2026-03-01", json={"headache_free": False}, headers=headers)
    delete = client.delete(f"{BASE}/2026-03-01", headers=headers)
    if name == "owner":
        assert [listing.status_code, one.status_code, write.status_code, delete.status_code] == [200, 200, 200, 204]
        return
    if name == "other_patient":
        assert listing.get_json()["items"] == []
        problem(one, 404)
        assert write.status_code == 201 and write.get_json()["id"] != recorded["id"]
        assert delete.status_code == 204
    else:
        problem(listing, ACCESS[name])
        for response in (one, write, delete):
            problem(response, 404 if ACCESS[name] == 403 else ACCESS[name])
    [kept] = stored_days(app, owner)
    assert (kept.version, kept.headache_free, kept.deleted_at) == (1, True, None)
