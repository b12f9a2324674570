"""Treatments over HTTP: recording, listing, changing and deleting injection sessions, by the
patient and by a linked clinician; validation, conflicts, preconditions, and who may do what."""
from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

from diary.extensions import db
from diary.models import Treatment, utcnow
from diary.services.timezones import today_in
from tests.api.owner_fixtures import as_owner, owner  # noqa: F401 (fixtures)

BASE = "/api/v1"
PREEMPT = {"administered_on": "2026-01-05", "total_units": 155, "injection_sites": 31}


def own(path: str = "") -> str:
    return f"{BASE}/treatments{path}"


def of(patient, path: str = "") -> str:
    return f"{BASE}/patients/{patient.id}/treatments{path}"


def stored(app, treatment_id) -> Treatment | None:
    with app.app_context():
        treatment = db.session.get(Treatment, uuid.UUID(str(treatment_id)))
        if treatment is not None:
            db.session.expunge(treatment)
        return treatment


def count(app, patient) -> int:
    with app.app_context():
        return db.session.query(Treatment).filter_by(patient_id=patient.id).count()


def local_today(patient) -> date:
    return today_in(patient.timezone, utcnow())


@pytest.fixture
def as_clinician(cast):
    return cast.linked_clinician.headers


@pytest.fixture
def recorded(client, cast, as_owner):
    """One treatment of the owner's, recorded by the owner: its JSON."""
    response = client.post(own(), json=PREEMPT, headers=as_owner)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


# Recording and reading ---------------------------------------------------------------------

def test_patient_records_a_treatment_with_only_its_date(app, client, cast, as_owner):
    response = client.post(own(), json={"administered_on": "2026-01-05"}, headers=as_owner)
    assert response.status_code == 201
    body = response.get_json()
    assert body["administered_on"] == "2026-01-05"
    assert body["product"] == "onabotulinumtoxinA"
    assert body["total_units"] is None and body["injection_sites"] is None
    assert body["notes"] == "" and body["version"] == 1
    assert body["patient_id"] == str(cast.owner.user.id)
    assert response.headers["ETag"] == '"1"'
    assert response.headers["Location"].endswith(f"/api/v1/treatments/{body['id']}")
    assert stored(app, body["id"]).recorded_by_id == cast.owner.user.id


def test_linked_clinician_records_a_treatment_for_the_patient(app, client, cast, as_clinician):
    owner = cast.owner.user
    response = client.post(of(owner), json=PREEMPT, headers=as_clinician)
    assert response.status_code == 201
    body = response.get_json()
    assert (body["total_units"], body["injection_sites"]) == (155, 31)
    assert response.headers["Location"].endswith(f"/patients/{owner.id}/treatments/{body['id']}")
    assert stored(app, body["id"]).recorded_by_id == cast.linked_clinician.user.id
    mine = client.get(own(), headers=cast.owner.headers).get_json()["items"]
    assert [t["id"] for t in mine] == [body["id"]]


def test_patient_and_clinician_read_the_same_treatment(client, cast, recorded):
    for url, headers in ((own(f"/{recorded['id']}"), cast.owner.headers),
                         (of(cast.owner.user, f"/{recorded['id']}"), cast.linked_clinician.headers),
                         (of(cast.owner.user, f"/{recorded['id']}"), cast.owner.headers)):
        response = client.get(url, headers=headers)
        assert response.status_code == 200
        assert response.get_json() == recorded
        assert response.headers["ETag"] == '"1"'


def test_client_chosen_id_is_kept_and_a_retried_post_stores_one(app, client, owner, as_owner):
    chosen = str(uuid.uuid4())
    first = client.post(own(), json={**PREEMPT, "id": chosen}, headers=as_owner)
    again = client.post(own(), json={**PREEMPT, "id": chosen}, headers=as_owner)
    assert first.status_code == 201 and first.get_json()["id"] == chosen
    assert again.status_code == 200 and again.get_json() == first.get_json()
    assert count(app, owner) == 1


def test_post_with_a_taken_id_and_other_content_is_a_conflict(client, as_owner, recorded, problem):
    problem(client.post(own(), json={**PREEMPT, "id": recorded["id"], "notes": "other"},
                        headers=as_owner), 409)


