"""A guide file written by a test: the smallest valid guide, and what `guides check`
finds wrong in a text."""

from __future__ import annotations

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
