"""What the benchmark scripts share: CPU and memory readings, two sides timed in turn
(lockstep), spreads, the result table, the replay's loudspeaker, and a probe on our
Whisper engine's calls. The bare engines they are measured against are in
scripts/bare_engines.py.

Not a benchmark itself: imported by the others (`python -m scripts.NAME`)."""

from __future__ import annotations

import contextlib
import os
import resource
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from assistant.audio.frames import RATE, AudioChunk
from assistant.flow.events import CommandName

CHECKOUT = Path(__file__).resolve().parents[1]  # where children run: `-m scripts.X` works


# ----------------------------------------------------------------- readings


def cpu() -> float:
    """This process's CPU time (every thread: CTranslate2's and onnxruntime's too)."""
    return time.process_time()


def rss_mib() -> float:
    """Current resident memory of this process (not the peak)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mib() -> float:
    """This process's peak resident memory (ru_maxrss)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_rss_of(pid: int) -> float:
    """Another live process's peak resident memory (VmHWM), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for process {pid}")


def child_cpu(cmd: list[str]) -> tuple[float, str]:
    """CPU seconds (user + system) of one child process, and what it printed."""
    with tempfile.TemporaryFile("w+") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL, cwd=CHECKOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            raise SystemExit(f"{cmd[:3]} failed with exit code {proc.returncode}")
        out.seek(0)
        return usage.ru_utime + usage.ru_stime, out.read()


# ------------------------------------------------------------------ spreads


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100), linear between the nearest ranks."""
    if not values:
        return float("nan")
    return float(np.percentile(np.asarray(values, dtype=np.float64), q))


def ms_spread(values: list[float]) -> str:
    """"median / p90 / max" of seconds, in milliseconds."""
    if not values:
        return "n/a"
    return (f"{percentile(values, 50) * 1000:.0f} / {percentile(values, 90) * 1000:.0f} / "
            f"{max(values) * 1000:.0f} ms")


def ratio_text(ratios: list[float]) -> str:
    """The median of per-round ratios, with their range."""
    if not ratios:
        return "n/a"
    return (f"{statistics.median(ratios):.2f}x (rounds {min(ratios):.2f}-{max(ratios):.2f}x, "
            f"n={len(ratios)})")


def histogram(lengths: Iterable[float], edges: tuple[float, ...] = (1, 2.5, 5, 10, 20, 30)
              ) -> str:
    """How many lengths (seconds) fall in each bin, e.g. "<1 s: 3, 1-2.5 s: 5"."""
    values = list(lengths)
    bins = []
    low = 0.0
    for high in edges:
        n = sum(low <= v < high for v in values)
        name = f"<{high:g}" if low == 0 else f"{low:g}-{high:g}"
        bins.append(f"{name} s: {n}")
        low = high
    over = sum(v >= low for v in values)
    if over:
        bins.append(f">={low:g} s: {over}")
    return ", ".join(bins)


# -------------------------------------------------------------------- table


@dataclass
class Table:
    """Rows of (measure, figure, target, ok); printed aligned, ok None = no target."""

    rows: list[tuple[str, str, str, bool | None]] = field(default_factory=list)

    def add(self, name: str, figure: str, target: str = "", ok: bool | None = None) -> None:
        self.rows.append((name, figure, target, ok))

    def print(self) -> None:
        widths = [max([len(h)] + [len(str(r[k])) for r in self.rows])
                  for k, h in enumerate(("measure", "figure", "target"))]
        print("  ".join(h.ljust(w) for h, w in zip(("measure", "figure", "target"), widths,
                                                    strict=True)) + "  result")
        for name, figure, target, ok in self.rows:
            result = "" if ok is None else ("ok" if ok else "MISSED")
            print(f"{name:<{widths[0]}}  {figure:<{widths[1]}}  {target:<{widths[2]}}  {result}")

    @property
    def status(self) -> int:
        """The exit status: 1 when a target was missed."""
        return 0 if all(ok is not False for *_, ok in self.rows) else 1


def write_wav(path: Path, samples: np.ndarray) -> None:
    import wave

    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(samples.astype(np.int16).tobytes())


def alternate(rounds: int, ours: Callable[[], float], bare: Callable[[], float]
              ) -> list[tuple[float, float]]:
    """Each side's CPU seconds, `rounds` times, in turn; the one that goes first swaps
    every round so that neither always runs on a machine the other has just warmed."""
    results = []
    for n in range(rounds):
        if n % 2 == 0:
            o = ours()
            b = bare()
        else:
            b = bare()
            o = ours()
        results.append((o, b))
    return results


