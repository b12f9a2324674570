"""The per-patient change sequence behind ``GET /sync``.

Every write to a patient's synced resource (episode, diary day, treatment) takes the next
number of the patient's counter inside the write transaction. The ``UPDATE ... RETURNING``
locks the patient's row until commit, so a patient's writes are serialised and commit in
sequence order: a reader that has seen number N can never later find a smaller one appear
(which a timestamp or a global sequence would allow).
"""
from __future__ import annotations

import uuid

from sqlalchemy import update

from diary.extensions import db
from diary.models import User
from diary.models.base import Synced


def next_change_seq(patient_id: uuid.UUID) -> int:
    """Increment and return the patient's change counter (within the current transaction)."""
    return db.session.execute(
        update(User).where(User.id == patient_id)
        .values(change_seq=User.change_seq + 1)
        .returning(User.change_seq)
    ).scalar_one()


def stamp_change(resource: Synced, patient_id: uuid.UUID) -> None:
    """Mark ``resource`` as changed now in the patient's sync sequence."""
    resource.change_seq = next_change_seq(patient_id)
