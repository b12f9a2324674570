"""The treatment services that sync shares with the API: upsert outcomes, versions, the
change sequence, tombstones and the date rule."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timezone

import pytest

from diary.errors import Conflict, Invalid, NotFound, PreconditionFailed
from diary.extensions import db
from diary.models import User
from diary.services import treatments as service
from diary.transactions import transaction

DAY = date(2026, 1, 5)


@pytest.fixture
def people(app, make_user):
    """A patient, another patient and a clinician, loaded in an app context held open."""
    made = {role: make_user(kind) for role, kind in
            (("patient", "patient"), ("other", "patient"), ("clinician", "clinician"))}
    with app.app_context():
        yield {role: db.session.get(User, user.id) for role, user in made.items()}
        db.session.rollback()


@pytest.fixture
def patient(people):
    return people["patient"]


def upsert(patient, treatment_id, data, **kwargs):
    with transaction():
        return service.upsert_treatment(patient, treatment_id, data, **kwargs)


def counter(patient) -> int:
    db.session.refresh(patient)
    return patient.change_seq


def test_upsert_creates_then_identical_content_changes_nothing(patient):
    treatment_id = uuid.uuid4()
    created = upsert(patient, treatment_id, {"administered_on": DAY, "total_units": 155})
    seq = counter(patient)
    again = upsert(patient, treatment_id, {"administered_on": DAY, "total_units": 155})
    assert (created.status, again.status) == ("created", "unchanged")
    assert again.resource.version == 1 and again.resource.change_seq == seq == counter(patient)


def test_a_replacement_bumps_the_version_and_takes_the_next_change_number(patient):
    treatment_id = uuid.uuid4()
    upsert(patient, treatment_id, {"administered_on": DAY})
    seq = counter(patient)
    result = upsert(patient, treatment_id, {"administered_on": DAY, "notes": "bruising"})
    assert result.status == "replaced" and result.resource.version == 2
    assert result.resource.change_seq == seq + 1 == counter(patient)


def test_the_actor_is_recorded(patient, people):
    clinician = people["clinician"]
    result = upsert(patient, uuid.uuid4(), {"administered_on": DAY}, actor=clinician)
    assert result.resource.recorded_by_id == clinician.id


def test_a_stale_expected_version_is_refused(patient):
    treatment_id = uuid.uuid4()
    upsert(patient, treatment_id, {"administered_on": DAY})
    with pytest.raises(PreconditionFailed):
        upsert(patient, treatment_id, {"administered_on": DAY, "notes": "x"}, expected_version=5)
    with pytest.raises(PreconditionFailed):
        upsert(patient, uuid.uuid4(), {"administered_on": DAY}, expected_version=1)


def test_another_patients_id_is_never_overwritten(patient, people):
    treatment_id = uuid.uuid4()
    upsert(people["other"], treatment_id, {"administered_on": DAY})
    with pytest.raises(NotFound):
        upsert(patient, treatment_id, {"administered_on": DAY, "notes": "mine"})
    with pytest.raises(Conflict):
        with transaction():
            service.create_treatment(patient, {"id": treatment_id, "administered_on": DAY})
    assert service.get_treatment(people["other"], treatment_id).notes == ""


def test_deletion_is_a_tombstone_that_stands(patient):
    treatment_id = uuid.uuid4()
    upsert(patient, treatment_id, {"administered_on": DAY})
    with transaction():
        tombstone = service.delete_treatment(patient, treatment_id)
    seq = counter(patient)
    assert tombstone.deleted_at is not None and tombstone.version == 2 and tombstone.change_seq == seq
    with pytest.raises(Conflict):
        service.delete_treatment(patient, treatment_id)
    assert counter(patient) == seq
    with pytest.raises(Conflict):
        upsert(patient, treatment_id, {"administered_on": DAY})
    with pytest.raises(NotFound):
        service.get_treatment(patient, treatment_id)


def test_deleting_an_unknown_id_is_not_found(patient):
    with pytest.raises(NotFound):
        service.delete_treatment(patient, uuid.uuid4())


def test_content_without_a_date_is_invalid(patient):
    with pytest.raises(Invalid) as caught:
        upsert(patient, uuid.uuid4(), {"total_units": 155})
    assert "administered_on" in caught.value.errors


@pytest.mark.parametrize("zone, latest", [("Pacific/Auckland", date(2026, 3, 3)),
                                          ("America/Los_Angeles", date(2026, 3, 2))])
def test_the_latest_date_is_tomorrow_in_the_patients_zone(zone, latest):
    now = datetime(2026, 3, 1, 23, 30, tzinfo=timezone.utc)
    patient = User(timezone=zone)
    service.check_administered_on(patient, latest, now=now)
    with pytest.raises(Invalid):
        service.check_administered_on(patient, date.fromordinal(latest.toordinal() + 1), now=now)
