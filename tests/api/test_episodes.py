"""Headache episodes over HTTP: create, replace, amend, list by local dates, delete; every
validation rule, idempotent retries, If-Match preconditions, and who may do what."""
from __future__ import annotations

import threading
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from diary.api.schemas.episodes import EPISODE_EXAMPLE
from diary.extensions import db
from tests.api.owner_fixtures import as_owner, owner  # noqa: F401 (fixtures)
from diary.models import Episode, User

BASE = "/api/v1/episodes"
# The OpenAPI example, which must itself be a valid episode (without its id).
EPISODE = {name: value for name, value in EPISODE_EXAMPLE.items() if name != "id"}


DROP = object()  # a value for episode(...) that leaves the field out


def episode(**changes) -> dict:
    return {k: v for k, v in {**EPISODE, **changes}.items() if v is not DROP}


def at(**delta) -> str:
    """An instant relative to now, RFC 3339 with an offset."""
    return (datetime.now(timezone.utc) + timedelta(**delta)).isoformat()


def stored_episodes(app, patient) -> list[Episode]:
    with app.app_context():
        rows = list(db.session.scalars(select(Episode).where(Episode.patient_id == patient.id)))
        for row in rows:
            db.session.expunge(row)
        return rows


@pytest.fixture
def recorded(client, as_owner):
    """One episode of the owner's: its JSON."""
    response = client.post(BASE, json=EPISODE, headers=as_owner)
    assert response.status_code == 201
    return response.get_json()


# Creating -----------------------------------------------------------------------------

def test_post_creates_with_location_etag_and_the_contract_fields(client, as_owner):
    response = client.post(BASE, json=EPISODE, headers=as_owner)
    assert response.status_code == 201
    body = response.get_json()
    assert response.headers["Location"].endswith(f"{BASE}/{body['id']}")
    assert response.headers["ETag"] == '"1"'
    assert body["version"] == 1
    assert set(body) == {*EPISODE, "id", "version", "created_at", "updated_at"}
    assert body["medications"] == [{"name": "sumatriptan", "class": "triptan", "dose_mg": 50.0,
                                    "taken_at": "2026-03-01T23:00:00+00:00"}]
    assert body["features"] == EPISODE["features"]
    assert client.get(response.headers["Location"], headers=as_owner).get_json() == body


def test_post_with_a_client_id_stores_it(client, as_owner):
    chosen = str(uuid.uuid4())
    response = client.post(BASE, json=episode(id=chosen), headers=as_owner)
    assert response.status_code == 201
    assert response.get_json()["id"] == chosen


def test_retried_post_answers_200_with_the_stored_episode_and_stores_one(app, client, owner, as_owner):
    body = episode(id=str(uuid.uuid4()))
    first = client.post(BASE, json=body, headers=as_owner)
    again = client.post(BASE, json=body, headers=as_owner)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json() == first.get_json()
    assert again.headers["ETag"] == '"1"'
    assert len(stored_episodes(app, owner)) == 1


def test_post_of_an_existing_id_with_other_content_is_a_409(client, as_owner, recorded, problem):
    response = client.post(BASE, json=episode(id=recorded["id"], peak_severity=3), headers=as_owner)
    problem(response, 409)
    assert client.get(f"{BASE}/{recorded['id']}", headers=as_owner).get_json() == recorded


def test_post_of_a_deleted_id_is_a_409(client, as_owner, recorded, problem):
    client.delete(f"{BASE}/{recorded['id']}", headers=as_owner)
    problem(client.post(BASE, json=episode(id=recorded["id"]), headers=as_owner), 409)


def test_timezone_defaults_to_the_profile_time_zone(client, make_user, auth_headers):
    sydney = make_user(timezone="Australia/Sydney")
    response = client.post(BASE, json=episode(timezone=DROP), headers=auth_headers(sydney))
    assert response.get_json()["timezone"] == "Australia/Sydney"


def test_optional_parts_default_to_empty(client, as_owner):
    body = {"started_at": "2026-03-01T08:00:00+01:00", "peak_severity": 1}
    response = client.post(BASE, json=body, headers=as_owner)
    assert response.status_code == 201
    created = response.get_json()
    assert created["ended_at"] is None
    assert created["features"] == dict.fromkeys(EPISODE["features"], False)
    assert (created["medications"], created["triggers"], created["notes"]) == ([], [], "")
    assert created["started_at"] == "2026-03-01T07:00:00+00:00"  # stored and answered in UTC


