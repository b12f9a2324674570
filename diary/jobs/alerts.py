"""``refresh-alerts``: keep each patient's open report alerts current, and tell the linked
clinicians about each newly raised one."""
from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime

from sqlalchemy import delete, select, update

from diary.extensions import db
from diary.jobs import as_utc, batches, isolated
from diary.models import CareLink, OpenAlert, Role, User
from diary.reports.engine import build_report
from diary.reports.queries import load_report_inputs
from diary.services.notifications import insert_if_absent, notify

JOB = "refresh-alerts"
# Reports are computed from all of a patient's data: a smaller batch bounds memory.
PATIENTS_PER_BATCH = 200
ALERT_LABELS = {
    "nice_stop_insufficient_response": "less than 30% fewer headache days after two cycles "
                                       "(NICE: consider stopping)",
    "nice_stop_episodic": "may have become episodic (NICE: review, consider a pause)",
    "medication_overuse_risk": "risk of medication-overuse headache",
    "wearing_off": "the treatment may wear off before the next injection",
    "treatment_due": "the next injection is overdue",
    "insufficient_diary": "the diary is too incomplete to judge",
    "episode_not_ended": "a headache episode has not been ended",
}


def run_refresh_alerts(now: datetime) -> int:
    """Compute every active patient's report alerts as of their local today; store the set
    in ``open_alerts`` (insert new, delete resolved, refresh detail and ``checked_at``);
    notify linked clinicians of each alert newly raised. Returns notifications written."""
    now = as_utc(now)
    session = db.session()
    ids = session.scalars(
        select(User.id).where(User.role == Role.PATIENT.value, User.is_active.is_(True))
        .order_by(User.id)
    ).all()
    written = 0
    for batch in batches(ids, PATIENTS_PER_BATCH):
        patients = session.scalars(select(User).where(User.id.in_(batch)).order_by(User.id)).all()
        inputs = load_report_inputs(session, patients, now=now)
        stored = _open_alerts(batch)
        clinicians = _linked_clinicians(batch)
        checked = []
        for patient in patients:
            current = isolated(JOB, patient.id, lambda p=patient: {
                a.code: a.detail for a in build_report(inputs[p.id]).alerts
            }, default=None, writes=False)
            if current is None:
                continue
            if current == stored.get(patient.id, {}):  # the usual case: nothing to write
                checked.append(patient.id)
                continue
            count = isolated(JOB, patient.id, lambda p=patient, c=current: _store(
                p, c, stored.get(p.id, {}), clinicians.get(p.id, []), now), default=None)
            if count is not None:
                written += count
                checked.append(patient.id)
        if checked:
            session.execute(update(OpenAlert).where(OpenAlert.patient_id.in_(checked))
                            .values(checked_at=now).execution_options(synchronize_session=False))
    return written


def _open_alerts(patient_ids) -> dict[uuid.UUID, dict[str, str]]:
    stored: dict[uuid.UUID, dict[str, str]] = defaultdict(dict)
    for patient_id, code, detail in db.session.execute(
        select(OpenAlert.patient_id, OpenAlert.code, OpenAlert.detail)
        .where(OpenAlert.patient_id.in_(patient_ids))
    ):
        stored[patient_id][code] = detail
    return stored


def _linked_clinicians(patient_ids) -> dict[uuid.UUID, list[uuid.UUID]]:
    """Active clinicians each patient is linked to now (a withdrawn link is deleted)."""
    linked: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for patient_id, clinician_id in db.session.execute(
        select(CareLink.patient_id, CareLink.clinician_id)
        .join(User, User.id == CareLink.clinician_id)
        .where(CareLink.patient_id.in_(patient_ids), User.role == Role.CLINICIAN.value,
               User.is_active.is_(True))
        .order_by(CareLink.patient_id, CareLink.clinician_id)
    ):
        linked[patient_id].append(clinician_id)
    return linked


def _store(patient: User, current: dict[str, str], stored: dict[str, str],
           clinician_ids: list[uuid.UUID], now: datetime) -> int:
    """Bring one patient's open alerts to ``current``; notify clinicians of new ones."""
    session = db.session()
    resolved = sorted(set(stored) - set(current))
    if resolved:
        session.execute(delete(OpenAlert).where(OpenAlert.patient_id == patient.id,
                                                OpenAlert.code.in_(resolved)))
    written = 0
    for code, detail in sorted(current.items()):
        if code in stored:
            if stored[code] != detail:
                session.execute(update(OpenAlert).where(OpenAlert.patient_id == patient.id,
                                                        OpenAlert.code == code)
                                .values(detail=detail))
            continue
        values = {"patient_id": patient.id, "code": code, "detail": detail,
                  "raised_at": now, "checked_at": now}
        # Only the run that opens the alert notifies: a rerun, or a second scheduler racing
        # this one, finds the row there. The raise time in the key lets an alert resolved and
        # raised again notify again.
        if insert_if_absent(OpenAlert.__table__, values, ["patient_id", "code"]):
            for clinician_id in clinician_ids:
                written += notify(
                    clinician_id, "patient_alert",
                    f"patient_alert:{patient.id}:{code}:{now.isoformat()}",
                    title=f"New alert: {ALERT_LABELS.get(code, code.replace('_', ' '))}",
                    body=f"{patient.display_name}: {detail}",
                    data={"patient_id": str(patient.id), "code": code}, now=now,
                )
    return written
