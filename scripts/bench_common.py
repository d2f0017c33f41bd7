"""What the benchmark scripts share: CPU and memory readings, two sides timed in
turn, spreads, the result table, and bare faster-whisper, the Whisper engine's
reference (issue 26: the scripts' helpers in one place).

Not a benchmark itself. Run as `python -m scripts.bench_common bare-whisper MODEL
THREADS`, it is the process that runs bare faster-whisper for the others (see
`BareWhisper`).

Bare faster-whisper (1.2.1, the `test` extra; the product never imports it) is
`faster_whisper.WhisperModel(<model dir>, device="cpu", compute_type="int8",
cpu_threads=<ours>)` and `.transcribe(audio_float32, **BARE_OPTIONS)`, the generator
consumed to its end. `without_timestamps=True`: our engine decodes with
<|notimestamps|> (assistant/asr/whisper_tokens.py) and times words by alignment,
so this is the same task; with timestamps the library also writes timestamp tokens
and seeks by them (measured once for comparison: `--bare-timestamps` of
bench_session.py). With `word_timestamps=True` it still seeks to the end of the last
word of each window, so a window may start a little before the previous one ended.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from assistant.audio.frames import RATE

ROOT = Path(__file__).resolve().parents[1]

BARE_OPTIONS: dict[str, Any] = {
    "beam_size": 5, "language": "en", "vad_filter": True, "word_timestamps": True,
    "without_timestamps": True,
}


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
        widths = [max([len(h)] + [len(r[k]) for r in self.rows])
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


# ------------------------------------------------------- our Whisper engine


@dataclass
class Calls:
    """One method's calls: how many, their CPU seconds, wall seconds and a size each."""

    cpu: list[float] = field(default_factory=list)
    wall: list[float] = field(default_factory=list)
    sizes: list[float] = field(default_factory=list)
    inputs: list[Any] = field(default_factory=list)  # the audio encoded (encode only)

    @property
    def count(self) -> int:
        return len(self.cpu)


class Probe:
    """Counts and times the calls our `WhisperModel` gets (encode, decode, words,
    phrase_scores), by wrapping the methods of one loaded instance: what a window
    costs, and how long each segment was, without touching assistant/ code."""

    METHODS = ("encode", "decode", "words", "phrase_scores")

    def __init__(self, model: Any) -> None:
        self.model = model
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
            if name == "encode":
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


# ------------------------------------------------------ bare faster-whisper


