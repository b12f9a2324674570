"""Shared by the resource schemas: field types and query arguments."""
from __future__ import annotations

import re

import marshmallow as ma

from diary.api.base import Schema
from diary.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, PageArgs
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
