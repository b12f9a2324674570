"""Sync over HTTP: paging through changes with an opaque cursor, uploading offline backlogs
(one savepoint per change), retries, conflicts, invalid changes, and who may sync."""
from __future__ import annotations

import random
import uuid

import pytest
from sqlalchemy import func, select

from diary.extensions import db
from tests.api.owner_fixtures import as_owner, owner  # noqa: F401 (fixtures)
from diary.models import DiaryDay, Episode, Treatment

BASE = "/api/v1/sync"


def an_episode(**changes) -> dict:
    return {"kind": "episode", "id": str(uuid.uuid4()), "started_at": "2026-03-01T10:00:00+00:00",
            "ended_at": "2026-03-01T14:00:00+00:00", "peak_severity": 2, **changes}


def a_day(date: str, **changes) -> dict:
    return {"kind": "diary_day", "id": str(uuid.uuid4()), "date": date, "headache_free": True,
            **changes}


def a_treatment(**changes) -> dict:
    return {"kind": "treatment", "id": str(uuid.uuid4()), "administered_on": "2026-01-05", **changes}


def deletion(change: dict) -> dict:
    return {"kind": change["kind"], "id": change["id"], "deleted": True}


def count(app, model, patient) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model)
                                 .where(model.patient_id == patient.id))


@pytest.fixture
def upload(client, as_owner):
    """POST a batch as the owner; the list of results."""

    def send(changes: list, headers: dict | None = None) -> list[dict]:
        response = client.post(BASE, json={"changes": changes}, headers=headers or as_owner)
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_json()["results"]

    return send


@pytest.fixture
def fetch(client, as_owner):
    """GET /sync as the owner; the answer's JSON."""

    def get(since: str | None = None, limit: int | None = None, headers: dict | None = None) -> dict:
        query = {k: v for k, v in {"since": since, "limit": limit}.items() if v is not None}
        response = client.get(BASE, query_string=query, headers=headers or as_owner)
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_json()

    return get


def statuses(results: list[dict]) -> list[str]:
    return [result["status"] for result in results]


# Uploading ----------------------------------------------------------------------------

def test_a_batch_stores_each_kind_and_answers_in_order(app, owner, upload):
    batch = [an_episode(), a_day("2026-03-01"), a_treatment()]
    results = upload(batch)
    assert [(r["id"], r["kind"], r["status"], r["version"], r["errors"]) for r in results] == [
        (c["id"], c["kind"], "stored", 1, None) for c in batch]
    assert [count(app, m, owner) for m in (Episode, DiaryDay, Treatment)] == [1, 1, 1]


def test_the_same_batch_again_stores_nothing_and_answers_unchanged(app, owner, upload, fetch):
    batch = [an_episode(), a_day("2026-03-01"), a_treatment()]
    upload(batch)
    cursor = fetch()["cursor"]
    results = upload(batch)
    assert statuses(results) == ["unchanged"] * 3
    assert [r["version"] for r in results] == [1, 1, 1]
    assert fetch(cursor)["changes"] == []


def test_a_retry_storm_in_shuffled_order_stores_one_copy_of_each(app, owner, upload):
    batch = [an_episode(notes=f"n{i}") for i in range(5)]
    batch += [a_day(f"2026-03-0{i}") for i in range(1, 6)] + [a_treatment()]
    first = upload(batch)
    assert statuses(first) == ["stored"] * len(batch)
    rng = random.Random(3)
    for _ in range(4):
        shuffled = rng.sample(batch, len(batch))
        assert statuses(upload(shuffled)) == ["unchanged"] * len(batch)
    assert [count(app, m, owner) for m in (Episode, DiaryDay, Treatment)] == [5, 5, 1]


def test_an_invalid_change_does_not_spoil_the_others(app, owner, upload):
    bad = an_episode(peak_severity=7)
    results = upload([an_episode(), bad, a_day("2026-03-01")])
    assert statuses(results) == ["stored", "invalid", "stored"]
    assert results[1]["id"] == bad["id"] and "peak_severity" in results[1]["errors"]
    assert count(app, Episode, owner) == 1


def test_a_change_that_breaks_a_rule_at_store_time_is_invalid(upload):
    [result] = upload([an_episode(ended_at="2026-03-01T09:00:00+00:00")])
    assert result["status"] == "invalid" and "ended_at" in result["errors"]


MALFORMED = {
    "not an object": ("just text", "_schema"),
    "no kind": ({"id": str(uuid.uuid4()), "headache_free": True}, "kind"),
    "unknown kind": ({"kind": "mood", "id": str(uuid.uuid4())}, "kind"),
    "no id": ({"kind": "episode", "started_at": "2026-03-01T10:00:00+00:00", "peak_severity": 1}, "id"),
    "bad id": ({"kind": "episode", "id": "42", "deleted": True}, "id"),
    "unknown field": (an_episode(mood="grumpy"), "mood"),
    "naive time": (an_episode(started_at="2026-03-01T10:00:00"), "started_at"),
    "float severity": (an_episode(peak_severity=2.0), "peak_severity"),
    "deletion with fields": ({**deletion(an_episode()), "notes": "x"}, "notes"),
    "deleted not a boolean": ({**deletion(an_episode()), "deleted": "yes"}, "deleted"),
    "stale base_version type": (an_episode(base_version="2"), "base_version"),
    "diary day without date": ({"kind": "diary_day", "id": str(uuid.uuid4()), "headache_free": True}, "date"),
    "treatment of another patient": (a_treatment(patient_id=str(uuid.uuid4())), "patient_id"),
}


