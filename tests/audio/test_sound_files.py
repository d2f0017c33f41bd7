"""The rendered-prompt reader on real files: espeak-ng speech converted by sox into the
layouts other platforms' speech engines write (WAV of any PCM width, rate and channel
count; AIFF; AIFF-C), and files it must refuse with a clear reason."""

from __future__ import annotations

import shutil
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

from assistant.audio.sound_files import UnreadableSound, read_sound

pytestmark = pytest.mark.skipif(
    not (shutil.which("sox") and shutil.which("espeak-ng")), reason="needs sox and espeak-ng"
)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, np.ndarray]:
    """espeak-ng's own 16-bit mono 22.05 kHz WAV, and its samples read by `wave`."""
    path = tmp_path_factory.mktemp("sound") / "reference.wav"
    subprocess.run(["espeak-ng", "-w", str(path), "Let us take a breath together."],
                   check=True, capture_output=True)
    with wave.open(str(path), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 22050)
        samples = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
    return path, samples


def convert(source: Path, name: str, *options: str) -> Path:
    """sox writes `name` with the given output options (type, encoding, bits, rate...)."""
    out = source.parent / name
    subprocess.run(["sox", str(source), *options, str(out)], check=True, capture_output=True)
    return out


@pytest.mark.parametrize(
    ("name", "options", "tolerance"),
    [
        ("pcm16.wav", (), 0),
        ("pcm24.wav", ("-b", "24"), 0),
        ("pcm32.wav", ("-b", "32"), 0),
        ("pcm8.wav", ("-b", "8"), 2 * 256),  # 8 bits keep the top byte (sox dithers)
        ("float32.wav", ("-e", "floating-point", "-b", "32"), 1),
        ("float64.wav", ("-e", "floating-point", "-b", "64"), 1),
        ("pcm16.aiff", ("-t", "aiff"), 0),
        ("pcm24.aiff", ("-t", "aiff", "-b", "24"), 0),
        ("pcm8.aiff", ("-t", "aiff", "-b", "8"), 2 * 256),
        ("none16.aifc", ("-t", "aifc"), 0),
        ("fl32.aifc", ("-t", "aifc", "-e", "floating-point", "-b", "32"), 1),
    ],
)
def test_every_pcm_layout_reads_back_as_the_same_samples(
    reference: tuple[Path, np.ndarray], name: str, options: tuple[str, ...], tolerance: int
) -> None:
    source, expected = reference
    samples, rate = read_sound(convert(source, name, *options))
    assert rate == 22050 and samples.dtype == np.int16
    assert len(samples) == len(expected)
    difference = np.abs(samples.astype(np.int32) - expected.astype(np.int32)).max()
    assert difference <= tolerance


def test_stereo_extensible_wav_at_another_rate_is_mixed_to_mono(
    reference: tuple[Path, np.ndarray]
) -> None:
    """sox writes WAVE_FORMAT_EXTENSIBLE for 24-bit stereo, as a Windows voice may."""
    source, expected = reference
    path = convert(source, "stereo24.wav", "-b", "24", "-c", "2", "-r", "44100")
    assert path.read_bytes()[20:22] == b"\xfe\xff"  # the extensible tag, really
    samples, rate = read_sound(path)
    assert rate == 44100
    assert abs(len(samples) - 2 * len(expected)) <= 2
    halved = samples[::2][: len(expected)].astype(np.float64)
    ref = expected[: len(halved)].astype(np.float64)
    assert np.corrcoef(halved, ref)[0, 1] > 0.98


def test_little_endian_aifc_sowt(reference: tuple[Path, np.ndarray]) -> None:
    """sox cannot write 'sowt' (macOS's little-endian AIFF-C): made from sox's big-endian
    AIFF-C by renaming the compression and swapping each sample's bytes."""
    source, expected = reference
    data = bytearray(convert(source, "twos.aifc", "-t", "aifc").read_bytes())
    comm = data.index(b"COMM")
    data[comm + 26 : comm + 30] = b"sowt"
    ssnd = data.index(b"SSND") + 16  # chunk header, offset and block size
    payload = np.frombuffer(bytes(data[ssnd : ssnd + 2 * len(expected)]), dtype=">i2")
    data[ssnd : ssnd + 2 * len(expected)] = payload.astype("<i2").tobytes()
    path = source.parent / "sowt.aifc"
    path.write_bytes(bytes(data))
    samples, rate = read_sound(path)
    assert rate == 22050
    assert np.array_equal(samples, expected)


@pytest.mark.parametrize(
    ("name", "options", "reason"),
    [
        ("ulaw.wav", ("-e", "u-law"), "a compressed WAV file (format 0x0007)"),
        ("adpcm.wav", ("-e", "ima-adpcm"), "a compressed WAV file (format 0x0011)"),
        ("speech.caf", ("-t", "caf"), "neither WAV nor AIFF (a Core Audio (CAF) file)"),
        ("speech.au", ("-t", "au"), "neither WAV nor AIFF"),
    ],
)
def test_what_it_cannot_read_it_names(
    reference: tuple[Path, np.ndarray], name: str, options: tuple[str, ...], reason: str
) -> None:
    source, _ = reference
    with pytest.raises(UnreadableSound, match=reason.replace("(", r"\(").replace(")", r"\)")):
        read_sound(convert(source, name, *options))


def test_a_truncated_or_missing_file_is_unreadable_not_a_crash(
    reference: tuple[Path, np.ndarray], tmp_path: Path
) -> None:
    source, _ = reference
    cut = tmp_path / "cut.wav"
    cut.write_bytes(source.read_bytes()[:30])  # the header only, no data chunk
    with pytest.raises(UnreadableSound, match="without its format or data chunk"):
        read_sound(cut)
    with pytest.raises(UnreadableSound, match="cannot open"):
        read_sound(tmp_path / "absent.wav")
    half = tmp_path / "half.wav"  # a writer stopped mid-file: the size says more than is there
    half.write_bytes(source.read_bytes()[:2000])
    samples, _ = read_sound(half)
    assert 0 < len(samples) < 1000
