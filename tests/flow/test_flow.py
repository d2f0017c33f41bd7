"""The check-in flow, driven by events and a fake clock (no audio, no sleeps)."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.flow.events import (
    Appreciation,
    Cause,
    End,
    EndTurn,
    HeatRecord,
    PauseEnded,
    PauseStarted,
    Ritual,
    Say,
    SpeechEnded,
    SpeechStarted,
    StartTurn,
    TurnRecord,
)
from assistant.flow.machine import CheckinFlow, FlowContext
from assistant.guides import load_guide
from tests.flow.driver import Driver, plain_turns
from tests.support.flow_log import compact

TURN = 300.0  # the weekly guide's default turn


def in_sharing() -> Driver:
    """The weekly sharing round as plain equal turns (reflection: test_reflect.py)."""
    d = Driver.for_guide(plain_turns("weekly")).through_consent()
    assert d.flow.state == "sharing"
    return d



def test_whole_weekly_checkin_exact_sequence() -> None:
    d = Driver.for_guide("weekly", today=date(2026, 11, 23))
    d.at(6).cmd("yes")
    d.at(7).cmd("yes")
    d.at(60).said("I noticed we stopped walking together")
    d.at(100).cmd("done")  # Ana passes early
    d.at(110).said("what I heard is you miss our walks")  # Ben says back what he heard
    d.at(112).cmd("done")
    d.at(114).cmd("yes")  # Ana: "yes, that's it"
    d.at(114 + TURN + 5)  # Ben stays silent: nudges, then time's up
    d.at(414 + 60 + 30 + 5)  # Ana's reflection and Ben's check pass in silence
    # causes: three, then "next"
    for t, text in ((524, "work hours"), (534, "my phone"), (544, "stress at home")):
        d.at(t).said(text)
        d.at(t + 3).cmd("save")
    d.at(554).cmd("next")
    # how each feels loved, offered: Ana's answer is kept, Ben passes
    d.at(556).cmd("yes")
    d.at(557).said("time together")
    d.at(560).cmd("save")
    d.at(562).cmd("next")
    # rituals: each proposed, both say yes
    d.at(574).said("a ten minute check-in every night")
    d.at(577).cmd("yes")
    d.cmd("yes")
    d.at(584).said("a walk on Saturday")
    d.at(587).cmd("yes")
    d.cmd("yes")
    # the shared activity, offered: Ana's idea is agreed, and one is enough
    d.at(589).cmd("yes")
    d.at(590).said("a cooking class")
    d.at(593).cmd("yes")
    d.cmd("yes")
    # ask, don't assume: skipped this week
    d.at(595).cmd("next")
    # appreciations
    d.at(604).said("you made me laugh this week")
    d.at(607).cmd("save")
    d.at(614).said("you cooked for us")
    d.at(617).cmd("save")
    assert compact(d) == [
        '0 save step welcome',
        '0 say Welcome. Thank you both for making time for this.',
        '0 say The goal today is understanding, not blame.',
        '0 say Please speak in "I" statements, like "I feel" or "I noticed".',
        '0 say Say "pause" at any time, and we\'ll take a break.',
        '0 say This is not therapy. If there is abuse or coercion, please put safety first and seek professional or legal help.',
        '0 save step consent',
        '0 say Ana, are you ready to begin? Say yes, or no.',
        '0 listen Ana answer',
        '6 say Ben, are you ready to begin? Say yes, or no.',
        '6 listen Ben answer',
        '7 save step sharing',
        "7 say Each of you gets the same time to share what you've noticed lately. The other listens, then says back what they heard.",
        '7 chime turn',
        '7 say Ana, you have 5 minutes. Start with "I noticed" or "I feel". Say "I\'m done" when you\'re finished.',
        '7 start_turn Ana 300',
        '7 listen Ana turn',
        '37 say Take your time, Ana. Say "I\'m done" when you have finished.',
        '90 say Take your time, Ana. Say "I\'m done" when you have finished.',
        '100 save turn Ana used=93 by=done',
        '100 end_turn Ana',
        '100 chime turn',
        '100 say Ben, you have 1 minute to tell Ana what you heard. Start with "What I heard is".',
        '100 start_turn Ben 60',
        '100 listen Ben turn',
        '112 save turn Ben used=12 by=done',
        '112 end_turn Ben',
        '112 chime turn',
        '112 say Ana, did Ben hear you right? Say "yes", or add one thing, then "I\'m done".',
        '112 start_turn Ana 30',
        '112 listen Ana turn',
        '114 save turn Ana used=2 by=done',
        '114 end_turn Ana',
        '114 chime turn',
        '114 say Ben, you have 5 minutes. Start with "I noticed" or "I feel". Say "I\'m done" when you\'re finished.',
        '114 start_turn Ben 300',
        '114 listen Ben turn',
        '144 say Take your time, Ben. Say "I\'m done" when you have finished.',
        '354 chime warning',
        '354 say Ben, about 1 minute left.',
        "414 say Time's up. Thank you, Ben.",
        '414 save turn Ben used=300 by=time',
        '414 end_turn Ben',
        '414 chime turn',
        '414 say Ana, you have 1 minute to tell Ben what you heard. Start with "What I heard is".',
        '414 start_turn Ana 60',
        '414 listen Ana turn',
        '444 say Take your time, Ana. Say "I\'m done" when you have finished.',
        "474 say Time's up. Thank you, Ana.",
        '474 save turn Ana used=60 by=time',
        '474 end_turn Ana',
        '474 chime turn',
        '474 say Ben, did Ana hear you right? Say "yes", or add one thing, then "I\'m done".',
        '474 start_turn Ben 30',
        '474 listen Ben turn',
        "504 say Time's up. Thank you, Ben.",
        '504 save turn Ben used=30 by=time',
        '504 end_turn Ben',
        '504 save step causes',
        "504 say Now let's name what has pulled you apart. Things like work hours, stress, or screens. Take turns.",
        '504 say Ana, name one thing that has pulled you apart.',
        '504 listen Ana item',
        '526 say I heard: "work hours". Say "save it" to keep it, or "try again".',
        '526 listen Ana answer',
        '527 save cause work hours',
        '527 say Saved.',
        '527 say Ben, name one thing that has pulled you apart.',
        '527 listen Ben item',
        '536 say I heard: "my phone". Say "save it" to keep it, or "try again".',
        '536 listen Ben answer',
        '537 save cause my phone',
        '537 say Saved.',
        '537 say Ana, name one thing that has pulled you apart.',
        '537 listen Ana item',
        '546 say I heard: "stress at home". Say "save it" to keep it, or "try again".',
        '546 listen Ana answer',
        '547 save cause stress at home',
        '547 say Saved.',
        '547 say Ben, is there another cause? Say it, or say "next" to move on.',
        '547 listen Ben item',
        "554 say Okay, let's move on.",
        '554 save step loved',
        '554 say Would you like to tell each other what makes you feel most loved? Say yes, or "next" to skip.',
        '554 listen None answer',
        '556 say People feel loved in different ways: kind words, time together, a helping hand, a small gift, or a hug.',
        '556 say Ana, what makes you feel most loved by Ben?',
        '556 listen Ana item',
        '559 say I heard: "time together". Say "save it" to keep it, or "try again".',
        '559 listen Ana answer',
        '560 save loved time together',
        '560 say Saved.',
        '560 say Ben, what makes you feel most loved by Ana?',
        '560 listen Ben item',
        "562 say Okay, let's move on.",
        '562 save step rituals',
        "562 say Let's choose two small rituals to try for four weeks. For example, a ten-minute check-in each night, or a walk at the weekend.",
        '562 say For Ana, love looks like: "time together".',
        '562 say Ana, suggest one small ritual.',
        '562 listen Ana item',
        '576 say The idea is: "a ten minute check-in every night". Ana, do you agree? Say yes, or no.',
        '576 listen Ana answer',
        '577 say Ben, do you agree too? Say yes, or no.',
        '577 listen Ben answer',
        '577 save ritual a ten minute check-in every night',
        "577 say You both agreed. It's saved.",
        '577 say Ben, suggest one small ritual.',
        '577 listen Ben item',
        '586 say The idea is: "a walk on Saturday". Ana, do you agree? Say yes, or no.',
        '586 listen Ana answer',
        '587 say Ben, do you agree too? Say yes, or no.',
        '587 listen Ben answer',
        '587 save ritual a walk on Saturday',
        "587 say You both agreed. It's saved.",
        '587 save step activity',
        '587 say Would you like to plan one shared activity, two or three hours you both enjoy, within two weeks? Say yes, or "next" to skip.',
        '587 listen None answer',
        '589 say Each of you can suggest one. Something new is lovely, like cooking together, a class, or a museum.',
        '589 say Ana, what would you enjoy doing together?',
        '589 listen Ana item',
        '592 say The idea is: "a cooking class". Ana, do you agree? Say yes, or no.',
        '592 listen Ana answer',
        '593 say Ben, do you agree too? Say yes, or no.',
        '593 listen Ben answer',
        '593 save activity a cooking class',
        "593 say You both agreed. It's saved.",
        "593 say Let's aim for it by Monday, December 7. I'll ask how it went at your next review.",
        '593 save step support',
        '593 say Would you like to ask each other what would help this week? Say yes, or "next" to skip.',
        '593 listen None answer',
        "595 say Okay, let's move on.",
        '595 save step appreciations',
        '595 say To finish, tell each other one specific thing you appreciate.',
        '595 say Ana, what do you appreciate about Ben?',
        '595 listen Ana item',
        '606 say I heard: "you made me laugh this week". Say "save it" to keep it, or "try again".',
        '606 listen Ana answer',
        '607 save appreciation you made me laugh this week',
        '607 say Saved.',
        '607 say Ben, what do you appreciate about Ana?',
        '607 listen Ben item',
        '616 say I heard: "you cooked for us". Say "save it" to keep it, or "try again".',
        '616 listen Ben answer',
        '617 save appreciation you cooked for us',
        '617 say Saved.',
        '617 save step closing',
        '617 say Thank you both. Ana spoke for 2 minutes 35 seconds, and Ben for 5 minutes 40 seconds.',
        "617 say Your first review is in two weeks, on Monday, December 7. I'll remind you.",
        '617 say Ana, you might send Ben a short, kind text this week, maybe twice. Tonight\'s words could be the first: "you made me laugh this week"',
        '617 say Ben, you might send Ana a short, kind text this week, maybe twice. Tonight\'s words could be the first: "you cooked for us"',
        '617 say Progress comes in small steps. Goodbye for now.',
        '617 chime end',
        '617 end completed',
    ]


def test_turns_are_equal_and_recorded() -> None:
    d = in_sharing()
    d.wait(50)
    d.cmd("done")
    d.wait(TURN + 10)
    starts = d.of(StartTurn)
    assert [s.partner for s in starts] == ["Ana", "Ben"]
    assert starts[0].seconds == starts[1].seconds == TURN
    turns = d.saved(TurnRecord)
    assert [(t.partner, t.allotted, t.ended_by) for t in turns] == [
        ("Ana", TURN, "done"), ("Ben", TURN, "time")]
    assert turns[0].used == pytest.approx(50)
    assert turns[1].used == pytest.approx(TURN)


def test_one_minute_warning_comes_once_at_the_right_second() -> None:
    d = in_sharing()
    start = d.now
    d.wait(TURN - 60 - 1)
    assert not any("left" in s for s in d.says())
    d.speech(2)  # keeps talking through the warning
    warnings = [s for s in d.says() if "about 1 minute left" in s]
    assert warnings == ["Ana, about 1 minute left."]
    warn_time = [t for t, a in d.log if isinstance(a, Say) and "about 1 minute" in a.text][0]
    assert warn_time - start == pytest.approx(TURN - 60)


def test_early_pass_gives_the_next_partner_the_full_allotment() -> None:
    d = in_sharing()
    d.wait(20)
    d.cmd("done")
    ben = d.of(StartTurn)[1]
    assert ben.partner == "Ben" and ben.seconds == TURN
    assert d.flow.view().activity.remaining == pytest.approx(TURN)


def test_silence_nudge_after_30_seconds_not_while_speaking_and_not_twice() -> None:
    d = in_sharing()
    d.speech(20)  # talking: no nudge however long
    d.wait(29)
    assert not any("Take your time" in s for s in d.says())
    d.wait(1)
    assert sum("Take your time, Ana" in s for s in d.says()) == 1
    d.wait(40)
    assert sum("Take your time, Ana" in s for s in d.says()) == 1  # once per silence
    d.speech(1)  # talk again, heard as it happens...
    d.said("well")  # ...and its words
    d.wait(30)
    assert sum("Take your time, Ana" in s for s in d.says()) == 2


def test_times_up_while_silent_hands_over_at_once() -> None:
    d = in_sharing()
    start = d.now
    d.speech(10)
    d.at(start + TURN)
    ends = d.times_of(EndTurn)
    assert ends == [pytest.approx(start + TURN)]
    assert "Time's up. Thank you, Ana." in d.says()


def test_words_transcribed_after_the_speaker_stopped_are_no_talk_going_on() -> None:
    """The hearing reports a spoken turn's speech as it happens; its words can come
    seconds later (Whisper transcribes a turn's window after a 2 s pause). The speaker
    stopped 4 s before the allotment ran out: time's up, not "please finish"."""
    d = in_sharing()
    start = d.now
    d.at(start + TURN - 14)
    d.speech(10)
    d.wait(2)
    d.said("and that is how I felt")
    d.at(start + TURN)
    assert "Time's up. Thank you, Ana." in d.says()
    assert d.times_of(EndTurn) == [pytest.approx(start + TURN)]


def test_speaker_who_keeps_going_gets_a_finish_request_then_a_firmer_reminder() -> None:
    d = in_sharing()
    start = d.now
    d.at(start + TURN - 5)
    d.speech(30)  # talks from 5 s before time to 25 s past it
    says = d.says()
    assert "Ana, your time is up. Please finish your thought." in says
    assert "Ana, let's stop here, so Ben gets the same time." in says
    turn = d.saved(TurnRecord)[0]
    assert turn.ended_by == "overrun"
    assert turn.used == pytest.approx(TURN + 20)
    assert d.of(StartTurn)[1].seconds == TURN  # Ben still gets exactly the same


def test_speaker_who_finishes_after_time_is_thanked_and_handed_over() -> None:
    d = in_sharing()
    start = d.now
    d.at(start + TURN - 2)
    d.speech(6)  # 4 s past time, then stops
    d.wait(3)
    turn = d.saved(TurnRecord)[0]
    assert turn.ended_by == "time"
    assert "Thank you, Ana." in d.says()
    assert turn.speech == pytest.approx(6)


def test_pause_and_resume_keeps_the_remaining_time_to_the_second() -> None:
    d = in_sharing()
    start = d.now
    d.at(start + 100)
    d.cmd("pause")
    assert d.flow.state == "paused"
    assert d.of(PauseStarted)[0].seconds == 600
    assert any("Breathe in" in s for s in d.says())
    d.wait(600)  # the whole cool-down; the pause ends by itself
    assert d.flow.state == "sharing"
    assert d.of(PauseEnded)
    resumed_at = d.now
    assert "Ana, you have 3 minutes 20 seconds left." in d.says()
    assert d.flow.view().activity.remaining == pytest.approx(200)
    d.speech(1)
    d.at(resumed_at + 200)
    assert d.times_of(EndTurn) == [pytest.approx(resumed_at + 200)]
    assert d.saved(TurnRecord)[0].used == pytest.approx(TURN)
    heat = d.saved(HeatRecord)
    assert [(h.kind, h.step) for h in heat] == [("pause", "sharing")]


def test_continue_ends_the_pause_early() -> None:
    d = in_sharing()
    d.wait(30)
    d.cmd("pause")
    d.wait(90)
    d.cmd("continue")
    assert d.flow.state == "sharing"
    assert d.flow.view().activity.remaining == pytest.approx(TURN - 30)


def test_pause_reminds_to_breathe_and_warns_before_the_end() -> None:
    d = in_sharing()
    d.cmd("pause")
    d.wait(599)
    breathing = [s for s in d.says() if s.startswith("Breathe in")]
    assert len(breathing) == 1 + 8  # at the start, then each minute until the last one
    assert "One more minute of quiet, then we'll come back." in d.says()


def test_raised_voice_offers_a_pause_and_yes_starts_it() -> None:
    d = in_sharing()
    d.wait(40)
    d.raised()
    assert d.flow.state == "pause_offer"
    assert "Voices are getting louder" in d.last_say()
    d.wait(5)  # the question holds the clock
    d.cmd("yes")
    assert d.flow.state == "paused"
    d.cmd("continue")
    assert d.flow.view().activity.remaining == pytest.approx(TURN - 40)
    heat = d.saved(HeatRecord)[0]
    assert (heat.kind, heat.level_db, heat.baseline_db) == ("voice", -12.0, -22.0)


def test_declined_pause_goes_back_to_the_same_turn() -> None:
    d = in_sharing()
    d.wait(40)
    d.raised()
    d.cmd("no")
    assert d.flow.state == "sharing"
    assert "Okay. Let's go on, gently." in d.says()
    assert d.flow.view().activity.speaker == "Ana"


def test_third_heat_event_suggests_ending_and_therapy() -> None:
    d = in_sharing()
    d.raised()
    d.cmd("no")
    d.cmd("pause")
    d.cmd("continue")
    d.raised()
    assert d.flow.state == "heat_check"
    assert "couples therapist" in d.last_say()
    d.cmd("yes")
    assert d.end == End("heat")
    assert d.saved(TurnRecord)[0].ended_by == "stop"  # the turn's numbers are kept
    assert len(d.saved(HeatRecord)) == 3


def test_third_heat_event_declined_carries_on_and_pause_still_happens() -> None:
    d = in_sharing()
    d.raised()
    d.cmd("no")
    d.raised()
    d.cmd("no")
    d.cmd("pause")  # the third heat event is a partner asking for a pause
    assert d.flow.state == "heat_check"
    d.cmd("no")
    assert d.flow.state == "paused"
    d.cmd("continue")
    assert d.flow.state == "sharing"


def test_repeat_says_the_last_prompt_again() -> None:
    d = in_sharing()
    prompt = [s for s in d.says() if s.startswith("Ana, you have")][0]
    d.wait(10)
    d.cmd("repeat")
    assert d.last_say() == prompt
    d.raised()
    d.cmd("repeat")
    assert "Voices are getting louder" in d.last_say()


def name_causes(d: Driver, *causes: str) -> None:
    for cause in causes:
        d.said(cause)
        d.cmd("done")
        d.cmd("save")


def stop_points() -> dict[str, object]:
    def consent(d: Driver) -> None:
        pass

    def sharing(d: Driver) -> None:
        d.through_consent()
        d.wait(10)

    def causes(d: Driver) -> None:
        sharing(d)
        d.through_turns()
        d.said("work")

    def rituals(d: Driver) -> None:
        causes(d)
        d.wait(3)
        d.cmd("save")
        name_causes(d, "screens", "stress")
        d.cmd("next")
        d.cmd("next")  # how each feels loved: offered, skipped

    def activity(d: Driver) -> None:  # offered: waiting for yes or next
        rituals(d)
        d.cmd("next")
        d.cmd("next")

    def support(d: Driver) -> None:  # accepted: Ben's answer being read back
        activity(d)
        d.cmd("next")
        d.cmd("yes")
        d.said("a quiet evening")
        d.wait(3)

    def appreciations(d: Driver) -> None:
        activity(d)
        d.cmd("next")
        d.cmd("next")
        d.said("you listen")
        d.wait(3)

    def pause_offer(d: Driver) -> None:
        sharing(d)
        d.raised()

    def paused(d: Driver) -> None:
        sharing(d)
        d.cmd("pause")

    def heat_check(d: Driver) -> None:
        sharing(d)
        d.cmd("pause")
        d.cmd("continue")
        d.cmd("pause")
        d.cmd("continue")
        d.raised()

    def microphone_lost(d: Driver) -> None:
        sharing(d)
        d.lost()

    return {f.__name__: f for f in (consent, sharing, causes, rituals, activity, support,
                                    appreciations, pause_offer, paused, heat_check,
                                    microphone_lost)}


@pytest.mark.parametrize("state", list(stop_points()))
def test_stop_ends_from_every_state_and_keeps_what_was_confirmed(state: str) -> None:
    d = Driver.for_guide("weekly")
    stop_points()[state](d)  # type: ignore[operator]
    assert d.flow.state == state
    saved_before = len(d.saved(Cause))
    d.cmd("stop")
    assert d.end == End("stopped")
    assert d.flow.state == "ended"
    assert "Everything you saved is kept" in d.last_say()
    assert len(d.saved(Cause)) == saved_before  # nothing unconfirmed is added
    assert d.cmd("next") == []  # an ended flow does nothing more


def test_appreciation_is_kept_only_after_save_it_and_retry_replaces_it() -> None:
    d = Driver.for_guide("daily").through_consent()
    d.cmd("done")
    d.cmd("done")
    assert d.flow.state == "appreciations"
    d.said("you make me", 0.8)
    d.said("laugh", 0.6)
    d.wait(1)
    assert not any("I heard" in s for s in d.says())  # still listening: not finished
    d.wait(1.5)
    assert d.last_say() == 'I heard: "you make me laugh". Say "save it" to keep it, or "try again".'
    d.cmd("again")
    assert d.last_say() == "Go ahead, Ana. I'm listening."
    d.said("you make me laugh every day", 0.9)
    d.cmd("done")  # "I'm done" ends the item but is not part of it
    d.cmd("save")
    kept = d.saved(Appreciation)
    assert [(a.from_partner, a.to_partner, a.text, a.confidence) for a in kept] == [
        ("Ana", "Ben", "you make me laugh every day", 0.9)]


def test_nothing_is_saved_without_confirmation() -> None:
    d = Driver.for_guide("daily").through_consent()
    d.cmd("done")
    d.cmd("done")
    d.said("thank you for the tea")
    d.wait(5)
    d.cmd("stop")
    assert d.saved(Appreciation) == []


def test_checkin_starts_only_when_both_say_yes() -> None:
    d = Driver.for_guide("weekly")
    d.cmd("yes")
    d.cmd("no")
    assert d.end == End("declined")
    assert d.of(StartTurn) == []
    assert "only go ahead when you both want to" in d.last_say()


def test_consent_needs_a_clear_answer() -> None:
    d = Driver.for_guide("weekly")
    d.said("maybe")
    assert d.last_say() == "Please say yes, or no."
    assert d.flow.state == "consent"


def test_ritual_counts_only_when_both_say_yes() -> None:
    d = in_sharing()
    d.cmd("done")
    d.cmd("done")
    d.cmd("next")  # one "next" before three causes skips only this ask
    assert d.flow.state == "causes"
    name_causes(d, "work", "screens", "stress")
    d.cmd("next")
    d.cmd("next")  # how each feels loved: offered, skipped
    assert d.flow.state == "rituals"
    d.said("no phones at dinner")
    d.cmd("done")
    d.cmd("yes")
    d.cmd("no")  # Ben does not agree
    assert d.saved(Ritual) == []
    assert "That's fine. Nothing is agreed unless you both want it." in d.says()
    d.said("a walk on Sundays")
    d.cmd("done")
    d.cmd("yes")
    d.cmd("yes")
    assert [r.text for r in d.saved(Ritual)] == ["a walk on Sundays"]


def test_device_lost_holds_everything_and_resumes_where_it_was() -> None:
    d = in_sharing()
    d.wait(60)
    d.lost()
    assert d.flow.state == "microphone_lost"
    assert "can't hear the microphone" in d.last_say()
    d.wait(120)
    d.cmd("next")  # nobody can be heard: nothing happens
    assert d.flow.state == "microphone_lost"
    d.back()
    assert d.flow.state == "sharing"
    assert d.flow.view().activity.remaining == pytest.approx(TURN - 60)


def test_device_lost_during_a_pause_returns_to_the_pause() -> None:
    d = in_sharing()
    d.cmd("pause")
    d.lost()
    d.back()
    assert d.flow.state == "paused"
    d.cmd("continue")
    assert d.flow.state == "sharing"


def test_turn_clock_waits_for_the_prompt_to_be_spoken_in_voice_mode() -> None:
    d = Driver.for_guide("weekly", wait_for_prompts=True)
    d.prompts_done()
    d.through_consent()
    d.wait(8)  # the assistant is still reading the turn prompt
    assert d.flow.view().activity.remaining == pytest.approx(TURN)
    d.prompts_done()
    d.wait(10)
    assert d.flow.view().activity.remaining == pytest.approx(TURN - 10)


def test_review_guide_reads_back_the_rituals_and_the_next_date() -> None:
    d = Driver.for_guide("review", rituals=("a walk on Sundays", "no phones at dinner"),
                         next_review=date(2026, 12, 21))
    d.through_consent()
    says = d.says()
    assert "a walk on Sundays." in says and "no phones at dinner." in says
    d.cmd("next")
    d.cmd("done")
    d.cmd("done")
    d.cmd("next")  # patterns: offered, skipped
    d.cmd("next")
    d.cmd("next")
    d.cmd("next")  # no adjustment from Ana
    d.cmd("next")  # nor from Ben
    d.cmd("next")
    d.cmd("next")
    assert d.end == End("completed")
    assert "Your next review is on Monday, December 21." in d.says()


def test_review_guide_without_rituals_says_so() -> None:
    d = Driver.for_guide("review").through_consent()
    assert d.last_say().startswith("I don't have any rituals saved yet.")


def test_talk_summary_uses_measured_speech_when_there_is_any() -> None:
    d = Driver.for_guide("daily").through_consent()
    d.speech(70)
    d.cmd("done")
    d.speech(40)
    d.cmd("done")
    d.cmd("next")
    d.cmd("next")
    assert "Thank you both. Ana spoke for 1 minute 10 seconds, and Ben for 40 seconds." \
        in d.says()
    assert d.flow.view().talk == {"Ana": pytest.approx(70), "Ben": pytest.approx(40)}


def test_flow_needs_two_names() -> None:
    with pytest.raises(ValueError):
        CheckinFlow(load_guide("daily"), FlowContext(("Ana", " ")))


def test_resume_starts_at_the_given_step() -> None:
    d = Driver.for_guide("weekly", resume_at="appreciations")
    assert d.flow.state == "appreciations"
    assert d.says()[-1] == "Ana, what do you appreciate about Ben?"


def test_resume_skips_what_was_already_confirmed_in_the_step() -> None:
    earlier = (TurnRecord("sharing", "Ana", TURN, 120.0, 100.0, "done"),
               TurnRecord("sharing", "Ben", TURN, 200.0, 180.0, "done"))
    d = Driver.for_guide("weekly", resume_at="appreciations", resume_done=1,
                         earlier_turns=earlier, earlier_heat=2)
    assert d.says()[-1] == "Ben, what do you appreciate about Ana?"  # Ana's is saved already
    assert d.flow.heat_count == 2
    d.said("you came back")
    d.cmd("done")
    d.cmd("save")
    assert "Thank you both. Ana spoke for 1 minute 40 seconds, and Ben for 3 minutes." in d.says()
    assert d.end == End("completed")


def test_resume_in_a_sharing_round_gives_the_second_partner_their_turn() -> None:
    d = Driver.for_guide("weekly", resume_at="sharing", resume_done=1)
    assert [s.partner for s in d.of(StartTurn)] == ["Ben"]


def test_a_say_step_can_wait_for_next() -> None:
    from assistant.guides import parse_data

    guide, problems = parse_data({
        "guide": {"name": "t"},
        "steps": [{"id": "hello", "kind": "say", "prompts": ["Hello."], "wait": True},
                  {"id": "bye", "kind": "closing", "prompts": ["Bye {a_name}."],
                   "goodbye": "Goodbye."}]})
    assert guide is not None, problems
    d = Driver.for_guide(guide)
    assert d.flow.state == "hello"
    d.cmd("next")
    assert d.end == End("completed")
    assert d.says() == ["Hello.", "Bye Ana.", "Goodbye."]


def test_a_trigger_the_table_does_not_allow_raises_naming_it_and_the_state() -> None:
    from transitions import MachineError

    from assistant.flow.holds import PauseOffer

    d = in_sharing()
    d.cmd("pause")
    assert d.flow.state == "paused"
    with pytest.raises(MachineError, match="advance.*paused"):
        d.flow.advance()
    with pytest.raises(MachineError, match="'paused' to 'pause_offer'"):
        d.flow.replace_hold(PauseOffer(d.flow))  # a question cannot follow its own answer
    assert d.flow.state == "paused"


def test_speech_still_open_when_a_turn_ends_belongs_to_that_turn() -> None:
    """Ana says "I'm done" while her sentence is still being measured: the part heard so
    far is hers, and the end of that stretch, reported in Ben's turn, is not his."""
    d = in_sharing()
    d.wait(10)
    d.speech(20)  # a whole stretch: 20 s
    d.feed(SpeechStarted(d.now))
    d.wait(5)
    d.cmd("done")  # mid-sentence
    d.feed(SpeechEnded(d.now, 5.2))  # the hearing closes her stretch as Ben's turn starts
    d.wait(10)
    d.cmd("done")
    ana, ben = d.saved(TurnRecord)
    assert ana.speech == pytest.approx(25.0) and ben.speech == 0.0
