"""The one-line summary of each patient on a clinician's list: treatments, due date, alerts."""
from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import func, select

from diary.extensions import db
from diary.models import OpenAlert, Treatment, User

# The 12-week cycle: the next injection is due 84 days after the last one.
TREATMENT_INTERVAL = timedelta(days=84)


def patient_summaries(patients: list[User], now: datetime) -> dict[uuid.UUID, dict]:
    """``{patient_id: {headache_days_per_28d, last_treatment_on, next_due_on, alerts}}`` for a
    whole page of patients, in a constant number of queries (never one per patient).

    ``headache_days_per_28d`` (the latest 28 days as of ``now``) is None until the reports
    engine fills it in here; ``alerts`` are the codes open now (kept by ``refresh-alerts``).
    """
    ids = [p.id for p in patients]
    if not ids:
        return {}
    last_treatment = dict(db.session.execute(
        select(Treatment.patient_id, func.max(Treatment.administered_on))
        .where(Treatment.patient_id.in_(ids), Treatment.deleted_at.is_(None))
        .group_by(Treatment.patient_id)
    ).all())
    alerts: dict[uuid.UUID, list[str]] = defaultdict(list)
    for patient_id, code in db.session.execute(
        select(OpenAlert.patient_id, OpenAlert.code)
        .where(OpenAlert.patient_id.in_(ids)).order_by(OpenAlert.patient_id, OpenAlert.code)
    ):
        alerts[patient_id].append(code)
    summaries = {}
    for patient_id in ids:
        last = last_treatment.get(patient_id)
        summaries[patient_id] = {
            "headache_days_per_28d": None,
            "last_treatment_on": last,
            "next_due_on": last + TREATMENT_INTERVAL if last else None,
            "alerts": alerts.get(patient_id, []),
        }
    return summaries
