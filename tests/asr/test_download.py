"""Model download against a real HTTP server on 127.0.0.1, started in the test.

The archive is a zip built here holding a fake but structurally valid model
directory (the files Vosk needs, with placeholder bytes): enough to test fetching,
resuming, verification and unpacking; loading real models is tested elsewhere.
"""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import threading
import wave
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from assistant.asr import models
from assistant.asr.download import download_model
from assistant.asr.models import ModelInfo, read_metadata
from assistant.errors import ModelError
from assistant.invocation import checkin_command
from tests.support.cli import REPO, checkin
from tests.support.commands import child

NAME = "vosk-model-test-xx-0.1"
MODEL_FILES = (
    "am/final.mdl",
    "conf/model.conf",
    "graph/HCLr.fst",
    "graph/Gr.fst",
    "ivector/final.ie",
)


def model_zip(files: tuple[str, ...] = MODEL_FILES, top: str = NAME) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for i, name in enumerate(files):
            zf.writestr(f"{top}/{name}", os.urandom(20_000 + i))  # incompressible
    return buf.getvalue()


@dataclass
class Server:
    """Serves `body`; can cut the first N responses halfway or ignore Range."""

    body: bytes = b""
    cut_first: int = 0
    honour_range: bool = True
    ranges: list[str | None] = field(default_factory=list)
    url: str = ""


@pytest.fixture
def server() -> Iterator[Server]:
    state = Server()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            rng = self.headers.get("Range")
            state.ranges.append(rng)
            start = 0
            if rng and state.honour_range:
                start = int(rng.split("=")[1].split("-")[0])
                if start >= len(state.body):
                    self.send_response(416)
                    self.end_headers()
                    return
                self.send_response(206)
                self.send_header(
                    "Content-Range", f"bytes {start}-{len(state.body) - 1}/{len(state.body)}"
                )
            else:
                self.send_response(200)
            payload = state.body[start:]
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
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}/{NAME}.zip"
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def pin(monkeypatch: pytest.MonkeyPatch, body: bytes, sha: str | None = None) -> None:
    info = ModelInfo(
        NAME, "xx", "http://unused.invalid/", len(body), sha or hashlib.sha256(body).hexdigest()
    )
    monkeypatch.setitem(models.REGISTRY, NAME, info)


def leftovers(dest: Path) -> list[str]:
    return sorted(p.name for p in dest.iterdir()) if dest.exists() else []


def test_download_reports_progress_verifies_and_installs(
    server: Server, tmp_path: Path, monkeypatch
) -> None:
    server.body = model_zip()
    pin(monkeypatch, server.body)
    seen: list[tuple[int, int | None]] = []
    result = download_model(
        NAME, url=server.url, dest=tmp_path, progress=lambda d, t: seen.append((d, t))
    )
    assert result.path == tmp_path / NAME
    assert models.is_vosk_model(result.path)
    assert result.sha256 == hashlib.sha256(server.body).hexdigest() and result.checksum_pinned
    assert seen[-1] == (len(server.body), len(server.body))
    assert len(seen) > 2 and all(a[0] <= b[0] for a, b in zip(seen, seen[1:], strict=False))
    assert read_metadata(result.path)["language"] == "xx"
    assert models.model_language(result.path) == "xx"
    assert leftovers(tmp_path) == [NAME]  # no .part, no scratch directory
    again = download_model(NAME, url=server.url, dest=tmp_path)
    assert again.already_present and len(server.ranges) == 1


def test_cut_connection_is_resumed_with_a_range_request(
    server: Server, tmp_path: Path, monkeypatch
) -> None:
    server.body = model_zip()
    server.cut_first = 1
    pin(monkeypatch, server.body)
    result = download_model(NAME, url=server.url, dest=tmp_path, attempts=3)
    assert models.is_vosk_model(result.path)
    assert server.ranges[0] is None
    assert server.ranges[1] == f"bytes={len(server.body) // 2}-"


def test_interrupted_download_keeps_the_part_and_the_next_run_resumes(
    server: Server, tmp_path: Path, monkeypatch
) -> None:
    server.body = model_zip()
    server.cut_first = 1
    pin(monkeypatch, server.body)
    with pytest.raises(ModelError, match="bytes kept, resume with: .* model download "):
        download_model(NAME, url=server.url, dest=tmp_path, attempts=1)
    part = tmp_path / f".{NAME}.zip.part"
    assert part.stat().st_size == len(server.body) // 2
    assert not (tmp_path / NAME).exists()
    download_model(NAME, url=server.url, dest=tmp_path, attempts=1)
    assert server.ranges == [None, f"bytes={len(server.body) // 2}-"]
    assert models.is_vosk_model(tmp_path / NAME)


