"""The journal's rows for the last seed skills: how each partner feels loved, the patterns
each saw in themselves, and the counts gentle words keeps per turn.

Kept apart from store.py (the connection, the older tables) as plain SQL on a
connection the store hands in under its own lock. What a partner said is stored only
for `Loved` and `Pattern`, after their "save it"; of a turn, only counts.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from assistant.flow.events import Loved, Pattern

TABLES = {Loved: "loved", Pattern: "patterns"}


def insert(session_id: int, record: Loved | Pattern, when: str) -> tuple[str, tuple[Any, ...]]:
    """The statement that keeps a confirmed `Loved` or `Pattern`."""
    table = TABLES[type(record)]
    return (f"INSERT INTO {table} (session_id, partner, text, clock, at) VALUES (?, ?, ?, ?, ?)",
            (session_id, record.partner, record.text, record.at, when))


def loved(db: sqlite3.Connection, partners: tuple[str, str]) -> dict[str, str]:
    """Each partner's newest answer to how they feel loved (names matched without case)."""
    wanted = {p.casefold(): p for p in partners}
    found: dict[str, str] = {}
    for partner, text in db.execute("SELECT partner, text FROM loved ORDER BY id"):
        if partner.casefold() in wanted:
            found[wanted[partner.casefold()]] = text
    return found


def counts(db: sqlite3.Connection) -> dict[int, dict[str, tuple[int, int, int, int]]]:
    """Per session, per partner: (statements, "I" statements, loved kept, patterns kept)
    with loved and patterns counted per session under the key "" (not a partner)."""
    out: dict[int, dict[str, tuple[int, int, int, int]]] = {}
    for sid, partner, said, from_i in db.execute(
            """SELECT session_id, partner, SUM(statements), SUM(i_statements) FROM turns
               GROUP BY session_id, partner"""):
        out.setdefault(sid, {})[partner] = (int(said or 0), int(from_i or 0), 0, 0)
    for table, index in (("loved", 2), ("patterns", 3)):
        for sid, n in db.execute(f"SELECT session_id, COUNT(*) FROM {table} GROUP BY session_id"):
            row = list(out.setdefault(sid, {}).get("", (0, 0, 0, 0)))
            row[index] = int(n)
            out[sid][""] = (row[0], row[1], row[2], row[3])
    return out
