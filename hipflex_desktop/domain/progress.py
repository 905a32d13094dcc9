"""Progress from the logged history: chart series, personal bests and the weekly target.

Every function here is a pure function of the entries and sessions it is given and
recomputes from them on each call. Nothing is cached between calls, so an edit, an
undo, a deleted session or an import is reflected the next time the caller asks; the
figures are cheap enough for that (see ``bench/history.py``).

Shared conventions:

- **Warm-ups never count**: an entry with ``warmup`` set or ``set_type == "warmup"``
  is ignored by every series, best and target here. Drop and failure sets are real
  work and count toward series and bests (the progression rules in ``coaching.py``
  look at straight working sets only).
- **Units**: loads may be logged in kg and lb in the same history. Every load figure
  is converted to one *display unit* given by the caller (``unit=``, default ``"kg"``,
  1 lb = 0.45359237 kg). An entry without a unit is taken as kg.
- **Time**: entries and sessions carry POSIX seconds. Calendar questions (which day,
  which ISO week) are answered in local time through a ``to_local`` function, so tests
  can pin a zone: pass ``local_time_in(timezone.utc)`` or any ``Callable[[float], datetime]``.
- **Sessions**: an optional ``sessions`` argument gives each point its session's start
  time. When it is given, entries whose session is not in it are treated as orphans
  of a deleted session and left out; without it a session's time is its earliest entry.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum
from typing import Literal

from hipflex_desktop.domain.history import Entry, EntryKind, Session

KG_PER_LB = 0.45359237
LoadUnit = Literal["kg", "lb"]
LocalTime = Callable[[float], datetime]

DEFAULT_WORKOUT_ID = "hip-flexor-workout"
DEFAULT_SESSIONS_PER_WEEK = 2

_POUND_NAMES = frozenset({"lb", "lbs", "pound", "pounds", "#"})


# --- small shared helpers --------------------------------------------------------------------


def system_local_time(timestamp: float) -> datetime:
    """The machine's local time zone; the default for every ``to_local`` parameter."""
    return datetime.fromtimestamp(timestamp).astimezone()


def local_time_in(zone: tzinfo) -> LocalTime:
    """A ``to_local`` function for a fixed zone (deterministic tests, a chosen zone)."""

    def to_local(timestamp: float) -> datetime:
        return datetime.fromtimestamp(timestamp, zone)

    return to_local


def normalise_unit(unit: str | None) -> LoadUnit:
    """``"lb"`` for any spelling of pounds, otherwise ``"kg"`` (also for a missing unit)."""
    if unit is not None and unit.strip().casefold() in _POUND_NAMES:
        return "lb"
    return "kg"


def convert_load(load: float, from_unit: str | None, to_unit: LoadUnit) -> float:
    """``load`` logged in ``from_unit`` expressed in ``to_unit``."""
    source = normalise_unit(from_unit)
    if source == to_unit:
        return load
    return load * KG_PER_LB if source == "lb" else load / KG_PER_LB


def is_warmup(entry: Entry) -> bool:
    return entry.warmup or entry.set_type == "warmup"


def entry_load(entry: Entry, unit: LoadUnit) -> float:
    """Added load of a set in ``unit``; 0 for bodyweight or an unrecorded load."""
    if entry.load is None or entry.load <= 0:
        return 0.0
    return convert_load(entry.load, entry.unit, unit)


def single_holds(entry: Entry) -> tuple[float, ...]:
    """The separate holds in a hold entry: the brief holds of an accumulated hold, else one."""
    if entry.holds_s:
        return entry.holds_s
    if entry.duration_s is not None:
        return (entry.duration_s,)
    return ()


def order_key(entry: Entry) -> tuple[float, int, float]:
    """Chronological order of entries; imported sets often share one timestamp per session."""
    return (entry.started_at, entry.set_index, entry.ended_at)


# --- metrics and series ----------------------------------------------------------------------


