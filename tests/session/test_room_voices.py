"""Voices in the virtual room: `checkin voices enroll`, then a hands-free check-in with
`--speakers` in which Ben talks over Ana, both driven from outside in subprocesses.

Real components: PortAudio through PulseAudio (the room), Silero and the hearing, the
speaker method, the live voices adapter, the flow, the journal (SQLite). The partners
are two distinct real recorded voices of ../shared/audio, played into the room with
`paplay`: Ana is the LibriVox reader, Ben the ALSA announcer. Commands are typed (the
keyboard works beside the voice): telling voices apart needs no words, and the Korean
model, the one reachable here, does not understand English speech.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from speechlab import room as room_module
from speechlab.checkin_process import (
    Screen,
    killed_on_failure,
    prompts_done_after,
    start_voice_checkin,
)
from speechlab.speakers import VOICES
from tests.support.cli import start_checkin
from tests.support.guide_files import shipped_without
from tests.support.replay import REMINDER, pcm, voice_of

pytestmark = [pytest.mark.room, pytest.mark.usefixtures("shared_audio")]

RATE = 16_000
TURN = 40.0


def enroll_command(room: room_module.Room, data_dir: Path, *args: str
                   ) -> subprocess.Popen[str]:
    return start_checkin("voices", "enroll", "--names", "Ana,Ben", "--input-device",
                         room_module.INPUT_DEVICE, *args, data_dir=data_dir,
                         env={**room.env(), "PYTHONUNBUFFERED": "1"}, stderr=subprocess.PIPE)


def enroll_typed(room: room_module.Room, data_dir: Path, stdin: str, *args: str
                 ) -> tuple[int, str, str]:
    with enroll_command(room, data_dir, *args) as proc:
        out, err = proc.communicate(stdin, timeout=60)
    return proc.returncode, out, err


def test_enroll_asks_each_partner_and_learns_nothing_without_both_yes(
        plugged_room: room_module.Room, tmp_path: Path) -> None:
    code, out, err = enroll_typed(plugged_room, tmp_path, "yes\nmaybe\nno\n")
    assert code == 0, err
    assert "it is biometric data" in out and str(tmp_path) in out
    assert out.count("may I learn how your voice sounds? (yes/no):") == 3  # Ben asked again
    assert "Please type yes, or no." in out
    assert "Nothing was learned." in out and "read this aloud" not in out
    from assistant.journal.store import Journal

    with Journal.open(tmp_path) as journal:
        assert journal.voice_consent(("Ana", "Ben")) == {"Ana": True, "Ben": False}
        assert journal.voice_profiles() == []


@pytest.mark.parametrize(("args", "stdin", "says"), [
    ((), "", "checkin: no answer was typed, so no voice was learned; run "),
    ((), "yes\nyes\n", "checkin: Enter was not pressed, so Ana's voice was not learned; run "),
    (("--seconds", "1"), "yes\nyes\n", "checkin: --seconds must be at least 3 (a voice needs "
     "3 s of speech to learn from); got 1.0"),
    (("--input-device", "no such microphone"), "yes\nyes\n\n", "checkin: no input device "),
])
def test_enroll_problems_are_one_clear_line(plugged_room: room_module.Room, tmp_path: Path,
                                            args: tuple[str, ...], stdin: str,
                                            says: str) -> None:
    code, _out, err = enroll_typed(plugged_room, tmp_path, stdin, *args)
    assert code != 0
    assert err.startswith(says) and len(err.strip().splitlines()) == 1, err


def test_a_room_too_quiet_to_learn_from_says_so(plugged_room: room_module.Room,
                                                tmp_path: Path) -> None:
    code, _out, err = enroll_typed(plugged_room, tmp_path, "yes\nyes\n\n", "--seconds", "3",
                                   "--most-seconds", "2")
    assert code != 0
    assert err.startswith("checkin: heard only 0.0 s of Ana's speech in 2 s, and 3 s are "
                          "needed; check the microphone with "), err
    from assistant.journal.store import Journal

    with Journal.open(tmp_path) as journal:
        assert journal.voice_profiles() == []
        assert journal.voices_agreed(("Ana", "Ben"))  # the answers are kept; nothing else


def ana_talked_over() -> tuple[np.ndarray, float, float]:
    """Ana's turn with Ben in it: over her for 4 s, then alone for 4.3 s while she
    pauses; and how many seconds of it are Ben's, in all and alone."""
    ben = voice_of(VOICES["alsa"].test, gap=0.0)
    her = voice_of(VOICES["reader"].test[:2])
    her[int(1.5 * RATE): int(5.5 * RATE)] += ben[: int(4.0 * RATE)]
    pause = np.zeros(int(0.8 * RATE))
    mixed = np.concatenate([her, pause, ben, pause, voice_of(VOICES["reader"].test[2:])])
    return pcm(mixed), 4.0 + len(ben) / RATE, len(ben) / RATE


