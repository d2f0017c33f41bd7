"""A guide file written by a test: the smallest valid guide, and what `guides check`
finds wrong in a text."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from assistant.guides import parse_file

MINIMAL = """
[guide]
name = "mine"

[[steps]]
id = "hello"
kind = "say"
prompts = ["Hello."]

[[steps]]
id = "bye"
kind = "closing"
prompts = ["{a_name} and {b_name}, thank you."]
goodbye = "Goodbye."
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "guide.toml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> list[str]:
    guide, found = parse_file(write(tmp_path, text))
    assert (guide is None) == bool(found)
    return [str(p) for p in found]


def shipped_without(folder: Path, name: str, *steps: str) -> Path:
    """A shipped guide with the steps named `steps` left out, written to `folder`: a
    room test that needs only the rest is shorter by their spoken prompts."""
    text = resources.files("assistant.guides").joinpath(f"{name}.toml").read_text("utf-8")
    head, *blocks = text.split("\n[[steps]]\n")
    kept = [b for b in blocks
            if not any(re.search(rf'^id = "{step}"$', b, re.MULTILINE) for step in steps)]
    assert len(kept) == len(blocks) - len(steps), f"{name} has no step among {steps}"
    path = folder / f"{name}-without-{'-'.join(steps)}.toml"
    path.write_text(head + "".join("\n[[steps]]\n" + b for b in kept), encoding="utf-8")
    return path
