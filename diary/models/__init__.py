"""The data model: one module per aggregate, all registered on ``Base.metadata``."""
from diary.models.accounts import DEFAULT_REMINDER_TIME, ROLES, Role, User, normalise_email
from diary.models.audit import AuditEvent
from diary.models.base import Base, UTCDateTime, utcnow
from diary.models.care import CareLink, Invitation
from diary.models.diary_days import DiaryDay
from diary.models.episodes import FEATURES, MEDICATION_CLASSES, Episode, MedicationIntake
from diary.models.notifications import NOTIFICATION_KINDS, Notification, OpenAlert
from diary.models.tokens import AccessToken, RefreshToken, TokenFamily
from diary.models.treatments import DEFAULT_PRODUCT, Treatment

__all__ = [
    "AccessToken", "AuditEvent", "Base", "CareLink", "DEFAULT_PRODUCT", "DEFAULT_REMINDER_TIME",
    "DiaryDay", "Episode", "FEATURES", "Invitation", "MEDICATION_CLASSES", "MedicationIntake",
    "NOTIFICATION_KINDS", "Notification", "OpenAlert", "ROLES", "RefreshToken", "Role",
    "TokenFamily", "Treatment", "UTCDateTime", "User", "normalise_email", "utcnow",
]
