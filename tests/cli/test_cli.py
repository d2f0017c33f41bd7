"""The command line: version, help for every subcommand, and one-line errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from assistant import __version__
from assistant.cli import build_parser
from tests.support.cli import checkin


def test_version() -> None:
    run = checkin("--version")
    assert run.returncode == 0
    assert run.stdout.strip() == f"checkin {__version__}"


def test_help_describes_every_subcommand() -> None:
    run = checkin("--help")
    assert run.returncode == 0
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    names = list(sub.choices)  # type: ignore[union-attr]
    assert {"run", "guides"} <= set(names)
    for name in names:
        assert name in run.stdout
    for action in sub._choices_actions:  # type: ignore[attr-defined]
        assert action.help, f"{action.dest} has no help text"


def test_help_works_without_importing_heavy_libraries() -> None:
    code = ("import sys; from assistant.cli import build_parser; build_parser(); "
            "heavy = {'vosk', 'sounddevice', 'pyttsx3', 'onnxruntime', 'matplotlib'}; "
            "print(sorted(heavy & set(sys.modules)))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert run.stdout.strip() == "[]"


def test_guides_list_and_diagram() -> None:
    listing = checkin("guides")
    assert listing.returncode == 0
    for name in ("weekly", "daily", "review", "repair"):
        assert name in listing.stdout
    diagram = checkin("guides", "diagram", "weekly")
    assert diagram.returncode == 0
    assert "stateDiagram-v2" in diagram.stdout
    assert "sharing --> causes: advance" in diagram.stdout
    assert "paused --> sharing: resume" in diagram.stdout


def test_bad_options_give_one_line_without_traceback(tmp_path: Path) -> None:
    for args, expected in (
        (("run", "--text", "--names", "Ana"), '--names needs two names'),
        (("run", "--text", "--names", "Ana,Ben", "--turn-minutes", "-1"),
         "--turn-minutes must be greater than zero"),
        (("run", "--text", "--guide", "yearly"), "no guide named 'yearly'"),
    ):
        run = checkin(*args, "--data-dir", str(tmp_path))
        assert run.returncode == 2
        assert "Traceback" not in run.stderr
        lines = run.stderr.strip().splitlines()
        assert len(lines) == 1 and expected in lines[0], run.stderr