class Metric(StrEnum):
    """What a chart point measures, one value per session."""

    BEST_SET_REPS = "best_set_reps"
    TOTAL_REPS = "total_reps"
    TOP_LOAD = "top_load"
    VOLUME = "volume"
    LONGEST_HOLD = "longest_hold"
    ACCUMULATED_HOLD = "accumulated_hold"
    INTERVAL_WORK = "interval_work"

    @property
    def label(self) -> str:
        return _METRIC_LABELS[self]

    def unit(self, load_unit: LoadUnit = "kg") -> str:
        """The unit of this metric's values: ``reps``, ``s``, or the display load unit."""
        if self in (Metric.BEST_SET_REPS, Metric.TOTAL_REPS):
            return "reps"
        if self in (Metric.TOP_LOAD, Metric.VOLUME):
            return load_unit
        return "s"


_METRIC_LABELS = {
    Metric.BEST_SET_REPS: "Best set",
    Metric.TOTAL_REPS: "Total reps",
    Metric.TOP_LOAD: "Top load",
    Metric.VOLUME: "Volume (reps × load)",
    Metric.LONGEST_HOLD: "Longest hold",
    Metric.ACCUMULATED_HOLD: "Hold time per session",
    Metric.INTERVAL_WORK: "Interval work per session",
}

_METRIC_KINDS: dict[Metric, frozenset[EntryKind]] = {
    Metric.BEST_SET_REPS: frozenset({EntryKind.REP_SET}),
    Metric.TOTAL_REPS: frozenset({EntryKind.REP_SET}),
    Metric.TOP_LOAD: frozenset({EntryKind.REP_SET}),
    Metric.VOLUME: frozenset({EntryKind.REP_SET}),
    Metric.LONGEST_HOLD: frozenset({EntryKind.HOLD, EntryKind.PER_SIDE}),
    Metric.ACCUMULATED_HOLD: frozenset({EntryKind.HOLD, EntryKind.PER_SIDE}),
    Metric.INTERVAL_WORK: frozenset({EntryKind.INTERVAL_ROUND}),
}


def available_metrics(entries: Iterable[Entry], exercise_id: str) -> tuple[Metric, ...]:
    """The metrics worth offering for one exercise, judged from what was logged.

    Works for catalog movements and for imported ``custom:...`` exercises alike.
    Load-based metrics are offered only once some working set carried added load.
    """
    kinds: set[EntryKind] = set()
    loaded = False
    for entry in entries:
        if entry.exercise_id != exercise_id or is_warmup(entry):
            continue
        kinds.add(entry.kind)
        if entry.kind is EntryKind.REP_SET and entry.load is not None and entry.load > 0:
            loaded = True
    offered = []
    for metric in Metric:
        if not kinds & _METRIC_KINDS[metric]:
            continue
        if metric in (Metric.TOP_LOAD, Metric.VOLUME) and not loaded:
            continue
        offered.append(metric)
    return tuple(offered)


@dataclass(frozen=True)
class SeriesPoint:
    """One session's value. ``at`` is the session start (POSIX s), ``day`` its local date."""

    day: date
    value: float
    session_id: str
    at: float
    personal_best: bool = False


@dataclass(frozen=True)
class Series:
    """Points oldest first; ``unit`` is ``"reps"``, ``"s"`` or the display load unit."""

    exercise_id: str
    metric: Metric
    unit: str
    points: tuple[SeriesPoint, ...]

    @property
    def best(self) -> SeriesPoint | None:
        """The highest point (the earliest one on a tie)."""
        best: SeriesPoint | None = None
        for point in self.points:
            if best is None or point.value > best.value:
                best = point
        return best

    def __len__(self) -> int:
        return len(self.points)


def _session_times(
    sessions: Iterable[Session] | Mapping[str, Session] | None,
) -> dict[str, float] | None:
    if sessions is None:
        return None
    values = sessions.values() if isinstance(sessions, Mapping) else sessions
    return {s.id: s.started_at for s in values}


