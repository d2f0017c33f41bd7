"""The assistant's voice: prompts rendered by a speech engine, played on our own line.

One worker thread says the prompts in order. It asks the engine for each prompt's
sound piece by piece (speech_engine.py: the warm voice a sentence at a time, pyttsx3 a
whole prompt) and plays each piece on the `VoiceLine` (voice_line.py, one stream open
for the whole check-in), which tells the gate's timeline to the millisecond when the
voice starts and ends, and what it sounded like, for the echo check.

Which engine (`open_engine`): the voice named by --voice or `voice =`: a neural voice
by its name ("joe"), pyttsx3 by "pyttsx3" or any of its voices ("en-us"). With none
named, English is said by the warm voice where it is installed, other languages by
pyttsx3. Where the neural voice cannot start (no espeak-ng program, as on macOS and
Windows by default, or damaged files), pyttsx3 says the prompts and the worker says so
once. Where pyttsx3's rendered file cannot be read here (pyttsx3_voice.py), the engine
speaks for itself from then on, said once too: the gate then marks the voice from
before `say` to after `runAndWait` returns, and has no copy of the sound for its echo
check.

`SpokenPrompts.say()` never blocks: prompts queue for the worker. `on_drained` is
called (from the worker) whenever the queue empties and the last prompt has left the
speaker, which the session turns into the flow's PromptsDone. If no engine can start,
`open_speech` returns `PrintedSpeech`, which prints prompts and says once why.
"""

from __future__ import annotations

import contextlib
import queue
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TextIO

import numpy as np

from assistant.audio.gate import VoiceTimeline
from assistant.audio.speech_engine import EngineUnavailable, SpeechEngine, UnreadableRender
from assistant.audio.voice_line import VoiceLine
from assistant.text import visible

READY_TIMEOUT = 10.0  # seconds to wait for the engine to start before printing instead
SYSTEM_VOICE = "pyttsx3"  # --voice pyttsx3: the system engine's own default voice


class Speech(Protocol):
    """Something that says prompts without blocking the caller."""

    def say(self, text: str) -> None: ...

    def chime(self, kind: str) -> None: ...

    def wait_idle(self, timeout: float | None = None) -> bool: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class EngineChoice:
    """The engine asked for, and the one to use if it cannot start here."""

    engine: SpeechEngine
    fallback: SpeechEngine | None = None


def open_engine(voice: str | None, words_per_minute: int | None = None,
                language: str = "en") -> EngineChoice:
    """The engine for --voice (None: the default for `language`); a ConfigError for a
    neural voice that is not installed, since the user can install it."""
    from assistant.audio.piper_engine import PiperEngine
    from assistant.audio.pyttsx3_voice import Pyttsx3Engine
    from assistant.audio.speech_voices import default_voice, find, require_installed

    system = Pyttsx3Engine(None, words_per_minute)
    if voice is None:
        neural = default_voice(language)
        if neural is None:
            return EngineChoice(system)
        return EngineChoice(PiperEngine(neural, words_per_minute), system)
    if voice.strip().lower() == SYSTEM_VOICE:
        return EngineChoice(system)
    neural = find(voice)
    if neural is not None:
        require_installed(neural)
        return EngineChoice(PiperEngine(neural, words_per_minute), system)
    return EngineChoice(Pyttsx3Engine(voice, words_per_minute))


def start_engine(choice: EngineChoice, tell: Callable[[str], None]) -> SpeechEngine:
    """The engine started, or its fallback (told once why) when it cannot start here."""
    try:
        choice.engine.start()
        return choice.engine
    except Exception as err:
        if choice.fallback is None:
            raise
        reason = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        tell(f"the voice {choice.engine.name} cannot speak here ({reason}); prompts are "
             f"said by {choice.fallback.name} instead")
        choice.engine.close()
        choice.fallback.start()
        return choice.fallback


@dataclass(frozen=True)
class _Chime:
    """A queued tone (the queue otherwise holds prompt texts)."""

    kind: str