@pytest.mark.slow
def test_voices_enrolled_in_the_room_then_the_listener_talking_over_is_noticed_once(
        plugged_room: room_module.Room, tmp_path: Path) -> None:
    # 1. each partner reads at the microphone (their recordings, played into the room)
    # (read twice over: the announcer's clips hold less speech than a 20 s reading)
    reading = {"Ana": pcm(voice_of(VOICES["reader"].enroll)),
               "Ben": pcm(np.tile(voice_of(VOICES["alsa"].enroll, gap=0.2), 2))}
    with enroll_command(plugged_room, tmp_path, "--seconds", "6") as proc:
        screen = Screen(proc)
        screen.type("yes")
        screen.type("yes")
        for name in ("Ana", "Ben"):
            screen.expect(f"{name}, press Enter, then read this aloud")
            screen.type("")
            screen.expect("Listening")
            played = plugged_room.play(reading[name])
            screen.expect(f"Thank you, {name}. Learned your voice from", timeout=30)
            played.stop()
        screen.expect("Both voices are learned.")
        assert proc.wait(timeout=10) == 0

    # 2. a check-in with --speakers: not asked again, Ben talks over Ana's turn
    turn, bens, alone = ana_talked_over()
    trace = tmp_path / "trace.txt"
    guide = shipped_without(tmp_path, "daily", "welcome")  # the turns are what is tested
    with start_voice_checkin(plugged_room, tmp_path, "--guide", str(guide), "--names", "Ana,Ben",
                             "--speakers", "--turn-minutes", str(TURN / 60),
                             "--interruption-seconds", "2") as proc, \
            killed_on_failure(proc, trace):
        screen = Screen(proc)
        screen.expect("Ana, are you ready?", timeout=60)
        screen.type("yes")
        screen.expect("Ben, are you ready?")
        screen.type("yes")
        prompted = screen.expect("Ana, you have 40 seconds.")
        prompts_done_after(trace, prompted)
        plugged_room.play(turn).wait(timeout=40)
        screen.type("I'm done")
        screen.expect("Ben, you have 40 seconds.")
        screen.type("I'm done")
        screen.expect("Ana, what do you appreciate about Ben today?", timeout=15)
        screen.type("next")
        screen.expect("Ben, what do you appreciate about Ana today?")
        screen.type("next")
        screen.expect("Have a good evening. Goodbye.", timeout=20)
        assert proc.wait(timeout=40) == 0, proc.stderr.read() if proc.stderr else ""
    said = [line for _, line in screen.seen]
    assert not any("may I learn" in line for line in said)  # asked once, at enroll
    assert sum(REMINDER in line for line in said) == 1  # once a turn, though twice over

    from assistant.journal.store import Journal

    with Journal.open(tmp_path) as journal:
        session = journal.sessions()[0]
        ana, ben = journal.turns(session.id)
    assert ana.interruptions >= 1 and ben.interruptions == 0
    # Ben alone in her turn is his, less the time to decide it is him and his own pauses;
    # while both talk, a stretch goes to the voice it sounds closer to: mostly hers here
    assert alone - 2.0 <= ana.listener_speech <= bens + 1.0
    hers = len(turn) / RATE - 1.6 - alone  # her speech, her pauses included
    assert ana.speech <= hers - (alone - 2.0) + 1.0
    assert ben.listener_speech == 0.0
    print(f"\nBen's {bens:.1f} s in Ana's turn: {ana.listener_speech:.1f} s charged to him, "
          f"{ana.interruptions} interruption(s); Ana's speech {ana.speech:.1f} s")
