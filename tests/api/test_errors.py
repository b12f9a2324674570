"""Every error is RFC 9457 problem+json: 400, 404, 405, 413, 415, 422, 500 and domain errors."""
from __future__ import annotations

import marshmallow as ma
import pytest

from diary import create_app
from diary.api.base import Blueprint, Schema
from diary.config import TEST_SETTINGS
from diary.errors import Conflict


class ProbeSchema(Schema):
    name = ma.fields.String(required=True)
    count = ma.fields.Integer(strict=True, required=True)
    at = ma.fields.AwareDateTime(required=True)


@pytest.fixture(scope="module")
def probe_client(tmp_path_factory):
    """An app with a small probe blueprint, exercising the shared error machinery."""
    app = create_app({**TEST_SETTINGS, "PROPAGATE_EXCEPTIONS": False,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path_factory.mktemp('e') / 'e.sqlite3'}"})
    blp = Blueprint("probe", __name__)

    @blp.route("/api/v1/probe", methods=["POST"])
    @blp.arguments(ProbeSchema)
    @blp.response(201, ProbeSchema)
    def create_probe(data):
        return data

    @blp.route("/api/v1/boom")
    def boom():
        raise RuntimeError("secret internals")

    @blp.route("/api/v1/conflict", methods=["POST"])
    def conflict():
        raise Conflict("It clashes.")

    app.extensions["diary_api"].register_blueprint(blp)
    return app.test_client()


VALID = {"name": "x", "count": 2, "at": "2026-03-01T22:30:00+00:00"}


def test_valid_probe_request_passes(probe_client):
    assert probe_client.post("/api/v1/probe", json=VALID).status_code == 201


def test_unknown_path_is_a_404_problem(client, problem):
    body = problem(client.get("/api/v1/no-such-thing"), 404)
    assert body["title"] == "Not Found"


def test_wrong_method_is_a_405_problem_with_allow(client, problem):
    response = client.delete("/healthz")
    problem(response, 405)
    assert "GET" in response.headers["Allow"]


def test_malformed_json_is_a_400_problem(probe_client, problem):
    response = probe_client.post("/api/v1/probe", data="{not json",
                                 headers={"Content-Type": "application/json"})
    problem(response, 400)


def test_non_json_body_is_a_415_problem(probe_client, problem):
    response = probe_client.post("/api/v1/probe", data="name=x",
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    problem(response, 415)


def test_body_over_one_mebibyte_is_a_413_problem(probe_client, problem):
    big = '{"name": "' + "x" * (1024 * 1024) + '"}'
    response = probe_client.post("/api/v1/probe", data=big,
                                 headers={"Content-Type": "application/json"})
    problem(response, 413)


def test_validation_errors_are_a_422_problem_with_flat_errors(probe_client, problem):
    response = probe_client.post("/api/v1/probe", json={
        "name": "x", "count": 2.5, "at": "2026-03-01T22:30:00", "extra": 1})
    body = problem(response, 422)
    assert set(body["errors"]) == {"count", "at", "extra"}
    assert all(isinstance(m, list) and m for m in body["errors"].values())


def test_a_timestamp_without_offset_is_rejected(probe_client, problem):
    body = problem(probe_client.post("/api/v1/probe", json={**VALID, "at": "2026-03-01"}), 422)
    assert "at" in body["errors"]


def test_unhandled_error_is_a_500_problem_without_internals(probe_client, problem):
    response = probe_client.get("/api/v1/boom")
    body = problem(response, 500)
    assert "secret internals" not in response.get_data(as_text=True)
    assert "Traceback" not in body["detail"]


def test_domain_errors_become_problems(probe_client, problem):
    body = problem(probe_client.post("/api/v1/conflict"), 409)
    assert body["detail"] == "It clashes."


def test_problem_schema_is_documented_for_errors(probe_client):
    spec = probe_client.get("/api/v1/openapi.json").get_json()
    problem_fields = spec["components"]["schemas"]["Problem"]["properties"]
    assert {"type", "title", "status", "detail", "errors"} <= set(problem_fields)
