"""Spoken commands: the phrase lists, and the rule that decides a command was meant.

Grammar mode alone maps almost any sound to some command, so a command counts only
when (1) it stands on its own — short, few words, after a pause — or it closes an
utterance ("... and that's it, I'm done"), (2) the free-form transcript of the same
audio is one of that command's phrases, and (3) the grammar recognizer, run over
the same audio, agrees. Everything here is pure; hearing.py runs the recognizers.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from assistant.asr.results import Heard
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


def load_phrases(language: str, path: Path | None = None) -> PhraseSet:
    """Command phrases for `language` from `path` (a TOML file) or the shipped phrases.toml."""
    if path is None:
        raw = resources.files("assistant.asr").joinpath("phrases.toml").read_text("utf-8")
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


@dataclass(frozen=True)
class Candidate:
    """A command the free-form transcript suggests, and the audio span to confirm it on."""

    command: CommandName
    start: float
    end: float
    content: str  # the rest of the utterance ('' when the command stood alone)


class CommandFilter:
    """Pure rules turning a free-form utterance into a command candidate and confirming it."""

    def __init__(
        self,
        phrases: PhraseSet,
        max_seconds: float = 1.5,
        max_words: int = 3,
        min_gap_before: float = 0.5,
        closing: tuple[CommandName, ...] = (CommandName.DONE,),
    ) -> None:
        self.phrases = phrases
        self.max_seconds = max_seconds
        self.max_words = max_words
        self.min_gap_before = min_gap_before
        self.closing = closing

    def candidate(self, heard: Heard, gap_before: float) -> Candidate | None:
        """A command suggested by `heard` alone (no grammar yet), or None for plain speech."""
        words = heard.words
        standalone = (
            heard.seconds <= self.max_seconds
            and len(words or heard.text.split()) <= self.max_words
            and gap_before >= self.min_gap_before
        )
        if standalone:
            name = self.phrases.command_for(heard.text)
            if name is not None:
                return Candidate(name, heard.start, heard.end, "")
            return None
        for k in range(min(self.max_words, len(words) - 1), 0, -1):  # a closing phrase
            tail = words[-k:]
            name = self.phrases.command_for(" ".join(w.text for w in tail))
            if name in self.closing:
                content = " ".join(w.text for w in words[:-k])
                return Candidate(name, tail[0].start, tail[-1].end, content)
        return None

    def confirm(self, candidate: Candidate, grammar_text: str | None) -> bool:
        """True when the grammar recognizer heard exactly a phrase of the same command."""
        if not grammar_text:
            return False
        words = normalize(grammar_text).split()
        if any(w in ("[unk]", "<unk>") for w in words):
            return False
        return self.phrases.command_for(grammar_text) == candidate.command