def best_cpu(pair: tuple[Callable[[], None], ...], passes: int) -> list[float]:
    """Best process CPU time of each run; passes alternate between the two so a busy
    moment on the machine cannot favour one of them."""
    best = [float("inf")] * len(pair)
    for _ in range(passes):
        for k, run in enumerate(pair):
            start = time.process_time()
            run()
            best[k] = min(best[k], time.process_time() - start)
    return best


# ------------------------------------------------------ lockstep with a replay


CHUNK = 320  # 20 ms at 16 kHz: what a microphone callback hands over
LOCKSTEP = 50  # chunks per lockstep round: one second of audio


class Feed:
    """Hands the replay its chunks and times the replay's work only: what happens
    between handing it a chunk and its asking for the next; producing the audio is
    not counted. Every second of audio the bare engine catches up (lockstep), in its
    own process. Memory is this process's alone: the replay's, from `rss_from` on."""

    def __init__(self, source: Iterator[AudioChunk], rss_from: float,
                 bare_round: Callable[[np.ndarray, float], float] | None = None,
                 press: Callable[[CommandName], None] | None = None,
                 keys: list[tuple[float, CommandName]] | None = None) -> None:
        self.source = source
        self.rss_from = rss_from
        self.bare_round = bare_round
        self.press = press
        self.keys = list(keys or [])
        self.rss_start: float | None = None
        self.rss_end = 0.0
        self.ours = 0.0
        self.bare = 0.0
        self.chunks = 0
        self.seconds = 0.0
        self._pending: list[np.ndarray] = []
        self._mark = 0.0

    def start(self) -> None:
        self._mark = cpu()

    def __iter__(self) -> Iterator[AudioChunk]:
        while True:
            self.ours += cpu() - self._mark
            try:
                chunk = next(self.source)
            except StopIteration:
                self._mark = cpu()
                return
            self.chunks += 1
            self.seconds = chunk.end
            if self.rss_start is None and chunk.start >= self.rss_from:
                self.rss_start = rss_mib()
            if self.bare_round is not None:
                self._pending.append(chunk.samples)
                if len(self._pending) == LOCKSTEP:
                    self._bare_round(chunk.end)
            self._mark = cpu()
            while self.keys and self.keys[0][0] <= chunk.start and self.press is not None:
                self.press(self.keys.pop(0)[1])
            yield chunk

    def _bare_round(self, now: float) -> None:
        if self._pending and self.bare_round is not None:
            self.bare += self.bare_round(np.concatenate(self._pending), now)
            self._pending.clear()

    def finish(self) -> None:
        """After the replay: its last work, then the bare engine's last round."""
        self.ours += cpu() - self._mark
        self._bare_round(self.seconds)
        self.rss_end = rss_mib()


def recorded_chunks(path: Path) -> Iterator[AudioChunk]:
    """A recording on disk as 20 ms chunks, read a second at a time (so that replaying
    it does not grow this process's memory)."""
    with path.open("rb") as f:
        at = 0
        while block := f.read(2 * CHUNK * LOCKSTEP):
            samples = np.frombuffer(block, dtype="<i2").astype(np.int16)
            for i in range(0, len(samples), CHUNK):
                yield AudioChunk(samples[i:i + CHUNK], (at + i) / RATE)
            at += len(samples)


# ------------------------------------------------------- our Whisper engine


@dataclass
class Calls:
    """One method's calls: how many, their CPU seconds, wall seconds and a size each."""

    cpu: list[float] = field(default_factory=list)
    wall: list[float] = field(default_factory=list)
    sizes: list[float] = field(default_factory=list)
    inputs: list[Any] = field(default_factory=list)  # the audio encoded (`keep_audio`)

    @property
    def count(self) -> int:
        return len(self.cpu)


