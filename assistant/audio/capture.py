"""Where audio comes from: a microphone (PortAudio) or a WAV file, as 16 kHz chunks.

Both sources have the same small interface (`AudioSource`), so the session, the
tests and `analyze` cannot tell a replayed recording from a live room.

The PortAudio callback runs on a real-time thread: it only copies the block into a
bounded queue and counts what went wrong (PortAudio input overflows, blocks dropped
because the queue was full). Resampling and everything else happens in `read()`, on
the caller's thread. Chunk `start` is in seconds of audio delivered so far (it keeps
counting across a device loss); `captured_at`..`captured_by` is the range of monotonic
times at which its first sample can have been captured, which the gate compares with
the assistant's own voice: PortAudio's ADC estimate, and the block's arrival minus its
length. Measured in the room at stream start, the ADC estimate was up to 0.2 s too
early (a block stamped before the prompt it contained had even been written), so a
point estimate put the welcome's first words outside the gate.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from assistant.audio.devices import Device, choose, query_devices
from assistant.audio.frames import RATE, AudioChunk, read_wav
from assistant.audio.resample import Resampler
from assistant.audio.stream_clock import StreamClock
from assistant.errors import DeviceError
from assistant.invocation import checkin_command

BLOCK_SECONDS = 0.02  # 20 ms: small enough for prompt reactions, large for cheap callbacks
QUEUE_SECONDS = 5.0  # what may pile up while the consumer is busy before blocks are dropped
STALL_SECONDS = 2.0  # no audio for this long from an open stream: the device is gone
LATENCY_SECONDS = 0.1  # host buffer: fewer wakeups than "high"+fixed blocks (measured)


@dataclass
class CaptureStats:
    """What went wrong so far; reported, never silently dropped."""

    blocks: int = 0  # blocks received from PortAudio
    port_overflows: int = 0  # PortAudio said input overflowed (samples lost in the driver)
    dropped_blocks: int = 0  # our queue was full: blocks thrown away

    @property
    def overflows(self) -> int:
        return self.port_overflows + self.dropped_blocks


class AudioSource(Protocol):
    """A stream of 16 kHz mono int16 chunks."""

    stats: CaptureStats

    def start(self) -> None: ...

    def stop(self) -> None: ...

    def read(self, timeout: float = 0.5) -> AudioChunk | None:
        """The next chunk, or None when none arrived within `timeout` or the source ended."""
        ...

    @property
    def ended(self) -> bool:
        """True once a finite source (a file) has delivered everything."""
        ...

    @property
    def lost(self) -> str | None:
        """Why the device is gone (None while it delivers audio)."""
        ...


def choose_rate(accepts: Callable[[int], bool], device_default: float) -> int:
    """16 kHz when the device takes it, else the device's own rate (resampled later)."""
    if accepts(RATE):
        return RATE
    rate = int(round(device_default))
    if rate > 0 and accepts(rate):
        return rate
    for rate in (48_000, 44_100, 32_000, 22_050):
        if accepts(rate):
            return rate
    raise DeviceError(
        f"the input device accepts none of 16000, {int(device_default)}, 48000, 44100 Hz;"
        f" choose another with --input-device (see: {checkin_command('devices')})"
    )


