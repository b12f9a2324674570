"""Schemas of care links: invitations, a patient's clinicians, a clinician's patients."""
from __future__ import annotations

import marshmallow as ma

from diary.api.base import Schema


class InvitationSchema(ma.Schema):
    """An invitation as listed (the code itself is shown only once, when created)."""

    id = ma.fields.UUID(required=True)
    created_at = ma.fields.AwareDateTime(required=True)
    expires_at = ma.fields.AwareDateTime(required=True)
    used_at = ma.fields.AwareDateTime(allow_none=True, required=True,
                                      metadata={"description": "null until a patient uses it"})


class NewInvitationSchema(InvitationSchema):
    code = ma.fields.String(required=True, metadata={
        "description": "Give it to the patient; single use, shown only now. Case, spaces and "
                       "dashes do not matter when it is typed in."})


class InvitationCodeSchema(Schema):
    code = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=100))


class LinkedClinicianSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    display_name = ma.fields.String(required=True)
    email = ma.fields.String(required=True)
    linked_at = ma.fields.AwareDateTime(required=True)


class PatientSummarySchema(ma.Schema):
    headache_days_per_28d = ma.fields.Float(allow_none=True, required=True, metadata={
        "description": "The latest 28 days, normalised to 28 recorded days; null when unknown."})
    last_treatment_on = ma.fields.Date(allow_none=True, required=True)
    next_due_on = ma.fields.Date(allow_none=True, required=True, metadata={
        "description": "84 days after the last treatment."})
    alerts = ma.fields.List(ma.fields.String(), required=True,
                            metadata={"description": "Codes of the report alerts open now."})


class PatientSchema(ma.Schema):
    id = ma.fields.UUID(required=True)
    display_name = ma.fields.String(required=True)
    email = ma.fields.String(required=True)
    timezone = ma.fields.String(required=True)
    summary = ma.fields.Nested(PatientSummarySchema, required=True)
