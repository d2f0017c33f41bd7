"""The repair guide, for after an argument, driven on a fake clock.

Safety note first, a cool-down, both partners' yes, feelings said and reflected back,
an apology each, one plan kept only when both say yes, one appreciation each.
"""

from __future__ import annotations

import pytest

from assistant.flow.events import Appreciation, End, Plan, TurnRecord
from assistant.guides import load_guide
from tests.flow.driver import Driver
from tests.support.flow_log import compact


def test_whole_repair_checkin_exact_sequence() -> None:
    d = Driver.for_guide("repair")
    d.at(20).cmd("next")  # calmer now
    d.at(22).cmd("yes")
    d.at(23).cmd("yes")
    for t in (60, 80, 85, 150, 170, 180):  # feelings, each said back and confirmed
        d.at(t).cmd("done")
    d.at(240).cmd("done")  # the apologies
    d.at(300).cmd("done")
    d.at(310).said("I'll tell you before I leave a party")
    d.at(313).cmd("yes")
    d.cmd("yes")
    d.at(320).said("I'll ask before I judge")
    d.at(323).cmd("yes")
    d.cmd("no")  # Ben's plan: Ben does not want it after all
    d.at(325).cmd("next")
    d.at(330).said("you came back to talk")
    d.at(333).cmd("save")
    d.at(340).said("you listened tonight")
    d.at(343).cmd("save")
    assert compact(d) == [
        '0 save step welcome',
        '0 say Welcome. This is for making up after an argument.',
        '0 say This is not therapy, and not for abuse or coercion. If anyone feels unsafe or pressured, please seek professional or legal help.',
        '0 save step cooldown',
        "0 say Before we talk, let's cool down together.",
        '0 say Breathe in slowly for four. And out for six. Take a few breaths like that.',
        '0 say If you need longer, say "pause" for a real break.',
        '0 say When you both feel calmer, say "next".',
        '0 listen None command',
        '20 save step consent',
        '20 say Ana, are you ready to talk this through, calmly? Say yes, or no.',
        '20 listen Ana answer',
        '22 say Ben, are you ready to talk this through, calmly? Say yes, or no.',
        '22 listen Ben answer',
        '23 save step feelings',
        '23 say Each of you says what you felt, starting with "I felt". The other listens, then says back what they heard.',
        '23 chime turn',
        '23 say Ana, you have 3 minutes. Tell Ben what you felt, starting with "I felt". Say "I\'m done" when you\'re finished.',
        '23 start_turn Ana 180',
        '23 listen Ana turn',
        '53 say Take your time, Ana. Say "I\'m done" when you have finished.',
        '60 save turn Ana used=37 by=done',
        '60 end_turn Ana',
        '60 chime turn',
        '60 say Ben, you have 1 minute to tell Ana what you heard. Start with "What I heard is".',
        '60 start_turn Ben 60',
        '60 listen Ben turn',
        '80 save turn Ben used=20 by=done',
        '80 end_turn Ben',
        '80 chime turn',
        '80 say Ana, did Ben hear you right? Say "yes", or add one thing, then "I\'m done".',
        '80 start_turn Ana 30',
        '80 listen Ana turn',
        '85 save turn Ana used=5 by=done',
        '85 end_turn Ana',
        '85 chime turn',
        '85 say Ben, you have 3 minutes. Tell Ana what you felt, starting with "I felt". Say "I\'m done" when you\'re finished.',
        '85 start_turn Ben 180',
        '85 listen Ben turn',
        '115 say Take your time, Ben. Say "I\'m done" when you have finished.',
        '150 save turn Ben used=65 by=done',
        '150 end_turn Ben',
        '150 chime turn',
        '150 say Ana, you have 1 minute to tell Ben what you heard. Start with "What I heard is".',
        '150 start_turn Ana 60',
        '150 listen Ana turn',
        '170 save turn Ana used=20 by=done',
        '170 end_turn Ana',
        '170 chime turn',
        '170 say Ben, did Ana hear you right? Say "yes", or add one thing, then "I\'m done".',
        '170 start_turn Ben 30',
        '170 listen Ben turn',
        '180 save turn Ben used=10 by=done',
        '180 end_turn Ben',
        '180 save step apology',
        '180 say Now an apology, each in turn. Name the hurt, own your part, and offer one small change. No excuses.',
        '180 chime turn',
        '180 say Ana, you have 2 minutes. Name the hurt, own your part in it, and offer one change. Say "I\'m done" at the end.',
        '180 start_turn Ana 120',
        '180 listen Ana turn',
        '210 say Take your time, Ana. Say "I\'m done" when you have finished.',
        '240 save turn Ana used=60 by=done',
        '240 end_turn Ana',
        '240 chime turn',
        '240 say Ben, you have 2 minutes. Name the hurt, own your part in it, and offer one change. Say "I\'m done" at the end.',
        '240 start_turn Ben 120',
        '240 listen Ben turn',
        '270 say Take your time, Ben. Say "I\'m done" when you have finished.',
        '300 save turn Ben used=60 by=done',
        '300 end_turn Ben',
        '300 save step plan',
        "300 say Let's make each change a small plan, not a promise. It is kept only if you both agree.",
        '300 say Ana, what one small change will you try? Or say "next" to skip.',
        '300 listen Ana item',
        '312 say The plan is: "I\'ll tell you before I leave a party". Ana, do you agree? Say yes, or no.',
        '312 listen Ana answer',
        '313 say Ben, do you agree too? Say yes, or no.',
        '313 listen Ben answer',
        "313 save plan I'll tell you before I leave a party",
        '313 say You both agreed. The plan is saved.',
        '313 say Ben, what one small change will you try? Or say "next" to skip.',
        '313 listen Ben item',
        '322 say The plan is: "I\'ll ask before I judge". Ana, do you agree? Say yes, or no.',
        '322 listen Ana answer',
        '323 say Ben, do you agree too? Say yes, or no.',
        '323 listen Ben answer',
        "323 say That's fine. Nothing is agreed unless you both want it.",
        "323 say Go ahead, Ben. I'm listening.",
        '323 listen Ben item',
        "325 say Okay, let's move on.",
        '325 save step appreciations',
        '325 say To close, one thing you appreciate about each other.',
        '325 say Ana, what do you appreciate about Ben?',
        '325 listen Ana item',
        '332 say I heard: "you came back to talk". Say "save it" to keep it, or "try again".',
        '332 listen Ana answer',
        '333 save appreciation you came back to talk',
        '333 say Saved.',
        '333 say Ben, what do you appreciate about Ana?',
        '333 listen Ben item',
        '342 say I heard: "you listened tonight". Say "save it" to keep it, or "try again".',
        '342 listen Ben answer',
        '343 save appreciation you listened tonight',
        '343 say Saved.',
        '343 save step closing',
        '343 say Thank you both. Making up takes courage.',
        '343 say Be gentle with each other tonight. Goodbye for now.',
        '343 chime end',
        '343 end completed',
    ]
    assert [(p.proposed_by, p.text) for p in d.saved(Plan)] == [
        ("Ana", "I'll tell you before I leave a party")]