class Probe:
    """Counts and times the calls our `WhisperModel` gets (encode, decode, words,
    phrase_scores), by wrapping the methods of one loaded instance: what a window
    costs, and how long each segment was, without touching assistant/ code.

    `keep_audio` keeps each window's audio (bench_session gives bare faster-whisper
    the same windows); off, the probe holds nothing that grows with the evening, so it
    cannot show up as the product's memory growth (it did: 77 MiB over 45 minutes)."""

    METHODS = ("encode", "decode", "words", "phrase_scores")

    def __init__(self, model: Any, keep_audio: bool = False) -> None:
        self.model = model
        self.keep_audio = keep_audio
        self.calls: dict[str, Calls] = {}
        self.reset()

    def _wrap(self, name: str) -> Callable[..., Any]:
        original = getattr(self.model.__class__, name)
        calls = self.calls[name]
        model = self.model

        def timed(*args: Any, **kwargs: Any) -> Any:
            c, w = time.process_time(), time.perf_counter()
            out = original(model, *args, **kwargs)
            calls.cpu.append(time.process_time() - c)
            calls.wall.append(time.perf_counter() - w)
            calls.sizes.append(len(args[0]) / RATE if name == "encode" else 0.0)
            if name == "encode" and self.keep_audio:
                calls.inputs.append(args[0])
            return out

        return timed

    def reset(self) -> None:
        self.calls = {name: Calls() for name in self.METHODS}
        for name in self.METHODS:
            setattr(self.model, name, self._wrap(name))

    def remove(self) -> None:
        for name in self.METHODS:
            with contextlib.suppress(AttributeError):
                delattr(self.model, name)


def _tunings() -> dict[str, Any]:
    from assistant.asr.engine import WHISPER

    return {
        "product": WHISPER,  # hangover 1.0 s, max segment 25 s
        "hangover-0.5": replace(WHISPER, hangover=0.5),
        "hangover-1.5": replace(WHISPER, hangover=1.5),
        "hangover-2.0": replace(WHISPER, hangover=2.0),
        "hangover-3.0": replace(WHISPER, hangover=3.0),
        "hangover-2.0-max-15": replace(WHISPER, hangover=2.0, max_segment=15.0),
        "hangover-3.0-quick-1.0": replace(WHISPER, hangover=3.0, quick_max=1.0),
    }


# Segmenter settings the scripts can try on the Whisper engine (`retune`), the first
# the product's: assistant/asr/engine.py's WHISPER.
TUNINGS: dict[str, Any] = _tunings()


def retune(pipeline: Any, tuning: Any) -> None:
    """Give a pipeline built by `recording_pipeline` another segmenter `Tuning` (for
    measuring other settings; the product's are in assistant/asr/engine.py): the same
    construction as `SpeechTranscriber.__init__`, on the same shared detector."""
    from assistant.asr.engine import WHISPER_LIMIT
    from assistant.asr.segmenter import SpeechSegmenter

    transcriber = pipeline.listener.transcriber
    old = transcriber.segmenter
    transcriber.segmenter = SpeechSegmenter(
        old.vad, tuning.pre_roll, tuning.hangover, tuning.quick_hangover, tuning.quick_max,
        tuning.min_voiced, tuning.max_segment,
        WHISPER_LIMIT if tuning.max_segment is not None else None)
    transcriber.keep_audio = max(transcriber.keep_audio, tuning.max_segment or 0.0)
    pipeline.listener.margin = tuning.margin


class Loudspeaker:
    """Stands in for the loudspeaker in a replay: keeps every prompt and when it would
    stop playing (audio time), so the partners can wait for it the way people do."""

    WORDS_PER_SECOND = 2.6  # an English voice at its usual pace
    CHIME_SECONDS = 0.6

    def __init__(self, clock: Callable[[], float] = lambda: 0.0) -> None:
        self.clock = clock
        self.said: list[str] = []
        self.busy_until = 0.0

    def _play(self, seconds: float) -> None:
        self.busy_until = max(self.busy_until, self.clock()) + seconds

    def say(self, text: str) -> None:
        self.said.append(text)
        self._play(0.4 + len(text.split()) / self.WORDS_PER_SECOND)

    def chime(self, kind: str) -> None:
        self._play(self.CHIME_SECONDS)

    @property
    def idle(self) -> bool:
        return self.clock() >= self.busy_until

    def wait_idle(self, timeout: float | None = None) -> bool:
        return True

    def close(self) -> None:
        pass


def model_name(path: Path) -> str:
    """A model's name as `--model` takes it (a packaged model's folder is "model")."""
    from assistant.asr.models import PACKAGED, PACKAGED_KO, packaged_korean_model, packaged_model

    if path == packaged_korean_model():
        return PACKAGED_KO
    return next((name for name, info in PACKAGED.items() if packaged_model(info) == path),
                path.name)


def whisper_threads() -> int:
    """The threads our Whisper engine uses (bare gets the same)."""
    from assistant.asr.whisper_model import default_threads

    return default_threads()


def chunked(samples: np.ndarray, start: float = 0.0, size: int = 320) -> Iterator[Any]:
    """20 ms AudioChunks of a recording, as a microphone callback hands them over."""
    from assistant.audio.frames import AudioChunk

    for i in range(0, len(samples), size):
        yield AudioChunk(samples[i:i + size], start + i / RATE)
