"""Care links: invitation codes, linking a patient to a clinician, and withdrawing the link."""
from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from diary.errors import Invalid, NotFound
from diary.extensions import db
from diary.models import CareLink, Invitation, User, utcnow
from diary.services.audit import record_audit

# Crockford's base32: no I, L, O or U, so a code read aloud or copied by hand survives.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_GROUPS, CODE_GROUP_LENGTH = 6, 5  # 30 symbols of 5 bits: 150 bits of randomness
_CODE_READING = str.maketrans({"I": "1", "L": "1", "O": "0"})


@dataclass(frozen=True)
class NewInvitation:
    invitation: Invitation
    code: str  # shown once to the clinician; only its hash is stored


@dataclass(frozen=True)
class LinkedClinician:
    clinician: User
    link: CareLink
    created: bool = False


def new_invitation_code() -> str:
    """An unguessable, human-typable code such as ``7KQ2M-XW9AD-...`` (six groups of five)."""
    symbols = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUPS * CODE_GROUP_LENGTH))
    return "-".join(symbols[i:i + CODE_GROUP_LENGTH]
                    for i in range(0, len(symbols), CODE_GROUP_LENGTH))


def hash_invitation_code(code: str) -> str:
    """SHA-256 of the code's canonical form: case, spaces and dashes do not matter, and the
    look-alikes I, L and O read as 1, 1 and 0."""
    canonical = re.sub(r"[\s-]", "", code).upper().translate(_CODE_READING)
    return hashlib.sha256(canonical.encode("ascii", "replace")).hexdigest()


def create_invitation(clinician: User, now: datetime | None = None) -> NewInvitation:
    """A single-use invitation from ``clinician``, valid ``INVITATION_TTL_DAYS`` days."""
    now = now or utcnow()
    code = new_invitation_code()
    invitation = Invitation(
        clinician_id=clinician.id, code_hash=hash_invitation_code(code), created_at=now,
        expires_at=now + timedelta(days=current_app.config["INVITATION_TTL_DAYS"]),
    )
    db.session.add(invitation)
    db.session.flush()
    record_audit("invitation.created", clinician, subject=("invitation", invitation.id), now=now)
    return NewInvitation(invitation, code)


def get_invitation(clinician: User, invitation_id: uuid.UUID) -> Invitation:
    """One of the clinician's own invitations; 404 for anyone else's."""
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.clinician_id != clinician.id:
        raise NotFound("No such invitation.")
    return invitation


def invitations_of(clinician: User):
    """The statement selecting a clinician's invitations (for pagination)."""
    return select(Invitation).where(Invitation.clinician_id == clinician.id)


def _invalid_code() -> Invalid:
    # One answer for unknown, used and expired codes, so that codes cannot be probed.
    return Invalid("The invitation code is not valid: it may be mistyped, used or expired.",
                   errors={"code": ["Not a valid invitation code."]})


def accept_invitation(patient: User, code: str, now: datetime | None = None) -> LinkedClinician:
    """Link ``patient`` to the clinician who issued ``code`` and spend the code.

    Idempotent: a patient already linked to that clinician keeps the one link (``created``
    False), and a retried request with the code this patient already spent answers the same
    link as long as it stands."""
    now = now or utcnow()
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.code_hash == hash_invitation_code(code)))
    if invitation is None:
        raise _invalid_code()
    if invitation.used_at is not None:
        existing = _link(patient.id, invitation.clinician_id)
        if invitation.used_by_id == patient.id and existing is not None:
            return LinkedClinician(db.session.get(User, invitation.clinician_id), existing)
        raise _invalid_code()
    if invitation.expires_at <= now:
        raise _invalid_code()
    spent = db.session.execute(
        update(Invitation).where(Invitation.id == invitation.id, Invitation.used_at.is_(None))
        .values(used_at=now, used_by_id=patient.id)
    )
    if spent.rowcount != 1:  # someone else spent it a moment ago
        raise _invalid_code()
    clinician = db.session.get(User, invitation.clinician_id)
    if clinician is None or not clinician.is_clinician or not clinician.is_active:
        raise _invalid_code()
    link = _link(patient.id, clinician.id)
    if link is not None:
        return LinkedClinician(clinician, link)
    link = _insert_link(patient, clinician, now)
    record_audit("care_link.created", patient, patient, subject=("care_link", link.id),
                 data={"clinician_id": str(clinician.id), "invitation_id": str(invitation.id)},
                 now=now)
    return LinkedClinician(clinician, link, created=True)


def _insert_link(patient: User, clinician: User, now: datetime) -> CareLink:
    link = CareLink(patient_id=patient.id, clinician_id=clinician.id, created_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(link)
    except IntegrityError:  # a concurrent request linked the same pair: keep theirs
        existing = _link(patient.id, clinician.id)
        if existing is None:
            raise
        return existing
    return link


def _link(patient_id: uuid.UUID, clinician_id: uuid.UUID) -> CareLink | None:
    return db.session.scalar(select(CareLink).where(CareLink.patient_id == patient_id,
                                                    CareLink.clinician_id == clinician_id))


def get_linked_clinician(patient: User, clinician_id: uuid.UUID) -> LinkedClinician:
    """A clinician the patient linked; 404 otherwise (also for callers who are not patients)."""
    link = _link(patient.id, clinician_id)
    if link is None:
        raise NotFound("No such clinician among yours.")
    return LinkedClinician(db.session.get(User, clinician_id), link)


def linked_clinicians(links: list[CareLink]) -> list[LinkedClinician]:
    """The clinicians of a page of links, in the same order, in one query."""
    users = _users_by_id({link.clinician_id for link in links})
    return [LinkedClinician(users[link.clinician_id], link) for link in links]


def linked_patients(links: list[CareLink]) -> list[User]:
    """The patients of a page of links, in the same order, in one query."""
    users = _users_by_id({link.patient_id for link in links})
    return [users[link.patient_id] for link in links]


def _users_by_id(ids: set[uuid.UUID]) -> dict[uuid.UUID, User]:
    if not ids:
        return {}
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}


def links_of_patient(patient: User):
    """The statement selecting a patient's care links (for pagination)."""
    return select(CareLink).where(CareLink.patient_id == patient.id)


def links_of_clinician(clinician: User):
    """The statement selecting a clinician's care links (for pagination)."""
    return select(CareLink).where(CareLink.clinician_id == clinician.id)


def withdraw_care_link(patient: User, clinician_id: uuid.UUID, now: datetime | None = None) -> None:
    """End a clinician's access to the patient's data at once (the link row is deleted; the
    audit log keeps the history). 404 when that clinician is not linked."""
    now = now or utcnow()
    removed = db.session.execute(
        delete(CareLink).where(CareLink.patient_id == patient.id,
                               CareLink.clinician_id == clinician_id)
        .returning(CareLink.id)
    ).scalar_one_or_none()
    if removed is None:
        raise NotFound("No such clinician among yours.")
    record_audit("care_link.withdrawn", patient, patient, subject=("care_link", removed),
                 data={"clinician_id": str(clinician_id)}, now=now)
