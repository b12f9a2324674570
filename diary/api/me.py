"""``/me``: the caller's own account."""
from __future__ import annotations

from flask.views import MethodView

from diary.api.base import Blueprint
from diary.api.schemas.accounts import MeSchema, MeUpdateSchema
from diary.api.security import auth_required, current_user
from diary.services.profiles import update_profile

blp = Blueprint("me", __name__, description="The caller's own account")


@blp.route("/me")
class Me(MethodView):
    decorators = [auth_required()]

    @blp.response(200, MeSchema)
    @blp.alt_response(401, response="UNAUTHORIZED")
    def get(self):
        """The caller's account"""
        return current_user()

    @blp.arguments(MeUpdateSchema, required=False)
    @blp.response(200, MeSchema)
    @blp.alt_response(401, response="UNAUTHORIZED")
    def patch(self, changes):
        """Change the caller's name, time zone or (patients) diary reminders"""
        return update_profile(current_user(), changes)