def test_features_left_out_of_the_object_are_false(client, as_owner):
    response = client.post(BASE, json=episode(features={"aura": True}), headers=as_owner)
    assert response.get_json()["features"] == {**dict.fromkeys(EPISODE["features"], False),
                                               "aura": True}


# Validation ---------------------------------------------------------------------------

INVALID = {
    "naive started_at": ({"started_at": "2026-03-01T22:30:00"}, "started_at"),
    "date-only started_at": ({"started_at": "2026-03-01"}, "started_at"),
    "naive ended_at": ({"ended_at": "2026-03-02T03:00:00"}, "ended_at"),
    "ended before start": ({"ended_at": "2026-03-01T22:00:00+00:00"}, "ended_at"),
    "longer than 14 days": ({"ended_at": "2026-03-15T22:31:00+00:00"}, "ended_at"),
    "severity 0": ({"peak_severity": 0}, "peak_severity"),
    "severity 4": ({"peak_severity": 4}, "peak_severity"),
    "severity 2.5": ({"peak_severity": 2.5}, "peak_severity"),
    "severity as text": ({"peak_severity": "2"}, "peak_severity"),
    "missing severity": ({"peak_severity": DROP}, "peak_severity"),
    "missing start": ({"started_at": DROP}, "started_at"),
    "null severity": ({"peak_severity": None}, "peak_severity"),
    "unknown medication class": ({"medications": [{**EPISODE["medications"][0], "class": "herbal"}]},
                                 "medications.0.class"),
    "naive taken_at": ({"medications": [{**EPISODE["medications"][0],
                                         "taken_at": "2026-03-01T23:00:00"}]}, "medications.0.taken_at"),
    "negative dose": ({"medications": [{**EPISODE["medications"][0], "dose_mg": -1}]},
                      "medications.0.dose_mg"),
    "absurd dose": ({"medications": [{**EPISODE["medications"][0], "dose_mg": 1e300}]},
                    "medications.0.dose_mg"),
    "nameless medicine": ({"medications": [{**EPISODE["medications"][0], "name": ""}]},
                          "medications.0.name"),
    "unknown field": ({"mood": "grumpy"}, "mood"),
    "unknown feature": ({"features": {"aura": True, "dizzy": True}}, "features.dizzy"),
    "unknown medication field": ({"medications": [{**EPISODE["medications"][0], "brand": "x"}]},
                                 "medications.0.brand"),
    "unknown time zone": ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
    "notes too long": ({"notes": "x" * 5001}, "notes"),
    "trigger too long": ({"triggers": ["x" * 51]}, "triggers.0"),
    "too many triggers": ({"triggers": ["t"] * 31}, "triggers"),
    "features not an object": ({"features": ["aura"]}, "features"),
    "feature as text": ({"features": {"aura": "yes"}}, "features.aura"),
}


@pytest.mark.parametrize("changes, field", INVALID.values(), ids=INVALID.keys())
def test_invalid_episode_is_a_422_naming_the_field_and_stores_nothing(
        app, client, owner, as_owner, problem, changes, field):
    response = client.post(BASE, json=episode(**changes), headers=as_owner)
    errors = problem(response, 422)["errors"]
    assert [name for name in errors if name == field or name.startswith(field + ".")], errors
    assert stored_episodes(app, owner) == []


def test_start_more_than_ten_minutes_ahead_is_a_422(client, as_owner, problem):
    response = client.post(BASE, json=episode(started_at=at(minutes=11), ended_at=None),
                           headers=as_owner)
    assert "started_at" in problem(response, 422)["errors"]


def test_start_a_few_minutes_ahead_is_accepted(client, as_owner):
    response = client.post(BASE, json=episode(started_at=at(minutes=5), ended_at=None,
                                              medications=[]), headers=as_owner)
    assert response.status_code == 201


def test_exactly_fourteen_days_is_accepted(client, as_owner):
    response = client.post(BASE, json=episode(ended_at="2026-03-15T22:30:00+00:00"),
                           headers=as_owner)
    assert response.status_code == 201


def test_put_body_id_must_match_the_path(client, as_owner, problem):
    response = client.put(f"{BASE}/{uuid.uuid4()}", json=episode(id=str(uuid.uuid4())),
                          headers=as_owner)
    assert "id" in problem(response, 422)["errors"]


