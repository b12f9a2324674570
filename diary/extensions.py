"""Extension objects, created unbound and initialised in ``create_app``.

flask-smorest's ``Api`` keeps one OpenAPI spec per instance, so ``diary.api.init_app`` makes one
per application (``app.extensions["diary_api"]``) instead of sharing a module-level object."""
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_sqlalchemy import SQLAlchemy

from diary.models.base import Base

db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
limiter = Limiter(key_func=get_remote_address, default_limits=[])
