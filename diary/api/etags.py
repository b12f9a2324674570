"""``ETag: "<version>"`` on single resources and the optional ``If-Match`` precondition."""
from __future__ import annotations

import re

from flask import Response, request
from werkzeug.http import quote_etag

from diary.errors import PreconditionFailed

VERSION = re.compile(r"[0-9]{1,18}", re.ASCII)


def expected_version() -> int | None:
    """The version named by ``If-Match: "<version>"``; None without the header (or with
    ``*``). Any other value is a 412: a precondition that cannot be checked is never ignored."""
    if not request.headers.get("If-Match", "").strip():
        return None
    if_match = request.if_match
    if if_match.star_tag:
        return None
    tags = list(if_match.as_set())
    if len(tags) != 1 or not isinstance(tags[0], str) or not VERSION.fullmatch(tags[0]):
        raise PreconditionFailed('If-Match must be one version as sent in ETag, e.g. "3".')
    return int(tags[0])


def check_version(current: int, expected: int | None) -> None:
    """412 when the client wrote against a stale version."""
    if expected is not None and expected != current:
        raise PreconditionFailed(
            f"The resource is at version {current}, not {expected}: fetch it and try again.",
            headers={"ETag": f'"{current}"'},
        )


def with_etag(response: Response, version: int) -> Response:
    response.set_etag(str(version))
    return response


# How the optional precondition and the version are documented in the OpenAPI document.
IF_MATCH = {"in": "header", "name": "If-Match", "required": False,
            "schema": {"type": "string", "pattern": r'^(\*|"[0-9]+")$'},
            "description": 'Optional: the version you changed (`"3"`, from `ETag`); a stale one '
                           "gets 412 and changes nothing."}
ETAG = {"ETag": {"description": 'The version, e.g. `"3"`: send it back in `If-Match`.',
                 "schema": {"type": "string"}}}


def etag_header(resource) -> dict[str, str]:
    """``ETag: "<version>"`` of a single resource."""
    return {"ETag": quote_etag(str(resource.version))}
