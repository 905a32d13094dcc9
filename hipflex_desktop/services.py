"""Qt-free wiring shared by the CLI and the GUI: catalog, workouts, store."""

from __future__ import annotations

from pathlib import Path

from hipflex_desktop.domain.catalog import Catalog
from hipflex_desktop.domain.catalog_loader import load_builtin_workouts, load_catalog
from hipflex_desktop.domain.prescription import FieldError
from hipflex_desktop.domain.workouts import Workout, validate_workout
from hipflex_desktop.store.workouts import TinyWorkoutRepository, WorkoutRepository


class WorkoutValidationError(ValueError):
    def __init__(self, problems: list[tuple[int | None, FieldError]]) -> None:
        super().__init__("; ".join(e.message for _, e in problems))
        self.problems = problems


class WorkoutLibrary:
    """Built-in templates (read-only) followed by the user's custom workouts."""

    def __init__(self, catalog: Catalog, builtins: list[Workout], repo: WorkoutRepository) -> None:
        self.catalog = catalog
        self._builtins = builtins
        self._repo = repo

    def all(self) -> list[Workout]:
        return [*self._builtins, *self._repo.list()]

    def custom(self) -> list[Workout]:
        return self._repo.list()

    def find(self, id_or_name: str) -> Workout | None:
        wanted = id_or_name.strip().casefold()
        for workout in self.all():
            if workout.id.casefold() == wanted or workout.name.casefold() == wanted:
                return workout
        return None

    def problems(self, workout: Workout) -> list[tuple[int | None, FieldError]]:
        return validate_workout(workout, self.catalog, self.all())

    def save(self, workout: Workout) -> None:
        """Validate, then persist; raises :class:`WorkoutValidationError` and saves nothing."""
        if workout.builtin:
            raise ValueError("built-in workouts are read-only; duplicate them first")
        problems = self.problems(workout)
        if problems:
            raise WorkoutValidationError(problems)
        self._repo.save(workout)

    def delete(self, workout_id: str) -> None:
        if any(w.id == workout_id for w in self._builtins):
            raise ValueError("built-in workouts cannot be deleted")
        self._repo.delete(workout_id)

    def unique_copy_name(self, base: str) -> str:
        taken = {w.name.casefold() for w in self.all()}
        candidate = f"{base} (copy)"
        n = 2
        while candidate.casefold() in taken:
            candidate = f"{base} (copy {n})"
            n += 1
        return candidate


def open_workout_library(data_dir: Path, catalog: Catalog | None = None) -> WorkoutLibrary:
    catalog = catalog or load_catalog()
    return WorkoutLibrary(catalog, load_builtin_workouts(catalog), TinyWorkoutRepository(data_dir))
