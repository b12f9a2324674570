"""Print the median time of build_report (and summarise) on ten years of synthetic diary."""

from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from diary.reports import (  # noqa: E402
    DiaryDayRecord,
    EpisodeRecord,
    MedicationRecord,
    PatientRecord,
    ReportInput,
    TreatmentRecord,
    build_report,
    summarise,
)
from diary.reports.render import report_to_csv, report_to_dict  # noqa: E402

CLASSES = ["triptan", "nsaid", "simple_analgesic", "opioid", "other"]
FEATURES = ["aura", "unilateral", "pulsating", "nausea", "photophobia", "phonophobia"]


def synthetic_input(years: int = 10, seed: int = 1) -> ReportInput:
    rng = random.Random(seed)
    tz = ZoneInfo("Europe/London")
    first = date(2016, 1, 1)
    days = years * 365
    episodes, diary = [], []
    for i in range(days):
        d = first + timedelta(days=i)
        if rng.random() < 0.9:
            diary.append(DiaryDayRecord(d, rng.random() < 0.5))
        if rng.random() < 0.85:
            start = datetime(d.year, d.month, d.day, rng.randrange(24), rng.randrange(60), tzinfo=tz)
            end = start + timedelta(minutes=rng.randrange(30, 14 * 60))
            # The database layer hands over UTC instants.
            meds = tuple(
                MedicationRecord(
                    (start + timedelta(minutes=30 * k)).astimezone(timezone.utc),
                    rng.choice(CLASSES),
                )
                for k in range(rng.randrange(3))
            )
            episodes.append(
                EpisodeRecord(
                    id=f"ep-{i}",
                    started_at=start.astimezone(timezone.utc),
                    ended_at=end.astimezone(timezone.utc),
                    timezone="Europe/London",
                    peak_severity=rng.randrange(1, 4),
                    features=frozenset(rng.sample(FEATURES, rng.randrange(4))),
                    medications=meds,
                )
            )
    treatments = tuple(
        TreatmentRecord(f"tr-{k}", first + timedelta(days=28 + 90 * k)) for k in range(40)
    )
    end = first + timedelta(days=days - 1)
    return ReportInput(
        patient=PatientRecord("p-1", "Bench Patient", "Europe/London"),
        episodes=tuple(episodes),
        diary_days=tuple(diary),
        treatments=treatments,
        start=None,
        end=end,
        now=datetime(end.year, end.month, end.day, 20, tzinfo=timezone.utc),
    )


def timing(fn, repeat: int = 25) -> str:
    """Median wall and CPU time of `fn` in ms (CPU time is less hurt by a busy machine)."""
    wall, cpu = [], []
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - w0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return (
        f"median {statistics.median(wall):6.1f} ms wall, {statistics.median(cpu):6.1f} ms CPU"
        f"  (fastest {min(wall):.1f} ms wall)"
    )


def _reference_loop() -> None:
    total = 0
    for i in range(1_000_000):
        total += i


def main() -> None:
    # How fast this machine runs plain Python now (about 30-40 ms on a quiet laptop).
    print(f"reference loop  {timing(_reference_loop, repeat=5)}  (1M additions)")
    inp = synthetic_input()
    report = build_report(inp)
    print(
        f"input: {len(inp.episodes)} episodes, {len(inp.diary_days)} diary days, "
        f"{len(inp.treatments)} treatments, {(inp.end - report.start).days + 1} days"
    )
    print(f"build_report    {timing(lambda: build_report(inp))}")
    print(f"summarise       {timing(lambda: summarise(inp))}")
    print(f"report_to_dict  {timing(lambda: report_to_dict(report))}")
    print(f"report_to_csv   {timing(lambda: report_to_csv(report))}")


if __name__ == "__main__":
    main()