def add_treatments(app, patient, days) -> None:
    with app.app_context():
        db.session.add_all(Treatment(patient_id=patient.id, administered_on=day) for day in days)
        db.session.commit()


def read_all_pages(client, url, headers, **query) -> list[dict]:
    items, cursor = [], None
    while True:
        response = client.get(url, query_string={**query, **({"cursor": cursor} if cursor else {})},
                              headers=headers)
        assert response.status_code == 200, response.get_json()
        page = response.get_json()
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items


def test_list_is_newest_first_in_pages_of_fifty(app, client, cast, owner):
    days = [date(2024, 1, 1) + timedelta(days=i) for i in range(51)]
    add_treatments(app, owner, days)
    first = client.get(of(owner), headers=cast.linked_clinician.headers).get_json()
    assert len(first["items"]) == 50 and first["next_cursor"]
    seen = read_all_pages(client, of(owner), cast.linked_clinician.headers)
    assert [t["administered_on"] for t in seen] == [d.isoformat() for d in reversed(days)]


def test_list_pages_by_the_limit_asked_for(app, client, owner, as_owner):
    days = [date(2025, 1, 6) + timedelta(weeks=12 * i) for i in range(5)]
    add_treatments(app, owner, days)
    assert len(client.get(own(), query_string={"limit": 2}, headers=as_owner).get_json()["items"]) == 2
    seen = read_all_pages(client, own(), as_owner, limit=2)
    assert [t["administered_on"] for t in seen] == [d.isoformat() for d in reversed(days)]


def test_list_keeps_the_dates_from_to_inclusive(app, client, owner, as_owner, problem):
    add_treatments(app, owner, [date(2025, 1, 6), date(2025, 3, 31), date(2025, 6, 23)])
    query = {"from": "2025-03-31", "to": "2025-06-23"}
    seen = read_all_pages(client, own(), as_owner, **query)
    assert [t["administered_on"] for t in seen] == ["2025-06-23", "2025-03-31"]
    problem(client.get(own(), query_string={"from": "2025-07-01", "to": "2025-01-01"},
                       headers=as_owner), 422)


def test_a_bad_cursor_or_limit_is_a_422(client, as_owner, problem):
    problem(client.get(own(), query_string={"cursor": "nonsense"}, headers=as_owner), 422)
    problem(client.get(own(), query_string={"limit": "501"}, headers=as_owner), 422)


# Changing and deleting ---------------------------------------------------------------------

def test_patch_changes_only_the_fields_sent(app, client, cast, recorded):
    url = of(cast.owner.user, f"/{recorded['id']}")
    response = client.patch(url, json={"notes": "left side heavier"},
                            headers=cast.linked_clinician.headers)
    assert response.status_code == 200
    body = response.get_json()
    assert body["notes"] == "left side heavier" and body["version"] == 2
    assert (body["total_units"], body["administered_on"]) == (155, "2026-01-05")
    assert response.headers["ETag"] == '"2"'
    assert stored(app, recorded["id"]).recorded_by_id == cast.linked_clinician.user.id


def test_patch_can_clear_the_units_but_not_the_date(client, as_owner, recorded, problem):
    url = own(f"/{recorded['id']}")
    assert client.patch(url, json={"total_units": None}, headers=as_owner).get_json()["total_units"] is None
    problem(client.patch(url, json={"administered_on": None}, headers=as_owner), 422)
    problem(client.patch(url, json={"id": str(uuid.uuid4())}, headers=as_owner), 422)


def test_patch_with_the_same_values_keeps_the_version(client, as_owner, recorded):
    response = client.patch(own(f"/{recorded['id']}"), json={"total_units": 155}, headers=as_owner)
    assert response.status_code == 200 and response.get_json()["version"] == 1


def test_delete_leaves_a_tombstone_and_hides_the_treatment(app, client, cast, recorded, problem):
    url = of(cast.owner.user, f"/{recorded['id']}")
    response = client.delete(url, headers=cast.linked_clinician.headers)
    assert response.status_code == 204 and response.get_data() == b""
    problem(client.get(url, headers=cast.owner.headers), 404)
    assert client.get(own(), headers=cast.owner.headers).get_json()["items"] == []
    problem(client.delete(url, headers=cast.owner.headers), 404)
    problem(client.patch(url, json={"notes": "x"}, headers=cast.owner.headers), 404)
    tombstone = stored(app, recorded["id"])
    assert tombstone.deleted_at is not None and tombstone.version == 2


