"""The assistant's voice: prompts rendered by pyttsx3, played by our own output stream.

Why not pyttsx3's own playback: measured here, pyttsx3 2.99's espeak driver plays
through an `aplay` subprocess, its first `say` returned without sound and the next
blocked for seconds. Rendering with `save_to_file` + `runAndWait` is reliable (about
0.01 s per prompt), and playing the WAV ourselves (assistant.audio.voice_line, one
stream open for the whole check-in) tells the gate to the millisecond when the voice
starts and ends.

pyttsx3 2.99 quirks handled here (espeak driver):
- one pending text only: a second `save_to_file` before `runAndWait` replaces the
  first, so every prompt gets its own save + run;
- the driver prints "Audio saved to ..." on stdout: silenced by shadowing `print`
  in that driver module only;
- the output file is deleted before each render, so a failed render cannot replay
  the previous prompt;
- espeak may be initialised once per process and the engine is not thread-safe:
  ONE engine, created and used only in the worker thread.

Other platforms (written for, untested here): pyttsx3's macOS nsss driver writes AIFF
and Windows' sapi5 writes WAV in the voice's own format; `sound_files.read_sound` reads
any PCM WAV or AIFF/AIFF-C. Where the rendered file cannot be read (compressed audio,
no file, or a driver without `save_to_file`, like macOS's avspeech), the worker falls
back for good to the engine's own `say` + `runAndWait` and says so once (`notice`);
the gate then marks the voice from before `say` to after `runAndWait` returns, and
has no copy of the sound for its echo check.

`SpokenPrompts.say()` never blocks: prompts queue for the worker. `on_drained` is
called (from the worker) whenever the queue empties, which the session turns into
the flow's PromptsDone. If the engine cannot start, `open_speech` returns
`PrintedSpeech`, which prints prompts and says once why.
"""

from __future__ import annotations

import contextlib
import queue
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TextIO

import numpy as np

from assistant.audio.gate import VoiceTimeline
from assistant.audio.sound_files import UnreadableSound, read_sound
from assistant.audio.voice_line import VoiceLine
from assistant.errors import ConfigError
from assistant.invocation import checkin_command
from assistant.text import visible

READY_TIMEOUT = 10.0  # seconds to wait for the engine to start before printing instead


class EngineUnavailable(ConfigError):
    """The speech engine cannot start here (prompts will be printed instead)."""


class Speech(Protocol):
    """Something that says prompts without blocking the caller."""

    def say(self, text: str) -> None: ...

    def chime(self, kind: str) -> None: ...

    def wait_idle(self, timeout: float | None = None) -> bool: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class Voice:
    id: str
    name: str
    languages: tuple[str, ...]


def choose_voice(voices: list[Voice], spec: str) -> Voice:
    """A voice by id ("gmw/en" or "en"), name, language ("en-us", "ko") or name fragment."""
    wanted = spec.strip().lower()
    for test in (
        lambda v: v.id.lower() == wanted,
        lambda v: v.id.lower().rsplit("/", 1)[-1] == wanted,  # espeak ids: "gmw/en"
        lambda v: v.name.lower() == wanted,
        lambda v: wanted in (lang.lower() for lang in v.languages),
        lambda v: any(lang.lower().startswith(wanted + "-") for lang in v.languages),
    ):
        found = [v for v in voices if test(v)]
        if found:
            return found[0]
    found = [v for v in voices if wanted in v.name.lower()]
    if len(found) == 1:
        return found[0]
    if not found:
        raise ConfigError(
            f"no voice matches {spec!r}; list them with: {checkin_command('voices')}"
        )
    names = ", ".join(v.name for v in found[:6])
    raise ConfigError(f"{spec!r} matches several voices ({names}); give the voice id")


def list_voices() -> list[Voice]:
    """The voices the local pyttsx3 engine offers (EngineUnavailable if it cannot start)."""
    engine = _init_engine()
    return _voices(engine)


# Every engine this process made, kept for its life (see _init_engine).
_ENGINES: list[Any] = []


def _init_engine() -> Any:
    """pyttsx3's engine for this process (it hands every caller the same one).

    Every engine it hands out is kept, never let go: when pyttsx3's espeak driver is
    garbage-collected it clears espeak's one synthesis callback for the whole process,
    which silences the engine in use at that moment (tried: once an earlier engine is
    collected, the next render is silence). A silent render is also tried again
    (render_prompt): a room test of the suite once lost a prompt to one."""
    try:
        import pyttsx3

        engine = pyttsx3.init()
    except Exception as err:  # pyttsx3 raises anything from OSError to RuntimeError
        raise EngineUnavailable(
            f"the speech engine cannot start ({_first_line(err)}); install espeak-ng"
        ) from None
    if not any(kept is engine for kept in _ENGINES):
        _ENGINES.append(engine)
    _silence_driver_prints(engine)
    return engine


