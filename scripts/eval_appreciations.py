#!/usr/bin/env python3
"""Appreciations' word error rate on real English speech: what a check-in saves,
against bare Whisper on the same audio.

    .venv/bin/python -m scripts.eval_appreciations [--model PATH|NAME] [--audio DIR] [--quick]

Every LibriVox reading of ../shared/audio (one reader, Sense and Sensibility; the
transcripts are in its MANIFEST.txt) is said as Ana's appreciation in a daily
check-in that starts at its appreciations step (`FlowContext.resume_at`): the shipped
listening path (`recording_pipeline`: the hearing's Silero, the segmenter with the
engine's tuning, the engine, the echo guard, the command check) and the flow
(`Session.replay`, audio time as the clock). Ana starts when the question would have
been spoken; once the flow reads her words back she presses "save it", and the text
of the `Appreciation` it saves is scored: the `Utterance` texts the step joined
(CollectRunner, assistant/flow/collect_step.py), as the journal keeps them.

The same audio alone, twice more:
- our `WhisperModel` decoding the whole clip as one window (encode + decode, beam 5):
  the engine without the segmenter, the flow or the command context;
- bare faster-whisper 1.2.1, with the options the CPU benchmarks use
  (scripts/bare_engines.py: `without_timestamps=True`, and why) and with its default
  `without_timestamps=False`. With word times on, it seeks each next window to the
  end of the last word, so a short clip gets a second window of its last fraction of
  a second, where it writes words nobody said ("All right, let's go."); with
  timestamps that window rarely comes.

Word error rate after normalising both sides (speechlab/wer.py: case,
punctuation, numbers and titles as words), over all words together. Target: the
saved text within 2 points of each bare run. Then, before any normalising, the saved
text must keep Whisper's casing and punctuation (starts with a capital letter, has
punctuation) in every clip. The readings hold 71 words in all (normalised): one word
is 1.4 points.

Exit status 1 when a target is missed, 2 when it cannot run. `--quick`: the first two
readings (well under a minute).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assistant.asr.engine import Engine, engine_of, load_model
from assistant.asr.models import resolve_model
from assistant.audio.frames import RATE, AudioChunk, read_wav
from assistant.flow.events import Action, Appreciation, CommandName, Save
from assistant.flow.machine import CheckinFlow, FlowContext
from assistant.flow.steps import ItemView, Phase
from assistant.guides import load_guide
from assistant.session.setup import recording_pipeline
from assistant.session.voice import Session
from scripts.bare_engines import BareWhisper
from scripts.bench_common import Loudspeaker, Table, whisper_threads
from speechlab.voices import room_noise
from speechlab.wer import Errors, error_rate, keeps_case_and_punctuation

ROOT = Path(__file__).resolve().parents[1]

SHARED_AUDIO = ROOT / ".." / "shared" / "audio"
TARGET_POINTS = 2.0
_LINE = re.compile(r"(librivox_\S+\.wav)\s+[\d.]+ s\s+\"([^\"]+)\"")


@dataclass
class Reading:
    name: str
    reference: str
    samples: np.ndarray


def readings(folder: Path) -> list[Reading]:
    """The LibriVox readings named in the folder's MANIFEST.txt, with their transcripts."""
    manifest = (folder / "MANIFEST.txt").read_text(encoding="utf-8")
    return [Reading(name, text, read_wav(folder / name))
            for name, text in _LINE.findall(manifest)]


