"""A journal exactly as the first release left it: the rows, and the file made from them
(for the migration tests and every test that upgrades an old journal)."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from assistant.journal.paths import DB_NAME
from assistant.journal.schema import V1, migrate

V1_ROWS: dict[str, list[tuple[object, ...]]] = {
    "sessions": [
        (
            1,
            "weekly",
            "Joon",
            "Min-ji",
            "2024-03-03T10:00:00+00:00",
            "2024-03-03T10:30:00+00:00",
            "completed",
        ),
        (
            2,
            "review",
            "Joon",
            "Min-ji",
            "2024-03-17T10:00:00+00:00",
            "2024-03-17T10:15:00+00:00",
            "completed",
        ),
        (
            3,
            "weekly",
            "Joon",
            "Min-ji",
            "2024-03-24T10:00:00+00:00",
            "2024-03-24T10:30:00+00:00",
            "completed",
        ),
        (
            4,
            "review",
            "Joon",
            "Min-ji",
            "2024-04-08T10:00:00+00:00",
            "2024-04-08T10:15:00+00:00",
            "completed",
        ),
        (5, "weekly", "Joon", "Min-ji", "2024-04-14T10:00:00+00:00", None, None),
    ],
    "steps": [
        (1, 1, "welcome", 0, 0.0, "2024-03-03T10:00:00+00:00"),
        (2, 5, "sharing", 1, 61.5, "2024-04-14T10:01:01+00:00"),
    ],
    "turns": [
        (1, 1, "sharing", "Joon", 300.0, 280.0, 250.5, "done", "2024-03-03T10:05:00+00:00"),
        (2, 1, "sharing", "Min-ji", 300.0, 300.0, 290.0, "time", "2024-03-03T10:10:00+00:00"),
    ],
    "heat_events": [
        (1, 1, "voice", "sharing", -10.5, -24.0, 120.0, "2024-03-03T10:02:00+00:00"),
        (2, 1, "pause", "sharing", None, None, 125.0, "2024-03-03T10:02:05+00:00"),
    ],
    "appreciations": [
        (
            1,
            1,
            "Joon",
            "Min-ji",
            'You "always" listen,\nthank you — 고마워',
            0.81,
            1500.0,
            "2024-03-03T10:25:00+00:00",
        ),
        (2, 2, "Min-ji", "Joon", "the walk", 0.95, 700.0, "2024-03-17T10:12:00+00:00"),
    ],
    "causes": [(1, 1, "Min-ji", "overtime", 900.0, "2024-03-03T10:15:00+00:00")],
    "rituals": [
        (1, 1, "Joon", "nightly check-in", "2024-03-03", 1000.0, "2024-03-03T10:16:40+00:00"),
        (2, 1, "Min-ji", "weekend walk", "2024-03-03", 1010.0, "2024-03-03T10:16:50+00:00"),
        (3, 3, "Joon", "phones away at dinner", "2024-03-24", 1000.0, "2024-03-24T10:16:40+00:00"),
    ],
}


def make_v1_journal(folder: Path) -> Path:
    """A journal exactly as the first release left it (migration 1 only, rows added with SQL)."""
    folder.mkdir(mode=0o700)
    path = folder / DB_NAME
    db = sqlite3.connect(path, isolation_level=None)
    with contextlib.closing(db):
        assert migrate(db, target=V1.version) == 1
        for table, rows in V1_ROWS.items():
            marks = ", ".join("?" * len(rows[0]))
            db.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
    return path
