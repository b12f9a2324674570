"""Accounts: patients, clinicians and administrators."""
from __future__ import annotations

import enum
from datetime import time

from sqlalchemy import Boolean, CheckConstraint, String, Time
from sqlalchemy.orm import Mapped, mapped_column

from diary.models.base import Base, Timestamps, UUIDKey


class Role(str, enum.Enum):
    PATIENT = "patient"
    CLINICIAN = "clinician"
    ADMIN = "admin"


ROLES = tuple(r.value for r in Role)
DEFAULT_REMINDER_TIME = time(20, 0)


def normalise_email(email: str) -> str:
    """Emails are compared case-insensitively: store and look them up in one form."""
    return email.strip().lower()


class User(UUIDKey, Timestamps, Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('patient', 'clinician', 'admin')", name="role"),
        CheckConstraint("change_seq >= 0", name="change_seq_not_negative"),
    )

    # Stored normalised (see normalise_email), so the unique key is case-insensitive.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    display_name: Mapped[str] = mapped_column(String(100))
    timezone: Mapped[str] = mapped_column(String(64))
    reminder_time: Mapped[time] = mapped_column(Time, default=DEFAULT_REMINDER_TIME)
    reminders_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The patient's sync counter: incremented inside every write transaction that changes one
    # of the patient's synced resources (UPDATE ... RETURNING), so commit order is seq order.
    change_seq: Mapped[int] = mapped_column(default=0)

    @property
    def is_patient(self) -> bool:
        return self.role == Role.PATIENT.value

    @property
    def is_clinician(self) -> bool:
        return self.role == Role.CLINICIAN.value
