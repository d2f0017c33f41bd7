"""kill -9 right after an item is saved: it is there after restart, byte for byte.

The child process uses only the public Journal API (what the session calls), prints a
line after each commit and then is killed with SIGKILL; no close, no checkpoint.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from assistant.journal.paths import DB_NAME
from assistant.journal.store import Journal
from tests.support.cli import REPO

TEXT = 'Thank you for "the walk" — 산책 고마워 🌿\nand for the tea,\r\n\tevery morning.'

CHILD = r"""
import sys, time
from datetime import datetime
from assistant.flow.events import Appreciation, StepRecord
from assistant.journal.store import Journal

journal = Journal.open(sys.argv[1])
sid = journal.begin_session("weekly", ("Joon", "Min-ji"), datetime.now())
journal.record(sid, StepRecord("appreciations", 4, 1500.0), datetime.now())
if sys.argv[2] == "one":
    journal.record(sid, Appreciation("Joon", "Min-ji", sys.stdin.readline()[:-1]
                   .encode().decode("unicode_escape"), 0.91, 1510.0), datetime.now())
    print("saved", flush=True)
    time.sleep(600)
else:
    n = 0
    while True:
        n += 1
        journal.record(sid, Appreciation("Joon", "Min-ji", f"item {n}", 0.5, float(n)),
                       datetime.now())
        print(n, flush=True)
"""


def start_child(data_dir: Path, mode: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(data_dir), mode],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )


def integrity(path: Path) -> str:
    with contextlib.closing(sqlite3.connect(path)) as db:
        return str(db.execute("PRAGMA integrity_check").fetchone()[0])


def test_kill_9_after_save_keeps_the_appreciation_exactly(tmp_path: Path) -> None:
    with start_child(tmp_path, "one") as child:
        try:
            assert child.stdin is not None and child.stdout is not None
            child.stdin.write(TEXT.encode("unicode_escape").decode("ascii") + "\n")
            child.stdin.flush()
            assert child.stdout.readline().strip() == "saved"
            os.kill(child.pid, signal.SIGKILL)
        finally:
            child.kill()
            child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL
    assert (tmp_path / f"{DB_NAME}-wal").exists()  # nothing was checkpointed or closed
    with Journal.open(tmp_path) as journal:
        (saved,) = journal.appreciations()
        assert saved.text.encode("utf-8") == TEXT.encode("utf-8")
        assert (saved.from_partner, saved.to_partner, saved.confidence) == ("Joon", "Min-ji", 0.91)
        unfinished = journal.unfinished_session()
        assert unfinished is not None and unfinished.last_step == "appreciations"
    assert integrity(tmp_path / DB_NAME) == "ok"


def test_kill_9_in_the_middle_of_a_stream_of_saves(tmp_path: Path) -> None:
    with start_child(tmp_path, "many") as child:
        try:
            assert child.stdout is not None
            last = 0
            while last < 200:
                last = int(child.stdout.readline())
            os.kill(child.pid, signal.SIGKILL)
        finally:
            child.kill()
            child.wait(timeout=10)
    assert integrity(tmp_path / DB_NAME) == "ok"
    with Journal.open(tmp_path) as journal:
        texts = [a.text for a in journal.appreciations()]
    # Every acknowledged item is there, in one unbroken run: the child may have saved
    # a few more between its last line read here and the kill (its output is buffered
    # in the pipe), but never leaves a hole or a half-written row.
    assert len(texts) >= last
    assert sorted(texts) == sorted(f"item {n}" for n in range(1, len(texts) + 1))
