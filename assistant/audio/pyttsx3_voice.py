"""pyttsx3's voice (espeak-ng on Linux): the fallback and a choice by name.

Why render to a file rather than let pyttsx3 play: measured here, pyttsx3 2.99's espeak
driver plays through an `aplay` subprocess, its first `say` returned without sound and
the next blocked for seconds. Rendering with `save_to_file` + `runAndWait` is reliable
(about 0.01 s per prompt), and the worker plays the file on its own line, which tells
the gate to the millisecond when the voice starts and ends.

pyttsx3 2.99 quirks handled here (espeak driver):
- one pending text only: a second `save_to_file` before `runAndWait` replaces the
  first, so every prompt gets its own save + run;
- the driver prints "Audio saved to ..." on stdout: silenced by shadowing `print`
  in that driver module only;
- the output file is deleted before each render, so a failed render cannot replay
  the previous prompt;
- espeak may be initialised once per process and the engine is not thread-safe:
  ONE engine, created and used only in the worker thread;
- an engine that is garbage-collected silences the one in use, so every engine made
  is kept (`_init_engine`), and a silent render is tried once more (`render_prompt`).

Other platforms (written for, untested here): pyttsx3's macOS nsss driver writes AIFF
and Windows' sapi5 writes WAV in the voice's own format; `sound_files.read_sound` reads
any PCM WAV or AIFF/AIFF-C. Where the rendered file cannot be read (compressed audio,
no file, or a driver without `save_to_file`, like macOS's avspeech), `render` raises
UnreadableRender and the worker lets the engine speak for itself (`speak_live`).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assistant.audio.loudness import even
from assistant.audio.sound_files import UnreadableSound, read_sound
from assistant.audio.speech_engine import (
    EngineUnavailable,
    Piece,
    UnreadableRender,
    trim_silence,
)
from assistant.errors import ConfigError
from assistant.invocation import checkin_command

READY_TIMEOUT = 10.0  # seconds a render may take to be written


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
            f"no voice matches {spec!r}; list them with: {checkin_command('speech', 'list')}"
        )
    names = ", ".join(v.name for v in found[:6])
    raise ConfigError(f"{spec!r} matches several voices ({names}); give the voice id")


def list_voices() -> list[Voice]:
    """The voices the local pyttsx3 engine offers (EngineUnavailable if it cannot start)."""
    return _voices(_init_engine())


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


class Pyttsx3Engine:
    """pyttsx3 as a speech engine for the worker: a prompt rendered whole, to one file."""

    def __init__(self, voice: str | None = None, words_per_minute: int | None = None,
                 factory: Callable[[], Any] | None = None) -> None:
        self.voice = voice
        self.words_per_minute = words_per_minute
        self._factory = factory or _init_engine
        self._engine: Any = None
        self._folder = Path(tempfile.mkdtemp(prefix="checkin-speech-"))
        self.name = f"{voice or 'the default voice'} (pyttsx3)"

    def start(self) -> None:
        engine = self._factory()
        if self.voice:
            chosen = choose_voice(_voices(engine), self.voice)
            engine.setProperty("voice", chosen.id)
            self.name = f"{chosen.name} (pyttsx3)"
        if self.words_per_minute:
            engine.setProperty("rate", int(self.words_per_minute))
        self._engine = engine

    def probe(self) -> str | None:
        """Render one word (12 ms here), so a fallback is told before a view opens."""
        try:
            render_prompt(self._engine, "Hello.", self._folder / "probe.wav")
        except UnreadableRender as err:
            return str(err)
        except Exception:  # a prompt that fails later reports it itself
            pass
        return None

    def render(self, text: str) -> Iterator[Piece]:
        samples, rate = render_prompt(self._engine, text, self._folder / "prompt.wav")
        yield even(samples, rate), rate

    def speak_live(self, text: str) -> None:
        self._engine.say(text)
        self._engine.runAndWait()

    def close(self) -> None:
        shutil.rmtree(self._folder, ignore_errors=True)


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


def _first_line(err: BaseException) -> str:
    lines = str(err).strip().splitlines()
    return lines[0] if lines else type(err).__name__
