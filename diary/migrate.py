"""Alembic, driven from the application's configuration (``flask --app diary db ...``)."""
from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from flask import Flask

MIGRATIONS_DIR = Path(os.environ.get("DIARY_MIGRATIONS_DIR",
                                     Path(__file__).resolve().parent.parent / "migrations"))


def alembic_config(database_url: str) -> Config:
    """An Alembic configuration for ``database_url`` using the project's ``migrations/``."""
    cfg = Config(str(MIGRATIONS_DIR.parent / "alembic.ini"))
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    # ConfigParser interpolation: a literal % in a password must be doubled.
    cfg.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return cfg


def upgrade(app: Flask, revision: str = "head") -> None:
    command.upgrade(alembic_config(app.config["SQLALCHEMY_DATABASE_URI"]), revision)


def downgrade(app: Flask, revision: str) -> None:
    command.downgrade(alembic_config(app.config["SQLALCHEMY_DATABASE_URI"]), revision)


def revision(app: Flask, message: str, autogenerate: bool) -> None:
    command.revision(alembic_config(app.config["SQLALCHEMY_DATABASE_URI"]),
                     message=message, autogenerate=autogenerate)