def _metric_value(metric: Metric, entries: Sequence[Entry], unit: LoadUnit) -> float | None:
    """One session's value of ``metric`` from its (non-warm-up) entries, None if not measurable."""
    if metric in (Metric.BEST_SET_REPS, Metric.TOTAL_REPS, Metric.TOP_LOAD, Metric.VOLUME):
        sets = [e for e in entries if e.kind is EntryKind.REP_SET and e.reps is not None]
        if not sets:
            return None
        if metric is Metric.BEST_SET_REPS:
            return float(max(e.reps or 0 for e in sets))
        if metric is Metric.TOTAL_REPS:
            return float(sum(e.reps or 0 for e in sets))
        if metric is Metric.TOP_LOAD:
            return max(entry_load(e, unit) for e in sets)
        return sum((e.reps or 0) * entry_load(e, unit) for e in sets)
    if metric is Metric.INTERVAL_WORK:
        rounds = [e.work_s for e in entries if e.kind is EntryKind.INTERVAL_ROUND]
        done = [w for w in rounds if w is not None]
        return sum(done) if done else None
    holds = [e for e in entries if e.kind in (EntryKind.HOLD, EntryKind.PER_SIDE)]
    if metric is Metric.LONGEST_HOLD:
        singles = [h for e in holds for h in single_holds(e)]
        return max(singles) if singles else None
    totals = [e.duration_s for e in holds if e.duration_s is not None]
    return sum(totals) if totals else None


def _group_by_session(
    entries: Iterable[Entry], exercise_id: str, times: dict[str, float] | None
) -> dict[str, list[Entry]]:
    grouped: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        if entry.exercise_id != exercise_id or is_warmup(entry):
            continue
        if times is not None and entry.session_id not in times:
            continue  # orphan of a deleted session
        grouped[entry.session_id].append(entry)
    return grouped


def exercise_series(
    entries: Iterable[Entry],
    exercise_id: str,
    metric: Metric,
    *,
    unit: LoadUnit = "kg",
    sessions: Iterable[Session] | Mapping[str, Session] | None = None,
    to_local: LocalTime = system_local_time,
) -> Series:
    """One point per session in which ``exercise_id`` was done, for ``metric``.

    ``entries`` may hold every exercise (only ``exercise_id`` is used). Loads are in
    ``unit``. A point is marked ``personal_best`` when it beats every earlier point;
    the very first point is never marked, because there is nothing yet to beat.
    """
    times = _session_times(sessions)
    grouped = _group_by_session(entries, exercise_id, times)
    raw: list[tuple[float, str, float]] = []
    for session_id, session_entries in grouped.items():
        value = _metric_value(metric, session_entries, unit)
        if value is None:
            continue
        at = times[session_id] if times is not None else min(e.started_at for e in session_entries)
        raw.append((at, session_id, value))
    raw.sort()
    points: list[SeriesPoint] = []
    best_so_far: float | None = None
    for at, session_id, value in raw:
        beats = best_so_far is not None and value > best_so_far
        points.append(SeriesPoint(to_local(at).date(), value, session_id, at, beats))
        if best_so_far is None or value > best_so_far:
            best_so_far = value
    return Series(exercise_id, metric, metric.unit(unit), tuple(points))


# --- personal bests --------------------------------------------------------------------------


class Record(StrEnum):
    """The kinds of personal best, in the order they are listed."""

    MOST_REPS = "most_reps"
    TOP_LOAD = "top_load"
    LONGEST_HOLD = "longest_hold"
    ACCUMULATED_HOLD = "accumulated_hold"
    INTERVAL_WORK = "interval_work"

    @property
    def label(self) -> str:
        return _RECORD_LABELS[self]

    @property
    def per_session(self) -> bool:
        """Whether the record is a session total rather than one set or hold."""
        return self in (Record.ACCUMULATED_HOLD, Record.INTERVAL_WORK)


_RECORD_LABELS = {
    Record.MOST_REPS: "Most reps in a set",
    Record.TOP_LOAD: "Heaviest load",
    Record.LONGEST_HOLD: "Longest single hold",
    Record.ACCUMULATED_HOLD: "Most hold time in a session",
    Record.INTERVAL_WORK: "Most interval work in a session",
}