def _voices(engine: Any) -> list[Voice]:
    found = []
    for v in engine.getProperty("voices") or []:
        langs = tuple(
            lang.decode(errors="replace") if isinstance(lang, bytes) else str(lang)
            for lang in (getattr(v, "languages", None) or [])
        )
        found.append(Voice(str(v.id), str(v.name or v.id), langs))
    return found


def _silence_driver_prints(engine: Any) -> None:
    """The espeak driver prints "Audio saved to ..." for every render: mute that module."""
    driver = getattr(getattr(engine, "proxy", None), "_driver", None)
    module = sys.modules.get(type(driver).__module__) if driver is not None else None
    if module is not None and module.__name__.endswith("drivers.espeak"):
        module.print = lambda *args, **kwargs: None  # type: ignore[attr-defined]


@dataclass(frozen=True)
class _Chime:
    """A queued tone (the queue otherwise holds prompt texts)."""

    kind: str


class SpokenPrompts:
    """pyttsx3 rendering + sounddevice playback in one worker thread."""

    def __init__(
        self,
        voice: str | None = None,
        words_per_minute: int | None = None,
        device: str | int | None = None,
        timeline: VoiceTimeline | None = None,
        on_drained: Callable[[float], None] | None = None,
        on_error: Callable[[str], None] | None = None,
        engine_factory: Callable[[], Any] | None = None,
    ) -> None:
        self.voice = voice
        self.words_per_minute = words_per_minute
        self.timeline = timeline or VoiceTimeline()
        self.on_drained = on_drained
        self.on_error = on_error
        self.spoken = 0  # prompts played to the end
        self.failed = 0  # prompts that could not be rendered or played
        # Why prompts are spoken by the engine itself rather than rendered and played
        # on our line (None while rendering works); told once, through on_error if
        # given, else on stderr.
        self.notice: str | None = None
        self._engine_factory = engine_factory or _init_engine
        self._queue: queue.Queue[str | _Chime | None] = queue.Queue()
        self._pending = 0
        self._pending_lock = threading.Lock()
        self._idle = threading.Event()
        self._idle.set()
        self._ready = threading.Event()
        self._startup_error: BaseException | None = None
        self._closing = False
        self._workdir = Path(tempfile.mkdtemp(prefix="checkin-speech-"))
        self._line = VoiceLine(device, self.timeline)
        self._thread = threading.Thread(target=self._run, name="checkin-speech", daemon=True)

    def start(self, timeout: float = READY_TIMEOUT) -> None:
        """Start the worker; raises ConfigError if the engine or voice cannot be used."""
        self._thread.start()
        if not self._ready.wait(timeout):
            raise EngineUnavailable("the speech engine did not start within 10 s")
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
        """Stop after the prompt being played; drop what is still queued."""
        self._closing = True
        with contextlib.suppress(queue.Empty):
            while True:
                self._queue.get_nowait()
        self._queue.put(None)
        if self._thread.is_alive():
            self._thread.join(timeout)
        for path in self._workdir.glob("*"):
            path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            self._workdir.rmdir()

    # -- worker thread -----------------------------------------------------

    def _run(self) -> None:
        try:
            engine = self._engine_factory()
            if self.voice:
                engine.setProperty("voice", choose_voice(_voices(engine), self.voice).id)
            if self.words_per_minute:
                engine.setProperty("rate", int(self.words_per_minute))
        except BaseException as err:
            self._startup_error = err
            self._ready.set()
            return
        self._probe(engine)
        self._ready.set()
        with contextlib.suppress(Exception):  # a device that cannot open fails its first prompt
            self._line.open()
        try:
            self._serve(engine)
        finally:
            self._line.close()

    def _serve(self, engine: Any) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            if self._closing:
                pass
            elif isinstance(item, _Chime):
                self._play_chime(item.kind)
            else:
                self._speak(engine, item)
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

    def _speak(self, engine: Any, text: str) -> None:
        try:
            if self.notice is None:
                try:
                    samples, rate = render_prompt(engine, text, self._workdir / "prompt.wav")
                except UnreadableRender as err:
                    self._fall_back(str(err))
            if self.notice is not None:
                self._speak_live(engine, text)
            else:
                self._line.play(samples, rate)
            self.spoken += 1
        except Exception as err:  # one bad prompt must not stop the voice
            self.failed += 1
            if self.on_error is not None:
                self.on_error(f"could not say {text!r}: {_first_line(err)}")

    def _probe(self, engine: Any) -> None:
        """Render one word before saying ready, so a fallback is told before a view opens."""
        try:
            render_prompt(engine, "Hello.", self._workdir / "probe.wav")
        except UnreadableRender as err:
            self._fall_back(str(err))
        except Exception:  # a prompt that fails later reports it itself
            pass

    def _fall_back(self, reason: str) -> None:
        """From now on the engine speaks by itself; said once, since it stays so."""
        self.notice = (f"prompts are spoken by the speech engine itself ({reason}), "
                       "so its voice is kept out by timing alone")
        if self.on_error is not None:
            self.on_error(self.notice)
        else:
            print(f"checkin: {self.notice}.", file=sys.stderr, flush=True)

    def _speak_live(self, engine: Any, text: str) -> None:
        """The engine's own playback, marked on the timeline from before to after it."""
        self._line.wait_heard()  # a chime still playing on our line comes first
        self.timeline.begin(time.monotonic())
        try:
            engine.say(text)
            engine.runAndWait()
        finally:
            self.timeline.end(time.monotonic())

    def _play_chime(self, kind: str) -> None:
        from assistant.audio.chimes import chime_samples

        try:
            self._line.play(chime_samples(kind), 16_000)
        except Exception as err:  # a missing tone must not stop the voice
            self.failed += 1
            if self.on_error is not None:
                self.on_error(f"could not play the {kind} chime: {_first_line(err)}")


