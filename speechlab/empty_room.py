"""Whole check-ins in an empty room: nobody speaks, everything is typed.

Used by the suite (tests/session/test_empty_room.py: the daily guide, once with each
voice) and by scripts/eval_empty_room.py (the weekly guide, repeatedly, with a busy
core). The guides are the shipped ones with short timings. The weekly run passes
through every kind of sound the assistant makes in about three minutes: the welcome
while the speech model loads in the background, both consent questions, a reprompt
and a repeat, the turns' chimes, warnings, silence nudges and time's-up lines, a
pause with its breathing prompts and the welcome back, every collect prompt, and the
closing; the daily run has one of each kind but the reflections and the optional
steps, in a little over a minute. The partners answer a moment after each prompt has
been heard, so the room is silent after every prompt (where an echo would show), not
filled with back-to-back prompts.
"""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from speechlab import room as room_module
from speechlab.checkin_process import (
    Screen,
    killed_on_failure,
    network_calls,
    prompts_done_after,
    self_heard,
    start_voice_checkin,
    trace_lines,
    voice_in_use,
)

SHORT_SETTINGS = """[settings]
turn_minutes = 0.25
reflect_minutes = 0.1
confirm_seconds = 4
pause_minutes = 0.2
warning_seconds = 6
silence_nudge_seconds = 4
finish_silence_seconds = 2
breathing_seconds = 5
"""
ANSWER_AFTER = 0.8  # seconds between a prompt heard to its end and the typed answer


def short_guide(name: str, folder: Path) -> Path:
    """A shipped guide with 15 s turns, 6 s reflections, 4 s checks and a 12 s pause."""
    text = resources.files("assistant.guides").joinpath(f"{name}.toml").read_text("utf-8")
    text = re.sub(r"\[settings\]\n(?:[^\[\n][^\n]*\n|\n)*", SHORT_SETTINGS + "\n", text, count=1)
    path = folder / f"{name}-short.toml"
    path.write_text(text, encoding="utf-8")
    return path


@dataclass
class EmptyRoomRun:
    """What one empty-room check-in left behind."""

    trace: Path
    seconds: float
    strace_log: Path | None = None
    heard: list[str] = field(default_factory=list)  # self-heard trace lines (must be none)
    prompts: int = 0
    echo_seconds: float = 0.0  # the gate's own count of echo it recognised
    network: list[str] = field(default_factory=list)  # IPv4/IPv6 socket calls (must be none)
    voice: str = ""  # the voice the prompts were said with


Answer = Callable[[str, str], None]  # type `line` once the prompt with `after` was heard


def _consents_and_a_paused_turn(screen: Screen, answer: Answer) -> None:
    """Both consents (after a reprompt and a repeat), then Ana's turn: paused at once,
    its breathing prompts, the welcome back, and the turn running out."""
    answer("Ana, are you ready", "next")  # not an answer: one reprompt
    answer("Please say yes, or no.", "repeat")
    answer("Ana, are you ready", "yes")
    answer("Ben, are you ready", "yes")
    answer("Ana, you have 15 seconds.", "pause")
    screen.expect("Breathe in slowly")
    screen.expect("Welcome back.", timeout=40)
    screen.expect("Ana, you have")  # the same turn, with the time it had
    screen.expect("Take your time, Ana.")
    screen.expect("Ana, about 6 seconds left.")
    screen.expect("Time's up. Thank you, Ana.", timeout=40)


def run_empty_weekly(room: room_module.Room, folder: Path, strace: bool = False,
                     model: str | Path | None = None,
                     voice: str | None = None) -> EmptyRoomRun:
    """One whole weekly check-in in `room`, answered by keyboard only, on the model
    `checkin run` chooses (or `model`), said by the voice it chooses (or `voice`)."""

    def weekly(screen: Screen, answer: Answer) -> None:
        screen.expect("Welcome. Thank you both", timeout=60)
        _consents_and_a_paused_turn(screen, answer)
        screen.expect("Ben, you have 6 seconds to tell Ana what you heard.")  # reflecting
        screen.expect("Time's up. Thank you, Ben.", timeout=40)
        screen.expect("Ana, did Ben hear you right?")
        screen.expect("Time's up. Thank you, Ana.", timeout=40)
        screen.expect("Ben, you have 15 seconds.")
        screen.expect("Take your time, Ben.", timeout=40)
        screen.expect("Time's up. Thank you, Ben.", timeout=40)
        screen.expect("Ana, you have 6 seconds to tell Ben what you heard.")
        screen.expect("Time's up. Thank you, Ana.", timeout=40)
        screen.expect("Ben, did Ana hear you right?")
        screen.expect("Time's up. Thank you, Ben.", timeout=40)
        for who in ("Ana", "Ben", "Ana", "Ben", "Ana"):
            answer(f"{who}, name one thing that has pulled you apart.", "next")
        answer("Would you like to tell each other what makes you feel most loved", "next")
        for who in ("Ana", "Ben"):
            answer(f"{who}, suggest one small ritual.", "next")
        answer("Would you like to plan one shared activity", "next")  # the optional steps
        answer("Would you like to ask each other what would help", "next")
        for who, other in (("Ana", "Ben"), ("Ben", "Ana")):
            answer(f"{who}, what do you appreciate about {other}?", "next")
        screen.expect("Goodbye for now.", timeout=40)

    chosen = ("--voice", voice) if voice is not None else ()
    return _run_empty(room, folder, ("--guide", str(short_guide("weekly", folder)), *chosen),
                      weekly, strace, model)


