"""Diary days: the patient filled in the diary for a local date."""
from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from diary.models.base import Base, Synced, Timestamps, UUIDKey


class DiaryDay(UUIDKey, Timestamps, Synced, Base):
    __tablename__ = "diary_days"
    __table_args__ = (
        UniqueConstraint("patient_id", "date"),
        CheckConstraint("version >= 1", name="version_positive"),
        Index(None, "patient_id", "change_seq"),
    )

    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    date: Mapped[date] = mapped_column(Date)
    headache_free: Mapped[bool] = mapped_column(Boolean)
    notes: Mapped[str] = mapped_column(Text, default="")