def test_a_client_may_send_back_the_server_fields_it_received(client, as_owner, recorded):
    response = client.put(f"{BASE}/{recorded['id']}", json={**recorded, "notes": "better"},
                          headers=as_owner)
    assert response.status_code == 200
    assert response.get_json()["version"] == 2


# Replacing, amending, preconditions -------------------------------------------------------

def test_put_creates_then_replaces_and_the_same_body_twice_stores_one(app, client, owner, as_owner):
    url = f"{BASE}/{uuid.uuid4()}"
    created = client.put(url, json=EPISODE, headers=as_owner)
    again = client.put(url, json=EPISODE, headers=as_owner)
    replaced = client.put(url, json=episode(peak_severity=3), headers=as_owner)
    assert (created.status_code, again.status_code, replaced.status_code) == (201, 200, 200)
    assert [r.headers["ETag"] for r in (created, again, replaced)] == ['"1"', '"1"', '"2"']
    assert again.get_json()["updated_at"] == created.get_json()["updated_at"]
    assert len(stored_episodes(app, owner)) == 1


def test_put_replaces_everything_left_out_with_defaults(client, as_owner, recorded):
    body = {"started_at": EPISODE["started_at"], "peak_severity": 2}
    replaced = client.put(f"{BASE}/{recorded['id']}", json=body, headers=as_owner).get_json()
    assert (replaced["medications"], replaced["triggers"], replaced["ended_at"]) == ([], [], None)


def test_identical_content_in_another_offset_is_unchanged(client, as_owner, recorded):
    same = episode(started_at="2026-03-01T23:30:00+01:00")
    response = client.put(f"{BASE}/{recorded['id']}", json=same, headers=as_owner)
    assert (response.status_code, response.get_json()["version"]) == (200, 1)


def test_stale_if_match_is_a_412_and_changes_nothing(client, as_owner, recorded, problem):
    url = f"{BASE}/{recorded['id']}"
    client.put(url, json=episode(notes="first"), headers={**as_owner, "If-Match": '"1"'})
    for method, body in (("put", episode(notes="second")), ("patch", {"notes": "second"}),
                         ("delete", None)):
        response = getattr(client, method)(url, json=body, headers={**as_owner, "If-Match": '"1"'})
        problem(response, 412)
        assert response.headers["ETag"] == '"2"'
    current = client.get(url, headers=as_owner)
    assert (current.headers["ETag"], current.get_json()["notes"]) == ('"2"', "first")


def test_two_devices_editing_the_second_with_the_old_etag_gets_412(client, as_owner, recorded, problem):
    url = f"{BASE}/{recorded['id']}"
    phone = client.get(url, headers=as_owner).headers["ETag"]
    tablet = client.get(url, headers=as_owner).headers["ETag"]
    assert client.patch(url, json={"peak_severity": 3}, headers={**as_owner, "If-Match": phone}).status_code == 200
    problem(client.patch(url, json={"notes": "tablet"}, headers={**as_owner, "If-Match": tablet}), 412)
    assert client.get(url, headers=as_owner).get_json()["notes"] == ""


def test_if_match_on_a_put_that_would_create_is_a_412(client, as_owner, problem):
    response = client.put(f"{BASE}/{uuid.uuid4()}", json=EPISODE, headers={**as_owner, "If-Match": '"1"'})
    problem(response, 412)


def test_patch_changes_only_what_it_names_and_bumps_the_version(client, as_owner, recorded):
    url = f"{BASE}/{recorded['id']}"
    response = client.patch(url, json={"features": {"aura": True}, "notes": "dark room"},
                            headers={**as_owner, "If-Match": '"1"'})
    assert (response.status_code, response.headers["ETag"]) == (200, '"2"')
    body = response.get_json()
    assert body["features"] == {**EPISODE["features"], "aura": True}
    assert body["notes"] == "dark room"
    assert body["medications"] == recorded["medications"]


def test_patch_ending_an_ongoing_episode(client, as_owner):
    started = client.post(BASE, json=episode(ended_at=None), headers=as_owner).get_json()
    response = client.patch(f"{BASE}/{started['id']}", json={"ended_at": "2026-03-02T01:00:00Z"},
                            headers=as_owner)
    assert response.get_json()["ended_at"] == "2026-03-02T01:00:00+00:00"


