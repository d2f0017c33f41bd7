"""A replayed check-in's stand-in for the loudspeaker (a replay has none)."""

from __future__ import annotations


class PromptLog:
    """Stands in for the loudspeaker in a replay: keeps every prompt, in order."""

    def __init__(self) -> None:
        self.said: list[str] = []

    def say(self, text: str) -> None:
        self.said.append(text)

    def chime(self, kind: str) -> None:
        self.said.append(f"({kind} chime)")

    def wait_idle(self, timeout: float | None = None) -> bool:
        return True

    def close(self) -> None:
        pass
