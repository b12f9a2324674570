"""Authentication (bearer tokens) and the one authorisation policy: who may see whose data."""
from __future__ import annotations

import functools
import uuid

from flask import g, request
from sqlalchemy import select

from diary.errors import Forbidden, NotFound, Unauthorized
from diary.extensions import db
from diary.models import CareLink, User
from diary.services.tokens import find_access_token

BEARER_SCHEME = {"type": "http", "scheme": "bearer",
                 "description": "An access token from `POST /auth/token`."}


def _bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def authenticate() -> User:
    """The caller, from ``Authorization: Bearer``; 401 when missing, unknown or expired."""
    if "current_user" in g:
        return g.current_user
    token = _bearer_token()
    found = find_access_token(token) if token else None
    if found is None:
        raise Unauthorized("A valid bearer access token is required.")
    g.current_user, g.current_access_token = found
    return g.current_user


def current_user() -> User:
    return authenticate()


def auth_required(*roles: str):
    """View decorator: the caller must be authenticated (401) and, when ``roles`` are given,
    hold one of them (403: for endpoints that name no one)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            user = authenticate()
            if roles and user.role not in roles:
                raise Forbidden(f"This endpoint is for {' or '.join(roles)} accounts.")
            return view(*args, **kwargs)

        return wrapper

    return decorator


def is_linked(clinician_id: uuid.UUID, patient_id: uuid.UUID) -> bool:
    return db.session.scalar(
        select(CareLink.id).where(CareLink.clinician_id == clinician_id,
                                  CareLink.patient_id == patient_id)
    ) is not None


def can_view_patient(user: User, patient_id: uuid.UUID) -> bool:
    """The policy: a patient sees their own data; a clinician sees a patient who linked them."""
    if user.is_patient:
        return user.id == patient_id
    if user.is_clinician:
        return is_linked(user.id, patient_id)
    return False


def get_visible_patient_or_404(patient_id: uuid.UUID) -> User:
    """The patient named in a path, if the caller may see them; 404 otherwise (whatever the
    caller's role), so that nobody learns which patients exist."""
    user = authenticate()
    patient = db.session.get(User, patient_id)
    if patient is None or not patient.is_patient or not can_view_patient(user, patient.id):
        raise NotFound("No such patient.")
    return patient


def require_patient() -> User:
    """The caller, who must be a patient (for ``/me/...`` resources that only patients own)."""
    user = authenticate()
    if not user.is_patient:
        raise Forbidden("This endpoint is for patient accounts.")
    return user


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