def test_patch_is_checked_as_a_whole(client, as_owner, recorded, problem):
    url = f"{BASE}/{recorded['id']}"
    response = client.patch(url, json={"started_at": "2026-03-02T04:00:00+00:00"}, headers=as_owner)
    assert "ended_at" in problem(response, 422)["errors"]
    assert "mood" in problem(client.patch(url, json={"mood": 1}, headers=as_owner), 422)["errors"]
    assert client.get(url, headers=as_owner).get_json() == recorded


def test_patch_checks_each_medicine_whole(client, as_owner, recorded, problem):
    """Only the episode's own fields may be left out of a PATCH: a medicine sent without its
    name or time is a 422 (it once reached the database and answered 409), and one sent
    without a dose has none."""
    url = f"{BASE}/{recorded['id']}"
    response = client.patch(url, json={"medications": [{"class": "triptan"}]}, headers=as_owner)
    assert set(problem(response, 422)["errors"]) == {"medications.0.name", "medications.0.taken_at"}
    medicine = {"name": "ibuprofen", "class": "nsaid", "taken_at": "2026-03-01T23:00:00+00:00"}
    response = client.patch(url, json={"medications": [medicine]}, headers=as_owner)
    assert response.get_json()["medications"] == [{**medicine, "dose_mg": None}]


def test_patch_with_nothing_new_keeps_the_version(client, as_owner, recorded):
    response = client.patch(f"{BASE}/{recorded['id']}", json={"notes": ""}, headers=as_owner)
    assert response.headers["ETag"] == '"1"'


# Deleting -----------------------------------------------------------------------------

def test_delete_leaves_a_tombstone_that_nobody_sees(app, client, owner, as_owner, recorded, problem):
    url = f"{BASE}/{recorded['id']}"
    assert client.delete(url, headers=as_owner).status_code == 204
    problem(client.get(url, headers=as_owner), 404)
    problem(client.delete(url, headers=as_owner), 404)
    problem(client.patch(url, json={"notes": "x"}, headers=as_owner), 404)
    problem(client.put(url, json=EPISODE, headers=as_owner), 409)
    assert client.get(BASE, headers=as_owner).get_json()["items"] == []
    [tombstone] = stored_episodes(app, owner)
    assert tombstone.deleted_at is not None and tombstone.version == 2


# Listing by local dates ---------------------------------------------------------------

