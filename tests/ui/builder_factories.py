"""Small in-code catalog and workouts for the builder tests, and a scripted Asker.

Built here rather than loaded from resources so the builder tests pin exactly
the figures they assert on and do not break when the real data is edited.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from hipflex_desktop.domain.catalog import Catalog, Movement, Muscles
from hipflex_desktop.domain.prescription import Kind, Prescription
from hipflex_desktop.domain.workouts import Block, Workout
from hipflex_desktop.services import WorkoutLibrary
from hipflex_desktop.store.workouts import MemoryWorkoutRepository, WorkoutRepository
from hipflex_desktop.ui.asker import SaveChoice


def movement(
    movement_id: str, name: str, kind: Kind, prescription: Prescription, *,
    category: str = "strength", equipment: tuple[str, ...] = (),
) -> Movement:
    return Movement(
        id=movement_id,
        name=name,
        kind=kind,
        category=category,
        summary=f"{name} for testing.",
        muscles=Muscles(primary=("iliopsoas",)),
        equipment=equipment,
        steps=("Do it.",),
        cues=("Brace.",),
        mistakes=(),
        progressions=(),
        regressions=(),
        prescription=prescription,
        source_note="test",
        icon=f"{movement_id}.svg",
    )


LYING = movement("lying-leg-raise", "Lying leg raise", Kind.REPS,
                 Prescription(sets=3, reps_min=8, reps_max=12, rest_seconds=60))
HANGING = movement("hanging-leg-raise", "Hanging leg raise", Kind.REPS,
                   Prescription(sets=3, reps_min=6, reps_max=10, rest_seconds=90),
                   equipment=("pull-up bar",))
L_SIT = movement("l-sit-hold", "L-sit hold", Kind.HOLD,
                 Prescription(sets=1, hold_seconds=60, accumulate=True, brief_hold_min=5,
                              brief_hold_max=15, rest_seconds=60),
                 equipment=("parallettes",))
CLIMBER = movement("mountain-climber", "Mountain climber", Kind.INTERVAL,
                   Prescription(sets=1, rounds=3, work_seconds=30, interval_rest_seconds=30))
LUNGE = movement("kneeling-lunge-stretch", "Kneeling lunge stretch", Kind.PER_SIDE,
                 Prescription(sets=2, side_seconds=30, transition_seconds=5, rest_seconds=0),
                 category="stretch")
NO_ICON = movement("mystery-move", "Mystery move", Kind.REPS,
                   Prescription(sets=2, reps_min=5, reps_max=5))


def small_catalog() -> Catalog:
    return Catalog([LYING, HANGING, L_SIT, CLIMBER, LUNGE, NO_ICON])


def block_for(m: Movement, **changes: object) -> Block:
    return Block(movement_id=m.id, prescription=m.prescription.with_changes(**changes))


# Well over the 300 characters the builder once cut descriptions to, so a copy that
# loses its tail shows up in the tests.
LONG_DESCRIPTION = (
    "Long holds on each side. Settle into each position slowly and breathe out as you sink "
    "a little deeper; never bounce at the end of the range. Keep the back knee padded and "
    "the pelvis tucked under so the stretch lands at the front of the hip rather than in "
    "the lower back. Switch sides without rushing, and stop at once if anything pinches "
    "rather than pulls. On a busy day the first exercise alone is better than nothing."
)


def builtin_workouts() -> list[Workout]:
    return [
        Workout(
            id="starter-strength", name="Starter strength", builtin=True,
            description="Two lifts for the hip flexors.",
            blocks=(block_for(HANGING), block_for(CLIMBER)),
        ),
        Workout(
            id="stretch-routine", name="Stretch routine", builtin=True,
            description=LONG_DESCRIPTION,
            blocks=(block_for(LUNGE),),
        ),
    ]


def custom_workout(
    name: str = "My routine", workout_id: str = "custom-1",
    blocks: Sequence[Block] | None = None,
) -> Workout:
    """A custom workout with one block of every kind, in a known order."""
    return Workout(
        id=workout_id, name=name,
        blocks=tuple(blocks) if blocks is not None else (
            block_for(LYING), block_for(L_SIT), block_for(CLIMBER), block_for(LUNGE)),
    )


def make_library(
    custom: Iterable[Workout] = (), repo: WorkoutRepository | None = None,
) -> tuple[WorkoutLibrary, WorkoutRepository]:
    repository = repo if repo is not None else MemoryWorkoutRepository(list(custom))
    if repo is not None:
        for workout in custom:
            repository.save(workout)
    return WorkoutLibrary(small_catalog(), builtin_workouts(), repository), repository


@dataclass
class ScriptedAsker:
    """Answers questions from queues and records every question, in order.

    An unexpected question fails the test: a dialog nobody planned for is a bug.
    """

    confirms: deque[bool] = field(default_factory=deque)
    save_choices: deque[SaveChoice] = field(default_factory=deque)
    asked: list[tuple[str, str]] = field(default_factory=list)
    informed: list[str] = field(default_factory=list)

    def answer_confirm(self, *answers: bool) -> None:
        self.confirms.extend(answers)

    def answer_save(self, *answers: SaveChoice) -> None:
        self.save_choices.extend(answers)

    def confirm(self, parent: object, title: str, text: str, confirm_label: str) -> bool:
        self.asked.append(("confirm", text))
        assert self.confirms, f"unexpected confirmation: {text}"
        return self.confirms.popleft()

    def ask_save(self, parent: object, title: str, text: str) -> SaveChoice:
        self.asked.append(("save", text))
        assert self.save_choices, f"unexpected save question: {text}"
        return self.save_choices.popleft()

    def inform(self, parent: object, title: str, text: str) -> None:
        self.informed.append(text)