class MicrophoneCapture:
    """A PortAudio input stream delivering 16 kHz chunks; see the module docstring.

    `device` is an index, a name fragment or None (the default input). `device_rate`
    forces the rate the device is opened at (None: 16 kHz if accepted).
    """

    def __init__(
        self,
        device: str | int | None = None,
        device_rate: int | None = None,
        block_seconds: float = BLOCK_SECONDS,
        queue_seconds: float = QUEUE_SECONDS,
        stall_seconds: float = STALL_SECONDS,
        quality: str = "HQ",
    ) -> None:
        self.device_spec = device
        self.forced_rate = device_rate
        self.block_seconds = block_seconds
        self.stall_seconds = stall_seconds
        self.quality = quality
        self.stats = CaptureStats()
        self.device: Device | None = None
        self.rate = RATE
        self._queue: queue.Queue[tuple[np.ndarray, float, float]] = queue.Queue(
            maxsize=max(4, int(queue_seconds / block_seconds))
        )
        self._stream: Any = None
        self._clock = StreamClock()
        self._resampler = Resampler(RATE)
        self._samples_out = 0  # 16 kHz samples delivered: the audio clock
        self._last_block_at = 0.0
        self._finished = threading.Event()
        self._stopping = False
        self._lost: str | None = None

    # -- opening and closing -------------------------------------------------

    def start(self) -> None:
        """Open and start the stream; DeviceError (one line) if impossible."""
        import sounddevice as sd

        self.device = choose(query_devices(), self.device_spec, "input")
        rate = self.forced_rate or choose_rate(self._accepts, self.device.default_rate)
        self._drain()
        self._clock = StreamClock()  # a new stream may run on another clock
        self._finished.clear()
        self._stopping = False
        try:
            stream = sd.InputStream(
                device=self.device.index,
                samplerate=rate,
                channels=1,
                dtype="int16",
                blocksize=int(round(rate * self.block_seconds)),
                latency=LATENCY_SECONDS,
                callback=self._callback,
                finished_callback=self._finished.set,
            )
            stream.start()
        except (sd.PortAudioError, ValueError) as err:
            raise DeviceError(
                f"cannot open input device {self.device.label()} at {rate} Hz ({_first_line(err)});"
                f" choose another with --input-device (see: {checkin_command('devices')})"
            ) from None
        self._stream = stream
        self.rate = rate
        self._resampler = Resampler(rate, self.quality)
        self._last_block_at = time.monotonic()
        self._lost = None

    def stop(self) -> None:
        """Stop and close the stream (safe to call twice, or after a loss)."""
        self._stopping = True
        stream, self._stream = self._stream, None
        if stream is not None:
            try:
                stream.abort()
                stream.close()
            except Exception:  # a vanished device may fail to close; it is gone anyway
                pass

    def __enter__(self) -> MicrophoneCapture:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _accepts(self, rate: int) -> bool:
        import sounddevice as sd

        assert self.device is not None
        try:
            sd.check_input_settings(
                device=self.device.index, samplerate=rate, channels=1, dtype="int16"
            )
        except (sd.PortAudioError, ValueError):
            return False
        return True

    # -- the real-time side --------------------------------------------------

    def _callback(self, indata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
        now = time.monotonic()
        if status.input_overflow:
            self.stats.port_overflows += 1
        self._clock.observe(now, time_info.currentTime)
        arrived = self._clock.to_monotonic(time_info.currentTime, now)
        latest = arrived - frames / self.rate  # a block cannot be newer than its arrival
        estimate = self._clock.to_monotonic(time_info.inputBufferAdcTime, latest)
        try:
            self._queue.put_nowait((indata[:, 0].copy(), min(estimate, latest), latest))
        except queue.Full:
            self.stats.dropped_blocks += 1

    # -- the consumer side ---------------------------------------------------

    def read(self, timeout: float = 0.5) -> AudioChunk | None:
        try:
            block, captured_at, captured_by = self._queue.get(timeout=timeout)
        except queue.Empty:
            self._check_alive()
            return None
        self.stats.blocks += 1
        self._last_block_at = time.monotonic()
        samples = self._resampler(block)
        start = self._samples_out / RATE
        self._samples_out += len(samples)
        return AudioChunk(samples, start, captured_at=captured_at, captured_by=captured_by)

    def __iter__(self) -> Iterator[AudioChunk]:
        while self.lost is None:
            chunk = self.read()
            if chunk is not None:
                yield chunk

    @property
    def ended(self) -> bool:
        return False

    @property
    def lost(self) -> str | None:
        self._check_alive()
        return self._lost

    def _check_alive(self) -> None:
        if self._lost is not None or self._stopping:
            return
        if self._stream is None:
            self._lost = "not started"
        elif self._finished.is_set() or not self._stream.active:
            self._lost = "the input stream stopped"
        elif self._queue.empty() and time.monotonic() - self._last_block_at > self.stall_seconds:
            self._lost = f"no audio for {self.stall_seconds:g} s"

    def _drain(self) -> None:
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                return


class WavSource:
    """A WAV file as an AudioSource: in real time (as a microphone would) or at full speed.

    `clock`/`sleep` are injectable so pacing is testable without waiting.
    """

    def __init__(
        self,
        path: str | Path,
        realtime: bool = False,
        block_seconds: float = BLOCK_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.samples = read_wav(path)
        self.realtime = realtime
        self.block = max(1, int(round(block_seconds * RATE)))
        self.stats = CaptureStats()
        self._clock = clock
        self._sleep = sleep
        self._pos = 0
        self._t0: float | None = None

    def start(self) -> None:
        self._t0 = self._clock()

    def stop(self) -> None:
        self._pos = len(self.samples)

    def read(self, timeout: float = 0.5) -> AudioChunk | None:
        if self.ended:
            return None
        if self._t0 is None:
            self.start()
        assert self._t0 is not None
        start = self._pos / RATE
        end = min(len(self.samples), self._pos + self.block)
        if self.realtime:  # a chunk exists once its last sample has been "recorded"
            due = self._t0 + end / RATE
            wait = due - self._clock()
            if wait > timeout:
                self._sleep(timeout)
                return None
            if wait > 0:
                self._sleep(wait)
        at = self._t0 + start
        chunk = AudioChunk(self.samples[self._pos : end], start, captured_at=at, captured_by=at)
        self._pos = end
        self.stats.blocks += 1
        return chunk

    def __iter__(self) -> Iterator[AudioChunk]:
        while not self.ended:
            chunk = self.read()
            if chunk is not None:
                yield chunk

    @property
    def ended(self) -> bool:
        return self._pos >= len(self.samples)

    @property
    def lost(self) -> str | None:
        return None


def _first_line(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    return text[0] if text else type(err).__name__
