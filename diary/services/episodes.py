"""Headache episodes: record, replace, amend, list and delete a patient's episodes.

Every write first takes the patient's write lock (``lock_patient``), so the version check,
the "same content?" comparison and the write hold together until commit.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import Select, or_, select

from diary.errors import Conflict, Invalid
from diary.extensions import db
from diary.models import FEATURES, Episode, MedicationIntake, User, utcnow
from diary.services.timezones import day_bounds
from diary.services.upserts import (UpsertResult, check_expected_version, check_live,
                                    delete_resource, get_live, lock_patient, resource_to_upsert,
                                    save_version)

MAX_DURATION = timedelta(days=14)
MAX_START_AHEAD = timedelta(minutes=10)
MEDICATION_FIELDS = ("name", "drug_class", "dose_mg", "taken_at")
TAKEN = "This id is already taken; choose another."
NOUN, AGAIN = "episode", "choose a new id to record it again."


def episodes_overlapping(patient: User, first: date | None, last: date | None) -> Select:
    """The patient's live episodes overlapping the local days ``first``..``last`` (inclusive,
    in the patient's profile time zone; either may be None). An ongoing episode overlaps
    every day from its start on."""
    stmt = select(Episode).where(Episode.patient_id == patient.id, Episode.deleted_at.is_(None))
    if last is not None:
        stmt = stmt.where(Episode.started_at < day_bounds(last, patient.timezone)[1])
    if first is not None:
        start = day_bounds(first, patient.timezone)[0]
        stmt = stmt.where(or_(Episode.ended_at.is_(None), Episode.ended_at > start,
                              Episode.started_at >= start))
    return stmt


def get_episode(patient: User, episode_id: uuid.UUID) -> Episode:
    """The patient's live episode; 404 when it is deleted, unknown or someone else's."""
    return get_live(Episode, patient.id, episode_id, NOUN)


def create_episode(patient: User, episode_id: uuid.UUID, data: dict, *,
                   actor: User | None = None) -> UpsertResult:
    """Record a new episode. A retry with the same id and content is ``unchanged``; the same
    id with other content (or a deleted or foreign one) is a conflict."""
    content = _content(patient, data)
    lock_patient(patient.id)
    existing = db.session.get(Episode, episode_id)
    if existing is None:
        return _insert(patient, episode_id, content)
    if existing.patient_id != patient.id:
        raise Conflict(TAKEN)
    check_live(existing, NOUN, AGAIN)
    if _current(existing) != content:
        raise Conflict("An episode with this id exists with other content; PUT replaces it.")
    return UpsertResult(existing, "unchanged")


def upsert_episode(patient: User, resource_id: uuid.UUID, data: dict, *,
                   expected_version: int | None = None, actor: User | None = None) -> UpsertResult:
    """Create the episode ``resource_id`` or replace all its content (what is left out takes
    its default). Identical content changes nothing. 404 for another patient's id, 409 for
    a deleted one, 412 for a stale ``expected_version``."""
    content = _content(patient, data)
    existing = resource_to_upsert(Episode, patient.id, resource_id, expected_version, NOUN, AGAIN)
    if existing is None:
        return _insert(patient, resource_id, content)
    if _current(existing) == content:
        return UpsertResult(existing, "unchanged")
    _store(patient, existing, content)
    return UpsertResult(existing, "replaced")


def update_episode(patient: User, episode_id: uuid.UUID, changes: dict, *,
                   expected_version: int | None = None, actor: User | None = None) -> UpsertResult:
    """Change only the fields in ``changes`` (``features`` merge by name), then check the
    whole episode as if it had been sent in full."""
    lock_patient(patient.id)
    episode = get_episode(patient, episode_id)
    check_expected_version(episode, expected_version)
    content = _current(episode)
    features = {**content["features"], **changes.get("features", {})}
    content.update(changes, features=features)
    content = _content(patient, content)
    if _current(episode) == content:
        return UpsertResult(episode, "unchanged")
    _store(patient, episode, content)
    return UpsertResult(episode, "replaced")


def delete_episode(patient: User, resource_id: uuid.UUID, *, expected_version: int | None = None,
                   actor: User | None = None) -> Episode:
    """Delete as a tombstone (kept, so that sync delivers the deletion). 404 for an unknown
    or foreign id; 409 when it is already deleted; 412 for a stale version."""
    return delete_resource(Episode, patient.id, resource_id, expected_version, NOUN, AGAIN)


def check_episode(content: dict, now: datetime | None = None) -> None:
    """The rules a whole episode obeys: it ends after it starts, lasts at most 14 days and
    does not start more than 10 minutes after ``now`` (the server's clock)."""
    errors: dict[str, list[str]] = {}
    started, ended = content["started_at"], content["ended_at"]
    if started > (now or utcnow()) + MAX_START_AHEAD:
        errors["started_at"] = ["Must not be more than 10 minutes in the future."]
    if ended is not None and ended < started:
        errors["ended_at"] = ["Must not be before started_at."]
    elif ended is not None and ended - started > MAX_DURATION:
        errors["ended_at"] = ["An episode lasts at most 14 days."]
    if errors:
        raise Invalid("The episode breaks a rule: " + ", ".join(errors) + ".", errors=errors)


def holds_content(patient: User, episode: Episode, data: dict) -> bool:
    """Whether ``episode`` (live or deleted) holds exactly the content ``data`` describes."""
    return _current(episode) == _content(patient, data)


def _content(patient: User, data: dict) -> dict:
    """The full content of an episode from ``data``, defaults filled in, rules checked."""
    missing = [name for name in ("started_at", "peak_severity") if data.get(name) is None]
    if missing:
        raise Invalid("An episode needs its start and peak severity.",
                      errors={name: ["Missing data for required field."] for name in missing})
    content = {
        "started_at": _utc(data["started_at"]),
        "ended_at": _utc(data.get("ended_at")),
        "timezone": data.get("timezone") or patient.timezone,
        "peak_severity": data["peak_severity"],
        "features": {name: bool((data.get("features") or {}).get(name, False)) for name in FEATURES},
        "medications": [{**{name: m.get(name) for name in MEDICATION_FIELDS},
                         "taken_at": _utc(m.get("taken_at"))}
                        for m in data.get("medications") or []],
        "triggers": list(data.get("triggers") or []),
        "notes": data.get("notes") or "",
    }
    check_episode(content)
    return content


def _utc(instant: datetime | None) -> datetime | None:
    # Answer with the instants as they are stored (UTC), also before they are read back.
    return instant.astimezone(timezone.utc) if instant is not None else None


def _current(episode: Episode) -> dict:
    """The stored content, in the form ``_content`` returns."""
    return {
        "started_at": episode.started_at,
        "ended_at": episode.ended_at,
        "timezone": episode.timezone,
        "peak_severity": episode.peak_severity,
        "features": episode.features,
        "medications": [{name: getattr(m, name) for name in MEDICATION_FIELDS}
                        for m in episode.medications],
        "triggers": list(episode.triggers or []),
        "notes": episode.notes or "",
    }


def _insert(patient: User, episode_id: uuid.UUID, content: dict) -> UpsertResult:
    episode = Episode(id=episode_id, patient_id=patient.id, version=0)
    _store(patient, episode, content)
    return UpsertResult(episode, "created")


def _store(patient: User, episode: Episode, content: dict) -> None:
    """Write ``content`` into ``episode`` as one new version, stamped for sync."""
    for name in ("started_at", "ended_at", "timezone", "peak_severity", "triggers", "notes"):
        setattr(episode, name, content[name])
    for name, value in content["features"].items():
        setattr(episode, name, value)
    episode.medications = [MedicationIntake(position=i, **m)
                           for i, m in enumerate(content["medications"])]
    save_version(episode, patient.id, TAKEN)
