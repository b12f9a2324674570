"""Diary days: ``/diary-days``, the dates on which the patient filled in the diary."""
from __future__ import annotations

from datetime import date as Date

from flask.views import MethodView

from diary.api.base import Blueprint, problem_responses
from diary.api.etags import ETAG, IF_MATCH, etag_header, expected_version
from diary.api.pagination import page_schema, paginate
from diary.api.schemas.common import DateRangePageArgs
from diary.api.schemas.diary_days import DIARY_DAY_EXAMPLE, DiaryDatePath, DiaryDaySchema
from diary.api.security import as_patient
from diary.errors import Invalid
from diary.models import DiaryDay, User
from diary.services import diary_days as service

blp = Blueprint("diary_days", __name__,
                description="Dates on which the patient filled in the diary (a date with an "
                            "episode counts as filled in without one). Unfilled dates are "
                            "missing data, never assumed headache-free.")

problems = problem_responses(blp, {
    401: "No valid bearer token",
    403: "The list `/diary-days` is for patient accounts",
    404: "Nothing recorded for that date (or a caller who is not a patient: a path naming a "
         "resource is 404, never 403)",
    409: "The body's `id` is not this date's diary day, or is taken",
    412: "`If-Match` names a stale version (nothing was changed)",
})


@blp.route("/diary-days")
class DiaryDays(MethodView):
    @as_patient()
    @blp.arguments(DateRangePageArgs, location="query")
    @blp.response(200, page_schema(DiaryDaySchema))
    @problems(401, 403)
    def get(self, args, patient: User):
        """List the caller's diary days, latest date first (`from`, `to` inclusive)"""
        stmt = service.diary_days_between(patient, args.pop("from_"), args.pop("to"))
        return paginate(stmt, [DiaryDay.date], **args)


@blp.route("/diary-days/<date>")
class DiaryDayByDate(MethodView):
    @as_patient(hide=True)
    @blp.arguments(DiaryDatePath, location="path")
    @blp.response(200, DiaryDaySchema, headers=ETAG)
    @problems(401, 404)
    def get(self, path, patient: User, date: str):
        """Get the diary day of a date"""
        day = service.get_diary_day(patient, path["date"])
        return day, 200, etag_header(day)

    @as_patient(hide=True)
    @blp.arguments(DiaryDatePath, location="path")
    @blp.arguments(DiaryDaySchema, example=DIARY_DAY_EXAMPLE)
    @blp.response(200, DiaryDaySchema, headers=ETAG)
    @blp.alt_response(201, schema=DiaryDaySchema, headers=ETAG,
                      description="Created (or a deleted date recorded again)")
    @problems(401, 404, 409, 412)
    @blp.doc(parameters=[IF_MATCH])
    def put(self, path, data, patient: User, date: str):
        """Record the diary of a date (create or replace)

        `headache_free: true` is stored as sent even when the date has an episode (the reports
        count the episode). The same body sent twice stores one diary day."""
        day: Date = path["date"]
        if data.pop("date", None) not in (None, day):
            raise Invalid("The body's date differs from the path's.",
                          errors={"date": ["Must match the date in the path."]})
        result = service.record_diary_day(patient, day, data, expected_version=expected_version())
        return result.resource, 201 if result.created else 200, etag_header(result.resource)

    @as_patient(hide=True)
    @blp.arguments(DiaryDatePath, location="path")
    @blp.response(204)
    @problems(401, 404, 412)
    @blp.doc(parameters=[IF_MATCH])
    def delete(self, path, patient: User, date: str):
        """Delete the diary day of a date (kept as a tombstone for sync)"""
        day = service.get_diary_day(patient, path["date"])
        service.delete_diary_day(patient, day.id, expected_version=expected_version())
