"""Diary days: record, list and delete the dates on which a patient filled in the diary.

A patient has at most one live diary day a date; a deleted one stays as a tombstone (for
sync) and no longer holds its date. ``PUT /diary-days/{date}`` addresses the day by date and
brings the latest deleted one back; sync addresses days by id, where a deleted id stays
deleted but a new id may record the date again.
"""
from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Select, select

from diary.errors import Conflict, Invalid, NotFound
from diary.extensions import db
from diary.models import DiaryDay, User
from diary.services.upserts import (UpsertResult, check_expected_version, delete_resource,
                                    lock_patient, resource_to_upsert, save_version)

CONTENT_DEFAULTS = {"date": None, "headache_free": None, "notes": ""}
TAKEN = "This id is already taken; choose another."
NOUN, AGAIN = "diary day", "record the date again under a new id (or with PUT /diary-days/{date})."


def diary_days_between(patient: User, first: date | None, last: date | None) -> Select:
    """The patient's live diary days from ``first`` to ``last`` (inclusive; either None)."""
    stmt = select(DiaryDay).where(DiaryDay.patient_id == patient.id, DiaryDay.deleted_at.is_(None))
    if first is not None:
        stmt = stmt.where(DiaryDay.date >= first)
    if last is not None:
        stmt = stmt.where(DiaryDay.date <= last)
    return stmt


def get_diary_day(patient: User, day: date) -> DiaryDay:
    """The patient's live diary day for ``day``; 404 when none."""
    found = _on_date(patient, day)
    if found is None or found.deleted_at is not None:
        raise NotFound(f"Nothing recorded for {day.isoformat()}.")
    return found


def record_diary_day(patient: User, day: date, data: dict, *, expected_version: int | None = None,
                     actor: User | None = None) -> UpsertResult:
    """Create or replace the diary day of ``day`` (``PUT /diary-days/{date}``). A deleted day
    of that date is brought back under its id ("created"); a body ``id`` must be the day's."""
    content = _content({**data, "date": day})
    lock_patient(patient.id)
    existing = _on_date(patient, day)
    if existing is not None and existing.deleted_at is not None and data.get("id") not in (None, existing.id):
        existing = None  # a new id records the date afresh; the tombstone stays as it is
    if existing is None:
        check_expected_version(None, expected_version)
        return _insert(patient, data.get("id") or uuid.uuid4(), content)
    if data.get("id") not in (None, existing.id):
        raise Conflict(f"{day.isoformat()} is recorded under another id.",
                       errors={"id": [f"Must be {existing.id}, the id of this date's diary day."]})
    check_expected_version(existing, expected_version)
    if existing.deleted_at is not None:
        existing.deleted_at = None
        _store(patient, existing, content)
        return UpsertResult(existing, "created")
    return _replace(patient, existing, content)


def upsert_diary_day(patient: User, resource_id: uuid.UUID, data: dict, *,
                     expected_version: int | None = None, actor: User | None = None) -> UpsertResult:
    """Create or replace the diary day ``resource_id`` (``data`` holds its ``date``). 409 when
    another diary day has that date, or the id is deleted; 404 for another patient's id."""
    content = _content(data)
    existing = resource_to_upsert(DiaryDay, patient.id, resource_id, expected_version, NOUN, AGAIN)
    if existing is None:
        return _insert(patient, resource_id, content)
    return _replace(patient, existing, content)


def delete_diary_day(patient: User, resource_id: uuid.UUID, *, expected_version: int | None = None,
                     actor: User | None = None) -> DiaryDay:
    """Delete as a tombstone (sync delivers it). 404 for an unknown or foreign id; 409 when
    already deleted; 412 for a stale version."""
    return delete_resource(DiaryDay, patient.id, resource_id, expected_version, NOUN, AGAIN)


def _on_date(patient: User, day: date) -> DiaryDay | None:
    """The live diary day of ``day``, else its latest tombstone, else None."""
    return db.session.scalar(
        select(DiaryDay).where(DiaryDay.patient_id == patient.id, DiaryDay.date == day)
        .order_by(DiaryDay.deleted_at.is_not(None), DiaryDay.deleted_at.desc()).limit(1))


def holds_content(patient: User, day: DiaryDay, data: dict) -> bool:
    """Whether ``day`` (live or deleted) holds exactly the content ``data`` describes."""
    return _current(day) == _content(data)


def _content(data: dict) -> dict:
    content = {name: data.get(name, default) for name, default in CONTENT_DEFAULTS.items()}
    missing = [name for name in ("date", "headache_free") if content[name] is None]
    if missing:
        raise Invalid("A diary day needs its date and headache_free.",
                      errors={name: ["Missing data for required field."] for name in missing})
    content["notes"] = content["notes"] or ""
    return content


def _current(day: DiaryDay) -> dict:
    return {name: getattr(day, name) for name in CONTENT_DEFAULTS}


def _check_date_free(patient: User, day: date, resource_id: uuid.UUID) -> None:
    other = _on_date(patient, day)
    if other is not None and other.deleted_at is None and other.id != resource_id:
        raise Conflict(f"{day.isoformat()} already has another diary day ({other.id}).",
                       errors={"date": [f"Already recorded as {other.id}."]})


def _insert(patient: User, resource_id: uuid.UUID, content: dict) -> UpsertResult:
    if db.session.get(DiaryDay, resource_id) is not None:
        raise Conflict(TAKEN, errors={"id": [TAKEN]})
    day = DiaryDay(id=resource_id, patient_id=patient.id, version=0)
    _store(patient, day, content)
    return UpsertResult(day, "created")


def _replace(patient: User, day: DiaryDay, content: dict) -> UpsertResult:
    if _current(day) == content:
        return UpsertResult(day, "unchanged")
    _store(patient, day, content)
    return UpsertResult(day, "replaced")


def _store(patient: User, day: DiaryDay, content: dict) -> None:
    """Write ``content`` as one new version, stamped for sync."""
    _check_date_free(patient, content["date"], day.id)
    for name, value in content.items():
        setattr(day, name, value)
    save_version(day, patient.id, TAKEN)
