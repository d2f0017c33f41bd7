"""The hands-free check-in: the one place that wires audio, recognition, flow and journal.

    capture ─► gate ─► hearing (levels, VAD, rising voices) ─┐
                  └──► listener (Vosk + command grammar) ────┴─► events ─► flow ─► actions
    actions ─► speech worker · journal · live view · hearing.set_speaker

Threads: the PortAudio callback only copies blocks (capture.py); one processing
thread turns chunks into events; the speech worker renders and plays prompts
(speech.py); the main thread runs the flow, the journal and the view. The wall clock
enters here only: every event is stamped with the session clock before the flow
sees it. `Session.replay` runs the same pipeline on one thread with audio time as
the clock, which is how recordings are replayed in tests and benchmarks.
"""

from __future__ import annotations

import contextlib
import queue
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from assistant.audio.frames import AudioChunk
from assistant.audio.vad import SharedDecision
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
    Partial,
    PromptsDone,
    Say,
    SpeechEnded,
    SpeechStarted,
    StartTurn,
    Tick,
    Utterance,
    VoiceRaised,
)
from assistant.flow.machine import CheckinFlow

TICK_SECONDS = 0.1
FRAME_SECONDS = 0.2  # the live view redraws at most this often
BACKLOG_CHUNKS = 1500  # 30 s of 20 ms chunks heard while the model still loads
GOODBYE_SECONDS = 20.0  # how long the last words may take before we close anyway

KEYS: dict[str, CommandName] = {
    " ": CommandName.NEXT,
    "n": CommandName.NO,
    "p": CommandName.PAUSE,
    "c": CommandName.CONTINUE,
    "r": CommandName.REPEAT,
    "q": CommandName.STOP,
    "y": CommandName.YES,
    "s": CommandName.SAVE,
    "a": CommandName.AGAIN,
}


class Source(Protocol):
    """Audio in: chunks, or device events from a reconnecting microphone."""

    def poll(self, timeout: float = 0.5) -> AudioChunk | DeviceLost | DeviceBack | None: ...


class Speaker(Protocol):
    def say(self, text: str) -> None: ...

    def chime(self, kind: str) -> None: ...

    def wait_idle(self, timeout: float | None = None) -> bool: ...

    def close(self) -> None: ...


class View(Protocol):
    def update(self, screen: Screen) -> None: ...

    def said(self, text: str) -> None: ...


