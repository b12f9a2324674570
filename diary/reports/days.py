"""Per-day facts: the one place that turns episode instants into local calendar days."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

from .records import EpisodeRecord, ReportInput, RULES

ONGOING_CAP = timedelta(hours=72)
PREEMPT_MIN_CONTINUOUS_US = 240 * 60 * 1_000_000
IHS_MIN_TOTAL_US = 30 * 60 * 1_000_000
MIGRAINE_MEDICATION_CLASSES = frozenset({"triptan", "ergot"})
_US = timedelta(microseconds=1)
_DAY = timedelta(days=1)
_UTC = timezone.utc
_CRITERION_C = frozenset({"unilateral", "pulsating", "worse_with_activity"})


@dataclass(slots=True)
class DayFact:
    """What happened on one local day (mutable while being collected)."""

    headache_us: int = 0
    longest_us: int = 0
    migraine_like: bool = False
    max_severity: int = 0
    classes: set[str] = field(default_factory=set)


class Span(NamedTuple):
    """An episode's counted UTC interval (ongoing ones capped) and where it is counted."""

    start: datetime
    id: str
    n: int  # position in the input: makes the sort order total
    end: datetime
    zone: ZoneInfo
    day: date  # local date of the start
    episode: EpisodeRecord


@dataclass(frozen=True)
class DayFacts:
    """Facts per recorded day up to the report's end, and ended episodes by start day."""

    days: dict[date, DayFact]
    diary_dates: frozenset[date]
    ended_episodes: tuple[tuple[date, int], ...]  # (local start date, duration in µs)
    overdue_starts: tuple[datetime, ...]  # local starts of episodes open > 72 h at `now`

    @property
    def recorded(self) -> frozenset[date]:
        return frozenset(self.days) | self.diary_dates


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


@lru_cache(maxsize=65536)
def midnight(day: date, tz: ZoneInfo) -> datetime:
    """The UTC instant local `day` begins in `tz` (a DST day is 23 or 25 h long).

    UTC, because Python subtracts and compares datetimes sharing one tzinfo by wall time.
    """
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(timezone.utc)


def is_migraine_like(episode: EpisodeRecord) -> bool:
    """Aura, ICHD-3 criterion C (2 of 4) or criterion D: migraine or probable migraine."""
    f = episode.features
    if "aura" in f or len(f & _CRITERION_C) + (episode.peak_severity >= 2) >= 2:
        return True
    return "nausea" in f or "vomiting" in f or ("photophobia" in f and "phonophobia" in f)


def _utc(instant: datetime) -> datetime:
    return instant if instant.tzinfo is _UTC else instant.astimezone(_UTC)


