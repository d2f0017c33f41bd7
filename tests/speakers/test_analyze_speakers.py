"""`checkin analyze FILE.wav --speakers` as a person runs it: a real process."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.support.cli import checkin

ROOT = Path(__file__).resolve().parents[2]


def analyze(*args: str) -> subprocess.CompletedProcess[str]:
    return checkin("analyze", *args, cwd=ROOT, timeout=120)


# The command line end to end over a whole call; the clustering itself is tested in
# process (tests/speakers/test_engine.py), the command line on a short file below.
@pytest.mark.slow
def test_who_spoke_when_in_the_phone_call_as_text_and_json(shared_audio: Path) -> None:
    wav = str(shared_audio / "two_speakers_phone_sample.wav")
    text = analyze(wav, "--speakers")
    assert text.returncode == 0, text.stderr
    assert "who spoke when (cepstral-gmm v2; A spoke first):" in text.stdout
    found = analyze(wav, "--speakers", "--json")
    assert found.returncode == 0, found.stderr
    report = json.loads(found.stdout)["speakers"]
    turns = report["turns"]
    assert turns[0]["speaker"] == "A" and {t["speaker"] for t in turns} >= {"A", "B"}
    assert all(a["end"] <= b["start"] + 1e-6 for a, b in zip(turns, turns[1:], strict=False))
    # the reference has speech from 6.69 s to 30 s; A and B share it
    assert turns[0]["start"] == pytest.approx(6.7, abs=0.2)
    seconds = report["speech_seconds"]
    assert seconds["A"] > 5 and seconds["B"] > 5
    # the text shows the same turns
    for turn in turns:
        assert f"{turn['start']:7.2f} – {turn['end']:7.2f} s  {turn['speaker']}" in text.stdout


def test_a_recording_with_no_speech_says_nobody_spoke(shared_audio: Path) -> None:
    done = analyze(str(shared_audio / "alsa_Noise.wav"), "--speakers")
    assert done.returncode == 0, done.stderr
    assert "nobody: no speech was heard" in done.stdout


@pytest.mark.parametrize("kind", ["missing", "not a wav"])
def test_bad_input_gets_one_line_and_no_traceback(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "talk.wav"
    if kind == "not a wav":
        path.write_text("hello")
    done = analyze(str(path), "--speakers")
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr
    assert ("no such file" in lines[0]) if kind == "missing" else ("convert it with" in lines[0])
