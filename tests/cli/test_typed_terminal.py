"""The typed check-in on a real terminal (a pseudo-terminal): Ctrl-D and Ctrl-C.

Before: after Ctrl-D on a terminal the keyboard was gone for good ("I'm done" and "stop"
were never read), so each turn ran its full time (with a long turn, for an hour), and
Ctrl-C with spoken prompts took about 11 s to exit, though the README says "at once".
Now Ctrl-D stops the check-in then and there, keeping what was saved, and Ctrl-C stops
without finishing the prompt being spoken.
"""

from __future__ import annotations

import contextlib
import os
import pty
import select
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.journal.store import Journal
from speechlab import room as room_module
from speechlab.checkin_process import Screen
from tests.support.cli import start_checkin

CTRL_D = b"\x04"


@contextlib.contextmanager
def typed_on_a_terminal(tmp_path: Path, *extra: str) -> Iterator[tuple[Screen, int]]:
    """`checkin run --text` whose keyboard is a terminal; its output is read from a pipe."""
    master, slave = pty.openpty()
    with start_checkin("run", "--text", "--guide", "daily", "--names", "Ana,Ben", *extra,
                       data_dir=tmp_path, stdin=slave) as proc:
        os.close(slave)
        try:
            yield Screen(proc), master
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait(timeout=10)
            os.close(master)


def test_ctrl_d_during_a_turn_stops_the_checkin_at_once(tmp_path: Path) -> None:
    with typed_on_a_terminal(tmp_path, "--turn-minutes", "60") as (screen, keyboard):
        screen.expect("Ana, are you ready?")
        os.write(keyboard, b"yes\n")
        screen.expect("Ben, are you ready?")
        os.write(keyboard, b"yes\n")
        screen.expect("[Ana's turn: 60 minutes.")
        os.write(keyboard, CTRL_D)
        screen.expect("(end of input: stopping and keeping what was saved)", timeout=10)
        screen.expect("[check-in ended: stopped]", timeout=10)
        assert screen.proc.wait(timeout=10) == 0
    with Journal.open(tmp_path) as journal:
        (session,) = journal.sessions()
        assert session.end_reason == "stopped"


def test_ctrl_d_during_a_pause_stops_and_keeps_what_was_saved(tmp_path: Path) -> None:
    with typed_on_a_terminal(tmp_path) as (screen, keyboard):
        screen.expect("Ana, are you ready?")
        os.write(keyboard, b"yes\nyes\ndone\ndone\n")
        screen.expect("Ana, what do you appreciate about Ben today?")
        os.write(keyboard, b"you made tea\n")
        screen.expect('I heard: "you made tea"')
        os.write(keyboard, b"save it\npause\n")
        screen.expect("[pause: 10 minutes")
        os.write(keyboard, CTRL_D)
        screen.expect("[check-in ended: stopped]", timeout=10)
        assert screen.proc.wait(timeout=10) == 0
    with Journal.open(tmp_path) as journal:
        assert [a.text for a in journal.appreciations()] == ["you made tea"]


def read_until(fd: int, wanted: bytes, timeout: float) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while wanted not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                seen += os.read(fd, 4096)
            except OSError:  # the child closed the terminal
                break
    return seen


@pytest.mark.room
def test_ctrl_c_with_spoken_prompts_stops_at_once(plugged_room: room_module.Room,
                                                  tmp_path: Path) -> None:
    """On a terminal the typed check-in also speaks its prompts (the room's speakers);
    Ctrl-C while the welcome is still being spoken ends the process within a second."""
    master, slave = pty.openpty()
    proc = start_checkin("run", "--text", "--guide", "daily", "--names", "Ana,Ben",
                         data_dir=tmp_path, env=plugged_room.env(), stdin=slave, stdout=slave,
                         stderr=slave, text=False, start_new_session=True)
    os.close(slave)
    try:
        shown = read_until(master, b"Ana, are you ready?", timeout=30)
        assert b"Ana, are you ready?" in shown, shown.decode(errors="replace")
        os.killpg(proc.pid, signal.SIGINT)  # what the terminal sends for Ctrl-C
        pressed = time.monotonic()
        shown += read_until(master, b"--resume", timeout=20)
        proc.wait(timeout=20)
        took = time.monotonic() - pressed
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
        os.close(master)
    assert proc.returncode == 130
    assert b"interrupted; everything confirmed is saved" in shown
    assert took < 2.0, f"Ctrl-C took {took:.1f} s"
