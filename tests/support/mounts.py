"""Tiny real filesystems for the tests of a full or read-only disk (tmpfs mounts, where
this machine allows mounting; otherwise the test is skipped with the reason)."""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


@contextlib.contextmanager
def tmpfs(where: Path, size_kb: int, read_only: bool = False) -> Iterator[Path]:
    """A tiny real filesystem, or skip when this machine does not allow mounting."""
    where.mkdir()
    options = f"size={size_kb}k,mode=0755" + (",ro" if read_only else "")
    try:
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)], capture_output=True
        )
    except FileNotFoundError:
        pytest.skip("no mount command here")
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield where
    finally:
        if subprocess.run(["umount", str(where)], check=False).returncode != 0:
            subprocess.run(["umount", "-l", str(where)], check=False)


def remount(where: Path, flag: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{flag}", str(where)], check=True)
