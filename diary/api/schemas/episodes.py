"""JSON of headache episodes and their medicines (see the API contract)."""
from __future__ import annotations

import marshmallow as ma

from diary.api.base import PatchSchemaMixin, Schema
from diary.api.schemas.common import NAME_MAX, Instant, Notes, StrictBoolean, TimeZone
from diary.models import FEATURES, MEDICATION_CLASSES

MAX_MEDICATIONS = 50
# A single dose above 100 g of anything is a typing error, not a medicine.
MAX_DOSE_MG = 100_000
MAX_TRIGGERS = 30
TRIGGER_MAX = 50

EPISODE_EXAMPLE = {
    "id": "5f0c6a52-3c1e-4b8e-9f5e-2b1f0e7d4a11",
    "started_at": "2026-03-01T22:30:00+00:00",
    "ended_at": "2026-03-02T03:00:00+00:00",
    "timezone": "Europe/London",
    "peak_severity": 2,
    "features": {"aura": False, "unilateral": True, "pulsating": True,
                 "worse_with_activity": False, "nausea": True, "vomiting": False,
                 "photophobia": True, "phonophobia": False},
    "medications": [{"name": "sumatriptan", "class": "triptan", "dose_mg": 50,
                     "taken_at": "2026-03-01T23:00:00+00:00"}],
    "triggers": ["sleep", "stress"],
    "notes": "",
}


class FeaturesSchema(Schema):
    """The headache's features (ICHD-3); each false unless sent as true."""

    locals().update({name: StrictBoolean() for name in FEATURES})


class MedicationSchema(Schema):
    """An acute medicine taken for the episode."""

    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=NAME_MAX),
                            metadata={"example": "sumatriptan"})
    drug_class = ma.fields.String(data_key="class", required=True,
                                  validate=ma.validate.OneOf(MEDICATION_CLASSES),
                                  metadata={"example": "triptan"})
    dose_mg = ma.fields.Float(load_default=None, allow_none=True, allow_nan=False,
                              validate=ma.validate.Range(min=0, max=MAX_DOSE_MG),
                              metadata={"example": 50})
    taken_at = Instant(required=True)


class EpisodeSchema(Schema):
    """One headache, from ``started_at`` to ``ended_at`` (null while it goes on).

    ``version``, ``created_at`` and ``updated_at`` are the server's: a client may send back
    what it received, and they are ignored; ``id`` in a body must match the path's.
    """

    id = ma.fields.UUID(load_default=None)
    started_at = Instant(required=True)
    ended_at = Instant(load_default=None, allow_none=True)
    timezone = TimeZone(load_default=None, metadata={
        "description": "Where the patient was; default: the profile's time zone."})
    peak_severity = ma.fields.Integer(strict=True, required=True,
                                      validate=ma.validate.Range(min=1, max=3),
                                      metadata={"description": "1 mild, 2 moderate, 3 severe"})
    features = ma.fields.Nested(FeaturesSchema, load_default=dict)
    medications = ma.fields.List(ma.fields.Nested(MedicationSchema), load_default=list,
                                 validate=ma.validate.Length(max=MAX_MEDICATIONS))
    triggers = ma.fields.List(ma.fields.String(validate=ma.validate.Length(min=1, max=TRIGGER_MAX)),
                              load_default=list, validate=ma.validate.Length(max=MAX_TRIGGERS))
    notes = Notes()
    version = ma.fields.Integer(strict=True, metadata={"readOnly": True})
    created_at = ma.fields.AwareDateTime(metadata={"readOnly": True})
    updated_at = ma.fields.AwareDateTime(metadata={"readOnly": True})

    @ma.post_load
    def _complete(self, data, partial=None, **kwargs):
        for name in ("version", "created_at", "updated_at"):
            data.pop(name, None)
        if "features" in data and not partial:
            data["features"] = {**dict.fromkeys(FEATURES, False), **data["features"]}
        return data


PATCH_EXAMPLE = {"ended_at": "2026-03-02T03:00:00+00:00", "features": {"nausea": True}}


class EpisodePatchSchema(PatchSchemaMixin, EpisodeSchema):
    """Any of the episode's fields; what is left out keeps its stored value (``features``
    merges by name; ``medications`` and ``triggers`` are replaced as a whole, each medicine
    with all its required fields)."""
