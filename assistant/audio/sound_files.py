"""The one reader of sound files: WAV or AIFF/AIFF-C, any PCM layout, mixed to mono.

It reads what a speech engine rendered (`read_sound`, at the file's own rate) and every
recording checkin hears from a file (`frames.read_wav`, the same samples at 16 kHz).
Why our own reader, not the `soundfile` library: it is not a dependency (libsndfile is
one more native library to ship), and this parser is small and tested on every layout
(tests/audio/test_sound_files.py). pyttsx3's drivers do not all write the 16-bit mono WAV that the
espeak driver does. macOS's nsss driver writes AIFF whatever the file is called;
Windows' sapi5 writes WAV in the voice's own format (which may be 8 or 32 bits, stereo
or WAVE_FORMAT_EXTENSIBLE); Python's `wave` reads only plain integer PCM and `aifc` is
gone from Python 3.13. Both containers are a list of chunks, so a small parser reads
them all. The format is told by the file's first bytes, never by its name.

Compressed audio (u-law, ADPCM, CAF, ...) raises `UnreadableSound` saying what the
file is, so the speech adapter can fall back to the engine's own playback.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

_WAVE_PCM = 0x0001
_WAVE_FLOAT = 0x0003
_WAVE_EXTENSIBLE = 0xFFFE
# AIFF-C compression types that are plain PCM: (byte order, float?)
_AIFC_PCM: dict[bytes, tuple[str, bool]] = {
    b"NONE": (">", False),
    b"twos": (">", False),
    b"sowt": ("<", False),
    b"fl32": (">", True),
    b"FL32": (">", True),
    b"fl64": (">", True),
    b"FL64": (">", True),
}


class UnreadableSound(ValueError):
    """A rendered file this reader cannot decode; the message says what it is."""


@dataclass(frozen=True)
class _Layout:
    """How the sample bytes are laid out."""

    channels: int
    rate: int
    width: int  # bytes per sample in the file
    order: str  # "<" or ">"
    floating: bool = False
    unsigned: bool = False  # 8-bit WAV is unsigned


def read_sound(path: Path) -> tuple[np.ndarray, int]:
    """The file's audio as int16 mono samples and its sample rate."""
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise UnreadableSound(f"cannot open {path}: {err.strerror or err}") from None
    mono, rate = decode_sound(data)
    return np.clip(np.round(mono), -32768, 32767).astype(np.int16), rate


def decode_sound(data: bytes) -> tuple[np.ndarray, int]:
    """A WAV or AIFF file's bytes as mono float64 samples on int16's scale (not yet
    rounded, so a resampler rounds once) and their sample rate."""
    head = data[:12]
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        layout, payload = _wav(data)
    elif head[:4] == b"FORM" and head[8:12] in (b"AIFF", b"AIFC"):
        layout, payload = _aiff(data, compressed=head[8:12] == b"AIFC")
    else:
        raise UnreadableSound(f"neither WAV nor AIFF ({_describe(head)})")
    return _mono(payload, layout), layout.rate


def _describe(head: bytes) -> str:
    if head[:4] == b"caff":
        return "a Core Audio (CAF) file"
    if not head:
        return "an empty file"
    return f"it starts with {head[:4]!r}"


def _chunks(data: bytes, order: str) -> dict[bytes, bytes]:
    """The chunks after the 12-byte header; the first of each id wins.

    A size past the end of the file (a writer that never went back to fill it in)
    is cut to what is there.
    """
    found: dict[bytes, bytes] = {}
    pos = 12
    while pos + 8 <= len(data):
        ident = data[pos : pos + 4]
        (size,) = struct.unpack(order + "I", data[pos + 4 : pos + 8])
        body = data[pos + 8 : pos + 8 + size]
        found.setdefault(ident, body)
        pos += 8 + size + (size & 1)  # chunks are padded to an even length
    return found


