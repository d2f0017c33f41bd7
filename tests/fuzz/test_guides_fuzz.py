"""Guide files, fuzzed: a shipped guide with random changes (numbers, counts, sentences,
placeholders, keys), or any bytes at all. `guides check` (parse_file / parse_data) either
lists problems, or the guide runs a whole check-in to its end on the fake clock: what
`guides check` calls ok, `run` can run.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from assistant.guides import SHIPPED, parse_data, parse_file, shipped_path
from tests.fuzz.walk import walk

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

SHIPPED_DATA = {name: tomllib.loads(shipped_path(name).read_text(encoding="utf-8"))
                for name in SHIPPED}
NUMBERS = st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                    st.integers(min_value=-10**20, max_value=10**20),
                    st.sampled_from([0, 1, 2, 50, 51, 60, 61, 600, 601, 3600, 0.001]))
ANY_VALUE = st.one_of(NUMBERS, st.booleans(), st.text(max_size=10), st.none(),
                      st.lists(st.text(max_size=5), max_size=2))
PIECES = st.sampled_from(["{name}", "{other}", "{text}", "{time}", "{say}", "{Say}", "{",
                          "}", "{{", "}}", "{name:d}", "{name!r}", "{name:>9999999999}",
                          "{0}", "{}", "{name.upper}", "{text[0]}", "\x1b[2J", "\u202e",
                          "\n", " ", "ok", "x" * 50])
SENTENCES = st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=6).map("".join)
SETTING_KEYS = st.sampled_from([
    "turn_minutes", "reflect_minutes", "confirm_seconds", "pause_minutes", "warning_seconds",
    "silence_nudge_seconds", "overrun_grace_seconds", "finish_silence_seconds",
    "item_end_silence_seconds", "breathing_seconds", "heat_limit", "interruption_seconds",
    "bogus"])


def mutate(data: dict[str, Any], draw: Any) -> None:
    """One random change to guide data, where a person editing a guide could make it."""
    steps = data.get("steps", [])
    kind = draw(st.sampled_from(["setting", "step_number", "sentence", "step_key", "meta",
                                 "phrase", "drop_step", "verb"]))
    if kind == "setting":
        data.setdefault("settings", {})[draw(SETTING_KEYS)] = draw(NUMBERS)
    elif kind == "step_number" and steps:
        step = draw(st.sampled_from(steps))
        step[draw(st.sampled_from(["minutes", "min", "max", "enough"]))] = draw(NUMBERS)
    elif kind == "sentence" and steps:
        step = draw(st.sampled_from(steps))
        keys = [k for k, v in step.items() if isinstance(v, (str, list)) and k not in
                ("id", "kind", "item", "agree")]
        if keys:
            key = draw(st.sampled_from(keys))
            step[key] = draw(st.one_of(SENTENCES, st.lists(SENTENCES, max_size=3)))
    elif kind == "step_key" and steps:
        draw(st.sampled_from(steps))[draw(st.sampled_from(
            ["optional", "offer", "wait", "agree", "item", "kind", "id", "typed", "title"]))] = \
            draw(st.one_of(ANY_VALUE, SENTENCES))
    elif kind == "meta":
        data.setdefault("guide", {})[draw(st.sampled_from(
            ["name", "title", "language", "description"]))] = draw(st.one_of(SENTENCES,
                                                                             ANY_VALUE))
    elif kind == "phrase":
        data.setdefault("phrases", {})[draw(st.sampled_from(
            ["readback_save", "warning", "pause_start", "stop", "saved", "nope"]))] = \
            draw(SENTENCES)
    elif kind == "drop_step" and steps:
        steps.pop(draw(st.integers(0, len(steps) - 1)))
    elif kind == "verb":
        data.setdefault("verbs", {})[draw(st.sampled_from(["voice", "typed"]))] = \
            draw(st.one_of(SENTENCES, ANY_VALUE))


@given(name=st.sampled_from(SHIPPED), changes=st.integers(1, 6), draw=st.data())
def test_a_changed_guide_is_refused_or_runs_to_its_end(name: str, changes: int,
                                                      draw: st.DataObject) -> None:
    data = copy.deepcopy(SHIPPED_DATA[name])
    for _ in range(changes):
        mutate(data, draw.draw)
    guide, problems = parse_data(data, source="fuzzed.toml")
    if problems:
        assert guide is None
        assert all("\n" not in str(p) for p in problems)
        return
    assert guide is not None
    walk(guide)
    walk(guide, typed=False)


@given(raw=st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode)))
def test_any_bytes_as_a_guide_file(tmp_path_factory: Any, raw: bytes) -> None:
    path = Path(tmp_path_factory.mktemp("guide")) / "mine.toml"
    path.write_bytes(raw)
    guide, problems = parse_file(path)
    assert (guide is None) == bool(problems)
    if guide is not None:
        walk(guide)
