"""Treatments: botulinum toxin injection sessions, each starting a 12-week cycle."""
from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from diary.models.base import Base, Synced, Timestamps, UUIDKey

DEFAULT_PRODUCT = "onabotulinumtoxinA"


class Treatment(UUIDKey, Timestamps, Synced, Base):
    __tablename__ = "treatments"
    __table_args__ = (
        CheckConstraint("total_units IS NULL OR total_units > 0", name="total_units_positive"),
        CheckConstraint("injection_sites IS NULL OR injection_sites > 0", name="injection_sites_positive"),
        CheckConstraint("version >= 1", name="version_positive"),
        Index(None, "patient_id", "administered_on"),
        Index(None, "patient_id", "change_seq"),
    )

    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    administered_on: Mapped[date] = mapped_column(Date)
    product: Mapped[str] = mapped_column(String(100), default=DEFAULT_PRODUCT)
    total_units: Mapped[int | None]
    injection_sites: Mapped[int | None]
    notes: Mapped[str] = mapped_column(Text, default="")
    # Who recorded it (the patient or a linked clinician); kept if that account goes.
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
