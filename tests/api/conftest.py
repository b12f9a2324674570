"""The cast of every access test: the owner, another patient, clinicians linked, unlinked and
withdrawn, and an anonymous caller."""
from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest

from diary.extensions import db
from diary.models import User

ACTORS = ("owner", "other_patient", "unlinked_clinician", "linked_clinician",
          "withdrawn_clinician", "anonymous")
# Who may see the owner's data.
ALLOWED = {"owner", "linked_clinician"}


@dataclass
class Actor:
    name: str
    user: object | None
    headers: dict = field(default_factory=dict)


def link(app, patient, clinician) -> None:
    """Link as in real life: the clinician's invitation code, accepted by the patient."""
    from diary.services.care import accept_invitation, create_invitation
    from diary.transactions import transaction

    with app.app_context(), transaction():
        code = create_invitation(db.session.get(User, clinician.id)).code
        accept_invitation(db.session.get(User, patient.id), code)


def unlink(app, patient, clinician) -> None:
    """The patient withdraws the clinician's access."""
    from diary.services.care import withdraw_care_link
    from diary.transactions import transaction

    with app.app_context(), transaction():
        withdraw_care_link(db.session.get(User, patient.id), clinician.id)


@pytest.fixture
def cast(app, make_user, auth_headers):
    """Six callers around one patient (``cast.owner``); ``cast.actor(name)`` by name."""
    owner = make_user("patient", display_name="Owner")
    other = make_user("patient", display_name="Other patient")
    unlinked = make_user("clinician", display_name="Unlinked clinician")
    linked = make_user("clinician", display_name="Linked clinician")
    withdrawn = make_user("clinician", display_name="Withdrawn clinician")
    link(app, owner, linked)
    link(app, owner, withdrawn)
    unlink(app, owner, withdrawn)
    actors = {
        "owner": Actor("owner", owner, auth_headers(owner)),
        "other_patient": Actor("other_patient", other, auth_headers(other)),
        "unlinked_clinician": Actor("unlinked_clinician", unlinked, auth_headers(unlinked)),
        "linked_clinician": Actor("linked_clinician", linked, auth_headers(linked)),
        "withdrawn_clinician": Actor("withdrawn_clinician", withdrawn, auth_headers(withdrawn)),
        "anonymous": Actor("anonymous", None, {}),
    }
    return SimpleNamespace(**actors, actor=actors.__getitem__, all=actors)
