"""Voices told apart, on the fake clock: the listener's words are the listener's, talking
over the speaker gets one kind reminder a turn, back-channels never count.

The attribution engine is not here: the `VoiceAttributed` events it will send are fed by
hand, with the audio clock equal to the session clock (as in a replayed recording).
"""

from __future__ import annotations

import pytest

from assistant.flow.events import (
    Command,
    CommandName,
    Save,
    SpeechEnded,
    SpeechStarted,
    TurnRecord,
    VoiceAttributed,
    VoiceConsent,
)
from assistant.flow.steps import TurnView
from tests.flow.driver import Driver, plain_turns

REMINDER_BEN = "Ben, this is Ana's time. Yours comes next."
REMINDER_ANA = "Ana, this is Ben's time. Yours comes next."


def start_speech(d: Driver) -> None:
    d.feed(SpeechStarted(d.now, audio_time=d.now))


def end_speech(d: Driver, seconds: float) -> None:
    d.feed(SpeechEnded(d.now, seconds, audio_time=d.now))


def voice(d: Driver, who: str | None, seconds: float, piece: float = 0.5) -> None:
    """`who` speaks for `seconds` from now, reported in pieces as it goes (each piece
    arrives when it ends: well within the 1.5 s the adapter is allowed)."""
    start = d.now
    while d.now < start + seconds - 1e-9:
        begin = d.now
        d.at(min(begin + piece, start + seconds))
        d.feed(VoiceAttributed(d.now, begin, d.now, who))


def turn_records(d: Driver) -> list[TurnRecord]:
    return d.saved(TurnRecord)


def in_ana_turn(guide: str = "daily") -> Driver:
    d = Driver.for_guide(plain_turns(guide) if guide == "weekly" else guide).through_consent()
    view = d.flow.view().activity
    assert isinstance(view, TurnView) and view.speaker == "Ana"
    return d


def test_the_listeners_interjection_is_charged_to_the_listener() -> None:
    d = in_ana_turn()
    start_speech(d)
    voice(d, "Ana", 10)
    voice(d, "Ben", 2)  # under the limit: no reminder, but it is Ben's speech
    voice(d, "Ana", 8)
    end_speech(d, 20)
    view = d.flow.view()
    assert view.activity == TurnView("Ana", pytest.approx(160), 180, pytest.approx(18),
                                     pytest.approx(2))
    assert view.talk == {"Ana": pytest.approx(18), "Ben": pytest.approx(2)}
    d.cmd("done")
    [record] = turn_records(d)
    assert (record.partner, record.speech, record.listener_speech) == ("Ana", 18, 2)
    assert record.interruptions == 0
    start_speech(d)
    voice(d, "Ben", 30)
    end_speech(d, 30)
    d.cmd("done")
    d.cmd("next")
    d.cmd("next")
    assert "Thank you both. Ana spoke for 18 seconds, and Ben for 32 seconds." in d.says()
    assert REMINDER_BEN not in d.says()


def test_without_attribution_everything_in_a_turn_stays_the_speakers() -> None:
    d = in_ana_turn()
    start_speech(d)
    d.wait(20)
    end_speech(d, 20)
    d.cmd("done")
    [record] = turn_records(d)
    assert (record.speech, record.listener_speech, record.interruptions) == (20, 0, 0)


def test_unsure_and_the_speakers_own_voice_stay_the_speakers() -> None:
    d = in_ana_turn()
    start_speech(d)
    voice(d, None, 6)
    voice(d, "Ana", 6)
    end_speech(d, 12)
    d.cmd("done")
    [record] = turn_records(d)
    assert (record.speech, record.listener_speech, record.interruptions) == (12, 0, 0)
    assert REMINDER_BEN not in d.says()


def test_talking_over_gets_one_reminder_a_turn_when_the_limit_is_reached() -> None:
    d = in_ana_turn()
    start_speech(d)
    voice(d, "Ana", 5)
    began = d.now
    voice(d, "Ben", 4)
    assert d.says().count(REMINDER_BEN) == 1
    [said_at] = [t for t, a in d.log if getattr(a, "text", "") == REMINDER_BEN]
    assert said_at == began + 3.0  # the piece that reached 3 s, not later
    voice(d, "Ana", 5)
    voice(d, "Ben", 5)  # a second time: counted, never said twice
    end_speech(d, 19)
    assert d.says().count(REMINDER_BEN) == 1
    d.cmd("done")
    [record] = turn_records(d)
    assert (record.interruptions, record.interrupted_seconds) == (2, 9)
    assert (record.speech, record.listener_speech) == (10, 9)
    start_speech(d)  # Ben's turn: now Ana is the listener, and gets her own reminder
    voice(d, "Ben", 2)
    voice(d, "Ana", 3.5)
    assert d.says().count(REMINDER_ANA) == 1


