"""Schemas of accounts and tokens: registration, login, refresh, and the caller's profile."""
from __future__ import annotations

import re
from datetime import time

import marshmallow as ma
from flask import current_app

from diary.api.base import Schema
from diary.api.schemas.common import NAME_MAX, StrictBoolean, TimeZone

_HH_MM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


class LocalTime(ma.fields.String):
    """A wall-clock time as ``HH:MM`` (24-hour)."""

    default_error_messages = {"invalid": "Not a time as HH:MM (00:00 to 23:59)."}

    def __init__(self, **kwargs):
        kwargs.setdefault("metadata", {}).update(pattern=_HH_MM.pattern, example="20:00")
        super().__init__(**kwargs)

    def _serialize(self, value: time | None, attr, obj, **kwargs):
        return None if value is None else value.strftime("%H:%M")

    def _deserialize(self, value, attr, data, **kwargs) -> time:
        match = _HH_MM.fullmatch(value) if isinstance(value, str) else None
        if match is None:
            raise self.make_error("invalid")
        return time(int(match[1]), int(match[2]))


def validate_password(password: str) -> None:
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        raise ma.ValidationError(f"Use at least {minimum} characters.")


def validate_display_name(name: str) -> None:
    if not name.strip() or len(name.strip()) > NAME_MAX:
        raise ma.ValidationError(f"Give 1 to {NAME_MAX} characters.")


def _display_name(**kwargs) -> ma.fields.String:
    return ma.fields.String(validate=validate_display_name,
                            metadata={"minLength": 1, "maxLength": NAME_MAX,
                                      "description": "Spaces around it are dropped."}, **kwargs)


def _strip_display_name(data: dict) -> dict:
    if "display_name" in data:
        data["display_name"] = data["display_name"].strip()
    return data


class RegistrationSchema(Schema):
    email = ma.fields.Email(required=True, validate=ma.validate.Length(max=254),
                            metadata={"description": "Compared case-insensitively."})
    password = ma.fields.String(required=True, load_only=True, validate=validate_password,
                                metadata={"description": "At least 10 characters.",
                                          "minLength": 10, "maxLength": 1024})
    display_name = _display_name(required=True)
    timezone = TimeZone(required=True)

    @ma.post_load
    def strip_name(self, data, **kwargs):
        return _strip_display_name(data)


class CredentialsSchema(Schema):
    email = ma.fields.String(required=True, validate=ma.validate.Length(max=254))
    password = ma.fields.String(required=True, load_only=True,
                                validate=ma.validate.Length(max=1024))


class RefreshSchema(Schema):
    refresh_token = ma.fields.String(required=True, validate=ma.validate.Length(max=200))


class LogoutSchema(Schema):
    """Nothing: the access token in ``Authorization`` says what to revoke."""


class TokenPairSchema(ma.Schema):
    access_token = ma.fields.String(required=True)
    refresh_token = ma.fields.String(required=True,
                                     metadata={"description": "Single use: spend it at "
                                                              "`POST /auth/refresh`."})
    token_type = ma.fields.String(required=True, metadata={"description": "Always `Bearer`."})
    expires_in = ma.fields.Integer(required=True,
                                   metadata={"description": "Seconds the access token lives."})


class MeSchema(ma.Schema):
    """The caller's account. ``reminder_time`` and ``reminders_enabled`` are for patients only
    (absent for other roles)."""

    id = ma.fields.UUID(required=True)
    email = ma.fields.String(required=True)
    role = ma.fields.String(required=True, metadata={"description": "`patient`, `clinician` "
                                                                    "or `admin`."})
    display_name = ma.fields.String(required=True)
    timezone = ma.fields.String(required=True)
    reminder_time = LocalTime(metadata={"description": "Local `HH:MM` of the daily diary "
                                                       "reminder (patients)."})
    reminders_enabled = ma.fields.Boolean(metadata={"description": "Patients only."})

    @ma.post_dump(pass_original=True)
    def patient_fields_for_patients(self, data, original, **kwargs):
        if getattr(original, "role", None) != "patient":
            data.pop("reminder_time", None)
            data.pop("reminders_enabled", None)
        return data


class MeUpdateSchema(Schema):
    display_name = _display_name()
    timezone = TimeZone()
    reminder_time = LocalTime(metadata={"description": "Local `HH:MM` (patients only)."})
    reminders_enabled = StrictBoolean(metadata={"description": "Patients only."})

    @ma.post_load
    def strip_name(self, data, **kwargs):
        return _strip_display_name(data)


class ClinicianAccountSchema(RegistrationSchema):
    """An administrator creates a clinician's account."""
