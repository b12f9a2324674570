"""What every synced resource's write services share (episodes, diary days, treatments):
the outcome of an upsert, the per-patient write lock, ownership, tombstone and version
checks, and storing one new version stamped for sync."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from diary.errors import Conflict, NotFound, PreconditionFailed
from diary.extensions import db
from diary.models import User, utcnow
from diary.services.changes import stamp_change

UpsertStatus = Literal["created", "replaced", "unchanged"]


@dataclass(frozen=True)
class UpsertResult:
    """``resource`` as stored; ``status`` says whether it was created, replaced, or already
    held exactly that content (then neither its version nor its change sequence moved)."""

    resource: Any
    status: UpsertStatus

    @property
    def created(self) -> bool:
        return self.status == "created"

    @property
    def changed(self) -> bool:
        return self.status != "unchanged"


def lock_patient(patient_id: uuid.UUID) -> None:
    """Serialise the patient's writes before reading what they change: ``SELECT ... FOR
    UPDATE`` of the patient's row on PostgreSQL (SQLite's ``BEGIN IMMEDIATE`` already
    serialises writers and omits the clause). Version checks and "is this id or date free"
    checks made after it hold until commit."""
    db.session.execute(select(User.id).where(User.id == patient_id).with_for_update())


def check_expected_version(resource: Any | None, expected: int | None) -> None:
    """412 (naming the current version in ``ETag``) when the writer holds a stale version,
    or names a version of a resource that does not exist (``resource`` None)."""
    if expected is None:
        return
    if resource is None:
        raise PreconditionFailed("The resource does not exist, so no version of it matches.")
    if expected != resource.version:
        raise PreconditionFailed(
            f"The resource is at version {resource.version}, not {expected}: "
            "fetch it and try again.",
            headers={"ETag": f'"{resource.version}"'},
        )


def flush_or_conflict(detail: str) -> None:
    """Flush in a savepoint; a unique key taken meanwhile (only a concurrent writer gets
    past the checks made under ``lock_patient``) is a ``Conflict``, not a 500."""
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise Conflict(detail) from None


def own_resource(model: type, patient_id: uuid.UUID, resource_id: uuid.UUID, noun: str) -> Any | None:
    """The patient's ``model`` row ``resource_id`` (live or deleted), None when there is none;
    404 when it is another patient's: never overwrite, nor reveal, someone else's data."""
    resource = db.session.get(model, resource_id)
    if resource is not None and resource.patient_id != patient_id:
        raise NotFound(f"No such {noun}.")
    return resource


def get_live(model: type, patient_id: uuid.UUID, resource_id: uuid.UUID, noun: str) -> Any:
    """The patient's live ``model`` row; 404 when it is deleted, unknown or someone else's."""
    resource = db.session.get(model, resource_id)
    if resource is None or resource.patient_id != patient_id or resource.deleted_at is not None:
        raise NotFound(f"No such {noun}.")
    return resource


def check_live(resource: Any, noun: str, hint: str) -> None:
    """409 for a tombstone: a deleted id stays deleted (``hint`` says what to do instead)."""
    if resource.deleted_at is not None:
        raise Conflict(f"This {noun} was deleted; the deletion stands.",
                       errors={"id": [f"Deleted; {hint}"]})


def resource_to_upsert(model: type, patient_id: uuid.UUID, resource_id: uuid.UUID,
                       expected_version: int | None, noun: str, hint: str) -> Any | None:
    """What every upsert does first: take the patient's write lock, then find the patient's
    live ``model`` row (None when it is new). 404 for another patient's id, 409 for a deleted
    one, 412 for a stale ``expected_version``."""
    lock_patient(patient_id)
    existing = own_resource(model, patient_id, resource_id, noun)
    if existing is not None:
        check_live(existing, noun, hint)
    check_expected_version(existing, expected_version)
    return existing


def save_version(resource: Any, patient_id: uuid.UUID, taken: str) -> None:
    """Count one more version of ``resource``, stamp it in the patient's sync sequence, and
    flush (``taken``: the conflict's detail should its id be taken meanwhile)."""
    resource.version += 1
    with db.session.no_autoflush:
        stamp_change(resource, patient_id)
    db.session.add(resource)
    flush_or_conflict(taken)


def delete_resource(model: type, patient_id: uuid.UUID, resource_id: uuid.UUID,
                    expected_version: int | None, noun: str, hint: str) -> Any:
    """Delete the patient's resource as a tombstone (sync delivers it). 404 for an unknown or
    foreign id, 409 when already deleted, 412 for a stale version."""
    lock_patient(patient_id)
    resource = own_resource(model, patient_id, resource_id, noun)
    if resource is None:
        raise NotFound(f"No such {noun}.")
    check_live(resource, noun, hint)
    check_expected_version(resource, expected_version)
    resource.deleted_at = utcnow()
    save_version(resource, patient_id, "")
    return resource
