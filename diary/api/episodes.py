"""Headache episodes: ``/episodes``, the patient's own collection."""
from __future__ import annotations

import uuid

from flask import url_for
from flask.views import MethodView

from diary.api.base import LOCATION, Blueprint, problem_responses
from diary.api.etags import ETAG, IF_MATCH, etag_header, expected_version
from diary.api.pagination import page_schema, paginate
from diary.api.schemas.common import DateRangePageArgs
from diary.api.schemas.episodes import (EPISODE_EXAMPLE, PATCH_EXAMPLE, EpisodePatchSchema,
                                        EpisodeSchema)
from diary.api.security import as_patient
from diary.errors import Invalid
from diary.models import Episode, User
from diary.services import episodes as service

# On PUT the path names the episode: a body need not repeat its id.
PUT_EXAMPLE = {name: value for name, value in EPISODE_EXAMPLE.items() if name != "id"}

blp = Blueprint("episodes", __name__,
                description="Headache episodes, recorded by the patient (times in RFC 3339 with "
                            "an offset; `timezone` says where the patient was).")

problems = problem_responses(blp, {
    401: "No valid bearer token",
    403: "`/episodes` is for patient accounts",
    404: "No such episode of the caller's",
    409: "The id is taken, holds other content, or was deleted (the deletion stands)",
    412: "`If-Match` names a stale version (nothing was changed)",
})


def _same_id(data: dict, episode_id: uuid.UUID) -> None:
    if data.pop("id", None) not in (None, episode_id):
        raise Invalid("The body's id differs from the path's.",
                      errors={"id": ["Must match the id in the path."]})


@blp.route("/episodes")
class Episodes(MethodView):
    @as_patient()
    @blp.arguments(DateRangePageArgs, location="query")
    @blp.response(200, page_schema(EpisodeSchema))
    @problems(401, 403)
    def get(self, args, patient: User):
        """List the caller's episodes, latest start first

        `from` and `to` are local dates in the patient's profile time zone, both inclusive:
        every episode that overlaps that span of days is listed (an ongoing one overlaps
        every day after its start)."""
        stmt = service.episodes_overlapping(patient, args.pop("from_"), args.pop("to"))
        return paginate(stmt, [Episode.started_at, Episode.id], **args)

    @as_patient()
    @blp.arguments(EpisodeSchema, example=EPISODE_EXAMPLE)
    @blp.response(201, EpisodeSchema, headers={**ETAG, **LOCATION})
    @blp.alt_response(200, schema=EpisodeSchema, headers=ETAG,
                      description="A retried create: this id already holds this content")
    @problems(401, 403, 409)
    def post(self, data, patient: User):
        """Record an episode

        The client may choose the `id`, so that a retried upload is harmless: sending the same
        episode again answers 200 with what is stored; the same `id` with other content is a
        conflict (PUT replaces)."""
        result = service.create_episode(patient, data.pop("id") or uuid.uuid4(), data)
        episode = result.resource
        if not result.created:
            return episode, 200, etag_header(episode)
        location = url_for("episodes.EpisodeById", episode_id=episode.id)
        return episode, 201, {**etag_header(episode), "Location": location}


@blp.route("/episodes/<uuid:episode_id>")
class EpisodeById(MethodView):
    @as_patient(hide=True)
    @blp.response(200, EpisodeSchema, example=EPISODE_EXAMPLE, headers=ETAG)
    @problems(401, 404)
    def get(self, patient: User, episode_id: uuid.UUID):
        """Get an episode"""
        episode = service.get_episode(patient, episode_id)
        return episode, 200, etag_header(episode)

    @as_patient(hide=True)
    @blp.arguments(EpisodeSchema, example=PUT_EXAMPLE)
    @blp.response(200, EpisodeSchema, headers=ETAG)
    @blp.alt_response(201, schema=EpisodeSchema, headers=ETAG, description="Created")
    @problems(401, 404, 409, 412)
    @blp.doc(parameters=[IF_MATCH])
    def put(self, data, patient: User, episode_id: uuid.UUID):
        """Create or replace an episode

        Fields left out take their defaults. The same body sent twice stores one episode (the
        second answer is 200 with the version unchanged); a deleted id cannot be brought back
        (409)."""
        _same_id(data, episode_id)
        result = service.upsert_episode(patient, episode_id, data,
                                        expected_version=expected_version())
        return result.resource, 201 if result.created else 200, etag_header(result.resource)

    @as_patient(hide=True)
    @blp.arguments(EpisodePatchSchema, example=PATCH_EXAMPLE, required=False)
    @blp.response(200, EpisodeSchema, headers=ETAG)
    @problems(401, 404, 412)
    @blp.doc(parameters=[IF_MATCH])
    def patch(self, changes, patient: User, episode_id: uuid.UUID):
        """Change some fields of an episode

        The changed episode is checked as a whole; `features` merge by name, `medications`
        and `triggers` are replaced as a whole."""
        _same_id(changes, episode_id)
        result = service.update_episode(patient, episode_id, changes,
                                        expected_version=expected_version())
        return result.resource, 200, etag_header(result.resource)

    @as_patient(hide=True)
    @blp.response(204)
    @problems(401, 404, 412)
    @blp.doc(parameters=[IF_MATCH])
    def delete(self, patient: User, episode_id: uuid.UUID):
        """Delete an episode (kept as a tombstone, so that sync delivers the deletion)"""
        service.get_episode(patient, episode_id)  # deleting again is a 404, as a GET is
        service.delete_episode(patient, episode_id, expected_version=expected_version())
