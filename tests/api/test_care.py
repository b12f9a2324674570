"""Care links through HTTP: invitations, linking, withdrawal, the clinician's patient list,
and who may call what."""
from __future__ import annotations

import hashlib
import math
import re
from datetime import date, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import event, select

from diary.extensions import db
from diary.models import AuditEvent, Invitation, OpenAlert, Treatment, utcnow
from tests.api.conftest import ACTORS

CODE_PATTERN = re.compile(r"^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){5}$")


def invite(client, headers):
    return client.post("/api/v1/invitations", headers=headers)


def accept(client, headers, code):
    return client.post("/api/v1/me/clinicians", json={"code": code}, headers=headers)


@pytest.fixture
def pair(make_user, auth_headers):
    """A patient and a clinician, not linked yet, with their headers."""
    patient, clinician = make_user("patient"), make_user("clinician", display_name="Dr Ng")
    return patient, auth_headers(patient), clinician, auth_headers(clinician)


def linked_pair(client, pair):
    patient, p_headers, clinician, c_headers = pair
    assert accept(client, p_headers, invite(client, c_headers).get_json()["code"]).status_code == 201
    return pair


# Invitations


def test_a_clinician_gets_a_single_use_code_valid_seven_days(client, pair):
    _, _, _, c_headers = pair
    before = utcnow()
    response = invite(client, c_headers)
    assert response.status_code == 201
    body = response.get_json()
    assert CODE_PATTERN.match(body["code"])
    assert response.headers["Location"] == f"/api/v1/invitations/{body['id']}"
    expires = datetime.fromisoformat(body["expires_at"])
    assert before + timedelta(days=7) <= expires <= utcnow() + timedelta(days=7)
    assert body["used_at"] is None


def test_codes_are_unguessable(client, pair):
    _, _, _, c_headers = pair
    codes = {invite(client, c_headers).get_json()["code"] for _ in range(20)}
    assert len(codes) == 20
    symbols = len(next(iter(codes)).replace("-", ""))
    assert symbols * math.log2(32) >= 128  # bits of randomness of one code
    # Every symbol of the alphabet turns up somewhere: the codes are not from a small set.
    assert len(set("".join(codes).replace("-", ""))) >= 28


def test_only_the_hash_of_a_code_is_stored(client, app, pair):
    _, _, _, c_headers = pair
    code = invite(client, c_headers).get_json()["code"]
    with app.app_context():
        stored = db.session.scalars(select(Invitation)).one()
        assert stored.code_hash == hashlib.sha256(code.replace("-", "").encode()).hexdigest()
        assert code not in repr(vars(stored))


def test_a_clinician_sees_their_invitations_but_not_the_codes(client, pair, make_user, auth_headers, problem):
    patient, p_headers, _, c_headers = pair
    created = invite(client, c_headers).get_json()
    accept(client, p_headers, created["code"])
    listed = client.get("/api/v1/invitations", headers=c_headers).get_json()
    assert [i["id"] for i in listed["items"]] == [created["id"]]
    one = client.get(f"/api/v1/invitations/{created['id']}", headers=c_headers).get_json()
    assert one["used_at"] is not None and "code" not in one
    other = auth_headers(make_user("clinician"))
    problem(client.get(f"/api/v1/invitations/{created['id']}", headers=other), 404)
    problem(client.get(f"/api/v1/invitations/{created['id']}", headers=p_headers), 404)


# Linking


def test_a_patient_links_a_clinician_with_the_code(client, pair):
    patient, p_headers, clinician, c_headers = pair
    code = invite(client, c_headers).get_json()["code"]
    response = accept(client, p_headers, code)
    assert response.status_code == 201
    body = response.get_json()
    assert body["id"] == str(clinician.id)
    assert body["display_name"] == "Dr Ng" and body["email"] == clinician.email
    assert datetime.fromisoformat(body["linked_at"]).tzinfo is not None
    assert response.headers["Location"] == f"/api/v1/me/clinicians/{clinician.id}"
    patients = client.get("/api/v1/patients", headers=c_headers).get_json()["items"]
    assert [p["id"] for p in patients] == [str(patient.id)]


