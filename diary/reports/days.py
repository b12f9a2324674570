"""Per-day facts: the one place that turns episode instants into local calendar days."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from .records import EpisodeRecord, ReportInput, RULES

ONGOING_CAP = timedelta(hours=72)
PREEMPT_MIN_CONTINUOUS_US = 240 * 60 * 1_000_000
IHS_MIN_TOTAL_US = 30 * 60 * 1_000_000
MIGRAINE_MEDICATION_CLASSES = frozenset({"triptan", "ergot"})
_US = timedelta(microseconds=1)


@dataclass
class DayFact:
    """What happened on one local day (mutable while being collected)."""

    headache_us: int = 0
    longest_us: int = 0
    migraine_like: bool = False
    max_severity: int = 0
    classes: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class EpisodeSpan:
    """An episode's counted interval (ongoing ones capped) and where it is counted."""

    episode: EpisodeRecord
    start: datetime
    end: datetime
    zone: ZoneInfo
    ongoing: bool


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


def local_date(instant: datetime, tz: ZoneInfo) -> date:
    return instant.astimezone(tz).date()


def is_migraine_like(episode: EpisodeRecord) -> bool:
    """Aura, ICHD-3 criterion C (2 of 4) or criterion D: migraine or probable migraine."""
    f = episode.features
    if "aura" in f:
        return True
    c = sum(x in f for x in ("unilateral", "pulsating", "worse_with_activity"))
    if episode.peak_severity >= 2:
        c += 1
    if c >= 2:
        return True
    return "nausea" in f or "vomiting" in f or ("photophobia" in f and "phonophobia" in f)


def split_by_day(start: datetime, end: datetime, tz: ZoneInfo, last: date):
    """Yield (local date, µs inside that day) for [start, end), days after `last` dropped.

    A zero-length interval yields its start day with 0 µs, so it still records the day.
    """
    day = local_date(start, tz)
    if start >= end:
        if day <= last:
            yield day, 0
        return
    while day <= last:
        next_midnight = midnight(day + timedelta(days=1), tz)
        piece_end = min(end, next_midnight)
        lo = max(start, midnight(day, tz))
        if piece_end > lo:
            yield day, (piece_end - lo) // _US
        if end <= next_midnight:
            return
        day += timedelta(days=1)


def episode_spans(inp: ReportInput, now: datetime) -> list[EpisodeSpan]:
    """Counted intervals, sorted by start; an ongoing one stops at `now`, at most 72 h."""
    spans = []
    for ep in inp.episodes:
        tz = zone(ep.timezone or inp.patient.timezone)
        start = ep.started_at.astimezone(timezone.utc)
        if ep.ended_at is None:
            end = min(now, start + ONGOING_CAP)
        else:
            end = ep.ended_at.astimezone(timezone.utc)
        spans.append(EpisodeSpan(ep, start, max(end, start), tz, ep.ended_at is None))
    spans.sort(key=lambda s: (s.start, s.episode.id))
    return spans


def merged_groups(spans: list[EpisodeSpan]) -> list[list[EpisodeSpan]]:
    """Group overlapping or touching spans; each group is one continuous headache."""
    groups: list[list[EpisodeSpan]] = []
    group_end = None
    for span in spans:
        if groups and span.start <= group_end:
            groups[-1].append(span)
            group_end = max(group_end, span.end)
        else:
            groups.append([span])
            group_end = span.end
    return groups


def collect_day_facts(inp: ReportInput, now: datetime) -> DayFacts:
    """Compute every day's facts once; nothing later rescans the episodes."""
    now = now.astimezone(timezone.utc)
    last = inp.end
    days: dict[date, DayFact] = {}

    def fact(d: date) -> DayFact:
        f = days.get(d)
        if f is None:
            f = days[d] = DayFact()
        return f

    spans = episode_spans(inp, now)
    for group in merged_groups(spans):
        # A merged headache is split by the zone of its earliest-starting episode.
        tz = group[0].zone
        g_start, g_end = group[0].start, max(s.end for s in group)
        for d, us in split_by_day(g_start, g_end, tz, last):
            f = fact(d)
            f.headache_us += us
            f.longest_us = max(f.longest_us, us)
        for span in group:
            migraine = is_migraine_like(span.episode)
            for d, _ in split_by_day(span.start, span.end, tz, last):
                f = fact(d)
                f.migraine_like = f.migraine_like or migraine
                f.max_severity = max(f.max_severity, span.episode.peak_severity)

    ended, overdue = [], []
    for span in spans:
        for med in span.episode.medications:
            d = local_date(med.taken_at, span.zone)
            if d <= last:
                fact(d).classes.add(med.drug_class)
        start_day = local_date(span.start, span.zone)
        if start_day > last:
            continue
        if span.ongoing:
            if now - span.start > ONGOING_CAP:
                overdue.append(span.start.astimezone(span.zone))
        # An episode that ended after the report's last day was not over as of that day.
        elif span.end <= midnight(last + timedelta(days=1), span.zone):
            ended.append((start_day, (span.end - span.start) // _US))

    diary = frozenset(d.date for d in inp.diary_days if d.date <= last)
    return DayFacts(days, diary, tuple(ended), tuple(sorted(overdue)))


def is_headache_day(f: DayFact, rule: str) -> bool:
    """Whether a day is a headache day under `rule`."""
    if rule == "preempt":
        return f.longest_us >= PREEMPT_MIN_CONTINUOUS_US
    if rule == "ihs":
        return f.headache_us >= IHS_MIN_TOTAL_US or (f.headache_us > 0 and bool(f.classes))
    raise ValueError(f"unknown headache-day rule {rule!r}; expected one of {RULES}")
