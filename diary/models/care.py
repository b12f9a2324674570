"""Care links: which clinicians a patient lets see their diary, and the invitations to link."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from diary.models.base import Base, UUIDKey, utcnow


class Invitation(UUIDKey, Base):
    """A single-use code a clinician gives a patient; only its hash is stored."""

    __tablename__ = "invitations"
    __table_args__ = (Index(None, "expires_at"),)

    clinician_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    used_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )


class CareLink(UUIDKey, Base):
    """A patient's consent for one clinician to see their data. Withdrawal deletes the row
    (access ends on the next request); the audit log keeps the history."""

    __tablename__ = "care_links"
    __table_args__ = (UniqueConstraint("patient_id", "clinician_id"),)

    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    clinician_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
