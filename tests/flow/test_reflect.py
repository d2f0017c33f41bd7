"""The reflect step (listening to understand), driven on a fake clock.

Each partner speaks, the other says back what they heard, the speaker confirms or adds
one thing; then the roles swap. Every part is a timed turn like `turns`, so "I'm done",
the warnings, pause and stop work the same in each. Nothing said is kept.
"""

from __future__ import annotations

import pytest

from assistant.flow.events import (
    End,
    PauseEnded,
    Save,
    StartTurn,
    StepRecord,
    TurnRecord,
)
from assistant.flow.steps import TurnView
from assistant.guides import load_guide, parse_data
from tests.flow.driver import Driver
from tests.support.flow_log import compact

TURN, REFLECT, CONFIRM = 300.0, 60.0, 30.0  # the weekly guide's
# (who holds the floor, seconds) in each of the six parts of the weekly sharing round
PARTS = [("Ana", TURN), ("Ben", REFLECT), ("Ana", CONFIRM),
         ("Ben", TURN), ("Ana", REFLECT), ("Ben", CONFIRM)]


def in_sharing() -> Driver:
    d = Driver.for_guide("weekly").through_consent()
    assert d.flow.state == "sharing"
    return d


def at_part(index: int) -> Driver:
    """The weekly sharing round with the first `index` parts passed with "I'm done"."""
    d = in_sharing()
    for _ in range(index):
        d.wait(5)
        d.cmd("done")
    return d


def test_the_exact_actions_of_a_reflect_round() -> None:
    d = Driver.for_guide("weekly")
    d.cmd("yes")
    mark = len(d.log)
    d.cmd("yes")
    d.at(40).said("I noticed we stopped walking together")
    d.at(50).cmd("done")
    d.at(70).said("What I heard is you miss our walks")
    d.at(75).cmd("done")
    d.at(80).said("yes, that's it")
    d.cmd("yes")  # "yes" closes the check
    d.at(200).cmd("done")
    d.at(230).cmd("done")
    d.at(240).said("And the Sunday ones most")
    d.at(250).cmd("done")
    assert compact(d, since=mark, allotted=True) == [
        "0 save step sharing",
        "0 say Each of you gets the same time to share what you've noticed lately. "
        "The other listens, then says back what they heard.",
        "0 chime turn",
        '0 say Ana, you have 5 minutes. Start with "I noticed" or "I feel". '
        "Say \"I'm done\" when you're finished.",
        "0 start_turn Ana 300",
        "0 listen Ana turn",
        "30 say Take your time, Ana. Say \"I'm done\" when you have finished.",
        "50 save turn Ana 300 used=50 by=done",
        "50 end_turn Ana",
        "50 chime turn",
        '50 say Ben, you have 1 minute to tell Ana what you heard. '
        'Start with "What I heard is".',
        "50 start_turn Ben 60",
        "50 listen Ben turn",
        "75 save turn Ben 60 used=25 by=done",
        "75 end_turn Ben",
        "75 chime turn",
        '75 say Ana, did Ben hear you right? Say "yes", or add one thing, then "I\'m done".',
        "75 start_turn Ana 30",
        "75 listen Ana turn",
        "80 save turn Ana 30 used=5 by=done",
        "80 end_turn Ana",
        "80 chime turn",
        '80 say Ben, you have 5 minutes. Start with "I noticed" or "I feel". '
        "Say \"I'm done\" when you're finished.",
        "80 start_turn Ben 300",
        "80 listen Ben turn",
        "110 say Take your time, Ben. Say \"I'm done\" when you have finished.",
        "200 save turn Ben 300 used=120 by=done",
        "200 end_turn Ben",
        "200 chime turn",
        '200 say Ana, you have 1 minute to tell Ben what you heard. '
        'Start with "What I heard is".',
        "200 start_turn Ana 60",
        "200 listen Ana turn",
        "230 say Take your time, Ana. Say \"I'm done\" when you have finished.",
        "230 save turn Ana 60 used=30 by=done",
        "230 end_turn Ana",
        "230 chime turn",
        '230 say Ben, did Ana hear you right? Say "yes", or add one thing, then "I\'m done".',
        "230 start_turn Ben 30",
        "230 listen Ben turn",
        "250 save turn Ben 30 used=20 by=done",
        "250 end_turn Ben",
        "250 save step causes",
        "250 say Now let's name what has pulled you apart. Things like work hours, stress, "
        "or screens. Take turns.",
        "250 say Ana, name one thing that has pulled you apart.",
        "250 listen Ana item",
    ]


def test_both_partners_get_the_same_times_and_nothing_said_is_kept() -> None:
    d = in_sharing()
    d.wait(TURN + REFLECT + CONFIRM + TURN + REFLECT + CONFIRM + 10)  # all in silence
    assert d.flow.state == "causes"
    starts = [(s.partner, s.seconds) for s in d.of(StartTurn)]
    assert starts == PARTS
    for name in ("Ana", "Ben"):
        assert sorted(s for p, s in starts if p == name) == [CONFIRM, REFLECT, TURN]
    turns = d.saved(TurnRecord)
    assert [(t.partner, t.allotted, t.used, t.ended_by) for t in turns] == [
        (p, s, s, "time") for p, s in PARTS]
    kept = {type(a.record) for a in d.of(Save)}
    assert kept == {StepRecord, TurnRecord}  # times only: no words are saved


