"""Progression suggestions: what to change next time, from what was done last time.

The rules follow the training guidance the app is built on, applied to the
straight working sets of the most recent session(s) of an exercise (warm-ups and
drop sets are left out, because they are not the sets the prescription asks for):

- **Double progression** (rep exercises): when every prescribed working set reached
  the top of the rep range, add a little load and go back to the bottom of the range.
  The step is 0.5 kg below 5 kg and 1 kg from there (1 lb below 10 lb, then 2 lb, for
  people who log in pounds); band-only exercises move to the next band instead.
- **Too hard**: a set that stopped short of the bottom of the range means the load
  comes back down one step, or, on a bodyweight Hanging Leg Raise, a switch to the
  Lying Leg Raise. At the top of the Lying Leg Raise's range the suggestion is the
  hanging version rather than more load.
- **L-sit ladder** (tucked → one leg → full): move up a rung when the whole target was
  met *in few, long holds*, defined as every set done in at most
  ``FEW_HOLDS`` (3) holds, or brief holds averaging at least ``LONG_HOLD_S`` (10 s).
  Move down a rung when the target was not met. On the top rung, and for every other
  hold, the target grows as below.
- **Holds and intervals**: after ``CONSISTENT_SESSIONS`` (2) sessions in a row with
  every hold or round completed, raise the time modestly: +5 s, or +10 % rounded to
  5 s when that is more.

Each :class:`Suggestion` has a stable ``id`` built from its kind, exercise and the
session it is based on, so a dismissal stays remembered until a newer session
gives grounds for a new suggestion. Accepted and dismissed ids live in
:class:`SuggestionDecisions`, which the caller persists.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from hipflex_desktop.domain.catalog import Catalog, Movement
from hipflex_desktop.domain.history import Entry, EntryKind
from hipflex_desktop.domain.prescription import Kind, Prescription
from hipflex_desktop.domain.progress import (
    LoadUnit,
    convert_load,
    format_duration,
    format_number,
    is_warmup,
    normalise_unit,
    order_key,
    single_holds,
)
from hipflex_desktop.domain.workouts import Block, Workout

FEW_HOLDS = 3
LONG_HOLD_S = 10.0
CONSISTENT_SESSIONS = 2
TIME_TOLERANCE_S = 0.5  # a hold stopped at 29.7 s of 30 s still counts as done

# Bodyweight movement swaps the guidance names explicitly.
EASIER_MOVEMENT = {"hanging-leg-raise": "lying-leg-raise"}
HARDER_MOVEMENT = {"lying-leg-raise": "hanging-leg-raise"}


class SuggestionKind(StrEnum):
    ADD_LOAD = "add_load"
    REDUCE_LOAD = "reduce_load"
    HARDER_MOVEMENT = "harder_movement"
    EASIER_MOVEMENT = "easier_movement"
    LADDER_UP = "ladder_up"
    LADDER_DOWN = "ladder_down"
    LONGER_HOLD = "longer_hold"
    LONGER_INTERVALS = "longer_intervals"


@dataclass(frozen=True)
class LoadChange:
    """A change of added load, in the unit the person logs in.

    ``next_band`` means "use the next stronger band" and then ``to_load`` is None.
    """

    unit: LoadUnit
    from_load: float
    to_load: float | None
    next_band: bool = False

    @property
    def step(self) -> float | None:
        return None if self.to_load is None else self.to_load - self.from_load


@dataclass(frozen=True)
class Suggestion:
    """One concrete change for the next session.

    ``prescription_changes`` are field/value pairs for :class:`Prescription`
    (see :func:`apply_suggestion`); ``swap_to`` names a different movement;
    ``load_change`` and ``start_reps`` prefill the next session's log.
    """

    id: str
    exercise_id: str
    kind: SuggestionKind
    reason: str
    based_on_session_id: str
    prescription_changes: tuple[tuple[str, int], ...] = ()
    load_change: LoadChange | None = None
    swap_to: str | None = None
    start_reps: int | None = None

    @property
    def changes(self) -> dict[str, int]:
        return dict(self.prescription_changes)


def apply_suggestion(prescription: Prescription, suggestion: Suggestion) -> Prescription:
    """``prescription`` with the suggestion's prescription changes (load lives in the log)."""
    if not suggestion.prescription_changes:
        return prescription
    return prescription.with_changes(**suggestion.changes)


def apply_to_block(block: Block, suggestion: Suggestion) -> Block:
    """A workout block after accepting ``suggestion``, including a movement swap.

    After a swap the block's note (written for the old movement) is dropped, and a
    fallback equal to the new movement is cleared.
    """
    prescription = apply_suggestion(block.prescription, suggestion)
    if suggestion.swap_to is None or suggestion.swap_to == block.movement_id:
        return replace(block, prescription=prescription)
    fallback = block.fallback_movement_id
    return Block(
        movement_id=suggestion.swap_to,
        prescription=prescription,
        fallback_movement_id=None if fallback == suggestion.swap_to else fallback,
    )