@dataclass
class Pipeline:
    """Chunk → events: the gate, the room's hearing and the recognizer, in that order.

    The listening thread calls `process`; the main thread tells it whose turn it is and
    what the assistant said. One lock keeps the two from meeting inside the hearing
    state or the echo guard.

    The recognizer may arrive later (`open_in_background`): loading a speech model
    takes a second or more, and the first prompt should not wait for it. Until it is
    attached, chunks are heard (levels, speech time) and kept, then transcribed in
    order, so nothing said in the meantime is lost.
    """

    gate: Callable[[AudioChunk], AudioChunk]
    hearing: Any  # assistant.audio.hearing.Hearing
    listener: Any  # assistant.asr.hearing.Listener, None while it is still loading
    level_db: float | None = None
    caption: str = ""
    audio_offset: float = 0.0  # session clock minus audio time (0 when replaying a file)
    lock: threading.Lock = field(default_factory=threading.Lock)
    shared: SharedDecision | None = None  # the listener's detector, fed the hearing's answer
    load_error: BaseException | None = None  # why the listener could not be loaded
    dropped_chunks: int = 0  # heard while the model loaded, but past the backlog's 30 s
    _backlog: deque[tuple[AudioChunk, bool]] = field(
        default_factory=lambda: deque(maxlen=BACKLOG_CHUNKS))
    _said: list[tuple[str, float]] = field(default_factory=list)  # echo notes while loading

    @classmethod
    def open(cls, gate: Callable[[AudioChunk], AudioChunk], hearing: Any, model_path: Any,
             model: Any = None, commands: bool = True) -> Pipeline:
        """Hearing and recognition on one voice-activity detector (the hearing's)."""
        from assistant.asr.hearing import open_listener

        shared = SharedDecision()
        listener = open_listener(model_path, shared, model=model, commands=commands)
        return cls(gate, hearing, listener, shared=shared)

    @classmethod
    def for_recording(cls, model_path: Any, model: Any = None, commands: bool = True,
                      settings: Any = None) -> Pipeline:
        """The check-in's own listening path for audio that is not live (a file, a test,
        a benchmark): the detector, hearing, segmenter and recognizer exactly as
        `checkin run` wires them, without the gate (no assistant voice to mark)."""
        from assistant.audio.hearing import Hearing, open_voice_activity

        vad, _ = open_voice_activity()
        return cls.open(_ungated, Hearing(vad, settings), model_path, model, commands)

    def finish(self, end: float) -> list[Event]:
        """End of the stream at audio time `end`: close the open speech and utterance."""
        with self.lock:
            events: list[Event] = [e for e in self.hearing.finish()
                                   if isinstance(e, (SpeechStarted, SpeechEnded, VoiceRaised))]
            if self.listener is not None:
                events += self.listener.flush(end)
            return events

    @classmethod
    def open_in_background(cls, gate: Callable[[AudioChunk], AudioChunk], hearing: Any,
                           model_path: Any) -> Pipeline:
        """Like `open`, but the model loads on its own thread while the check-in starts."""
        from assistant.asr.hearing import open_listener

        shared = SharedDecision()
        pipeline = cls(gate, hearing, None, shared=shared)

        def load() -> None:
            _be_nice()  # the prompt being played must not stutter while this loads
            try:
                listener = open_listener(model_path, shared)
            except BaseException as err:  # reported by the listening thread
                pipeline.load_error = err
                return
            with pipeline.lock:
                for text, until in pipeline._said:
                    listener.echo.said(text, until)
                pipeline._said.clear()
                pipeline.listener = listener

        threading.Thread(target=load, name="checkin-load-model", daemon=True).start()
        return pipeline

    def set_speaker(self, index: int | None) -> list[Event]:
        """Whose turn it is (None: nobody's); returns the speech events this closes."""
        with self.lock:
            return [e for e in self.hearing.set_speaker(index)
                    if isinstance(e, (SpeechStarted, SpeechEnded))]

    def assistant_said(self, text: str, until_session_time: float) -> None:
        """Remember a prompt so its echo is not taken for a partner's words."""
        with self.lock:
            # the echo guard works in audio time, like the transcripts it checks
            until = until_session_time - self.audio_offset
            if self.listener is None:
                self._said.append((text, until))
            else:
                self.listener.echo.said(text, until)

    def process(self, chunk: AudioChunk) -> list[Event]:
        with self.lock:
            return self._process(chunk)

    def _process(self, chunk: AudioChunk) -> list[Event]:
        if self.load_error is not None:
            raise self.load_error
        if chunk.captured_at is not None:
            self.audio_offset = chunk.captured_at - chunk.start
        chunk = self.gate(chunk)
        heard = self.hearing.feed(chunk)
        if heard.level_db is not None:
            self.level_db = heard.level_db
        events: list[Event] = [e for e in heard.events
                               if isinstance(e, (SpeechStarted, SpeechEnded, VoiceRaised))]
        # The assistant's own chunks go on to the listener too: they are never
        # transcribed, but they are time passing, so a partner's sentence cut off by a
        # prompt closes after its hangover instead of when the prompt is over.
        if self.listener is None:
            if len(self._backlog) == self._backlog.maxlen:
                self.dropped_chunks += 1
            self._backlog.append((chunk, heard.voiced))
            return events
        todo = [(chunk, heard.voiced)]
        if self._backlog:  # once, right after the model has loaded
            todo[:0] = self._backlog
            self._backlog.clear()
        for waiting, voiced in todo:
            if self.shared is not None:
                self.shared.voiced = voiced
            for event in self.listener.feed(waiting):
                if isinstance(event, (Partial, Utterance)):
                    self.caption = event.text
                events.append(event)
        return events


def _ungated(chunk: AudioChunk) -> AudioChunk:
    return chunk


def _be_nice() -> None:
    """Lower this thread's CPU priority (Linux applies nice per thread)."""
    import os

    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)


