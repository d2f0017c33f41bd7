"""The command a hint names, as a `checkin` started by a test would print it.

Hints name a command that works as typed (assistant/invocation.py), so what a test
expects depends on how the program under test was started: in-process it is pytest's
own interpreter (`checkin_command`), in a subprocess `python -m assistant` (`child`).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import assistant
from assistant.invocation import command_prefix


def child(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> str:
    """What `sys.executable -m assistant` prints for `checkin_command(*args)`."""
    main = str(Path(assistant.__file__).parent / "__main__.py")
    path = (env if env is not None else os.environ).get("PATH")
    prefix = command_prefix(main, sys.executable, shutil.which("checkin", path=path),
                            cwd or Path.cwd())
    return " ".join([prefix, *args])
