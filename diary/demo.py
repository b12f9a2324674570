"""Demo data: a clinician and realistic synthetic patients, so reports can be seen at once.

Every diary is generated from a fixed seed, relative to today: about 13 months with a 28-day
baseline, several 12-week cycles, and one story each (responder, non-responder, wearing-off,
medication overuse, gaps in the diary, a patient in Sydney).
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from diary.extensions import db
from diary.models import CareLink, DiaryDay, Episode, MedicationIntake, Treatment, User
from diary.services.accounts import create_user

DEMO_PASSWORD = "diary-demo-password"
CLINICIAN_EMAIL = "clinician@demo.diary.example"
HISTORY_DAYS = 400


@dataclass(frozen=True)
class Story:
    email: str
    name: str
    timezone: str
    baseline_rate: float      # chance of a headache on a day before the first treatment
    treated_rate: float       # ... after it (days 1-56 of a cycle)
    late_rate: float          # ... in days 57-84 of a cycle (wearing off when higher)
    record_rate: float        # chance that a day is filled in
    triptan_rate: float       # chance that a headache is treated with a triptan
    recent_triptan_rate: float | None = None  # in the last 90 days (medication overuse)


STORIES = (
    Story("alice@demo.diary.example", "Alice Responder", "Europe/London", .82, .28, .30, .97, .5),
    Story("bob@demo.diary.example", "Bob Non-responder", "Europe/London", .80, .72, .74, .95, .4),
    Story("carla@demo.diary.example", "Carla Wearing-off", "Europe/Dublin", .80, .25, .62, .96, .4),
    Story("dev@demo.diary.example", "Dev Overuse", "Europe/London", .85, .60, .60, .96, .5, .95),
    Story("eve@demo.diary.example", "Eve Gaps", "America/New_York", .78, .40, .40, .55, .3),
    Story("finn@demo.diary.example", "Finn Sydney", "Australia/Sydney", .80, .35, .38, .93, .4),
)


def _rate(story: Story, day: date, treatments: list[date], today: date) -> float:
    if not treatments or day < treatments[0]:
        return story.baseline_rate
    last = max(t for t in treatments if t <= day)
    return story.late_rate if (day - last).days >= 56 else story.treated_rate


def _episode(rng: random.Random, patient: User, day: date, triptan_rate: float) -> Episode:
    tz = ZoneInfo(patient.timezone)
    hour = rng.randint(5, 16)
    start = datetime.combine(day, time(hour, rng.choice((0, 15, 30, 45))), tzinfo=tz)
    # Mostly within the day, so that a story's rate is its headache days; some cross midnight.
    hours = rng.choice((3, 4.5, 5, 6, 8, 10, 14, 20))
    if rng.random() < .9:
        hours = min(hours, 23 - hour)
    episode = Episode(
        patient_id=patient.id, started_at=start, ended_at=start + timedelta(hours=hours),
        timezone=patient.timezone, peak_severity=rng.choice((1, 2, 2, 3)),
        unilateral=rng.random() < .6, pulsating=rng.random() < .6, nausea=rng.random() < .5,
        photophobia=rng.random() < .7, phonophobia=rng.random() < .5, aura=rng.random() < .1,
        worse_with_activity=rng.random() < .5,
        triggers=rng.sample(["sleep", "stress", "alcohol", "weather", "menses", "screen"], 1),
    )
    taken = start + timedelta(minutes=rng.randint(15, 90))
    if rng.random() < triptan_rate:
        episode.medications.append(MedicationIntake(name="sumatriptan", drug_class="triptan",
                                                    dose_mg=50, taken_at=taken, position=0))
    elif rng.random() < .4:
        episode.medications.append(MedicationIntake(name="ibuprofen", drug_class="nsaid",
                                                    dose_mg=400, taken_at=taken, position=0))
    return episode


def _create_patient(story: Story, today: date, clinician: User, seed: int) -> User:
    rng = random.Random(seed)
    patient = create_user(email=story.email, password=DEMO_PASSWORD, display_name=story.name,
                          timezone=story.timezone)
    first = today - timedelta(days=HISTORY_DAYS)
    treatments = [first + timedelta(days=28 + 84 * k) for k in range(5)]
    treatments[2] += timedelta(days=7)  # one injection a week late
    treatments = [t for t in treatments if t <= today]
    rows: list = [Treatment(patient_id=patient.id, administered_on=t, total_units=155,
                            injection_sites=31, recorded_by_id=clinician.id) for t in treatments]
    for offset in range(HISTORY_DAYS + 1):
        day = first + timedelta(days=offset)
        if rng.random() > story.record_rate:
            continue
        triptan_rate = story.triptan_rate
        if story.recent_triptan_rate is not None and (today - day).days < 90:
            triptan_rate = story.recent_triptan_rate
        if rng.random() < _rate(story, day, treatments, today):
            rows.append(_episode(rng, patient, day, triptan_rate))
        else:
            rows.append(DiaryDay(patient_id=patient.id, date=day, headache_free=True))
    for seq, row in enumerate(rows, start=1):
        row.change_seq = seq
    patient.change_seq = len(rows)
    db.session.add_all(rows)
    db.session.add(CareLink(patient_id=patient.id, clinician_id=clinician.id))
    db.session.flush()
    return patient


def create_demo_data(today: date) -> list[tuple[str, str, str]] | None:
    """Create the demo accounts and diaries; None when they exist already.

    Returns (role, name, email) of each account; the password is ``DEMO_PASSWORD``.
    """
    if db.session.scalar(select(User.id).where(User.email == CLINICIAN_EMAIL)) is not None:
        return None
    clinician = create_user(email=CLINICIAN_EMAIL, password=DEMO_PASSWORD,
                            display_name="Dr Demo Neurologist", timezone="Europe/London",
                            role="clinician")
    accounts = [("clinician", clinician.display_name, clinician.email)]
    for seed, story in enumerate(STORIES, start=1):
        patient = _create_patient(story, today, clinician, seed)
        accounts.append(("patient", patient.display_name, patient.email))
    return accounts
