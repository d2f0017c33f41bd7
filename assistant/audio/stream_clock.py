"""PortAudio's timestamps on our clock, unaffected by late callbacks.

PortAudio stamps each callback with its own clock (on Linux: the wall clock) before
the callback waits for Python's GIL. Reading `time.monotonic()` inside the callback
and subtracting PortAudio's `currentTime` gives the offset between the two clocks
plus however long that callback waited; on a busy 2-core laptop that wait reached
tens of milliseconds while the speech model loaded. Waits only ever add, so the
smallest difference seen is the offset itself. It may creep up slowly
(`CREEP_PER_SECOND`) so that a wall clock being slewed by NTP is still followed.
Pure: the caller passes both readings.
"""

from __future__ import annotations

import math

CREEP_PER_SECOND = 0.001  # follows a clock slewed by up to 1000 ppm (NTP slews <= 500)


class StreamClock:
    """Maps one stream's PortAudio times onto `time.monotonic`."""

    def __init__(self) -> None:
        self.offset = math.nan  # monotonic minus PortAudio time (nan: nothing seen yet)
        self._seen_at = 0.0

    def observe(self, monotonic_now: float, stream_now: float) -> None:
        """One callback's two readings of "now"."""
        if not stream_now:  # some host APIs give no time: keep what we had
            return
        sample = monotonic_now - stream_now
        if math.isnan(self.offset):
            self.offset = sample
        else:
            crept = self.offset + CREEP_PER_SECOND * max(0.0, monotonic_now - self._seen_at)
            self.offset = min(sample, crept)
        self._seen_at = monotonic_now

    def to_monotonic(self, stream_time: float, fallback: float) -> float:
        """`stream_time` on the monotonic clock; `fallback` when either is unknown."""
        if not stream_time or math.isnan(self.offset):
            return fallback
        return stream_time + self.offset
