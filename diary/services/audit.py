"""The audit log: who did what to whose data (never secrets: no passwords, tokens or codes)."""
from __future__ import annotations

import uuid
from datetime import datetime

from flask import has_request_context, request
from sqlalchemy.orm import Session

from diary.extensions import db
from diary.models import AuditEvent, User, utcnow


def _id(value: User | uuid.UUID | None) -> uuid.UUID | None:
    return value.id if isinstance(value, User) else value


def _event(action, actor, patient, subject, data, now) -> AuditEvent:
    subject_type, subject_id = subject if subject else (None, None)
    return AuditEvent(
        action=action, actor_id=_id(actor), patient_id=_id(patient),
        subject_type=subject_type, subject_id=str(subject_id) if subject_id is not None else None,
        client_address=(request.remote_addr or None) if has_request_context() else None,
        data=data or {}, occurred_at=now or utcnow(),
    )


def record_audit(action: str, actor: User | uuid.UUID | None, patient: User | uuid.UUID | None = None,
                 *, subject: tuple[str, object] | None = None, data: dict | None = None,
                 now: datetime | None = None) -> AuditEvent:
    """Add an audit event to the current transaction (it stands or falls with the request).

    ``subject`` is ``(type, id)``, e.g. ``("care_link", link.id)``; ``data`` holds extra
    JSON-able facts. The client address is taken from the request when there is one.
    """
    event = _event(action, actor, patient, subject, data, now)
    db.session.add(event)
    db.session.flush()
    return event


def record_audit_of_read(action: str, actor: User | uuid.UUID | None,
                         patient: User | uuid.UUID | None = None, *,
                         subject: tuple[str, object] | None = None, data: dict | None = None) -> None:
    """Record that someone read a patient's data (a ``GET``), in a short transaction of its
    own: the request's read transaction is never turned into a write (on SQLite that would
    hold the write lock while a report is computed)."""
    event = _event(action, actor, patient, subject, data, None)
    with Session(db.engine) as session:
        session.connection(execution_options={"diary_write": True})
        session.add(event)
        session.commit()


def record_audit_of_refusal(action: str, actor: User | uuid.UUID | None,
                            patient: User | uuid.UUID | None = None, **kwargs) -> AuditEvent:
    """Record an event about a request that is about to fail (a failed login, a reused refresh
    token). The request's transaction is rolled back on failure, so this commits what the
    session holds now; call it only when nothing else was written in the request."""
    event = record_audit(action, actor, patient, **kwargs)
    db.session.commit()
    return event
