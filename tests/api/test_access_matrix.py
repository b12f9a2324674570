"""Who may do what, for EVERY route and method of the app: one declarative matrix.

Each row of ``MATRIX`` is one (method, URL rule) of ``app.url_map`` and the status each actor
of the cast (``tests/api/conftest.py``) gets when the request names the OWNER's resources (the
owner's patient id, episode, diary day, treatment, notification; the linked clinician's id and
invitation) with a valid body. The statuses come from the contract (General, Care links): 401
without a valid token; 403 to the wrong role on an endpoint that names no one; 404 for any path
naming a patient or resource that the caller may not see, whatever the caller's role.

The guard tests fail when the app gains a route the matrix does not list, or the matrix lists a
route the app no longer has: a new endpoint cannot escape the authorisation matrix.

Every case also checks that a refusal is problem+json and changed nothing in the database (nor
did any GET), that whatever someone who may not see the owner did left the owner's data as it
was, and that nothing of the owner's reaches them. Cases that change nothing share one world
(built once, through the HTTP API as its people would); a case that writes gets a fresh one.
"""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable

import pytest
from sqlalchemy import select

from diary.extensions import db
from diary.models import Base, User
from tests.api.conftest import ACTORS, ALLOWED, Actor
from tests.conftest import PASSWORD

API = "/api/v1"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
AUDIT_TABLE = "audit_events"
# What anyone may call without a token (the rest of url_map must be in the matrix).
PUBLIC = {("GET", "/healthz"), ("GET", f"{API}/openapi.json"), ("POST", f"{API}/auth/register"),
          ("POST", f"{API}/auth/token"), ("POST", f"{API}/auth/refresh")}
PUBLIC_GET_PREFIXES = (f"{API}/docs", "/static/")


@dataclass(frozen=True)
class Row:
    method: str
    rule: str  # as in app.url_map, without the /api/v1 prefix
    statuses: str  # one per actor, in the order of ACTORS

    @property
    def key(self) -> tuple[str, str]:
        return self.method, API + self.rule

    @property
    def expected(self) -> dict[str, int]:
        codes = [int(code) for code in self.statuses.split()]
        assert len(codes) == len(ACTORS), self
        return dict(zip(ACTORS, codes))


