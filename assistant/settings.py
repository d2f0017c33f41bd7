"""The settings of a check-in: built once, at the command line, then passed down frozen.

Defaults < the config file < command-line flags. The config file is TOML in the user's
config directory (platformdirs), or the file named by $CHECKIN_CONFIG. It holds the
same settings as the flags, so a couple can write their names and preferred turn
length once. Unknown keys and wrong types are reported in one line, naming the file
and the key. Nothing below the command line reads argparse or the config file: the
session is built from a `Settings`.

Every value is checked here, before anything opens (no journal, no device): a bad one
found after both partners said yes would end a check-in half-way, with its session
row already written. The CHECKIN_* variables are read here only (`read_environment`),
and the command line checks them first for every command.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from assistant.errors import ConfigError
from assistant.limits import SENSITIVITY_LEVELS, choice_problem, problem
from assistant.text import as_text

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

# key in the file: (argparse destination, accepted Python types)
CONFIG_KEYS: dict[str, tuple[str, tuple[type, ...]]] = {
    "guide": ("guide", (str,)),
    "names": ("names", (str,)),
    "turn_minutes": ("turn_minutes", (int, float)),
    "pause_minutes": ("pause_minutes", (int, float)),
    "reflect_minutes": ("reflect_minutes", (int, float)),
    "input_device": ("input_device", (str, int)),
    "model": ("model", (str,)),
    "data_dir": ("data_dir", (str,)),
    "display": ("display", (bool,)),
    "captions": ("captions", (bool,)),
    "keep_transcript": ("keep_transcript", (bool,)),
    "voice": ("voice", (str,)),
    "rate": ("rate", (int,)),
    "sensitivity": ("sensitivity", (str,)),
    "speakers": ("speakers", (bool,)),
    "interruption_seconds": ("interruption_seconds", (int, float)),
    "gentle_words": ("gentle_words", (bool,)),
}


_KIND: dict[tuple[type, ...], str] = {
    (str,): "text in quotes", (int, float): "a number", (str, int): "a name or a number",
    (bool,): "true or false", (int,): "a whole number",
}


# Numbers a person sets, by their key (the flag is the same with dashes), checked
# against assistant/limits.py; the key there, where it differs.
NUMBERS: dict[str, str] = {"turn_minutes": "turn_minutes", "pause_minutes": "pause_minutes",
                           "reflect_minutes": "reflect_minutes",
                           "interruption_seconds": "interruption_seconds", "rate": "rate"}
# Settings chosen from a fixed list, by their key.
CHOICES: dict[str, tuple[str, ...]] = {"sensitivity": SENSITIVITY_LEVELS}
MAX_CONFIG_BYTES = 64 * 1024  # a settings file is a few lines

# The environment variables checkin reads, all of them (and only here).
HOME_ENV = "CHECKIN_HOME"  # the data folder: journal, models, own guides
CONFIG_ENV = "CHECKIN_CONFIG"  # another config file
TRACE_ENV = "CHECKIN_TRACE"  # a hands-free check-in's events appended to this file
SILERO_ENV = "CHECKIN_SILERO_MODEL"  # silero_vad.onnx from somewhere else


@dataclass(frozen=True)
class Environment:
    """The CHECKIN_* variables, checked; None where one is unset (or only blanks)."""

    home: Path | None = None
    config: Path | None = None
    trace: Path | None = None
    silero_model: Path | None = None


def read_environment(environ: Mapping[str, str] | None = None) -> Environment:
    """The CHECKIN_* variables as values; ConfigError naming the first bad one and what it
    may be. The one place that reads them: the adapters are handed what this returns."""
    env = os.environ if environ is None else environ
    given = {name: env.get(name, "").strip() or None
             for name in (HOME_ENV, CONFIG_ENV, TRACE_ENV, SILERO_ENV)}
    for name, value in given.items():
        if value is not None and "\x00" in value:
            raise ConfigError(f"{name} holds a NUL character (\\u0000), which no file name "
                              f"can; give another, or unset {name}")
    home, config, trace, silero = (None if v is None else Path(v) for v in given.values())
    if home is not None:
        home = _env_path(HOME_ENV, home, "folder")
    if trace is not None:
        trace = _env_path(TRACE_ENV, trace, "file to append to")
        if trace.is_dir():
            raise ConfigError(f"{TRACE_ENV}={trace} is a folder; give a file to append to, "
                              f"or unset {TRACE_ENV}")
        if not trace.parent.is_dir():
            raise ConfigError(f"{TRACE_ENV}={trace}: the folder {trace.parent} does not exist; "
                              f"give a file in a folder that does, or unset {TRACE_ENV}")
    if silero is not None:
        silero = _env_path(SILERO_ENV, silero, "file")
        if not silero.is_file():
            raise ConfigError(f"{SILERO_ENV}={silero} is not a file; point it at "
                              f"silero_vad.onnx, or unset {SILERO_ENV}")
    return Environment(home, config, trace, silero)


def _env_path(name: str, path: Path, what: str) -> Path:
    """`~/x` as the home folder's x; `~nobody/x` is one line naming the variable."""
    try:
        return path.expanduser()
    except RuntimeError:
        raise ConfigError(f"{name}={path} starts with {path.parts[0]}, but there is no such "
                          f"user here; write the {what} out in full") from None


