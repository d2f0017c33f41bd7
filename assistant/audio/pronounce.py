"""Names said right: a small file in the data folder says how a word sounds.

Most names are said as written: espeak-ng knows "Siobhan", "Zoë" and "Jean-Luc"
(tests/audio/test_warm_voice.py), and the text reaches it untouched (no ASCII folding).
Where a voice still gets a name wrong, `pronunciations.toml` in the data folder
(beside the journal) spells it the way it sounds, for every voice:

    Niamh = "Neeve"
    Ana = "Ahna"

A whole word is replaced, matched without regard to case; the file is read once per
check-in. A file that cannot be used is one line naming it and the entry, like the
config file.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from assistant.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

FILE_NAME = "pronunciations.toml"
MAX_BYTES = 64 * 1024
MAX_WORD = 60  # characters, as a partner's name (settings.MAX_NAME)


class Pronunciations:
    """Whole words replaced by how they sound."""

    def __init__(self, sounds: dict[str, str] | None = None) -> None:
        self.sounds = {k.casefold(): v for k, v in (sounds or {}).items()}
        words = sorted(self.sounds, key=len, reverse=True)  # "Jean-Luc" before "Jean"
        self._pattern = re.compile(
            r"(?<![\w-])(" + "|".join(re.escape(w) for w in words) + r")(?![\w-])",
            re.IGNORECASE) if words else None

    def __call__(self, text: str) -> str:
        if self._pattern is None:
            return text
        return self._pattern.sub(lambda m: self.sounds[m.group(1).casefold()], text)

    @classmethod
    def read(cls, path: Path | None) -> Pronunciations:
        """The file's entries (none when there is no file); ConfigError naming the file and
        the entry for anything it cannot use."""
        if path is None:
            return cls()
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return cls()
        except OSError as err:
            raise ConfigError(f"cannot read {path}: {(err.strerror or str(err)).lower()}") \
                from None
        if len(raw) > MAX_BYTES:
            raise ConfigError(f"{path}: too large for a pronunciation file (at most "
                              f"{MAX_BYTES // 1024} KB); fix or remove it")
        try:
            data = tomllib.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
            raise ConfigError(f"{path}: not valid UTF-8 TOML ({err}); write lines like "
                              'Niamh = "Neeve"') from None
        for word, sound in data.items():
            if not isinstance(sound, str) or not sound.strip() or "\x00" in sound:
                raise ConfigError(f'{path}: {word} should be how it sounds, e.g. {word} = '
                                  f'"..."; got {sound!r}')
            if not word.strip() or len(word) > MAX_WORD or "\x00" in word:
                raise ConfigError(f"{path}: {word!r} is not a name of at most {MAX_WORD} "
                                  "characters")
        return cls({k.strip(): " ".join(v.split()) for k, v in data.items()})