@dataclass(frozen=True)
class PersonalBest:
    """A best and where it was set.

    ``value`` is in ``unit`` (reps, s, or the display load unit). ``entry_id`` names the
    set or hold that set a per-set record and is None for per-session records. For
    ``MOST_REPS`` ``load`` (in ``load_unit``) is the load those reps were done with;
    for ``TOP_LOAD`` ``reps`` is how many reps were done at that load.
    """

    exercise_id: str
    record: Record
    value: float
    unit: str
    session_id: str
    at: float
    entry_id: str | None = None
    reps: int | None = None
    load: float | None = None
    load_unit: LoadUnit = "kg"

    def text(self) -> str:
        """Short figure for a list or an announcement, e.g. ``12.5 kg × 8``."""
        figure = format_value(self.value, self.unit)
        if self.record is Record.TOP_LOAD and self.reps:
            return f"{figure} × {self.reps}"
        if self.record is Record.MOST_REPS and self.load:
            return f"{figure} with {format_value(self.load, self.load_unit)}"
        return figure


@dataclass(frozen=True)
class _Candidate:
    value: float
    entry: Entry
    reps: int | None = None
    load: float | None = None


def _set_candidates(
    entry: Entry, unit: LoadUnit
) -> list[tuple[Record, _Candidate]]:
    """Per-set records an entry can set (warm-ups and stretches set none)."""
    if is_warmup(entry):
        return []
    if entry.kind is EntryKind.REP_SET and entry.reps is not None and entry.reps > 0:
        load = entry_load(entry, unit)
        return [
            (Record.MOST_REPS, _Candidate(float(entry.reps), entry, entry.reps, load)),
            (Record.TOP_LOAD, _Candidate(load, entry, entry.reps, load)),
        ]
    if entry.kind is EntryKind.HOLD:
        holds = single_holds(entry)
        if holds:
            return [(Record.LONGEST_HOLD, _Candidate(max(holds), entry))]
    return []


def _session_amount(entry: Entry) -> tuple[Record, float] | None:
    """What an entry adds to a per-session record."""
    if is_warmup(entry):
        return None
    if entry.kind is EntryKind.HOLD and entry.duration_s is not None:
        return Record.ACCUMULATED_HOLD, entry.duration_s
    if entry.kind is EntryKind.INTERVAL_ROUND and entry.work_s is not None:
        return Record.INTERVAL_WORK, entry.work_s
    return None


def _record_unit(record: Record, unit: LoadUnit) -> str:
    if record is Record.MOST_REPS:
        return "reps"
    if record is Record.TOP_LOAD:
        return unit
    return "s"


def personal_bests(
    entries: Iterable[Entry],
    *,
    unit: LoadUnit = "kg",
    sessions: Iterable[Session] | Mapping[str, Session] | None = None,
) -> dict[str, tuple[PersonalBest, ...]]:
    """Every exercise's bests, keyed by exercise id, records in :class:`Record` order.

    Rules: warm-ups never count; stretches (per-side entries) have no bests because
    their time is set by the timer, not earned; a tie keeps the earlier best; a top
    load of 0 (bodyweight only) is not listed. For accumulated holds the longest brief
    hold is the single-hold best and the session's sum is the accumulated best.
    """
    times = _session_times(sessions)
    per_set: dict[tuple[str, Record], _Candidate] = {}
    totals: dict[tuple[str, Record, str], float] = defaultdict(float)
    first_at: dict[str, float] = {}
    for entry in sorted(entries, key=order_key):
        if times is not None and entry.session_id not in times:
            continue
        for record, candidate in _set_candidates(entry, unit):
            key = (entry.exercise_id, record)
            held = per_set.get(key)
            if held is None or candidate.value > held.value:
                per_set[key] = candidate
        amount = _session_amount(entry)
        if amount is not None:
            totals[(entry.exercise_id, amount[0], entry.session_id)] += amount[1]
            first_at.setdefault(entry.session_id, entry.started_at)
    found: dict[str, list[PersonalBest]] = defaultdict(list)
    for (exercise_id, record), candidate in per_set.items():
        if record is Record.TOP_LOAD and candidate.value <= 0:
            continue
        entry = candidate.entry
        found[exercise_id].append(
            PersonalBest(
                exercise_id, record, candidate.value, _record_unit(record, unit),
                entry.session_id, _time_of(entry.session_id, entry.started_at, times),
                entry.id, candidate.reps, candidate.load, unit,
            )
        )
    best_totals: dict[tuple[str, Record], tuple[float, float, str]] = {}
    for (exercise_id, record, session_id), total in totals.items():
        at = _time_of(session_id, first_at[session_id], times)
        key = (exercise_id, record)
        held_total = best_totals.get(key)
        if (
            held_total is None
            or total > held_total[0]
            or (total == held_total[0] and at < held_total[1])
        ):
            best_totals[key] = (total, at, session_id)
    for (exercise_id, record), (total, at, session_id) in best_totals.items():
        found[exercise_id].append(
            PersonalBest(exercise_id, record, total, "s", session_id, at)
        )
    order = list(Record)
    return {
        exercise_id: tuple(sorted(bests, key=lambda b: order.index(b.record)))
        for exercise_id, bests in sorted(found.items())
    }


