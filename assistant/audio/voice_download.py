"""`checkin speech download NAME`: a neural voice fetched as the models are.

A Piper voice is two files (NAME.onnx, NAME.onnx.json), not an archive. Each is fetched
by the model downloader's own machinery (`asr/download.fetch_verified`: resumed after a
cut connection, size and SHA-256 checked where pinned, a wrong file deleted), then both
are put in a scratch folder beside the target, checked to be a voice, and the folder
is renamed into place: a failure never leaves half a voice that a check-in would load.
The SHA-256s computed here are written beside the files, and checked before every load.
"""

from __future__ import annotations

import json
import shlex
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from assistant.asr.download import Progress, fetch_verified
from assistant.audio.speech_voices import METADATA_FILE, NeuralVoice, voices_dir
from assistant.errors import ModelError
from assistant.invocation import checkin_command


@dataclass(frozen=True)
class InstalledVoice:
    path: Path
    sha256: str  # "FILE=SHA, FILE=SHA"
    size: int
    checksum_pinned: bool


def download_voice(voice: NeuralVoice, url: str | None = None, dest: Path | None = None,
                   progress: Progress | None = None, attempts: int = 3,
                   timeout: float = 30.0) -> InstalledVoice:
    """Download, verify and install `voice` (from `url`, a folder address, if given)."""
    base = (url or voice.url).rstrip("/") + "/"
    dest = dest or voices_dir()
    dest.mkdir(parents=True, exist_ok=True)
    mirror = ("--url", shlex.quote(url)) if url else ()
    again = checkin_command("speech", "download", voice.name, *mirror)
    parts: dict[str, Path] = {}
    digests: dict[str, str] = {}
    size = 0
    for name in voice.files:
        part = dest / f".{name}.part"
        digest, got = fetch_verified(name, base + name, part, None, voice.sha256.get(name),
                                     again, progress, attempts, timeout)
        parts[name], digests[name] = part, digest
        size += got
    if voice.size is not None and size != voice.size:
        for part in parts.values():
            part.unlink(missing_ok=True)
        raise ModelError(f"{voice.name}: got {size} bytes, expected {voice.size}; deleted it, "
                         f"try again with: {again}")
    target = dest / voice.name
    _install(parts, target, {"name": voice.name, "url": base, "sha256": digests})
    return InstalledVoice(target, ", ".join(f"{k}={v}" for k, v in digests.items()), size,
                          voice.verified)


def _install(parts: dict[str, Path], target: Path, metadata: dict[str, object]) -> None:
    """Both files into a scratch folder, checked, then renamed into place at once."""
    from assistant.audio.piper import VoiceConfig, VoiceUnreadable

    scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}.install-", dir=target.parent))
    try:
        for name, part in parts.items():
            part.replace(scratch / name)
        config = next(scratch / n for n in parts if n.endswith(".json"))
        try:
            VoiceConfig.read(config)
        except VoiceUnreadable as err:
            raise ModelError(f"the download is not a Piper voice ({err})") from None
        (scratch / METADATA_FILE).write_text(json.dumps(metadata, indent=2) + "\n",
                                             encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        scratch.rename(target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
