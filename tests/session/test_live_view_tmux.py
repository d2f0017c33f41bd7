"""The real live view on a real terminal: `checkin run` hands-free inside tmux.

The check-in runs in the PulseAudio room with the Korean model, on a tmux pane of a
known size (its own tmux server, on its own socket). Keys are typed into the pane as a
partner would press them; `tmux capture-pane` reads what is on the screen.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.display import big, clock_text
from speechlab import room as room_module
from speechlab.checkin_process import checkin_command, trace_lines
from tests.support.models import ko_model_path
from tests.support.screen_rows import block_rows, countdown

pytestmark = [pytest.mark.room, pytest.mark.slow]

WIDTH, HEIGHT = 100, 30


class Pane:
    """One tmux pane on a private tmux server."""

    def __init__(self, socket: str, trace: Path | None = None) -> None:
        self.tmux = ["tmux", "-L", socket, "-f", "/dev/null"]
        self.trace = trace

    def start(self, command: str) -> None:
        subprocess.run([*self.tmux, "new-session", "-d", "-s", "view", "-x", str(WIDTH),
                        "-y", str(HEIGHT), command], check=True)

    def rows(self) -> list[str]:
        done = subprocess.run([*self.tmux, "capture-pane", "-p", "-t", "view"],
                              capture_output=True, text=True, check=True)
        return done.stdout.splitlines()

    def press(self, key: str) -> None:
        subprocess.run([*self.tmux, "send-keys", "-t", "view", key], check=True)

    def wait_for(self, shows: Callable[[list[str]], bool], what: str,
                 timeout: float = 30.0) -> list[str]:
        deadline = time.monotonic() + timeout
        rows: list[str] = []
        while time.monotonic() < deadline:
            rows = self.rows()
            if shows(rows):
                return rows
            time.sleep(0.2)
        tail = trace_lines(self.trace)[-30:] if self.trace else []
        raise AssertionError(f"never saw {what}; the pane showed:\n" + "\n".join(rows)
                             + "\nthe trace ended with:\n" + "\n".join(tail))

    def kill(self) -> None:
        subprocess.run([*self.tmux, "kill-server"], capture_output=True, check=False)


def has(text: str) -> Callable[[list[str]], bool]:
    return lambda rows: any(text in row for row in rows)


def shown_clock(rows: list[str]) -> str:
    """The countdown the pane shows, read back from its block font."""
    drawn = countdown(rows)
    scale = len(block_rows(rows)) // 5
    for seconds in range(46):
        if drawn == big(clock_text(seconds), scale):
            return clock_text(seconds)
    raise AssertionError("no countdown on the pane:\n" + "\n".join(rows))


def test_the_live_view_fills_a_real_terminal_and_leaves_it_clean(
        plugged_room: room_module.Room, tmp_path: Path) -> None:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    env = {k: v for k, v in plugged_room.env().items() if k.startswith("PULSE_")}
    trace = tmp_path / "trace.txt"  # what the session did, shown if the pane disappoints
    env["CHECKIN_TRACE"] = str(trace)
    checkin = checkin_command("run", "--guide", "daily", "--names", "Ana,Ben",
                              "--turn-minutes", "0.75", "--rate", "280",
                              "--model", str(ko_model_path()),
                              "--input-device", room_module.INPUT_DEVICE, data_dir=tmp_path)
    command = (f"cd {shlex.quote(os.getcwd())} && env PYTHONUTF8=1 "
               + " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items()) + " "
               + shlex.join(checkin) + "; echo checkin-exited-$?; sleep 60")
    pane = Pane(f"checkin-view-{os.getpid()}", trace)
    pane.start(command)
    try:
        pane.wait_for(has("Ana, are you ready?"), "the first consent question", timeout=60)
        pane.press("y")
        pane.wait_for(has("Ben, are you ready?"), "the second consent question")
        pane.press("y")
        rows = pane.wait_for(lambda r: any("Ana's turn" in row for row in r)
                             and len(block_rows(r)) >= HEIGHT / 3, "Ana's turn")
        assert len(rows) == HEIGHT and max(map(len, rows)) <= WIDTH
        text = "\n".join(rows)
        assert rows[0].startswith("Step ")
        assert "Ben listens" in text and "Ana 0:" in text and " Ben" in text
        assert "space next · p pause · r repeat · q stop" in rows[-1], "\n".join(rows)
        assert shown_clock(rows) == "0:45"  # held while the turn's prompt is spoken
        # the clock starts once every prompt before it is said: about 25 s of the
        # warm voice at --rate 280 (the welcome, the step, the turn's own prompt)
        rows = pane.wait_for(lambda r: shown_clock(r) < "0:45", "the turn's clock to run",
                             timeout=45)
        # the session's ticks redraw it: the next second shows within about a second
        first = shown_clock(rows)
        rows = pane.wait_for(lambda r: shown_clock(r) != first, "the next second", timeout=1.5)
        assert shown_clock(rows) < first
        pane.press("q")
        rows = pane.wait_for(has("checkin-exited-"), "the check-in to end")
        assert any("checkin-exited-0" in row for row in rows), "\n".join(rows)
        assert not block_rows(rows)  # the alternate screen is gone: the shell's own rows
        assert not any("Ana's turn" in row for row in rows)
    finally:
        pane.kill()
