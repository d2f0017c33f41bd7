"""The seam between the speech worker (tts.py) and the engines that make its sound.

An engine turns a prompt into pieces of int16 mono sound, one piece at a time, so the
worker can play the first while the next is made: pyttsx3 (`pyttsx3_voice.py`) gives
a whole prompt as one piece, the neural voice (`piper_engine.py`) a sentence at a time.
Both are brought to the same loudness (`loudness.py`). The worker owns playback, the
gate's timeline and the queue; an engine only renders.
"""

from __future__ import annotations

import atexit
import queue
import threading
from collections.abc import Iterator
from typing import Protocol, TypeVar

import numpy as np

from assistant.errors import ConfigError

Piece = tuple[np.ndarray, int]  # int16 mono samples, their rate
T = TypeVar("T")


class EngineUnavailable(ConfigError):
    """The speech engine cannot start here (prompts will be printed instead)."""


class UnreadableRender(RuntimeError):
    """The engine cannot render a prompt to a file this process can read."""


class SpeechEngine(Protocol):
    """What the speech worker needs of an engine; all of it is called on the worker thread."""

    @property
    def name(self) -> str:
        """How a person knows the voice: "joe (Piper neural voice)"."""
        ...

    def start(self) -> None:
        """Load the voice (EngineUnavailable, or ConfigError for a voice that does not exist)."""
        ...

    def probe(self) -> str | None:
        """Why rendering to sound cannot work here (None when it can): told before a view opens."""
        ...

    def render(self, text: str) -> Iterator[Piece]:
        """The prompt's sound, piece by piece (UnreadableRender: speak live instead)."""
        ...

    def speak_live(self, text: str) -> None:
        """Say `text` through the engine's own playback (only after UnreadableRender)."""
        ...

    def close(self) -> None: ...


def trim_silence(
    samples: np.ndarray, rate: int, threshold: int = 64, keep: float = 0.03
) -> np.ndarray:
    """Cut the engine's leading/trailing silence (espeak appends ~0.3 s), keeping `keep` s.

    Dead air would hold the gate closed (and the partners waiting) for nothing.
    """
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > threshold)
    if len(loud) == 0:
        return samples[:0]
    pad = int(keep * rate)
    return samples[max(0, loud[0] - pad) : loud[-1] + 1 + pad]


_DONE = object()
FINISH_SECONDS = 5.0  # the longest a piece being made is waited for when speech stops
_EXITING = threading.Event()  # the process is ending: every helper stops after its piece
_HELPERS: set[threading.Thread] = set()


@atexit.register
def _finish_helpers() -> None:
    """Let each helper finish the piece it is making before the process ends, so no render
    is left running while onnxruntime is torn down (see `ahead`)."""
    _EXITING.set()
    for helper in list(_HELPERS):
        helper.join(FINISH_SECONDS)


def ahead(items: Iterator[T], depth: int = 1) -> Iterator[T]:
    """`items` made on a helper thread, up to `depth` ahead of the one using them: the next
    sentence renders while this one plays. Its errors are raised where it is used; when the
    user stops early (a generator closed), the helper stops at its next item."""
    made: queue.Queue[tuple[object, BaseException | None]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def hand_over(item: object, error: BaseException | None = None) -> bool:
        while not (stop.is_set() or _EXITING.is_set()):
            try:
                made.put((item, error), timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def make() -> None:
        try:
            for item in items:
                if not hand_over(item):
                    return
        except BaseException as err:  # raised again on the using side
            hand_over(_DONE, err)
            return
        finally:
            _HELPERS.discard(threading.current_thread())
        hand_over(_DONE)

    helper = threading.Thread(target=make, name="checkin-speech-ahead", daemon=True)
    _HELPERS.add(helper)
    helper.start()
    try:
        while True:
            item, error = made.get()
            if item is _DONE:
                if error is not None:
                    raise error
                return
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        # the piece being made is finished first, so the next prompt's render never runs
        # beside it: two renders at once on one session aborted the whole process (seen:
        # "GetElementType is not implemented", then "terminate called without an active
        # exception", when a prompt was cut short and the next one began)
        helper.join(FINISH_SECONDS)
