"""Headache episodes and the acute medicines taken for them."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, Float, ForeignKey, Index, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from diary.models.base import Base, Synced, Timestamps, UUIDKey

FEATURES = (
    "aura", "unilateral", "pulsating", "worse_with_activity",
    "nausea", "vomiting", "photophobia", "phonophobia",
)
MEDICATION_CLASSES = (
    "triptan", "ergot", "opioid", "simple_analgesic", "nsaid", "combination_analgesic", "other",
)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Episode(UUIDKey, Timestamps, Synced, Base):
    """One headache, from ``started_at`` to ``ended_at`` (null while it goes on).

    Instants are stored in UTC; ``timezone`` is where the patient was, and decides which
    local days the headache falls on.
    """

    __tablename__ = "episodes"
    __table_args__ = (
        CheckConstraint("ended_at IS NULL OR ended_at >= started_at", name="ends_after_start"),
        CheckConstraint("peak_severity BETWEEN 1 AND 3", name="peak_severity"),
        CheckConstraint("version >= 1", name="version_positive"),
        Index(None, "patient_id", "started_at"),
        Index(None, "patient_id", "change_seq"),
    )

    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    timezone: Mapped[str] = mapped_column(String(64))
    peak_severity: Mapped[int] = mapped_column(SmallInteger)
    aura: Mapped[bool] = mapped_column(Boolean, default=False)
    unilateral: Mapped[bool] = mapped_column(Boolean, default=False)
    pulsating: Mapped[bool] = mapped_column(Boolean, default=False)
    worse_with_activity: Mapped[bool] = mapped_column(Boolean, default=False)
    nausea: Mapped[bool] = mapped_column(Boolean, default=False)
    vomiting: Mapped[bool] = mapped_column(Boolean, default=False)
    photophobia: Mapped[bool] = mapped_column(Boolean, default=False)
    phonophobia: Mapped[bool] = mapped_column(Boolean, default=False)
    triggers: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")

    medications: Mapped[list[MedicationIntake]] = relationship(
        back_populates="episode",
        cascade="all, delete-orphan",
        order_by="MedicationIntake.position",
        lazy="selectin",
    )

    @property
    def features(self) -> dict[str, bool]:
        return {name: bool(getattr(self, name)) for name in FEATURES}


class MedicationIntake(UUIDKey, Base):
    """An acute medicine taken during (or for) an episode."""

    __tablename__ = "medication_intakes"
    __table_args__ = (
        CheckConstraint(_in("drug_class", MEDICATION_CLASSES), name="drug_class"),
        CheckConstraint("dose_mg IS NULL OR dose_mg >= 0", name="dose_not_negative"),
        Index(None, "episode_id", "position"),
    )

    episode_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("episodes.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(SmallInteger, default=0)
    name: Mapped[str] = mapped_column(String(100))
    # "class" in the API; a Python keyword, hence the column name.
    drug_class: Mapped[str] = mapped_column(String(32))
    dose_mg: Mapped[float | None] = mapped_column(Float)
    taken_at: Mapped[datetime]

    episode: Mapped[Episode] = relationship(back_populates="medications")
