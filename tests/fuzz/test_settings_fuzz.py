"""Settings from flags and from the config file, fuzzed: whatever comes in, either the
project's own one-line error, or settings a whole check-in runs with (on the fake clock).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from assistant.cli import build_parser
from assistant.errors import CheckinError
from assistant.journal.store import Journal
from assistant.session.plan import load_checkin_guide
from assistant.settings import CONFIG_KEYS, build_settings, parse_names, read_config
from tests.fuzz.walk import walk

NUMBER_WORDS = st.sampled_from(["nan", "inf", "-inf", "1e308", "-1e308", "0", "-0", "5e-324",
                                "60", "60.0000001", "0.05", "1e-9", "3", "40", "600", "601",
                                "1_0", "0x10", " 5 ", "five", ""])
NUMBERS = st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                    st.integers(min_value=-10**30, max_value=10**30))
# People's text, with what terminals obey and bytes that were not text (surrogates).
TEXT = st.text(st.one_of(st.characters(codec="utf-8"), st.sampled_from(
    ["\x1b", "\r", "\x07", "\u202e", "\x9b", ",", "{", "}", "\udcff", " "])), max_size=30)
FLAGS = ("--turn-minutes", "--pause-minutes", "--reflect-minutes", "--interruption-seconds",
         "--rate")


def runs_or_refuses(args: object, config: dict[str, object]) -> None:
    """Either a CheckinError (one line), or settings a check-in runs to its end with."""
    try:
        settings = build_settings(args, config)  # type: ignore[arg-type]
        guide = load_checkin_guide(settings.guide or "daily", settings)
        partners = parse_names(settings.names) if settings.names else ("Ana", "Ben")
        if settings.data_dir is not None:  # the folder as every command looks at it
            journal = Journal.open_read_only(settings.data_dir)
            if journal is not None:
                journal.close()
    except CheckinError as err:
        assert "\n" not in str(err)
        return
    for seconds in (guide.settings.turn_seconds, guide.settings.pause_seconds,
                    guide.settings.reflect_seconds, guide.settings.interruption_seconds):
        assert math.isfinite(seconds) and 0 < seconds <= 3600
    walk(guide, partners)


@given(flags=st.dictionaries(st.sampled_from(FLAGS), st.one_of(NUMBER_WORDS, NUMBERS.map(str)),
                             max_size=5),
       names=st.one_of(st.none(), TEXT), data_dir=st.one_of(st.none(), TEXT))
def test_flags(flags: dict[str, str], names: str | None, data_dir: str | None) -> None:
    argv = ["run", "--text", "--guide", "daily"]
    for flag, value in flags.items():
        argv.append(f"{flag}={value}")
    if names is not None:
        argv.append(f"--names={names}")
    if data_dir is not None:
        argv.append(f"--data-dir={data_dir}")
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as stop:  # argparse, through checkin's one-line Parser.error
        assert stop.code == 2
        return
    runs_or_refuses(args, {})


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    return "[" + ", ".join(toml_value(v) for v in value) + "]"  # type: ignore[attr-defined]


CONFIG_VALUES = st.one_of(NUMBERS, st.booleans(), st.text(max_size=20),
                          st.sampled_from(["Ana,Ben", "daily", "repair", "", "Ana", "medium"]),
                          st.lists(st.integers(), max_size=2))


@given(entries=st.dictionaries(st.one_of(st.sampled_from(sorted(CONFIG_KEYS)),
                                         st.from_regex(r"[a-z_]{1,12}", fullmatch=True)),
                               CONFIG_VALUES, max_size=6))
def test_config_file(tmp_path_factory: object, entries: dict[str, object]) -> None:
    folder = Path(tmp_path_factory.mktemp("config"))  # type: ignore[attr-defined]
    path = folder / "config.toml"
    path.write_text("".join(f"{key} = {toml_value(value)}\n" for key, value in entries.items()),
                    encoding="utf-8")
    try:
        config = read_config(path)
    except CheckinError as err:
        assert str(err).startswith(f"{path}: ") or str(path) in str(err)
        assert "\n" not in str(err)
        return
    args = build_parser().parse_args(["run", "--text"])
    runs_or_refuses(args, config)


@given(raw=st.binary(max_size=200))
def test_config_file_of_any_bytes(tmp_path_factory: object, raw: bytes) -> None:
    path = Path(tmp_path_factory.mktemp("config")) / "config.toml"  # type: ignore[attr-defined]
    path.write_bytes(raw)
    try:
        read_config(path)
    except CheckinError as err:
        assert "\n" not in str(err)
