"""Turn a workout (or a quick timer) into the flat list of steps the engine runs.

A step is the smallest unit a person can skip to or go back to: one rep set,
its log, one rest, one hold, one interval round's work or rest, one side, one
switch. Keeping the list flat and fixed up front makes skip/back trivially
predictable (they move exactly one step) and lets the plan's duration be known
before the session starts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import Enum, StrEnum
from typing import Any

from hipflex_desktop.domain.catalog import Catalog
from hipflex_desktop.domain.history import Entry, Side
from hipflex_desktop.domain.prescription import FieldError, Kind, Prescription
from hipflex_desktop.domain.workouts import Workout

QUICK_TIMER_ID = "quick-timer"


class StepKind(StrEnum):
    REP_SET = "rep_set"
    LOG = "log"
    REST = "rest"  # between sets (and between blocks)
    HOLD = "hold"  # one timed hold, counted up past its target until stopped
    ACCUMULATED_HOLD = "accumulated_hold"  # a total built from brief holds
    INTERVAL_WORK = "interval_work"
    INTERVAL_REST = "interval_rest"
    SIDE = "side"
    SWITCH = "switch"


# Work that starts on a "go" and may get a lead-in countdown.
TIMED_WORK = frozenset({StepKind.HOLD, StepKind.INTERVAL_WORK, StepKind.SIDE})
# Steps that end by themselves at a deadline.
COUNTDOWN = frozenset(
    {StepKind.REST, StepKind.INTERVAL_REST, StepKind.SWITCH, StepKind.INTERVAL_WORK, StepKind.SIDE}
)
RESTS = frozenset({StepKind.REST, StepKind.INTERVAL_REST})


class Via(Enum):
    """How a step was entered; decides whether it gets a lead-in."""

    START = "start"  # the session started on it
    INTENT = "intent"  # skip or back
    USER = "user"  # the previous step ended by a person's action (log, hold stop)
    DEADLINE = "deadline"  # the previous countdown ran out


class PlanError(ValueError):
    """A plan cannot be built; ``problems`` are ``(block_index, FieldError)`` pairs."""

    def __init__(self, problems: Sequence[tuple[int, FieldError]]) -> None:
        super().__init__(
            "; ".join(f"block {i + 1}: {e.field}: {e.message}" for i, e in problems)
            or "the plan has no blocks"
        )
        self.problems = tuple(problems)


@dataclass(frozen=True)
class PlanBlock:
    """A movement with its dose, with the catalog facts the runner needs copied in."""

    exercise_id: str
    name: str
    kind: Kind
    prescription: Prescription
    key_cue: str = ""


@dataclass(frozen=True)
class Step:
    index: int
    kind: StepKind
    block_index: int
    exercise_id: str
    exercise_name: str
    key_cue: str
    set_number: int  # 0-based set within the block
    set_count: int
    round_number: int | None = None  # 0-based round within the set (intervals)
    round_count: int | None = None
    side: Side | None = None
    seconds: float | None = None  # countdown length, or the hold target / accumulated total
    reps_min: int | None = None
    reps_max: int | None = None
    top_hold_seconds: int | None = None
    brief_hold_min: int | None = None
    brief_hold_max: int | None = None

    @property
    def timed_work(self) -> bool:
        return self.kind in TIMED_WORK

    @property
    def countdown(self) -> bool:
        return self.kind in COUNTDOWN

    @property
    def is_rest(self) -> bool:
        return self.kind in RESTS

    @property
    def work(self) -> bool:
        """Steps that produce an entry."""
        return self.kind not in RESTS and self.kind is not StepKind.SWITCH

    @property
    def entry_set_index(self) -> int:
        """``Entry.set_index``: the set (or, for intervals, the round across sets), 0-based."""
        if self.round_number is not None and self.round_count is not None:
            return self.set_number * self.round_count + self.round_number
        return self.set_number

    @property
    def set_label(self) -> str:
        return f"Set {self.set_number + 1} of {self.set_count}"

    @property
    def round_label(self) -> str:
        if self.round_number is None or self.round_count is None:
            return ""
        return f"Round {self.round_number + 1} of {self.round_count}"

    @property
    def reps_text(self) -> str:
        low, high = self.reps_min, self.reps_max
        if low is None and high is None:
            return ""
        if low is None or high is None or low == high:
            return f"{low if low is not None else high} reps"
        return f"{low}–{high} reps"

    def describe(self) -> str:
        """One line for "what comes next"."""
        if self.kind in RESTS:
            return f"Rest {_seconds_label(self.seconds)}"
        if self.kind is StepKind.SWITCH:
            return "Switch sides"
        if self.kind is StepKind.LOG:
            return f"Log {self.exercise_name}, set {self.set_number + 1}"
        where = self.set_label.lower() if self.set_count > 1 else ""
        if self.kind is StepKind.INTERVAL_WORK:
            where = self.round_label.lower() + (f", {where}" if where else "")
        elif self.kind is StepKind.SIDE and self.side is not None:
            where = f"{self.side.value} side" + (f", {where}" if where else "")
        return f"{self.exercise_name} · {where}" if where else self.exercise_name


def _seconds_label(seconds: float | None) -> str:
    if seconds is None:
        return ""
    whole = round(seconds)
    return f"{whole} s"


def needs_lead_in(step: Step, previous: Step | None, via: Via) -> bool:
    """Timed work gets a lead-in unless it flows straight on from a countdown.

    A rest or switch countdown (whose last seconds tick) leads straight into the
    work, and so does timed work of the same block (round after round with no
    rest, or left side into right side). Everything else — the session start,
    a skip/back, the end of a user-paced step, or a new exercise with no rest
    in between — gets the lead-in so the person can get into position.
    """
    if step.kind not in TIMED_WORK:
        return False
    if via is Via.DEADLINE and previous is not None:
        if previous.kind in RESTS or previous.kind is StepKind.SWITCH:
            return False
        if previous.kind in TIMED_WORK and previous.block_index == step.block_index:
            return False
    return True


@dataclass(frozen=True)
class Plan:
    """Everything the engine runs: a title, the blocks and their steps."""

    title: str
    workout_id: str | None
    blocks: tuple[PlanBlock, ...]
    steps: tuple[Step, ...]
    lead_in_s: float | None = None  # overrides the engine's default lead-in when set

    @property
    def fully_timed(self) -> bool:
        """True when no step waits on the person."""
        return all(step.countdown for step in self.steps)

    def lead_in_before(self, index: int, lead_in_s: float) -> float:
        """Lead-in before step ``index`` in the natural, uninterrupted flow.

        ``lead_in_s`` is the engine's default; the plan's own ``lead_in_s`` wins.
        """
        if self.lead_in_s is not None:
            lead_in_s = self.lead_in_s
        step = self.steps[index]
        previous = self.steps[index - 1] if index > 0 else None
        if previous is None:
            via = Via.START
        elif previous.countdown:
            via = Via.DEADLINE
        else:
            via = Via.USER
        return lead_in_s if lead_in_s > 0 and needs_lead_in(step, previous, via) else 0.0

    def timed_duration_s(self, lead_in_s: float) -> float | None:
        """Exact length of a fully timed plan run without intervention; None otherwise."""
        if not self.fully_timed:
            return None
        return self.estimate_duration_s(lead_in_s)

    def estimate_duration_s(
        self, lead_in_s: float, seconds_per_rep: float = 3.0, log_seconds: float = 10.0
    ) -> float:
        """Rough length for the builder: timed parts exact, user-paced parts guessed.

        Reps take ``seconds_per_rep`` each (plus any top pause) at the top of the
        range, a log takes ``log_seconds``, a hold runs to its target and an
        accumulated hold takes twice its total (breaks between brief holds).
        """
        total = 0.0
        for step in self.steps:
            total += self.lead_in_before(step.index, lead_in_s)
            if step.kind is StepKind.REP_SET:
                reps = step.reps_max or step.reps_min or 0
                total += reps * (seconds_per_rep + (step.top_hold_seconds or 0))
            elif step.kind is StepKind.LOG:
                total += log_seconds
            elif step.kind is StepKind.ACCUMULATED_HOLD:
                total += 2 * (step.seconds or 0.0)
            else:
                total += step.seconds or 0.0
        return total


def _block_steps(block: PlanBlock, block_index: int) -> list[Step]:
    """Steps of one block, rests after every set included (trimmed at the very end later)."""
    p = block.prescription
    template = Step(
        index=-1, kind=StepKind.REST, block_index=block_index, exercise_id=block.exercise_id,
        exercise_name=block.name, key_cue=block.key_cue, set_number=0, set_count=p.sets,
    )
    steps: list[Step] = []

    def add(kind: StepKind, set_number: int, **extra: Any) -> None:
        steps.append(replace(template, kind=kind, set_number=set_number, **extra))

    for set_number in range(p.sets):
        if block.kind is Kind.REPS:
            add(
                StepKind.REP_SET, set_number, reps_min=p.reps_min, reps_max=p.reps_max,
                top_hold_seconds=p.top_hold_seconds,
            )
            add(StepKind.LOG, set_number, reps_min=p.reps_min, reps_max=p.reps_max)
        elif block.kind is Kind.HOLD:
            if p.accumulate:
                add(
                    StepKind.ACCUMULATED_HOLD, set_number, seconds=float(p.hold_seconds or 0),
                    brief_hold_min=p.brief_hold_min, brief_hold_max=p.brief_hold_max,
                )
            else:
                add(StepKind.HOLD, set_number, seconds=float(p.hold_seconds or 0))
        elif block.kind is Kind.INTERVAL:
            rounds = p.rounds or 1
            for round_number in range(rounds):
                add(
                    StepKind.INTERVAL_WORK, set_number, round_number=round_number,
                    round_count=rounds, seconds=float(p.work_seconds or 0),
                )
                if round_number < rounds - 1 and p.interval_rest_seconds:
                    add(
                        StepKind.INTERVAL_REST, set_number, round_number=round_number,
                        round_count=rounds, seconds=float(p.interval_rest_seconds),
                    )
        else:
            side_seconds = float(p.side_seconds or 0)
            add(StepKind.SIDE, set_number, side=Side.LEFT, seconds=side_seconds)
            if p.transition_seconds:
                add(StepKind.SWITCH, set_number, seconds=float(p.transition_seconds))
            add(StepKind.SIDE, set_number, side=Side.RIGHT, seconds=side_seconds)
        if p.rest_seconds:
            add(StepKind.REST, set_number, seconds=float(p.rest_seconds))
    return steps


def _check(block: PlanBlock) -> list[FieldError]:
    errors = block.prescription.validate(block.kind)
    # Plans allow back-to-back interval rounds (0 s between), e.g. a quick timer.
    back_to_back = block.prescription.interval_rest_seconds == 0
    return [e for e in errors if not (back_to_back and e.field == "interval_rest_seconds")]


def plan_from_blocks(
    title: str,
    blocks: Iterable[PlanBlock],
    *,
    workout_id: str | None = None,
    lead_in_s: float | None = None,
) -> Plan:
    """Validate the blocks and lay out their steps. Raises :class:`PlanError`."""
    blocks = tuple(blocks)
    problems = [(i, e) for i, block in enumerate(blocks) for e in _check(block)]
    if problems or not blocks:
        raise PlanError(problems)
    raw: list[Step] = []
    for block_index, block in enumerate(blocks):
        raw.extend(_block_steps(block, block_index))
    while raw and raw[-1].kind is StepKind.REST:  # no rest after the last set of the session
        raw.pop()
    steps = tuple(replace(step, index=index) for index, step in enumerate(raw))
    return Plan(title=title, workout_id=workout_id, blocks=blocks, steps=steps, lead_in_s=lead_in_s)


def build_plan(workout: Workout, catalog: Catalog) -> Plan:
    """The plan for a saved or built-in workout; names, kinds and key cues come from the catalog."""
    blocks = []
    for block in workout.blocks:
        movement = catalog.get(block.movement_id)
        blocks.append(
            PlanBlock(
                exercise_id=movement.id,
                name=movement.name,
                kind=movement.kind,
                prescription=block.prescription,
                key_cue=movement.key_cue,
            )
        )
    return plan_from_blocks(workout.name, blocks, workout_id=workout.id)


# --- Quick timer -----------------------------------------------------------------------------


def _quick(name: str, kind: Kind, prescription: Prescription, lead_in_s: float | None) -> Plan:
    block = PlanBlock(QUICK_TIMER_ID, name, kind, prescription)
    return plan_from_blocks(
        f"Quick timer: {prescription.summary(kind)}", [block], lead_in_s=lead_in_s
    )


def quick_hold_plan(
    seconds: int, sets: int = 1, rest_seconds: int = 0, lead_in_s: float | None = None
) -> Plan:
    """``sets`` single holds of ``seconds`` each (counted up past the target until stopped)."""
    prescription = Prescription(sets=sets, hold_seconds=seconds, rest_seconds=rest_seconds)
    return _quick("Hold", Kind.HOLD, prescription, lead_in_s)


def quick_accumulated_hold_plan(
    total_seconds: int,
    brief_min: int | None = None,
    brief_max: int | None = None,
    lead_in_s: float | None = None,
) -> Plan:
    """One total built from brief holds the person starts and stops."""
    prescription = Prescription(
        hold_seconds=total_seconds, accumulate=True, brief_hold_min=brief_min,
        brief_hold_max=brief_max,
    )
    return _quick("Accumulated hold", Kind.HOLD, prescription, lead_in_s)


def quick_interval_plan(
    work_seconds: int, rest_seconds: int, rounds: int, lead_in_s: float | None = None
) -> Plan:
    """``rounds`` of work/rest; ``rest_seconds`` may be 0 for back-to-back rounds."""
    prescription = Prescription(
        rounds=rounds, work_seconds=work_seconds, interval_rest_seconds=rest_seconds
    )
    return _quick("Intervals", Kind.INTERVAL, prescription, lead_in_s)


def quick_sides_plan(
    seconds: int,
    transition_seconds: int = 0,
    sets: int = 1,
    rest_seconds: int = 0,
    lead_in_s: float | None = None,
) -> Plan:
    """Left then right for ``seconds`` each, with an optional switch countdown between."""
    prescription = Prescription(
        sets=sets, side_seconds=seconds, transition_seconds=transition_seconds,
        rest_seconds=rest_seconds,
    )
    return _quick("Each side", Kind.PER_SIDE, prescription, lead_in_s)


def resume_index(plan: Plan, logged: Iterable[Entry]) -> int:
    """The step to resume an unfinished session at: the first work not yet logged.

    Work is matched by exercise, set index and side, so a resumed session never
    repeats a set that is already in the history. Returns the last step's index
    when everything was logged.
    """
    done = {(e.exercise_id, e.set_index, e.side) for e in logged}
    for step in plan.steps:
        if not step.work or step.kind is StepKind.LOG:
            continue
        if (step.exercise_id, step.entry_set_index, step.side) not in done:
            return step.index
    return len(plan.steps) - 1