def test_the_safety_note_comes_before_anything_else_is_asked() -> None:
    d = Driver.for_guide("repair")
    note = load_guide("repair").safety_note()
    assert "abuse or coercion" in note and "legal help" in note
    assert d.says()[:2] == ["Welcome. This is for making up after an argument.", note]


def in_plan() -> Driver:
    d = Driver.for_guide("repair")
    d.cmd("next")
    d.through_consent()
    d.through_turns()  # feelings
    d.through_turns()  # apology
    assert d.flow.state == "plan"
    return d


def test_a_no_at_consent_ends_gently_and_keeps_nothing() -> None:
    d = Driver.for_guide("repair")
    d.cmd("next")
    d.cmd("yes")
    d.cmd("no")
    assert d.end == End("declined")
    assert "when you both feel ready" in d.says()[-1]
    assert d.saved(TurnRecord) == []


def test_a_plan_is_kept_only_after_both_say_yes() -> None:
    d = in_plan()
    d.said("a walk after dinner")
    d.cmd("done")
    d.cmd("yes")  # Ana
    assert d.saved(Plan) == []  # one yes is not enough
    d.cmd("yes")  # Ben
    assert [p.text for p in d.saved(Plan)] == ["a walk after dinner"]


@pytest.mark.parametrize("answers", [("no",), ("yes", "no")])
def test_a_plan_is_not_kept_after_either_no(answers: tuple[str, ...]) -> None:
    d = in_plan()
    d.said("no phones in bed")
    d.cmd("done")
    for answer in answers:
        d.cmd(answer)
    assert d.saved(Plan) == []
    assert "Nothing is agreed unless you both want it." in d.says()[-2]
    assert d.flow.view().activity.speaker == "Ana"  # Ana may offer another


STOPS = {
    "cooldown": lambda d: None,
    "consent": lambda d: d.cmd("next"),
    "feelings": lambda d: (d.cmd("next"), d.through_consent(), d.wait(10)),
    "apology": lambda d: (d.cmd("next"), d.through_consent(), d.through_turns(), d.wait(10)),
    "plan": lambda d: (d.cmd("next"), d.through_consent(), d.through_turns(),
                       d.through_turns(), d.said("a walk"), d.cmd("done"), d.cmd("yes")),
    "appreciations": lambda d: (d.cmd("next"), d.through_consent(), d.through_turns(),
                                d.through_turns(), d.cmd("next"), d.cmd("next"),
                                d.said("you stayed"),
                                d.wait(3)),
}


@pytest.mark.parametrize("state", STOPS)
def test_stop_ends_from_every_state_and_keeps_only_what_was_confirmed(state: str) -> None:
    d = Driver.for_guide("repair")
    STOPS[state](d)
    assert d.flow.state == state
    d.cmd("stop")
    assert d.end == End("stopped")
    assert "Everything you saved is kept" in d.last_say()
    assert d.saved(Plan) == [] and d.saved(Appreciation) == []  # none was confirmed
    if state in ("feelings", "apology"):
        assert d.saved(TurnRecord)[-1].ended_by == "stop"
    assert d.cmd("next") == []
