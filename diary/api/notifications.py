"""``/notifications``: what the scheduled jobs wrote for the caller, and marking them read."""
from __future__ import annotations

from diary.api.base import Blueprint, problem_responses
from diary.api.pagination import page_schema, paginate
from diary.api.schemas.notifications import NotificationQueryArgs, NotificationSchema
from diary.api.security import auth_required, authenticate
from diary.models import Notification
from diary.services.notifications import mark_notification_read, notifications_query

blp = Blueprint("notifications", __name__,
                description="Reminders and alerts written by the scheduled jobs, for the "
                            "caller only (patients and clinicians alike).")
problems = problem_responses(blp, {
    401: "No valid bearer token",
    404: "No such notification of the caller's",
})


@blp.route("/notifications")
@auth_required()
@blp.arguments(NotificationQueryArgs, location="query")
@blp.response(200, page_schema(NotificationSchema))
@problems(401)
def list_notifications(args):
    """List the caller's notifications, newest first"""
    user = authenticate()
    return paginate(notifications_query(user.id, unread=args.pop("unread")),
                    [Notification.created_at, Notification.id], **args)


@blp.route("/notifications/<uuid:notification_id>/read", methods=["POST"])
@auth_required()
@blp.response(200, NotificationSchema)
@problems(401, 404)
def read_notification(notification_id):
    """Mark a notification read

    No body is needed. Reading it again keeps the first `read_at`."""
    return mark_notification_read(authenticate().id, notification_id)
