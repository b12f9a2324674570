"""Reports: ``GET /me/report`` and ``GET /patients/{id}/report`` as JSON, CSV, HTML or PDF."""
from __future__ import annotations

import uuid
from datetime import timedelta

from flask import Response, jsonify, request

from diary.api.base import Blueprint, problem_responses
from diary.api.schemas.reports import ReportArgs, ReportSchema
from diary.api.security import current_user, get_visible_patient_or_404, require_patient
from diary.errors import DomainError, Invalid
from diary.extensions import db
from diary.models import User, utcnow
from diary.performance import paused_gc
from diary.reports import Report, build_report
from diary.reports.queries import load_report_input, local_today
from diary.reports.render.csv import report_to_csv
from diary.reports.render.json import report_to_dict
from diary.services.audit import record_audit_of_read

blp = Blueprint("reports", __name__, description="Trend reports: headache days before and after "
                                                  "each injection cycle, responders, alerts.")

# A report may look ahead (e.g. to the end of a running cycle), but not for ever.
MAX_DAYS_AHEAD = timedelta(days=366)
# In order of preference: JSON for */* and for no Accept header.
MEDIA_TYPES = {"application/json": "json", "text/csv": "csv", "text/html": "html",
               "application/pdf": "pdf"}
problems = problem_responses(blp, {
    403: "`/me/report` is for patient accounts (a clinician names the patient in the path)",
    404: "No such patient that the caller may see",
    406: "None of JSON, CSV, HTML and PDF is acceptable",
})
CSV_CONTENT = {"text/csv": {"schema": {"type": "string"}}}
HTML_CONTENT = {"text/html": {"schema": {"type": "string"}}}
PDF_CONTENT = {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}
CSV_DOC = {"content": CSV_CONTENT,
           "description": "One row per period (baseline, cycles, cycle parts, months)."}
HTML_DOC = {"content": HTML_CONTENT,
            "description": "A self-contained page (inline CSS and SVG charts, no scripts) for "
                           "clinicians: alerts, baseline, cycles, months, charts."}
PDF_DOC = {"content": PDF_CONTENT, "description": "The HTML page printed on A4, as a download."}
# The other representations the Accept header may ask for (JSON's schema is documented by
# `@blp.response`, under the integer key it uses, so that the two merge).
NEGOTIATED_DOC = {200: {"content": {**CSV_CONTENT, **HTML_CONTENT, **PDF_CONTENT}}}
# The page runs nothing and loads nothing: styles are inline, charts are inline SVG.
HTML_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                               "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


class NotAcceptable(DomainError):
    status = 406
    title = "Not acceptable"


def _negotiated() -> str:
    """The representation the ``Accept`` header asks for (JSON when it names none)."""
    if not request.headers.get("Accept"):
        return "json"
    best = request.accept_mimetypes.best_match(list(MEDIA_TYPES))
    if best is None:
        raise NotAcceptable("The report is available as application/json, text/csv, text/html "
                            "or application/pdf.")
    return MEDIA_TYPES[best]


def _build(patient: User, args: dict) -> Report:
    now = utcnow()
    with paused_gc():
        inp = load_report_input(db.session, patient, now=now, start=args["from_"],
                                end=args["to"], rule=args["rule"])
        if inp.start is not None and inp.start > inp.end:
            raise Invalid("`from` is after the report's end.",
                          errors={"from": ["Must not be after `to`."]})
        latest_end = local_today(patient.timezone, now) + MAX_DAYS_AHEAD
        if inp.end > latest_end:
            raise Invalid("`to` is too far in the future.", errors={"to": [
                f"Must be at most {MAX_DAYS_AHEAD.days} days after today ({latest_end.isoformat()})."]})
        return build_report(inp)


def _build_audited(patient: User, args: dict, representation: str) -> Report:
    """The report, and when someone other than the patient reads it, an audit event."""
    report = _build(patient, args)
    reader = current_user()
    if reader.id != patient.id:
        record_audit_of_read("report.viewed", reader, patient, data={
            "format": representation, "from": report.start.isoformat(),
            "to": report.end.isoformat(), "rule": report.rule})
    return report


def _filename(report: Report, extension: str) -> str:
    return f"diary-report-{report.patient.id}-{report.end.isoformat()}.{extension}"


RENDERED_TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}


