"""Spoken commands: the rule that decides a command was meant.

Grammar mode alone maps almost any sound to some command, so a command counts only
when (1) it stands on its own — short, few words, after a pause — or it closes an
utterance ("... and that's it, I'm done"), (2) the free-form transcript of the same
audio is one of that command's phrases (assistant/phrases), and (3) the grammar
recognizer, run over the same audio, agrees. Everything here is pure; listener.py
runs the recognizers.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.asr.results import Heard
from assistant.flow.events import CommandName
from assistant.phrases import PhraseSet, normalize


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
