"""Chunk → events: the gate, the room's hearing and the listener, in that order.

    capture ─► gate ─► hearing (levels, Silero, rising voices) ─┐
                  ├──► listener (Vosk + command check) ─────────┼─► flow events
                  └──► voices (who is speaking, optional) ──────┘

One voice-activity detector serves both: the hearing's Silero answer for each chunk
is handed to the listener (`SharedDecision`), so what counts as speech for talk time
is what the recognizer is fed, and what the voices (session/speakers.py, with
`--speakers`) are told apart on. The listening thread calls `process`; the main thread
says whose turn it is and what the assistant said. One lock keeps the two apart, and
it is never held while speech is transcribed: Whisper decodes a closed stretch at once
(0.3 s and more, seconds for a long one), the backlog after the model loads up to 30 s
of audio, and a prompt must not wait for either before it is marked as the
assistant's own voice.

In a live check-in recognition runs on a thread of its own (`recognize_in_background`):
the listening thread hears the room (levels, speech time, raised voices) chunk by
chunk and hands the chunks on, so a decode never holds up a raised voice or the turn
clock's speech events (measured in the room: a 25 s stretch decoded on the listening
thread held a raised voice back by 5.8 s). Replays and recordings recognize inline,
on the calling thread, in the same order.

The listener may arrive later (`attach`): loading a speech model takes a second or
more and the first prompt should not wait for it. Until then chunks are heard
(levels, speech time) and kept, then transcribed in order, so nothing said in the
meantime is lost. Building a pipeline is the wiring module's job (setup.py).
"""

from __future__ import annotations

import queue
import threading
from collections import deque
from collections.abc import Callable
from typing import Any

from assistant.audio.activity import SharedDecision
from assistant.audio.frames import AudioChunk
from assistant.flow.events import Event, Partial, SpeechEnded, SpeechStarted, Utterance

BACKLOG_CHUNKS = 1500  # 30 s of 20 ms chunks heard while the model still loads
# The recognition thread takes the backlog a second at a time: what it heard is posted
# as it goes, and a failure or a stop comes between two slices, not after 30 s.
SLICE_CHUNKS = 50

# what marks a chunk heard while the assistant spoke (audio/gate.py's Gate, or `ungated`)
Marker = Callable[[AudioChunk], AudioChunk]


def ungated(chunk: AudioChunk) -> AudioChunk:
    """The gate of a recording: no assistant voice to mark."""
    return chunk