def _time_of(session_id: str, fallback: float, times: dict[str, float] | None) -> float:
    if times is not None and session_id in times:
        return times[session_id]
    return fallback


def new_personal_bests(
    entries: Iterable[Entry], logged: Entry, *, unit: LoadUnit = "kg"
) -> tuple[PersonalBest, ...]:
    """The bests ``logged`` has just set, for the announcement; usually empty.

    ``logged`` is compared with the entries of the same exercise that come before it
    (by time, then set number); ``entries`` may include ``logged`` itself or not, and
    an older version of it with the same id is ignored, so re-logging after an edit
    is judged afresh. A best needs an earlier figure to beat: the first time an
    exercise is done announces nothing. Per-session records (accumulated hold time,
    interval work) are announced once, by the entry whose total first passes the
    old best.
    """
    if is_warmup(logged):
        return ()
    key = order_key(logged)
    earlier = [
        e
        for e in entries
        if e.exercise_id == logged.exercise_id
        and e.id != logged.id
        and not is_warmup(e)
        and order_key(e) < key
    ]
    found: list[PersonalBest] = []
    for record, candidate in _set_candidates(logged, unit):
        previous = [
            c.value for e in earlier for r, c in _set_candidates(e, unit) if r is record
        ]
        if previous and candidate.value > max(previous):
            found.append(
                PersonalBest(
                    logged.exercise_id, record, candidate.value, _record_unit(record, unit),
                    logged.session_id, logged.started_at, logged.id, candidate.reps,
                    candidate.load, unit,
                )
            )
    amount = _session_amount(logged)
    if amount is not None:
        record, added = amount
        totals: dict[str, float] = defaultdict(float)
        for e in earlier:
            other = _session_amount(e)
            if other is not None and other[0] is record:
                totals[e.session_id] += other[1]
        before = totals.pop(logged.session_id, 0.0)
        if totals:
            old_best = max(totals.values())
            if before <= old_best < before + added:
                found.append(
                    PersonalBest(
                        logged.exercise_id, record, before + added, "s", logged.session_id,
                        logged.started_at,
                    )
                )
    return tuple(found)


# --- the weekly target -----------------------------------------------------------------------


@dataclass(frozen=True)
class WeeklyTarget:
    """How many sessions a week to aim for and which workouts count.

    ``workout_ids`` None counts every session, imported ones included, because the
    twice-a-week guideline counts indirect work such as a leg day too.
    """

    sessions_per_week: int = DEFAULT_SESSIONS_PER_WEEK
    workout_ids: frozenset[str] | None = None

    def counts(self, session: Session) -> bool:
        return self.workout_ids is None or session.workout_id in self.workout_ids


@dataclass(frozen=True)
class WeekTally:
    """Counted sessions in one ISO week (``monday`` is its first local day)."""

    iso_year: int
    iso_week: int
    monday: date
    sessions: int
    target: int

    @property
    def met(self) -> bool:
        return self.sessions >= self.target


