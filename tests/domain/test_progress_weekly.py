"""Sessions per ISO week against the target, the streak, and the next workout."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hipflex_desktop.domain.history import Session
from hipflex_desktop.domain.progress import (
    DEFAULT_WORKOUT_ID,
    WeeklyTarget,
    local_time_in,
    next_workout,
    weekly_progress,
)

UTC_TIME = local_time_in(UTC)


def ts(year: int, month: int, day: int, hour: int = 18) -> float:
    return datetime(year, month, day, hour, tzinfo=UTC).timestamp()


def s(when: float, workout: str | None = "hip-flexor-workout", sid: str | None = None) -> Session:
    return Session(sid or f"s{when}", workout, "Workout", when, when + 1800)


# Wednesday 18 March 2026 (ISO week 12); Mondays: 16 Mar, 9 Mar, 2 Mar, 23 Feb.
NOW = ts(2026, 3, 18, 12)


def test_no_sessions() -> None:
    progress = weekly_progress([], NOW, to_local=UTC_TIME)
    assert progress.target == 2
    assert (progress.this_week.iso_year, progress.this_week.iso_week) == (2026, 12)
    assert progress.this_week.sessions == 0
    assert progress.sessions_left_this_week == 2
    assert progress.streak_weeks == 0
    assert progress.last_session is None
    assert progress.next_workout_id == DEFAULT_WORKOUT_ID
    assert len(progress.recent_weeks) == 8
    assert progress.recent_weeks[-1] == progress.this_week


def test_streak_ends_last_week_while_this_week_is_not_yet_met() -> None:
    sessions = [
        s(ts(2026, 2, 24)), s(ts(2026, 2, 26)),  # week 9
        s(ts(2026, 3, 3)), s(ts(2026, 3, 5)),    # week 10
        s(ts(2026, 3, 10)), s(ts(2026, 3, 14)),  # week 11
        s(ts(2026, 3, 16)),                      # week 12 (this week), 1 of 2
    ]
    progress = weekly_progress(sessions, NOW, to_local=UTC_TIME)
    assert progress.this_week.sessions == 1
    assert not progress.this_week.met
    assert progress.streak_weeks == 3
    met_now = weekly_progress([*sessions, s(ts(2026, 3, 17))], NOW, to_local=UTC_TIME)
    assert met_now.this_week.met
    assert met_now.streak_weeks == 4
    assert met_now.sessions_left_this_week == 0


def test_a_short_week_breaks_the_streak() -> None:
    sessions = [
        s(ts(2026, 2, 24)), s(ts(2026, 2, 26)),  # week 9 met
        s(ts(2026, 3, 3)),                       # week 10 short
        s(ts(2026, 3, 10)), s(ts(2026, 3, 14)),  # week 11 met
    ]
    progress = weekly_progress(sessions, NOW, to_local=UTC_TIME)
    assert progress.streak_weeks == 1
    assert [w.sessions for w in progress.recent_weeks[-4:]] == [2, 1, 2, 0]


def test_last_week_missed_means_no_streak() -> None:
    sessions = [s(ts(2026, 3, 3)), s(ts(2026, 3, 5))]  # week 10 only
    assert weekly_progress(sessions, NOW, to_local=UTC_TIME).streak_weeks == 0


def test_streak_runs_across_a_53_week_year() -> None:
    # 2026 has 53 ISO weeks: Monday 28 Dec 2026 starts week 53, Monday 4 Jan 2027 week 1.
    sessions = [
        s(ts(2026, 12, 22)), s(ts(2026, 12, 23)),  # 2026-W52
        s(ts(2026, 12, 29)), s(ts(2027, 1, 2)),    # 2026-W53
        s(ts(2027, 1, 5)), s(ts(2027, 1, 6)),      # 2027-W01
    ]
    progress = weekly_progress(sessions, ts(2027, 1, 7), to_local=UTC_TIME)
    assert (progress.this_week.iso_year, progress.this_week.iso_week) == (2027, 1)
    assert progress.streak_weeks == 3
    assert [(w.iso_year, w.iso_week) for w in progress.recent_weeks[-3:]] == [
        (2026, 52), (2026, 53), (2027, 1),
    ]


def test_weeks_are_local_weeks() -> None:
    # Sunday 15 March 23:30 UTC is already Monday 16 March in UTC+2.
    late = datetime(2026, 3, 15, 23, 30, tzinfo=UTC).timestamp()
    sessions = [s(late), s(ts(2026, 3, 17))]
    in_utc = weekly_progress(sessions, NOW, to_local=UTC_TIME)
    east = weekly_progress(sessions, NOW, to_local=local_time_in(timezone(timedelta(hours=2))))
    assert in_utc.this_week.sessions == 1
    assert east.this_week.sessions == 2


def test_only_the_chosen_workouts_count_when_set() -> None:
    sessions = [s(ts(2026, 3, 16), "hip-flexor-workout"), s(ts(2026, 3, 17), None)]
    everything = weekly_progress(sessions, NOW, to_local=UTC_TIME)
    direct_only = weekly_progress(
        sessions, NOW, to_local=UTC_TIME,
        target=WeeklyTarget(2, frozenset({"hip-flexor-workout"})),
    )
    assert everything.this_week.sessions == 2  # the imported leg day counts by default
    assert direct_only.this_week.sessions == 1
    assert direct_only.last_session is not None
    assert direct_only.last_session.workout_id is None  # still the latest session


def test_a_different_target_and_future_sessions() -> None:
    sessions = [s(ts(2026, 3, 16)), s(ts(2026, 3, 20))]  # the 20th is after NOW
    progress = weekly_progress(sessions, NOW, to_local=UTC_TIME, target=WeeklyTarget(1))
    assert progress.this_week.sessions == 1
    assert progress.this_week.met
    assert progress.streak_weeks == 1
    assert progress.last_session is not None
    assert progress.last_session.started_at == ts(2026, 3, 16)


def test_next_workout_is_the_least_recently_done_of_the_chosen() -> None:
    chosen = ["hip-flexor-workout", "l-sit-nordic-accessory", "hip-flexor-stretch-routine"]
    history = [
        s(ts(2026, 3, 10), "hip-flexor-stretch-routine"),
        s(ts(2026, 3, 12), "hip-flexor-workout"),
        s(ts(2026, 3, 14), "l-sit-nordic-accessory"),
    ]
    assert next_workout(history, chosen) == "hip-flexor-stretch-routine"
    assert next_workout(history[1:], chosen) == "hip-flexor-stretch-routine"  # never done
    assert next_workout([], chosen) == "hip-flexor-workout"  # never done: first in order
    assert next_workout(history, []) == DEFAULT_WORKOUT_ID
    progress = weekly_progress(history, NOW, to_local=UTC_TIME, chosen_workout_ids=chosen)
    assert progress.next_workout_id == "hip-flexor-stretch-routine"