# Path arguments name the owner's resources: patient_id and user_id the owner, episode_id,
# date, treatment_id and notification_id the owner's, clinician_id and invitation_id the
# linked clinician's (the invitation the owner accepted).
#
#    method    rule                                               own  oth  unl  lnk  wdr  anon
MATRIX = [
    Row("POST",   "/auth/logout",                                "204  204  204  204  204  401"),
    Row("GET",    "/me",                                         "200  200  200  200  200  401"),
    Row("PATCH",  "/me",                                         "200  200  200  200  200  401"),
    # Administrators only: an endpoint naming no one is 403, a path naming someone 404.
    Row("POST",   "/admin/clinicians",                           "403  403  403  403  403  401"),
    Row("GET",    "/admin/users/<uuid:user_id>",                 "404  404  404  404  404  401"),
    # The patient's own diary: a clinician has none (403 for the collection, 404 for a path
    # naming a resource); another patient reaches their own (PUT creates their own day).
    Row("GET",    "/episodes",                                   "200  200  403  403  403  401"),
    Row("POST",   "/episodes",                                   "201  201  403  403  403  401"),
    Row("GET",    "/episodes/<uuid:episode_id>",                 "200  404  404  404  404  401"),
    Row("PUT",    "/episodes/<uuid:episode_id>",                 "200  404  404  404  404  401"),
    Row("PATCH",  "/episodes/<uuid:episode_id>",                 "200  404  404  404  404  401"),
    Row("DELETE", "/episodes/<uuid:episode_id>",                 "204  404  404  404  404  401"),
    Row("GET",    "/diary-days",                                 "200  200  403  403  403  401"),
    Row("GET",    "/diary-days/<date>",                          "200  404  404  404  404  401"),
    Row("PUT",    "/diary-days/<date>",                          "200  201  404  404  404  401"),
    Row("DELETE", "/diary-days/<date>",                          "204  404  404  404  404  401"),
    Row("GET",    "/sync",                                       "200  200  403  403  403  401"),
    Row("POST",   "/sync",                                       "200  200  403  403  403  401"),
    Row("GET",    "/treatments",                                 "200  200  403  403  403  401"),
    Row("POST",   "/treatments",                                 "201  201  403  403  403  401"),
    Row("GET",    "/treatments/<uuid:treatment_id>",             "200  404  404  404  404  401"),
    Row("PUT",    "/treatments/<uuid:treatment_id>",             "200  404  404  404  404  401"),
    Row("PATCH",  "/treatments/<uuid:treatment_id>",             "200  404  404  404  404  401"),
    Row("DELETE", "/treatments/<uuid:treatment_id>",             "204  404  404  404  404  401"),
    Row("GET",    "/me/report",                                  "200  200  403  403  403  401"),
    Row("GET",    "/me/report.csv",                              "200  200  403  403  403  401"),
    Row("GET",    "/me/report.html",                             "200  200  403  403  403  401"),
    Row("GET",    "/me/report.pdf",                              "200  200  403  403  403  401"),
    # A patient named in the path: the patient and their linked clinician.
    Row("GET",    "/patients/<uuid:patient_id>",                 "200  404  404  200  404  401"),
    Row("GET",    "/patients/<uuid:patient_id>/report",          "200  404  404  200  404  401"),
    Row("GET",    "/patients/<uuid:patient_id>/report.csv",      "200  404  404  200  404  401"),
    Row("GET",    "/patients/<uuid:patient_id>/report.html",     "200  404  404  200  404  401"),
    Row("GET",    "/patients/<uuid:patient_id>/report.pdf",      "200  404  404  200  404  401"),
    Row("GET",    "/patients/<uuid:patient_id>/treatments",      "200  404  404  200  404  401"),
    Row("POST",   "/patients/<uuid:patient_id>/treatments",      "201  404  404  201  404  401"),
    Row("GET",    "/patients/<uuid:patient_id>/treatments/<uuid:treatment_id>",
                                                            "200  404  404  200  404  401"),
    Row("PUT",    "/patients/<uuid:patient_id>/treatments/<uuid:treatment_id>",
                                                            "200  404  404  200  404  401"),
    Row("PATCH",  "/patients/<uuid:patient_id>/treatments/<uuid:treatment_id>",
                                                            "200  404  404  200  404  401"),
    Row("DELETE", "/patients/<uuid:patient_id>/treatments/<uuid:treatment_id>",
                                                            "204  404  404  204  404  401"),
    # Care links.
    Row("GET",    "/patients",                                   "403  403  200  200  200  401"),
    Row("GET",    "/invitations",                                "403  403  200  200  200  401"),
    Row("POST",   "/invitations",                                "403  403  201  201  201  401"),
    Row("GET",    "/invitations/<uuid:invitation_id>",           "404  404  404  200  404  401"),
    Row("GET",    "/me/clinicians",                              "200  200  403  403  403  401"),
    Row("POST",   "/me/clinicians",                              "201  201  403  403  403  401"),
    Row("GET",    "/me/clinicians/<uuid:clinician_id>",          "200  404  404  404  404  401"),
    Row("DELETE", "/me/clinicians/<uuid:clinician_id>",          "204  404  404  404  404  401"),
    # Everyone's own notifications.
    Row("GET",    "/notifications",                              "200  200  200  200  200  401"),
    Row("POST",   "/notifications/<uuid:notification_id>/read",  "200  404  404  404  404  401"),
]


# --- The owner's world, built through the HTTP API as its people would ------------------------

OWNER_DATE = "2026-03-02"  # the owner's diary day (the other patient's is another date)
EPISODE = {"started_at": "2026-03-01T22:30:00+00:00", "ended_at": "2026-03-02T03:00:00+00:00",
           "peak_severity": 2, "features": {"nausea": True},
           "medications": [{"name": "sumatriptan", "class": "triptan", "dose_mg": 50,
                            "taken_at": "2026-03-01T23:00:00+00:00"}],
           "triggers": ["sleep"], "notes": ""}
TREATMENT = {"administered_on": "2026-01-05", "total_units": 155, "injection_sites": 31}


@dataclass
class World:
    actors: dict[str, Actor]
    path_args: dict[str, str]  # what the path arguments of MATRIX name
    own: dict[str, set[str]]  # ids in each patient's lists (the owner's: their clinician too)
    secrets: set[str]  # what only the owner and the linked clinician may ever see
    unused_code: str  # an invitation code of the unlinked clinician, for POST /me/clinicians

    def url(self, row: Row) -> str:
        return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: self.path_args[m.group(1)], API + row.rule)


