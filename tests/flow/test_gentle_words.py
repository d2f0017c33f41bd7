"""Gentle words on the fake clock: blame in a sharing turn gets one tip after the turn,
at most once per partner; kind words with the same words get none; only counts leave
the turn; and the new seed steps (how each feels loved, patterns) keep only what was
confirmed."""

from __future__ import annotations

from dataclasses import replace

from assistant.flow.events import EndTurn, Loved, Pattern, Say, StartTurn, TurnRecord
from assistant.guides import load_guide
from tests.flow.driver import Driver, plain_turns

TIP = ('A small tip for next time: "I feel … when …" is often easier to hear than '
       '"you always" or "you never".')
ANA_BLAME = "You never listen to me and you always leave the dishes"


def sharing(**context: object) -> Driver:
    d = Driver.for_guide("weekly", **context).through_consent()
    assert d.flow.state == "sharing"
    return d


def test_blame_gets_one_tip_after_the_turn_and_kind_words_none() -> None:
    d = sharing()
    d.wait(20)
    d.said(ANA_BLAME)
    assert TIP not in d.says()  # never during the turn
    d.wait(5)
    d.cmd("done")  # Ana's turn ends
    d.cmd("done")  # Ben says back what he heard
    d.cmd("yes")  # Ana: that's it
    d.said("You always make me laugh")
    d.cmd("done")
    d.through_turns()
    assert d.says().count(TIP) == 1
    log = [a for _, a in d.log if isinstance(a, (Say, EndTurn, StartTurn))]
    tip = next(i for i, a in enumerate(log) if isinstance(a, Say) and a.text == TIP)
    assert log[tip - 1] == EndTurn("Ana")  # said right after Ana's turn ended
    assert isinstance(log[tip + 1], Say) and log[tip + 1].text.startswith("Ben, you have 1")
    ana, _, _, ben, _, _ = d.saved(TurnRecord)
    assert (ana.statements, ana.i_statements, ana.blame) == (2, 0, 2)
    assert (ben.statements, ben.i_statements, ben.blame) == (1, 0, 0)


def test_i_statements_are_counted_and_never_the_words() -> None:
    d = sharing()
    d.said("I noticed we stopped walking on Sundays.")
    d.said("I feel lonely when we don't talk, and I miss you.")
    d.cmd("done")
    record = d.saved(TurnRecord)[0]
    assert (record.statements, record.i_statements, record.blame) == (3, 3, 0)
    assert not any("walking" in str(v) for v in vars(record).values())
    assert TIP not in d.says()


def test_saying_back_what_was_heard_is_never_read() -> None:
    d = sharing()
    d.said("I feel unheard lately.")
    d.cmd("done")
    d.said("What I heard is: you never listen to me, you always leave the dishes")
    d.cmd("done")
    assert TIP not in d.says()
    reflect = d.saved(TurnRecord)[1]
    assert (reflect.statements, reflect.blame) == (0, 0)


def test_at_most_one_tip_per_partner_in_a_check_in() -> None:
    d = Driver.for_guide(plain_turns("repair"))
    d.cmd("next")  # the cool-down: "next" when calmer
    d.through_consent()
    assert d.flow.state == "feelings"
    for text in ("It's your fault we were late", "You never say sorry"):
        d.said(text)
        d.cmd("done")
    assert d.says().count(TIP) == 2  # one for Ana, one for Ben
    d.said("You always twist my words")  # the apology turns: Ana again
    d.cmd("done")
    assert d.says().count(TIP) == 2
    assert [t.blame for t in d.saved(TurnRecord)] == [1, 1, 1]


def test_a_stopped_turn_gets_no_tip() -> None:
    d = sharing()
    d.said(ANA_BLAME)
    d.cmd("stop")
    assert TIP not in d.says()
    assert d.saved(TurnRecord)[0].blame == 2  # counted all the same


def test_off_means_nothing_is_read_counted_or_said() -> None:
    d = sharing(gentle_words=False)
    d.said(ANA_BLAME)
    d.cmd("done")
    assert TIP not in d.says()
    assert d.saved(TurnRecord)[0].statements == 0


def test_a_partner_tipped_before_an_interruption_is_not_tipped_again() -> None:
    earlier = (TurnRecord("sharing", "Ana", 300, 40, 0, "done", statements=1, blame=1),)
    d = Driver.for_guide(plain_turns("weekly"), resume_at="sharing", resume_done=1,
                         earlier_turns=earlier)
    assert d.flow.state == "sharing"
    d.said("You never ask about my day")  # Ben's turn: his own tip
    d.cmd("done")
    assert d.says().count(TIP) == 1
    assert d.flow.gentle.tipped == {"Ana", "Ben"}


def test_a_korean_guide_notices_korean_blame_in_its_own_words() -> None:
    weekly = plain_turns("weekly")
    phrases = {**weekly.phrases, "gentle_words": "다음에는 \"나는 … 느껴\"로 말해 보세요."}
    guide = replace(weekly, language="ko", phrases=phrases)
    d = Driver.for_guide(guide).through_consent()
    d.said("너는 항상 내 말을 안 들어.")
    d.cmd("done")
    d.said("너는 항상 나를 웃게 해.")
    d.cmd("done")
    assert d.says().count(phrases["gentle_words"]) == 1


