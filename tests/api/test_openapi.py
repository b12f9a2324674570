"""The served OpenAPI document: valid OpenAPI 3.1, and complete enough for a phone-app
developer to build against alone (summaries, every answer documented, errors as
problem+json, security, pagination, versions)."""
from __future__ import annotations

import re
import uuid

import pytest
from openapi_spec_validator import OpenAPIV31SpecValidator

PROBLEM = "application/problem+json"
BEARER = [{"bearerAuth": []}]
PUBLIC = {("post", "/api/v1/auth/register"), ("post", "/api/v1/auth/token"),
          ("post", "/api/v1/auth/refresh"), ("get", "/healthz")}
METHODS = ("get", "put", "post", "delete", "patch")


@pytest.fixture(scope="module")
def document(app):
    response = app.test_client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def operations(document):
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                yield method, path, item[method]


def resolve(document, node: dict) -> dict:
    while "$ref" in node:
        section, kind, name = node["$ref"].removeprefix("#/").split("/")
        node = document[section][kind][name]
    return node


def response_schema(document, operation, status: str) -> dict:
    response = resolve(document, operation["responses"][status])
    return resolve(document, response["content"]["application/json"]["schema"])


def test_document_is_valid_openapi_3_1(document):
    assert document["openapi"].startswith("3.1.")
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
              for e in OpenAPIV31SpecValidator(document).iter_errors()]
    assert errors == []


def test_every_operation_has_a_summary_and_a_success_response(document):
    for method, path, operation in operations(document):
        assert operation.get("summary", "").strip(), (method, path)
        assert any(status.startswith("2") for status in operation["responses"]), (method, path)


def test_every_error_response_is_problem_json(document):
    for method, path, operation in operations(document):
        for status, response in operation["responses"].items():
            if not (status.startswith("4") or status == "default"):
                continue  # /healthz's 503 is its own JSON, for load balancers
            content = resolve(document, response).get("content")
            assert content and list(content) == [PROBLEM], (method, path, status)
            assert content[PROBLEM]["schema"] == {"$ref": "#/components/schemas/Problem"}


def test_post_creations_document_location(document):
    for method, path, operation in operations(document):
        created = operation["responses"].get("201")
        if method == "post" and created:
            assert "Location" in resolve(document, created).get("headers", {}), path


def test_bearer_security_on_authenticated_operations_and_none_on_public(document):
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    default = document.get("security")
    assert {(m, p) for m, p, _ in operations(document)} >= PUBLIC
    for method, path, operation in operations(document):
        security = operation.get("security", default)
        if (method, path) in PUBLIC:
            assert operation.get("security") == [], (method, path)
        else:
            assert security == BEARER, (method, path)
            assert "401" in operation["responses"], (method, path)


def _concrete(path: str) -> str:
    path = path.replace("{date}", "2026-03-01")
    return re.sub(r"\{[a-z_]+\}", lambda _: str(uuid.uuid4()), path)


def test_documented_security_is_what_the_routes_do(document, client):
    """Without a token, a bearer operation answers 401 and a public one never does."""
    for method, path, operation in operations(document):
        response = client.open(_concrete(path), method=method.upper(), json={})
        if (method, path) in PUBLIC:
            assert response.status_code != 401, (method, path)
        else:
            assert response.status_code == 401, (method, path)
            assert response.mimetype == PROBLEM


def test_paths_naming_a_resource_answer_404_never_403(document):
    """Whatever the caller's role (the contract): only endpoints that name no one answer 403."""
    for method, path, operation in operations(document):
        if re.search(r"\{[a-z_]+\}", path):
            assert "403" not in operation["responses"], (method, path)
            assert "404" in operation["responses"], (method, path)


def test_patch_bodies_show_no_defaults(document):
    """PATCH keeps what is left out, so a default on one of its fields would mislead (a
    medicine inside it is sent whole, and its own defaults do apply)."""
    patches = [(path, op) for method, path, op in operations(document) if method == "patch"]
    assert patches
    for path, operation in patches:
        schema = operation["requestBody"]["content"]["application/json"]["schema"]
        properties = resolve(document, schema)["properties"]
        assert [name for name, prop in properties.items() if "default" in prop] == [], path


def test_lists_document_limit_cursor_and_their_page_shape(document):
    lists = 0
    for method, path, operation in operations(document):
        if method != "get" or "200" not in operation["responses"]:
            continue
        content = resolve(document, operation["responses"]["200"]).get("content", {})
        if "application/json" not in content:
            continue
        schema = response_schema(document, operation, "200")
        if "items" not in schema.get("properties", {}):
            continue
        lists += 1
        query = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        assert {"limit", "cursor"} <= query, path
        assert set(schema["required"]) == {"items", "next_cursor"}, path
        assert schema["properties"]["next_cursor"]["type"] == ["string", "null"], path
    assert lists >= 8


def test_versioned_resources_document_etag_and_if_match(document):
    """A single resource with a ``version`` is sent with ``ETag``; its writes take an
    optional ``If-Match`` and may answer 412."""
    versioned = 0
    for method, path, operation in operations(document):
        for status in ("200", "201"):
            response = operation["responses"].get(status)
            if not response or "application/json" not in resolve(document, response).get("content", {}):
                continue
            if "version" in response_schema(document, operation, status).get("properties", {}):
                versioned += 1
                assert "ETag" in resolve(document, response).get("headers", {}), (method, path, status)
        get = document["paths"][path].get("get")
        if method in ("put", "patch", "delete") and get and "200" in get["responses"]:
            if "version" in response_schema(document, get, "200").get("properties", {}):
                headers = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
                assert "If-Match" in headers, (method, path)
                assert "412" in operation["responses"], (method, path)
    assert versioned >= 10
