"""Notifications as the phone app reads them."""
from __future__ import annotations

import marshmallow as ma

from diary.api.base import Schema
from diary.api.pagination import PageArgs
from diary.models import NOTIFICATION_KINDS


class NotificationSchema(Schema):
    id = ma.fields.UUID(dump_only=True)
    kind = ma.fields.String(dump_only=True,
                            metadata={"enum": list(NOTIFICATION_KINDS),
                                      "description": "`diary_reminder`, `injection_due` or "
                                                     "`patient_alert` (for clinicians)"})
    created_at = ma.fields.AwareDateTime(dump_only=True)
    title = ma.fields.String(dump_only=True)
    body = ma.fields.String(dump_only=True)
    data = ma.fields.Dict(dump_only=True, metadata={
        "description": "By kind: `{date}`; `{treatment_id, administered_on, next_due_on}`; "
                       "`{patient_id, code}`"})
    read_at = ma.fields.AwareDateTime(dump_only=True, allow_none=True,
                                      metadata={"description": "null until marked read"})


class NotificationQueryArgs(PageArgs):
    unread = ma.fields.Boolean(load_default=False,
                               metadata={"description": "Only those not marked read yet."})
