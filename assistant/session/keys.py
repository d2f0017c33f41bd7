"""Commands from the keyboard, beside the voice (the live view's keys, or typed lines)."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import Any

from assistant.flow.events import CommandName

KEYS: dict[str, CommandName] = {
    " ": CommandName.NEXT,
    "n": CommandName.NO,
    "p": CommandName.PAUSE,
    "c": CommandName.CONTINUE,
    "r": CommandName.REPEAT,
    "q": CommandName.STOP,
    "y": CommandName.YES,
    "s": CommandName.SAVE,
    "a": CommandName.AGAIN,
}


class Keys:
    """Commands from the keyboard, beside the voice.

    On a terminal: single keys (space next, p pause, r repeat, q stop, ...), read in
    cbreak mode and restored on stop. Otherwise (a pipe): whole lines of typed
    commands ("I'm done", "pause"), the same words as the typed check-in.
    """

    def __init__(self, stream: Any = None, language: str = "en") -> None:
        self.stream = stream if stream is not None else sys.stdin
        self.language = language
        self._stop = threading.Event()
        self._saved: Any = None

    def start(self, send: Callable[[CommandName], None]) -> None:
        if self.stream.isatty():
            import termios
            import tty

            fd = self.stream.fileno()
            self._saved = termios.tcgetattr(fd)
            tty.setcbreak(fd)
            target: Callable[..., None] = self._read_keys
        else:
            target = self._read_lines
        threading.Thread(target=target, args=(send,), daemon=True, name="checkin-keys").start()

    def _read_keys(self, send: Callable[[CommandName], None]) -> None:
        import os
        import select

        fd = self.stream.fileno()
        while not self._stop.is_set():
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                data = os.read(fd, 1)
                if not data:  # the terminal hung up: no more keys, the voice goes on
                    return
                key = data.decode(errors="ignore").lower()
                if key in KEYS:
                    send(KEYS[key])

    def _read_lines(self, send: Callable[[CommandName], None]) -> None:
        from assistant.phrases import parse_typed

        for line in self.stream:
            if self._stop.is_set():
                return
            command = parse_typed(line, self.language)
            if command is not None:
                send(command)

    def stop(self) -> None:
        self._stop.set()
        if self._saved is not None:
            import termios

            termios.tcsetattr(self.stream.fileno(), termios.TCSADRAIN, self._saved)
            self._saved = None
