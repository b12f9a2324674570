"""Sync for the phone app: the patient's changes since a point in their change sequence, and
the upload of an offline backlog, one savepoint per change.

Each synced kind (episode, diary day, treatment) plugs in its model and its two write
services, ``upsert_<kind>`` and ``delete_<kind>``, which share one signature.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any, Callable, Literal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from diary.errors import Conflict, Invalid, NotFound, PreconditionFailed
from diary.extensions import db
from diary.models import DiaryDay, Episode, Treatment, User
from diary.services import diary_days, episodes, treatments
from diary.services.upserts import lock_patient

SyncStatus = Literal["stored", "unchanged", "conflict", "invalid"]


@dataclass(frozen=True)
class SyncedKind:
    model: type
    upsert: Callable[..., Any]
    delete: Callable[..., Any]
    holds_content: Callable[..., bool]


KINDS: dict[str, SyncedKind] = {
    "episode": SyncedKind(Episode, episodes.upsert_episode, episodes.delete_episode,
                          episodes.holds_content),
    "diary_day": SyncedKind(DiaryDay, diary_days.upsert_diary_day, diary_days.delete_diary_day,
                            diary_days.holds_content),
    "treatment": SyncedKind(Treatment, treatments.upsert_treatment, treatments.delete_treatment,
                            treatments.holds_content),
}


@dataclass(frozen=True)
class Change:
    """One uploaded change, already checked for shape: an upsert of ``data`` or a deletion."""

    kind: str
    id: uuid.UUID
    deleted: bool = False
    data: dict = field(default_factory=dict)
    base_version: int | None = None


@dataclass(frozen=True)
class ChangeResult:
    """What became of one uploaded change (``errors`` for invalid and conflicting ones)."""

    id: Any
    kind: Any
    status: SyncStatus
    version: int | None = None
    errors: dict[str, list[str]] | None = None


@dataclass(frozen=True)
class ChangesPage:
    """Changed resources (``(kind, resource)``, oldest first) and where the next page starts."""

    changes: list[tuple[str, Any]]
    cursor: int
    has_more: bool


def changes_since(patient: User, since: int, limit: int) -> ChangesPage:
    """The patient's resources created, changed or deleted after change number ``since``,
    oldest first, at most ``limit`` of them."""
    # Every change up to the counter's committed value is committed and visible to the
    # statements that follow; reading only up to it, one table at a time, skips nothing.
    upto = db.session.scalar(select(User.change_seq).where(User.id == patient.id)) or 0
    rows: list[tuple[str, Any]] = []
    for kind, spec in KINDS.items():
        model = spec.model
        stmt = (select(model)
                .where(model.patient_id == patient.id, model.change_seq > since,
                       model.change_seq <= upto)
                .order_by(model.change_seq).limit(limit + 1))
        rows.extend((kind, resource) for resource in db.session.scalars(stmt))
    rows.sort(key=lambda row: row[1].change_seq)
    has_more = len(rows) > limit
    rows = rows[:limit]
    cursor = rows[-1][1].change_seq if has_more else max(upto, since)
    return ChangesPage(rows, cursor, has_more)


def apply_changes(patient: User, changes: list[Change | ChangeResult]) -> list[ChangeResult]:
    """Apply each change in its own savepoint, in order; a ``ChangeResult`` in the list (a
    change the caller already found invalid) is passed through as it is."""
    lock_patient(patient.id)
    return [item if isinstance(item, ChangeResult) else apply_change(patient, item)
            for item in changes]


def apply_change(patient: User, change: Change) -> ChangeResult:
    """Store one change (in a savepoint: if it fails, nothing of it stays)."""
    spec = KINDS[change.kind]
    try:
        with db.session.begin_nested():
            return _apply(patient, spec, change)
    except (Conflict, PreconditionFailed, NotFound, IntegrityError) as exc:
        return ChangeResult(change.id, change.kind, "conflict", _own_version(patient, spec, change.id),
                            getattr(exc, "errors", None) or {"_schema": [_detail(exc)]})
    except Invalid as exc:
        return ChangeResult(change.id, change.kind, "invalid", None,
                            exc.errors or {"_schema": [exc.detail]})


def _apply(patient: User, spec: SyncedKind, change: Change) -> ChangeResult:
    existing = db.session.get(spec.model, change.id)
    if existing is not None and existing.patient_id != patient.id:
        # Never overwrite, nor reveal, another patient's resource.
        raise Conflict("This id is already taken.", errors={"id": ["Taken; choose another id."]})
    if change.deleted:
        if existing is None or existing.deleted_at is not None:
            # Nothing to delete, or deleted already: deleting is idempotent.
            return _result(change, "unchanged", existing)
        resource = spec.delete(patient, change.id, expected_version=change.base_version,
                               actor=patient)
        return _result(change, "stored", resource)
    if change.data.get("patient_id") not in (None, patient.id):
        raise Invalid("patient_id is not the caller's.",
                      errors={"patient_id": ["Must be the caller's id (or left out)."]})
    if existing is not None and existing.deleted_at is not None and \
            spec.holds_content(patient, existing, change.data):
        # The upsert that stored this content before the deletion, sent again (a retried
        # batch that created and then deleted it): nothing to store, the deletion stands.
        return _result(change, "unchanged", existing)
    outcome = spec.upsert(patient, change.id, change.data, expected_version=change.base_version,
                          actor=patient)
    return _result(change, "unchanged" if outcome.status == "unchanged" else "stored",
                   outcome.resource)


def _result(change: Change, status: SyncStatus, resource: Any | None) -> ChangeResult:
    return ChangeResult(change.id, change.kind, status,
                        resource.version if resource is not None else None)


def _own_version(patient: User, spec: SyncedKind, resource_id: uuid.UUID) -> int | None:
    """The stored version of the patient's own resource (so a client can rebase), else None."""
    return db.session.scalar(select(spec.model.version)
                             .where(spec.model.id == resource_id,
                                    spec.model.patient_id == patient.id))


def _detail(exc: Exception) -> str:
    return getattr(exc, "detail", None) or "The change conflicts with data stored meanwhile."