def test_deleting_frees_the_date_but_the_id_stays_deleted(client, as_owner, recorded, problem):
    assert client.delete(own(f"/{recorded['id']}"), headers=as_owner).status_code == 204
    assert client.post(own(), json=PREEMPT, headers=as_owner).status_code == 201
    problem(client.put(own(f"/{recorded['id']}"), json=PREEMPT, headers=as_owner), 409)


# PUT: create or replace --------------------------------------------------------------------

def test_put_twice_stores_one_treatment(app, client, owner, as_owner):
    url = own(f"/{uuid.uuid4()}")
    first = client.put(url, json=PREEMPT, headers=as_owner)
    again = client.put(url, json=PREEMPT, headers=as_owner)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["version"] == 1 and again.headers["ETag"] == '"1"'
    assert count(app, owner) == 1


def test_put_replaces_everything_and_what_is_left_out_takes_its_default(client, cast, recorded):
    url = of(cast.owner.user, f"/{recorded['id']}")
    response = client.put(url, json={"administered_on": "2026-01-06", "product": "other toxin"},
                          headers=cast.linked_clinician.headers)
    assert response.status_code == 200
    body = response.get_json()
    assert (body["administered_on"], body["product"], body["version"]) == ("2026-01-06", "other toxin", 2)
    assert body["total_units"] is None and body["injection_sites"] is None


def test_put_of_what_was_received_changes_nothing(client, as_owner, recorded):
    response = client.put(own(f"/{recorded['id']}"), json=recorded, headers=as_owner)
    assert response.status_code == 200 and response.get_json() == recorded


def test_put_with_another_id_in_the_body_is_a_422(client, as_owner, problem):
    body = problem(client.put(own(f"/{uuid.uuid4()}"), json={**PREEMPT, "id": str(uuid.uuid4())},
                              headers=as_owner), 422)
    assert "id" in body["errors"]


def test_a_body_naming_another_patient_is_a_422(client, cast, recorded, problem):
    other = str(cast.other_patient.user.id)
    body = problem(client.put(own(f"/{recorded['id']}"), json={**recorded, "patient_id": other},
                              headers=cast.owner.headers), 422)
    assert "patient_id" in body["errors"]
    problem(client.patch(own(f"/{recorded['id']}"), json={"patient_id": other},
                         headers=cast.owner.headers), 422)


def test_another_patients_id_is_never_overwritten(app, client, cast, recorded, problem):
    problem(client.put(own(f"/{recorded['id']}"), json={**PREEMPT, "notes": "mine"},
                       headers=cast.other_patient.headers), 404)
    problem(client.post(own(), json={**PREEMPT, "id": recorded["id"]},
                        headers=cast.other_patient.headers), 409)
    assert stored(app, recorded["id"]).notes == "" and stored(app, recorded["id"]).version == 1


# Preconditions -----------------------------------------------------------------------------

@pytest.mark.parametrize("method, body", [("put", PREEMPT | {"notes": "x"}), ("patch", {"notes": "x"}),
                                          ("delete", None)])
def test_a_stale_if_match_is_a_412_and_changes_nothing(app, client, as_owner, recorded, problem,
                                                       method, body):
    response = getattr(client, method)(own(f"/{recorded['id']}"), json=body,
                                       headers={**as_owner, "If-Match": '"7"'})
    problem(response, 412)
    assert response.headers["ETag"] == '"1"'
    treatment = stored(app, recorded["id"])
    assert (treatment.version, treatment.notes, treatment.deleted_at) == (1, "", None)


def test_a_current_if_match_lets_the_change_through(client, as_owner, recorded):
    response = client.patch(own(f"/{recorded['id']}"), json={"notes": "x"},
                            headers={**as_owner, "If-Match": '"1"'})
    assert response.status_code == 200 and response.headers["ETag"] == '"2"'


