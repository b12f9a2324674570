"""JSON of diary days: the patient filled in the diary for a local date."""
from __future__ import annotations

import marshmallow as ma

from diary.api.base import Schema
from diary.api.schemas.common import LocalDate, Notes, StrictBoolean

DIARY_DAY_EXAMPLE = {"headache_free": True, "notes": ""}


class DiaryDaySchema(Schema):
    """One filled-in diary date. On ``PUT /diary-days/{date}`` the path gives the date (a
    ``date`` in the body must match it); in sync the change carries ``id`` and ``date``.
    ``version``, ``created_at`` and ``updated_at`` are the server's and ignored on input."""

    id = ma.fields.UUID(load_default=None, metadata={
        "description": "Chosen by the server unless the client sends one (for sync)."})
    date = LocalDate(load_default=None, metadata={"description": "The local date; unique."})
    headache_free = StrictBoolean(required=True, metadata={
        "description": "Stored as sent, even on a date that has an episode."})
    notes = Notes()
    version = ma.fields.Integer(strict=True, metadata={"readOnly": True})
    created_at = ma.fields.AwareDateTime(metadata={"readOnly": True})
    updated_at = ma.fields.AwareDateTime(metadata={"readOnly": True})

    @ma.post_load
    def _drop_server_fields(self, data, **kwargs):
        for name in ("version", "created_at", "updated_at"):
            data.pop(name, None)
        return data


class DiaryDatePath(Schema):
    """The ``{date}`` of ``/diary-days/{date}``."""

    date = LocalDate(required=True)
