"""Settings, read from the environment (``DIARY_*``) with safe development defaults."""
from __future__ import annotations

import os

DEV_SECRET_KEY = "dev-only-insecure-secret-key"


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def settings_from_environment(instance_path: str) -> dict:
    """Return the Flask configuration taken from ``DIARY_*`` variables."""
    default_db = "sqlite:///" + os.path.join(instance_path, "diary.sqlite3")
    env = os.environ.get("DIARY_ENV", "development")
    return {
        "DIARY_ENV": env,
        "SQLALCHEMY_DATABASE_URI": os.environ.get("DIARY_DATABASE_URL", default_db),
        "SECRET_KEY": os.environ.get("DIARY_SECRET_KEY", ""),
        "MAX_CONTENT_LENGTH": _int("DIARY_MAX_BODY_BYTES", 1024 * 1024),
        # Accounts and tokens
        "ACCESS_TOKEN_TTL_SECONDS": _int("DIARY_ACCESS_TOKEN_TTL_SECONDS", 3600),
        "REFRESH_TOKEN_TTL_SECONDS": _int("DIARY_REFRESH_TOKEN_TTL_SECONDS", 30 * 24 * 3600),
        "PASSWORD_MIN_LENGTH": 10,
        # Argon2id near OWASP's minimum (19 MiB, t=2, p=1): about 35 ms a hash on 2 cores.
        "ARGON2_TIME_COST": _int("DIARY_ARGON2_TIME_COST", 2),
        "ARGON2_MEMORY_KIB": _int("DIARY_ARGON2_MEMORY_KIB", 19 * 1024),
        "ARGON2_PARALLELISM": _int("DIARY_ARGON2_PARALLELISM", 1),
        # Rate limits (Flask-Limiter notation); memory:// counts per worker process.
        "RATELIMIT_STORAGE_URI": os.environ.get("DIARY_RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_ENABLED": os.environ.get("DIARY_RATELIMIT_ENABLED", "1") != "0",
        "RATELIMIT_HEADERS_ENABLED": True,
        "DIARY_LOGIN_LIMIT_PER_CLIENT": os.environ.get("DIARY_LOGIN_LIMIT_PER_CLIENT", "20 per minute"),
        "DIARY_LOGIN_LIMIT_PER_ACCOUNT": os.environ.get("DIARY_LOGIN_LIMIT_PER_ACCOUNT", "10 per minute"),
        "DIARY_REGISTER_LIMIT_PER_CLIENT": os.environ.get("DIARY_REGISTER_LIMIT_PER_CLIENT", "10 per hour"),
        # Care links
        "INVITATION_TTL_DAYS": _int("DIARY_INVITATION_TTL_DAYS", 7),
        # Sync
        "SYNC_MAX_BATCH": _int("DIARY_SYNC_MAX_BATCH", 1000),
        "SYNC_PAGE_SIZE": _int("DIARY_SYNC_PAGE_SIZE", 500),
        # OpenAPI (flask-smorest)
        "API_TITLE": "diary",
        "API_VERSION": "1",
        "OPENAPI_VERSION": "3.1.0",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": "docs",
        "OPENAPI_SWAGGER_UI_URL": os.environ.get(
            "DIARY_SWAGGER_UI_URL", "https://cdn.jsdelivr.net/npm/swagger-ui-dist/"
        ),
        "API_SPEC_OPTIONS": {
            "security": [{"bearerAuth": []}],
            "info": {"description": "Headache diary API for patients' phone app and clinicians' "
                                    "tools. Errors are RFC 9457 problem details."},
        },
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    }


# Overrides that make the test suite fast and deterministic.
TEST_SETTINGS = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key",
    "ARGON2_TIME_COST": 1,
    "ARGON2_MEMORY_KIB": 8,
    "ARGON2_PARALLELISM": 1,
    "RATELIMIT_ENABLED": False,
}
