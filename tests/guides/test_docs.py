"""The architecture document shows the weekly flow as the machine draws it today."""

from __future__ import annotations

import re
from pathlib import Path

from assistant.flow.machine import mermaid_diagram
from assistant.guides import load_guide

DOC = Path(__file__).resolve().parents[2] / "docs" / "architecture.md"


def test_architecture_diagram_matches_the_machine() -> None:
    text = DOC.read_text(encoding="utf-8")
    block = re.search(r"<!-- weekly-diagram:start -->\n```mermaid\n(.*?)```\n", text, re.S)
    assert block, "docs/architecture.md lost its weekly diagram block"
    assert block.group(1).strip() == mermaid_diagram(load_guide("weekly")).strip(), (
        "regenerate it: checkin guides diagram weekly")
