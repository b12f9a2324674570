"""Shared by the resource modules: field types, query arguments, and the few view helpers
(caller resolution, ETag, documented problems) of a patient's own resources."""
from __future__ import annotations

import functools
import re

import marshmallow as ma
from werkzeug.http import quote_etag

from diary.api.base import Blueprint, Schema
from diary.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, PageArgs
from diary.api.problems import PROBLEM_MEDIA_TYPE, ProblemSchema
from diary.api.security import authenticate
from diary.errors import Forbidden, NotFound
from diary.services.timezones import is_valid_timezone

# Length limits of free text (characters).
NOTES_MAX = 5000
NAME_MAX = 100
DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
# Dates and instants outside these years are typing slips, and near the ends of Python's
# calendar (years 1 and 9999) a time-zone shift or a 28-day step overflows (a 500).
YEARS = range(1900, 3000)
YEARS_TEXT = f"years {YEARS.start} to {YEARS.stop - 1}"


class TimeZone(ma.fields.String):
    """An IANA time zone name such as ``Europe/London``."""

    default_error_messages = {"unknown": "Not a known IANA time zone name (e.g. Europe/London)."}

    def __init__(self, **kwargs):
        kwargs.setdefault("metadata", {}).setdefault("example", "Europe/London")
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        name = super()._deserialize(value, attr, data, **kwargs)
        if not is_valid_timezone(name):
            raise self.make_error("unknown")
        return name


class StrictBoolean(ma.fields.Boolean):
    """JSON ``true`` or ``false`` only (marshmallow would also take "yes", 1, "on" ...)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class LocalDate(ma.fields.Date):
    """A calendar date, ``YYYY-MM-DD`` (no time, no offset), in ``YEARS``."""

    default_error_messages = {"invalid": "Not a valid date: use YYYY-MM-DD.",
                              "years": f"Not a date of the {YEARS_TEXT}."}

    def __init__(self, **kwargs):
        kwargs.setdefault("metadata", {}).setdefault("example", "2026-03-01")
        kwargs["metadata"].setdefault("pattern", "^" + DATE_PATTERN.pattern + "$")
        super().__init__(format="%Y-%m-%d", **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        # strptime would take "2026-3-1" too: the contract's dates have all their digits.
        if not isinstance(value, str) or not DATE_PATTERN.fullmatch(value):
            raise self.make_error("invalid")
        day = super()._deserialize(value, attr, data, **kwargs)
        if day.year not in YEARS:
            raise self.make_error("years")
        return day


class Instant(ma.fields.AwareDateTime):
    """An instant in RFC 3339 with an offset (naive times are refused), in ``YEARS``."""

    default_error_messages = {"years": f"Not a time of the {YEARS_TEXT}."}

    def _deserialize(self, value, attr, data, **kwargs):
        instant = super()._deserialize(value, attr, data, **kwargs)
        if instant.year not in YEARS:
            raise self.make_error("years")
        return instant


class Notes(ma.fields.String):
    """Free text written by the patient: empty by default, at most ``NOTES_MAX`` characters."""

    def __init__(self, **kwargs):
        kwargs.setdefault("load_default", "")
        kwargs.setdefault("validate", ma.validate.Length(max=NOTES_MAX))
        kwargs.setdefault("metadata", {}).setdefault("example", "")
        super().__init__(**kwargs)


class DateRangeArgs(Schema):
    """``?from=&to=``: local dates, both inclusive, either may be left out."""

    from_ = LocalDate(data_key="from", load_default=None,
                      metadata={"description": "First local date (inclusive)."})
    to = LocalDate(load_default=None, metadata={"description": "Last local date (inclusive)."})

    @ma.validates_schema
    def _ordered(self, data, **kwargs):
        if data.get("from_") and data.get("to") and data["from_"] > data["to"]:
            raise ma.ValidationError("Must not be after `to`.", field_name="from")


class DateRangePageArgs(PageArgs, DateRangeArgs):
    """A date range, one page at a time."""

    # A query string holds text: a strict Integer would refuse every ?limit= (and a query
    # cannot smuggle in a float, the reason bodies use strict integers).
    limit = ma.fields.Integer(load_default=DEFAULT_LIMIT,
                              validate=ma.validate.Range(min=1, max=MAX_LIMIT),
                              metadata={"description": f"Page size (1-{MAX_LIMIT})."})


IF_MATCH = {"in": "header", "name": "If-Match", "required": False,
            "schema": {"type": "string", "pattern": r'^(\*|"[0-9]+")$'},
            "description": 'Optional: the version you changed (`"3"`, from `ETag`); a stale one '
                           "gets 412 and changes nothing."}
ETAG = {"ETag": {"description": 'The version, e.g. `"3"`: send it back in `If-Match`.',
                 "schema": {"type": "string"}}}
LOCATION = {"Location": {"description": "The created resource's URL", "schema": {"type": "string"}}}


def problem_responses(blp: Blueprint, descriptions: dict[int, str]):
    """``problems(*codes)``: a decorator documenting an operation's problem responses (besides
    422 for bad input, which flask-smorest documents itself), described by ``descriptions``."""

    def problems(*codes: int):
        def decorator(view):
            for code in reversed(codes):
                view = blp.alt_response(code, schema=ProblemSchema, description=descriptions[code],
                                        content_type=PROBLEM_MEDIA_TYPE)(view)
            return view

        return decorator

    return problems


def as_patient(*, hide: bool = False):
    """View decorator for a patient's own resources: resolve the caller before the body is
    read (so 401/403 come before 422) and pass them as ``patient``. A caller who is not a
    patient gets 403, or 404 when ``hide`` (the path names a resource: never reveal it)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            user = authenticate()
            if not user.is_patient:
                if hide:
                    raise NotFound("No such resource.")
                raise Forbidden("This endpoint is for patient accounts.")
            return view(*args, patient=user, **kwargs)

        return wrapper

    return decorator


def etag_header(resource) -> dict[str, str]:
    """``ETag: "<version>"`` of a single resource."""
    return {"ETag": quote_etag(str(resource.version))}
