"""The live view rendered to text (rich's recording console) at several sizes and moments.

The flow is driven with the fake clock of tests/flow/driver.py, so every number on
screen comes from the flow, as in a check-in.
"""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console

from assistant.display import (
    BREATHE_IN,
    BREATHE_OUT,
    Screen,
    big,
    breath,
    clock_text,
    render,
    screen_text,
)
from assistant.flow.events import SpeechStarted
from tests.flow.driver import Driver, plain_turns
from tests.support.screen_rows import block_rows, countdown

SIZES = [(80, 24), (120, 40), (200, 60)]


def shown(screen: Screen, width: int, height: int) -> list[str]:
    """The frame's rows, checked to fill the screen exactly and never run past it."""
    rows = screen_text(screen, width, height).splitlines()
    assert len(rows) == height
    assert max(len(row) for row in rows) <= width
    return rows




def turn_under_way(spoken: float, speaking_for: float = 0.0) -> Driver:
    """Ana's sharing turn (300 s) with `spoken` seconds of finished speech and a
    stretch of `speaking_for` seconds still going on."""
    d = Driver.for_guide(plain_turns("weekly")).through_consent()
    if spoken:
        d.speech(spoken)
    if speaking_for:
        d.feed(SpeechStarted(d.now))
        d.wait(speaking_for)
    return d


def test_clock_and_big_digits() -> None:
    assert clock_text(300) == "5:00"
    assert clock_text(59.2) == "1:00"  # rounded up: 0:00 only when over
    assert clock_text(0) == "0:00"
    assert big("1:05").splitlines()[:2] == ["  ██      ██████ ██████", "████   ██ ██  ██ ██"]
    assert len(big("4:20", 3).splitlines()) == 15  # 5 rows a font row, times the scale
    assert big("4:20", 2).splitlines()[0].startswith("████    ████")  # twice as wide as tall


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_turn_fills_the_screen_with_a_countdown_a_third_of_its_height(
        width: int, height: int) -> None:
    d = turn_under_way(40, speaking_for=5)
    screen = Screen(d.flow.view(), ("Ana", "Ben"), level_db=-30.0, baseline_db=-35.0,
                    caption="i noticed we", prompt="Ana, you have 5 minutes.")
    rows = shown(screen, width, height)
    digits = block_rows(rows)
    assert len(digits) >= height / 3
    assert digits == list(range(digits[0], digits[-1] + 1))  # one block, no gaps
    scale = len(digits) // 5
    assert countdown(rows) == big("4:15", scale)  # 300 s turn, 45 s of it gone
    text = "\n".join(rows)
    assert "Step 3 of 10: Sharing round" in text
    assert "Ana's turn" in text and "Ben listens" in text
    assert "Ana 0:45" in text and "0:00 Ben" in text  # the open stretch counts already
    assert "-30.0 dB" in text and "(calm -35)" in text
    assert "Ana: i noticed we" in text
    assert "checkin: Ana, you have 5 minutes." in text
    assert "all calm" in text
    assert rows[-1].strip() == "space next · p pause · r repeat · q stop"


def test_level_meter_marks_the_calm_baseline() -> None:
    d = turn_under_way(40)
    rows = shown(Screen(d.flow.view(), ("Ana", "Ben"), level_db=-30.0, baseline_db=-35.0),
                 80, 24)
    line = next(row for row in rows if "level  " in row)
    bar = line[line.index("level  ") + 7:][:40]  # -70..0 dBFS over 40 cells at 80 wide
    assert bar.index("|") == 20  # the calm baseline, -35 dBFS, half way
    assert bar[:23].replace("|", "") == "█" * 22  # filled up to -30 dBFS
    assert set(bar[23:]) == {"·"}