def _rendered_headers(report: Report, representation: str) -> dict[str, str]:
    if representation == "html":
        return HTML_HEADERS
    return {"Content-Disposition": f'attachment; filename="{_filename(report, "pdf")}"',
            "X-Content-Type-Options": "nosniff"}


def _answer(report: Report, representation: str) -> Response:
    if representation == "csv":
        # A byte-order mark makes spreadsheets read the file as UTF-8.
        return Response("\ufeff" + report_to_csv(report), mimetype="text/csv", headers={
            "Content-Disposition": f'attachment; filename="{_filename(report, "csv")}"'})
    if representation in ("html", "pdf") and request.method == "HEAD":
        # Same status and headers, without drawing charts and printing pages for a body
        # that is never sent (a PDF of a long diary takes seconds).
        # An iterable body: no Content-Length (the GET's is unknown here; never this body's 0).
        return Response(iter(()), content_type=RENDERED_TYPES[representation],
                        headers=_rendered_headers(report, representation))
    if representation in ("html", "pdf"):
        # Imported on first use: matplotlib and WeasyPrint take a second or two to import,
        # which the CLI, the scheduler and every other endpoint need not pay.
        from diary.reports.render.html import report_to_html
        from diary.reports.render.pdf import html_to_pdf

        # Layout allocates heavily; the paused collector saves about a third of the time.
        with paused_gc():
            page = report_to_html(report)
            body = page if representation == "html" else html_to_pdf(page)
        return Response(body, content_type=RENDERED_TYPES[representation],
                        headers=_rendered_headers(report, representation))
    return jsonify(report_to_dict(report))


@blp.route("/me/report")
@blp.arguments(ReportArgs, location="query")
@blp.response(200, ReportSchema)
@blp.doc(responses=NEGOTIATED_DOC)
@problems(403, 406)
def my_report(args):
    """The caller's own report (patients); `Accept` picks JSON, CSV, HTML or PDF"""
    return _answer(_build(require_patient(), args), _negotiated())


@blp.route("/me/report.csv")
@blp.arguments(ReportArgs, location="query")
@blp.doc(responses={"200": CSV_DOC})
@problems(403)
def my_report_csv(args):
    """The caller's own report as CSV"""
    return _answer(_build(require_patient(), args), "csv")


@blp.route("/patients/<uuid:patient_id>/report")
@blp.arguments(ReportArgs, location="query")
@blp.response(200, ReportSchema)
@blp.doc(responses=NEGOTIATED_DOC)
@problems(404, 406)
def patient_report(args, patient_id: uuid.UUID):
    """A linked patient's report (clinicians; the patient too); `Accept` picks the format"""
    representation = _negotiated()
    return _answer(_build_audited(get_visible_patient_or_404(patient_id), args, representation),
                   representation)


@blp.route("/patients/<uuid:patient_id>/report.csv")
@blp.arguments(ReportArgs, location="query")
@blp.doc(responses={"200": CSV_DOC})
@problems(404)
def patient_report_csv(args, patient_id: uuid.UUID):
    """A linked patient's report as CSV"""
    return _answer(_build_audited(get_visible_patient_or_404(patient_id), args, "csv"), "csv")


@blp.route("/me/report.html")
@blp.arguments(ReportArgs, location="query")
@blp.doc(responses={"200": HTML_DOC})
@problems(403)
def my_report_html(args):
    """The caller's own report as a web page"""
    return _answer(_build(require_patient(), args), "html")


@blp.route("/me/report.pdf")
@blp.arguments(ReportArgs, location="query")
@blp.doc(responses={"200": PDF_DOC})
@problems(403)
def my_report_pdf(args):
    """The caller's own report as PDF"""
    return _answer(_build(require_patient(), args), "pdf")


@blp.route("/patients/<uuid:patient_id>/report.html")
@blp.arguments(ReportArgs, location="query")
@blp.doc(responses={"200": HTML_DOC})
@problems(404)
def patient_report_html(args, patient_id: uuid.UUID):
    """A linked patient's report as a web page (clinicians)"""
    return _answer(_build_audited(get_visible_patient_or_404(patient_id), args, "html"), "html")


@blp.route("/patients/<uuid:patient_id>/report.pdf")
@blp.arguments(ReportArgs, location="query")
@blp.doc(responses={"200": PDF_DOC})
@problems(404)
def patient_report_pdf(args, patient_id: uuid.UUID):
    """A linked patient's report as PDF (clinicians)"""
    return _answer(_build_audited(get_visible_patient_or_404(patient_id), args, "pdf"), "pdf")
