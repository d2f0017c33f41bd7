"""Every script of scripts/ runs in a smoke mode (`--smoke`: a tiny real input), so none
can rot unseen: each must run to its end without a traceback and print its table.

A smoke run measures nothing: its figures come from seconds of input on a machine
doing other things, so a missed target (exit status 1) is allowed; a traceback is not
(Python exits 1 on one too, hence the check on stderr). The quick ones (a few seconds)
are in the fast loop; the ones that load a recognizer and synthesize speech are `slow`,
the ones that need the PulseAudio room are `room`. eval_gentle_words is run by
tests/gentle/test_gentle.py (--text-only, --quick)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from tests.support.script_runs import run_script

SLOW = pytest.mark.slow
ROOM = pytest.mark.room


def english_voices() -> str | None:
    from speechlab.english import missing_voices

    return missing_voices()


def espeak() -> str | None:
    from speechlab.voices import espeak_missing

    missing = espeak_missing()
    return str(missing) if missing else None


def warm_voice() -> str | None:
    from assistant.audio.speech_voices import JOE, installed_at

    return None if installed_at(JOE) else "the joe voice is not installed (checkin speech download joe)"


@dataclass(frozen=True)
class Smoke:
    """One script's smoke run: what it must print, and what it needs to run at all."""

    script: str
    printed: tuple[str, ...]
    recordings: bool = False  # ../shared/audio
    needs: tuple[Callable[[], str | None], ...] = ()
    room: bool = False
    args: tuple[str, ...] = field(default=("--smoke",))


SMOKES = [
    pytest.param(Smoke("eval_hearing", ("silero", "two_speakers_phone_sample"),
                       recordings=True), id="eval_hearing"),
    pytest.param(Smoke("bench_hearing", ("CPU ms per audio second", "silero", "webrtcvad"),
                       recordings=True), id="bench_hearing"),
    pytest.param(Smoke("bench_speakers", ("attribution adds", "memory:"), recordings=True),
                 id="bench_speakers"),
    pytest.param(Smoke("eval_speakers", ("enrolled dialogues: worst", "dialogue reader/alsa",
                                         "calm single-speaker recordings:"), recordings=True),
                 id="eval_speakers", marks=SLOW),
    pytest.param(Smoke("bench_asr", ("spoken corpus", "silence: pipeline CPU",
                                     "command latency from the end of the sound", "peak RSS"),
                       recordings=True, needs=(english_voices,)), id="bench_asr", marks=SLOW),
    pytest.param(Smoke("bench_session", ("check-in replayed", "replay process, peak RSS"),
                       needs=(english_voices,)), id="bench_session", marks=SLOW),
    pytest.param(Smoke("bench_soak", ("evening", "run 1: chunks dropped", "turn 1 (Ana) speech",
                                      "peak RSS (ru_maxrss)"),
                       needs=(english_voices,)), id="bench_soak", marks=SLOW),
    pytest.param(Smoke("bench_speech", ("synth/audio s", "joe vs pyttsx3",
                                        "word error rate by the bundled recognizer"),
                       needs=(espeak, warm_voice)), id="bench_speech", marks=SLOW),
    pytest.param(Smoke("bench_transcribe", ("bare Vosk process:", "checkin / bare: median",
                                            "utterances printed by checkin:"),
                       needs=(espeak,)), id="bench_transcribe", marks=SLOW),
    pytest.param(Smoke("eval_appreciations", ("1 LibriVox clips",
                                              "saved by the check-in: word error rate"),
                       recordings=True), id="eval_appreciations", marks=SLOW),
    pytest.param(Smoke("eval_commands", ("command    first try", "all "),
                       needs=(english_voices,)), id="eval_commands", marks=SLOW),
    pytest.param(Smoke("eval_false_accepts", ("false commands", "(* target 0 per hour)",
                                              "prompts x gains"),
                       recordings=True, needs=(english_voices, espeak)),
                 id="eval_false_accepts", marks=SLOW),
    pytest.param(Smoke("eval_segment_close", ("segments,", "result vs final :"),
                       recordings=True), id="eval_segment_close", marks=SLOW),
    pytest.param(Smoke("bench_audio", ("CPU s / audio s", "ratio checkin / bare:"),
                       recordings=True, room=True), id="bench_audio", marks=ROOM),
    pytest.param(Smoke("eval_empty_room", ("runs heard nothing",), room=True),
                 id="eval_empty_room", marks=[ROOM, SLOW]),
]


@pytest.mark.parametrize("smoke", SMOKES)
def test_the_script_runs_its_smoke_mode_and_prints_its_table(
        smoke: Smoke, request: pytest.FixtureRequest) -> None:
    if smoke.recordings:
        request.getfixturevalue("shared_audio")
    if smoke.room:
        request.getfixturevalue("room")  # started here; the script finds it running
    for need in smoke.needs:
        missing = need()
        if missing:
            pytest.skip(missing)
    run = run_script(smoke.script, *smoke.args, timeout=900)
    assert "Traceback" not in run.stderr, run.stderr
    assert run.returncode in (0, 1), (run.returncode, run.stdout, run.stderr)
    for text in smoke.printed:
        assert text in run.stdout, (text, run.stdout[-3000:], run.stderr[-2000:])


def test_every_script_has_a_smoke_run() -> None:
    """A new script gets a smoke run here too (the helper modules are imported by them)."""
    from tests.support.cli import REPO

    helpers = {"__init__", "bench_common", "bare_engines", "soak_evening", "speech_corpus",
               "eval_gentle_words"}  # eval_gentle_words: tests/gentle/test_gentle.py
    scripts = {p.stem for p in (REPO / "scripts").glob("*.py")} - helpers
    smoked = {p.values[0].script for p in SMOKES}  # type: ignore[attr-defined]
    assert scripts == smoked
