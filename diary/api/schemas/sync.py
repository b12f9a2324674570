"""JSON of sync: pages of changes down, batches of changes up, one result per change."""
from __future__ import annotations

import marshmallow as ma

from diary.api.base import Schema
from diary.api.schemas.common import StrictBoolean
from diary.api.schemas.diary_days import DiaryDaySchema
from diary.api.schemas.episodes import EPISODE_EXAMPLE, EpisodeSchema
from diary.api.schemas.treatments import TreatmentSchema

# The resource schema of each synced kind.
KIND_SCHEMAS: dict[str, type[ma.Schema]] = {
    "episode": EpisodeSchema,
    "diary_day": DiaryDaySchema,
    "treatment": TreatmentSchema,
}
STATUSES = ("stored", "unchanged", "conflict", "invalid")

CHANGE_DESCRIPTION = (
    "The resource's own JSON (as `GET /episodes/{id}` etc. answer it) plus `kind`, and an "
    "optional `base_version` (the version the phone edited: a stale one is a conflict); or a "
    "deletion `{\"kind\", \"id\", \"deleted\": true}`."
)
BATCH_EXAMPLE = {"changes": [
    {"kind": "episode", **EPISODE_EXAMPLE, "base_version": 2},
    {"kind": "diary_day", "id": "8d5b3a1c-1f2e-4c3d-9a8b-7e6f5d4c3b2a", "date": "2026-03-03",
     "headache_free": True, "notes": ""},
    {"kind": "episode", "id": "1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b", "deleted": True},
]}
RESULTS_EXAMPLE = {"results": [
    {"id": EPISODE_EXAMPLE["id"], "kind": "episode", "status": "stored", "version": 3,
     "errors": None},
    {"id": "8d5b3a1c-1f2e-4c3d-9a8b-7e6f5d4c3b2a", "kind": "diary_day", "status": "conflict",
     "version": None, "errors": {"date": ["Already recorded as 0f9e8d7c-6b5a-4938-8271-605f4e3d2c1b."]}},
    {"id": "1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b", "kind": "episode", "status": "unchanged",
     "version": 4, "errors": None},
]}


class ChangeEnvelopeSchema(Schema):
    """The parts of an uploaded change that are not the resource's own fields."""

    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(tuple(KIND_SCHEMAS)))
    id = ma.fields.UUID(required=True)
    deleted = StrictBoolean(load_default=False)
    base_version = ma.fields.Integer(strict=True, load_default=None, allow_none=True,
                                     validate=ma.validate.Range(min=1))

    class Meta(Schema.Meta):
        unknown = ma.EXCLUDE


class SyncArgs(Schema):
    since = ma.fields.String(load_default=None, metadata={
        "description": "`cursor` of the previous answer; without it, everything."})
    limit = ma.fields.Integer(load_default=None, validate=ma.validate.Range(min=1),
                              metadata={"description": "Most changes in one answer (default and "
                                                       "maximum: the SYNC_PAGE_SIZE setting, 500)."})


class SyncPageSchema(ma.Schema):
    changes = ma.fields.List(ma.fields.Dict(), required=True, metadata={
        "description": "Oldest first: " + CHANGE_DESCRIPTION})
    cursor = ma.fields.String(required=True, metadata={
        "description": "Opaque; send it as `since` next time."})
    has_more = ma.fields.Boolean(required=True, metadata={
        "description": "More changes wait: ask again at once with this `cursor`."})


class SyncBatchSchema(Schema):
    # Any JSON value, null too: a malformed change is answered on its own (never a 422).
    changes = ma.fields.List(ma.fields.Raw(allow_none=True), required=True, metadata={
        "description": "At most SYNC_MAX_BATCH (1,000) changes, applied in order; each is "
                       + CHANGE_DESCRIPTION + " A malformed change is answered `invalid` "
                       "without spoiling the others."})


class ChangeResultSchema(ma.Schema):
    id = ma.fields.Raw(metadata={"description": "The change's id, as sent"})
    kind = ma.fields.Raw(metadata={"description": "The change's kind, as sent"})
    status = ma.fields.String(metadata={"enum": list(STATUSES)})
    version = ma.fields.Integer(allow_none=True, metadata={
        "description": "The stored version (also for a conflict with the caller's own resource)"})
    errors = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.List(ma.fields.String()),
                            allow_none=True, metadata={
                                "description": "Why a change is invalid or a conflict"})


class SyncResultsSchema(ma.Schema):
    results = ma.fields.List(ma.fields.Nested(ChangeResultSchema), required=True)