def run_empty_daily(room: room_module.Room, folder: Path, strace: bool = False,
                    voice: str | None = None) -> EmptyRoomRun:
    """One whole daily check-in in `room`, answered by keyboard only: a reprompt and a
    repeat, a pause with its breathing prompts in the first turn, both turns running
    out with their nudges and warnings, and both appreciations passed over."""

    def daily(screen: Screen, answer: Answer) -> None:
        screen.expect("Hello, you two.", timeout=60)
        _consents_and_a_paused_turn(screen, answer)
        screen.expect("Ben, you have 15 seconds.")
        screen.expect("Take your time, Ben.", timeout=40)
        screen.expect("Time's up. Thank you, Ben.", timeout=40)
        for who, other in (("Ana", "Ben"), ("Ben", "Ana")):
            answer(f"{who}, what do you appreciate about {other} today?", "next")
        screen.expect("Have a good evening. Goodbye.", timeout=40)

    chosen = ("--voice", voice) if voice is not None else ()
    return _run_empty(room, folder, ("--guide", str(short_guide("daily", folder)), *chosen),
                      daily, strace, None)


def run_empty_declined(room: room_module.Room, folder: Path,
                       model: str | Path | None = None,
                       voice: str | None = None) -> EmptyRoomRun:
    """The shortest whole check-in in `room`: the daily guide's welcome, and Ana says no
    when asked if she is ready (typed; the smoke run of scripts/eval_empty_room.py)."""

    def declined(screen: Screen, answer: Answer) -> None:
        screen.expect("Hello, you two.", timeout=60)
        answer("Ana, are you ready?", "no")
        screen.expect("Goodbye for now.", timeout=40)

    chosen = ("--voice", voice) if voice is not None else ()
    return _run_empty(room, folder, ("--guide", "daily", *chosen), declined, False, model)


def _run_empty(room: room_module.Room, folder: Path, guide: tuple[str, ...],
               script: Callable[[Screen, Answer], None], strace: bool,
               model: str | Path | None) -> EmptyRoomRun:
    """`checkin run` in `room` with `guide`, driven by `script` (keyboard only), to its
    end; what it heard and did."""
    trace = folder / "trace.txt"
    strace_log = folder / "strace.txt" if strace else None
    began = time.monotonic()
    with start_voice_checkin(room, folder, *guide, "--names", "Ana,Ben",
                             strace_log=strace_log, model=model) as proc, \
            killed_on_failure(proc, trace):
        screen = Screen(proc)

        def answer(after: str, line: str, timeout: float = 40.0) -> None:
            """Type `line` a moment after the prompt containing `after` has been heard."""
            shown = screen.expect(after, timeout)
            prompts_done_after(trace, shown)
            time.sleep(ANSWER_AFTER)
            screen.type(line)

        script(screen, answer)
        code = proc.wait(timeout=60)
        if code != 0:
            assert proc.stderr is not None
            raise AssertionError(f"checkin exited with {code}: {proc.stderr.read()[-2000:]}")
    lines = trace_lines(trace)
    gate = [line for line in lines if " note gate: " in line]
    echo = float(gate[-1].split(" s as echo")[0].rsplit(" ", 1)[-1]) if gate else 0.0
    return EmptyRoomRun(
        trace=trace, seconds=time.monotonic() - began, strace_log=strace_log,
        heard=self_heard(trace), prompts=sum(" action Say(" in line for line in lines),
        echo_seconds=echo, network=network_calls(strace_log) if strace_log else [],
        voice=voice_in_use(trace))


def busy_core() -> subprocess.Popen[bytes]:
    """Another process keeping one core busy, as a laptop rarely is idle: a session of
    its own, so it competes with the check-in as another program would (Linux shares
    the CPU between sessions first)."""
    import sys

    return subprocess.Popen([sys.executable, "-c", "while True: pass"],
                            start_new_session=True)
