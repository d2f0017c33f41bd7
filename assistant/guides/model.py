"""What a validated guide is: its steps, settings, phrases and the words for answering.

Only validate.py builds these from a file; everything else reads them. Kinds of step
and of item are the registry's (flow/kinds.py), never loose strings.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from assistant.flow.kinds import ItemKind, StepKind
from assistant.guides.settings import GuideSettings

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib


def shipped_path(name: str) -> Path:
    return Path(str(resources.files("assistant.guides").joinpath(f"{name}.toml")))


@lru_cache(maxsize=1)
def common() -> dict[str, Any]:
    """common.toml: the phrases and verbs every guide inherits."""
    return tomllib.loads(shipped_path("common").read_text(encoding="utf-8"))


def common_phrases() -> dict[str, str]:
    return {str(k): str(v) for k, v in common()["phrases"].items()}


def default_verbs() -> dict[str, str]:
    """common.toml's [verbs]: the words for answering, by how the couple answers."""
    return {str(k): str(v) for k, v in common()["verbs"].items()}


@dataclass(frozen=True)
class Step:
    """One step of a guide; `texts` holds its sentences by field name."""

    id: str
    kind: StepKind
    title: str
    texts: dict[str, Any] = field(default_factory=dict)
    typed_texts: dict[str, Any] = field(default_factory=dict)  # the typed check-in's own words
    item: ItemKind | None = None  # collect: what it gathers
    agree: str = "speaker"  # collect: who must confirm: the speaker, or both partners
    min: int = 0
    max: int = 0
    enough: int = 0  # collect: the step ends once this many are kept (0: only at max)
    optional: bool = False  # offered first ("offer"); "no" or "next" skips it
    minutes: float | None = None  # turns, reflect: this step's own speaking allotment
    wait: bool = True  # say: wait for "next" after the prompts

    def has(self, key: str) -> bool:
        return key in self.texts

    def text(self, key: str, typed: bool = False) -> str:
        value = self._value(key, typed, "")
        return str(value)

    def lines(self, key: str, typed: bool = False) -> list[str]:
        value = self._value(key, typed, [])
        return [value] if isinstance(value, str) else list(value)

    def _value(self, key: str, typed: bool, default: Any) -> Any:
        """The typed check-in's own words when the step has them, else the shared ones."""
        if typed and key in self.typed_texts:
            return self.typed_texts[key]
        return self.texts.get(key, default)


@dataclass(frozen=True)
class Guide:
    """A validated check-in guide."""

    name: str
    title: str
    description: str
    language: str
    settings: GuideSettings
    phrases: dict[str, str]
    steps: tuple[Step, ...]
    source: str = ""
    verbs: dict[str, str] = field(default_factory=default_verbs)

    def verb(self, typed: bool) -> str:
        """The word for answering: "say" hands-free, "type" in the typed check-in."""
        return self.verbs["typed" if typed else "voice"]

    def safety_note(self) -> str:
        """The guide's safety note (a say step's `safety` line), or "" when it has none."""
        return next((s.text("safety") for s in self.steps if s.has("safety")), "")

    def with_settings(self, **overrides: float | int | None) -> Guide:
        """A copy with some settings replaced (None values are ignored)."""
        given: dict[str, Any] = {k: v for k, v in overrides.items() if v is not None}
        steps = self.steps
        if "turn_seconds" in given:  # the command line wins over a step's own minutes
            steps = tuple(replace(s, minutes=None) for s in steps)
        return replace(self, settings=replace(self.settings, **given), steps=steps)

    def turn_seconds(self, step: Step) -> float:
        return step.minutes * 60.0 if step.minutes is not None else self.settings.turn_seconds