class SpokenPrompts:
    """An engine's rendering + sounddevice playback, in one worker thread."""

    def __init__(
        self,
        engine: SpeechEngine | EngineChoice,
        device: str | int | None = None,
        timeline: VoiceTimeline | None = None,
        on_drained: Callable[[float], None] | None = None,
        on_error: Callable[[str], None] | None = None,
        pronounce: Callable[[str], str] | None = None,
    ) -> None:
        self.choice = engine if isinstance(engine, EngineChoice) else EngineChoice(engine)
        self.engine: SpeechEngine = self.choice.engine  # the one speaking, once started
        self.timeline = timeline or VoiceTimeline()
        self.on_drained = on_drained
        self.on_error = on_error
        self.pronounce = pronounce or (lambda text: text)
        self.spoken = 0  # prompts played to the end
        self.failed = 0  # prompts that could not be rendered or played
        # Why prompts are spoken by the engine itself rather than rendered and played
        # on our line (None while rendering works); told once.
        self.notice: str | None = None
        self.fell_back: str | None = None  # why the voice asked for is not the one speaking
        self._queue: queue.Queue[str | _Chime | None] = queue.Queue()
        self._pending = 0
        self._pending_lock = threading.Lock()
        self._idle = threading.Event()
        self._idle.set()
        self._ready = threading.Event()
        self._startup_error: BaseException | None = None
        self._closing = False
        self._line = VoiceLine(device, self.timeline)
        self._thread = threading.Thread(target=self._run, name="checkin-speech", daemon=True)

    def start(self, timeout: float = READY_TIMEOUT) -> None:
        """Start the worker; raises ConfigError if the engine or voice cannot be used."""
        self._thread.start()
        if not self._ready.wait(timeout):
            raise EngineUnavailable(f"the speech engine did not start within {timeout:g} s")
        if self._startup_error is not None:
            raise self._startup_error

    def say(self, text: str) -> None:
        text = text.strip()
        if text:
            self._enqueue(text)

    def chime(self, kind: str) -> None:
        """A short tone (assistant.audio.chimes), queued in order with the prompts."""
        self._enqueue(_Chime(kind))

    def _enqueue(self, item: str | _Chime) -> None:
        with self._pending_lock:
            self._pending += 1
            self._idle.clear()
        self._queue.put(item)

    def wait_idle(self, timeout: float | None = None) -> bool:
        return self._idle.wait(timeout)

    def close(self, timeout: float = 5.0) -> None:
        """Stop after the piece being played; drop what is still queued (a worker stuck
        in an engine past `timeout` is left behind: it is a daemon)."""
        self._closing = True
        dropped = 0
        with contextlib.suppress(queue.Empty):
            while True:
                dropped += self._queue.get_nowait() is not None
        with self._pending_lock:  # dropped prompts are done: `wait_idle` must not wait
            self._pending -= dropped
            if self._pending == 0:
                self._idle.set()
        self._queue.put(None)
        if self._thread.is_alive():
            self._thread.join(timeout)

    # -- worker thread -----------------------------------------------------

    def _run(self) -> None:
        try:
            self.engine = start_engine(self.choice, self._tell_fallback)
        except BaseException as err:
            self._startup_error = err
            self._ready.set()
            return
        reason = self.engine.probe()
        if reason is not None:
            self._fall_back(reason)
        self._ready.set()
        with contextlib.suppress(Exception):  # a device that cannot open fails its first prompt
            self._line.open()
        try:
            self._serve()
        finally:
            self._line.close()
            self.engine.close()

    def _serve(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            if self._closing:
                pass
            elif isinstance(item, _Chime):
                self._play_chime(item.kind)
            else:
                self._speak(item)
            with self._pending_lock:
                self._pending -= 1
                drained = self._pending == 0
            if not drained:
                continue
            self._line.wait_heard()  # drained means heard to the end, not just written
            with self._pending_lock:
                drained = self._pending == 0  # unless a prompt came in meanwhile
                if drained:
                    self._idle.set()
            if drained and self.on_drained is not None and not self._closing:
                self.on_drained(time.monotonic())

    def _speak(self, text: str) -> None:
        said = self.pronounce(text)
        try:
            if self.notice is None:
                try:
                    self._play_pieces(said)
                except UnreadableRender as err:
                    self._fall_back(str(err))
            if self.notice is not None:
                self._speak_live(said)
            self.spoken += 1
        except Exception as err:  # one bad prompt must not stop the voice
            self.failed += 1
            self._report(f"could not say {text!r}: {_first_line(err)}")

    def _play_pieces(self, text: str) -> None:
        """Each piece played as soon as it is made (the next one renders meanwhile)."""
        rendered = self.engine.render(text)
        try:
            for samples, rate in rendered:
                if self._closing:
                    return
                self._line.play(samples, rate)
        finally:
            close = getattr(rendered, "close", None)
            if close is not None:
                close()

    def _tell_fallback(self, reason: str) -> None:
        self.fell_back = reason
        self._report(reason, once=True)

    def _fall_back(self, reason: str) -> None:
        """From now on the engine speaks by itself; said once, since it stays so."""
        self.notice = (f"prompts are spoken by the speech engine itself ({reason}), "
                       "so its voice is kept out by timing alone")
        self._report(self.notice, once=True)

    def _report(self, message: str, once: bool = False) -> None:
        """Through on_error if given; else a notice that is said once goes to stderr."""
        if self.on_error is not None:
            self.on_error(message)
        elif once:
            print(f"checkin: {message}.", file=sys.stderr, flush=True)

    def _speak_live(self, text: str) -> None:
        """The engine's own playback, marked on the timeline from before to after it."""
        self._line.wait_heard()  # a chime still playing on our line comes first
        self.timeline.begin(time.monotonic())
        try:
            self.engine.speak_live(text)
        finally:
            self.timeline.end(time.monotonic())

    def _play_chime(self, kind: str) -> None:
        from assistant.audio.chimes import chime_samples

        try:
            self._line.play(chime_samples(kind), 16_000)
        except Exception as err:  # a missing tone must not stop the voice
            self.failed += 1
            self._report(f"could not play the {kind} chime: {_first_line(err)}")


def render_sample(text: str, voice: str | None = None, words_per_minute: int | None = None,
                  language: str = "en", pronounce: Callable[[str], str] | None = None,
                  tell: Callable[[str], None] | None = None) -> tuple[np.ndarray, int, str]:
    """A prompt rendered exactly as a check-in renders it, without playing it: its
    samples, their rate and the voice's name (how `checkin doctor` and `checkin speech
    say --out` use the voice; EngineUnavailable if none can start, UnreadableRender if
    this engine's files cannot be read here)."""
    engine = start_engine(open_engine(voice, words_per_minute, language),
                          tell or (lambda message: None))
    try:
        pieces = list(engine.render((pronounce or (lambda t: t))(text)))
    finally:
        engine.close()
    if not pieces:
        return np.zeros(0, np.int16), 22_050, engine.name
    rate = pieces[0][1]
    return np.concatenate([p for p, _ in pieces]), rate, engine.name


class PrintedSpeech:
    """Prompts as printed lines, for when no speech engine can start."""

    def __init__(
        self,
        reason: str,
        out: TextIO | None = None,
        on_drained: Callable[[float], None] | None = None,
    ) -> None:
        self.reason = reason
        self.out = out
        self.on_drained = on_drained
        self._told = False

    def say(self, text: str) -> None:
        out = self.out or sys.stdout
        if not self._told:
            print(f"(prompts are printed, not spoken: {self.reason})", file=out)
            self._told = True
        print(f"» {visible(text)}", file=out, flush=True)
        if self.on_drained is not None:
            self.on_drained(time.monotonic())

    def chime(self, kind: str) -> None:
        """No sound to play: a printed check-in shows its moments in words."""

    def wait_idle(self, timeout: float | None = None) -> bool:
        return True

    def close(self) -> None:
        pass


def open_speech(
    voice: str | None = None,
    words_per_minute: int | None = None,
    device: str | int | None = None,
    timeline: VoiceTimeline | None = None,
    on_drained: Callable[[float], None] | None = None,
    enabled: bool = True,
    language: str = "en",
    pronounce: Callable[[str], str] | None = None,
) -> SpokenPrompts | PrintedSpeech:
    """Spoken prompts when an engine starts, printed ones (saying why, once) otherwise.

    A voice that does not exist is a ConfigError, not a silent fallback: the user
    asked for it and can fix it.
    """
    if not enabled:
        return PrintedSpeech("voice is off", on_drained=on_drained)
    speech = SpokenPrompts(open_engine(voice, words_per_minute, language), device, timeline,
                           on_drained, pronounce=pronounce)
    try:
        speech.start()
    except EngineUnavailable as err:
        return PrintedSpeech(str(err), on_drained=on_drained)
    return speech


def _first_line(err: BaseException) -> str:
    lines = str(err).strip().splitlines()
    return lines[0] if lines else type(err).__name__