def test_if_match_on_a_put_that_would_create_is_a_412(app, client, owner, as_owner, problem):
    problem(client.put(own(f"/{uuid.uuid4()}"), json=PREEMPT,
                       headers={**as_owner, "If-Match": '"1"'}), 412)
    assert count(app, owner) == 0


# Validation and conflicts ------------------------------------------------------------------

@pytest.mark.parametrize("body, field", [
    ({}, "administered_on"),
    ({"administered_on": None}, "administered_on"),
    ({"administered_on": "2026-13-01"}, "administered_on"),
    ({"administered_on": "20260105"}, "administered_on"),
    ({"administered_on": "2026-01-05T10:00:00+00:00"}, "administered_on"),
    ({"administered_on": "1900-01-01"}, "administered_on"),
    ({**PREEMPT, "total_units": -5}, "total_units"),
    ({**PREEMPT, "total_units": 0}, "total_units"),
    ({**PREEMPT, "total_units": 2.5}, "total_units"),
    ({**PREEMPT, "total_units": "155"}, "total_units"),
    ({**PREEMPT, "total_units": 10**12}, "total_units"),
    ({**PREEMPT, "injection_sites": -1}, "injection_sites"),
    ({**PREEMPT, "injection_sites": True}, "injection_sites"),
    ({**PREEMPT, "product": ""}, "product"),
    ({**PREEMPT, "dose": 155}, "dose"),
])
def test_invalid_treatments_are_422_and_store_nothing(app, client, owner, as_owner, problem,
                                                      body, field):
    response = client.post(own(), json=body, headers=as_owner)
    assert field in problem(response, 422)["errors"]
    assert count(app, owner) == 0


def test_a_date_after_tomorrow_in_the_patients_zone_is_refused(app, client, owner, as_owner,
                                                                  problem):
    later = (local_today(owner) + timedelta(days=2)).isoformat()
    body = problem(client.post(own(), json={"administered_on": later}, headers=as_owner), 422)
    assert "administered_on" in body["errors"]
    assert count(app, owner) == 0


def test_today_and_tomorrow_in_the_patients_zone_are_accepted(client, cast, owner):
    for day in (local_today(owner), local_today(owner) + timedelta(days=1)):
        response = client.post(of(owner), json={"administered_on": day.isoformat()},
                               headers=cast.linked_clinician.headers)
        assert response.status_code == 201


def test_a_second_treatment_on_the_same_date_is_a_conflict(app, client, owner, as_owner,
                                                           recorded, problem):
    problem(client.post(own(), json={"administered_on": PREEMPT["administered_on"]},
                        headers=as_owner), 409)
    other = client.post(own(), json={"administered_on": "2026-03-30"}, headers=as_owner).get_json()
    problem(client.patch(own(f"/{other['id']}"), json={"administered_on": "2026-01-05"},
                         headers=as_owner), 409)
    assert stored(app, other["id"]).administered_on == date(2026, 3, 30)
    assert count(app, owner) == 2


def test_another_patient_may_use_the_same_date(client, cast, recorded):
    assert client.post(own(), json=PREEMPT, headers=cast.other_patient.headers).status_code == 201


# Who may do what ---------------------------------------------------------------------------

ITEM_CALLS = [("get", None, 200), ("patch", {"notes": "x"}, 200),
              ("put", PREEMPT | {"notes": "y"}, 200), ("delete", None, 204)]
COLLECTION_CALLS = [("get", None, 200), ("post", {"administered_on": "2026-04-01"}, 201)]
OUTCOME = {"owner": "allowed", "linked_clinician": "allowed", "other_patient": 404,
           "unlinked_clinician": 404, "withdrawn_clinician": 404, "anonymous": 401}


@pytest.mark.parametrize("actor", list(OUTCOME))
@pytest.mark.parametrize("method, body, success", COLLECTION_CALLS + ITEM_CALLS)
def test_patient_paths_are_for_the_patient_and_linked_clinicians(app, client, cast, recorded,
                                                                 problem, actor, method, body,
                                                                 success):
    is_item = (method, body, success) in ITEM_CALLS
    url = of(cast.owner.user, f"/{recorded['id']}" if is_item else "")
    response = getattr(client, method)(url, json=body, headers=cast.actor(actor).headers)
    if OUTCOME[actor] == "allowed":
        assert response.status_code == success, response.get_json()
        return
    problem(response, OUTCOME[actor])
    assert count(app, cast.owner.user) == 1
    assert stored(app, recorded["id"]).version == 1


