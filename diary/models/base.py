"""Declarative base: naming convention, UTC datetime column type, UUID keys, timestamps."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from sqlalchemy import DateTime, MetaData, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, registry
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """An instant: refuses naive values, stores UTC, always returns an aware UTC datetime.

    SQLite keeps no offset (it would silently drop it), so the value is stored as naive UTC
    there; PostgreSQL stores ``timestamptz``.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    @property
    def python_type(self) -> type:
        # TypeDecorator does not pass this on from ``impl``; keyset cursors need it.
        return datetime

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"UTCDateTime needs a datetime, got {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("naive datetime refused: an instant needs a UTC offset")
        value = value.astimezone(timezone.utc)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)

    def result_processor(self, dialect, coltype):
        """One flat function per value (reports read thousands of instants at a time); it
        does what ``process_result_value`` does, without TypeDecorator's extra call layers."""
        parse = self.impl_instance.result_processor(dialect, coltype)
        utc = timezone.utc

        def process(value):
            if value is None:
                return None
            if parse is not None:
                value = parse(value)
            if value.tzinfo is None:
                return value.replace(tzinfo=utc)
            return value if value.tzinfo is utc else value.astimezone(utc)

        return process


class Base(DeclarativeBase):
    # One registry carries the naming convention and the column types of annotations
    # (Flask-SQLAlchemy subclasses this base, so they cannot be class attributes).
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime(), uuid.UUID: Uuid()},
    )


class UUIDKey:
    """A UUID primary key; clients may choose it so that retried creates are idempotent."""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Synced:
    """A patient's resource delivered by ``GET /sync``: versioned, stamped with the patient's
    change sequence at its last change, and deleted as a tombstone."""

    version: Mapped[int] = mapped_column(default=1)
    change_seq: Mapped[int] = mapped_column(default=0)
    deleted_at: Mapped[datetime | None]
