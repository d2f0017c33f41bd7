"""No talking to itself: an unclear answer gets one reprompt, then the flow waits quietly.

Driven on the fake clock, in voice mode (prompts hold the flow until heard) and typed.
"""

from __future__ import annotations

from assistant.flow.events import Say
from tests.flow.driver import Driver

REPROMPT = "Please say yes, or no."


def says_after(d: Driver, mark: int) -> list[str]:
    return d.says()[mark:]


def test_a_reprompt_is_never_answered_while_it_is_still_being_spoken() -> None:
    d = Driver.for_guide("weekly", wait_for_prompts=True)
    d.prompts_done()
    mark = len(d.says())
    d.said("hmm")  # not yes or no
    assert says_after(d, mark) == [REPROMPT]
    # the reprompt's own echo (or talk over it) arrives before it has been heard
    d.said("please say yes or no")
    d.said("yes or no")
    assert says_after(d, mark) == [REPROMPT]
    assert d.flow.view().waiting_for is None


def test_after_two_unclear_answers_in_a_row_it_waits_quietly_and_shows_what_to_say() -> None:
    d = Driver.for_guide("weekly", wait_for_prompts=True)
    d.prompts_done()
    mark = len(d.says())
    d.said("hmm")
    d.prompts_done()  # the reprompt has been heard
    d.said("what")
    d.cmd("next")  # a command that is not an answer here
    assert says_after(d, mark) == [REPROMPT]
    assert d.flow.view().waiting_for == "yes_or_no"
    d.cmd("yes")  # a clear answer moves on, and the next question starts afresh
    assert d.last_say() == "Ben, are you ready to begin? Say yes, or no."
    assert d.flow.view().waiting_for is None
    d.prompts_done()
    d.said("eh")
    assert d.last_say() == REPROMPT


def test_typed_checkin_reprompts_once_per_question() -> None:
    d = Driver.for_guide("weekly")  # typed: no prompt is ever "still being spoken"
    mark = len(d.says())
    d.said("hmm")
    d.said("hmm")
    d.said("hmm")
    assert says_after(d, mark) == [REPROMPT]
    d.cmd("repeat")  # asking for the question again makes the next unclear answer count anew
    d.said("hmm")
    assert says_after(d, mark) == [REPROMPT, "Ana, are you ready to begin? Say yes, or no.",
                                   REPROMPT]


def test_pause_offer_and_rituals_use_the_same_rule() -> None:
    d = Driver.for_guide("weekly").through_consent()
    d.wait(5).raised()
    assert d.flow.state == "pause_offer"
    mark = len(d.says())
    d.cmd("repeat")
    mark = len(d.says())
    d.cmd("save")
    d.cmd("again")
    assert says_after(d, mark) == [REPROMPT]
    assert d.flow.view().waiting_for == "yes_or_no"
    d.cmd("no")
    assert d.flow.state == "sharing" and d.flow.view().waiting_for is None
    assert not [a for _, a in d.log[-3:] if isinstance(a, Say) and a.text == REPROMPT]
