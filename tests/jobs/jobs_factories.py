"""Clocks for the jobs' tests: local wall times as aware UTC instants."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

LONDON, SYDNEY, LOS_ANGELES = "Europe/London", "Australia/Sydney", "America/Los_Angeles"


def local(wall: str, tz: str) -> datetime:
    """A local wall time (``2026-03-01 20:00``) in ``tz`` as an aware UTC instant (fold=0)."""
    return datetime.fromisoformat(wall).replace(tzinfo=ZoneInfo(tz)).astimezone(timezone.utc)


def utc(wall: str) -> datetime:
    return datetime.fromisoformat(wall).replace(tzinfo=timezone.utc)