def config_path(environment: Environment | None = None) -> Path:
    """Where the config file is looked for."""
    override = (environment or read_environment()).config
    if override is not None:
        return override
    from platformdirs import user_config_dir

    return Path(user_config_dir("checkin")) / "config.toml"


def read_config(path: Path) -> dict[str, Any]:
    """The settings in a config file ({} when there is none); ConfigError naming the file
    and the key for anything `checkin run` would refuse."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        if read_environment().config == path:
            # named on purpose: a typo must not silently mean "no settings"
            raise ConfigError(f"${CONFIG_ENV} names {path}, which does not exist; create it, "
                              f"or unset {CONFIG_ENV}") from None
        return {}
    except OSError as err:
        raise ConfigError(f"cannot read the config file {path}: "
                          f"{(err.strerror or str(err)).lower()}") from None
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError(f"{path}: {len(raw) // 1024} KB is too large for a config file "
                          f"(at most {MAX_CONFIG_BYTES // 1024} KB); fix or remove the file")
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise ConfigError(f"{path}: not UTF-8 text (byte {err.start}); save it as UTF-8") \
            from None
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: not valid TOML ({err}); fix or remove the file") from None
    for key, value in data.items():
        if key not in CONFIG_KEYS:
            raise ConfigError(f"{path}: unknown setting {key!r}; known settings: "
                              f"{', '.join(CONFIG_KEYS)}")
        types = CONFIG_KEYS[key][1]
        if isinstance(value, bool) and bool not in types or not isinstance(value, types):
            raise ConfigError(f"{path}: {key} should be {_KIND[types]}, got {value!r}")
        wrong = _problem(key, value)
        if wrong:
            raise ConfigError(f"{path}: {key} {wrong}")
    return data


def configured_data_dir() -> Path | None:
    """The config file's `data_dir`: where `run` keeps the journal when no --data-dir is
    given, so where the commands that read it look too (before $CHECKIN_HOME)."""
    folder = read_config(config_path()).get("data_dir")
    return _expanded(folder) if folder else None


def _problem(key: str, value: Any) -> str | None:
    """What `checkin run` would refuse in one setting, whichever way it came."""
    if key in NUMBERS:
        return problem(NUMBERS[key], value)
    if key in CHOICES:
        return choice_problem(value, CHOICES[key])
    if key == "names":
        return names_problem(value)
    if key == "data_dir":
        return _folder_problem(str(value))
    if isinstance(value, str) and "\x00" in value:
        return "holds a NUL character (\\u0000), which no name or file can; remove it"
    return None


def _folder_problem(folder: str) -> str | None:
    """What is wrong with a journal folder as written, found before anything opens."""
    if not folder.strip():
        return "is empty; give a folder, or leave it out for the usual one"
    if "\x00" in folder:
        return "holds a NUL character (\\u0000), which no name or file can; remove it"
    if folder.startswith("~"):
        try:
            Path(folder).expanduser()
        except RuntimeError:
            return (f"starts with {Path(folder).parts[0]}, but there is no such user here; "
                    "write the folder out in full.")
    return None


def _expanded(folder: str) -> Path:
    """~/x from the config file as the home folder's x (~nobody/x stays as written: the
    journal's paths.py says in one line that there is no such user)."""
    try:
        return Path(folder).expanduser()
    except RuntimeError:
        return Path(folder)


def data_folder(text: str) -> Path:
    """--data-dir as argparse takes it: an empty value is refused, not read as "here"."""
    if not text.strip():
        raise argparse.ArgumentTypeError("is empty; give a folder, or leave it out for the "
                                         "usual one")
    return Path(text)


MAX_NAME = 60  # characters: a name, not a text


