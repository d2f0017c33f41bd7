"""Keep listening through a pulled-out microphone.

Wraps a capture: when it reports the device lost, this yields a `DeviceLost` event,
closes it, and tries to open it again every `retry_seconds`; the first success yields
`DeviceBack`. The session feeds both to the flow, which pauses and resumes in place.
The clock and sleep are injected so the retry rhythm is tested without waiting.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from assistant.audio.capture import AudioSource
from assistant.audio.frames import AudioChunk
from assistant.errors import DeviceError
from assistant.flow.events import DeviceBack, DeviceLost

RETRY_SECONDS = 3.0

class Reconnecting:
    """`poll()` returns a chunk, a DeviceLost/DeviceBack event, or None (nothing yet)."""

    def __init__(
        self,
        capture: AudioSource,
        retry_seconds: float = RETRY_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.capture = capture
        self.retry_seconds = retry_seconds
        self.reason: str | None = None  # why the device is down (None while it works)
        self.attempts = 0  # reopen attempts during the current loss
        self._clock = clock
        self._sleep = sleep
        self._next_try = 0.0

    @property
    def down(self) -> bool:
        return self.reason is not None

    def poll(self, timeout: float = 0.5) -> AudioChunk | DeviceLost | DeviceBack | None:
        if self.down:
            return self._retry(timeout)
        chunk = self.capture.read(timeout)
        if chunk is not None:
            return chunk
        reason = self.capture.lost
        if reason is None:
            return None
        self.capture.stop()
        self.reason = reason
        self.attempts = 0
        now = self._clock()
        self._next_try = now + self.retry_seconds
        return DeviceLost(now)

    def _retry(self, timeout: float) -> DeviceBack | None:
        wait = self._next_try - self._clock()
        if wait > 0:
            self._sleep(min(wait, timeout))
            if self._clock() < self._next_try:
                return None
        self.attempts += 1
        try:
            self.capture.start()
        except DeviceError as err:
            self.reason = str(err)
            self._next_try = self._clock() + self.retry_seconds
            return None
        self.reason = None
        return DeviceBack(self._clock())