class UnreadableRender(RuntimeError):
    """The engine cannot render a prompt to a file this process can read."""


def render_prompt(engine: Any, text: str, path: Path) -> tuple[np.ndarray, int]:
    """One prompt rendered to `path` and read back as trimmed int16 mono samples.

    A render that comes back silent is tried once more: pyttsx3's espeak driver now and
    then ends a render before any sound when a property was set between renders, or a
    second engine was made (tried: 13 to 29 of 100 renders with the rate or volume set
    before every second one, none silent on the second try). Raises UnreadableRender
    when the engine's file route does not work here at all (a driver without
    save_to_file, no file written, a format we cannot read), and RuntimeError for a
    prompt that rendered silence twice.
    """
    for _ in range(2):
        samples, rate = _render_once(engine, text, path)
        samples = trim_silence(samples, rate)
        if len(samples):
            return samples, rate
    raise RuntimeError("the speech engine rendered silence")


def _render_once(engine: Any, text: str, path: Path) -> tuple[np.ndarray, int]:
    path.unlink(missing_ok=True)
    try:
        engine.save_to_file(text, str(path))
        engine.runAndWait()
        _wait_until_written(engine)
    except (AttributeError, NotImplementedError) as err:  # e.g. pyttsx3's avspeech driver
        raise UnreadableRender(f"this engine cannot render to a file: {_first_line(err)}") \
            from None
    if not path.exists():
        raise UnreadableRender("the speech engine wrote no audio file")
    try:
        return read_sound(path)
    except UnreadableSound as err:
        raise UnreadableRender(f"its audio file is {err}") from None


def render_sample(
    text: str, voice: str | None = None, words_per_minute: int | None = None
) -> tuple[np.ndarray, int]:
    """One prompt rendered exactly as a check-in renders it, without playing it: how
    `checkin doctor` shows the speech engine works (EngineUnavailable if it cannot start,
    UnreadableRender if this engine's files cannot be read here)."""
    engine = _init_engine()
    if voice:
        engine.setProperty("voice", choose_voice(_voices(engine), voice).id)
    if words_per_minute:
        engine.setProperty("rate", int(words_per_minute))
    with tempfile.TemporaryDirectory(prefix="checkin-doctor-") as folder:
        return render_prompt(engine, text, Path(folder) / "prompt.wav")


def _wait_until_written(engine: Any, timeout: float = READY_TIMEOUT) -> None:
    """Wait for the render to end: espeak-ng (RETRIEVAL mode) may report the end of a
    text, when pyttsx3 writes the file, on its own thread after `runAndWait` returned.
    Seen once in many doctor runs on a busy machine: the file came after it was read."""
    busy = getattr(engine, "isBusy", None)  # pyttsx3's Engine has it; a bare driver may not
    if busy is None:
        return
    deadline = time.monotonic() + timeout
    while busy() and time.monotonic() < deadline:
        time.sleep(0.005)


def trim_silence(
    samples: np.ndarray, rate: int, threshold: int = 64, keep: float = 0.03
) -> np.ndarray:
    """Cut the engine's leading/trailing silence (espeak appends ~0.3 s), keeping `keep` s.

    Dead air would hold the gate closed (and the partners waiting) for nothing.
    """
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > threshold)
    if len(loud) == 0:
        return samples[:0]
    pad = int(keep * rate)
    return samples[max(0, loud[0] - pad) : loud[-1] + 1 + pad]


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
) -> SpokenPrompts | PrintedSpeech:
    """Spoken prompts when the engine starts, printed ones (saying why, once) otherwise.

    A voice that does not exist is a ConfigError, not a silent fallback: the user
    asked for it and can fix it.
    """
    if not enabled:
        return PrintedSpeech("voice is off", on_drained=on_drained)
    speech = SpokenPrompts(voice, words_per_minute, device, timeline, on_drained)
    try:
        speech.start()
    except EngineUnavailable as err:
        return PrintedSpeech(str(err), on_drained=on_drained)
    return speech


def _first_line(err: BaseException) -> str:
    lines = str(err).strip().splitlines()
    return lines[0] if lines else type(err).__name__
