"""What fuzzing found, each kept as a plain test: a guide `guides check` called ok (or could
not check at all) that then failed in the middle of a check-in."""

from __future__ import annotations

import copy
import sys
from pathlib import Path
from typing import Any

import pytest

from assistant.guides import parse_data, shipped_path
from tests.fuzz.walk import walk
from tests.support.cli import checkin

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def weekly() -> dict[str, Any]:
    return copy.deepcopy(tomllib.loads(shipped_path("weekly").read_text(encoding="utf-8")))


def test_a_step_kind_that_is_not_a_word_is_a_problem_not_a_crash() -> None:
    # before: TypeError: unhashable type: 'list' from `guides check` itself
    data = weekly()
    data["steps"][0]["kind"] = []
    guide, problems = parse_data(data)
    assert guide is None
    assert [str(p) for p in problems] == [
        "steps[0].kind: unknown step kind []; expected one of say, consent, turns, reflect, "
        "collect, rituals, followup, closing"]


def test_a_phrase_may_use_only_what_it_is_said_with() -> None:
    # before: ok, then KeyError: 'name' when the pause began
    data = weekly()
    data["phrases"] = {"pause_start": "{name}, let's pause for {pause}."}
    guide, problems = parse_data(data)
    assert guide is None
    assert [str(p) for p in problems] == [
        "phrases.pause_start: unknown placeholder {name}; this sentence can use {Say}, "
        "{pause}, {say}"]
    data["phrases"] = {"pause_start": "Let's pause for {pause}.", "warning": "{name}: {time}."}
    guide, problems = parse_data(data)
    assert problems == [] and guide is not None
    walk(guide)


@pytest.mark.parametrize("placeholder", ["{name:d}", "{name!r}", "{name:>99999999999}"])
def test_a_placeholder_with_a_format_is_a_problem(placeholder: str) -> None:
    # before: ok, then ValueError ("Unknown format code 'd'") at the consent, after the
    # welcome; a huge width would have built a line of billions of spaces
    data = weekly()
    data["steps"][1]["prompt"] = f"{placeholder}, are you ready? {{Say}} yes, or no."
    guide, problems = parse_data(data)
    assert guide is None
    assert [str(p) for p in problems] == [
        f"steps.consent.prompt: placeholder {placeholder} has a format; write it plain, like "
        "{name}"]


def test_a_data_folder_under_an_unknown_users_home_is_one_line(tmp_path: Path) -> None:
    # before: RuntimeError "Could not determine home directory." from every command
    for args in (("history", "--data-dir", "~no-such-user-here/journal"),
                 ("run", "--text", "--names", "Ana,Ben", "--data-dir", "~0")):
        run = checkin(*args)
        assert run.returncode == 2 and "Traceback" not in run.stderr, run.stderr
        assert "but there is no such user here; write the folder out in full." in run.stderr


def test_a_nul_in_a_config_file_path_is_one_line(tmp_path: Path) -> None:
    # before: ValueError: embedded null byte, from os.mkdir
    config = tmp_path / "config.toml"
    config.write_text('data_dir = "a\\u0000b"\n', encoding="utf-8")
    run = checkin("run", "--text", "--names", "Ana,Ben",
                  env={"CHECKIN_CONFIG": str(config)})
    assert run.returncode == 2 and "Traceback" not in run.stderr, run.stderr
    assert run.stderr.strip() == (f"checkin: {config}: data_dir holds a NUL character "
                                  "(\\u0000), which no name or file can; remove it")