# Valid bodies, so that an allowed caller gets its success status.
BODIES: dict[tuple[str, str], Callable[[World], Any]] = {
    ("PATCH", "/me"): lambda w: {"timezone": "Europe/London"},
    ("POST", "/admin/clinicians"): lambda w: {
        "email": f"clinician-{uuid.uuid4().hex[:8]}@example.org", "password": PASSWORD,
        "display_name": "New clinician", "timezone": "Europe/London"},
    ("POST", "/episodes"): lambda w: {**EPISODE, "started_at": "2026-03-20T08:00:00+00:00",
                                      "ended_at": None, "medications": []},
    ("PUT", "/episodes/<uuid:episode_id>"): lambda w: {**EPISODE, "peak_severity": 3},
    ("PATCH", "/episodes/<uuid:episode_id>"): lambda w: {"notes": "amended"},
    ("PUT", "/diary-days/<date>"): lambda w: {"headache_free": False, "notes": "amended"},
    ("POST", "/sync"): lambda w: {"changes": [
        {"kind": "episode", "id": w.path_args["episode_id"], **EPISODE, "notes": "synced"},
        {"kind": "diary_day", "id": str(uuid.uuid4()), "date": "2026-03-10", "headache_free": True}]},
    ("POST", "/treatments"): lambda w: {"administered_on": "2026-04-01"},
    ("PUT", "/treatments/<uuid:treatment_id>"): lambda w: {**TREATMENT, "total_units": 195},
    ("PATCH", "/treatments/<uuid:treatment_id>"): lambda w: {"notes": "amended"},
    ("POST", "/me/clinicians"): lambda w: {"code": w.unused_code},
}
BODIES[("POST", "/patients/<uuid:patient_id>/treatments")] = BODIES[("POST", "/treatments")]
for _method in ("PUT", "PATCH"):
    BODIES[(_method, "/patients/<uuid:patient_id>/treatments/<uuid:treatment_id>")] = \
        BODIES[(_method, "/treatments/<uuid:treatment_id>")]


