"""The bare engines checkin's recognition is measured against, each in a process of its
own (its memory is not ours, and our process never imports it): bare faster-whisper
(`BareWhisper`, `SteppedWhisper`) and bare Vosk (`BareVosk`).

Run as `python -m scripts.bare_engines bare-whisper MODEL THREADS`, it is the process
that runs bare faster-whisper for the benchmarks (see `BareWhisper`).

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

import json
import os
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from scripts.bench_common import CHECKOUT, cpu, peak_rss_mib

BARE_OPTIONS: dict[str, Any] = {
    "beam_size": 5, "language": "en", "vad_filter": True, "word_timestamps": True,
    "without_timestamps": True,
}


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
            [sys.executable, "-m", "scripts.bare_engines", "bare-whisper", str(model_dir),
             str(threads)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            cwd=CHECKOUT, env=env)
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


# ------------------------------------------------------------------ bare Vosk


BARE_VOSK = """
import struct, sys, time
from assistant.offline import import_vosk
vosk = import_vosk()
rec = vosk.KaldiRecognizer(vosk.Model(sys.argv[1]), 16000)
rec.SetWords(True)
read, write = sys.stdin.buffer.read, sys.stdout.buffer.write
write(struct.pack("<d", time.process_time()))  # ready
sys.stdout.buffer.flush()
while True:
    size = struct.unpack("<I", read(4))[0]
    block = read(size)
    if not size:
        rec.FinalResult()
    for i in range(0, size, 640):  # 20 ms blocks, Result() on endpoints, as its examples
        if rec.AcceptWaveform(block[i : i + 640]):
            rec.Result()
    write(struct.pack("<d", time.process_time()))
    sys.stdout.buffer.flush()
    if not size:
        break
"""


class BareVosk:
    """Bare Vosk in a process of its own, fed one second of audio at a time on demand:
    its CPU is its own process time, and its memory is not this process's."""

    def __init__(self, model_path: Path) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", BARE_VOSK, str(model_path)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=CHECKOUT)
        self.cpu = self._reply()  # its start-up and model load: not counted

    def _send(self, data: bytes) -> float:
        assert self.proc.stdin is not None
        self.proc.stdin.write(struct.pack("<I", len(data)) + data)
        self.proc.stdin.flush()
        return self._reply()

    def _reply(self) -> float:
        assert self.proc.stdout is not None
        reply = self.proc.stdout.read(8)
        if len(reply) != 8:
            raise SystemExit("bare Vosk's process ended early")
        return float(struct.unpack("<d", reply)[0])

    def round(self, data: bytes) -> float:
        """Feed `data`; the CPU seconds that took."""
        before, self.cpu = self.cpu, self._send(data)
        return self.cpu - before

    def finish(self) -> float:
        before, self.cpu = self.cpu, self._send(b"")
        self.proc.wait(timeout=30)
        return self.cpu - before


class SteppedWhisper:
    """Bare faster-whisper over a recording, one window whenever it is behind."""

    def __init__(self, bare: BareWhisper, recording: Path) -> None:
        self.bare = bare
        opened = bare.open(recording)
        self.cpu = float(opened["cpu"])  # its VAD and features of the whole recording
        self.fed = float(opened["fed_seconds"])
        self.position = 0.0
        self.done: dict[str, Any] | None = None

    def catch_up(self, until: float) -> float:
        """Windows until bare has got past `until` (seconds); the CPU they took."""
        spent = 0.0
        while self.done is None and self.position <= until:
            answer = self.bare.step()
            spent += float(answer["cpu"])
            if answer["done"]:
                self.done = answer
            else:
                self.position = float(answer["position"])
        self.cpu += spent
        return spent


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "bare-whisper":
        _worker(sys.argv[2], int(sys.argv[3]))
    else:
        print(__doc__)
        raise SystemExit(2)
