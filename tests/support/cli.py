"""`checkin` as a subprocess, run the way a person runs it: the one runner every test of
the real command line uses (its exit code, what it printed, what it left on disk).

The command and its environment are speechlab's (`checkin_command`, `checkin_env`), which
the room's check-ins use too."""

from __future__ import annotations

import subprocess
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from speechlab.checkin_process import checkin_command, checkin_env

REPO = Path(__file__).resolve().parents[2]


def checkin(*args: str, data_dir: Path | str | None = None, stdin: str = "",
            env: Mapping[str, str] | None = None, unset: Iterable[str] = (),
            timeout: float = 60, cwd: Path | None = None,
            prefix: Sequence[str] = ()) -> subprocess.CompletedProcess[str]:
    """Run `checkin ARGS` to its end with `stdin` typed in; its output as text (UTF-8)."""
    return subprocess.run(checkin_command(*args, data_dir=data_dir, prefix=prefix),
                          input=stdin, capture_output=True, text=True, encoding="utf-8",
                          timeout=timeout, check=False, cwd=cwd, env=checkin_env(env, unset))


def checkin_bytes(*args: str, data_dir: Path | str | None = None, stdin: bytes = b"",
                  env: Mapping[str, str] | None = None,
                  timeout: float = 60) -> subprocess.CompletedProcess[bytes]:
    """`checkin` with bytes in and out, for tests of bytes that are not UTF-8 text."""
    return subprocess.run(checkin_command(*args, data_dir=data_dir), input=stdin,
                          capture_output=True, timeout=timeout, check=False,
                          env=checkin_env(env))


def start_checkin(*args: str, data_dir: Path | str | None = None,
                  env: Mapping[str, str] | None = None,
                  **popen: Any) -> subprocess.Popen[str]:
    """`checkin ARGS` started, for a test that types and reads as it runs: stdin and stdout
    are text pipes (UTF-8) and stderr is dropped unless `popen` says otherwise."""
    streams: dict[str, Any] = {"stdin": subprocess.PIPE, "stdout": subprocess.PIPE,
                               "stderr": subprocess.DEVNULL, "text": True}
    streams.update(popen)
    if streams["text"]:
        streams["encoding"] = "utf-8"
    return subprocess.Popen(checkin_command(*args, data_dir=data_dir),
                            env=checkin_env(env), **streams)


def checkin_in_process(*args: str, stdin: str = "") -> int:
    """`checkin ARGS` in this process with `stdin` typed in: its exit code (what it
    printed is for the caller's `capsys`). Faster than a subprocess, for tests about
    what a check-in decides rather than how a process starts and ends; the caller sets
    the environment (`monkeypatch`)."""
    import io
    import sys

    from assistant.cli import main

    saved = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        return main(list(args))
    except SystemExit as done:  # argparse's own refusals exit
        return int(done.code or 0)
    finally:
        sys.stdin = saved
