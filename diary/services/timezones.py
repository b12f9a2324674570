"""The one place that knows IANA time zones and turns instants into local days."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


@lru_cache(maxsize=None)
def _known() -> frozenset[str]:
    return frozenset(available_timezones())


def is_valid_timezone(name: str) -> bool:
    """True for an IANA zone name such as ``Europe/London``."""
    if not isinstance(name, str) or not name or name not in _known():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local_date(instant: datetime, tz: str) -> date:
    """The calendar date of ``instant`` in time zone ``tz``."""
    return instant.astimezone(ZoneInfo(tz)).date()


def today_in(tz: str, now: datetime) -> date:
    return local_date(now, tz)


def day_bounds(day: date, tz: str) -> tuple[datetime, datetime]:
    """The instants (aware) where local ``day`` starts and the next local day starts."""
    z = ZoneInfo(tz)
    start = datetime.combine(day, time(0), tzinfo=z)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=z)
    return start, end