def test_server_ignoring_range_restarts_cleanly(
    server: Server, tmp_path: Path, monkeypatch
) -> None:
    server.body = model_zip()
    server.honour_range = False
    pin(monkeypatch, server.body)
    (tmp_path / f".{NAME}.zip.part").write_bytes(b"garbage from an older attempt")
    result = download_model(NAME, url=server.url, dest=tmp_path)
    assert result.sha256 == hashlib.sha256(server.body).hexdigest()


def test_checksum_mismatch_is_refused_and_nothing_is_installed(
    server: Server, tmp_path: Path, monkeypatch
) -> None:
    server.body = model_zip()
    pin(monkeypatch, server.body, sha="0" * 64)
    with pytest.raises(ModelError, match="checksum mismatch"):
        download_model(NAME, url=server.url, dest=tmp_path)
    assert leftovers(tmp_path) == []


def test_corrupt_archive_leaves_no_half_unpacked_model(
    server: Server, tmp_path: Path, monkeypatch
) -> None:
    good = model_zip()
    bad = bytearray(good)
    bad[200:260] = b"\xff" * 60  # damages compressed data of the first member: CRC fails
    server.body = bytes(bad)
    pin(monkeypatch, server.body)  # the pin matches the damaged bytes: only unpacking can tell
    with pytest.raises(ModelError, match="corrupt|not a complete zip"):
        download_model(NAME, url=server.url, dest=tmp_path)
    assert leftovers(tmp_path) == []


def test_archive_without_a_model_is_refused(server: Server, tmp_path: Path, monkeypatch) -> None:
    server.body = model_zip(files=("am/final.mdl", "README"))
    pin(monkeypatch, server.body)
    with pytest.raises(ModelError, match="does not hold a Vosk model"):
        download_model(NAME, url=server.url, dest=tmp_path)
    assert leftovers(tmp_path) == []


def test_unpinned_model_reports_the_computed_checksum(server: Server, tmp_path: Path) -> None:
    server.body = model_zip()
    result = download_model(NAME, url=server.url, dest=tmp_path)
    assert not result.checksum_pinned
    assert result.sha256 == hashlib.sha256(server.body).hexdigest()


def run_cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CHECKIN_HOME": str(home)}
    return checkin(*args, cwd=REPO, env=env, timeout=120)


def test_cli_download_with_url_then_list(server: Server, tmp_path: Path) -> None:
    server.body = model_zip()
    done = run_cli("model", "download", NAME, "--url", server.url, home=tmp_path)
    assert done.returncode == 0, done.stderr
    again = run_cli("model", "download", NAME, "--url", server.url, home=tmp_path)
    assert again.stdout.startswith(f"{NAME} is already installed at ")
    quiet = run_cli("model", "download", NAME, "--quiet", home=tmp_path)
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")  # what run.sh asks
    assert f"installed {NAME}" in done.stdout
    assert hashlib.sha256(server.body).hexdigest() in done.stdout  # unpinned: reported
    listed = run_cli("model", "list", home=tmp_path)
    assert NAME in listed.stdout and str(tmp_path / "models" / NAME) in listed.stdout


def test_cli_missing_and_invalid_models_give_one_line(tmp_path: Path) -> None:
    wav = REPO / "tests" / "asr" / "missing.wav"
    (tmp_path / "bogus").mkdir()
    (tmp_path / "bogus" / "am").mkdir()
    missing = run_cli("transcribe", str(wav), home=tmp_path)
    assert missing.returncode == 2
    for result, needle in (
        (missing, "no such file"),
        (
            run_cli("model", "download", "no-such-model", home=tmp_path),
            "unknown model no-such-model",
        ),
    ):
        assert needle in result.stderr
    tiny = tmp_path / "tiny.wav"
    with wave.open(str(tiny), "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(16000), w.writeframes(bytes(3200))
    one = run_cli("transcribe", str(tiny), "--model", "vosk-model-small-en-us-0.15",
                  home=tmp_path)
    invalid = run_cli("transcribe", str(tiny), "--model", str(tmp_path / "bogus"), home=tmp_path)
    assert one.stderr == (
        f"checkin: model vosk-model-small-en-us-0.15 is not installed in {tmp_path / 'models'}; "
        f"fetch it with: {child('model', 'download', 'vosk-model-small-en-us-0.15', cwd=REPO)}\n"
    )
    assert invalid.stderr.startswith(
        f"checkin: {tmp_path / 'bogus'} is not a Vosk model (missing am/final.mdl"
    )
    for result in (missing, one, invalid):
        assert result.returncode == 2 and result.stdout == ""
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_an_unreachable_server_is_one_line_naming_the_command_to_try_again(
    tmp_path: Path,
) -> None:
    url = "http://127.0.0.1:9/none.zip"  # the discard port: nothing listens here
    with pytest.raises(ModelError) as err:
        download_model(NAME, url=url, dest=tmp_path, attempts=1, timeout=5)
    text = str(err.value)
    assert text.startswith(f"could not download {NAME} (")
    assert text.endswith(f"; try again with: {checkin_command('model', 'download', NAME)}"
                         f" --url {url}")
    assert "\n" not in text
