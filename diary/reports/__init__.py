"""Pure reports engine: plain records in, an unrounded report out (no Flask, no database)."""

from .alerts import ALERT_CODES, Alert
from .cycles import ChangeFromBaseline, Cycle
from .engine import Month, Report, Summary, build_report, summarise
from .periods import PeriodMetrics
from .records import (
    DiaryDayRecord,
    EpisodeRecord,
    MedicationRecord,
    PatientRecord,
    ReportInput,
    TreatmentRecord,
)

__all__ = [
    "ALERT_CODES",
    "Alert",
    "ChangeFromBaseline",
    "Cycle",
    "DiaryDayRecord",
    "EpisodeRecord",
    "MedicationRecord",
    "Month",
    "PatientRecord",
    "PeriodMetrics",
    "Report",
    "ReportInput",
    "Summary",
    "TreatmentRecord",
    "build_report",
    "summarise",
]
