"""The virtual room: real audio on a machine without a sound card.

A private PulseAudio daemon (one per test session, so parallel test runs never hear
each other) with one null sink, the "room". Whatever is played into the sink can be
recorded from its monitor, through PortAudio/ALSA exactly as a microphone would be.

API (import as ``speechlab.room``):

- ``start_room() -> Room``: starts the daemon and the sink once per process
  (idempotent; later calls return the same Room). Raises ``RoomUnavailable`` with the
  reason when pulseaudio/pactl are missing or the daemon will not start.
  It sets ``PULSE_SERVER`` in ``os.environ`` (so libpulse in this process, and every
  subprocess, talks to the private daemon) and re-initialises PortAudio if
  ``sounddevice`` was imported before, so its device list includes the room.
- ``stop_room()``: kills the daemon and restores the environment (the pytest fixture
  calls it at session end).
- ``INPUT_DEVICE`` / ``OUTPUT_DEVICE``: the PortAudio device name that reaches the
  room ("pulse", the ALSA pulse plugin; it follows the daemon's default source/sink).
- ``Room.play(wav_or_samples, at=None) -> Playback``: plays a WAV path (any rate) or
  16 kHz mono int16 samples into the room with ``paplay``, starting at the monotonic
  time ``at`` (now if None). ``Playback.launched`` is when the player started;
  ``Playback.wait()`` waits for its end, ``Playback.stop()`` cuts it short.
- ``Room.record(seconds) -> np.ndarray``: records the room (16 kHz mono int16) with
  ``parec``, independent of PortAudio.
- ``Room.unplug()`` / ``Room.plug()``: unload / reload the null sink, as if the only
  sound device were pulled out and put back. While unplugged nothing can record.
- ``Room.pactl(*args) -> str``: any other pactl command against the private daemon.
- ``Room.let_idle()`` / ``Room.keep_awake()``: stop / restart the keeper (below), so the
  sink renders only while something plays, as a sound server wakes a suspended card:
  the streams' first timestamps are then at their least reliable.
- ``Room.add_walls(delays, gain_db)`` / ``Room.remove_walls()``: the assistant's output
  (the default sink) becomes a ``speaker`` sink heard in the room directly and again
  ``delays`` seconds later at ``gain_db``, as reflections from a wall would be
  (module-loopback; its delays are within ~20 ms of those asked for). Partners played
  with ``Room.play`` are not echoed.

The pytest fixture ``room`` (tests/audio/conftest.py; copy the three lines into your
own conftest) skips with the reason when the room cannot start. Mark such tests
``@pytest.mark.room``.

Why a "keeper" stream plays silence: a null sink with no low-latency client renders
in blocks of up to two seconds, so a new recording stream would wait 1-2 s for its
first frame. A ``pacat`` of zeros with a 10 ms latency keeps the room ticking like a
real card; plug() returns only once the sink's first block has passed (<= 2 s).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RATE = 16_000
INPUT_DEVICE = "pulse"
OUTPUT_DEVICE = "pulse"
SINK = "room"
ROOM_RATE = 48_000  # what the null sink runs at: like most real sound cards
_TIMEOUT = 10.0


class RoomUnavailable(RuntimeError):
    """PulseAudio cannot provide a room here; the message says why."""


@dataclass
class Playback:
    """One WAV being played into the room."""

    launched: float = 0.0  # monotonic time the player process was started
    process: subprocess.Popen[bytes] | None = None
    _thread: threading.Thread | None = None
    _error: BaseException | None = None

    def stop(self) -> None:
        """End the playback now (or, if it has not started yet, as soon as it does)."""
        if self._thread is not None and self.process is None:
            self._thread.join(_TIMEOUT)
        if self.process is not None:
            _end(self.process)

    def wait(self, timeout: float = 60.0) -> None:
        if self._thread is not None:
            self._thread.join(timeout)
        if self._error is not None:
            raise self._error
        if self.process is not None:
            self.process.wait(timeout)


@dataclass
class Room:
    """A private PulseAudio daemon with one null sink; see the module docstring."""

    runtime_dir: Path
    server: str
    pid: int
    sink: str = SINK
    rate: int = ROOM_RATE
    _module: str | None = None
    _keeper: subprocess.Popen[bytes] | None = None
    _players: list[subprocess.Popen[bytes]] = field(default_factory=list)
    _clips: int = 0
    _walls: list[str] = field(default_factory=list)  # module ids: speaker sink, loopbacks

    @property
    def source(self) -> str:
        return f"{self.sink}.monitor"

    @property
    def plugged(self) -> bool:
        return self._module is not None

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "PULSE_SERVER": self.server,
            "PULSE_RUNTIME_PATH": str(self.runtime_dir),
        }

    def pactl(self, *args: str) -> str:
        done = subprocess.run(
            ["pactl", *args], env=self.env(), capture_output=True, text=True, timeout=_TIMEOUT
        )
        if done.returncode != 0:
            raise RoomUnavailable(f"pactl {' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout

    def plug(self) -> None:
        """Load the null sink and make it (and its monitor) the defaults."""
        if self._module is not None:
            return
        self._module = self.pactl(
            "load-module",
            "module-null-sink",
            f"sink_name={self.sink}",
            f"rate={self.rate}",
            "channels=1",
            "sink_properties=device.description=checkin-room",
        ).strip()
        self.pactl("set-default-sink", self.sink)
        self.pactl("set-default-source", self.source)
        self._start_keeper()
        self._wait_first_frames()

    def _start_keeper(self) -> None:
        self._keeper = subprocess.Popen(
            [
                "pacat",
                "--playback",
                "--raw",
                f"--device={self.sink}",
                "--latency-msec=10",
                "/dev/zero",
            ],
            env=self.env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_for(lambda: self._has_sink_input(), "the keeper to connect")

    def let_idle(self) -> None:
        """Stop the keeper: the sink renders only while a stream plays."""
        if self._keeper is not None:
            _end(self._keeper)
            self._keeper = None

    def keep_awake(self) -> None:
        """Restart the keeper (plug() starts it too)."""
        if self._keeper is None and self._module is not None:
            self._start_keeper()

    def add_walls(self, delays: tuple[float, ...] = (0.15, 0.4), gain_db: float = -12.0) -> None:
        """Echo the default output into the room, see the module docstring."""
        if self._walls:
            return
        self._walls.append(self.pactl(
            "load-module", "module-null-sink", "sink_name=speaker", f"rate={self.rate}",
            "channels=1", "sink_properties=device.description=checkin-speaker").strip())
        direct = 0.02
        for delay, gain in [(0.0, 0.0)] + [(d, gain_db) for d in delays]:
            module = self.pactl(
                "load-module", "module-loopback", "source=speaker.monitor", f"sink={self.sink}",
                f"latency_msec={round((direct + delay) * 1000)}", "source_dont_move=true",
                "sink_dont_move=true", "remix=false").strip()
            self._walls.append(module)
            if gain:
                index = self._sink_input_of(module)
                self.pactl("set-sink-input-volume", index, f"{gain}dB")
        self.pactl("set-default-sink", "speaker")

    def remove_walls(self) -> None:
        """The assistant plays straight into the room again."""
        if not self._walls:
            return
        self.pactl("set-default-sink", self.sink)
        for module in reversed(self._walls):
            self.pactl("unload-module", module)
        self._walls.clear()

    def _sink_input_of(self, module: str) -> str:
        """The sink input a module created (a loopback connects a moment after loading)."""
        found: list[str] = []

        def connected() -> bool:
            index = None
            for line in self.pactl("list", "sink-inputs").splitlines():
                line = line.strip()
                if line.startswith("Sink Input #"):
                    index = line.removeprefix("Sink Input #")
                elif line == f"Owner Module: {module}" and index is not None:
                    found.append(index)
                    return True
            return False

        _wait_for(connected, f"module {module} to connect")
        return found[0]

    def unplug(self) -> None:
        """Unload the sink: every stream on it ends, nothing can be opened until plug()."""
        if self._module is None:
            return
        self.pactl("unload-module", self._module)
        self._module = None
        if self._keeper is not None:
            _end(self._keeper)
            self._keeper = None

    def play(self, sound: str | Path | Any, at: float | None = None) -> Playback:
        """Play a WAV path or 16 kHz mono int16 samples into the room at monotonic `at`."""
        path = self._as_wav_file(sound)
        playback = Playback()

        def run() -> None:
            try:
                if at is not None:
                    delay = at - time.monotonic()
                    if delay > 0:
                        time.sleep(delay)
                playback.launched = time.monotonic()
                proc = subprocess.Popen(
                    ["paplay", f"--device={self.sink}", "--latency-msec=20", str(path)],
                    env=self.env(),
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                self._players.append(proc)
                playback.process = proc
                proc.wait(timeout=120)
            except BaseException as err:  # surfaced by Playback.wait()
                playback._error = err

        playback._thread = threading.Thread(target=run, name="room-play", daemon=True)
        playback._thread.start()
        return playback

    def record(self, seconds: float) -> Any:
        """Record the room's monitor for `seconds` as 16 kHz mono int16 (numpy array)."""
        import numpy as np

        proc = subprocess.Popen(
            [
                "parec",
                "--raw",
                f"--device={self.source}",
                f"--rate={RATE}",
                "--channels=1",
                "--format=s16le",
                "--latency-msec=20",
            ],
            env=self.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert proc.stdout is not None
        want = int(seconds * RATE) * 2
        raw = b""
        deadline = time.monotonic() + seconds + _TIMEOUT
        while len(raw) < want and time.monotonic() < deadline:
            piece = proc.stdout.read1(want - len(raw))  # type: ignore[attr-defined]
            if not piece:
                break
            raw += piece
        _end(proc)
        proc.stdout.close()
        return np.frombuffer(raw[: len(raw) // 2 * 2], dtype="<i2").copy()

    def stop(self) -> None:
        with contextlib.suppress(RoomUnavailable, OSError, subprocess.SubprocessError):
            self.remove_walls()
        for proc in self._players:
            _end(proc)
        if self._keeper is not None:
            _end(self._keeper)
            self._keeper = None
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGTERM)
        _wait_for(lambda: not _alive(self.pid), "pulseaudio to exit", fail=False)
        shutil.rmtree(self.runtime_dir, ignore_errors=True)

    def _as_wav_file(self, sound: str | Path | Any) -> Path:
        """A WAV path as is; samples are written as a 16 kHz mono 16-bit WAV first."""
        if isinstance(sound, (str, Path)):
            return Path(sound)
        import wave

        import numpy as np

        self._clips += 1
        path = self.runtime_dir / f"clip-{self._clips}.wav"
        with wave.open(str(path), "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(RATE)
            wav.writeframes(np.asarray(sound, dtype="<i2").tobytes())
        return path

    def _wait_first_frames(self) -> None:
        """Block until the new sink has rendered its first (up to 2 s long) block."""
        proc = subprocess.Popen(
            ["parec", "--raw", f"--device={self.source}", "--latency-msec=10"],
            env=self.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert proc.stdout is not None
        timer = threading.Timer(_TIMEOUT, proc.kill)
        timer.start()
        try:
            if not proc.stdout.read1(64):  # type: ignore[attr-defined]
                raise RoomUnavailable("the room's monitor produced no audio")
        finally:
            timer.cancel()
            _end(proc)
            proc.stdout.close()

    def _has_sink_input(self) -> bool:
        return bool(self.pactl("list", "short", "sink-inputs").strip())


_room: Room | None = None
_saved_env: dict[str, str | None] = {}


def start_room() -> Room:
    """Start (once per process) the private daemon with the room plugged in."""
    global _room
    if _room is not None:
        if not _room.plugged:
            _room.plug()
        return _room
    for tool in ("pulseaudio", "pactl", "pacat", "parec"):
        if shutil.which(tool) is None:
            raise RoomUnavailable(
                f"{tool} is not installed (apt-get install pulseaudio pulseaudio-utils)"
            )
    runtime = Path(tempfile.mkdtemp(prefix="checkin-room-"))
    server = f"unix:{runtime}/native"
    env = {
        **os.environ,
        "PULSE_RUNTIME_PATH": str(runtime),
        "PULSE_STATE_PATH": str(runtime),
        "PULSE_SERVER": server,
    }
    cmd = [
        "pulseaudio",
        "--daemonize",
        "-n",  # no default.pa: no always-sink, no stream restore; only what we load
        "--exit-idle-time=-1",
        "--disallow-exit",
        "--realtime=no",
        "--high-priority=no",
        "--use-pid-file=yes",
        f"--log-target=file:{runtime}/log",
        "--load=module-native-protocol-unix",
    ]
    try:
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise RoomUnavailable("pulseaudio did not start within 10 s") from None
    pid_file = runtime / "pid"
    if done.returncode != 0 or not pid_file.exists():
        log = (runtime / "log").read_text(errors="replace") if (runtime / "log").exists() else ""
        shutil.rmtree(runtime, ignore_errors=True)
        raise RoomUnavailable(f"pulseaudio failed to start: {(done.stderr or log).strip()[-300:]}")
    room = Room(runtime_dir=runtime, server=server, pid=int(pid_file.read_text().strip()))
    try:
        room.plug()
    except BaseException:
        room.stop()
        raise
    for name in ("PULSE_SERVER", "PULSE_RUNTIME_PATH"):
        _saved_env[name] = os.environ.get(name)
    os.environ["PULSE_SERVER"] = server
    os.environ["PULSE_RUNTIME_PATH"] = str(runtime)
    refresh_portaudio()
    _room = room
    atexit.register(stop_room)  # a crashed or interrupted run leaves no daemon behind
    return room


def stop_room() -> None:
    """Stop the daemon started by start_room() and restore the environment."""
    global _room
    if _room is None:
        return
    _room.stop()
    _room = None
    for name, value in _saved_env.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    _saved_env.clear()
    refresh_portaudio()


def refresh_portaudio() -> None:
    """Re-scan devices if sounddevice is loaded (PortAudio lists devices once, at init)."""
    sd = sys.modules.get("sounddevice")
    if sd is not None:
        sd._terminate()
        sd._initialize()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie child still "exists": check its state
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except (OSError, IndexError):
        return False


def _end(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(2)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(2)


def _wait_for(ready: Any, what: str, fail: bool = True) -> None:
    deadline = time.monotonic() + _TIMEOUT
    while time.monotonic() < deadline:
        if ready():
            return
        time.sleep(0.02)
    if fail:
        raise RoomUnavailable(f"timed out waiting for {what}")