def test_a_language_that_cannot_be_read_counts_nothing() -> None:
    guide = replace(plain_turns("weekly"), language="de")
    d = Driver.for_guide(guide).through_consent()
    d.said("You never listen to me")
    d.cmd("done")
    assert TIP not in d.says() and d.saved(TurnRecord)[0].statements == 0


# ------------------------------------------------------------ how each feels loved


def at_loved(**context: object) -> Driver:
    d = sharing(**context)
    d.through_turns()
    for _ in range(5):
        d.cmd("next")  # no causes
    assert d.flow.state == "loved"
    return d


LOVED_OFFER = ('Would you like to tell each other what makes you feel most loved? '
               'Say yes, or "next" to skip.')


def test_how_each_feels_loved_is_kept_after_save_it_and_read_back_for_rituals() -> None:
    d = at_loved()
    assert d.last_say() == LOVED_OFFER
    d.cmd("yes")
    assert d.says()[-2:] == [
        "People feel loved in different ways: kind words, time together, a helping hand, "
        "a small gift, or a hug.", "Ana, what makes you feel most loved by Ben?"]
    d.said("time together")
    d.wait(3)
    d.cmd("save")
    d.said("a hug when I get home")
    d.wait(3)
    d.cmd("again")  # Ben tries again, and then passes: nothing of his is kept
    d.cmd("next")
    assert d.saved(Loved) == [Loved("Ana", "time together", d.saved(Loved)[0].at)]
    assert d.flow.state == "rituals"
    assert d.says()[-3:] == [
        "Let's choose two small rituals to try for four weeks. For example, a ten-minute "
        "check-in each night, or a walk at the weekend.",
        'For Ana, love looks like: "time together".',
        "Ana, suggest one small ritual."]


def test_skipping_keeps_nothing_and_an_earlier_answer_is_still_read_back() -> None:
    d = at_loved(loved=(("Ben", "small notes"),))
    d.cmd("next")
    assert d.saved(Loved) == []
    assert 'For Ben, love looks like: "small notes".' in d.says()


def test_the_review_reads_back_how_each_feels_loved_when_choosing_rituals() -> None:
    d = Driver.for_guide("review", loved=(("Ana", "kind words"), ("Ben", "help with dinner")))
    d.through_consent()
    d.cmd("next")  # the rituals read back
    d.cmd("done")
    d.cmd("done")  # how it went
    d.cmd("next")  # patterns: skipped
    assert d.flow.state == "rituals"
    assert d.says()[-3:] == ['For Ana, love looks like: "kind words".',
                             'For Ben, love looks like: "help with dinner".',
                             'Ana, say a ritual to keep or a new one. Or say "next" to move on.']


# ---------------------------------------------------------------------- patterns


def test_the_review_asks_each_about_a_pattern_and_keeps_it_only_after_save_it() -> None:
    d = Driver.for_guide("review").through_consent()
    d.cmd("next")
    d.cmd("done")
    d.cmd("done")
    assert d.flow.state == "patterns"
    assert d.last_say() == ("Would you like to look at patterns, not single moments? Each of "
                            'you speaks only about yourself. Say yes, or "next" to skip.')
    d.cmd("yes")
    assert d.last_say() == ("Ana, which pattern showed up for you, and what is one thing "
                            "you'd like to try instead?")
    d.said("I shut down; I'll say I need ten minutes")
    d.wait(3)
    d.cmd("save")
    d.said("I get defensive")
    d.wait(3)
    d.cmd("stop")  # read back, never saved
    assert [(p.partner, p.text) for p in d.saved(Pattern)] == [
        ("Ana", "I shut down; I'll say I need ten minutes")]


def test_every_new_sentence_is_short() -> None:
    guides = [load_guide(n) for n in ("weekly", "review")]
    new = [guides[0].phrases["gentle_words"], *guides[0].steps[4].texts.values(),
           guides[0].steps[5].text("loved"), *guides[0].steps[-1].lines("tips")[-2:],
           *guides[1].steps[5].texts.values()]
    assert all(len(s.split()) <= 25 for s in new), [s for s in new if len(s.split()) > 25]


def test_a_sentence_the_recognizer_cut_at_a_pause_is_read_whole() -> None:
    d = sharing()
    d.said("You've never been anything.")
    d.said("but kind to me.")  # the rest of the same sentence, after a pause
    d.cmd("done")
    record = d.saved(TurnRecord)[0]
    assert (record.statements, record.blame) == (1, 0)
    assert TIP not in d.says()
    words = d.flow.gentle.turn(sharing=True)
    words.heard("I am tired.")
    words.heard("You never help.")  # a new sentence: read on its own
    assert (words.statements, words.i_statements, words.blame) == (2, 1, 1)
    assert "tired" not in repr(words)
