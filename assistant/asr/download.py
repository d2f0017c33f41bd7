"""Fetching a model: resumable HTTP download, size and SHA-256 check, atomic unpack.

The archive grows in `<models>/.<name>.zip.part` so a cut connection (or Ctrl-C) is
resumed with an HTTP Range request instead of starting 40 MB over. Unpacking goes to
a temporary directory beside the target and is renamed into place only once it is a
valid Vosk model, so a failure never leaves a half-unpacked model that would later
be loaded. Only the standard library's urllib is used: this is the one place
checkin touches the network, and only when asked to.
"""

from __future__ import annotations

import hashlib
import http.client
import shlex
import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from assistant.asr.models import (
    ModelInfo,
    is_vosk_model,
    known,
    missing_parts,
    models_dir,
    write_metadata,
)
from assistant.errors import ModelError
from assistant.invocation import checkin_command

Progress = Callable[[int, "int | None"], None]  # (bytes so far, total bytes or None)
BLOCK = 64 * 1024


@dataclass(frozen=True)
class Installed:
    """The outcome of a download: where the model is and what was checked."""

    path: Path
    sha256: str
    size: int
    checksum_pinned: bool
    already_present: bool = False


class _Interrupted(Exception):
    """The connection ended before the whole archive arrived (resumable)."""


def _fetch(url: str, part: Path, expected: int | None, progress: Progress | None, timeout: float):
    """Append the rest of `url` to `part`, resuming from its current length."""
    have = part.stat().st_size if part.exists() else 0
    request = urllib.request.Request(url, headers={"User-Agent": "checkin"})
    if have:
        request.add_header("Range", f"bytes={have}-")
    try:
        response = urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as err:
        if err.code == 416 and have and (expected is None or have == expected):
            return  # we already have every byte
        raise ModelError(f"download of {url} failed: HTTP {err.code} {err.reason}") from None
    except (urllib.error.URLError, OSError) as err:
        reason = getattr(err, "reason", err)
        raise _Interrupted(f"cannot reach {url} ({reason})") from None
    with response:
        if have and response.status != 206:
            have = 0  # the server ignored Range: start over
        length = response.headers.get("Content-Length")
        total = have + int(length) if length is not None else expected
        with part.open("ab" if have else "wb") as out:
            done = have
            if progress:
                progress(done, total)
            try:
                while True:
                    block = response.read(BLOCK)
                    if not block:
                        break
                    out.write(block)
                    done += len(block)
                    if progress:
                        progress(done, total)
            except (TimeoutError, http.client.IncompleteRead, ConnectionError, OSError) as err:
                raise _Interrupted(f"connection lost after {done} bytes ({err})") from None
        if total is not None and done < total:
            raise _Interrupted(f"connection closed after {done} of {total} bytes")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _safe_members(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    members = archive.infolist()
    for info in members:
        parts = PurePosixPath(info.filename).parts
        if info.filename.startswith("/") or ".." in parts:
            raise ModelError(f"the archive contains an unsafe path: {info.filename}")
    return members


def _model_root(unpacked: Path) -> Path:
    """The model directory inside an unpacked archive (usually its one top folder)."""
    if is_vosk_model(unpacked):
        return unpacked
    entries = [p for p in unpacked.iterdir() if not p.name.startswith("__MACOSX")]
    if len(entries) == 1 and entries[0].is_dir():
        return entries[0]
    return unpacked


def unpack_atomically(archive: Path, target: Path, metadata: dict[str, str]) -> None:
    """Extract beside `target`, check it is a Vosk model, then rename it into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}.unpack-", dir=target.parent))
    try:
        try:
            with zipfile.ZipFile(archive) as zf:
                bad = zf.testzip()
                if bad is not None:
                    raise ModelError(f"{archive.name} is corrupt ({bad} fails its CRC check)")
                zf.extractall(scratch, members=_safe_members(zf))
        except (zipfile.BadZipFile, EOFError) as err:
            raise ModelError(f"{archive.name} is not a complete zip archive ({err})") from None
        root = _model_root(scratch)
        missing = missing_parts(root)
        if missing:
            raise ModelError(
                f"the archive does not hold a Vosk model (missing {', '.join(missing)})"
            )
        write_metadata(root, **metadata)
        if target.exists():
            shutil.rmtree(target)
        root.rename(target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def fetch_verified(name: str, url: str, part: Path, size: int | None, sha256: str | None,
                   again: str, progress: Progress | None = None, attempts: int = 3,
                   timeout: float = 30.0) -> tuple[str, int]:
    """Download `url` into `part` (resuming what is there), then check its size and SHA-256
    where pinned; returns (sha256, size). A wrong file is deleted, a cut one kept to resume;
    each error is one line ending with `again`, the command that tries again."""
    last = ""
    for _ in range(max(1, attempts)):
        try:
            _fetch(url, part, size, progress, timeout)
            break
        except _Interrupted as err:
            last = str(err)
    else:
        have = part.stat().st_size if part.exists() else 0
        if have == 0:
            raise ModelError(f"could not download {name} ({last}); try again with: {again}")
        raise ModelError(
            f"download of {name} interrupted ({last}); {have} bytes kept, "
            f"resume with: {again}"
        )
    got = part.stat().st_size
    digest = sha256_of(part)
    if size is not None and got != size:
        part.unlink()
        raise ModelError(
            f"{name}: got {got} bytes, expected {size}; deleted it, try again with: {again}"
        )
    if sha256 is not None and digest != sha256:
        part.unlink()
        raise ModelError(
            f"{name}: checksum mismatch (sha256 {digest}, expected {sha256}); "
            f"deleted the download; try again with: {again} (or check the --url mirror)"
        )
    return digest, got


def download_model(
    name: str,
    url: str | None = None,
    dest: Path | None = None,
    progress: Progress | None = None,
    attempts: int = 3,
    timeout: float = 30.0,
) -> Installed:
    """Download, verify and install model `name` (from the registry unless `url` is given)."""
    info = known(name)
    if info is None and url is None:
        raise ModelError(f"unknown model {name}; give its address with --url URL")
    if info is None:
        info = ModelInfo(name=name, language="", url=str(url))
    source = url or info.url
    dest = dest or models_dir()
    target = dest / name
    if is_vosk_model(target):
        return Installed(target, "", 0, info.sha256 is not None, already_present=True)
    dest.mkdir(parents=True, exist_ok=True)
    part = dest / f".{name}.zip.part"
    mirror = ("--url", shlex.quote(url)) if url else ()
    again = checkin_command("model", "download", name, *mirror)
    digest, size = fetch_verified(name, source, part, info.size, info.sha256, again,
                                  progress, attempts, timeout)
    try:
        unpack_atomically(
            part, target, {"name": name, "language": info.language, "url": source, "sha256": digest}
        )
    except ModelError:
        part.unlink(missing_ok=True)  # a corrupt archive must not be resumed
        raise
    part.unlink(missing_ok=True)
    return Installed(target, digest, size, info.sha256 is not None)