def _ok(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json(silent=True)


def new_actor(app, name: str, role: str) -> Actor:
    """An account (as ``make_user`` makes them) and a fresh access token."""
    from types import SimpleNamespace

    from diary.services.accounts import create_user
    from diary.services.tokens import issue_tokens
    from diary.transactions import transaction

    with app.app_context():
        with transaction():
            user = create_user(email=f"{name}-{uuid.uuid4().hex[:8]}@example.org",
                               password=PASSWORD, role=role, timezone="Europe/London",
                               display_name=name.replace("_", " ").capitalize())
            token = issue_tokens(user).access_token
        person = SimpleNamespace(id=user.id, email=user.email, role=user.role)
    return Actor(name, person, {"Authorization": f"Bearer {token}"})


def notify_once(app, user_id: uuid.UUID, kind: str, data: dict | None = None) -> str:
    """A notification as the scheduled jobs write them (no endpoint creates one); its id."""
    from diary.models import Notification
    from diary.services.notifications import notify
    from diary.transactions import transaction

    key = f"{kind}:{uuid.uuid4()}"
    with app.app_context():
        with transaction():
            notify(user_id, kind, key, "title", "body", data or {},
                   now=datetime(2026, 3, 2, 20, 0, tzinfo=timezone.utc))
        return str(db.session.scalar(select(Notification.id).where(Notification.dedup_key == key)))


def build_world(app, client) -> World:
    roles = {"owner": "patient", "other_patient": "patient", "unlinked_clinician": "clinician",
             "linked_clinician": "clinician", "withdrawn_clinician": "clinician"}
    actors = {name: new_actor(app, name, role) for name, role in roles.items()}
    actors["anonymous"] = Actor("anonymous", None, {})
    owner, other = actors["owner"].user, actors["other_patient"].user
    linked, withdrawn = actors["linked_clinician"].user, actors["withdrawn_clinician"].user

    def call(actor: str, method: str, path: str, status: int, body: Any = None) -> dict:
        return _ok(client.open(API + path, method=method, json=body,
                               headers=actors[actor].headers), status)

    # Care links: the clinician's code, accepted by the patient (and one withdrawn again).
    invitation = call("linked_clinician", "POST", "/invitations", 201)
    call("owner", "POST", "/me/clinicians", 201, {"code": invitation["code"]})
    code = call("withdrawn_clinician", "POST", "/invitations", 201)["code"]
    call("owner", "POST", "/me/clinicians", 201, {"code": code})
    call("owner", "DELETE", f"/me/clinicians/{withdrawn.id}", 204)
    unused_code = call("unlinked_clinician", "POST", "/invitations", 201)["code"]
    # The owner's diary and treatment; the other patient's own.
    episode = call("owner", "POST", "/episodes", 201, EPISODE)["id"]
    day = call("owner", "PUT", f"/diary-days/{OWNER_DATE}", 201, {"headache_free": True})["id"]
    treatment = call("linked_clinician", "POST", f"/patients/{owner.id}/treatments", 201,
                     TREATMENT)["id"]
    others = {call("other_patient", "POST", "/episodes", 201, EPISODE)["id"],
              call("other_patient", "PUT", "/diary-days/2026-03-05", 201,
                   {"headache_free": True})["id"],
              call("other_patient", "POST", "/treatments", 201, TREATMENT)["id"],
              notify_once(app, other.id, "diary_reminder")}
    note = notify_once(app, owner.id, "diary_reminder")
    notify_once(app, linked.id, "patient_alert", {"patient_id": str(owner.id), "code": "x"})

    return World(
        actors=actors,
        path_args={"patient_id": str(owner.id), "user_id": str(owner.id), "episode_id": episode,
                   "date": OWNER_DATE, "treatment_id": treatment, "notification_id": note,
                   "clinician_id": str(linked.id), "invitation_id": invitation["id"]},
        own={"owner": {episode, day, treatment, note, str(linked.id)}, "other_patient": others},
        secrets={str(owner.id), owner.email, episode, day, treatment, note},
        unused_code=unused_code,
    )


def empty_tables(app) -> None:
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(table.delete())


class Worlds:
    """One world shared by the cases that change nothing; a fresh one for a case that writes."""

    def __init__(self, app):
        self.app, self.client, self._shared = app, app.test_client(), None

    def shared(self) -> World:
        if self._shared is None:
            self._shared = self._build()
        return self._shared

    def fresh(self) -> World:
        self._shared = None
        return self._build()

    def discard_shared(self) -> None:
        self._shared = None

    def _build(self) -> World:
        empty_tables(self.app)
        return build_world(self.app, self.client)

    def rows(self) -> dict[str, list[tuple]]:
        """Every row of every table, the audit log included."""
        with self.app.app_context():
            try:
                return {table.name: sorted((tuple(row) for row in db.session.execute(select(table))),
                                           key=repr)
                        for table in Base.metadata.sorted_tables}
            finally:
                db.session.remove()


def without_audit(rows: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    return {name: table for name, table in rows.items() if name != AUDIT_TABLE}


@pytest.fixture(scope="module")
def worlds(app):
    pool = Worlds(app)
    yield pool
    empty_tables(app)


@pytest.fixture
def _clean_tables():
    """Overrides the per-test emptying of ``tests/conftest.py``: ``Worlds`` empties the tables
    when it builds a world, and the module's end empties them for the next module."""
    yield


# --- The cases ---------------------------------------------------------------------------------

def writes(row: Row, actor: str) -> bool:
    return row.method in UNSAFE and row.expected[actor] < 400


# The cases that change nothing first, so that they share one world.
CASES = sorted(((row, actor) for row in MATRIX for actor in ACTORS), key=lambda c: writes(*c))
LISTS = {"/episodes", "/diary-days", "/treatments", "/sync", "/notifications", "/me/clinicians",
         "/patients", "/invitations", "/patients/<uuid:patient_id>/treatments"}
# The lists in which each patient has something of their own.
OWN_LISTS = {"owner": LISTS - {"/patients", "/invitations"},
             "other_patient": {"/episodes", "/diary-days", "/treatments", "/sync", "/notifications"}}


def owner_view(client, world: World) -> dict:
    """What the owner's app sees of the owner's data."""
    headers = world.actors["owner"].headers
    return {path: _ok(client.get(API + path, headers=headers), 200)
            for path in ("/sync", "/me", "/me/clinicians", "/notifications")}


def listed_ids(body: dict) -> set[str]:
    return {str(item["id"]) for item in body.get("items", body.get("changes", []))}


def check_list(row: Row, actor: str, world: World, body: dict) -> None:
    listed = listed_ids(body)
    if actor not in ALLOWED:
        assert not listed & world.own["owner"], f"the owner's items reach {actor}"
    if row.rule in OWN_LISTS.get(actor, ()):
        assert listed & world.own[actor], f"{actor} does not see their own items"
    if row.rule == "/patients":
        assert (world.path_args["patient_id"] in listed) is (actor == "linked_clinician")
    if row.rule == "/invitations":
        assert (world.path_args["invitation_id"] in listed) is (actor == "linked_clinician")
    if row.rule == "/patients/<uuid:patient_id>/treatments":
        assert world.path_args["treatment_id"] in listed


def case_id(case) -> str:
    row, actor = case
    return f"{row.method} {row.rule} {actor}"


@pytest.mark.parametrize("row, actor", CASES, ids=[case_id(case) for case in CASES])
def test_access(worlds, client, problem, row: Row, actor: str):
    expected = row.expected[actor]
    world = worlds.fresh() if writes(row, actor) else worlds.shared()
    url = world.url(row)
    make_body = BODIES.get((row.method, row.rule))
    body = make_body(world) if make_body else None
    headers = world.actors[actor].headers
    before = worlds.rows()
    owner_before = (owner_view(client, world)
                    if writes(row, actor) and actor not in ALLOWED else None)

    response = client.open(url, method=row.method, json=body, headers=headers)

    after = worlds.rows()
    changed = after != before
    if without_audit(after) != without_audit(before) and not writes(row, actor):
        worlds.discard_shared()  # the later cases get a world as it should be
    assert response.status_code == expected, (
        f"{row.method} {url} as {actor}: {response.status_code}, not {expected}: "
        f"{response.get_data(as_text=True)[:300]}")
    if expected >= 400:
        problem(response, expected)
        assert not changed, "a refused request changed the database"
    elif row.method not in UNSAFE:  # a read may be audited, and change nothing else
        assert without_audit(after) == without_audit(before), f"{row.method} changed the database"
    if owner_before is not None:
        assert owner_view(client, world) == owner_before, f"{actor} changed the owner's data"
    if actor not in ALLOWED:
        sent = url + repr(body)
        # A PDF is bytes (its text compressed); whatever is readable of it is searched.
        text = response.get_data().decode("utf-8", "replace")
        leaked = {secret for secret in world.secrets if secret in text and secret not in sent}
        assert not leaked, f"{actor} was shown the owner's {leaked}"
    if row.method == "GET":
        if expected == 200 and row.rule in LISTS:
            check_list(row, actor, world, response.get_json())
        assert client.head(url, headers=headers).status_code == expected


def test_admin_gets_what_the_matrix_refuses_to_everyone_else(worlds, client):
    """The matrix's cast has no administrator: its admin rows' URL and body are checked here."""
    world = worlds.fresh()
    admin = new_actor(worlds.app, "admin", "admin")
    rows = {row.key: row for row in MATRIX}
    create = rows[("POST", f"{API}/admin/clinicians")]
    _ok(client.post(world.url(create), json=BODIES[("POST", create.rule)](world),
                    headers=admin.headers), 201)
    read = rows[("GET", f"{API}/admin/users/<uuid:user_id>")]
    body = _ok(client.get(world.url(read), headers=admin.headers), 200)
    assert body["id"] == world.path_args["user_id"]


# --- Guards: no route escapes the matrix --------------------------------------------------------

def is_public(method: str, rule: str) -> bool:
    return (method, rule) in PUBLIC or (method == "GET" and rule.startswith(PUBLIC_GET_PREFIXES))


def app_routes(app) -> set[tuple[str, str]]:
    """Every (method, rule) of the app but HEAD and OPTIONS (Flask's own, checked below)."""
    return {(method, rule.rule) for rule in app.url_map.iter_rules()
            for method in rule.methods - {"HEAD", "OPTIONS"}}


def test_every_route_of_the_app_is_in_the_matrix(app):
    missing = {route for route in app_routes(app) if not is_public(*route)} - {r.key for r in MATRIX}
    assert not missing, f"add these routes to MATRIX (who may call them?): {sorted(missing)}"


def test_the_matrix_lists_only_routes_that_exist(app):
    keys = [row.key for row in MATRIX]
    assert len(keys) == len(set(keys)), "a route is listed twice"
    gone = set(keys) - app_routes(app)
    assert not gone, f"these routes are gone from the app: {sorted(gone)}"
    assert PUBLIC <= app_routes(app), "a public route is gone"


def test_head_and_options_are_flasks_own(app):
    """HEAD runs the GET view (each GET case also sends a HEAD); OPTIONS is Flask's automatic
    answer, which runs no view. A hand-written one would need rows of its own."""
    for rule in app.url_map.iter_rules():
        assert ("HEAD" in rule.methods) == ("GET" in rule.methods), rule.rule
        assert "OPTIONS" not in rule.methods or rule.provide_automatic_options, rule.rule


def test_every_row_and_body_is_well_formed():
    for row in MATRIX:
        assert set(row.expected.values()) <= {200, 201, 204, 401, 403, 404}, row
        assert row.expected["anonymous"] == 401, row
    for method, rule in BODIES:
        assert (method, API + rule) in {r.key for r in MATRIX}, (method, rule)
