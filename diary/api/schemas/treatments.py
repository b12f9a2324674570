"""JSON of treatments (injection sessions), shared by the treatments API and sync."""
from __future__ import annotations

from datetime import date

import marshmallow as ma

from diary.api.base import PatchSchemaMixin, Schema
from diary.api.schemas.common import NAME_MAX, LocalDate, Notes
from diary.models import DEFAULT_PRODUCT

# onabotulinumtoxinA was first licensed in 1989: an earlier date is a typing slip.
EARLIEST_TREATMENT = date(1989, 1, 1)
# Generous ceilings (PREEMPT gives 155-195 units at 31-39 sites; other toxins are dosed in
# more units) that also keep values inside the database's integer range.
MAX_UNITS = 2000
MAX_SITES = 200
READ_ONLY = ("version", "created_at", "updated_at")
PATCH_EXAMPLE = {"total_units": 155, "injection_sites": 31}

TREATMENT_EXAMPLE = {
    "id": "0b7f3c8e-6a1d-4f1e-9c35-8d2a4e6f1b20",
    "administered_on": "2026-01-05",
    "product": DEFAULT_PRODUCT,
    "total_units": 155,
    "injection_sites": 31,
    "notes": "",
}


class TreatmentSchema(Schema):
    """A botulinum toxin injection session. Only ``administered_on`` is required; 155 units at
    31 sites is the PREEMPT dose, never assumed: what is left out is not recorded (null).

    ``version``, ``created_at`` and ``updated_at`` are the server's: a client may send back
    what it received, and they are ignored; ``patient_id`` in a body must be the patient's,
    and ``id`` in a body must match the path's.
    """

    id = ma.fields.UUID(load_default=None, metadata={
        "description": "Chosen by the server unless the client sends one (a retried create "
                       "is then idempotent)."})
    patient_id = ma.fields.UUID(metadata={"readOnly": True})
    administered_on = LocalDate(
        required=True, validate=ma.validate.Range(min=EARLIEST_TREATMENT),
        metadata={"description": "The day of the injections; at most one day after today in "
                                 "the patient's time zone; one treatment a day."})
    product = ma.fields.String(
        load_default=DEFAULT_PRODUCT, validate=ma.validate.Length(min=1, max=NAME_MAX),
        metadata={"description": f"The toxin given; default `{DEFAULT_PRODUCT}`."})
    total_units = ma.fields.Integer(
        strict=True, allow_none=True, load_default=None,
        validate=ma.validate.Range(min=1, max=MAX_UNITS),
        metadata={"description": "Units given in all; null when not recorded.", "example": 155})
    injection_sites = ma.fields.Integer(
        strict=True, allow_none=True, load_default=None,
        validate=ma.validate.Range(min=1, max=MAX_SITES),
        metadata={"description": "Number of injection sites; null when not recorded.",
                  "example": 31})
    notes = Notes()
    version = ma.fields.Integer(strict=True, metadata={
        "readOnly": True, "description": "Increases on every change; also sent as the ETag."})
    created_at = ma.fields.AwareDateTime(metadata={"readOnly": True})
    updated_at = ma.fields.AwareDateTime(metadata={"readOnly": True})

    @ma.post_load
    def _drop_read_only(self, data, **kwargs):
        for name in READ_ONLY:
            data.pop(name, None)
        return data


class TreatmentPatchSchema(PatchSchemaMixin, TreatmentSchema):
    """Any of the treatment's fields but ``id``; what is left out keeps its stored value."""

    class Meta(TreatmentSchema.Meta):
        exclude = ("id",)
