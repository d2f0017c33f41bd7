"""How the person at the keyboard runs checkin, so every hint names a command that works.

Someone who cloned the repository and ran `./scripts/run.sh` has no `checkin` on their
PATH: a hint saying "run: checkin model download" would fail as typed. Every hint that
names a command builds it with `checkin_command(...)`, which says `checkin ...` only
when `checkin` on the PATH is this very program, and otherwise names the way this
process was actually started (`.venv/bin/checkin ...`, relative to the current folder
when it lies inside it, or `python -m assistant ...`).
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from functools import lru_cache
from pathlib import Path

PROGRAM = "checkin"


def command_prefix(argv0: str, executable: str, on_path: str | None, cwd: Path) -> str:
    """The words that start this program, as the user can type them in `cwd`.

    `argv0` is how the process was started: the `checkin` script, or, for `python -m
    assistant` (or anything else that is not a file), `executable` runs the package.
    `on_path` is what the shell finds for `checkin` (None: nothing).
    """
    as_module = Path(argv0).name == "__main__.py" or not Path(argv0).is_file()
    if on_path is not None and _same_program(on_path, argv0, executable, as_module):
        return PROGRAM
    if as_module:
        return f"{_typed_path(executable, cwd)} -m assistant"
    return _typed_path(argv0, cwd)


def _same_program(on_path: str, argv0: str, executable: str, as_module: bool) -> bool:
    """Whether the `checkin` the shell finds is the one running now."""
    if as_module:  # the entry script installed beside this interpreter
        return _real(Path(on_path).parent) == _real(Path(executable).parent)
    return _real(Path(on_path)) == _real(Path(argv0))


def _real(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def _typed_path(program: str, cwd: Path) -> str:
    """A path the shell runs as typed: relative (with a folder) inside `cwd`, else absolute."""
    path = Path(program)
    absolute = os.path.normpath(path if path.is_absolute() else cwd / path)
    here = os.path.normpath(cwd)
    if here == os.sep or not absolute.startswith(here + os.sep):  # not below cwd
        return shlex.quote(absolute)
    inside = absolute[len(here) + 1:]
    return shlex.quote(inside if os.sep in inside else f".{os.sep}{inside}")


@lru_cache(maxsize=1)
def _prefix() -> str:
    try:
        cwd = Path.cwd()
    except OSError:  # the current folder was removed: absolute paths still work
        cwd = Path("/")
    return command_prefix(sys.argv[0] or PROGRAM, sys.executable, shutil.which(PROGRAM), cwd)


def checkin_command(*args: str) -> str:
    """A command line the user can type as is, e.g. `.venv/bin/checkin model download`
    (each argument quoted for the shell where it needs it, e.g. a path with spaces)."""
    return " ".join([_prefix(), *(shlex.quote(arg) for arg in args)])
