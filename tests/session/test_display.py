"""The live view rendered to text (rich's recording console) at several moments."""

from __future__ import annotations

import io

from rich.console import Console

from assistant.display import Screen, big, clock_text, render
from tests.flow.driver import Driver


def text_of(screen: Screen, width: int = 90) -> str:
    console = Console(record=True, width=width, color_system=None, file=io.StringIO())
    console.print(render(screen))
    return console.export_text()


def test_clock_and_big_digits() -> None:
    assert clock_text(300) == "5:00"
    assert clock_text(59.2) == "1:00"  # rounded up: 0:00 only when over
    assert clock_text(0) == "0:00"
    assert big("1:05").splitlines()[0] == " █      ███ ███"


def test_turn_view_shows_step_speaker_countdown_meter_balance_and_keys() -> None:
    d = Driver.for_guide("weekly").through_consent()
    d.speech(40)
    screen = Screen(d.flow.view(), ("Ana", "Ben"), level_db=-30.0, baseline_db=-35.0,
                    caption="i noticed we", prompt="Ana, you have 5 minutes.")
    out = text_of(screen)
    assert "Step 3 of 7: Sharing round" in out
    assert "Ana's turn" in out
    assert big("4:20").splitlines()[0] in out  # 300 s turn, 40 s spoken
    assert "-30.0 dB" in out and "(calm -35)" in out
    meter_line = next(line for line in out.splitlines() if "level  " in line)
    bar = meter_line[meter_line.index("level  ") + 7:][:40]  # -70..0 dBFS over 40 cells
    assert bar.index("|") == 20  # the calm baseline, -35 dBFS, half way
    assert bar[:23].replace("|", "") == "█" * 22  # filled up to -30 dBFS
    assert set(bar[23:]) == {"·"}
    assert "Ana 0:00" in out and "0:00 Ben" in out  # talk counts once a turn ends
    assert "hearing: i noticed we" in out
    assert "space next · p pause · r repeat · q stop" in out


def test_caption_can_be_switched_off() -> None:
    d = Driver.for_guide("weekly").through_consent()
    screen = Screen(d.flow.view(), ("Ana", "Ben"), caption="private words", show_caption=False)
    assert "private words" not in text_of(screen)


def test_pause_view_shows_the_cool_down_clock() -> None:
    d = Driver.for_guide("weekly").through_consent()
    d.cmd("pause")
    d.wait(61)
    out = text_of(Screen(d.flow.view(), ("Ana", "Ben")))
    assert "Paused: a calm break for both of you" in out
    assert big("8:59").splitlines()[0] in out
    assert "heat 1" in out


def test_balance_after_both_turns() -> None:
    d = Driver.for_guide("weekly").through_consent()
    d.speech(90)
    d.cmd("done")
    d.speech(30)
    d.cmd("done")
    out = text_of(Screen(d.flow.view(), ("Ana", "Ben")))
    assert "Ana 1:30" in out and "0:30 Ben" in out
    assert "Step 4 of 7: Causes" in out
    assert "Ana, over to you" in out  # Ana names the first cause


def test_after_two_unclear_answers_the_view_says_what_to_say_or_press() -> None:
    from assistant.display import PlainView

    d = Driver.for_guide("weekly")
    d.said("hmm")
    d.said("what")
    out = io.StringIO()
    PlainView(out).update(Screen(d.flow.view(), ("Ana", "Ben")))
    assert out.getvalue() == "  [Waiting for your answer: say yes or no, or press y or n]\n"
    assert "say yes or no, or press y or n" in text_of(Screen(d.flow.view(), ("Ana", "Ben")))
