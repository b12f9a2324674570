"""Benchmark: the JSON report of a patient with 10 years of daily diary.

Builds (in a temporary SQLite file, or in DIARY_BENCH_DATABASE_URL) one patient with about
3,650 days, 3,000+ episodes (many with a medicine) and 40 treatments, then prints:
- the median server time of GET /api/v1/patients/{id}/report (through the WSGI app),
- the number of SQL statements one report runs,
- the median time of just reading the same rows with plain SQL (no ORM, no records),
- the median time of the pure engine (build_report) and of rendering to JSON;
- the HTML page and the PDF of the same report: whole requests (GET .html, .pdf), and the
  parts (the two SVG charts, the page, WeasyPrint), with the PDF's pages and size.

Run: .venv/bin/python bench/bench_report.py [--repeat 15]
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, text  # noqa: E402

from diary import create_app  # noqa: E402
from diary.config import TEST_SETTINGS  # noqa: E402
from diary.extensions import db  # noqa: E402
from diary.models import Base, DiaryDay, Episode, MedicationIntake, Treatment, User  # noqa: E402
from diary.performance import paused_gc  # noqa: E402
from diary.reports import build_report  # noqa: E402
from diary.reports.queries import load_report_input  # noqa: E402
from diary.reports.render.charts import cycles_chart, monthly_chart  # noqa: E402
from diary.reports.render.html import report_to_html  # noqa: E402
from diary.reports.render.json import report_to_dict  # noqa: E402
from diary.reports.render.pdf import html_to_pdf  # noqa: E402
from diary.services.tokens import issue_tokens  # noqa: E402

DAYS = 3650
LONDON = ZoneInfo("Europe/London")


def build_patient(today: date) -> User:
    rng = random.Random(42)
    patient = User(email="bench@example.org", password_hash="x", role="patient",
                   display_name="Bench Patient", timezone="Europe/London")
    db.session.add(patient)
    db.session.flush()
    first = today - timedelta(days=DAYS - 1)
    rows: list = [Treatment(patient_id=patient.id, administered_on=first + timedelta(days=28 + 84 * k))
                  for k in range(40)]
    for offset in range(DAYS):
        day = first + timedelta(days=offset)
        if rng.random() < 0.85:
            start = datetime(day.year, day.month, day.day, rng.randint(0, 20), 0, tzinfo=LONDON)
            episode = Episode(patient_id=patient.id, started_at=start,
                              ended_at=start + timedelta(hours=rng.choice((1, 3, 5, 8, 30))),
                              timezone="Europe/London", peak_severity=rng.randint(1, 3),
                              nausea=rng.random() < .5, unilateral=rng.random() < .5)
            if rng.random() < 0.6:
                episode.medications = [MedicationIntake(
                    name="sumatriptan", drug_class=rng.choice(("triptan", "nsaid")), dose_mg=50,
                    taken_at=start + timedelta(minutes=30))]
            rows.append(episode)
        elif rng.random() < 0.9:
            rows.append(DiaryDay(patient_id=patient.id, date=day, headache_free=True))
    db.session.add_all(rows)
    db.session.commit()
    return patient


RAW_READ = [
    "SELECT e.id, e.started_at, e.ended_at, e.timezone, e.peak_severity, e.aura, e.unilateral, "
    "e.pulsating, e.worse_with_activity, e.nausea, e.vomiting, e.photophobia, e.phonophobia, "
    "m.taken_at, m.drug_class, m.name, m.dose_mg FROM episodes e LEFT JOIN medication_intakes m "
    "ON m.episode_id = e.id WHERE e.patient_id = :p AND e.deleted_at IS NULL",
    "SELECT date, headache_free FROM diary_days WHERE patient_id = :p AND deleted_at IS NULL",
    "SELECT id, administered_on, product FROM treatments WHERE patient_id = :p AND deleted_at IS NULL",
]


def timed_ms(fn, repeat: int) -> tuple[float, float]:
    """Median and fastest of ``repeat`` runs after a warm-up (this kind of VM swings a lot:
    the fastest run is the steadier figure to compare)."""
    fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--pdf-repeat", type=int, default=5, help="runs of the PDF timings")
    args = parser.parse_args()
    url = os.environ.get("DIARY_BENCH_DATABASE_URL")
    tmp = tempfile.TemporaryDirectory()
    url = url or f"sqlite:///{tmp.name}/bench.sqlite3"
    app = create_app({**TEST_SETTINGS, "SQLALCHEMY_DATABASE_URI": url})
    today = datetime.now(timezone.utc).astimezone(LONDON).date()
    with app.app_context():
        Base.metadata.drop_all(db.engine)
        Base.metadata.create_all(db.engine)
        patient = build_patient(today)
        token = issue_tokens(patient).access_token
        db.session.commit()
        counts = {name: db.session.scalar(text(f"SELECT count(*) FROM {name}"))
                  for name in ("episodes", "medication_intakes", "diary_days", "treatments")}
        pid = patient.id

        def raw_read():
            with db.engine.connect() as conn:
                for sql in RAW_READ:
                    conn.execute(text(sql), {"p": pid.hex if url.startswith("sqlite") else pid}).fetchall()

        statements = []
        event.listen(db.engine, "before_cursor_execute",
                     lambda *a, **k: statements.append(a[2]))
        client = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}
        path = f"/api/v1/patients/{pid}/report"
        assert client.get(path, headers=headers).status_code == 200
        statements.clear()
        client.get(path, headers=headers)
        per_request = len(statements)
        report_ms = timed_ms(lambda: client.get(path, headers=headers), args.repeat)
        floor_ms = timed_ms(raw_read, args.repeat)
        inp = load_report_input(db.session, db.session.get(User, pid), now=datetime.now(timezone.utc))
        load_ms = timed_ms(lambda: load_report_input(db.session, db.session.get(User, pid),
                                                     now=datetime.now(timezone.utc)), args.repeat)
        engine_ms = timed_ms(lambda: build_report(inp), args.repeat)
        report = build_report(inp)
        render_ms = timed_ms(lambda: report_to_dict(report), args.repeat)

        html_request_ms = timed_ms(lambda: client.get(path + ".html", headers=headers), args.pdf_repeat)
        pdf_response = client.get(path + ".pdf", headers=headers)
        pdf_request_ms = timed_ms(lambda: client.get(path + ".pdf", headers=headers), args.pdf_repeat)
        charts_ms = timed_ms(lambda: (monthly_chart(report), cycles_chart(report)), args.pdf_repeat)
        page = report_to_html(report)
        page_ms = timed_ms(lambda: report_to_html(report), args.pdf_repeat)
        with paused_gc():
            weasy_ms = timed_ms(lambda: html_to_pdf(page), args.pdf_repeat)
        pages = subprocess.run(["pdfinfo", "-"], input=pdf_response.data, capture_output=True,
                               text=False).stdout.decode().split("Pages:")[-1].split()[0] \
            if shutil.which("pdfinfo") else "?"

    def fmt(t: tuple[float, float]) -> str:
        return f"median {t[0]:.1f} ms (fastest {t[1]:.1f} ms)"

    print(f"database: {url.split(':')[0]}; rows: {counts}")
    print(f"report (GET, JSON, whole request): {fmt(report_ms)}; "
          f"SQL statements per request: {per_request}")
    print(f"read floor (same rows, plain SQL): {fmt(floor_ms)}; "
          f"ratio report/floor: {report_ms[0] / floor_ms[0]:.1f} (fastest {report_ms[1] / floor_ms[1]:.1f})")
    print(f"  parts: load records {fmt(load_ms)}; engine {fmt(engine_ms)}; "
          f"render JSON {fmt(render_ms)}")
    print(f"report as HTML (GET .html, whole request): {fmt(html_request_ms)}")
    print(f"report as PDF (GET .pdf, whole request): {fmt(pdf_request_ms)}; "
          f"{pages} pages, {len(pdf_response.data) / 1024:.0f} KiB")
    print(f"  parts: two SVG charts {fmt(charts_ms)}; HTML page with the charts {fmt(page_ms)}; "
          f"WeasyPrint HTML to PDF {fmt(weasy_ms)}")


if __name__ == "__main__":
    main()
