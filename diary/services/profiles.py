"""The caller's own profile: name, time zone and (patients) diary reminders."""
from __future__ import annotations

from diary.errors import Invalid
from diary.extensions import db
from diary.models import User

PROFILE_FIELDS = ("display_name", "timezone")
PATIENT_FIELDS = ("reminder_time", "reminders_enabled")


def update_profile(user: User, changes: dict) -> User:
    """Apply ``changes`` (already validated); reminder settings are for patients only."""
    not_allowed = [name for name in PATIENT_FIELDS if name in changes and not user.is_patient]
    if not_allowed:
        raise Invalid("Only patients have diary reminders.",
                      errors={name: ["Only patients have diary reminders."] for name in not_allowed})
    for name in PROFILE_FIELDS + PATIENT_FIELDS:
        if name in changes:
            setattr(user, name, changes[name])
    db.session.flush()
    return user