@pytest.mark.parametrize("index", range(6))
def test_im_done_ends_each_part_and_the_next_begins(index: int) -> None:
    d = at_part(index)
    partner, seconds = PARTS[index]
    assert d.flow.view().activity == TurnView(partner, seconds, seconds, 0.0)
    d.wait(5)
    d.cmd("done")
    record = d.saved(TurnRecord)[index]
    assert (record.partner, record.used, record.ended_by) == (partner, 5.0, "done")
    if index < 5:
        assert d.of(StartTurn)[index + 1] == StartTurn(*PARTS[index + 1])
    else:
        assert d.flow.state == "causes"


@pytest.mark.parametrize("index", range(6))
def test_pause_and_resume_in_each_part_keep_its_time(index: int) -> None:
    d = at_part(index)
    partner, seconds = PARTS[index]
    d.wait(10)
    d.cmd("pause")
    assert d.flow.state == "paused"
    d.wait(600)  # the cool-down ends by itself
    assert d.of(PauseEnded) and d.flow.state == "sharing"
    view = d.flow.view().activity
    assert isinstance(view, TurnView)
    assert (view.speaker, view.remaining) == (partner, pytest.approx(seconds - 10))
    assert d.says()[-1].startswith(f"{partner}, you have ")
    d.cmd("done")
    assert d.saved(TurnRecord)[index].used == pytest.approx(10)


@pytest.mark.parametrize("index", range(6))
def test_stop_in_each_part_ends_and_keeps_the_times(index: int) -> None:
    d = at_part(index)
    d.wait(7)
    d.cmd("stop")
    assert d.end == End("stopped")
    turns = d.saved(TurnRecord)
    assert len(turns) == index + 1
    assert (turns[-1].partner, turns[-1].used, turns[-1].ended_by) == (
        PARTS[index][0], 7.0, "stop")
    assert len(d.of(StartTurn)) == index + 1  # no part begins after a stop
    assert d.cmd("done") == []


def test_yes_closes_only_the_speakers_check() -> None:
    d = at_part(1)  # Ben reflects: "yes" is part of what he says back, not the end
    d.cmd("yes")
    assert d.flow.view().activity.speaker == "Ben"
    d.cmd("done")
    d.cmd("yes")  # Ana's check: "yes, that's it"
    assert d.flow.view().activity == TurnView("Ben", TURN, TURN, 0.0)


def test_short_parts_get_no_minute_warning_but_the_speaking_turn_does() -> None:
    d = at_part(1)
    d.wait(REFLECT + CONFIRM + 10)
    assert not any("left." in s for s in d.says())
    assert "Time's up. Thank you, Ben." in d.says()
    assert "Time's up. Thank you, Ana." in d.says()
    d.wait(TURN - 60)  # Ben's own turn
    assert d.last_say() == "Ben, about 1 minute left."


def test_repeat_and_the_view_follow_the_part_under_way() -> None:
    d = at_part(4)  # Ana says back what Ben said
    d.wait(12)
    d.cmd("repeat")
    assert d.last_say() == ('Ana, you have 1 minute to tell Ben what you heard. '
                            'Start with "What I heard is".')
    view = d.flow.view().activity
    assert isinstance(view, TurnView)
    assert (view.speaker, view.allotted, view.remaining) == ("Ana", REFLECT, 48.0)


def test_device_lost_holds_a_reflection_until_the_microphone_is_back() -> None:
    d = at_part(1)
    d.wait(20)
    d.lost()
    d.wait(300)
    assert not d.saved(TurnRecord)[1:]  # nothing ends while nobody can be heard
    d.back()
    assert d.flow.view().activity.remaining == pytest.approx(40)


def test_guide_settings_and_step_minutes_set_the_times() -> None:
    guide, problems = parse_data({
        "guide": {"name": "t"},
        "settings": {"reflect_minutes": 2, "confirm_seconds": 45},
        "steps": [{"id": "talk", "kind": "reflect", "minutes": 4,
                   "prompt": "{name}, {time}.", "reflect": "{name}, tell {other}.",
                   "confirm": "{name}, right?"}]})
    assert guide is not None, problems
    d = Driver.for_guide(guide)
    d.wait(1000)
    assert [(s.partner, s.seconds) for s in d.of(StartTurn)] == [
        ("Ana", 240), ("Ben", 120), ("Ana", 45), ("Ben", 240), ("Ana", 120), ("Ben", 45)]
    opening = [s for s in d.says() if not s.startswith(("Take your time", "Time's up"))]
    assert opening[:4] == ["Ana, 4 minutes.", "Ana, about 1 minute left.", "Ben, tell Ana.",
                           "Ana, right?"]


def test_the_command_line_turn_length_sets_the_speaking_turns_only() -> None:
    d = Driver.for_guide(load_guide("weekly").with_settings(turn_seconds=12.0))
    d.through_consent()
    d.wait(12 + 60 + 30 + 12 + 60 + 30 + 5)
    assert [s.seconds for s in d.of(StartTurn)] == [12, 60, 30, 12, 60, 30]


def test_resume_continues_with_the_next_part() -> None:
    d = Driver.for_guide("weekly", resume_at="sharing", resume_done=2)
    assert d.of(StartTurn) == [StartTurn("Ana", CONFIRM)]
    d.cmd("yes")
    assert d.of(StartTurn)[-1] == StartTurn("Ben", TURN)