def test_back_channels_never_count_not_even_added_up() -> None:
    d = in_ana_turn()
    start_speech(d)
    for _ in range(20):  # "mm", "yes": 0.4 s each, a second apart: 8 s in all
        voice(d, "Ana", 1.0)
        voice(d, "Ben", 0.4, piece=0.4)
    end_speech(d, 28)
    d.cmd("done")
    [record] = turn_records(d)
    assert REMINDER_BEN not in d.says()
    assert record.interruptions == 0
    assert record.listener_speech == pytest.approx(8)  # still Ben's speech, though


def test_a_lower_limit_from_the_settings_is_used() -> None:
    guide = Driver.for_guide("daily").flow.guide.with_settings(interruption_seconds=1.5)
    d = Driver.for_guide(guide).through_consent()
    start_speech(d)
    voice(d, "Ben", 1.5)
    assert REMINDER_BEN in d.says()


def test_no_reminder_once_the_speakers_time_is_up() -> None:
    d = in_ana_turn()
    start_speech(d)
    voice(d, "Ana", 181)  # past time (the daily turn is 3 minutes): finish up is asked
    assert "Ana, your time is up. Please finish your thought." in d.says()
    voice(d, "Ben", 4)
    assert REMINDER_BEN not in d.says()
    end_speech(d, 185)
    d.cmd("done")
    [record] = turn_records(d)
    assert (record.interruptions, record.listener_speech) == (0, 4)


def test_what_is_said_during_a_pause_is_nobodys_and_a_stretch_does_not_span_it() -> None:
    d = in_ana_turn()
    start_speech(d)
    voice(d, "Ben", 2)
    d.cmd("pause")
    voice(d, "Ben", 10)  # on hold: not heard by the turn
    d.cmd("continue")
    voice(d, "Ben", 2)  # 2 + 2 s, but a pause between: two stretches, none reaches 3 s
    assert REMINDER_BEN not in d.says()
    voice(d, "Ben", 1.5)  # this stretch reaches 3.5 s
    assert d.says().count(REMINDER_BEN) == 1
    d.cmd("done")
    record = turn_records(d)[0]
    assert record.listener_speech == pytest.approx(5.5)
    assert record.interruptions == 1


def test_stop_during_an_interruption_keeps_the_turns_numbers() -> None:
    d = in_ana_turn()
    start_speech(d)
    voice(d, "Ana", 4)
    voice(d, "Ben", 3.5)
    d.feed(Command(d.now, CommandName.STOP))
    [record] = turn_records(d)
    assert record.ended_by == "stop"
    assert (record.speech, record.listener_speech, record.interruptions) == (4, 3.5, 1)
    assert d.end is not None and d.end.reason == "stopped"


def test_pieces_from_before_the_turns_own_speech_belong_to_the_turn_before() -> None:
    d = in_ana_turn()
    start_speech(d)
    voice(d, "Ana", 5)
    end_speech(d, 5)
    d.cmd("done")
    late = VoiceAttributed(d.now + 0.5, d.now - 1.0, d.now, "Ana")  # Ana's last second
    d.feed(late)
    d.wait(1)
    start_speech(d)
    voice(d, "Ben", 4)
    end_speech(d, 4)
    d.cmd("done")
    assert [(r.partner, r.speech, r.listener_speech) for r in turn_records(d)] == [
        ("Ana", 5, 0), ("Ben", 4, 0)]


def test_in_a_reflection_the_roles_follow_who_holds_the_floor() -> None:
    d = Driver.for_guide("weekly").through_consent()
    d.wait(5)
    d.cmd("done")  # Ana shared; now Ben says back what he heard
    view = d.flow.view().activity
    assert isinstance(view, TurnView) and view.speaker == "Ben"
    start_speech(d)
    voice(d, "Ben", 4)
    voice(d, "Ana", 3)
    assert REMINDER_ANA in d.says()
    end_speech(d, 7)
    d.cmd("done")
    record = turn_records(d)[-1]
    assert (record.partner, record.speech, record.listener_speech) == ("Ben", 4, 3)