def test_the_balance_moves_while_a_partner_speaks() -> None:
    d = turn_under_way(0, speaking_for=10)
    first = "\n".join(shown(Screen(d.flow.view(), ("Ana", "Ben")), 80, 24))
    d.wait(20)
    later = "\n".join(shown(Screen(d.flow.view(), ("Ana", "Ben")), 80, 24))
    assert "Ana 0:10" in first and "Ana 0:30" in later  # not held at 0:00 until the end
    d.cmd("done")
    d.feed(SpeechStarted(d.now))
    d.wait(12)
    bens = "\n".join(shown(Screen(d.flow.view(), ("Ana", "Ben")), 80, 24))
    assert "Ana 0:30" in bens and "0:12 Ben" in bens and "Ben's turn" in bens
    bar = next(row for row in bens.splitlines() if "Ana 0:30" in row)
    assert bar.count("█") == 29 and bar.count("▒") == 11  # 30 : 12 of 40 cells at 80 wide


def test_each_partner_keeps_one_colour() -> None:
    d = turn_under_way(30)
    d.cmd("done")
    console = Console(record=True, width=80, height=24, color_system="standard",
                      file=io.StringIO())
    console.print(render(Screen(d.flow.view(), ("Ana", "Ben")), 80, 24))
    ansi = console.export_text(styles=True)
    magenta, cyan = "\x1b[1;35m", "\x1b[1;36m"
    assert re.search(f"{re.escape(magenta)} *Ben's turn", ansi)  # whose turn, in his colour
    assert f"{cyan}Ana 0:30" in ansi and f"{magenta} 0:00 Ben" in ansi  # the balance too
    assert re.search(f"{re.escape(magenta)} *██", ansi)  # and his countdown


def test_the_last_minute_and_time_up_are_shown_softly() -> None:
    d = turn_under_way(0)
    d.wait(300 - 30)
    text = "\n".join(shown(Screen(d.flow.view(), ("Ana", "Ben")), 80, 24))
    assert countdown(text.splitlines()) == big("0:30", 2)
    d.feed(SpeechStarted(d.now))
    d.wait(31)  # still speaking past time: the flow lets her finish
    text = "\n".join(shown(Screen(d.flow.view(), ("Ana", "Ben")), 80, 24))
    assert "time's up: finish your thought" in text
    assert countdown(text.splitlines()) == big("0:00", 2)


def test_caption_can_be_switched_off() -> None:
    d = turn_under_way(0)
    screen = Screen(d.flow.view(), ("Ana", "Ben"), caption="private words", show_caption=False)
    assert "private words" not in "\n".join(shown(screen, 80, 24))


def test_a_long_caption_shows_its_latest_words() -> None:
    d = turn_under_way(0)
    words = " ".join(f"word{n}" for n in range(40))
    text = "\n".join(shown(Screen(d.flow.view(), ("Ana", "Ben"), caption=words), 80, 24))
    assert "word39" in text and "word0 " not in text and "Ana: …" in text


def test_breath_goes_in_for_four_seconds_and_out_for_six() -> None:
    assert BREATHE_IN + BREATHE_OUT == 10
    assert breath(0.2)[0] == "in" and breath(3.8)[0] == "in"
    assert breath(4.2)[0] == "out" and breath(9.8)[0] == "out"
    assert breath(3.8)[1] > breath(2.0)[1] > breath(0.2)[1]  # grows while breathing in
    assert breath(4.2)[1] > breath(7.0)[1] > breath(9.8)[1]  # shrinks while breathing out
    assert breath(13.8) == pytest.approx(breath(3.8))  # and again


def paused_for(seconds: float) -> Driver:
    d = turn_under_way(20)
    d.cmd("pause")
    d.wait(seconds)
    return d


