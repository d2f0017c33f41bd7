"""Ending a check-in's threads: joined with a bound, and one that did not stop is said.

A thread that hangs (a driver that never returns, a model that never loads) must not
hold the exit: every thread of a check-in is a daemon, joined with a timeout. But a
join that timed out is a fault worth a line, not something to pass over in silence.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable


def _to_stderr(line: str) -> None:
    print(f"checkin: {line}", file=sys.stderr, flush=True)


def join_or_report(thread: threading.Thread, timeout: float, what: str,
                   report: Callable[[str], None] = _to_stderr) -> bool:
    """Join `thread` for up to `timeout` s; whether it stopped (if not, `report` says so,
    naming `what` it was doing)."""
    thread.join(timeout)
    if thread.is_alive():
        report(f"{what} did not stop within {timeout:g} s; it is left to end with the "
               "process")
        return False
    return True
