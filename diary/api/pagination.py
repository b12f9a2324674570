"""Keyset pagination: ``?limit=&cursor=`` in, ``{"items": [...], "next_cursor": ...}`` out."""
from __future__ import annotations

import base64
import binascii
import json
import uuid
from datetime import date, datetime, timezone
from typing import Any, Sequence

import marshmallow as ma
from sqlalchemy import Select, and_, or_

from diary.api.base import Schema
from diary.errors import Invalid

DEFAULT_LIMIT = 50
MAX_LIMIT = 500


class PageArgs(Schema):
    # Query strings are text: "2" is an integer here (strict=True is for JSON bodies).
    limit = ma.fields.Integer(load_default=DEFAULT_LIMIT,
                              validate=ma.validate.Range(min=1, max=MAX_LIMIT),
                              metadata={"description": f"Page size (1-{MAX_LIMIT})."})
    cursor = ma.fields.String(load_default=None,
                              metadata={"description": "`next_cursor` of the previous page."})


_page_schemas: dict[type, type] = {}


def page_schema(item_schema: type[ma.Schema]) -> type[ma.Schema]:
    """The ``{"items", "next_cursor"}`` schema for a list of ``item_schema``."""
    if item_schema not in _page_schemas:
        name = item_schema.__name__.removesuffix("Schema") + "Page"
        _page_schemas[item_schema] = type(name, (ma.Schema,), {
            "items": ma.fields.List(ma.fields.Nested(item_schema), required=True),
            "next_cursor": ma.fields.String(allow_none=True, required=True,
                                            metadata={"description": "null on the last page"}),
        })
    return _page_schemas[item_schema]


def _dump_value(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def _load_value(raw: Any, python_type: type) -> Any:
    """One value of a cursor, of its column's type; ValueError (or TypeError, OverflowError)
    for anything else, since a cursor comes back from the client and may have been edited."""
    if python_type is int:
        if type(raw) is not int or not -2**63 <= raw < 2**63:
            raise ValueError("not an int")
        return raw
    if not isinstance(raw, str):
        raise ValueError("not a string")
    if python_type is datetime:
        instant = datetime.fromisoformat(raw)
        if instant.tzinfo is None:
            raise ValueError("no offset")
        return instant.astimezone(timezone.utc)
    if python_type is date:
        return date.fromisoformat(raw)
    if python_type is uuid.UUID:
        return uuid.UUID(raw)
    return raw


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps([_dump_value(v) for v in values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, columns: Sequence) -> list[Any]:
    bad = Invalid("The cursor is not valid.", errors={"cursor": ["Not a cursor from this list."]})
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(values, list) or len(values) != len(columns):
            raise bad
        return [_load_value(v, c.type.python_type) for v, c in zip(values, columns)]
    except (ValueError, TypeError, OverflowError, RecursionError, binascii.Error):
        raise bad from None


def paginate(stmt: Select, columns: Sequence, *, limit: int, cursor: str | None,
             descending: bool = True, session=None) -> dict:
    """Run ``stmt`` (selecting ORM entities) one page at a time, ordered by ``columns`` (the
    last one unique), newest first unless ``descending`` is False."""
    from diary.extensions import db

    session = session or db.session
    if cursor:
        after = decode_cursor(cursor, columns)
        stmt = stmt.where(_after(columns, after, descending))
    order = [c.desc() if descending else c.asc() for c in columns]
    rows = list(session.scalars(stmt.order_by(*order).limit(limit + 1)))
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = encode_cursor([getattr(last, c.key) for c in columns])
    return {"items": rows, "next_cursor": next_cursor}


def _after(columns: Sequence, values: Sequence, descending: bool):
    """Rows strictly after ``values`` in the ordering (expanded row-value comparison)."""
    clauses = []
    for i, column in enumerate(columns):
        beyond = column < values[i] if descending else column > values[i]
        clauses.append(and_(*[columns[j] == values[j] for j in range(i)], beyond))
    return or_(*clauses)
