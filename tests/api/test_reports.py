"""Report endpoints: JSON, CSV, HTML and PDF, query validation, access for every actor."""
from __future__ import annotations

import csv
import io
import re
import zlib
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from diary.extensions import db
from diary.models import DiaryDay, Episode, MedicationIntake, Treatment

LONDON = ZoneInfo("Europe/London")
D1 = date(2026, 3, 2)


def _add_diary(app, patient, *, headache_dates, recorded_dates, hours=5, severity=2, triptan=False):
    """Headache episodes of ``hours`` from 09:00 London on ``headache_dates``; headache-free diary
    days on the other ``recorded_dates``."""
    with app.app_context():
        for day in recorded_dates:
            if day in headache_dates:
                start = datetime.combine(day, time(9), tzinfo=LONDON)
                episode = Episode(patient_id=patient.id, started_at=start,
                                  ended_at=start + timedelta(hours=hours), timezone="Europe/London",
                                  peak_severity=severity, nausea=True)
                if triptan:
                    episode.medications = [MedicationIntake(name="sumatriptan", drug_class="triptan",
                                                            dose_mg=50, taken_at=start + timedelta(hours=1))]
                db.session.add(episode)
            else:
                db.session.add(DiaryDay(patient_id=patient.id, date=day, headache_free=True))
        db.session.commit()


def _add_treatment(app, patient, on: date) -> str:
    with app.app_context():
        treatment = Treatment(patient_id=patient.id, administered_on=on)
        db.session.add(treatment)
        db.session.commit()
        return str(treatment.id)


def _days(start: date, n: int) -> list[date]:
    return [start + timedelta(days=i) for i in range(n)]


@pytest.fixture
def responder(app, patient):
    """Baseline: 14 headache days of 28; cycle 1's first 28 days: 7 headache days."""
    baseline = _days(D1 - timedelta(days=28), 28)
    after = _days(D1, 28)
    _add_diary(app, patient, recorded_dates=baseline + after,
               headache_dates=set(baseline[::2]) | set(after[::4]))
    treatment_id = _add_treatment(app, patient, D1)
    return patient, treatment_id


def test_report_json_follows_the_contract(client, auth_headers, responder):
    patient, treatment_id = responder
    response = client.get(f"/api/v1/patients/{patient.id}/report?to={D1 + timedelta(days=27)}",
                          headers=auth_headers(patient))
    assert response.status_code == 200, response.get_data(as_text=True)
    report = response.get_json()
    assert report["patient"] == {"id": str(patient.id), "display_name": patient.display_name,
                                 "timezone": "Europe/London"}
    assert report["definitions"]["headache_day_rule"] == "preempt"
    assert report["definitions"]["period_days"] == 28
    baseline = report["baseline"]
    assert (baseline["start"], baseline["end"]) == (str(D1 - timedelta(days=28)), str(D1 - timedelta(days=1)))
    assert baseline["headache_days"] == 14 and baseline["days_recorded"] == 28
    assert baseline["headache_days_per_28d"] == 14.0
    assert baseline["headache_hours"] == 70.0 and baseline["mean_episode_hours"] == 5.0
    [cycle] = report["cycles"]
    assert cycle["number"] == 1 and cycle["treatment_id"] == treatment_id
    assert cycle["administered_on"] == str(D1) and cycle["complete"] is False
    assert cycle["after"]["headache_days"] == 7
    assert cycle["change_from_baseline"] == {"headache_days_per_28d": -7.0, "percent": -50.0}
    assert cycle["responder_50"] is True and cycle["responder_30"] is True
    assert [m["month"] for m in report["months"]] == ["2026-02", "2026-03"]
    assert report["alerts"] == []  # complete diary, responding, not yet due


def test_my_report_is_the_same_report(client, auth_headers, responder):
    patient, _ = responder
    headers = auth_headers(patient)
    mine = client.get("/api/v1/me/report?to=2026-03-29", headers=headers).get_json()
    theirs = client.get(f"/api/v1/patients/{patient.id}/report?to=2026-03-29", headers=headers).get_json()
    mine.pop("generated_at"), theirs.pop("generated_at")
    assert mine == theirs


def test_ihs_rule_counts_short_treated_headaches(app, client, auth_headers, patient):
    _add_diary(app, patient, recorded_dates=_days(date(2026, 1, 1), 10),
               headache_dates={date(2026, 1, 2)}, hours=1, triptan=True)
    headers = auth_headers(patient)
    preempt = client.get("/api/v1/me/report?to=2026-01-10", headers=headers).get_json()
    ihs = client.get("/api/v1/me/report?to=2026-01-10&rule=ihs", headers=headers).get_json()
    assert preempt["months"][0]["headache_days"] == 0
    assert ihs["months"][0]["headache_days"] == 1
    assert ihs["months"][0]["migraine_days"] == 1
    assert ihs["definitions"]["headache_day_rule"] == "ihs"


