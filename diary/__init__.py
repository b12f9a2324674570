"""diary: a headache diary for people with chronic migraine treated with botulinum toxin."""
from __future__ import annotations

import logging
import os
from typing import Any, Mapping

from flask import Flask

from diary.config import DEV_SECRET_KEY, settings_from_environment

log = logging.getLogger(__name__)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application: config, extensions, blueprints, error handlers, CLI."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(settings_from_environment(app.instance_path))
    if config:
        app.config.update(config)
    _check_secret_key(app)
    app.json.sort_keys = False  # keep documented field order in answers
    os.makedirs(app.instance_path, exist_ok=True)

    from diary import api, cli, transactions
    from diary.database import configure_engine
    from diary.extensions import db, limiter

    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            configure_engine(engine)
    limiter.init_app(app)
    transactions.init_app(app)
    api.init_app(app)
    cli.init_app(app)
    return app


def _check_secret_key(app: Flask) -> None:
    if app.config.get("SECRET_KEY"):
        return
    if app.config["DIARY_ENV"] == "production":
        raise RuntimeError("DIARY_SECRET_KEY must be set when DIARY_ENV=production.")
    app.logger.warning("DIARY_SECRET_KEY is not set: using an insecure development key.")
    app.config["SECRET_KEY"] = DEV_SECRET_KEY
