"""Settings for `checkin run`: defaults < the config file < command-line flags.

The config file is TOML in the user's config directory (platformdirs), or the file
named by $CHECKIN_CONFIG. It holds the same settings as the flags, so a couple can
write their names and preferred turn length once. Unknown keys and wrong types are
reported in one line, naming the file and the key.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from assistant.errors import ConfigError

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
    "input_device": ("input_device", (str, int)),
    "model": ("model", (str,)),
    "data_dir": ("data_dir", (str,)),
    "display": ("display", (bool,)),
    "captions": ("captions", (bool,)),
    "keep_transcript": ("keep_transcript", (bool,)),
    "voice": ("voice", (str,)),
    "rate": ("rate", (int,)),
    "sensitivity": ("sensitivity", (str,)),
}


_KIND: dict[tuple[type, ...], str] = {
    (str,): "text in quotes", (int, float): "a number", (str, int): "a name or a number",
    (bool,): "true or false", (int,): "a whole number",
}


def config_path() -> Path:
    """Where the config file is looked for."""
    override = os.environ.get("CHECKIN_CONFIG")
    if override:
        return Path(override)
    from platformdirs import user_config_dir

    return Path(user_config_dir("checkin")) / "config.toml"


def read_config(path: Path) -> dict[str, Any]:
    """The settings in a config file ({} when there is none)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: not valid TOML ({err}); fix or remove the file") from None
    except OSError as err:
        raise ConfigError(f"cannot read the config file {path}: {err.strerror}") from None
    for key, value in data.items():
        if key not in CONFIG_KEYS:
            raise ConfigError(f"{path}: unknown setting {key!r}; known settings: "
                              f"{', '.join(CONFIG_KEYS)}")
        types = CONFIG_KEYS[key][1]
        if isinstance(value, bool) and bool not in types or not isinstance(value, types):
            raise ConfigError(f"{path}: {key} should be {_KIND[types]}, got {value!r}")
    return data


def apply_config(args: argparse.Namespace, config: dict[str, Any]) -> argparse.Namespace:
    """Fill every option the command line left unset from the config file."""
    for key, value in config.items():
        dest = CONFIG_KEYS[key][0]
        if getattr(args, dest, None) is None:
            if dest == "data_dir":
                value = Path(value).expanduser()
            setattr(args, dest, value)
    return args