def _rows(response):
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_report_csv_by_suffix_has_one_row_per_period(client, auth_headers, responder):
    patient, _ = responder
    response = client.get(f"/api/v1/patients/{patient.id}/report.csv?to=2026-03-29",
                          headers=auth_headers(patient))
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = _rows(response)
    sections = [r["section"] for r in rows]
    assert sections == ["baseline", "cycle", "before", "cycle_period", "month", "month"]
    assert rows[0]["headache_days_per_28d"] == "14.0" and rows[0]["start"] == "2026-02-02"
    assert rows[1]["change_from_baseline_percent"] == "-50.0" and rows[1]["responder_50"] == "true"


def test_report_csv_by_accept_header(client, auth_headers, responder):
    patient, _ = responder
    response = client.get("/api/v1/me/report?to=2026-03-29",
                          headers={**auth_headers(patient), "Accept": "text/csv"})
    assert response.mimetype == "text/csv"
    assert _rows(response)[0]["section"] == "baseline"


@pytest.mark.parametrize("accept", ["image/png", "application/xml", "text/plain"])
def test_unsupported_representation_is_406(client, auth_headers, patient, problem, accept):
    response = client.get("/api/v1/me/report", headers={**auth_headers(patient), "Accept": accept})
    problem(response, 406)


@pytest.mark.parametrize("accept", ["*/*", "application/json, text/html;q=0.9", "application/*"])
def test_json_stays_the_default(client, auth_headers, patient, accept):
    response = client.get("/api/v1/me/report", headers={**auth_headers(patient), "Accept": accept})
    assert response.mimetype == "application/json"


# --- HTML and PDF --------------------------------------------------------------------------

def _check_html(response, display_name: str) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "style-src 'unsafe-inline'" in csp and "img-src data:" in csp
    assert "script-src" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    page = response.get_data(as_text=True)
    assert display_name in page and page.count("<svg ") == 2
    return page


def _pdf_pages(data: bytes) -> int:
    """Page objects of a PDF, its compressed object streams included."""
    text = data
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            text += zlib.decompress(stream[1])
        except zlib.error:
            pass
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", text))