def names_problem(raw: str) -> str | None:
    """What is wrong with "Ana,Ben" as the two partners' names, or None."""
    names = [n.strip() for n in raw.split(",")]
    if len(names) != 2 or not all(names):
        return f'needs two names separated by a comma, e.g. "Ana,Ben"; got {raw!r}'
    if names[0].casefold() == names[1].casefold():
        return "needs two different names, so the turns can be told apart"
    if max(map(len, names)) > MAX_NAME:
        return f"needs names of at most {MAX_NAME} characters each"
    return None


def parse_names(raw: str, source: str = "--names") -> tuple[str, str]:
    """The two partners' names from "Ana,Ben"; ConfigError naming `source` if not two."""
    wrong = names_problem(raw)
    if wrong:
        raise ConfigError(f"{source} {wrong}")
    first, second = (n.strip() for n in raw.split(","))
    return first, second


@dataclass(frozen=True)
class Settings:
    """Everything `checkin run` was asked for; None means "not given: decide later"."""

    guide: str | None = None  # a guide name or file; None: weekly, or the review when due
    names: str | None = None  # "Ana,Ben"; None: asked for on the terminal
    turn_minutes: float | None = None  # each partner's turn (None: the guide's)
    pause_minutes: float | None = None  # a cool-down (None: the guide's)
    reflect_minutes: float | None = None  # saying back what was heard (None: the guide's)
    typed: bool = False  # type instead of speaking (--text)
    resume: bool = False  # carry on the interrupted check-in
    input_device: str | int | None = None  # a name fragment or index; None: the default
    model: str | None = None  # a speech model (Whisper or Vosk): a folder or a name
    voice: str | None = None  # the prompts' voice (see `checkin speech list`); None: the default
    words_per_minute: int | None = None  # the prompts' speaking rate (--rate)
    sensitivity: str = "medium"  # how readily raised voices suggest a pause
    speakers: bool = False  # tell the partners' voices apart (asks both for consent once)
    interruption_seconds: float | None = None  # talking over this long: a reminder (the guide's)
    data_dir: Path | None = None  # where the journal lives; None: the user's data folder
    display: bool | None = None  # the live view; None: when the output is a terminal
    captions: bool = True  # show what is being heard
    keep_transcript: bool = False  # also store what was said during turns
    gentle_words: bool = True  # notice "you always" in sharing turns (--no-gentle-words)
    trace_file: Path | None = None  # every event and action, for diagnosis ($CHECKIN_TRACE)

    silero_model: Path | None = None  # the detector's weights ($CHECKIN_SILERO_MODEL)

    def __post_init__(self) -> None:
        """Settings hold only what a check-in can run with (build_settings names the flag or
        the file of a bad value first; this guards every other way of making them)."""
        for key, value in (("turn_minutes", self.turn_minutes),
                           ("pause_minutes", self.pause_minutes),
                           ("reflect_minutes", self.reflect_minutes),
                           ("interruption_seconds", self.interruption_seconds),
                           ("rate", self.words_per_minute),
                           ("sensitivity", self.sensitivity)):
            wrong = None if value is None else _problem(key, value)
            if wrong:
                raise ConfigError(f"{key} {wrong}")

    @property
    def device(self) -> str | int | None:
        """The input device as PortAudio takes it: an index when it is all digits."""
        raw = self.input_device
        return int(raw) if isinstance(raw, str) and raw.isdigit() else raw


# command-line destination (argparse) -> Settings field, where the names differ
_FLAG_FIELDS = {"text": "typed", "rate": "words_per_minute"}


def build_settings(args: argparse.Namespace, config: dict[str, Any],
                   environ: Mapping[str, str] | None = None) -> Settings:
    """Defaults < the config file < the flags given on the command line (and what the
    environment adds: $CHECKIN_TRACE, $CHECKIN_SILERO_MODEL), every value checked."""
    given: dict[str, Any] = {}
    environment = read_environment(environ)
    if environment.trace is not None:  # never by default: a trace holds what was said
        given["trace_file"] = environment.trace
    if environment.silero_model is not None:
        given["silero_model"] = environment.silero_model
    for key, value in config.items():
        dest = CONFIG_KEYS[key][0]
        given[_FLAG_FIELDS.get(dest, dest)] = _expanded(value) if dest == "data_dir" else value
    names = {f.name for f in fields(Settings)}
    for dest, value in vars(args).items():
        field_name = _FLAG_FIELDS.get(dest, dest)
        if value is None or field_name not in names:
            continue
        if isinstance(value, str):  # argv: bytes that were not text, made visible
            value = as_text(value)
        wrong = _problem(dest, value)
        if wrong:
            raise ConfigError(f"--{dest.replace('_', '-')} {wrong}")
        given[field_name] = value
    return Settings(**given)
