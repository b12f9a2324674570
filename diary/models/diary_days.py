"""Diary days: the patient filled in the diary for a local date."""
from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from diary.models.base import Base, Synced, Timestamps, UUIDKey


LIVE = text("deleted_at IS NULL")


class DiaryDay(UUIDKey, Timestamps, Synced, Base):
    """One live diary day per patient and date; deleted ones stay as tombstones for sync, so
    a date may also hold tombstones (and be recorded again under a new id)."""

    __tablename__ = "diary_days"
    __table_args__ = (
        Index("uq_diary_days_patient_id_date_live", "patient_id", "date", unique=True,
              sqlite_where=LIVE, postgresql_where=LIVE),
        Index(None, "patient_id", "date"),
        CheckConstraint("version >= 1", name="version_positive"),
        Index(None, "patient_id", "change_seq"),
    )

    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    date: Mapped[date] = mapped_column(Date)
    headache_free: Mapped[bool] = mapped_column(Boolean)
    notes: Mapped[str] = mapped_column(Text, default="")