@dataclass
class Session:
    """Runs one flow against live (or replayed) audio until it ends."""

    flow: CheckinFlow
    pipeline: Pipeline
    speech: Speaker
    view: View | None = None
    on_action: Callable[[Action], None] = lambda action: None
    on_utterance: Callable[[str | None, str], None] = lambda partner, text: None
    clock: Callable[[], float] = time.monotonic
    events: queue.Queue[Event] = field(default_factory=queue.Queue)
    prompt: str = ""
    speaker: str | None = None
    notes: list[str] = field(default_factory=list)
    trace: Any = None  # a text file: every event and action, for diagnosing a check-in
    fault: BaseException | None = None  # what stopped the listening thread, if anything

    # ------------------------------------------------------------ core step

    def post(self, event: Event) -> None:
        """Any thread: hand an event to the flow, stamped with the session clock."""
        self.events.put(replace(event, now=self.clock()))

    def handle(self, event: Event) -> None:
        """Main thread: one event through the flow and its actions out."""
        if isinstance(event, Utterance):
            self.on_utterance(self.speaker, event.text)
        if self.trace is not None and not isinstance(event, Tick):
            self.trace.write(f"{event.now:.3f} event {event}\n")
        for action in self.flow.handle(event):
            if self.trace is not None:
                self.trace.write(f"{self.clock():.3f} action {action}\n")
            self.perform(action)

    def perform(self, action: Action) -> None:
        self.on_action(action)
        if isinstance(action, Say):
            self.prompt = action.text
            self.pipeline.assistant_said(action.text,
                                         self.clock() + _speaking_time(action.text))
            self.speech.say(action.text)
            if self.view is not None:
                self.view.said(action.text)
        elif isinstance(action, Chime):
            self.speech.chime(action.kind)
        elif isinstance(action, StartTurn):
            self.speaker = action.partner
            self._set_speaker(self.flow.partners.index(action.partner))
        elif isinstance(action, EndTurn):
            self.speaker = None
            self._set_speaker(None)

    def _set_speaker(self, index: int | None) -> None:
        for event in self.pipeline.set_speaker(index):
            self.events.put(replace(event, now=self.clock()))

    def screen(self, show_caption: bool = True) -> Screen:
        hearing = self.pipeline.hearing
        index = self.flow.partners.index(self.speaker) if self.speaker else None
        baseline = hearing.detector.baseline_db(index) if index is not None else None
        return Screen(self.flow.view(), self.flow.partners, level_db=self.pipeline.level_db,
                      baseline_db=baseline, caption=self.pipeline.caption, prompt=self.prompt,
                      show_caption=show_caption, notes=list(self.notes))

    # ------------------------------------------------------------ live run

    def run_live(self, source: Source, show_caption: bool = True,
                 keys: Any = None) -> str:
        """Threads as described above; returns the flow's end reason."""
        stop = threading.Event()
        worker = threading.Thread(target=self._listen, args=(source, stop), daemon=True,
                                  name="checkin-listen")
        worker.start()
        if keys is not None:
            keys.start(lambda name: self.post(Command(0.0, name)))
        last_frame = 0.0
        try:
            self.handle(Tick(self.clock()))
            while not self.flow.ended:
                if self.fault is not None:
                    self.handle(Command(self.clock(), CommandName.STOP))
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
            worker.join(timeout=5)
            if keys is not None:
                keys.stop()
        if self.view is not None:
            self.view.update(self.screen(show_caption))
        return self.flow.ended_reason or "stopped"

    def _listen(self, source: Source, stop: threading.Event) -> None:
        try:
            self._listen_loop(source, stop)
        except BaseException as err:  # a fault here must end the check-in, not hang it
            self.fault = err
            if self.trace is not None:
                import traceback

                self.trace.write("".join(traceback.format_exception(err)))

    def _listen_loop(self, source: Source, stop: threading.Event) -> None:
        while not stop.is_set():
            item = source.poll(timeout=0.2)
            if item is None:
                continue
            if isinstance(item, (DeviceLost, DeviceBack)):
                self.notes[:] = ["Microphone lost: trying again every few seconds"] \
                    if isinstance(item, DeviceLost) else []
                self.post(item)
                continue
            for event in self.pipeline.process(item):
                self.post(event)

    # ----------------------------------------------------------- replay run

    def replay(self, chunks: Any, tail_seconds: float = 60.0) -> str:
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
            for event in self.pipeline.process(chunk):
                self.handle(replace(event, now=audio_now[0]))
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


class Keys:
    """Commands from the keyboard, beside the voice.

    On a terminal: single keys (space next, p pause, r repeat, q stop, ...), read in
    cbreak mode and restored on stop. Otherwise (a pipe): whole lines of typed
    commands ("I'm done", "pause"), the same words as the typed check-in.
    """

    def __init__(self, stream: Any = None, language: str = "en") -> None:
        self.stream = stream if stream is not None else sys.stdin
        self.language = language
        self._stop = threading.Event()
        self._saved: Any = None

    def start(self, send: Callable[[CommandName], None]) -> None:
        if self.stream.isatty():
            import termios
            import tty

            fd = self.stream.fileno()
            self._saved = termios.tcgetattr(fd)
            tty.setcbreak(fd)
            target: Callable[..., None] = self._read_keys
        else:
            target = self._read_lines
        threading.Thread(target=target, args=(send,), daemon=True, name="checkin-keys").start()

    def _read_keys(self, send: Callable[[CommandName], None]) -> None:
        import os
        import select

        fd = self.stream.fileno()
        while not self._stop.is_set():
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                key = os.read(fd, 1).decode(errors="ignore").lower()
                if key in KEYS:
                    send(KEYS[key])

    def _read_lines(self, send: Callable[[CommandName], None]) -> None:
        from assistant.typed import parse_typed

        for line in self.stream:
            if self._stop.is_set():
                return
            command = parse_typed(line, self.language)
            if command is not None:
                send(command)

    def stop(self) -> None:
        self._stop.set()
        if self._saved is not None:
            import termios

            termios.tcsetattr(self.stream.fileno(), termios.TCSADRAIN, self._saved)
            self._saved = None


def run_voice(flow: CheckinFlow, args: Any, plan: Any, keep: Callable[[Action], None],
              transcript: Callable[[str | None, str], None]) -> str:
    """`checkin run` without --text: open everything, run, close everything in order."""
    from assistant.session_setup import open_session

    with open_session(flow, args, plan, keep, transcript) as (session, source, keys, captions):
        try:
            return session.run_live(source, show_caption=captions, keys=keys)
        except KeyboardInterrupt:
            session.speech.say(flow.guide.phrases["stop"])
            session.speech.wait_idle(GOODBYE_SECONDS)
            raise


__all__ = ["Session", "Pipeline", "Keys", "run_voice"]