def _wav(data: bytes) -> tuple[_Layout, bytes]:
    chunks = _chunks(data, "<")
    fmt, payload = chunks.get(b"fmt "), chunks.get(b"data")
    if fmt is None or len(fmt) < 16 or payload is None:
        raise UnreadableSound("a WAV file without its format or data chunk")
    tag, channels, rate, _, align, bits = struct.unpack("<HHIIHH", fmt[:16])
    if tag == _WAVE_EXTENSIBLE and len(fmt) >= 26:
        (tag,) = struct.unpack("<H", fmt[24:26])  # the sub-format GUID starts with the tag
    if tag not in (_WAVE_PCM, _WAVE_FLOAT):
        raise UnreadableSound(f"a compressed WAV file (format {tag:#06x})")
    width = align // channels if channels else 0
    floating = tag == _WAVE_FLOAT
    _check(channels, rate, width, floating, bits)
    return _Layout(channels, rate, width, "<", floating, unsigned=width == 1), payload


def _aiff(data: bytes, compressed: bool) -> tuple[_Layout, bytes]:
    chunks = _chunks(data, ">")
    comm, ssnd = chunks.get(b"COMM"), chunks.get(b"SSND")
    if comm is None or len(comm) < 18 or ssnd is None or len(ssnd) < 8:
        raise UnreadableSound("an AIFF file without its COMM or SSND chunk")
    channels, frames, bits = struct.unpack(">hIh", comm[:8])
    rate = round(_extended(comm[8:18]))
    order, floating = ">", False
    if compressed:
        kind = comm[18:22]
        if kind not in _AIFC_PCM:
            name = kind.decode("latin-1").strip() or "unknown"
            raise UnreadableSound(f"a compressed AIFF-C file ({name!r})")
        order, floating = _AIFC_PCM[kind]
        if floating:
            bits = 64 if kind.lower() == b"fl64" else 32
    width = (bits + 7) // 8
    _check(channels, rate, width, floating, bits)
    (offset,) = struct.unpack(">I", ssnd[:4])
    payload = ssnd[8 + offset : 8 + offset + frames * channels * width]
    return _Layout(channels, rate, width, order, floating), payload


def _extended(raw: bytes) -> float:
    """An IEEE 754 80-bit extended float (AIFF's sample rate)."""
    sign_exp, mantissa = struct.unpack(">HQ", raw)
    exponent = sign_exp & 0x7FFF
    if exponent == 0 and mantissa == 0:
        return 0.0
    value = math.ldexp(mantissa, exponent - 16383 - 63)
    return -value if sign_exp & 0x8000 else value


def _check(channels: int, rate: int, width: int, floating: bool, bits: int) -> None:
    if channels < 1 or rate < 1:
        raise UnreadableSound(f"an impossible layout ({channels} channels at {rate} Hz)")
    if floating and width not in (4, 8):
        raise UnreadableSound(f"{bits}-bit floating-point samples")
    if not floating and not 1 <= width <= 4:
        raise UnreadableSound(f"{bits}-bit samples")


def _mono(payload: bytes, layout: _Layout) -> np.ndarray:
    frame = layout.width * layout.channels
    payload = payload[: len(payload) - len(payload) % frame]
    if layout.floating:
        kind = f"{layout.order}f{layout.width}"
        values = np.frombuffer(payload, dtype=kind).astype(np.float64)
    elif layout.unsigned:
        values = (np.frombuffer(payload, dtype=np.uint8).astype(np.float64) - 128.0) / 128.0
    else:
        values = _signed(payload, layout.width, layout.order) / 2.0**31
    return values.reshape(-1, layout.channels).mean(axis=1) * 32768.0


def _signed(payload: bytes, width: int, order: str) -> np.ndarray:
    """Signed PCM of 1 to 4 bytes, moved to the top of an int32 so every width scales alike."""
    raw = np.frombuffer(payload, dtype=np.uint8).reshape(-1, width)
    wide = np.zeros((len(raw), 4), dtype=np.uint8)
    if order == "<":
        wide[:, 4 - width :] = raw  # least significant byte first: the top bytes of "<i4"
    else:
        wide[:, :width] = raw  # most significant byte first: the top bytes of ">i4"
    return wide.view(f"{order}i4").reshape(-1).astype(np.float64)