@dataclass(frozen=True)
class SuggestionDecisions:
    """Which suggestion ids the person accepted or dismissed; the caller stores it.

    Immutable: every change returns a new value, so an undo is keeping the old one.
    """

    accepted: frozenset[str] = frozenset()
    dismissed: frozenset[str] = frozenset()

    def accept(self, suggestion_id: str) -> SuggestionDecisions:
        return SuggestionDecisions(self.accepted | {suggestion_id},
                                   self.dismissed - {suggestion_id})

    def dismiss(self, suggestion_id: str) -> SuggestionDecisions:
        return SuggestionDecisions(self.accepted - {suggestion_id},
                                   self.dismissed | {suggestion_id})

    def forget(self, suggestion_id: str) -> SuggestionDecisions:
        return SuggestionDecisions(self.accepted - {suggestion_id},
                                   self.dismissed - {suggestion_id})

    def is_decided(self, suggestion_id: str) -> bool:
        return suggestion_id in self.accepted or suggestion_id in self.dismissed

    def open(self, suggestions: Iterable[Suggestion]) -> tuple[Suggestion, ...]:
        """The suggestions still waiting for an answer."""
        return tuple(s for s in suggestions if not self.is_decided(s.id))

    def pruned(self, keep: Iterable[str]) -> SuggestionDecisions:
        """Only the decisions about ``keep`` (e.g. ids still current), so storage stays small."""
        wanted = frozenset(keep)
        return SuggestionDecisions(self.accepted & wanted, self.dismissed & wanted)

    def to_dict(self) -> dict[str, Any]:
        return {"accepted": sorted(self.accepted), "dismissed": sorted(self.dismissed)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SuggestionDecisions:
        return cls(
            frozenset(str(x) for x in data.get("accepted", ())),
            frozenset(str(x) for x in data.get("dismissed", ())),
        )


# --- reading the recent sessions of one exercise -------------------------------------------


@dataclass(frozen=True)
class _Done:
    """The straight working entries of one exercise in one session."""

    session_id: str
    at: float
    entries: tuple[Entry, ...] = field(default=())


def _recent(entries: Iterable[Entry], exercise_id: str) -> list[_Done]:
    """Sessions with working entries of ``exercise_id``, newest first."""
    grouped: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        if entry.exercise_id == exercise_id and not is_warmup(entry) and entry.set_type != "drop":
            grouped[entry.session_id].append(entry)
    done = [
        _Done(sid, min(e.started_at for e in found), tuple(sorted(found, key=order_key)))
        for sid, found in grouped.items()
    ]
    done.sort(key=lambda d: (d.at, d.session_id), reverse=True)
    return done


def _kind_of(movement: Movement | None, done: _Done) -> Kind | None:
    if movement is not None:
        return movement.kind
    kinds = {e.kind for e in done.entries}
    for entry_kind, kind in ((EntryKind.REP_SET, Kind.REPS), (EntryKind.HOLD, Kind.HOLD),
                             (EntryKind.INTERVAL_ROUND, Kind.INTERVAL)):
        if kinds == {entry_kind}:
            return kind
    return None


def _suggestion(
    kind: SuggestionKind, exercise_id: str, done: _Done, reason: str, **extra: Any
) -> Suggestion:
    return Suggestion(
        id=f"{kind.value}:{exercise_id}:{done.session_id}",
        exercise_id=exercise_id,
        kind=kind,
        reason=reason,
        based_on_session_id=done.session_id,
        **extra,
    )


def _name(catalog: Catalog, movement_id: str) -> str:
    movement = catalog.find(movement_id)
    return movement.name if movement is not None else movement_id


# --- loads ---------------------------------------------------------------------------------


def load_step(load: float, unit: LoadUnit) -> float:
    """The small jump the guidance recommends: ankle-weight sized at first."""
    if unit == "lb":
        return 1.0 if load < 10 else 2.0
    return 0.5 if load < 5 else 1.0


def _load_text(load: float, unit: LoadUnit) -> str:
    return f"{format_number(load, 2)} {unit}"


def _band_only(movement: Movement | None) -> bool:
    if movement is None:
        return False
    gear = [e for e in movement.equipment if e != "none"]
    return bool(gear) and all("band" in e for e in gear)


def _rep_suggestions(
    exercise_id: str, movement: Movement | None, prescription: Prescription, done: _Done,
    catalog: Catalog, *, display_unit: LoadUnit,
) -> list[Suggestion]:
    sets = [e for e in done.entries if e.kind is EntryKind.REP_SET and e.reps is not None]
    low, high = prescription.reps_min, prescription.reps_max
    if not sets or low is None or high is None:
        return []
    loaded = [e for e in sets if e.load is not None and e.load > 0]
    unit = normalise_unit(loaded[-1].unit) if loaded else display_unit
    load = max((convert_load(e.load or 0.0, e.unit, unit) for e in loaded), default=0.0)
    load = round(load, 2)
    reps = [e.reps or 0 for e in sets]
    if min(reps) < low:
        if load > 0:
            lower = max(0.0, round(load - load_step(max(0.0, load - 0.01), unit), 2))
            return [_suggestion(
                SuggestionKind.REDUCE_LOAD, exercise_id, done,
                f"A set stopped at {min(reps)} reps, short of {low}: go back to "
                f"{_load_text(lower, unit)} and build up again.",
                load_change=LoadChange(unit, load, lower), start_reps=low,
            )]
        easier = EASIER_MOVEMENT.get(exercise_id)
        if easier is not None and easier in catalog:
            target = catalog.get(easier).prescription
            return [_suggestion(
                SuggestionKind.EASIER_MOVEMENT, exercise_id, done,
                f"A set stopped at {min(reps)} reps, short of {low}: switch to "
                f"{_name(catalog, easier)} until the reps come cleanly.",
                swap_to=easier, start_reps=target.reps_min,
                prescription_changes=_rep_range(target),
            )]
        return []
    if len(sets) < prescription.sets or min(reps) < high:
        return []
    harder = HARDER_MOVEMENT.get(exercise_id)
    if harder is not None and harder in catalog and load == 0:
        target = catalog.get(harder).prescription
        return [_suggestion(
            SuggestionKind.HARDER_MOVEMENT, exercise_id, done,
            f"Every set reached {high} reps: move on to {_name(catalog, harder)}.",
            swap_to=harder, start_reps=target.reps_min,
            prescription_changes=_rep_range(target),
        )]
    if load == 0 and _band_only(movement):
        return [_suggestion(
            SuggestionKind.ADD_LOAD, exercise_id, done,
            f"Every set reached {high} reps: use the next stronger band and start again "
            f"at {low} reps.",
            load_change=LoadChange(unit, 0.0, None, next_band=True), start_reps=low,
        )]
    heavier = round(load + load_step(load, unit), 2)
    if load > 0:
        reason = (
            f"Every set reached {high} reps with {_load_text(load, unit)}: go up to "
            f"{_load_text(heavier, unit)} and start again at {low} reps."
        )
    else:
        reason = (
            f"Every set reached {high} reps: add {_load_text(heavier, unit)} (small ankle "
            f"weights or a light band) and start again at {low} reps."
        )
    return [_suggestion(
        SuggestionKind.ADD_LOAD, exercise_id, done, reason,
        load_change=LoadChange(unit, load, heavier), start_reps=low,
    )]


def _rep_range(target: Prescription) -> tuple[tuple[str, int], ...]:
    changes = []
    if target.reps_min is not None:
        changes.append(("reps_min", target.reps_min))
    if target.reps_max is not None:
        changes.append(("reps_max", target.reps_max))
    return tuple(changes)


# --- holds and intervals -------------------------------------------------------------------


def longer_time(seconds: int) -> int:
    """+5 s, or +10 % rounded to 5 s when that is the bigger step."""
    return seconds + max(5, 5 * round(seconds * 0.1 / 5))


def _holds(done: _Done) -> list[Entry]:
    return [e for e in done.entries if e.kind is EntryKind.HOLD and e.duration_s is not None]


def _hold_completed(done: _Done, prescription: Prescription) -> bool:
    target = prescription.hold_seconds or 0
    holds = _holds(done)
    return len(holds) >= prescription.sets and all(
        (e.duration_s or 0.0) >= target - TIME_TOLERANCE_S for e in holds
    )


def _few_long_holds(done: _Done) -> bool:
    holds = _holds(done)
    singles = [h for e in holds for h in single_holds(e)]
    if not singles:
        return False
    few = all(len(single_holds(e)) <= FEW_HOLDS for e in holds)
    return few or sum(singles) / len(singles) >= LONG_HOLD_S


def _hold_suggestions(
    exercise_id: str, movement: Movement | None, prescription: Prescription,
    recent: list[_Done], catalog: Catalog,
) -> list[Suggestion]:
    target = prescription.hold_seconds
    if target is None or not _holds(recent[0]):
        return []
    last = recent[0]
    ladder = movement.ladder if movement is not None else ()
    completed = _hold_completed(last, prescription)
    total = "total " if prescription.accumulate else ""
    if exercise_id in ladder:
        rung = ladder.index(exercise_id)
        if completed and rung + 1 < len(ladder) and _few_long_holds(last):
            up = ladder[rung + 1]
            return [_suggestion(
                SuggestionKind.LADDER_UP, exercise_id, last,
                f"You reached the {format_duration(target)} {total}in a few long holds: "
                f"move up to {_name(catalog, up)}.",
                swap_to=up,
            )]
        if not completed and rung > 0:
            down = ladder[rung - 1]
            return [_suggestion(
                SuggestionKind.LADDER_DOWN, exercise_id, last,
                f"The {format_duration(target)} {total}was not reached last time: step back to "
                f"{_name(catalog, down)} and build it up there.",
                swap_to=down,
            )]
        if rung + 1 < len(ladder):
            return []
    consistent = recent[:CONSISTENT_SESSIONS]
    if len(consistent) < CONSISTENT_SESSIONS or not all(
        _hold_completed(d, prescription) for d in consistent
    ):
        return []
    longer = longer_time(target)
    return [_suggestion(
        SuggestionKind.LONGER_HOLD, exercise_id, last,
        f"You held the full {format_duration(target)} {total}in your last "
        f"{CONSISTENT_SESSIONS} sessions: aim for {format_duration(longer)} next time.",
        prescription_changes=(("hold_seconds", longer),),
    )]


def _interval_completed(done: _Done, prescription: Prescription) -> bool:
    rounds = [e for e in done.entries if e.kind is EntryKind.INTERVAL_ROUND]
    expected = (prescription.rounds or 1) * max(1, prescription.sets)
    planned = float(prescription.work_seconds or 0)
    return len(rounds) >= expected and all(
        (e.work_s or 0.0) >= max(planned, e.planned_s or 0.0) - TIME_TOLERANCE_S
        for e in rounds
    )


def _interval_suggestions(
    exercise_id: str, prescription: Prescription, recent: list[_Done]
) -> list[Suggestion]:
    work = prescription.work_seconds
    consistent = recent[:CONSISTENT_SESSIONS]
    if work is None or len(consistent) < CONSISTENT_SESSIONS or not all(
        _interval_completed(d, prescription) for d in consistent
    ):
        return []
    longer = longer_time(work)
    return [_suggestion(
        SuggestionKind.LONGER_INTERVALS, exercise_id, recent[0],
        f"You finished every {format_duration(work)} round in your last "
        f"{CONSISTENT_SESSIONS} sessions: make the rounds {format_duration(longer)}.",
        prescription_changes=(("work_seconds", longer),),
    )]


# --- entry points --------------------------------------------------------------------------


def suggestions_for_exercise(
    exercise_id: str,
    prescription: Prescription,
    entries: Iterable[Entry],
    catalog: Catalog,
    *,
    unit: LoadUnit = "kg",
) -> tuple[Suggestion, ...]:
    """What to change next time for one exercise done to ``prescription``.

    ``entries`` may hold the whole history; the most recent sessions of this exercise
    are judged against ``prescription``. ``unit`` is the load unit for someone who has
    not logged a load yet (otherwise the unit of their last loaded set is kept).
    Stretches and exercises never done get no suggestion.
    """
    recent = _recent(entries, exercise_id)
    if not recent:
        return ()
    movement = catalog.find(exercise_id)
    kind = _kind_of(movement, recent[0])
    if kind is Kind.REPS:
        found = _rep_suggestions(
            exercise_id, movement, prescription, recent[0], catalog, display_unit=unit
        )
    elif kind is Kind.HOLD:
        found = _hold_suggestions(exercise_id, movement, prescription, recent, catalog)
    elif kind is Kind.INTERVAL:
        found = _interval_suggestions(exercise_id, prescription, recent)
    else:
        found = []
    return tuple(found)


def suggestions_for_workout(
    workout: Workout, entries: Iterable[Entry], catalog: Catalog, *, unit: LoadUnit = "kg"
) -> tuple[Suggestion, ...]:
    """Suggestions for each block of ``workout``, in block order.

    When a block's fallback movement was done more recently than the movement itself
    (say Lying instead of Hanging Leg Raise), the fallback's history is judged,
    against its catalog prescription, since that is what the person is training.
    """
    history = list(entries)
    latest: dict[str, float] = {}
    for entry in history:
        if not is_warmup(entry):
            latest[entry.exercise_id] = max(latest.get(entry.exercise_id, 0.0), entry.started_at)
    found: list[Suggestion] = []
    seen: set[str] = set()
    for block in workout.blocks:
        exercise_id, prescription = block.movement_id, block.prescription
        fallback = block.fallback_movement_id
        if (
            fallback is not None
            and fallback in catalog
            and latest.get(fallback, -1.0) > latest.get(exercise_id, -1.0)
        ):
            exercise_id, prescription = fallback, catalog.get(fallback).prescription
        for suggestion in suggestions_for_exercise(
            exercise_id, prescription, history, catalog, unit=unit
        ):
            if suggestion.id not in seen:
                seen.add(suggestion.id)
                found.append(suggestion)
    return tuple(found)