def test_a_code_may_be_typed_in_lower_case_without_dashes(client, pair):
    _, p_headers, _, c_headers = pair
    code = invite(client, c_headers).get_json()["code"]
    assert accept(client, p_headers, " " + code.replace("-", "").lower() + " ").status_code == 201


def test_a_code_is_single_use(client, pair, make_user, auth_headers, problem):
    _, p_headers, _, c_headers = pair
    code = invite(client, c_headers).get_json()["code"]
    accept(client, p_headers, code)
    body = problem(accept(client, auth_headers(make_user("patient")), code), 422)
    assert "code" in body["errors"]


def test_the_same_patient_retrying_a_spent_code_gets_the_link_again(client, pair):
    patient, p_headers, clinician, c_headers = pair
    code = invite(client, c_headers).get_json()["code"]
    first = accept(client, p_headers, code)
    again = accept(client, p_headers, code)
    assert again.status_code == 200
    assert again.get_json() == first.get_json()


def test_linking_the_same_clinician_twice_keeps_one_link(client, pair):
    _, p_headers, clinician, c_headers = linked_pair(client, pair)
    response = accept(client, p_headers, invite(client, c_headers).get_json()["code"])
    assert response.status_code == 200
    assert response.get_json()["id"] == str(clinician.id)
    items = client.get("/api/v1/me/clinicians", headers=p_headers).get_json()["items"]
    assert len(items) == 1


def test_a_code_expires_after_seven_days(client, pair, auth_headers, problem):
    patient, _, clinician, _ = pair
    start = utcnow()
    with time_machine.travel(start, tick=False):
        c_headers = auth_headers(clinician)
        late, in_time = (invite(client, c_headers).get_json()["code"] for _ in range(2))
    with time_machine.travel(start + timedelta(days=7, seconds=-1), tick=False):
        assert accept(client, auth_headers(patient), in_time).status_code == 201
    with time_machine.travel(start + timedelta(days=7), tick=False):
        problem(accept(client, auth_headers(patient), late), 422)


def test_unknown_used_and_expired_codes_get_one_answer(client, pair, make_user, auth_headers, problem):
    _, p_headers, clinician, c_headers = pair
    with time_machine.travel(utcnow() - timedelta(days=8), tick=False):
        expired = invite(client, auth_headers(clinician)).get_json()["code"]
    used = invite(client, c_headers).get_json()["code"]
    accept(client, auth_headers(make_user("patient")), used)
    answers = [problem(accept(client, p_headers, code), 422)
               for code in (expired, used, "ABCDE-FGHJK-MNPQR-STVWX-YZ012-34567")]
    assert answers[0] == answers[1] == answers[2]


def test_a_rejected_link_changes_nothing(client, pair, problem):
    _, p_headers, _, _ = pair
    problem(accept(client, p_headers, "nope"), 422)
    assert client.get("/api/v1/me/clinicians", headers=p_headers).get_json()["items"] == []


def test_linking_and_withdrawing_are_audited(client, app, pair):
    patient, p_headers, clinician, c_headers = linked_pair(client, pair)
    client.delete(f"/api/v1/me/clinicians/{clinician.id}", headers=p_headers)
    with app.app_context():
        events = list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)))
    assert [e.action for e in events] == ["invitation.created", "care_link.created",
                                          "care_link.withdrawn"]
    assert events[0].actor_id == clinician.id
    assert events[1].patient_id == events[2].patient_id == patient.id
    assert events[2].data == {"clinician_id": str(clinician.id)}


# A patient's clinicians


def test_clinicians_are_listed_most_recent_first_one_page_at_a_time(client, make_user, auth_headers):
    patient = make_user("patient")
    p_headers = auth_headers(patient)
    clinicians = [make_user("clinician") for _ in range(3)]
    for clinician in clinicians:
        accept(client, p_headers, invite(client, auth_headers(clinician)).get_json()["code"])
    first = client.get("/api/v1/me/clinicians?limit=2", headers=p_headers).get_json()
    second = client.get(f"/api/v1/me/clinicians?limit=2&cursor={first['next_cursor']}",
                        headers=p_headers).get_json()
    assert second["next_cursor"] is None
    ids = [c["id"] for c in first["items"] + second["items"]]
    assert ids == [str(c.id) for c in reversed(clinicians)]