def test_the_pause_suggestion_names_nobody() -> None:
    d = in_ana_turn()
    start_speech(d)
    voice(d, "Ben", 2)
    d.raised()
    suggestion = d.last_say()
    assert "Would you like a short pause?" in suggestion
    assert "Ana" not in suggestion and "Ben" not in suggestion


# ------------------------------------------------------------------ consent


def consent_driver(typed: bool = False) -> Driver:
    return Driver.for_guide("daily", ask_voice_consent=True, typed=typed)


def test_both_yes_keeps_both_consents_then_the_checkin_goes_on() -> None:
    d = consent_driver()
    d.cmd("yes")
    d.cmd("yes")  # both said yes to the check-in; now the voices are asked about
    assert d.last_say().startswith("Ana, may I learn how your voice sounds")
    assert d.flow.state == "consent"
    d.cmd("yes")
    assert d.last_say() == "Ben, may I learn yours too? Say yes, or no."
    d.cmd("yes")
    assert [(c.partner, c.given) for c in d.saved(VoiceConsent)] == [("Ana", True),
                                                                      ("Ben", True)]
    assert "Thank you both. I'll learn your voices as you talk." in d.says()
    assert d.flow.state != "consent"


def test_a_no_is_kept_the_other_is_not_asked_and_the_checkin_goes_on() -> None:
    d = consent_driver()
    d.through_consent()
    d.cmd("no")
    assert [(c.partner, c.given) for c in d.saved(VoiceConsent)] == [("Ana", False)]
    assert "That's fine. I won't learn your voices." in d.says()
    assert not any("may I learn yours too" in s for s in d.says())
    assert d.end is None and d.flow.state != "consent"


def test_the_second_partners_no_is_kept_too() -> None:
    d = consent_driver()
    d.through_consent()
    d.cmd("yes")
    d.cmd("no")
    assert [(c.partner, c.given) for c in d.saved(VoiceConsent)] == [("Ana", True),
                                                                      ("Ben", False)]
    assert d.last_say() != "Thank you both. I'll learn your voices as you talk."


def test_an_unclear_answer_to_the_voice_question_is_asked_again_not_taken() -> None:
    d = consent_driver()
    d.through_consent()
    d.said("maybe later")
    d.cmd("again")
    assert d.saved(VoiceConsent) == []
    assert "Please say yes, or no." in d.says()
    d.cmd("repeat")
    assert d.last_say().startswith("Ana, may I learn how your voice sounds")


def test_typed_the_voice_question_asks_to_type() -> None:
    d = consent_driver(typed=True)
    d.through_consent()
    assert d.last_say().endswith("Type yes, or no.")


def test_not_asked_when_the_journal_has_an_answer_or_voices_are_not_wanted() -> None:
    d = Driver.for_guide("daily").through_consent()
    assert d.saved(VoiceConsent) == []
    assert not any("may I learn" in s for s in d.says())
    assert not any(isinstance(a, Save) and isinstance(a.record, VoiceConsent)
                   for _, a in d.log)


def test_a_piece_sent_twice_or_overlapping_is_counted_once() -> None:
    from assistant.flow.voices import FloorShare

    share = FloorShare("Ben", interruption_seconds=3.0)
    assert not share.piece(0.0, 1.0, "Ben")  # before any speech in the turn: not this turn's
    share.speech_started(0.5)
    share.piece(0.0, 1.0, "Ben")  # only the half after the turn's speech began
    share.piece(0.5, 1.0, "Ben")  # the same again
    share.piece(0.8, 2.0, "Ben")  # overlapping the last
    assert share.listener_speech == pytest.approx(1.5)
    assert share.piece(2.2, 3.5, "Ben")  # 0.5 .. 3.5: three seconds in one stretch
    assert (share.interruptions, share.interrupted_seconds) == (1, pytest.approx(3.0))
    assert not share.piece(3.5, 4.0, "Ben")  # the same stretch goes on: longer, not another
    assert (share.interruptions, share.interrupted_seconds) == (1, pytest.approx(3.5))
