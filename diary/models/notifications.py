"""Notifications written by the scheduled jobs, and the alerts currently open per patient."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from diary.models.base import Base, UUIDKey, utcnow

NOTIFICATION_KINDS = ("diary_reminder", "injection_due", "patient_alert")


class Notification(UUIDKey, Base):
    """A message for one user. ``dedup_key`` makes a job that runs twice (or on two machines at
    once) unable to write the same notification twice."""

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("user_id", "dedup_key"),
        CheckConstraint(
            "kind IN ('diary_reminder', 'injection_due', 'patient_alert')", name="kind"
        ),
        Index(None, "user_id", "created_at"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    dedup_key: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]


class OpenAlert(Base):
    """A report alert that is raised for a patient now (kept fresh by ``refresh-alerts``)."""

    __tablename__ = "open_alerts"

    patient_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    detail: Mapped[str] = mapped_column(Text, default="")
    raised_at: Mapped[datetime] = mapped_column(default=utcnow)
    checked_at: Mapped[datetime] = mapped_column(default=utcnow)