def test_withdrawal_ends_access_on_the_very_next_request(client, pair, problem):
    patient, p_headers, clinician, c_headers = linked_pair(client, pair)
    assert client.get(f"/api/v1/patients/{patient.id}", headers=c_headers).status_code == 200
    response = client.delete(f"/api/v1/me/clinicians/{clinician.id}", headers=p_headers)
    assert response.status_code == 204
    problem(client.get(f"/api/v1/patients/{patient.id}", headers=c_headers), 404)
    assert client.get("/api/v1/patients", headers=c_headers).get_json()["items"] == []
    problem(client.delete(f"/api/v1/me/clinicians/{clinician.id}", headers=p_headers), 404)


def test_withdrawing_an_unknown_clinician_is_a_404(client, pair, problem):
    _, p_headers, clinician, _ = pair
    problem(client.delete(f"/api/v1/me/clinicians/{clinician.id}", headers=p_headers), 404)
    problem(client.delete("/api/v1/me/clinicians/not-a-uuid", headers=p_headers), 404)


# A clinician's patients


def add_treatment(app, patient, administered_on: date, deleted: bool = False):
    with app.app_context():
        db.session.add(Treatment(patient_id=patient.id, administered_on=administered_on,
                                 deleted_at=utcnow() if deleted else None))
        db.session.commit()


def add_alert(app, patient, code: str):
    with app.app_context():
        db.session.add(OpenAlert(patient_id=patient.id, code=code))
        db.session.commit()


def test_patients_come_with_a_summary(client, app, pair):
    patient, _, _, c_headers = linked_pair(client, pair)
    add_treatment(app, patient, date(2026, 1, 5))
    add_treatment(app, patient, date(2026, 3, 30))
    add_treatment(app, patient, date(2026, 5, 1), deleted=True)
    add_alert(app, patient, "treatment_due")
    add_alert(app, patient, "nice_stop_insufficient_response")
    item = client.get("/api/v1/patients", headers=c_headers).get_json()["items"][0]
    assert item == {
        "id": str(patient.id), "display_name": patient.display_name, "email": patient.email,
        "timezone": "Europe/London",
        "summary": {"headache_days_per_28d": None, "last_treatment_on": "2026-03-30",
                    "next_due_on": "2026-06-22",
                    "alerts": ["nice_stop_insufficient_response", "treatment_due"]},
    }
    one = client.get(f"/api/v1/patients/{patient.id}", headers=c_headers).get_json()
    assert one == item


def test_a_patient_without_treatments_has_no_due_date(client, pair):
    patient, _, _, c_headers = linked_pair(client, pair)
    summary = client.get(f"/api/v1/patients/{patient.id}", headers=c_headers).get_json()["summary"]
    assert summary == {"headache_days_per_28d": None, "last_treatment_on": None,
                       "next_due_on": None, "alerts": []}


def count_queries(app, action) -> int:
    statements = []
    with app.app_context():
        engine = db.engine

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return len(statements)


def test_the_patient_list_costs_the_same_queries_for_one_or_many_patients(client, app, make_user,
                                                                         auth_headers):
    clinician = make_user("clinician")
    c_headers = auth_headers(clinician)

    def add_patient():
        patient = make_user("patient")
        accept(client, auth_headers(patient), invite(client, c_headers).get_json()["code"])
        add_treatment(app, patient, date(2026, 1, 5))
        add_alert(app, patient, "treatment_due")

    def listing():
        assert client.get("/api/v1/patients", headers=c_headers).status_code == 200

    add_patient()
    one = count_queries(app, listing)
    for _ in range(4):
        add_patient()
    assert count_queries(app, listing) == one


# Who may call what