# A path naming a treatment hides it (404) from whoever may not see it, clinicians included;
# the collection names no one, so a clinician there lacks the role (403).
OWN_ITEM_OUTCOME = {"owner": "allowed", "other_patient": 404, "unlinked_clinician": 404,
                    "linked_clinician": 404, "withdrawn_clinician": 404, "anonymous": 401}
OWN_COLLECTION_OUTCOME = {"owner": "allowed", "other_patient": "own list", "unlinked_clinician": 403,
                          "linked_clinician": 403, "withdrawn_clinician": 403, "anonymous": 401}


@pytest.mark.parametrize("actor", list(OWN_ITEM_OUTCOME))
@pytest.mark.parametrize("method, body, success", ITEM_CALLS)
def test_own_item_paths_are_for_the_owner_only(app, client, cast, recorded, problem, actor,
                                               method, body, success):
    response = getattr(client, method)(own(f"/{recorded['id']}"), json=body,
                                       headers=cast.actor(actor).headers)
    if OWN_ITEM_OUTCOME[actor] == "allowed":
        assert response.status_code == success
        return
    problem(response, OWN_ITEM_OUTCOME[actor])
    assert stored(app, recorded["id"]).version == 1


@pytest.mark.parametrize("actor", list(OWN_COLLECTION_OUTCOME))
@pytest.mark.parametrize("method, body, success", COLLECTION_CALLS)
def test_own_collection_is_for_patients_only(app, client, cast, recorded, problem, actor,
                                             method, body, success):
    response = getattr(client, method)(own(), json=body, headers=cast.actor(actor).headers)
    outcome = OWN_COLLECTION_OUTCOME[actor]
    if outcome in ("allowed", "own list"):
        assert response.status_code == success
        if method == "get" and outcome == "own list":
            assert response.get_json()["items"] == []  # their own list, never the owner's
        return
    problem(response, outcome)
    assert count(app, cast.owner.user) == 1


def test_invalid_bodies_from_callers_who_may_not_see_the_patient_are_404(client, cast, problem):
    problem(client.post(of(cast.owner.user), json={"bogus": 1},
                        headers=cast.unlinked_clinician.headers), 404)
    problem(client.post(of(cast.owner.user), json={"bogus": 1}), 401)
    problem(client.post(own(), json={"bogus": 1}, headers=cast.linked_clinician.headers), 403)


def test_withdrawing_a_clinician_takes_effect_on_the_next_request(client, cast, recorded, problem):
    clinician = cast.linked_clinician
    url = of(cast.owner.user, f"/{recorded['id']}")
    assert client.get(url, headers=clinician.headers).status_code == 200
    assert client.delete(f"{BASE}/me/clinicians/{clinician.user.id}",
                         headers=cast.owner.headers).status_code == 204
    problem(client.get(url, headers=clinician.headers), 404)
    problem(client.patch(url, json={"notes": "x"}, headers=clinician.headers), 404)


def test_unknown_patient_and_treatment_are_404(client, cast, problem):
    problem(client.get(f"{BASE}/patients/{uuid.uuid4()}/treatments",
                       headers=cast.linked_clinician.headers), 404)
    problem(client.get(own(f"/{uuid.uuid4()}"), headers=cast.owner.headers), 404)
    problem(client.get(of(cast.linked_clinician.user), headers=cast.linked_clinician.headers), 404)


def test_treatments_are_in_the_openapi_document(client):
    paths = client.get(f"{BASE}/openapi.json").get_json()["paths"]
    assert set(paths[f"{BASE}/treatments"]) >= {"get", "post"}
    assert set(paths[f"{BASE}/treatments/{{treatment_id}}"]) >= {"get", "put", "patch", "delete"}
    assert set(paths[f"{BASE}/patients/{{patient_id}}/treatments"]) >= {"get", "post"}
    item = paths[f"{BASE}/patients/{{patient_id}}/treatments/{{treatment_id}}"]
    assert {"404", "409", "412", "422"} <= set(item["put"]["responses"])
