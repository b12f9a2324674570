"""The rules a whole episode obeys (pure: no database), at their boundaries."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from diary.errors import Invalid
from diary.services.episodes import check_episode

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)


def content(start: datetime, end: datetime | None) -> dict:
    return {"started_at": start, "ended_at": end}


@pytest.mark.parametrize("start, end", [
    (NOW + timedelta(minutes=10), None),                    # just within the clock allowance
    (NOW - timedelta(days=14), NOW),                        # exactly 14 days
    (NOW, NOW),                                             # a moment
    (NOW - timedelta(days=30), None),                       # an old one still going on
])
def test_accepted(start, end):
    check_episode(content(start, end), now=NOW)


@pytest.mark.parametrize("start, end, field", [
    (NOW + timedelta(minutes=10, seconds=1), None, "started_at"),
    (NOW, NOW - timedelta(seconds=1), "ended_at"),
    (NOW - timedelta(days=14, seconds=1), NOW, "ended_at"),
])
def test_refused_naming_the_field(start, end, field):
    with pytest.raises(Invalid) as refused:
        check_episode(content(start, end), now=NOW)
    assert list(refused.value.errors) == [field]
