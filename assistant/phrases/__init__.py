"""The command phrases, shared by the voice and the keyboard.

Each language's phrases live in phrases.toml beside this file: what a partner may say
(or type) for each command, `say` phrases that the recognizer's grammar listens for and
`also` variants accepted from the free-form transcript. The voice uses them in
assistant/asr/commands.py; a typed line is a command only when the whole line is one
of them, or one of a few keyboard shortcuts, so "I can't pause my life" stays words.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from assistant.errors import ConfigError
from assistant.flow.events import CommandName

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_PUNCT = re.compile(r"[^\w\s\[\]<>]")


def normalize(text: str) -> str:
    """Lower case, no punctuation or apostrophes, single spaces: "I'm done." -> "im done"."""
    text = text.lower().replace("’", "'").replace("'", "")
    return " ".join(_PUNCT.sub(" ", text).split())


@dataclass(frozen=True)
class PhraseSet:
    """The command phrases of one language."""

    language: str
    say: dict[CommandName, tuple[str, ...]]
    also: dict[CommandName, tuple[str, ...]]

    def grammar_phrases(self) -> list[str]:
        return [p for phrases in self.say.values() for p in phrases]

    def command_for(self, text: str) -> CommandName | None:
        """The command whose phrase (or variant) this transcript is, if any."""
        key = normalize(text)
        if not key:
            return None
        squeezed = key.replace(" ", "")
        for name in CommandName:
            for phrase in self.say.get(name, ()) + self.also.get(name, ()):
                p = normalize(phrase)
                if key == p or squeezed == p.replace(" ", ""):
                    return name
        return None

    def restricted_to(self, usable: set[str]) -> PhraseSet:
        """Only the `say` phrases the model can output (the others cannot be confirmed)."""
        say = {n: tuple(p for p in ps if p in usable) for n, ps in self.say.items()}
        return PhraseSet(self.language, {n: ps for n, ps in say.items() if ps}, self.also)


def known_languages() -> list[str]:
    """The languages the shipped phrases.toml has command phrases for."""
    raw = resources.files("assistant.phrases").joinpath("phrases.toml").read_text("utf-8")
    return sorted(tomllib.loads(raw))


def load_phrases(language: str, path: Path | None = None) -> PhraseSet:
    """Command phrases for `language` from `path` (a TOML file) or the shipped phrases.toml."""
    if path is None:
        raw = resources.files("assistant.phrases").joinpath("phrases.toml").read_text("utf-8")
        where = "the built-in phrases"
    else:
        try:
            raw = Path(path).read_text(encoding="utf-8")
        except OSError as err:
            raise ConfigError(f"cannot read command phrases {path}: {err.strerror}") from None
        where = str(path)
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{where}: invalid TOML ({err})") from None
    table = data.get(language)
    if not isinstance(table, dict):
        langs = ", ".join(sorted(data)) or "none"
        raise ConfigError(f"no command phrases for language {language!r} in {where} (has: {langs})")
    say: dict[CommandName, tuple[str, ...]] = {}
    also: dict[CommandName, tuple[str, ...]] = {}
    for key, entry in table.items():
        try:
            name = CommandName(key)
        except ValueError:
            known = ", ".join(c.value for c in CommandName)
            raise ConfigError(f"{where}: unknown command {key!r} (known: {known})") from None
        if not isinstance(entry, dict) or not isinstance(entry.get("say"), list):
            raise ConfigError(f"{where}: [{language}.{key}] needs a list `say = [...]`")
        say[name] = tuple(str(p) for p in entry["say"])
        also[name] = tuple(str(p) for p in entry.get("also", []))
    return PhraseSet(language, say, also)



# Only for typing: a single letter is never a spoken command.
SHORTCUTS: dict[str, CommandName] = {
    "y": CommandName.YES,
    "n": CommandName.NO,
    "again": CommandName.AGAIN,
}


@lru_cache(maxsize=8)
def _phrases(language: str) -> PhraseSet:
    return load_phrases(language)


def parse_typed(text: str, language: str = "en") -> CommandName | None:
    """The command a typed line is, or None when it is words to keep."""
    shortcut = SHORTCUTS.get(normalize(text))
    if shortcut is not None:
        return shortcut
    found = _phrases(language).command_for(text)
    if found is None and language != "en":  # English words work on every keyboard
        found = _phrases("en").command_for(text)
    return found


def phrase_to_say(name: CommandName, language: str = "en") -> str:
    """The first phrase of a command, for the view to tell the couple what to say."""
    said = _phrases(language).say.get(name, ())
    return said[0] if said else name.value