class Pipeline:
    """Feeds chunks through gate, hearing and listener; see the module docstring."""

    def __init__(self, gate: Marker, hearing: Any, voices: Any = None) -> None:
        self.gate = gate
        self.hearing = hearing  # assistant.audio.hearing.Hearing
        self.voices = voices  # assistant.session.speakers.LiveVoices, or None
        self.shared = SharedDecision()  # the listener's detector, told the hearing's answer
        self.listener: Any = None  # assistant.asr.listener.Listener, once `attach`ed
        self.lock = threading.Lock()
        self.level_db: float | None = None
        self.caption = ""  # the current speaker's words, cleared at each change of turn
        self._old_utterance = False  # an utterance begun before the turn changed is open
        self.audio_offset = 0.0  # session clock minus audio time (0 for a recording)
        self.fault: BaseException | None = None  # why listening cannot go on (model, decode)
        self.dropped_chunks = 0  # heard while the model loaded, but past the backlog's 30 s
        self._backlog: deque[tuple[AudioChunk, bool]] = deque(maxlen=BACKLOG_CHUNKS)
        self._said: list[tuple[str, float]] = []  # echo notes made while loading
        self._recognition: _Recognition | None = None  # live: recognition's own thread
        self._in_turn = False  # a partner holds the floor

    def attach(self, listener: Any) -> None:
        """The model has loaded: from now on the listener hears every chunk."""
        with self.lock:
            for text, until in self._said:
                listener.echo.said(text, until)
            self._said.clear()
            listener.in_turn(self._in_turn)
            self.listener = listener

    def failed(self, error: BaseException) -> None:
        """The model could not load: the listening thread raises it at the next chunk."""
        self.fault = error

    def set_partner(self, index: int | None, now: float) -> list[Event]:
        """Whose turn it is (None: nobody's); returns the speech events this closes. A voice
        the finished turn taught is learned after, outside the lock (see `_learn`)."""
        enrolment = None
        with self.lock:
            # A new turn shows only its own speaker's words: an utterance still open
            # belongs to the one before, so its words are not captioned.
            self.caption = ""
            self._old_utterance = self.listener is not None and self.listener.mid_utterance
            self._in_turn = index is not None
            if self.listener is not None:
                self.listener.in_turn(self._in_turn)
            if self.voices is not None:
                enrolment = self.voices.change_turn(index, now)
            events: list[Event] = [e for e in self.hearing.set_partner(index, now)
                                   if isinstance(e, (SpeechStarted, SpeechEnded))]
        if enrolment is not None:
            self._learn(enrolment)
        return events

    def _learn(self, enrolment: Any) -> None:
        """Fit a voice and keep it in the journal outside the lock (a model fit takes a
        fraction of a second and more, saving it a disk sync): the room is heard and a
        prompt is marked meanwhile; only putting the profile to use takes the lock."""
        profile = self.voices.fit(enrolment)
        with self.lock:
            self.voices.learned(enrolment.name, profile)
        self.voices.keep(enrolment.name, profile)

    def assistant_said(self, text: str, until_session_time: float) -> None:
        """Remember a prompt so its echo is not taken for a partner's words."""
        with self.lock:
            until = until_session_time - self.audio_offset  # the echo guard's audio time
            if self.listener is None:
                self._said.append((text, until))
            else:
                self.listener.echo.said(text, until)

    def recognize_in_background(self, post: Callable[[Event], None],
                                clock: Callable[[], float]) -> None:
        """Live: from now on recognition runs on its own thread and hands its events
        to `post`, stamped with `clock` (the session's)."""
        self._recognition = _Recognition(self, post, clock)

    def stop_recognizing(self, timeout: float = 5.0) -> None:
        """Live: let the recognition thread finish what it holds, then end it."""
        if self._recognition is not None:
            self._recognition.stop(timeout)

    def process(self, chunk: AudioChunk, now: float | None = None) -> list[Event]:
        """One chunk; `now` is the session's clock (default: the chunk's end). Only the
        listening thread calls this: the room's hearing events come back; recognition's
        come back too, unless it runs on its own thread (then they are posted)."""
        now = chunk.end if now is None else now
        with self.lock:
            events, todo, listener = self._hear(chunk, now)
        if self._recognition is not None:
            for start in range(0, len(todo), SLICE_CHUNKS):  # the backlog, a second at a time
                self._recognition.give(todo[start:start + SLICE_CHUNKS], listener)
            return events
        return events + self._recognize(todo, listener, now)

    def _recognize(self, todo: list[tuple[AudioChunk, bool]], listener: Any,
                   now: float) -> list[Event]:
        """The listener hears chunks (outside the lock: a decode may take seconds)."""
        events: list[Event] = []
        for waiting, voiced in todo:
            self.shared.voiced = voiced
            heard = listener.feed(waiting, now)
            with self.lock:
                for event in heard:
                    if isinstance(event, (Partial, Utterance)) and not self._old_utterance:
                        self.caption = event.text
                if self._old_utterance and not listener.mid_utterance:
                    self._old_utterance = False
            events.extend(heard)
        return events

    def finish(self, audio_end: float, now: float | None = None) -> list[Event]:
        """End of the stream: close the open speech and utterance (after what the
        recognition thread still holds)."""
        now = audio_end if now is None else now
        if self._recognition is not None:
            self._recognition.drain()
        if self.fault is not None:
            raise self.fault
        with self.lock:
            events: list[Event] = list(self.hearing.finish(now))
            if self.voices is not None:
                events += self.voices.finish(now)
            listener = self.listener
        if listener is not None:
            events += listener.flush(audio_end, now)
        return events

    def _hear(self, chunk: AudioChunk,
              now: float) -> tuple[list[Event], list[tuple[AudioChunk, bool]], Any]:
        """Under the lock: gate, hearing and voices; the chunks the listener is to hear
        (with the detector's answer for each) and the listener, if it has loaded."""
        if self.fault is not None:
            raise self.fault
        if chunk.captured_at is not None:
            self.audio_offset = chunk.captured_at - chunk.start
        chunk = self.gate(chunk)
        heard = self.hearing.feed(chunk, now)
        if heard.level_db is not None:
            self.level_db = heard.level_db
        events: list[Event] = list(heard.events)
        if self.voices is not None:
            attributed = self.voices.feed(chunk, heard.voiced, now)
            if attributed:  # a rise is then measured against that voice's own calm level
                voice = attributed[-1].voice
                partners = self.voices.partners
                self.hearing.set_voice(partners.index(voice) if voice in partners else None)
            events += attributed
        # The assistant's own chunks go on to the listener too: they are never
        # transcribed, but they are time passing, so a partner's sentence cut off by a
        # prompt closes after its hangover instead of when the prompt is over.
        if self.listener is None:
            if len(self._backlog) == self._backlog.maxlen:
                self.dropped_chunks += 1
            self._backlog.append((chunk, heard.voiced))
            return events, [], None
        todo = [(chunk, heard.voiced)]
        if self._backlog:  # once, right after the model has loaded
            todo[:0] = self._backlog
            self._backlog.clear()
        return events, todo, self.listener


class _Recognition:
    """Recognition's own thread in a live check-in: chunks in, in order; events out
    through `post`. A failure is kept and raised on the listening thread's next chunk,
    which ends the check-in with its reason, as a model that cannot load does."""

    def __init__(self, pipeline: Pipeline, post: Callable[[Event], None],
                 clock: Callable[[], float]) -> None:
        self.pipeline = pipeline
        self.post = post
        self.clock = clock
        self._todo: queue.Queue[tuple[list[tuple[AudioChunk, bool]], Any] | None] = \
            queue.Queue()
        self._thread = threading.Thread(target=self._run, name="checkin-recognize",
                                        daemon=True)
        self._thread.start()

    def give(self, todo: list[tuple[AudioChunk, bool]], listener: Any) -> None:
        self._todo.put((todo, listener))

    @property
    def behind(self) -> int:
        """Batches of chunks waiting (for diagnosis)."""
        return self._todo.qsize()

    def drain(self) -> None:
        """Wait until every chunk given so far has been heard."""
        self._todo.join()

    def stop(self, timeout: float) -> None:
        self._todo.put(None)
        self._thread.join(timeout)
        if self._thread.is_alive():  # a decode that will not end must not hold the exit
            self.pipeline.fault = self.pipeline.fault or TimeoutError(
                "speech recognition did not stop in time")

    def _run(self) -> None:
        while True:
            item = self._todo.get()
            try:
                if item is None:
                    return
                if self.pipeline.fault is not None:
                    continue  # failed already: the listening thread reports it
                todo, listener = item
                for event in self.pipeline._recognize(todo, listener, self.clock()):
                    self.post(event)
            except BaseException as err:  # ends the check-in on the listening thread
                self.pipeline.fault = err
            finally:
                self._todo.task_done()
