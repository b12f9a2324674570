"""Treatments (injection sessions): record, replace, amend and delete them for a patient.

Every write first takes ``lock_patient``, so the checks that an id is stored once and a date
holds one treatment still hold at commit.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from sqlalchemy import Select, select

from diary.errors import Conflict, Invalid
from diary.extensions import db
from diary.models import DEFAULT_PRODUCT, Treatment, User, utcnow
from diary.services.audit import record_audit
from diary.services.timezones import today_in
from diary.services.upserts import (UpsertResult, check_expected_version, check_live,
                                    delete_resource, get_live, lock_patient, resource_to_upsert,
                                    save_version)

# What a client sends and a replacement replaces; None means "not recorded".
CONTENT_DEFAULTS = {"administered_on": None, "product": DEFAULT_PRODUCT, "total_units": None,
                    "injection_sites": None, "notes": ""}
# A treatment records what happened: "tomorrow" is allowed for a patient whose clinic is a
# time zone ahead, nothing later.
MAX_DAYS_AHEAD = 1
NOUN = "treatment"
AGAIN = "record it again with a new id."
ID_TAKEN = "This id is already taken; choose another."


def list_treatments_stmt(patient: User, start: date | None = None,
                         end: date | None = None) -> Select:
    """The patient's treatments (not deleted), given from ``start`` to ``end`` (both
    inclusive, either open), unordered: the caller pages them."""
    stmt = select(Treatment).where(Treatment.patient_id == patient.id,
                                   Treatment.deleted_at.is_(None))
    if start is not None:
        stmt = stmt.where(Treatment.administered_on >= start)
    if end is not None:
        stmt = stmt.where(Treatment.administered_on <= end)
    return stmt


def get_treatment(patient: User, treatment_id: uuid.UUID) -> Treatment:
    """The patient's treatment; 404 when it is someone else's, deleted or unknown."""
    return get_live(Treatment, patient.id, treatment_id, NOUN)


def create_treatment(patient: User, data: dict, *, actor: User | None = None) -> UpsertResult:
    """Record a new treatment (``data["id"]`` may name its UUID). A retry that sends the same
    id and content again is ``unchanged``; the same id with other content is a conflict."""
    content = _content(data, patient)
    treatment_id = data.get("id") or uuid.uuid4()
    lock_patient(patient.id)
    existing = db.session.get(Treatment, treatment_id)
    if existing is None:
        return _insert(patient, treatment_id, content, actor)
    if existing.patient_id != patient.id:
        raise Conflict(ID_TAKEN)
    check_live(existing, NOUN, AGAIN)
    if _differs(existing, content):
        raise Conflict("A treatment with this id already exists with other content; "
                       "use PUT to replace it.")
    return UpsertResult(existing, "unchanged")


def upsert_treatment(patient: User, treatment_id: uuid.UUID, data: dict, *,
                     expected_version: int | None = None,
                     actor: User | None = None) -> UpsertResult:
    """Create the treatment ``treatment_id`` or replace all its content (fields left out take
    their defaults). Identical content changes nothing (``unchanged``). 404 for another
    patient's id, 409 for a deleted one, 412 for a stale ``expected_version``."""
    content = _content(data, patient)
    existing = resource_to_upsert(Treatment, patient.id, treatment_id, expected_version, NOUN, AGAIN)
    if existing is None:
        return _insert(patient, treatment_id, content, actor)
    if not _differs(existing, content):
        return UpsertResult(existing, "unchanged")
    _store(patient, existing, content, actor)
    return UpsertResult(existing, "replaced")


def update_treatment(patient: User, treatment_id: uuid.UUID, changes: dict, *,
                     expected_version: int | None = None, actor: User | None = None) -> Treatment:
    """Change only the fields in ``changes`` (PATCH); 404 for a deleted or unknown treatment."""
    lock_patient(patient.id)
    treatment = get_treatment(patient, treatment_id)
    check_expected_version(treatment, expected_version)
    _check_patient_id(patient, changes)
    changes = {name: value for name, value in changes.items() if name != "patient_id"}
    unknown = set(changes) - set(CONTENT_DEFAULTS)
    if unknown:
        raise Invalid("These fields cannot be changed.",
                      errors={name: ["Unknown field."] for name in sorted(unknown)})
    content = {**_current(treatment), **changes}
    if _differs(treatment, content):
        _store(patient, treatment, content, actor)
    return treatment


