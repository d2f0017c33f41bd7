"""Echo guard: laptop speakers leak the assistant's own prompts into the microphone.

The capture gate drops audio recorded while the assistant speaks, but reverb and
late playback slip through; a transcript that closely matches something said in
the last few seconds is the assistant hearing itself and is dropped. Pure: the
caller passes the times.
"""

from __future__ import annotations

import difflib
import re
import threading
from collections import deque

_TOKEN = re.compile(r"[\w']+")


def tokens(text: str) -> list[str]:
    return [t.replace("'", "") for t in _TOKEN.findall(text.lower())]


def similarity(heard: str, said: str) -> float:
    """Token similarity 0..1; for longer transcripts also how much of it lies inside
    `said`; for a short one also how alike the letters are ("Saved." comes back as
    "Save it.")."""
    a, b = tokens(heard), tokens(said)
    if not a or not b:
        return 0.0
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    ratio = matcher.ratio()
    if len(a) >= 4:  # a leaked fragment of a long prompt
        covered = sum(block.size for block in matcher.get_matching_blocks()) / len(a)
        ratio = max(ratio, covered)
    elif len(b) <= 3:  # a short reply heard back as other short words
        letters = difflib.SequenceMatcher(None, "".join(a), "".join(b), autojunk=False)
        ratio = max(ratio, letters.ratio())
    return ratio


class EchoGuard:
    """Remembers what the assistant said and recognises it when it comes back. The
    main thread tells it what was said while the listening thread asks, hence the lock."""

    def __init__(self, window: float = 8.0, threshold: float = 0.6) -> None:
        self.window = window
        self.threshold = threshold
        self._said: deque[tuple[float, str]] = deque()
        self._lock = threading.Lock()

    def said(self, text: str, until: float) -> None:
        """The assistant finished (or will finish) saying `text` at time `until`."""
        with self._lock:
            self._said.append((until, text))

    def is_echo(self, text: str, now: float) -> bool:
        with self._lock:
            while self._said and now - self._said[0][0] > self.window:
                self._said.popleft()
            said = [s for _, s in self._said]
        if len(said) > 1:  # prompts said back to back may come back as one stretch
            said.append(" ".join(said))
        return any(similarity(text, s) >= self.threshold for s in said)