def test_report_html_by_suffix_and_by_accept_are_the_same_page(client, auth_headers, responder):
    patient, _ = responder
    headers = auth_headers(patient)
    by_suffix = _check_html(client.get(f"/api/v1/patients/{patient.id}/report.html?to=2026-03-29",
                                       headers=headers), patient.display_name)
    by_accept = _check_html(client.get("/api/v1/me/report?to=2026-03-29", headers={
        **headers, "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}), patient.display_name)
    def generated(page):
        return re.sub(r"Generated: [^<]*", "", page)
    assert generated(by_suffix) == generated(by_accept)
    assert "-50.0%" in by_suffix and "<b>14.0</b>" in by_suffix  # as in the JSON


@pytest.mark.parametrize("suffix, mimetype", [(".pdf", "application/pdf"), (".html", "text/html")])
def test_head_answers_the_headers_without_rendering(client, auth_headers, responder, suffix, mimetype):
    patient, _ = responder
    response = client.head(f"/api/v1/me/report{suffix}?to=2026-03-29", headers=auth_headers(patient))
    assert response.status_code == 200 and response.mimetype == mimetype
    assert response.data == b"" and "Content-Length" not in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_my_report_html_by_suffix(client, auth_headers, responder):
    patient, _ = responder
    _check_html(client.get("/api/v1/me/report.html?to=2026-03-29", headers=auth_headers(patient)),
                patient.display_name)


def test_report_pdf_by_suffix_and_by_accept(client, auth_headers, responder):
    """Two PDFs only (about half a second each): one by suffix, one by Accept."""
    patient, _ = responder
    headers = auth_headers(patient)
    by_suffix = client.get("/api/v1/me/report.pdf?to=2026-03-29", headers=headers)
    by_accept = client.get(f"/api/v1/patients/{patient.id}/report?to=2026-03-29",
                           headers={**headers, "Accept": "application/pdf"})
    for response in (by_suffix, by_accept):
        assert response.status_code == 200
        assert response.mimetype == "application/pdf"
        assert response.headers["Content-Disposition"] == (
            f'attachment; filename="diary-report-{patient.id}-2026-03-29.pdf"')
        assert response.data.startswith(b"%PDF-")
        assert _pdf_pages(response.data) >= 1


@pytest.mark.parametrize("query, field", [
    ("from=2026-03-10&to=2026-03-01", "from"),
    ("to=2026-02-30", "to"),
    ("from=yesterday", "from"),
    ("rule=strict", "rule"),
])
def test_bad_query_values_are_422(client, auth_headers, patient, problem, query, field):
    body = problem(client.get(f"/api/v1/me/report?{query}", headers=auth_headers(patient)), 422)
    assert field in body["errors"]


def test_a_to_more_than_a_year_ahead_is_422(client, auth_headers, patient, problem):
    body = problem(client.get("/api/v1/me/report?to=2999-12-31", headers=auth_headers(patient)), 422)
    assert "to" in body["errors"]


def test_a_from_after_the_default_end_is_422(client, auth_headers, patient, problem):
    body = problem(client.get("/api/v1/me/report?from=2999-01-01", headers=auth_headers(patient)), 422)
    assert "from" in body["errors"]


def test_empty_diary_gives_an_empty_but_valid_report(client, auth_headers, patient):
    report = client.get("/api/v1/me/report", headers=auth_headers(patient)).get_json()
    assert report["baseline"] is None and report["cycles"] == []
    assert len(report["months"]) == 1
    assert [a["code"] for a in report["alerts"]] == ["insufficient_diary"]


# --- access --------------------------------------------------------------------------------

PATIENT_REPORT_STATUS = {"owner": 200, "linked_clinician": 200, "other_patient": 404,
                         "unlinked_clinician": 404, "withdrawn_clinician": 404, "anonymous": 401}


@pytest.mark.parametrize("suffix", ["", ".csv"])
@pytest.mark.parametrize("actor", list(PATIENT_REPORT_STATUS))
def test_patient_report_is_visible_only_to_the_patient_and_linked_clinicians(client, cast, actor, suffix):
    response = client.get(f"/api/v1/patients/{cast.owner.user.id}/report{suffix}",
                          headers=cast.actor(actor).headers)
    assert response.status_code == PATIENT_REPORT_STATUS[actor]
    if response.status_code == 404:
        assert response.mimetype == "application/problem+json"


def test_an_unknown_patient_id_is_404_like_a_hidden_one(client, cast):
    import uuid

    response = client.get(f"/api/v1/patients/{uuid.uuid4()}/report", headers=cast.linked_clinician.headers)
    assert response.status_code == 404


def test_a_clinician_id_is_not_a_patient_report(client, cast):
    response = client.get(f"/api/v1/patients/{cast.linked_clinician.user.id}/report",
                          headers=cast.linked_clinician.headers)
    assert response.status_code == 404


MY_REPORT_STATUS = {"owner": 200, "other_patient": 200, "linked_clinician": 403,
                    "unlinked_clinician": 403, "withdrawn_clinician": 403, "anonymous": 401}


@pytest.mark.parametrize("suffix", ["", ".csv"])
@pytest.mark.parametrize("actor", list(MY_REPORT_STATUS))
def test_my_report_is_for_patients_and_shows_only_their_own_data(client, cast, actor, suffix):
    response = client.get(f"/api/v1/me/report{suffix}", headers=cast.actor(actor).headers)
    assert response.status_code == MY_REPORT_STATUS[actor]
    if response.status_code == 200 and not suffix:
        assert response.get_json()["patient"]["id"] == str(cast.actor(actor).user.id)


def test_a_clinician_reading_a_report_is_audited_and_the_patient_is_not(app, client, cast):
    from sqlalchemy import select

    from diary.models import AuditEvent

    owner, clinician = cast.owner.user, cast.linked_clinician.user
    client.get(f"/api/v1/patients/{owner.id}/report.csv?to=2026-03-01", headers=cast.linked_clinician.headers)
    client.get(f"/api/v1/patients/{owner.id}/report.html?to=2026-03-02", headers=cast.linked_clinician.headers)
    client.get(f"/api/v1/patients/{owner.id}/report", headers=cast.owner.headers)
    client.get(f"/api/v1/patients/{owner.id}/report.html", headers=cast.owner.headers)
    client.get(f"/api/v1/patients/{owner.id}/report", headers=cast.other_patient.headers)
    client.get(f"/api/v1/patients/{owner.id}/report.html", headers=cast.other_patient.headers)
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "report.viewed")
                                    .order_by(AuditEvent.id)).all()
    assert [(e.actor_id, e.patient_id, e.data["format"], e.data["to"]) for e in events] == [
        (clinician.id, owner.id, "csv", "2026-03-01"), (clinician.id, owner.id, "html", "2026-03-02")]
