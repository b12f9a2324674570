"""Notifications: written once per dedup key (jobs), listed and marked read (API)."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Select, Table, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from diary.errors import NotFound
from diary.extensions import db
from diary.models import NOTIFICATION_KINDS, Notification, utcnow

_UPSERT_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def insert_if_absent(table: Table, values: dict, conflict_columns: list[str]) -> bool:
    """INSERT one row unless a row with the same ``conflict_columns`` (a unique key) exists.

    True when this call created the row. Concurrent callers are safe: the database's unique
    key decides, so exactly one of them gets True (the other waits for the first to commit,
    then does nothing).
    """
    session = db.session()
    make_insert = _UPSERT_INSERTS.get(session.get_bind().dialect.name)
    if make_insert is not None:
        stmt = (make_insert(table).values(**values)
                .on_conflict_do_nothing(index_elements=conflict_columns))
        return session.execute(stmt.returning(*[table.c[c] for c in conflict_columns])).first() is not None
    try:  # any other database: a savepoint, and the unique key's error means "already there"
        with session.begin_nested():
            session.execute(table.insert().values(**values))
        return True
    except IntegrityError:
        return False


def notify(user_id: uuid.UUID, kind: str, dedup_key: str, title: str, body: str = "",
           data: dict | None = None, now: datetime | None = None) -> bool:
    """Write a notification for ``user_id`` unless one with ``dedup_key`` exists already.

    True when it was created now. A job run twice, late, or by two processes at once writes
    each notification once.
    """
    if kind not in NOTIFICATION_KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    values = {"id": uuid.uuid4(), "user_id": user_id, "kind": kind, "dedup_key": dedup_key,
              "title": title, "body": body, "data": data or {}, "created_at": now or utcnow()}
    return insert_if_absent(Notification.__table__, values, ["user_id", "dedup_key"])


def notifications_query(user_id: uuid.UUID, *, unread: bool = False) -> Select:
    """The user's notifications (to be ordered and paginated by the caller)."""
    stmt = select(Notification).where(Notification.user_id == user_id)
    if unread:
        stmt = stmt.where(Notification.read_at.is_(None))
    return stmt


def mark_notification_read(user_id: uuid.UUID, notification_id: uuid.UUID,
                           now: datetime | None = None) -> Notification:
    """Set ``read_at`` once (reading again keeps the first time); 404 for anyone else's."""
    db.session.execute(
        update(Notification)
        .where(Notification.id == notification_id, Notification.user_id == user_id,
               Notification.read_at.is_(None))
        .values(read_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )
    notification = db.session.scalar(
        select(Notification)
        .where(Notification.id == notification_id, Notification.user_id == user_id)
        .execution_options(populate_existing=True)
    )
    if notification is None:
        raise NotFound("No such notification.")
    return notification