def listed(client, headers, query: str = "") -> list[str]:
    response = client.get(f"{BASE}{query}", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return [item["started_at"] for item in response.get_json()["items"]]


def test_an_episode_across_london_midnight_is_on_both_dates(client, as_owner):
    client.post(BASE, json=episode(started_at="2026-03-01T23:30:00+00:00",
                                   ended_at="2026-03-02T00:30:00+00:00", medications=[]),
                headers=as_owner)
    for query in ("?from=2026-03-01&to=2026-03-01", "?from=2026-03-02&to=2026-03-02",
                  "?from=2026-03-02", "?to=2026-03-01"):
        assert listed(client, as_owner, query) == ["2026-03-01T23:30:00+00:00"], query
    assert listed(client, as_owner, "?from=2026-03-03") == []
    assert listed(client, as_owner, "?to=2026-02-28") == []


def test_dates_are_the_patients_own_days_in_sydney(client, make_user, auth_headers):
    sydney = auth_headers(make_user(timezone="Australia/Sydney"))
    # 2026-03-01 14:00-15:00 UTC is 2026-03-02 01:00-02:00 in Sydney (UTC+11).
    client.post(BASE, json=episode(started_at="2026-03-01T14:00:00+00:00",
                                   ended_at="2026-03-01T15:00:00+00:00", medications=[],
                                   timezone="Australia/Sydney"), headers=sydney)
    assert listed(client, sydney, "?from=2026-03-02&to=2026-03-02") == ["2026-03-01T14:00:00+00:00"]
    assert listed(client, sydney, "?from=2026-03-01&to=2026-03-01") == []


def test_an_ongoing_episode_overlaps_every_later_day(client, as_owner):
    client.post(BASE, json=episode(started_at=at(days=-3), ended_at=None, medications=[]),
                headers=as_owner)
    today = datetime.now(timezone.utc).date()
    assert len(listed(client, as_owner, f"?from={today}&to={today}")) == 1
    assert listed(client, as_owner, f"?to={today - timedelta(days=5)}") == []


def test_an_episode_ending_at_midnight_is_not_on_the_next_day(client, as_owner):
    client.post(BASE, json=episode(started_at="2026-03-01T22:00:00+00:00",
                                   ended_at="2026-03-02T00:00:00+00:00", medications=[]),
                headers=as_owner)
    assert listed(client, as_owner, "?from=2026-03-02") == []


def test_list_is_newest_first_and_pages_with_a_cursor(client, as_owner):
    for day in range(1, 6):
        client.post(BASE, json=episode(started_at=f"2026-03-0{day}T10:00:00+00:00",
                                       ended_at=None, medications=[]), headers=as_owner)
    first = client.get(f"{BASE}?limit=2", headers=as_owner).get_json()
    second = client.get(f"{BASE}?limit=2&cursor={first['next_cursor']}", headers=as_owner).get_json()
    third = client.get(f"{BASE}?limit=2&cursor={second['next_cursor']}", headers=as_owner).get_json()
    days = [item["started_at"][8:10] for page in (first, second, third) for item in page["items"]]
    assert days == ["05", "04", "03", "02", "01"]
    assert third["next_cursor"] is None


BAD_QUERIES = {
    "invalid date": ("?from=2026-02-30", "from"),
    "not a date": ("?to=yesterday", "to"),
    "a timestamp": ("?from=2026-03-01T00:00:00Z", "from"),
    "from after to": ("?from=2026-03-02&to=2026-03-01", "from"),
    "limit zero": ("?limit=0", "limit"),
    "limit not a number": ("?limit=ten", "limit"),
    "limit too large": ("?limit=501", "limit"),
    "bad cursor": ("?cursor=nonsense", "cursor"),
}


@pytest.mark.parametrize("query, field", BAD_QUERIES.values(), ids=BAD_QUERIES.keys())
def test_bad_list_query_is_a_422(client, as_owner, problem, query, field):
    assert field in problem(client.get(f"{BASE}{query}", headers=as_owner), 422)["errors"]


# Who may do what ----------------------------------------------------------------------

COLLECTION = {"owner": 200, "other_patient": 200, "unlinked_clinician": 403,
              "linked_clinician": 403, "withdrawn_clinician": 403, "anonymous": 401}
ITEM = {"owner": None, "other_patient": 404, "unlinked_clinician": 404,
        "linked_clinician": 404, "withdrawn_clinician": 404, "anonymous": 401}


@pytest.mark.parametrize("name", COLLECTION)
def test_collection_access(client, cast, recorded, name):
    headers = cast.actor(name).headers
    listing = client.get(BASE, headers=headers)
    assert listing.status_code == COLLECTION[name]
    if name == "other_patient":
        assert listing.get_json()["items"] == []
    created = client.post(BASE, json=EPISODE, headers=headers)
    assert created.status_code == {200: 201}.get(COLLECTION[name], COLLECTION[name])


@pytest.mark.parametrize("name", ITEM)
@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_item_access(app, client, cast, recorded, name, method, problem):
    url = f"{BASE}/{recorded['id']}"
    body = {"put": episode(notes="mine now"), "patch": {"notes": "mine now"}}.get(method)
    response = getattr(client, method)(url, json=body, headers=cast.actor(name).headers)
    if ITEM[name] is None:
        assert response.status_code in (200, 204)
        return
    problem(response, ITEM[name])
    [kept] = stored_episodes(app, cast.owner.user)
    assert (kept.version, kept.notes, kept.deleted_at) == (1, "", None)


def test_anonymous_gets_401_before_the_body_is_read(client, problem):
    problem(client.post(BASE, json={"nonsense": True}), 401)


def test_a_clinician_gets_403_before_the_body_is_read(client, cast, problem):
    problem(client.post(BASE, json={"nonsense": True}, headers=cast.linked_clinician.headers), 403)


# Concurrency --------------------------------------------------------------------------

def test_two_concurrent_writers_for_one_patient_both_succeed_with_distinct_change_numbers(
        app, owner, as_owner):
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def write() -> None:
        body = episode(id=str(uuid.uuid4()))
        barrier.wait()
        statuses.append(app.test_client().put(f"{BASE}/{body['id']}", json=body,
                                              headers=as_owner).status_code)

    threads = [threading.Thread(target=write) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [201, 201]
    seqs = sorted(e.change_seq for e in stored_episodes(app, owner))
    with app.app_context():
        counter = db.session.scalar(select(User.change_seq).where(User.id == owner.id))
    assert seqs == [counter - 1, counter]
