"""``/notifications``: the caller's own, newest first, and marking them read."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest

from diary.extensions import db
from diary.services.notifications import notify
from diary.transactions import transaction

URL = "/api/v1/notifications"
T0 = datetime(2026, 6, 15, 19, 0, tzinfo=timezone.utc)


@pytest.fixture
def send(app):
    """``send(user, n)``: ``n`` reminders for ``user``, an hour apart; their ids, oldest first."""

    def make(user, n: int = 1, kind: str = "diary_reminder", start: datetime = T0) -> list[str]:
        from sqlalchemy import select

        from diary.models import Notification

        keys = [f"{kind}:{uuid.uuid4()}" for _ in range(n)]
        with app.app_context(), transaction():
            for i, key in enumerate(keys):
                notify(user.id, kind, key, f"title {i}", f"body {i}", {"n": i},
                       now=start + timedelta(hours=i))
        with app.app_context():
            rows = db.session.scalars(select(Notification).where(Notification.dedup_key.in_(keys))
                                      .order_by(Notification.created_at))
            return [str(row.id) for row in rows]

    return make


def test_lists_the_callers_notifications_newest_first(client, cast, send):
    ids = send(cast.owner.user, 3)
    send(cast.other_patient.user, 2)
    response = client.get(URL, headers=cast.owner.headers)
    assert response.status_code == 200
    body = response.get_json()
    assert [n["id"] for n in body["items"]] == ids[::-1]
    assert body["next_cursor"] is None
    newest = body["items"][0]
    assert newest == {"id": ids[2], "kind": "diary_reminder",
                      "created_at": "2026-06-15T21:00:00+00:00", "title": "title 2",
                      "body": "body 2", "data": {"n": 2}, "read_at": None}


def read_pages(client, headers, query: str = "") -> list[str]:
    seen, cursor = [], None
    while True:
        page_query = query + (f"&cursor={cursor}" if cursor else "")
        response = client.get(f"{URL}?{page_query}", headers=headers)
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        seen += [n["id"] for n in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            return seen


def test_pages_of_the_default_size_follow_the_cursor(client, cast, send):
    ids = send(cast.owner.user, 51)
    first = client.get(URL, headers=cast.owner.headers).get_json()
    assert len(first["items"]) == 50 and first["next_cursor"]
    assert read_pages(client, cast.owner.headers) == ids[::-1]


def test_pages_of_a_chosen_size_follow_the_cursor(client, cast, send):
    ids = send(cast.owner.user, 5)
    assert read_pages(client, cast.owner.headers, "limit=2") == ids[::-1]


def test_clinicians_read_their_own_notifications(client, cast, send):
    [note] = send(cast.linked_clinician.user, 1, kind="patient_alert")
    body = client.get(URL, headers=cast.linked_clinician.headers).get_json()
    assert [n["id"] for n in body["items"]] == [note]
    assert client.get(URL, headers=cast.owner.headers).get_json()["items"] == []


def test_marking_read_sets_read_at_once(client, cast, send):
    first, second = send(cast.owner.user, 2)
    response = client.post(f"{URL}/{first}/read", headers=cast.owner.headers)
    assert response.status_code == 200
    read_at = response.get_json()["read_at"]
    assert read_at and datetime.fromisoformat(read_at).utcoffset() == timedelta(0)
    again = client.post(f"{URL}/{first}/read", headers=cast.owner.headers)
    assert again.status_code == 200 and again.get_json()["read_at"] == read_at
    listed = client.get(URL, headers=cast.owner.headers).get_json()["items"]
    assert {n["id"]: n["read_at"] for n in listed} == {first: read_at, second: None}


def test_unread_lists_only_those_not_read(client, cast, send):
    first, second = send(cast.owner.user, 2)
    client.post(f"{URL}/{first}/read", headers=cast.owner.headers)
    body = client.get(URL + "?unread=true", headers=cast.owner.headers).get_json()
    assert [n["id"] for n in body["items"]] == [second]
    body = client.get(URL + "?unread=false", headers=cast.owner.headers).get_json()
    assert len(body["items"]) == 2


def test_marking_read_accepts_an_empty_json_body(client, cast, send):
    [note] = send(cast.owner.user)
    response = client.post(f"{URL}/{note}/read", headers=cast.owner.headers, json={})
    assert response.status_code == 200


@pytest.mark.parametrize("actor", ["other_patient", "linked_clinician", "unlinked_clinician"])
def test_someone_elses_notification_is_not_found_and_stays_unread(client, cast, send, problem,
                                                                   actor):
    [note] = send(cast.owner.user)
    problem(client.post(f"{URL}/{note}/read", headers=cast.actor(actor).headers), 404)
    listed = client.get(URL, headers=cast.owner.headers).get_json()["items"]
    assert listed[0]["read_at"] is None


def test_an_unknown_notification_is_not_found(client, cast, problem):
    problem(client.post(f"{URL}/{uuid.uuid4()}/read", headers=cast.owner.headers), 404)


@pytest.mark.parametrize("method, path", [("get", ""), ("post", f"/{uuid.uuid4()}/read")])
def test_anonymous_callers_get_401(client, problem, method, path):
    response = getattr(client, method)(URL + path)
    problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_anonymous_callers_get_401_before_their_query_is_judged(client, problem):
    problem(client.get(URL + "?limit=0"), 401)


@pytest.mark.parametrize("query", ["?unread=perhaps", "?limit=0", "?limit=501", "?cursor=xyz"])
def test_bad_query_arguments_are_422(client, cast, problem, query):
    body = problem(client.get(URL + query, headers=cast.owner.headers), 422)
    assert body["errors"]


def test_the_openapi_document_describes_notifications(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "get" in paths["/api/v1/notifications"]
    assert "post" in paths["/api/v1/notifications/{notification_id}/read"]
