"""`checkin` as a subprocess, run the way a person runs it: the one runner every test of
the real command line uses (its exit code, what it printed, what it left on disk).

The child gets this environment plus `PYTHONUTF8=1` (people's text is UTF-8 whatever the
machine's locale says), with `env` added and the names in `unset` removed."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]


def checkin_env(env: Mapping[str, str] | None = None,
                unset: Iterable[str] = ()) -> dict[str, str]:
    """This process's environment for a child `checkin`, changed as asked."""
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
