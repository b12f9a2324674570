"""The application factory, configuration and health check."""
from __future__ import annotations

import pytest

from diary import create_app
from diary.config import TEST_SETTINGS


def test_factory_builds_independent_apps_with_their_own_config(tmp_path):
    url = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    app = create_app({**TEST_SETTINGS, "SQLALCHEMY_DATABASE_URI": url, "MAX_CONTENT_LENGTH": 123})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == url
    assert app.config["MAX_CONTENT_LENGTH"] == 123


def test_database_url_comes_from_the_environment(monkeypatch, tmp_path):
    url = f"sqlite:///{tmp_path / 'env.sqlite3'}"
    monkeypatch.setenv("DIARY_DATABASE_URL", url)
    assert create_app({"SECRET_KEY": "x"}).config["SQLALCHEMY_DATABASE_URI"] == url


def test_default_database_is_a_sqlite_file_in_the_instance_folder(monkeypatch):
    monkeypatch.delenv("DIARY_DATABASE_URL", raising=False)
    app = create_app({"SECRET_KEY": "x"})
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("instance/diary.sqlite3")


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.setenv("DIARY_ENV", "production")
    monkeypatch.delenv("DIARY_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="DIARY_SECRET_KEY"):
        create_app()


def test_development_without_a_secret_key_warns_and_uses_a_dev_key(monkeypatch, caplog):
    monkeypatch.delenv("DIARY_ENV", raising=False)
    monkeypatch.delenv("DIARY_SECRET_KEY", raising=False)
    app = create_app()
    assert app.config["SECRET_KEY"]
    assert "DIARY_SECRET_KEY is not set" in caplog.text


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(tmp_path):
    from sqlalchemy import text

    from diary.extensions import db

    app = create_app({**TEST_SETTINGS, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.sqlite3'}"})
    with app.app_context():
        with db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 1000


def test_health_reports_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_health_reports_unavailable_when_the_database_does_not_answer(tmp_path):
    app = create_app({**TEST_SETTINGS,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'missing-dir' / 'x.sqlite3'}"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unavailable"


def test_openapi_document_is_served_as_3_1_with_bearer_security(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    assert spec["openapi"].startswith("3.1")
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert spec["paths"]["/healthz"]["get"]["security"] == []


def test_swagger_ui_is_served(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert b"swagger" in response.data.lower()