def delete_treatment(patient: User, treatment_id: uuid.UUID, *,
                     expected_version: int | None = None, actor: User | None = None) -> Treatment:
    """Delete as a tombstone (kept, so that sync delivers the deletion), audited as
    ``actor``'s. 404 for an unknown or foreign id; 409 when it is already deleted; 412 for a
    stale version."""
    treatment = delete_resource(Treatment, patient.id, treatment_id, expected_version, NOUN, AGAIN)
    record_audit("treatment.deleted", actor or patient, patient, subject=("treatment", treatment.id))
    return treatment


def check_administered_on(patient: User, day: date, *, now: datetime | None = None) -> None:
    """422 for a date after tomorrow in the patient's time zone: treatments record what was
    done, not what is planned."""
    latest = today_in(patient.timezone, now or utcnow()) + timedelta(days=MAX_DAYS_AHEAD)
    if day > latest:
        raise Invalid("A treatment cannot be recorded before it is given.",
                      errors={"administered_on": [f"Must not be after {latest.isoformat()} "
                                                  "(today in the patient's time zone, plus one day)."]})


def _check_patient_id(patient: User, data: dict) -> None:
    """A body may echo ``patient_id`` (as sent by the server); it must be this patient's."""
    if data.get("patient_id", patient.id) != patient.id:
        raise Invalid("The treatment belongs to the patient in the path.",
                      errors={"patient_id": ["Must be the id of the patient named in the path."]})


def holds_content(patient: User, treatment: Treatment, data: dict) -> bool:
    """Whether ``treatment`` (live or deleted) holds exactly the content ``data`` describes."""
    return not _differs(treatment, _content(data, patient))


def _content(data: dict, patient: User) -> dict:
    """The full content of a treatment from ``data``: what is left out takes its default."""
    _check_patient_id(patient, data)
    content = {name: data.get(name, default) for name, default in CONTENT_DEFAULTS.items()}
    if content["administered_on"] is None:
        raise Invalid("A treatment needs its date.",
                      errors={"administered_on": ["Missing data for required field."]})
    return content


def _current(treatment: Treatment) -> dict:
    return {name: getattr(treatment, name) for name in CONTENT_DEFAULTS}


def _differs(treatment: Treatment, content: dict) -> bool:
    return _current(treatment) != content


def _check_date_free(patient: User, day: date, treatment_id: uuid.UUID) -> None:
    """409 when another live treatment of the patient is on ``day`` (reports count a date once)."""
    other = db.session.scalar(
        select(Treatment.id).where(Treatment.patient_id == patient.id,
                                   Treatment.administered_on == day,
                                   Treatment.deleted_at.is_(None),
                                   Treatment.id != treatment_id)
    )
    if other is not None:
        raise Conflict(f"Another treatment ({other}) is recorded on {day.isoformat()}; "
                       "a patient has at most one treatment a day.")


def _insert(patient: User, treatment_id: uuid.UUID, content: dict, actor: User | None) -> UpsertResult:
    treatment = Treatment(id=treatment_id, patient_id=patient.id, version=0)
    _store(patient, treatment, content, actor)
    return UpsertResult(treatment, "created")


def _store(patient: User, treatment: Treatment, content: dict, actor: User | None) -> None:
    """Write ``content`` into ``treatment`` as one new version, stamped for sync."""
    check_administered_on(patient, content["administered_on"])
    _check_date_free(patient, content["administered_on"], treatment.id)
    for name, value in content.items():
        setattr(treatment, name, value)
    treatment.recorded_by_id = (actor or patient).id
    save_version(treatment, patient.id, ID_TAKEN)