@pytest.mark.parametrize("change, field", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_change_is_invalid_with_errors_not_a_422(upload, change, field):
    [result, good] = upload([change, a_day("2026-03-09")])
    assert result["status"] == "invalid"
    assert field in result["errors"], result["errors"]
    assert good["status"] == "stored"


@pytest.mark.parametrize("body", [{}, {"changes": "all"}, {"changes": [], "extra": 1}, []])
def test_a_body_that_is_not_a_batch_is_a_422(client, as_owner, problem, body):
    problem(client.post(BASE, json=body, headers=as_owner), 422)


def test_more_than_the_batch_limit_is_a_413_and_stores_nothing(app, owner, client, as_owner, problem):
    changes = [an_episode()] + [deletion(an_episode()) for _ in range(app.config["SYNC_MAX_BATCH"])]
    problem(client.post(BASE, json={"changes": changes}, headers=as_owner), 413)
    assert count(app, Episode, owner) == 0


def test_a_stale_base_version_is_a_conflict_and_the_current_one_stores(upload):
    change = an_episode()
    upload([change])
    upload([{**change, "notes": "edited on the tablet"}])
    stale, current = upload([{**change, "notes": "phone", "base_version": 1},
                             {**change, "notes": "phone", "base_version": 2}])
    assert (stale["status"], stale["version"]) == ("conflict", 2)
    assert (current["status"], current["version"]) == ("stored", 3)


def test_a_new_id_for_a_date_that_has_a_diary_day_is_a_conflict(client, as_owner, upload):
    upload([a_day("2026-03-01", notes="phone")])
    [result] = upload([a_day("2026-03-01", notes="tablet")])
    assert result["status"] == "conflict" and "date" in result["errors"]
    assert client.get("/api/v1/diary-days/2026-03-01", headers=as_owner).get_json()["notes"] == "phone"


def test_a_deleted_date_can_be_recorded_again_under_a_new_id(client, as_owner, upload, fetch):
    first = a_day("2026-03-01", notes="phone")
    assert statuses(upload([first, deletion(first)])) == ["stored", "stored"]
    cursor = fetch()["cursor"]
    again = a_day("2026-03-01", notes="recorded again offline")
    [result] = upload([again])
    assert (result["status"], result["version"]) == ("stored", 1)
    day = client.get("/api/v1/diary-days/2026-03-01", headers=as_owner).get_json()
    assert (day["id"], day["notes"]) == (again["id"], "recorded again offline")
    assert [c["id"] for c in fetch(cursor)["changes"]] == [again["id"]]


def test_an_upsert_of_a_deleted_id_is_a_conflict_and_the_deletion_stands(client, as_owner, upload):
    change = an_episode()
    assert statuses(upload([change, deletion(change)])) == ["stored", "stored"]
    [result] = upload([{**change, "notes": "revived?"}])
    assert (result["status"], result["version"]) == ("conflict", 2)
    assert client.get(f"/api/v1/episodes/{change['id']}", headers=as_owner).status_code == 404


def test_a_batch_that_created_and_deleted_an_id_sent_again_is_unchanged(client, as_owner, upload):
    batch = [an_episode(), a_day("2026-03-01"), a_treatment()]
    batch += [deletion(change) for change in batch]
    assert statuses(upload(batch)) == ["stored"] * 6
    assert statuses(upload(batch)) == ["unchanged"] * 6
    assert client.get(f"/api/v1/episodes/{batch[0]['id']}", headers=as_owner).status_code == 404


def test_deleting_is_idempotent(upload):
    change = an_episode()
    upload([change])
    assert statuses(upload([deletion(change)])) == ["stored"]
    assert statuses(upload([deletion(change)])) == ["unchanged"]
    assert statuses(upload([deletion(an_episode())])) == ["unchanged"]  # never stored


def test_each_kind_deletes(app, owner, upload, fetch):
    batch = [an_episode(), a_day("2026-03-01"), a_treatment()]
    upload(batch)
    cursor = fetch()["cursor"]
    assert statuses(upload([deletion(c) for c in batch])) == ["stored"] * 3
    assert fetch(cursor)["changes"] == [deletion(c) for c in batch]


def test_another_patients_id_is_a_conflict_and_is_left_alone(app, cast, owner, upload):
    theirs = an_episode(notes="theirs")
    upload([theirs], headers=cast.other_patient.headers)
    results = upload([{**theirs, "notes": "mine"}, deletion(theirs)])
    assert statuses(results) == ["conflict", "conflict"]
    assert [r["version"] for r in results] == [None, None]
    assert count(app, Episode, owner) == 0
    with app.app_context():
        kept = db.session.get(Episode, uuid.UUID(theirs["id"]))
        assert (kept.notes, kept.version, kept.deleted_at) == ("theirs", 1, None)


# Fetching -----------------------------------------------------------------------------

def test_fetch_without_since_gives_everything_oldest_first(upload, fetch):
    batch = [a_day("2026-03-02"), an_episode(), a_treatment(), a_day("2026-03-01")]
    upload(batch)
    page = fetch()
    assert [(c["kind"], c["id"]) for c in page["changes"]] == [(c["kind"], c["id"]) for c in batch]
    assert page["has_more"] is False
    episode = page["changes"][1]
    assert {"features", "medications", "triggers", "notes", "version", "created_at",
            "updated_at", "timezone"} <= set(episode)
    assert fetch(page["cursor"]) == {"changes": [], "cursor": page["cursor"], "has_more": False}


def test_fetch_pages_with_has_more_and_delivers_each_change_once(upload, fetch):
    batch = [a_day(f"2026-03-{d:02d}") for d in range(1, 8)]
    upload(batch)
    seen, cursor, pages = [], None, 0
    while True:
        page = fetch(cursor, limit=3)
        seen += [c["id"] for c in page["changes"]]
        cursor, pages = page["cursor"], pages + 1
        if not page["has_more"]:
            break
    assert seen == [c["id"] for c in batch]
    assert pages == 3


def test_a_changed_resource_comes_again_once_with_its_latest_version(client, as_owner, upload, fetch):
    change = an_episode()
    upload([change, a_day("2026-03-01")])
    cursor = fetch()["cursor"]
    client.patch(f"/api/v1/episodes/{change['id']}", json={"notes": "a"}, headers=as_owner)
    client.patch(f"/api/v1/episodes/{change['id']}", json={"notes": "b"}, headers=as_owner)
    page = fetch(cursor)
    assert [(c["id"], c["version"], c["notes"]) for c in page["changes"]] == [(change["id"], 3, "b")]


def test_deletions_made_through_the_api_are_delivered(client, as_owner, fetch):
    created = client.post("/api/v1/episodes", headers=as_owner, json={
        "started_at": "2026-03-01T10:00:00+00:00", "peak_severity": 1}).get_json()
    client.put("/api/v1/diary-days/2026-03-01", json={"headache_free": True}, headers=as_owner)
    cursor = fetch()["cursor"]
    client.delete(f"/api/v1/episodes/{created['id']}", headers=as_owner)
    client.delete("/api/v1/diary-days/2026-03-01", headers=as_owner)
    kinds = [(c["kind"], c.get("deleted")) for c in fetch(cursor)["changes"]]
    assert kinds == [("episode", True), ("diary_day", True)]


def test_what_was_fetched_can_be_uploaded_again_unchanged(upload, fetch):
    upload([an_episode(), a_day("2026-03-01"), a_treatment()])
    fetched = fetch()["changes"]
    assert statuses(upload(fetched)) == ["unchanged"] * 3


@pytest.mark.parametrize("query, field", [
    ({"since": "not-a-cursor"}, "since"), ({"since": "c2VxOi0x"}, "since"),  # "seq:-1"
    ({"limit": 0}, "limit"), ({"limit": 501}, "limit"), ({"limit": "many"}, "limit"),
])
def test_a_bad_fetch_query_is_a_422(client, as_owner, problem, query, field):
    response = client.get(BASE, query_string=query, headers=as_owner)
    assert field in problem(response, 422)["errors"]


# Who may sync -------------------------------------------------------------------------

ACCESS = {"owner": 200, "other_patient": 200, "unlinked_clinician": 403,
          "linked_clinician": 403, "withdrawn_clinician": 403, "anonymous": 401}


@pytest.mark.parametrize("name", ACCESS)
def test_access(client, cast, upload, name, problem):
    upload([an_episode(), a_day("2026-03-01")])
    headers = cast.actor(name).headers
    fetched = client.get(BASE, headers=headers)
    posted = client.post(BASE, json={"changes": [a_day("2026-03-02")]}, headers=headers)
    if ACCESS[name] == 200:
        assert (fetched.status_code, posted.status_code) == (200, 200)
        if name == "other_patient":
            assert fetched.get_json()["changes"] == []
        return
    problem(fetched, ACCESS[name])
    problem(posted, ACCESS[name])


def test_another_patient_never_sees_the_owners_changes(cast, upload, fetch):
    upload([an_episode(), a_day("2026-03-01"), a_treatment()])
    upload([a_day("2026-03-05")], headers=cast.other_patient.headers)
    changes = fetch(headers=cast.other_patient.headers)["changes"]
    assert [(c["kind"], c["date"]) for c in changes] == [("diary_day", "2026-03-05")]
