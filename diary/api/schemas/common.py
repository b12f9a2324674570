"""Field types and query arguments shared by the resource schemas."""
from __future__ import annotations

import marshmallow as ma

from diary.api.base import Schema
from diary.api.pagination import PageArgs
from diary.services.timezones import is_valid_timezone

# Length limits of free text (characters).
NOTES_MAX = 5000
NAME_MAX = 100


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


class LocalDate(ma.fields.Date):
    """A calendar date, ``YYYY-MM-DD`` (no time, no offset)."""

    default_error_messages = {"invalid": "Not a valid date: use YYYY-MM-DD."}

    def __init__(self, **kwargs):
        kwargs.setdefault("metadata", {}).setdefault("example", "2026-03-01")
        super().__init__(format="%Y-%m-%d", **kwargs)


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
