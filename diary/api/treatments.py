"""Treatments (injection sessions): ``/patients/{patient_id}/treatments`` for the patient and
their linked clinicians, and ``/treatments``, the patient's own shortcut."""
from __future__ import annotations

import functools
import uuid

from flask import request, url_for
from flask.views import MethodView

from diary.api.base import LOCATION, Blueprint, problem_responses
from diary.api.etags import ETAG, IF_MATCH, etag_header, expected_version
from diary.api.pagination import page_schema, paginate
from diary.api.schemas.common import DateRangePageArgs
from diary.api.schemas.treatments import (PATCH_EXAMPLE, TREATMENT_EXAMPLE, TreatmentPatchSchema,
                                          TreatmentSchema)
from diary.api.security import as_patient, authenticate, get_visible_patient_or_404
from diary.errors import Invalid
from diary.models import Treatment
from diary.services import treatments as service

# On PUT the path names the treatment: a body need not repeat its id.
PUT_EXAMPLE = {name: value for name, value in TREATMENT_EXAMPLE.items() if name != "id"}

blp = Blueprint("treatments", __name__,
                description="Botulinum toxin injection sessions, each starting a 12-week cycle. "
                            "Recorded by the patient or a linked clinician.")

problems = problem_responses(blp, {
    401: "No valid bearer token",
    403: "`/treatments` is for patient accounts (a clinician names the patient in the path)",
    404: "No such patient or treatment that the caller may see",
    409: "Another treatment on that date, or the id is taken, holds other content or was deleted",
    412: "`If-Match` names a stale version (nothing was changed)",
})


def for_patient(*, hide: bool = False):
    """Resolve whose treatments the path names before the body is read, and pass them as
    ``patient``: the patient named by ``patient_id`` if the caller may see them (else 404);
    on ``/treatments...`` the caller, who must be a patient (else 403, or 404 when ``hide``:
    the path names a treatment)."""

    def decorator(view):
        own = as_patient(hide=hide)(view)

        @functools.wraps(view)
        def wrapper(self, *args, patient_id: uuid.UUID | None = None, **kwargs):
            if patient_id is None:
                return own(self, *args, **kwargs)
            return view(self, *args, patient=get_visible_patient_or_404(patient_id), **kwargs)

        return wrapper

    return decorator


class TreatmentCollection(MethodView):
    item_endpoint = ""

    @for_patient()
    @blp.arguments(DateRangePageArgs, location="query")
    @blp.response(200, page_schema(TreatmentSchema))
    @problems(401, 403, 404)
    def get(self, args, patient):
        """List treatments, latest `administered_on` first

        `from` and `to` (dates, both inclusive) keep the treatments given in that span."""
        stmt = service.list_treatments_stmt(patient, args.pop("from_"), args.pop("to"))
        return paginate(stmt, [Treatment.administered_on, Treatment.id], **args)

    @for_patient()
    @blp.arguments(TreatmentSchema, example=TREATMENT_EXAMPLE)
    @blp.response(201, TreatmentSchema, headers={**ETAG, **LOCATION})
    @blp.alt_response(200, schema=TreatmentSchema, headers=ETAG,
                      description="A retried create: this id already holds this content")
    @problems(401, 403, 404, 409)
    def post(self, data, patient):
        """Record a treatment

        The client may choose the `id`; sending the same create again answers 200 with what
        is stored, and the same `id` with other content is a conflict."""
        result = service.create_treatment(patient, data, actor=authenticate())
        treatment = result.resource
        if not result.created:
            return treatment, 200, etag_header(treatment)
        location = url_for(self.item_endpoint, **request.view_args, treatment_id=treatment.id)
        return treatment, 201, {**etag_header(treatment), "Location": location}


class TreatmentItem(MethodView):
    @for_patient(hide=True)
    @blp.response(200, TreatmentSchema, headers=ETAG)
    @problems(401, 404)
    def get(self, patient, treatment_id):
        """Get a treatment"""
        treatment = service.get_treatment(patient, treatment_id)
        return treatment, 200, etag_header(treatment)

    @for_patient(hide=True)
    @blp.arguments(TreatmentSchema, example=PUT_EXAMPLE)
    @blp.response(200, TreatmentSchema, headers=ETAG)
    @blp.alt_response(201, schema=TreatmentSchema, headers=ETAG, description="Created")
    @problems(401, 404, 409, 412)
    @blp.doc(parameters=[IF_MATCH])
    def put(self, data, patient, treatment_id):
        """Create or replace a treatment

        Fields left out take their defaults. The same body sent twice stores one treatment;
        a deleted id cannot be brought back (409)."""
        if data.pop("id", None) not in (None, treatment_id):
            raise Invalid("The body's id differs from the path's.",
                          errors={"id": ["Must match the id in the path."]})
        result = service.upsert_treatment(patient, treatment_id, data, actor=authenticate(),
                                          expected_version=expected_version())
        return result.resource, 201 if result.created else 200, etag_header(result.resource)

    @for_patient(hide=True)
    @blp.arguments(TreatmentPatchSchema, example=PATCH_EXAMPLE, required=False)
    @blp.response(200, TreatmentSchema, headers=ETAG)
    @problems(401, 404, 409, 412)
    @blp.doc(parameters=[IF_MATCH])
    def patch(self, changes, patient, treatment_id):
        """Change some fields of a treatment"""
        treatment = service.update_treatment(patient, treatment_id, changes, actor=authenticate(),
                                             expected_version=expected_version())
        return treatment, 200, etag_header(treatment)

    @for_patient(hide=True)
    @blp.response(204)
    @problems(401, 404, 412)
    @blp.doc(parameters=[IF_MATCH])
    def delete(self, patient, treatment_id):
        """Delete a treatment (kept as a tombstone for sync)"""
        service.get_treatment(patient, treatment_id)  # a second DELETE is a 404, as a GET is
        service.delete_treatment(patient, treatment_id, actor=authenticate(),
                                 expected_version=expected_version())


@blp.route("/patients/<uuid:patient_id>/treatments")
class PatientTreatments(TreatmentCollection):
    item_endpoint = "treatments.PatientTreatmentById"
    responses_not_given = (403,)  # a patient the caller may not see is a 404


@blp.route("/patients/<uuid:patient_id>/treatments/<uuid:treatment_id>")
class PatientTreatmentById(TreatmentItem):
    pass


@blp.route("/treatments")
class MyTreatments(TreatmentCollection):
    item_endpoint = "treatments.MyTreatmentById"
    responses_not_given = (404,)  # the path names no one


@blp.route("/treatments/<uuid:treatment_id>")
class MyTreatmentById(TreatmentItem):
    pass