def call_as(client, cast, problem, actor, method, path, allowed: dict[str, int]):
    """Call ``path`` as ``actor``: the status in ``allowed``, 401 anonymous, 404 otherwise."""
    expected = {"anonymous": 401, **allowed}.get(actor, 404)
    response = client.open(path, method=method, headers=cast.actor(actor).headers)
    if expected < 400:
        assert response.status_code == expected, response.get_data(as_text=True)
    else:
        problem(response, expected)
    return response


@pytest.mark.parametrize("actor", ACTORS)
def test_get_one_of_my_clinicians_access(client, cast, problem, actor):
    clinician_id = cast.linked_clinician.user.id
    response = call_as(client, cast, problem, actor, "GET", f"/api/v1/me/clinicians/{clinician_id}",
                       {"owner": 200})
    if response.status_code == 200:
        assert response.get_json()["id"] == str(clinician_id)


@pytest.mark.parametrize("actor", ACTORS)
def test_delete_one_of_my_clinicians_access(client, cast, problem, actor):
    call_as(client, cast, problem, actor, "DELETE",
            f"/api/v1/me/clinicians/{cast.linked_clinician.user.id}", {"owner": 204})
    # Only the owner's own withdrawal ends the linked clinician's access.
    still_linked = client.get(f"/api/v1/patients/{cast.owner.user.id}",
                              headers=cast.linked_clinician.headers).status_code == 200
    assert still_linked is (actor != "owner")


@pytest.mark.parametrize("actor", ACTORS)
def test_get_a_patient_access(client, cast, problem, actor):
    response = call_as(client, cast, problem, actor, "GET", f"/api/v1/patients/{cast.owner.user.id}",
                       {"owner": 200, "linked_clinician": 200})
    if response.status_code == 200:
        assert response.get_json()["id"] == str(cast.owner.user.id)


def test_a_clinician_is_not_a_patient_to_look_up(client, cast, problem):
    problem(client.get(f"/api/v1/patients/{cast.linked_clinician.user.id}",
                       headers=cast.linked_clinician.headers), 404)


PATIENT_ONLY = [("get", "/api/v1/me/clinicians", None), ("post", "/api/v1/me/clinicians", {"code": "x"})]
CLINICIAN_ONLY = [("post", "/api/v1/invitations", None), ("get", "/api/v1/invitations", None),
                  ("get", "/api/v1/patients", None)]


@pytest.mark.parametrize("method,path,body", PATIENT_ONLY + CLINICIAN_ONLY)
@pytest.mark.parametrize("actor", ACTORS)
def test_role_endpoints_answer_403_to_the_wrong_role_and_401_to_anonymous(client, cast, problem,
                                                                          actor, method, path, body):
    role = "patient" if (method, path, body) in PATIENT_ONLY else "clinician"
    user = cast.actor(actor).user
    response = client.open(path, method=method.upper(), json=body, headers=cast.actor(actor).headers)
    if user is None:
        problem(response, 401)
    elif user.role != role:
        problem(response, 403)
    else:
        assert response.status_code in (200, 201, 422)


def test_the_linked_clinician_lists_the_owner_and_the_withdrawn_one_does_not(client, cast):
    def listed(actor):
        items = client.get("/api/v1/patients", headers=cast.actor(actor).headers).get_json()["items"]
        return [i["id"] for i in items]

    assert listed("linked_clinician") == [str(cast.owner.user.id)]
    assert listed("withdrawn_clinician") == []
    assert listed("unlinked_clinician") == []


def test_care_endpoints_are_documented_with_summaries_and_bearer_security(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    mine = ["/api/v1/invitations", "/api/v1/invitations/{invitation_id}", "/api/v1/me/clinicians",
            "/api/v1/me/clinicians/{clinician_id}", "/api/v1/patients",
            "/api/v1/patients/{patient_id}", "/api/v1/me", "/api/v1/admin/clinicians"]
    for path in mine:
        for method, operation in paths[path].items():
            if method in ("get", "post", "patch", "delete"):
                assert operation["summary"], (path, method)
                assert operation.get("security") != [], (path, method)
