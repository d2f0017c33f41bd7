"""Nothing leaves the machine: the commands that load onnxruntime, Vosk and Whisper
(CTranslate2), under strace.

A hands-free check-in is traced the same way in tests/session/test_empty_room.py.
Every IPv4/IPv6 socket call fails the test (local sockets, such as the sound server's,
are fine), and onnxruntime must not create its telemetry store in the user's cache.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from speechlab.checkin_process import network_calls, strace_command
from tests.support.cli import checkin
from tests.support.models import ko_model_path


def traced(args: list[str], home: Path, log: Path) -> subprocess.CompletedProcess[str]:
    if shutil.which("strace") is None:
        pytest.skip("strace is not installed (scripts/setup.sh --test installs it)")
    env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"),
           "ORT_DISABLE_TELEMETRY": "0"}  # checkin turns it off whatever the user set
    return checkin(*args, prefix=strace_command(log), env=env, timeout=120)


def assert_offline(done: subprocess.CompletedProcess[str], home: Path, log: Path) -> None:
    assert done.returncode == 0, done.stderr
    assert network_calls(log) == []
    assert not list(home.rglob("*onnxruntime*")), "onnxruntime wrote its telemetry store"


def test_analyze_opens_no_network_socket_and_writes_no_telemetry(
        shared_audio: Path, tmp_path: Path) -> None:
    log = tmp_path / "strace.txt"
    done = traced(["analyze", str(shared_audio / "librivox_ss_0880.wav")], tmp_path, log)
    assert_offline(done, tmp_path, log)
    assert "voice activity by silero" in done.stdout  # onnxruntime really ran


def test_transcribe_opens_no_network_socket(shared_audio: Path, tmp_path: Path) -> None:
    log = tmp_path / "strace.txt"
    done = traced(["transcribe", str(shared_audio / "librivox_ss_0880.wav"), "--model",
                   str(ko_model_path())], tmp_path, log)
    assert_offline(done, tmp_path, log)
    assert "+++ exited with 0 +++" in log.read_text()  # the tracer followed the process


def test_importing_checkin_turns_onnxruntime_telemetry_off() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import assistant, os; print(os.environ['ORT_DISABLE_TELEMETRY'])"],
        capture_output=True, text=True, env={**os.environ, "ORT_DISABLE_TELEMETRY": "0"},
        check=True)
    assert done.stdout.strip() == "1"


def test_vosk_is_loaded_without_requests() -> None:
    code = ("from assistant.offline import import_vosk; import sys; import_vosk(); "
            "print('requests' in sys.modules, 'urllib3' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.split() == ["False", "False"]


def test_transcribe_on_whisper_opens_no_network_socket(shared_audio: Path,
                                                       tmp_path: Path) -> None:
    log = tmp_path / "strace.txt"
    done = traced(["transcribe", str(shared_audio / "librivox_ss_0880.wav")], tmp_path, log)
    assert_offline(done, tmp_path, log)
    assert "He was not an ill-disposed young man." in done.stdout  # the bundled Whisper ran


def test_the_whisper_engine_loads_no_network_client(whisper_model_path: Path) -> None:
    """CTranslate2 alone: no hub client, no HTTP library (faster-whisper would bring
    huggingface_hub, httpx and hf_xet)."""
    code = ("import sys; from pathlib import Path; from assistant.asr.engine import load_model; "
            f"load_model(Path({str(whisper_model_path)!r})); "
            "print(sorted(m for m in ('huggingface_hub', 'requests', 'urllib3', 'httpx', "
            "'hf_xet', 'tqdm', 'av') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"
