"""Sync for the phone app: ``GET /sync`` pages through the patient's changes, ``POST /sync``
uploads an offline backlog."""
from __future__ import annotations

import base64
import binascii
import re
from typing import Any

import marshmallow as ma
from flask import current_app

from diary.api.base import Blueprint, problem_responses
from diary.api.problems import flatten_errors
from diary.api.schemas.sync import (BATCH_EXAMPLE, KIND_SCHEMAS, RESULTS_EXAMPLE,
                                    ChangeEnvelopeSchema, SyncArgs, SyncBatchSchema,
                                    SyncPageSchema, SyncResultsSchema)
from diary.api.security import as_patient
from diary.errors import Invalid, PayloadTooLarge
from diary.models import User
from diary.services import sync as service
from diary.services.sync import Change, ChangeResult

blp = Blueprint("sync", __name__,
                description="The phone app's sync: changes down since an opaque cursor, "
                            "offline backlogs up in one batch.")

problems = problem_responses(blp, {
    401: "No valid bearer token",
    403: "Sync is for patient accounts",
    413: "More changes in the batch than SYNC_MAX_BATCH (nothing was stored)",
})
ENVELOPE = ("kind", "deleted", "base_version")
CURSOR_PREFIX = "seq:"
SEQUENCE = re.compile(r"[0-9]{1,18}", re.ASCII)


@blp.route("/sync", methods=["GET"])
@as_patient()
@blp.arguments(SyncArgs, location="query")
@blp.response(200, SyncPageSchema)
@problems(401, 403)
def get_changes(args, patient: User):
    """Fetch what changed since `since`, oldest first

    Resources come as their own JSON plus `kind`; deletions as `{kind, id, deleted: true}`.
    When `has_more` is true, ask again at once with the returned `cursor`."""
    page_size = current_app.config["SYNC_PAGE_SIZE"]
    limit = args["limit"] or page_size
    if limit > page_size:
        raise Invalid("limit is too large.", errors={"limit": [f"Must be at most {page_size}."]})
    since = decode_cursor(args["since"]) if args["since"] else 0
    page = service.changes_since(patient, since, limit)
    return {"changes": [_dump(kind, resource) for kind, resource in page.changes],
            "cursor": encode_cursor(page.cursor), "has_more": page.has_more}


@blp.route("/sync", methods=["POST"])
@as_patient()
@blp.arguments(SyncBatchSchema, example=BATCH_EXAMPLE)
@blp.response(200, SyncResultsSchema, example=RESULTS_EXAMPLE)
@problems(401, 403, 413)
def post_changes(batch, patient: User):
    """Upload a batch of changes (an offline backlog)

    Each change is an upsert or a deletion by `id`, applied in order in its own savepoint:
    `stored`, `unchanged` (sending a batch again stores nothing twice), `conflict` (a stale
    `base_version`, a deleted id, a diary date that already has another id, an id taken) or
    `invalid` (with `errors`)."""
    limit = current_app.config["SYNC_MAX_BATCH"]
    if len(batch["changes"]) > limit:
        raise PayloadTooLarge(f"A batch holds at most {limit} changes; send the rest in "
                              "another batch.")
    results = service.apply_changes(patient, [parse_change(raw) for raw in batch["changes"]])
    return {"results": [vars(result) for result in results]}


def parse_change(raw: Any) -> Change | ChangeResult:
    """Check one uploaded change's shape with its kind's schema; an invalid result if bad."""
    if not isinstance(raw, dict):
        return ChangeResult(None, None, "invalid", errors={"_schema": ["A change is a JSON object."]})
    kind, raw_id = raw.get("kind"), raw.get("id")
    try:
        envelope = ChangeEnvelopeSchema().load(raw)
    except ma.ValidationError as exc:
        return ChangeResult(raw_id, kind, "invalid", errors=flatten_errors(exc.messages))
    body = {name: value for name, value in raw.items() if name not in ENVELOPE}
    if envelope["deleted"]:
        extra = sorted(set(body) - {"id"})
        if extra:
            return ChangeResult(raw_id, kind, "invalid",
                                errors={name: ["Unknown field in a deletion."] for name in extra})
        return Change(kind, envelope["id"], deleted=True, base_version=envelope["base_version"])
    try:
        data = KIND_SCHEMAS[kind]().load(body)
    except ma.ValidationError as exc:
        return ChangeResult(raw_id, kind, "invalid", errors=flatten_errors(exc.messages))
    return Change(kind, envelope["id"], data=data, base_version=envelope["base_version"])


def _dump(kind: str, resource: Any) -> dict:
    if resource.deleted_at is not None:
        return {"kind": kind, "id": str(resource.id), "deleted": True}
    return {"kind": kind, **KIND_SCHEMAS[kind]().dump(resource)}


def encode_cursor(seq: int) -> str:
    """An opaque cursor for the patient's change number ``seq``."""
    return base64.urlsafe_b64encode(f"{CURSOR_PREFIX}{seq}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    bad = Invalid("The cursor is not valid.", errors={"since": ["Not a cursor from GET /sync."]})
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise bad from None
    number = text.removeprefix(CURSOR_PREFIX)
    # ASCII digits that fit the database's integers ("²" is a digit to str.isdigit, not to int).
    if not text.startswith(CURSOR_PREFIX) or not SEQUENCE.fullmatch(number):
        raise bad
    return int(number)
