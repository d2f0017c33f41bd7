"""`checkin run` driven from outside, as a couple would: a subprocess in the virtual room.

The check-in's printed lines are read as they appear (`Screen`), typed lines go to its
stdin (the keyboard works beside the voice), and its trace (`CHECKIN_TRACE`) says
what it heard and did, on the session clock (this machine's monotonic clock).
"""

from __future__ import annotations

import contextlib
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from speechlab import room as room_module


def checkin_env(env: Mapping[str, str] | None = None,
                unset: Iterable[str] = ()) -> dict[str, str]:
    """This process's environment for a child `checkin`, changed as asked: `env` added,
    the names in `unset` removed, and `PYTHONUTF8=1` (people's text is UTF-8 whatever
    the machine's locale says)."""
    dropped = set(unset)
    full = {k: v for k, v in os.environ.items() if k not in dropped}
    full["PYTHONUTF8"] = "1"
    full.update(env or {})
    return full


def checkin_command(*args: str, data_dir: Path | str | None = None,
                    prefix: Sequence[str] = ()) -> list[str]:
    """`python -m assistant ARGS [--data-dir DATA_DIR]`, after `prefix` (e.g. strace)."""
    folder = ["--data-dir", str(data_dir)] if data_dir is not None else []
    return [*prefix, sys.executable, "-m", "assistant", *args, *folder]


# What the assistant must never hear from an empty room: the trace's self-heard events.
HEARD = re.compile(r" event (SpeechStarted|SpeechEnded|Utterance|Partial|VoiceRaised)\(|"
                   r" event Command\(.*spoken=True\)")


class Screen:
    """The check-in's printed lines, with the moment each appeared."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.proc = proc
        self.lines: queue.Queue[tuple[float, str]] = queue.Queue()
        self.seen: list[tuple[float, str]] = []
        self.mark = 0.0  # when the line last expected appeared
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        with contextlib.suppress(ValueError):  # closed when the test ends early
            for line in self.proc.stdout:
                self.lines.put((time.monotonic(), line.rstrip("\n")))

    def expect(self, text: str, timeout: float = 30.0) -> float:
        """Wait for a line containing `text` (after the last one expected); its time."""
        for at, line in self.seen:
            if text in line and at >= self.mark:
                self.mark = at
                return at
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                at, line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            self.seen.append((at, line))
            if text in line:
                self.mark = at
                return at
        shown = "\n".join(line for _, line in self.seen[-25:])
        raise AssertionError(f"never saw {text!r}; the screen ended with:\n{shown}")

    def type(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()


@contextlib.contextmanager
def killed_on_failure(proc: subprocess.Popen[str], trace: Path) -> Iterator[None]:
    """A failing step ends the check-in (else leaving `with Popen` would wait for it
    forever) and says what the check-in last did: the tail of its trace."""
    try:
        yield
    except BaseException as err:
        with contextlib.suppress(ProcessLookupError):
            if os.getpgid(proc.pid) == proc.pid:  # its own group: a tracer and its check-in
                os.killpg(proc.pid, signal.SIGKILL)
        proc.kill()
        lines = trace.read_text(encoding="utf-8").splitlines()[-40:] if trace.exists() else []
        raise AssertionError(f"{err}\n--- the check-in's trace ended with:\n" + "\n".join(lines)) \
            from err


# The prompts' rate in room check-ins: 240 words a minute against pyttsx3's 200. Prompts
# are most of a room check-in's length; the gate, the echo check and the flow do not
# depend on how fast the voice speaks, and --rate is a setting users have.
PROMPT_RATE = 240


def start_voice_checkin(room: room_module.Room, data_dir: Path, *args: str,
                        strace_log: Path | None = None,
                        model: str | Path | None = None) -> subprocess.Popen[str]:
    """`checkin run` hands-free in the room, traced to data_dir/trace.txt; under
    `strace` (network system calls only) when asked. The model is the one `checkin
    run` chooses for English (the bundled Whisper), or `model`."""
    env = checkin_env({**room.env(), "CHECKIN_TRACE": str(data_dir / "trace.txt")})
    chosen = ["--model", str(model)] if model is not None else []
    cmd = checkin_command("run", *chosen, "--input-device", room_module.INPUT_DEVICE,
                          "--no-display", "--rate", str(PROMPT_RATE), *args, data_dir=data_dir,
                          prefix=strace_command(strace_log) if strace_log is not None else ())
    return subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env,
                            start_new_session=True)


def strace_command(log: Path) -> list[str]:
    """Trace every process and thread's socket calls (seccomp: nothing else slows down)."""
    return ["strace", "-f", "--seccomp-bpf", "-e", "trace=socket,connect,sendto,bind",
            "-o", str(log)]


def network_calls(log: Path) -> list[str]:
    """The traced calls that touch an IPv4 or IPv6 socket (local sockets are fine)."""
    return [line for line in log.read_text(errors="replace").splitlines()
            if "AF_INET" in line]


def trace_lines(trace: Path) -> list[str]:
    return trace.read_text(encoding="utf-8").splitlines() if trace.exists() else []


def voice_in_use(trace: Path) -> str:
    """The voice the check-in spoke with, as its trace names it ("" when it did not say)."""
    found = [line.split(" voice ", 1)[1] for line in trace_lines(trace) if " voice " in line
             and line.split()[1] == "voice"]
    return found[0] if found else ""


def self_heard(trace: Path) -> list[str]:
    """Every trace line in which the check-in heard something (speech or a spoken command)."""
    return [line for line in trace_lines(trace) if HEARD.search(line)]


def prompts_done_after(trace: Path, since: float, timeout: float = 40.0) -> float:
    """Wait (bounded) until the check-in reports its queued prompts spoken after `since`
    (its trace says PromptsDone on the session clock); returns that time."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for line in trace_lines(trace):
            if " event PromptsDone(" in line and float(line.split()[0]) >= since:
                return float(line.split()[0])
        time.sleep(0.1)
    raise AssertionError(f"the prompts were not spoken within {timeout} s")


def heard_after(trace: Path, prompt: str) -> list[str]:
    """The texts of the utterances the check-in heard after a prompt, until the next one."""
    texts: list[str] = []
    seen = False
    for line in trace_lines(trace):
        if " action Say(" in line:
            if texts:
                break
            seen = seen or prompt in line
        elif seen and " event Utterance(" in line:
            found = re.search(r"text=(?P<q>['\"])(?P<text>.*?)(?P=q), audio_start=", line)
            assert found, line
            texts.append(found.group("text"))
    return texts


def say_until(room: room_module.Room, screen: Screen, trace: Path, asked: float,
              words: Any, answer: str, tries: int = 3) -> int:
    """A partner says `words` once the assistant has finished the question it showed at
    `asked`, and again if `answer` does not appear, as a person would; returns how many
    times it took (AssertionError after `tries`)."""
    for attempt in range(1, tries + 1):
        prompts_done_after(trace, asked)
        time.sleep(1.0)  # a person answers a moment after the question, not on its last sample
        room.play(words).wait(timeout=10)
        try:
            screen.expect(answer, timeout=6)
            return attempt
        except AssertionError:
            continue
    raise AssertionError(f"{tries} spoken attempts never led to {answer!r}")
