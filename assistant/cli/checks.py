"""What `checkin doctor` checks: each piece a hands-free check-in needs, really used.

Every check opens, renders, loads or writes the real thing (the microphone through
the check-in's own capture and hearing, the output line prompts play on, the speech
engine, the speech model, the journal folder, the config file through the settings
loader), so a ✓ means the check-in will find it working. Each returns one `Finding`
whose fix is a command that works as typed, or a package to install.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.errors import CheckinError
from assistant.invocation import checkin_command
from assistant.settings import Settings

PROBE_PROMPT = "Welcome. Thank you both for making time for this."
CLIPPING_DBFS = -1.0  # a room this loud is clipping: nothing said can be understood


@dataclass(frozen=True)
class Finding:
    """One checked piece: what was found, and the fix when it does not work."""

    name: str
    ok: bool
    detail: str
    fix: str = ""

    def line(self) -> str:
        mark = "✓" if self.ok else "✗"
        fix = f"; {self.fix}" if self.fix else ""
        return f"{mark} {self.name}: {self.detail}{fix}"


def guarded(name: str, check: Callable[[], Finding]) -> Finding:
    """Run one check; whatever it raises becomes its ✗ line, never a traceback."""
    try:
        return check()
    except CheckinError as err:  # its message already says what to do
        return Finding(name, False, str(err))
    except Exception as err:  # a doctor reports, it does not crash
        text = str(err).strip().splitlines()
        reason = f"{type(err).__name__}: {text[0]}" if text else type(err).__name__
        return Finding(name, False, f"failed unexpectedly ({reason})",
                       f"run {checkin_command('doctor')} again; if it stays, report this line")


# ------------------------------------------------------------------ the room


def check_microphone(settings: Settings, seconds: float) -> Finding:
    """Listen `seconds` through the check-in's capture and hearing, and judge the level."""
    from assistant.audio.capture import MicrophoneCapture
    from assistant.cli.analyze import verdict
    from assistant.session.setup import open_hearing

    name = "microphone"
    hearing, _ = open_hearing(settings.sensitivity, settings.silero_model)
    heard: list[np.ndarray] = []
    with MicrophoneCapture(settings.device) as mic:
        label = mic.device.label() if mic.device is not None else "the input"
        got = 0.0
        deadline = time.monotonic() + seconds + 2.0
        while got < seconds and time.monotonic() < deadline and mic.lost is None:
            chunk = mic.read(timeout=0.25)
            if chunk is not None:
                hearing.feed(chunk)
                heard.append(chunk.samples)
                got = chunk.start + len(chunk.samples) / chunk.rate
    hearing.finish()
    mic_check = checkin_command("mic-check")
    if not heard:
        return Finding(name, False, f"no sound arrived from {label} in {seconds:g} s",
                       f"check it is connected and not used by another program, then run: "
                       f"{mic_check}")
    samples = np.concatenate(heard).astype(np.float64)
    if not samples.any():
        return Finding(name, False, f"{label} gives only digital silence: it is muted",
                       "unmute it or raise its input level (pavucontrol or alsamixer), "
                       f"then run: {checkin_command('doctor')}")
    level = 20 * np.log10(max(float(np.sqrt(np.mean(samples**2))), 1.0) / 32768)
    if hearing.speech_level_db is not None:
        word, advice = verdict(hearing.noise_floor_db, hearing.speech_level_db)
        detail = f"{label} hears speech at {hearing.speech_level_db:.0f} dBFS: {word}"
        if word == "good":
            return Finding(name, True, detail)
        return Finding(name, False, detail, f"{advice}, then run: {mic_check}")
    if level > CLIPPING_DBFS:
        return Finding(name, False, f"{label} is clipping ({level:.0f} dBFS)",
                       f"lower its input level, then run: {mic_check}")
    return Finding(name, True, f"{label} is live and hears the room ({level:.0f} dBFS); "
                   f"to test your voice too, run: {mic_check}")


def check_output(settings: Settings) -> Finding:
    """Open (and close) the output line prompts are played on."""
    from assistant.audio.devices import choose, query_devices
    from assistant.audio.voice_line import VoiceLine

    device = choose(query_devices(), None, "output")
    line = VoiceLine(None)
    try:
        line.open()
    except Exception as err:  # PortAudio raises several kinds
        return Finding("output", False, f"{device.label()} cannot be opened ({err})",
                       f"connect speakers or headphones, then run: {checkin_command('devices')}")
    finally:
        line.close()
    return Finding("output", True, f"prompts will play on {device.label()}")


def check_speech(settings: Settings) -> Finding:
    """Render a real prompt with the voice a check-in would use (the warm voice for English
    where it is installed), as the check-in renders it."""
    from assistant.audio.tts import render_sample

    told: list[str] = []
    samples, rate, voice = render_sample(PROBE_PROMPT, settings.voice, settings.words_per_minute,
                                         tell=told.append)
    peak = int(np.abs(samples.astype(np.int32)).max()) if len(samples) else 0
    if peak < 500:
        return Finding("speech engine", False, f"{voice} rendered a prompt with no sound",
                       f"choose another voice: {checkin_command('speech', 'list')}")
    if told:  # it works, with the fallback: said, since the warm voice was wanted
        return Finding("speech engine", True, f"{told[0]}; it rendered a prompt: "
                       f"{len(samples) / rate:.1f} s of sound")
    return Finding("speech engine", True,
                   f"{voice} rendered a prompt: {len(samples) / rate:.1f} s of sound")


# ------------------------------------------------------------- model, files


def check_model(settings: Settings) -> Finding:
    """Find the model the check-in would use, and load it with its engine (a packaged
    model's files checked first)."""
    from assistant.asr.engine import engine_of, load_model
    from assistant.asr.models import model_language, resolve_model

    path = resolve_model(settings.model)
    started = time.monotonic()
    load_model(path)
    language = model_language(path) or "language unknown"
    return Finding("model", True, f"{engine_of(path).value} engine, {path} ({language}) "
                   f"loads in {time.monotonic() - started:.1f} s")


def check_data_dir(settings: Settings) -> Finding:
    """Write and remove a file where the journal will be kept."""
    from assistant.journal.paths import ENV_VAR, ensure_private_dir, resolve_data_dir

    folder = resolve_data_dir(settings.data_dir)
    ensure_private_dir(folder)
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".doctor-") as probe:
            probe.write(b"checkin doctor\n")
            probe.flush()
            os.fsync(probe.fileno())
    except OSError as err:
        return Finding("data directory", False,
                       f"cannot write in {folder} ({err.strerror or err})",
                       f"choose another folder with --data-dir or {ENV_VAR}")
    return Finding("data directory", True, f"{folder} is writable")


def check_config(path: Path, problem: str | None, keys: int) -> Finding:
    """The config file as the settings loader read it (the problem, if it refused it)."""
    if problem is not None:
        return Finding("config", False, problem)
    if not path.exists():
        return Finding("config", True, f"no file at {path} (optional: flags and defaults)")
    return Finding("config", True, f"{path} is valid ({keys} setting{'s' * (keys != 1)})")
