"""Care links: clinicians' invitations, a patient's clinicians (``/me/clinicians``), and a
clinician's patients (``/patients``)."""
from __future__ import annotations

import uuid

from flask.views import MethodView

from diary.api import API_PREFIX
from diary.api.base import Blueprint
from diary.api.pagination import PageArgs, page_schema, paginate
from diary.api.schemas.care import (InvitationCodeSchema, InvitationSchema, LinkedClinicianSchema,
                                    NewInvitationSchema, PatientSchema)
from diary.api.security import auth_required, current_user, get_visible_patient_or_404
from diary.models import CareLink, Invitation, User, utcnow
from diary.services import care
from diary.services.patient_summaries import patient_summaries

blp = Blueprint("care", __name__, description="Care links: who may see whose diary")

LINK_ORDER = (CareLink.created_at, CareLink.id)


@blp.route("/invitations")
class Invitations(MethodView):
    decorators = [auth_required("clinician")]

    @blp.response(201, NewInvitationSchema, headers={"Location": {"schema": {"type": "string"}}})
    @blp.alt_response(403, response="FORBIDDEN")
    def post(self):
        """Create a single-use invitation code for a patient (clinicians)"""
        new = care.create_invitation(current_user())
        invitation = new.invitation
        body = {"id": invitation.id, "code": new.code, "created_at": invitation.created_at,
                "expires_at": invitation.expires_at, "used_at": invitation.used_at}
        return body, {"Location": f"{API_PREFIX}/invitations/{invitation.id}"}

    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_schema(InvitationSchema))
    @blp.alt_response(403, response="FORBIDDEN")
    def get(self, page):
        """The caller's invitations, newest first (clinicians; codes are not shown again)"""
        return paginate(care.invitations_of(current_user()),
                        (Invitation.created_at, Invitation.id), **page)


@blp.route("/invitations/<uuid:invitation_id>")
class InvitationById(MethodView):
    decorators = [auth_required()]

    @blp.response(200, InvitationSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, invitation_id: uuid.UUID):
        """One of the caller's invitations: is it used yet"""
        return care.get_invitation(current_user(), invitation_id)


def _clinician_item(linked: care.LinkedClinician) -> dict:
    clinician = linked.clinician
    return {"id": clinician.id, "display_name": clinician.display_name, "email": clinician.email,
            "linked_at": linked.link.created_at}


@blp.route("/me/clinicians")
class MyClinicians(MethodView):
    decorators = [auth_required("patient")]

    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_schema(LinkedClinicianSchema))
    @blp.alt_response(403, response="FORBIDDEN")
    def get(self, page):
        """The clinicians who may see the caller's diary, most recently linked first (patients)"""
        result = paginate(care.links_of_patient(current_user()), LINK_ORDER, **page)
        result["items"] = [_clinician_item(c) for c in care.linked_clinicians(result["items"])]
        return result

    @blp.arguments(InvitationCodeSchema)
    @blp.response(201, LinkedClinicianSchema, headers={"Location": {"schema": {"type": "string"}}})
    @blp.alt_response(200, schema=LinkedClinicianSchema, success=True,
                      description="Already linked to that clinician: the existing link.")
    @blp.alt_response(403, response="FORBIDDEN")
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY",
                      description="The code is unknown, used or expired (one answer for all).")
    def post(self, data):
        """Let a clinician see the caller's diary, with the code they gave (patients)"""
        linked = care.accept_invitation(current_user(), data["code"])
        location = {"Location": f"{API_PREFIX}/me/clinicians/{linked.clinician.id}"}
        return _clinician_item(linked), 201 if linked.created else 200, location


@blp.route("/me/clinicians/<uuid:clinician_id>")
class MyClinicianById(MethodView):
    decorators = [auth_required()]

    @blp.response(200, LinkedClinicianSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, clinician_id: uuid.UUID):
        """One of the caller's clinicians"""
        return _clinician_item(care.get_linked_clinician(current_user(), clinician_id))

    @blp.response(204)
    @blp.alt_response(404, response="NOT_FOUND")
    def delete(self, clinician_id: uuid.UUID):
        """Withdraw a clinician's access to the caller's diary, at once"""
        care.withdraw_care_link(current_user(), clinician_id)


def _patient_items(patients: list[User]) -> list[dict]:
    summaries = patient_summaries(patients, utcnow())
    return [{"id": p.id, "display_name": p.display_name, "email": p.email,
             "timezone": p.timezone, "summary": summaries[p.id]} for p in patients]


@blp.route("/patients")
class Patients(MethodView):
    decorators = [auth_required("clinician")]

    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_schema(PatientSchema))
    @blp.alt_response(403, response="FORBIDDEN")
    def get(self, page):
        """The patients who linked the caller, most recently linked first, with a summary (clinicians)"""
        result = paginate(care.links_of_clinician(current_user()), LINK_ORDER, **page)
        result["items"] = _patient_items(care.linked_patients(result["items"]))
        return result


@blp.route("/patients/<uuid:patient_id>")
class PatientById(MethodView):
    decorators = [auth_required()]

    @blp.response(200, PatientSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, patient_id: uuid.UUID):
        """One patient the caller may see, with the same summary as in the list"""
        return _patient_items([get_visible_patient_or_404(patient_id)])[0]