@dataclass(frozen=True)
class WeeklyProgress:
    """The dashboard's weekly picture.

    ``streak_weeks`` counts consecutive ISO weeks that met the target, ending with this
    week if it is already met, otherwise with last week. ``recent_weeks`` is oldest
    first and ends with this week. ``last_session`` is the latest session of any kind.
    """

    target: int
    this_week: WeekTally
    streak_weeks: int
    recent_weeks: tuple[WeekTally, ...]
    last_session: Session | None
    next_workout_id: str

    @property
    def sessions_left_this_week(self) -> int:
        return max(0, self.target - self.this_week.sessions)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly_progress(
    sessions: Iterable[Session],
    now: float,
    *,
    target: WeeklyTarget | None = None,
    to_local: LocalTime = system_local_time,
    chosen_workout_ids: Sequence[str] = (),
    default_workout_id: str = DEFAULT_WORKOUT_ID,
    weeks_shown: int = 8,
) -> WeeklyProgress:
    """Sessions this ISO week against the target, the streak, and what to train next.

    ISO weeks are taken in local time (``to_local``). Sessions after ``now`` are
    ignored. The next workout is the least recently done of ``chosen_workout_ids``
    (one never done wins, in the given order), or ``default_workout_id`` when none
    are chosen.
    """
    goal = target or WeeklyTarget()
    past = [s for s in sessions if s.started_at <= now]
    per_week: dict[date, int] = defaultdict(int)
    for session in past:
        if goal.counts(session):
            per_week[_monday(to_local(session.started_at).date())] += 1
    this_monday = _monday(to_local(now).date())

    def tally(monday: date) -> WeekTally:
        iso = monday.isocalendar()
        return WeekTally(iso.year, iso.week, monday, per_week.get(monday, 0),
                         goal.sessions_per_week)

    this_week = tally(this_monday)
    streak = 0
    monday = this_monday if this_week.met else this_monday - timedelta(weeks=1)
    earliest = min(per_week, default=this_monday)
    while monday >= earliest and tally(monday).met:
        streak += 1
        monday -= timedelta(weeks=1)
    recent = tuple(
        tally(this_monday - timedelta(weeks=back)) for back in range(weeks_shown - 1, -1, -1)
    )
    last = max(past, key=lambda s: (s.started_at, s.id), default=None)
    return WeeklyProgress(
        goal.sessions_per_week, this_week, streak, recent, last,
        next_workout(past, chosen_workout_ids, default_workout_id),
    )


def next_workout(
    sessions: Iterable[Session],
    chosen_workout_ids: Sequence[str],
    default_workout_id: str = DEFAULT_WORKOUT_ID,
) -> str:
    """The least recently done of the chosen workouts (never done first, in order)."""
    if not chosen_workout_ids:
        return default_workout_id
    last_done: dict[str, float] = {}
    for session in sessions:
        if session.workout_id is not None:
            last_done[session.workout_id] = max(
                last_done.get(session.workout_id, -math.inf), session.started_at
            )
    return min(
        enumerate(chosen_workout_ids),
        key=lambda pair: (last_done.get(pair[1], -math.inf), pair[0]),
    )[1]


# --- formatting shared by the chart, the history page and announcements ----------------------


def format_number(value: float, decimals: int = 1) -> str:
    """``12`` for whole numbers, else up to ``decimals`` places without trailing zeros."""
    rounded = round(value, decimals)
    if rounded == int(rounded):
        return str(int(rounded))
    return f"{rounded:.{decimals}f}".rstrip("0").rstrip(".")


def format_duration(seconds: float) -> str:
    """``17.4 s`` under a minute (holds are close), ``75 s`` under two, then ``2 min 5 s``."""
    whole = round(seconds)
    if whole < 120:
        return f"{format_number(seconds)} s" if seconds < 59.95 else f"{whole} s"
    minutes, rest = divmod(whole, 60)
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


def format_value(value: float, unit: str) -> str:
    """A figure with its unit as people say it: ``1 rep``, ``12 reps``, ``12.5 kg``, ``45 s``.

    Loads keep two decimals under 10 (``4.54 kg``), one under 100, none above.
    """
    if unit == "reps":
        return f"{format_number(value)} rep" if value == 1 else f"{format_number(value)} reps"
    if unit == "s":
        return format_duration(value)
    decimals = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2
    return f"{format_number(value, decimals)} {unit}"


def format_day(day: date) -> str:
    """``Tue 3 Mar 2026``; locale-independent so tests and exports read the same."""
    return f"{_DAY_NAMES[day.weekday()]} {day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
               "Dec")
_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