def split_by_day(
    start: datetime, end: datetime, tz: ZoneInfo, last: date, day: date | None = None
) -> list[tuple[date, int]]:
    """(local date, µs inside that day) for UTC [start, end), days after `last` dropped.

    `day` is the local date of `start` when already known. A zero-length interval gives
    its start day with 0 µs, so it still records the day.
    """
    if day is None:
        day = start.astimezone(tz).date()
    if day > last:
        return []
    if end <= start:
        return [(day, 0)]
    if end <= midnight(day + _DAY, tz):  # the usual case: within one local day
        return [(day, (end - start) // _US)]
    pieces = []
    while day <= last:
        next_midnight = midnight(day + _DAY, tz)
        lo = max(start, midnight(day, tz))
        piece_end = min(end, next_midnight)
        if piece_end > lo:
            pieces.append((day, (piece_end - lo) // _US))
        if end <= next_midnight:
            break
        day += _DAY
    return pieces


_new_span = tuple.__new__


def episode_spans(inp: ReportInput, now: datetime) -> list[Span]:
    """Counted UTC intervals, sorted by start; an ongoing one stops at `now`, at most 72 h."""
    spans = []
    default_tz = inp.patient.timezone
    for n, ep in enumerate(inp.episodes):
        tz = zone(ep.timezone or default_tz)
        start = ep.started_at
        if start.tzinfo is not _UTC:
            start = start.astimezone(_UTC)
        if ep.ended_at is None:
            end = start + ONGOING_CAP
            if now < end:
                end = now
        else:
            end = ep.ended_at
            if end.tzinfo is not _UTC:
                end = end.astimezone(_UTC)
        if end < start:
            end = start
        # tuple.__new__ skips NamedTuple's slower Python-level constructor (hot loop).
        spans.append(_new_span(Span, (start, ep.id, n, end, tz, start.astimezone(tz).date(), ep)))
    spans.sort()  # by start, then id; n keeps the order total
    return spans


def collect_day_facts(inp: ReportInput, now: datetime) -> DayFacts:
    """Compute every day's facts once, in one pass over the sorted episodes."""
    now = _utc(now)
    last = inp.end
    days: dict[date, DayFact] = {}
    get = days.get
    ended: list[tuple[date, int]] = []
    overdue: list[datetime] = []
    after_last: dict[ZoneInfo, datetime] = {}
    migraine_like: dict[tuple[frozenset[str], int], bool] = {}

    def add_group(members: list[Span], g_end: datetime) -> None:
        # A merged headache is split into days by the zone of its earliest-starting episode.
        g_start, _, _, _, tz, g_day, first = members[0]
        if g_day > last:
            return
        if g_start < g_end <= midnight(g_day + _DAY, tz):  # the usual case: within one day
            pieces = [(g_day, (g_end - g_start) // _US)]
        else:
            pieces = split_by_day(g_start, g_end, tz, last, g_day)
        for d, us in pieces:
            f = get(d)
            if f is None:
                f = days[d] = DayFact()
            f.headache_us += us
            if us > f.longest_us:
                f.longest_us = us
        for start, _, _, end, span_tz, day, ep in members:
            key = (ep.features, ep.peak_severity)
            migraine = migraine_like.get(key)
            if migraine is None:
                migraine = migraine_like[key] = is_migraine_like(ep)
            if len(members) > 1:
                pieces = split_by_day(start, end, tz, last, day if span_tz is tz else None)
            for d, _ in pieces:
                f = get(d)  # missing only for an instant-long episode at the group's end
                if f is None:
                    f = days[d] = DayFact()
                if migraine:
                    f.migraine_like = True
                if ep.peak_severity > f.max_severity:
                    f.max_severity = ep.peak_severity

    members: list[Span] = []
    group_end = None
    for span in episode_spans(inp, now):
        start, _, _, end, tz, day, ep = span
        if members and start <= group_end:
            members.append(span)
            if end > group_end:
                group_end = end
        else:
            if members:
                add_group(members, group_end)
            members, group_end = [span], end
        if ep.medications:
            day_end = midnight(day + _DAY, tz)
            for med in ep.medications:
                taken = _utc(med.taken_at)
                d = day if start <= taken < day_end else taken.astimezone(tz).date()
                if d <= last:
                    f = get(d)
                    if f is None:
                        f = days[d] = DayFact()
                    f.classes.add(med.drug_class)
        if day > last:
            continue
        if ep.ended_at is None:
            if now - start > ONGOING_CAP:
                overdue.append(start.astimezone(tz))
            continue
        limit = after_last.get(tz)
        if limit is None:
            limit = after_last[tz] = midnight(last + _DAY, tz)
        # An episode that ended after the report's last day was not over as of that day.
        if end <= limit:
            ended.append((day, (end - start) // _US))
    if members:
        add_group(members, group_end)

    diary = frozenset(d.date for d in inp.diary_days if d.date <= last)
    return DayFacts(days, diary, tuple(ended), tuple(sorted(overdue)))


def is_headache_day(f: DayFact, rule: str) -> bool:
    """Whether a day is a headache day under `rule`."""
    if rule == "preempt":
        return f.longest_us >= PREEMPT_MIN_CONTINUOUS_US
    if rule == "ihs":
        return f.headache_us >= IHS_MIN_TOTAL_US or (f.headache_us > 0 and bool(f.classes))
    raise ValueError(f"unknown headache-day rule {rule!r}; expected one of {RULES}")
