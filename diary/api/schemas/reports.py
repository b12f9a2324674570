"""Report query arguments and the documented shape of the JSON report."""
from __future__ import annotations

from datetime import timedelta

import marshmallow as ma

from diary.api.base import Schema
from diary.api.schemas.common import LocalDate
from diary.reports.records import RULES

MAX_REPORT_SPAN = timedelta(days=366 * 30)


class ReportArgs(Schema):
    from_ = LocalDate(data_key="from", load_default=None,
                      metadata={"description": "First day (patient's local date); default: "
                                               "the first recorded day."})
    to = LocalDate(load_default=None,
                   metadata={"description": "Last day, inclusive; default: today in the "
                                            "patient's time zone. Date-based alerts are "
                                            "judged as of this day."})
    rule = ma.fields.String(load_default="preempt", validate=ma.validate.OneOf(RULES),
                            metadata={"description": "Headache-day rule: `preempt` (default: "
                                                     "4 h continuous) or `ihs` (30 min, or "
                                                     "any headache treated with acute medication)."})

    @ma.validates_schema
    def _span(self, data, **kwargs):
        start, end = data.get("from_"), data.get("to")
        if start and end and start > end:
            raise ma.ValidationError("Must not be after `to`.", "from")
        if start and end and end - start > MAX_REPORT_SPAN:
            raise ma.ValidationError("A report spans at most 30 years.", "from")


class PeriodMetricsSchema(ma.Schema):
    start = ma.fields.Date()
    end = ma.fields.Date()
    days = ma.fields.Integer()
    days_recorded = ma.fields.Integer()
    complete = ma.fields.Boolean(metadata={"description": "days_recorded >= ceil(days * 20 / 28)"})
    headache_days = ma.fields.Integer()
    migraine_days = ma.fields.Integer()
    moderate_severe_days = ma.fields.Integer()
    headache_hours = ma.fields.Float()
    mean_episode_hours = ma.fields.Float(allow_none=True)
    acute_medication_days = ma.fields.Integer()
    triptan_days = ma.fields.Integer()
    headache_days_per_28d = ma.fields.Float(allow_none=True)


class ChangeFromBaselineSchema(ma.Schema):
    headache_days_per_28d = ma.fields.Float(allow_none=True)
    percent = ma.fields.Float(allow_none=True)


class CycleSchema(ma.Schema):
    number = ma.fields.Integer()
    treatment_id = ma.fields.String()
    administered_on = ma.fields.Date()
    start = ma.fields.Date()
    end = ma.fields.Date()
    complete = ma.fields.Boolean()
    before = ma.fields.Nested(PeriodMetricsSchema)
    after = ma.fields.Nested(PeriodMetricsSchema)
    periods = ma.fields.List(ma.fields.Nested(PeriodMetricsSchema))
    change_from_baseline = ma.fields.Nested(ChangeFromBaselineSchema, allow_none=True)
    responder_30 = ma.fields.Boolean(allow_none=True)
    responder_50 = ma.fields.Boolean(allow_none=True)


class MonthSchema(PeriodMetricsSchema):
    month = ma.fields.String(metadata={"description": "YYYY-MM"})


class AlertSchema(ma.Schema):
    code = ma.fields.String()
    detail = ma.fields.String()


class ReportPatientSchema(ma.Schema):
    id = ma.fields.String()
    display_name = ma.fields.String()
    timezone = ma.fields.String()


class ReportSchema(ma.Schema):
    """The JSON report (figures rounded to 1 decimal, half away from zero)."""

    patient = ma.fields.Nested(ReportPatientSchema)
    generated_at = ma.fields.String()
    definitions = ma.fields.Dict()
    baseline = ma.fields.Nested(PeriodMetricsSchema, allow_none=True)
    cycles = ma.fields.List(ma.fields.Nested(CycleSchema))
    months = ma.fields.List(ma.fields.Nested(MonthSchema))
    alerts = ma.fields.List(ma.fields.Nested(AlertSchema))