def shape_cells(rows: list[str], clock: str) -> int:
    """Blocks in the breathing shape: those between the 'Breathe' line and the clock."""
    start = next(i for i, row in enumerate(rows) if "Breathe" in row)
    end = next(i for i, row in enumerate(rows) if "left of the cool-down" in row)
    for scale in (2, 1):
        clock_rows = 5 * scale
        if countdown(rows[end - clock_rows:end]) == big(clock, scale):
            return sum(row.count("█") for row in rows[start + 1:end - clock_rows])
    raise AssertionError(f"no cool-down clock {clock} under the shape")


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_pause_breathes_counts_down_and_says_how_to_go_on(width: int, height: int) -> None:
    start_in = paused_for(60.2)  # cool-down of 600 s: 6 whole breaths gone
    rows = shown(Screen(start_in.flow.view(), ("Ana", "Ben")), width, height)
    text = "\n".join(rows)
    assert "Paused" not in rows[0] and "Breathe in" in text
    assert "9:00 left of the cool-down" in text
    assert 'When you are both ready, say "continue", or press c.' in text
    assert "a little heat" in text  # a pause counts as heat, calmly
    small = shape_cells(rows, "9:00")
    end_in = paused_for(63.8)
    rows = shown(Screen(end_in.flow.view(), ("Ana", "Ben")), width, height)
    large = shape_cells(rows, "8:57")
    assert large > 4 * small > 0
    out = paused_for(69.8)
    rows = shown(Screen(out.flow.view(), ("Ana", "Ben")), width, height)
    assert "Breathe out" in "\n".join(rows)
    assert 0 < shape_cells(rows, "8:51") < large


def test_pause_shows_the_continue_word_of_the_guides_language() -> None:
    from assistant.flow.events import CommandName
    from assistant.phrases import phrase_to_say

    assert phrase_to_say(CommandName.CONTINUE, "en") == "continue"
    d = paused_for(5)
    screen = Screen(d.flow.view(), ("민지", "준호"),
                    continue_word=phrase_to_say(CommandName.CONTINUE, "ko"))
    assert 'say "계속", or press c' in screen_text(screen, 80, 24)


def test_between_turns_the_view_says_what_is_going_on() -> None:
    d = turn_under_way(90)
    d.cmd("done")
    d.speech(30)
    d.cmd("done")
    rows = shown(Screen(d.flow.view(), ("Ana", "Ben"),
                        prompt="Ana, what is one thing that caused tension this week?"),
                 80, 24)
    text = "\n".join(rows)
    assert "Step 4 of 10: Causes" in text
    assert "Ana, over to you" in text  # Ana names the first cause
    assert "caused tension this week?" in text
    assert not block_rows(rows)  # no countdown outside a turn


def test_after_two_unclear_answers_the_view_says_what_to_say_or_press() -> None:
    from assistant.display import PlainView

    d = Driver.for_guide("weekly")
    d.said("hmm")
    d.said("what")
    out = io.StringIO()
    PlainView(out).update(Screen(d.flow.view(), ("Ana", "Ben")))
    assert out.getvalue() == "  [Waiting for your answer: say yes or no, or press y or n]\n"
    assert "say yes or no, or press y or n" in screen_text(Screen(d.flow.view(), ("Ana", "Ben")),
                                                           80, 24)


def test_a_tiny_terminal_still_gets_every_row_cut_not_wrapped() -> None:
    d = turn_under_way(0)
    screen = Screen(d.flow.view(), ("Annabelle-Marie", "Benedict"), prompt="x " * 80)
    rows = screen_text(screen, 40, 12).splitlines()
    assert len(rows) == 12 and max(map(len, rows)) <= 40


def test_a_reflection_shows_the_listener_speaking_and_its_own_countdown() -> None:
    d = Driver.for_guide("weekly").through_consent()  # the shipped reflect round
    d.speech(30)
    d.cmd("done")  # Ben now says back what he heard, for a minute
    d.wait(15)
    rows = shown(Screen(d.flow.view(), ("Ana", "Ben"), prompt=d.last_say()), 80, 24)
    text = "\n".join(rows)
    assert "Ben's turn  ·  Ana listens" in text
    assert countdown(rows) == big("0:45", 2)
    d.cmd("done")  # Ana's "yes", or one thing added: 30 seconds
    rows = shown(Screen(d.flow.view(), ("Ana", "Ben")), 80, 24)
    assert "Ana's turn  ·  Ben listens" in "\n".join(rows)
    assert countdown(rows) == big("0:30", 2)
