"""The one place that commits or rolls back: per request (``after_request``) and per job."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from flask import Flask, Response, request
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from diary.extensions import db

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def begin_write(session: Session | None = None) -> None:
    """Open the session's transaction as a write transaction.

    On SQLite this emits ``BEGIN IMMEDIATE`` (see ``diary.database``) so that a read-then-write
    never fails with SQLITE_BUSY half way; on PostgreSQL it is an ordinary ``BEGIN``.
    Must be called before the first statement of the transaction.
    """
    session = session or db.session()
    if not session.in_transaction():
        session.connection(execution_options={"diary_write": True})


@contextmanager
def transaction(session: Session | None = None) -> Iterator[Session]:
    """A write transaction for jobs and commands: commit on success, roll back on error."""
    session = session or db.session()
    begin_write(session)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise


def init_app(app: Flask) -> None:
    """One transaction per request: begun as a write for unsafe methods, committed when the
    answer is a success, rolled back otherwise."""

    @app.before_request
    def _begin() -> None:
        if request.method in UNSAFE_METHODS:
            begin_write()

    @app.after_request
    def _finish(response: Response) -> Response:
        if response.status_code >= 400 or request.method not in UNSAFE_METHODS:
            db.session.rollback()
            return response
        try:
            db.session.commit()
        except (IntegrityError, OperationalError) as exc:
            db.session.rollback()
            from diary.api.problems import problem_response

            if isinstance(exc, IntegrityError):
                return problem_response(409, "The change conflicts with data stored meanwhile; "
                                             "fetch the resource and try again.")
            app.logger.exception("commit failed")
            return problem_response(503, "The database is busy; try again.",
                                    headers={"Retry-After": "1"})
        return response
