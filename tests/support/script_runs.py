"""A script of scripts/ run as its documentation says: `python -m scripts.NAME` from the
checkout, for the smoke tests that keep every script from rotting unseen."""

from __future__ import annotations

import subprocess
import sys

from speechlab.checkin_process import checkin_env
from tests.support.cli import REPO


def run_script(name: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """`python -m scripts.NAME ARGS` to its end; what it printed, as text."""
    return subprocess.run([sys.executable, "-m", f"scripts.{name}", *args], cwd=REPO,
                          capture_output=True, text=True, encoding="utf-8", timeout=timeout,
                          check=False, env=checkin_env())
