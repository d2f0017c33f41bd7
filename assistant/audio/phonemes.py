"""Phonemes for the neural voice, from the espeak-ng *program*, run as a separate process.

Why a program and not a library: espeak-ng is GPL-3.0. Piper's own phonemizer links it
(so `piper-tts` >= 1.3 is GPL too); running the `espeak-ng` command links nothing into
checkin, and pyttsx3 already needs the same program on Linux. Piper voices were trained
on espeak-ng's IPA, so the phonemes are the ones the voice knows.

The command prints IPA without punctuation, one line per clause. So the clauses are cut
here (`speech_text.clauses`), sent one per line with a blank line between them (a blank
line in gives a blank line out), and each clause's punctuation is put back after its
phonemes: "ˈɑːnə, juː hæv wˈʌn mˈɪnɪt lˈɛft." That is what the voice pauses and lilts
by. Where espeak-ng splits a clause itself (it reads "e.g." as a clause end), the
groups still line up, since only blank lines separate them; if they ever do not, each
clause is asked alone. About 10-20 ms per sentence (one process).
"""

from __future__ import annotations

import shutil
import subprocess

from assistant.audio.speech_text import Clause, clauses
from assistant.errors import ConfigError

TIMEOUT = 10.0  # seconds: espeak-ng answers a sentence in ~15 ms
_UNSAYABLE = str.maketrans({c: " " for c in "\x00\r\n\t\v\f\u2028\u2029"})


class PhonemizerMissing(ConfigError):
    """The espeak-ng program is not installed (macOS and Windows do not have it)."""


def espeak_program() -> str:
    """The path of the espeak-ng program, or PhonemizerMissing saying how to get it."""
    found = shutil.which("espeak-ng")
    if found is None:
        raise PhonemizerMissing("the espeak-ng program is not installed")
    return found


class EspeakPhonemes:
    """Text to IPA phonemes with punctuation, by the espeak-ng program in `language`."""

    def __init__(self, language: str = "en-us", program: str | None = None) -> None:
        self.language = language
        self.program = program or espeak_program()

    def phonemes(self, sentence: str) -> str:
        """One sentence as the voice's phonemes: clauses with their punctuation."""
        parts = clauses(sentence.translate(_UNSAYABLE))
        if not parts:
            return ""
        groups = self._ask([p.words for p in parts])
        if len(groups) != len(parts):  # espeak-ng made other groups: ask clause by clause
            groups = [" ".join(self._ask([p.words])) for p in parts]
        return " ".join(_joined(group, part) for group, part in zip(groups, parts, strict=True))

    def _ask(self, lines: list[str]) -> list[str]:
        """espeak-ng's phonemes for each line (one group per line, blank lines between)."""
        done = subprocess.run(
            [self.program, "-q", "-b", "1", "--ipa", "-v", self.language],
            input="\n\n".join(lines) + "\n", capture_output=True, text=True,
            encoding="utf-8", errors="replace", timeout=TIMEOUT, check=False)
        if done.returncode != 0:
            reason = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[0]
            raise RuntimeError(f"espeak-ng could not read the text ({reason})")
        groups: list[list[str]] = [[]]
        for line in done.stdout.splitlines():
            if line.strip():
                groups[-1].append(line.strip())
            elif groups[-1]:
                groups.append([])
        return [" ".join(g) for g in groups if g]


def _joined(phonemes: str, clause: Clause) -> str:
    return phonemes + clause.punctuation