def import_faster_whisper() -> Any:
    """faster_whisper, with huggingface_hub told to stay offline before it is imported
    (faster-whisper imports it; a local model directory needs no hub)."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
    import faster_whisper

    return faster_whisper


class _Counted:
    """Stands in for faster-whisper's CTranslate2 model: counts the encoder passes,
    the decoder runs (temperature fallbacks included) and the alignments, with the
    CPU seconds of each kind."""

    KINDS = ("encode", "generate", "align")

    def __init__(self, model: Any) -> None:
        self._model = model
        self.counts = dict.fromkeys(self.KINDS, 0)
        self.cpu = dict.fromkeys(self.KINDS, 0.0)

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._model, name)
        if name not in self.KINDS:
            return attr

        def counted(*args: Any, **kwargs: Any) -> Any:
            c = time.process_time()
            out = attr(*args, **kwargs)
            self.counts[name] += 1
            self.cpu[name] += time.process_time() - c
            return out

        return counted


def bare_transcribe(model: Any, samples: np.ndarray, options: dict[str, Any]) -> dict[str, Any]:
    """Bare faster-whisper over int16 samples; its CPU and what it did."""
    counted = model.model if isinstance(model.model, _Counted) else _Counted(model.model)
    model.model = counted
    counted.counts = dict.fromkeys(counted.KINDS, 0)
    counted.cpu = dict.fromkeys(counted.KINDS, 0.0)
    c, w = cpu(), time.perf_counter()
    audio = samples.astype(np.float32) / 32768.0
    segments, info = model.transcribe(audio, **options)
    heard = [(s.start, s.end, s.text, [(x.start, x.end, x.word) for x in (s.words or [])])
             for s in segments]
    seconds = cpu() - c
    return {"cpu": seconds, "wall": time.perf_counter() - w, **counted.counts,
            "cpu_of": counted.cpu,
            "fed_seconds": float(info.duration_after_vad), "text": "".join(h[2] for h in heard),
            "segments": [(h[0], h[1], h[2]) for h in heard],
            "words": [x for h in heard for x in h[3]], "peak_rss_mib": peak_rss_mib()}


def _load(path: str) -> np.ndarray:
    """int16 samples from a .npy file, or a raw little-endian .raw file."""
    return np.fromfile(path, dtype="<i2") if path.endswith(".raw") else np.load(path)


def _worker(model_dir: str, threads: int) -> None:
    """The bare process: load once, then one JSON request per line on stdin, one JSON
    answer per line: {"audio": path, "options": {...}} transcribes a whole recording;
    {"open": path, "options": {...}} starts one (its VAD and features: faster-whisper
    does those first) and {"step": true} then decodes its next window."""
    fw = import_faster_whisper()
    model = fw.WhisperModel(model_dir, device="cpu", compute_type="int8", cpu_threads=threads)
    print(json.dumps({"ready": True, "peak_rss_mib": peak_rss_mib()}), flush=True)
    opened: Iterator[Any] | None = None
    counted = _Counted(model.model)
    model.model = counted
    for line in sys.stdin:
        request = json.loads(line)
        options = {**BARE_OPTIONS, **request.get("options", {})}
        if "audio" in request:
            print(json.dumps(bare_transcribe(model, _load(request["audio"]), options)),
                  flush=True)
            continue
        c = cpu()
        answer: dict[str, Any] = {}
        if "open" in request:
            counted.counts = dict.fromkeys(counted.KINDS, 0)
            counted.cpu = dict.fromkeys(counted.KINDS, 0.0)
            audio = _load(request["open"]).astype(np.float32) / 32768.0
            segments, info = model.transcribe(audio, **options)
            opened = iter(segments)
            answer = {"position": 0.0, "done": False,
                      "fed_seconds": float(info.duration_after_vad)}
        else:
            assert opened is not None
            try:
                answer = {"position": float(next(opened).end), "done": False}
            except StopIteration:
                answer = {"done": True, **counted.counts, "cpu_of": counted.cpu}
        answer.update(cpu=cpu() - c, peak_rss_mib=peak_rss_mib())
        print(json.dumps(answer), flush=True)


class BareWhisper:
    """Bare faster-whisper in a process of its own (its memory is not ours, and our
    process never imports it), loaded once, asked to transcribe on demand."""

    def __init__(self, model_dir: Path, threads: int) -> None:
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_HUB_DISABLE_TELEMETRY": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "scripts.bench_common", "bare-whisper", str(model_dir),
             str(threads)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            cwd=ROOT, env=env)
        self.folder = tempfile.TemporaryDirectory(prefix="checkin-bare-")
        self.loaded_rss_mib = float(self._answer()["peak_rss_mib"])
        self._n = 0

    def _answer(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise SystemExit("bare faster-whisper's process ended early")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def transcribe(self, samples: np.ndarray, **options: Any) -> dict[str, Any]:
        """What bare faster-whisper made of `samples` (int16), and its CPU seconds."""
        assert self.proc.stdin is not None
        self._n += 1
        path = Path(self.folder.name) / f"audio{self._n % 2}.npy"
        np.save(path, samples.astype(np.int16))
        return self.transcribe_file(path, **options)

    def _ask(self, request: dict[str, Any]) -> dict[str, Any]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        return self._answer()

    def transcribe_file(self, path: Path, **options: Any) -> dict[str, Any]:
        """The same for a recording on disk (.npy, or raw int16 .raw)."""
        return self._ask({"audio": str(path), "options": options})

    def open(self, path: Path, **options: Any) -> dict[str, Any]:
        """Start on a recording on disk: faster-whisper's VAD and features of all of
        it (its CPU in the answer); then `step` decodes one window at a time."""
        return self._ask({"open": str(path), "options": options})

    def step(self) -> dict[str, Any]:
        """The next window: its CPU, and where in the recording bare has got to
        ("position", seconds), or "done" with what it did in all."""
        return self._ask({"step": True})

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait(timeout=30)
        self.folder.cleanup()

    def __enter__(self) -> BareWhisper:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


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


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "bare-whisper":
        _worker(sys.argv[2], int(sys.argv[3]))
    else:
        print(__doc__)
        raise SystemExit(2)