def saved_appreciation(model_path: Path, model: Any, samples: np.ndarray) -> str | None:
    """Ana says `samples` as her appreciation; the text the flow saves (None if none)."""
    guide = load_guide("daily")
    flow = CheckinFlow(guide, FlowContext(("Ana", "Ben"), resume_at="appreciations"))
    pipeline = recording_pipeline(model_path, model=model)
    speaker = Loudspeaker()
    actions: list[Action] = []
    session = Session(flow, pipeline, speaker, on_action=actions.append)
    speaker.clock = lambda: session.clock()
    position = [0]

    def item() -> ItemView | None:
        view = flow.view().activity
        return view if isinstance(view, ItemView) else None

    def saved() -> list[str]:
        return [a.record.text for a in actions
                if isinstance(a, Save) and isinstance(a.record, Appreciation)]

    def play(audio: np.ndarray) -> Iterator[AudioChunk]:
        audio = np.concatenate([audio, room_noise(-len(audio) % 320 / RATE, seed=7)])
        for i in range(0, len(audio), 320):
            yield AudioChunk(audio[i:i + 320], position[0] / RATE)
            position[0] += 320

    def quiet_until(done: Any, limit: float) -> Iterator[AudioChunk]:
        end = position[0] / RATE + limit
        while not done() and position[0] / RATE < end:
            yield from play(room_noise(0.1, seed=position[0]))

    def script() -> Iterator[AudioChunk]:
        yield from quiet_until(lambda: (i := item()) is not None and i.speaker == "Ana"
                               and i.phase == Phase.LISTENING, 5.0)
        yield from quiet_until(lambda: speaker.idle, 30.0)  # the question is being asked
        yield from play(room_noise(0.5, seed=1))
        yield from play(samples)
        yield from quiet_until(lambda: (i := item()) is not None and i.phase == Phase.CONFIRM,
                               15.0)
        if (i := item()) is not None and i.phase == Phase.CONFIRM:
            session.press(CommandName.SAVE)
            yield from quiet_until(lambda: bool(saved()), 2.0)

    session.replay(script(), tail_seconds=0.0)
    texts = saved()
    return texts[0] if texts else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="a Whisper model directory or name (default: English's)")
    parser.add_argument("--audio", type=Path, default=SHARED_AUDIO)
    parser.add_argument("--quick", action="store_true", help="the first two readings")
    parser.add_argument("--smoke", action="store_true",
                        help="the first reading only (for the test suite)")
    args = parser.parse_args()
    model_path = resolve_model(args.model)
    if engine_of(model_path) != Engine.WHISPER:
        print("eval_appreciations: this compares with bare Whisper; give a Whisper model",
              file=sys.stderr)
        return 2
    if not (args.audio / "MANIFEST.txt").is_file():
        print(f"eval_appreciations: no MANIFEST.txt in {args.audio}", file=sys.stderr)
        return 2
    clips = readings(args.audio)[: 1 if args.smoke else 2 if args.quick else None]
    model = load_model(model_path)

    rows: list[tuple[Reading, str | None, str, str, str]] = []
    with BareWhisper(model_path, whisper_threads()) as bare:
        for reading in clips:
            saved = saved_appreciation(model_path, model, reading.samples)
            seconds = len(reading.samples) / RATE
            alone = model.decode(model.encode(reading.samples), seconds).text
            theirs = str(bare.transcribe(reading.samples)["text"]).strip()
            timed = str(bare.transcribe(reading.samples, without_timestamps=False)["text"])
            rows.append((reading, saved, alone, theirs, timed.strip()))

    def total(column: int) -> Errors:
        return error_rate((r[0].reference, r[column] or "") for r in rows)  # type: ignore[misc]

    ours = total(1)
    table = Table()
    table.add("readings", f"{len(rows)} LibriVox clips, {ours.words} words, "
              f"{sum(len(r[0].samples) for r in rows) / RATE:.1f} s")
    table.add("saved by the check-in: word error rate",
              f"{ours.rate * 100:.1f} % ({ours.substitutions} sub, {ours.deletions} del, "
              f"{ours.insertions} ins)")
    for column, name in ((2, "our WhisperModel, whole clip alone"),
                         (3, "bare faster-whisper, no timestamps"),
                         (4, "bare faster-whisper, timestamps")):
        errors = total(column)
        points = (ours.rate - errors.rate) * 100
        table.add(f"  against {name}", f"{errors.rate * 100:.1f} %: saved {points:+.1f} points",
                  f"<= +{TARGET_POINTS:.0f} points", points <= TARGET_POINTS)
    kept = [r for r in rows if r[1] is not None and keeps_case_and_punctuation(r[1])]
    table.add("saved texts with their casing and punctuation", f"{len(kept)} of {len(rows)}",
              "all", len(kept) == len(rows))
    same = sum(r[1] is not None and r[1].strip() == r[2].strip() for r in rows)
    table.add("saved text identical to our engine's on the whole clip", f"{same} of {len(rows)}")
    table.print()
    print()
    for reading, saved, mine, bare_text, timed in rows:
        print(f"{reading.name}\n  reference:  {reading.reference}\n  saved:      {saved}\n"
              f"  alone:      {mine}\n  bare:       {bare_text}\n  bare timed: {timed}")
    return table.status


if __name__ == "__main__":
    raise SystemExit(main())
