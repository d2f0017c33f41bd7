"""Check-in guides: what the assistant says and in which order, kept as TOML data.

A guide is a list of steps of a few kinds (flow/kinds.py: say, consent, turns, reflect,
collect, rituals, followup, closing) plus settings and phrases; a step may be optional
(offered first, skipped with "no" or "next"). Every sentence the assistant speaks lives in a
guide file (or in common.toml, which every guide inherits), never in code, so a
couple or a translator can write their own.

The package: `model.py` (what a guide is), `validate.py` (every problem with its key
and what was expected, so a hand-written guide can be fixed in one pass), and here,
finding and loading one by name or path.
"""

from __future__ import annotations

from pathlib import Path

from assistant.errors import GuideError
from assistant.guides.model import Guide, Step, shipped_path
from assistant.guides.own import own_guide_files
from assistant.guides.problems import Problem
from assistant.guides.settings import GuideSettings
from assistant.guides.validate import (
    guide_warnings,
    parse_data,
    parse_file,
)
from assistant.invocation import checkin_command

__all__ = [
    "DEFAULT_GUIDE", "SHIPPED", "Guide", "GuideSettings", "Problem", "Step",
    "guide_warnings", "list_guides", "load_guide", "own_guides", "parse_data", "parse_file",
    "shipped_path",
]

DEFAULT_GUIDE = "weekly"
SHIPPED = ("weekly", "daily", "review", "repair")


def list_guides() -> list[Guide]:
    """The guides shipped with checkin."""
    return [load_guide(name) for name in SHIPPED]


def own_guides() -> dict[str, Path]:
    """The user's own guide files by the name `--guide` takes (a shipped name stays shipped)."""
    return {name: path for name, path in own_guide_files().items()
            if name not in SHIPPED and name != "common"}


def load_guide(name_or_path: str | Path) -> Guide:
    """Load a guide by name (shipped, then the user's own folder) or a guide file by path;
    raise GuideError if it is missing or invalid."""
    text = str(name_or_path)
    path = Path(text)
    if text in SHIPPED:
        path = shipped_path(text)
    elif not path.suffix and not path.exists():
        own = own_guides()
        if text not in own:
            names = ", ".join((*SHIPPED, *own))
            raise GuideError(f"no guide named {text!r}; choose one of {names}, "
                             "or give a .toml file")
        path = own[text]
    guide, problems = parse_file(path)
    if problems or guide is None:
        first = problems[0] if problems else Problem("guide", "could not be read")
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise GuideError(
            f"{path}: {first}{more}; run: {checkin_command('guides', 'check', str(path))}"
        )
    return guide
