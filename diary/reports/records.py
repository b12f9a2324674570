"""Plain input records of the reports engine: what the database layer hands over."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

FEATURES = frozenset(
    {
        "aura",
        "unilateral",
        "pulsating",
        "worse_with_activity",
        "nausea",
        "vomiting",
        "photophobia",
        "phonophobia",
    }
)
MEDICATION_CLASSES = frozenset(
    {
        "triptan",
        "ergot",
        "opioid",
        "simple_analgesic",
        "nsaid",
        "combination_analgesic",
        "other",
    }
)
RULES = ("preempt", "ihs")
DEFAULT_PRODUCT = "onabotulinumtoxinA"


# The per-row records are NamedTuples: as immutable as frozen dataclasses, and about three
# times cheaper to build, which matters when a ten-year diary yields thousands of them.


class MedicationRecord(NamedTuple):
    """One acute medicine taken during an episode; its day is local to the episode's zone."""

    taken_at: datetime
    drug_class: str
    name: str = ""
    dose_mg: float | None = None


class EpisodeRecord(NamedTuple):
    """One headache: aware instants, the IANA zone the patient was in, what it was like."""

    id: str
    started_at: datetime
    ended_at: datetime | None
    timezone: str
    peak_severity: int
    features: frozenset[str] = frozenset()
    medications: tuple[MedicationRecord, ...] = ()


class DiaryDayRecord(NamedTuple):
    """A local date on which the patient filled in the diary."""

    date: date
    headache_free: bool


class TreatmentRecord(NamedTuple):
    """One injection session."""

    id: str
    administered_on: date
    product: str = DEFAULT_PRODUCT


@dataclass(frozen=True)
class PatientRecord:
    """Who the report is about."""

    id: str
    display_name: str
    timezone: str


@dataclass(frozen=True)
class ReportInput:
    """Everything one report is computed from; `now` is when the report is made."""

    patient: PatientRecord
    episodes: tuple[EpisodeRecord, ...]
    diary_days: tuple[DiaryDayRecord, ...]
    treatments: tuple[TreatmentRecord, ...]
    start: date | None
    end: date
    rule: str = "preempt"
    now: datetime | None = None
