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


@dataclass(slots=True)
class EpisodeSpan:
    """An episode's counted interval (ongoing ones capped) and where it is counted."""

    episode: EpisodeRecord
    start: datetime
    end: datetime
    zone: ZoneInfo
    ongoing: bool
    day: date  # local date of the start


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


def episode_spans(inp: ReportInput, now: datetime) -> list[EpisodeSpan]:
    """Counted UTC intervals, sorted by start; an ongoing one stops at `now`, at most 72 h."""
    spans = []
    default_tz = inp.patient.timezone
    for ep in inp.episodes:
        tz = zone(ep.timezone or default_tz)
        start = _utc(ep.started_at)
        end = min(now, start + ONGOING_CAP) if ep.ended_at is None else _utc(ep.ended_at)
        day = start.astimezone(tz).date()
        spans.append(EpisodeSpan(ep, start, end if end > start else start, tz, ep.ended_at is None, day))
    spans.sort(key=lambda s: (s.start, s.episode.id))
    return spans


def merged_groups(spans: list[EpisodeSpan]) -> list[tuple[list[EpisodeSpan], datetime]]:
    """Group overlapping or touching spans (one continuous headache each), with its end."""
    groups: list[tuple[list[EpisodeSpan], datetime]] = []
    members: list[EpisodeSpan] = []
    group_end = None
    for span in spans:
        if members and span.start <= group_end:
            members.append(span)
            if span.end > group_end:
                group_end = span.end
        else:
            if members:
                groups.append((members, group_end))
            members, group_end = [span], span.end
    if members:
        groups.append((members, group_end))
    return groups


def collect_day_facts(inp: ReportInput, now: datetime) -> DayFacts:
    """Compute every day's facts once; nothing later rescans the episodes."""
    now = _utc(now)
    last = inp.end
    days: dict[date, DayFact] = {}

    spans = episode_spans(inp, now)
    for members, g_end in merged_groups(spans):
        # A merged headache is split into days by the zone of its earliest-starting episode.
        first = members[0]
        tz = first.zone
        pieces = split_by_day(first.start, g_end, tz, last, first.day)
        for d, us in pieces:
            f = days.get(d)
            if f is None:
                f = days[d] = DayFact()
            f.headache_us += us
            if us > f.longest_us:
                f.longest_us = us
        for span in members:
            ep = span.episode
            migraine = is_migraine_like(ep)
            if len(members) == 1:
                own = pieces
            else:
                own = split_by_day(span.start, span.end, tz, last, span.day if span.zone is tz else None)
            for d, _ in own:
                f = days[d]
                f.migraine_like = f.migraine_like or migraine
                if ep.peak_severity > f.max_severity:
                    f.max_severity = ep.peak_severity

    ended, overdue = [], []
    for span in spans:
        tz, day = span.zone, span.day
        if span.episode.medications:
            day_end = midnight(day + _DAY, tz)
            for med in span.episode.medications:
                taken = _utc(med.taken_at)
                d = day if span.start <= taken < day_end else taken.astimezone(tz).date()
                if d <= last:
                    f = days.get(d)
                    if f is None:
                        f = days[d] = DayFact()
                    f.classes.add(med.drug_class)
        if day > last:
            continue
        if span.ongoing:
            if now - span.start > ONGOING_CAP:
                overdue.append(span.start.astimezone(tz))
        # An episode that ended after the report's last day was not over as of that day.
        elif span.end <= midnight(last + _DAY, tz):
            ended.append((day, (span.end - span.start) // _US))

    diary = frozenset(d.date for d in inp.diary_days if d.date <= last)
    return DayFacts(days, diary, tuple(ended), tuple(sorted(overdue)))


def is_headache_day(f: DayFact, rule: str) -> bool:
    """Whether a day is a headache day under `rule`."""
    if rule == "preempt":
        return f.longest_us >= PREEMPT_MIN_CONTINUOUS_US
    if rule == "ihs":
        return f.headache_us >= IHS_MIN_TOTAL_US or (f.headache_us > 0 and bool(f.classes))
    raise ValueError(f"unknown headache-day rule {rule!r}; expected one of {RULES}")
