"""The hands-free check-in: live audio in, the flow in the middle, speech and journal out.

    listening thread:  microphone ─► pipeline (gate, hearing, listener) ─► events
    main thread:       events ─► flow ─► actions ─► speech · journal · live view
                                              └──► whose turn it is (pipeline)

Threads: the PortAudio callback only copies blocks (capture.py); one listening thread
turns chunks into events; the speech worker renders and plays prompts (tts.py); the
main thread runs the flow, the journal and the view. The wall clock enters here only:
`now` is the session's monotonic clock, read when a chunk is processed or a key is
pressed. `Session.replay` runs the same on one thread with audio time as the clock,
which is how recordings are replayed in tests and benchmarks. Everything is built and
closed in setup.py.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from assistant.audio.frames import AudioChunk
from assistant.audio.reconnect import Reconnecting
from assistant.audio.tts import Speech
from assistant.display import Screen
from assistant.errors import CheckinError
from assistant.flow.events import (
    Action,
    Chime,
    Command,
    CommandName,
    DeviceBack,
    DeviceLost,
    EndTurn,
    Event,
    ListeningFailed,
    PromptsDone,
    Say,
    StartTurn,
    Tick,
    Utterance,
)
from assistant.flow.kinds import EndReason
from assistant.flow.machine import CheckinFlow
from assistant.phrases import phrase_to_say
from assistant.session.pipeline import Pipeline
from assistant.session.threads import join_or_report

TICK_SECONDS = 0.1
FRAME_SECONDS = 0.2  # the live view redraws at most this often
GOODBYE_SECONDS = 20.0  # how long the last words may take before we close anyway


class View(Protocol):
    def update(self, screen: Screen) -> None: ...

    def said(self, text: str) -> None: ...


class Trace:
    """Every event and action of a check-in, one line each, for diagnosis (off by
    default: it holds what was said). Written from two threads, hence the lock."""

    def __init__(self, out: Any) -> None:
        self.out = out
        self._lock = threading.Lock()

    def line(self, now: float, text: str) -> None:
        with self._lock:
            self.out.write(f"{now:.3f} {text}\n")


@dataclass
class Session:
    """Runs one flow against live (or replayed) audio until it ends."""

    flow: CheckinFlow
    pipeline: Pipeline
    speech: Speech
    view: View | None = None
    on_action: Callable[[Action], None] = lambda action: None
    on_utterance: Callable[[str | None, str], None] = lambda partner, text: None
    clock: Callable[[], float] = time.monotonic
    events: queue.Queue[Event] = field(default_factory=queue.Queue)
    prompt: str = ""
    turn_of: str | None = None  # the partner whose turn it is
    notes: list[str] = field(default_factory=list)
    trace: Trace | None = None
    fault: BaseException | None = None  # what stopped the listening thread, if anything

    # ------------------------------------------------------------ core step

    def post(self, event: Event) -> None:
        """Any thread: hand an event to the flow."""
        self.events.put(event)

    def press(self, name: CommandName) -> None:
        """Any thread: a key or a typed command, now."""
        self.post(Command(self.clock(), name))

    def handle(self, event: Event) -> None:
        """Main thread: one event through the flow and its actions out."""
        if isinstance(event, Utterance):
            self.on_utterance(self.turn_of, event.text)
        if self.trace is not None and not isinstance(event, Tick):
            self.trace.line(event.now, f"event {event}")
        for action in self.flow.handle(event):
            if self.trace is not None:
                self.trace.line(self.clock(), f"action {action}")
            self.perform(action)

    def perform(self, action: Action) -> None:
        self.on_action(action)
        match action:
            case Say(text=text):
                self.prompt = text
                self.pipeline.assistant_said(text, self.clock() + _speaking_time(text))
                self.speech.say(text)
                if self.view is not None:
                    self.view.said(text)
            case Chime(kind=kind):
                self.speech.chime(kind)
            case StartTurn(partner=partner):
                self.turn_of = partner
                self._set_turn(self.flow.partners.index(partner))
            case EndTurn():
                self.turn_of = None
                self._set_turn(None)

    def _set_turn(self, index: int | None) -> None:
        for event in self.pipeline.set_partner(index, self.clock()):
            self.events.put(event)

    def screen(self, show_caption: bool = True) -> Screen:
        hearing = self.pipeline.hearing
        index = self.flow.partners.index(self.turn_of) if self.turn_of else None
        baseline = hearing.detector.baseline_db(index) if index is not None else None
        return Screen(self.flow.view(), self.flow.partners, level_db=self.pipeline.level_db,
                      baseline_db=baseline, caption=self.pipeline.caption, prompt=self.prompt,
                      show_caption=show_caption, notes=list(self.notes),
                      continue_word=phrase_to_say(CommandName.CONTINUE, self.flow.guide.language))

    # ------------------------------------------------------------ live run

    def run_live(self, microphone: Reconnecting, show_caption: bool = True,
                 keys: Any = None) -> EndReason:
        """Threads as described above; returns the flow's end reason."""
        stop = threading.Event()
        worker = threading.Thread(target=self._listen, args=(microphone, stop), daemon=True,
                                  name="checkin-listen")
        worker.start()
        if keys is not None:
            keys.start(self.press)
        last_frame = 0.0
        try:
            self.handle(Tick(self.clock()))
            while not self.flow.ended:
                if self.fault is not None:  # the check-in ends with an error (exit code 1)
                    self.handle(ListeningFailed(self.clock()))
                    raise CheckinError(f"listening stopped: {self.fault}; what was confirmed "
                                       "is saved") from self.fault
                try:
                    event = self.events.get(timeout=TICK_SECONDS)
                except queue.Empty:
                    pass
                else:
                    self.handle(event)
                self.handle(Tick(self.clock()))
                if self.view is not None and self.clock() - last_frame >= FRAME_SECONDS:
                    last_frame = self.clock()
                    self.view.update(self.screen(show_caption))
            self.speech.wait_idle(GOODBYE_SECONDS)  # let the goodbye be heard
        finally:
            stop.set()
            if not join_or_report(worker, 5.0, "the listening thread") and self.trace:
                self.trace.line(self.clock(), "note the listening thread did not stop")
            if keys is not None:
                keys.stop()
            self._note_gate()
        if self.view is not None:
            self.view.update(self.screen(show_caption))
        return self.flow.ended_reason or EndReason.STOPPED

    def _listen(self, microphone: Reconnecting, stop: threading.Event) -> None:
        try:
            self._listen_loop(microphone, stop)
        except BaseException as err:  # a fault here must end the check-in, not hang it
            self.fault = err
            if self.trace is not None:
                import traceback

                self.trace.line(self.clock(), "".join(traceback.format_exception(err)))

    def _listen_loop(self, microphone: Reconnecting, stop: threading.Event) -> None:
        ready = self.pipeline.listener is not None
        while not stop.is_set():
            item = microphone.poll(timeout=0.2)
            if item is None:
                continue
            match item:
                case DeviceLost():
                    self.notes[:] = ["Microphone lost: trying again every few seconds"]
                    self.post(item)
                    continue
                case DeviceBack():
                    self.notes[:] = []
                    self.post(item)
                    continue
            for event in self.pipeline.process(item, self.clock()):
                self.post(event)
            if not ready and self.pipeline.listener is not None:
                ready = True
                if self.trace is not None:
                    self.trace.line(self.clock(), "note the speech model is ready")

    def _note_gate(self) -> None:
        """How much of the assistant's own voice the gate kept out (for the trace)."""
        from assistant.audio.gate import Gate

        gate = self.pipeline.gate
        if self.trace is not None and isinstance(gate, Gate):
            self.trace.line(self.clock(), f"note gate: {gate.gated_seconds:.2f} s of the "
                            f"assistant's voice marked, {gate.echo_seconds:.2f} s as echo")

    # ----------------------------------------------------------- replay run

    def replay(self, chunks: Iterable[AudioChunk], tail_seconds: float = 60.0) -> str:
        """Feed chunks on this thread with audio time as the clock (tests, benchmarks).

        After the audio, time keeps running in silence for up to `tail_seconds` so
        timers can finish; the flow's end reason is returned (or "replay ended").
        """
        audio_now = [0.0]
        self.clock = lambda: audio_now[0]
        self.handle(Tick(0.0))
        self.handle(PromptsDone(0.0))
        last: AudioChunk | None = None
        for chunk in chunks:
            last = chunk
            audio_now[0] = chunk.end
            for event in self.pipeline.process(chunk, audio_now[0]):
                self.handle(event)
            self._drain()
            self.handle(Tick(audio_now[0]))
            self.handle(PromptsDone(audio_now[0]))
            if self.flow.ended:
                break
        end = (last.end if last else 0.0) + tail_seconds
        while not self.flow.ended and audio_now[0] < end:
            audio_now[0] += TICK_SECONDS
            self.handle(Tick(audio_now[0]))
        return self.flow.ended_reason or "replay ended"

    def _drain(self) -> None:
        with contextlib.suppress(queue.Empty):
            while True:
                self.handle(self.events.get_nowait())


def _speaking_time(text: str) -> float:
    """A generous guess of how long a sentence takes to say (for the echo guard)."""
    return 1.0 + 0.45 * len(text.split())
