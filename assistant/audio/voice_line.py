"""The assistant's loudspeaker: one output stream kept open for the whole check-in.

Why not a stream per prompt (what we had first): every open and close of a PortAudio
stream through ALSA's pulse plugin makes the sound server re-plan its latency (measured
in the room: another client playing at that moment skipped 14 ms), and closing can
block inside the plugin (a known ALSA-pulse problem; a speech worker with per-prompt
streams stalled once in CI, cause unproven). A stuck close in a check-in would mean
a voice that goes silent for good. One open stream writes silence between prompts, so
nothing opens or closes while a couple talks.

Timing: the callback writes a prompt's first sample at the start of a block and knows
that block's DAC time: PortAudio's timestamp moved onto `time.monotonic` by a
`StreamClock` (so a callback that waited for the GIL does not shift it), and never
earlier than the moment the block is written. The `VoiceTimeline` gets the moment the
voice leaves the speaker, and its end, to within a block. `play()` returns when the
last sample is written, so the next prompt follows without a gap; `wait_heard()`
returns when it has left the speaker.

If the device stops calling back (unplugged, server gone), `play()` gives up after the
prompt's length plus a margin, abandons that stream (closed on a helper thread, so a
stuck close cannot stall the voice) and the next prompt opens a fresh one.
"""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from assistant.audio.frames import RATE
from assistant.audio.gate import VoiceTimeline
from assistant.audio.resample import resample
from assistant.audio.stream_clock import StreamClock

CLOSE_WAIT = 2.0  # seconds to wait for a stream to close before leaving it behind
LINE_RATE = 22_050  # espeak-ng's own rate: prompts play unresampled (chimes are resampled)
BLOCK_SECONDS = 0.046  # callback period; measured idle cost: 0.6 % of a core (vs 2 % at
# PortAudio's default 8 ms blocks), and the voice's start/end stay within ~3 ms


@dataclass
class _Job:
    """One sound handed to the callback; the callback fills in its times."""

    data: np.ndarray
    pos: int = 0
    start: float = 0.0
    end: float = 0.0
    done: threading.Event = field(default_factory=threading.Event)


class VoiceLine:
    """Plays int16 mono sounds one after another on a stream that stays open."""

    def __init__(self, device: str | int | None = None, timeline: VoiceTimeline | None = None):
        self.device = device
        self.timeline = timeline
        self.rate = 0  # the open stream's sample rate (0: no stream yet)
        self.opened = 0  # streams opened so far (1 in a healthy check-in)
        self._stream: Any = None
        self._clock = StreamClock()
        self._job: _Job | None = None
        self._heard_at = 0.0  # monotonic time the last written sound ends at the speaker

    def open(self) -> None:
        """Open the stream now (else the first prompt does)."""
        if self._stream is not None:
            return
        import sounddevice as sd

        rate = _output_rate(sd, self.device, LINE_RATE)
        stream = sd.OutputStream(
            samplerate=rate,
            device=self.device,
            channels=1,
            dtype="int16",
            blocksize=int(rate * BLOCK_SECONDS),
            callback=self._callback,
        )
        self._clock = StreamClock()
        stream.start()
        self._stream, self.rate = stream, rate
        self.opened += 1

    def play(self, samples: np.ndarray, rate: int, margin: float = 3.0) -> tuple[float, float]:
        """Queue a sound on the line; returns (start, end) at the speaker, monotonic.

        Returns once the last sample is written, up to a buffer before it is heard, so
        the next sound can follow without a gap; `wait_heard()` waits for the end.
        Raises RuntimeError if the device stops playing; the next call reopens it.
        """
        self.open()
        samples = resample(samples, rate, self.rate)
        job = _Job(np.ascontiguousarray(samples, dtype=np.int16))
        self._job = job  # the callback picks it up at its next block
        if not job.done.wait(len(job.data) / self.rate + margin):
            self._job = None
            if self.timeline is not None and self.timeline.speaking:
                self.timeline.end(time.monotonic())
            self._abandon()
            raise RuntimeError("the output device stopped playing")
        self._heard_at = max(self._heard_at, job.end)
        if self.timeline is not None:  # what it sounded like, for the gate's echo check
            self.timeline.played(job.start, _at_16k(job.data, self.rate))
        return job.start, job.end

    def wait_heard(self) -> None:
        """Block until everything played so far has left the speaker."""
        wait = self._heard_at - time.monotonic()
        if wait > 0:
            time.sleep(wait)

    def close(self) -> None:
        """Let the last sound finish, then stop the stream (a stuck close is left behind)."""
        self.wait_heard()
        self._abandon()

    def _abandon(self) -> None:
        stream, self._stream = self._stream, None
        if stream is None:
            return

        def close() -> None:
            with contextlib.suppress(Exception):
                stream.abort()
                stream.close()

        closer = threading.Thread(target=close, name="checkin-voice-close", daemon=True)
        closer.start()
        closer.join(CLOSE_WAIT)

    def _callback(self, outdata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
        now = time.monotonic()
        self._clock.observe(now, time_info.currentTime)
        job = self._job
        if job is None or job.done.is_set():
            outdata.fill(0)
            return
        # a sound is not heard before it is written, whatever the estimate says
        dac = max(now, self._clock.to_monotonic(time_info.outputBufferDacTime, now))
        n = min(frames, len(job.data) - job.pos)
        outdata[:n, 0] = job.data[job.pos : job.pos + n]
        outdata[n:] = 0
        if job.pos == 0:
            job.start = dac
            if self.timeline is not None:
                self.timeline.begin(dac)
        job.pos += n
        if job.pos >= len(job.data):
            job.end = dac + n / self.rate
            if self.timeline is not None:
                self.timeline.end(job.end)
            job.done.set()


def _at_16k(samples: np.ndarray, rate: int) -> np.ndarray:
    """A sound at the capture's rate, so the gate can compare it with what was heard."""
    return resample(samples.astype(np.float32), rate, RATE)


def _output_rate(sd: Any, device: str | int | None, rate: int) -> int:
    """`rate` if the device takes it, else the device's own rate (we resample)."""
    try:
        sd.check_output_settings(device=device, samplerate=rate, channels=1, dtype="int16")
        return rate
    except (sd.PortAudioError, ValueError):
        return int(sd.query_devices(device, "output")["default_samplerate"])
