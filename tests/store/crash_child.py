"""A short-lived process that logs sets as fast as it can until it is SIGKILLed.

Used by ``test_crash_kill.py``. Protocol on stdout, one line each, flushed:
``READY`` once the store is open; ``ACK <session> <entry>`` after each
``log_entry`` returned (so the entry is durable); ``FIN <session>`` after each
``finish_session`` returned. It carries on with an unfinished session left by
the previous life (resume, or save it as is), so kills hit every code path:
opening, recovery, logging, finishing and removing the journal.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from hipflex_desktop.domain.history import Entry, EntryKind, Session
from hipflex_desktop.store.history import HistoryStore


def main(data_dir: str, seed: str) -> None:
    rng = random.Random(seed)
    store, notices = HistoryStore.open(Path(data_dir), lock_timeout_s=10.0)
    bad = [n for n in notices if n.kind.value in ("restored-from-backup", "started-empty")]
    print("READY" if not bad else f"DAMAGE {bad}", flush=True)
    unfinished = store.unfinished_session()
    if unfinished is not None:
        if rng.random() < 0.7:
            store.resume_unfinished()
        else:
            saved = store.save_unfinished()
            print(f"FIN {saved.id}", flush=True)
    life = seed.replace(" ", "_")
    counter = 0

    def begin() -> Session:
        session = Session(
            id=f"{life}-s{counter}",
            workout_id="builtin-strength",
            workout_name="Crash test",
            started_at=1_700_000_000.0 + rng.random() * 200_000_000,
        )
        store.begin_session(session)
        return session

    active = store.active_session() or begin()
    while True:
        counter += 1
        entry = Entry(
            id=f"{life}-e{counter}",
            session_id=active.id,
            exercise_id="hanging-leg-raise",
            kind=EntryKind.REP_SET,
            set_index=counter,
            started_at=active.started_at + counter,
            ended_at=active.started_at + counter + 30,
            reps=rng.randint(5, 12),
            load=0.0,
            unit="kg",
        )
        store.log_entry(entry)
        print(f"ACK {active.id} {entry.id}", flush=True)
        if rng.random() < 0.15:
            finished = store.finish_session(active.started_at + counter + 60)
            print(f"FIN {finished.id}", flush=True)
            active = begin()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
