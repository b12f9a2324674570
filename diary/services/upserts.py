"""What every synced resource's write services share (episodes, diary days, treatments):
the outcome of an upsert, the per-patient write lock, the version check, the safe flush."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from diary.errors import Conflict, PreconditionFailed
from diary.extensions import db
from diary.models import User

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
