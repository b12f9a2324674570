"""``GET /patients``: the latest-28-days figure comes from the reports engine."""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from diary.extensions import db
from diary.models import DiaryDay, Episode

LONDON = ZoneInfo("Europe/London")


def test_summary_counts_headache_days_per_28_recorded_days_of_the_latest_28(app, client, cast):
    today = datetime.now(timezone.utc).astimezone(LONDON).date()
    owner = cast.owner.user
    with app.app_context():
        # 20 recorded days in the latest 28: 5 with a 5-hour headache, 15 headache-free.
        for offset in range(1, 21):
            day = today - timedelta(days=offset)
            if offset % 4 == 1:
                start = datetime.combine(day, time(1), tzinfo=LONDON)
                db.session.add(Episode(patient_id=owner.id, started_at=start,
                                       ended_at=start + timedelta(hours=5),
                                       timezone="Europe/London", peak_severity=2))
            else:
                db.session.add(DiaryDay(patient_id=owner.id, date=day, headache_free=True))
        # Older headaches do not count.
        old = datetime.combine(today - timedelta(days=40), time(1), tzinfo=LONDON)
        db.session.add(Episode(patient_id=owner.id, started_at=old, ended_at=old + timedelta(hours=9),
                               timezone="Europe/London", peak_severity=3))
        db.session.commit()
    items = client.get("/api/v1/patients", headers=cast.linked_clinician.headers).get_json()["items"]
    assert [i["summary"]["headache_days_per_28d"] for i in items] == [7.0]


def test_summary_figure_is_null_without_recorded_days(client, cast):
    items = client.get("/api/v1/patients", headers=cast.linked_clinician.headers).get_json()["items"]
    assert items[0]["summary"]["headache_days_per_28d"] is None
