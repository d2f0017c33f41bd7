"""The rest of the seed content, on the fake clock: the optional shared activity and
"ask, don't assume" steps, the closing's rotating habit, and the review's follow-up."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.flow.events import (
    Activity,
    ActivityCheck,
    Adjustment,
    Appreciation,
    End,
    Listen,
    PlannedActivity,
    Ritual,
    Support,
)
from tests.flow.driver import Driver

TODAY = date(2026, 11, 23)
OFFER = ('Would you like to plan one shared activity, two or three hours you both enjoy, '
         'within two weeks? Say yes, or "next" to skip.')
SUPPORT_OFFER = 'Would you like to ask each other what would help this week? Say yes, or "next" ' \
    'to skip.'


def at_activity(**context: object) -> Driver:
    """A weekly check-in at the shared activity's offer: turns passed, causes and rituals
    skipped (nothing else is needed to get here)."""
    d = Driver.for_guide("weekly", today=TODAY, **context).through_consent()
    for _ in range(6):  # the sharing round: each turn, its reflection and its check
        d.cmd("done")
    for _ in range(5):
        d.cmd("next")  # no causes: each "next" passes one ask
    d.cmd("next")  # how each feels loved: offered, skipped
    d.cmd("next")
    d.cmd("next")  # no rituals
    assert d.flow.state == "activity"
    return d


def after(d: Driver, mark: int) -> list[str]:
    return d.says()[mark:]


@pytest.mark.parametrize("answer", ["next", "no"])
def test_the_activity_is_offered_and_next_or_no_skips_it(answer: str) -> None:
    d = at_activity()
    assert d.last_say() == OFFER
    assert d.of(Listen)[-1] == Listen(None, "answer")
    mark = len(d.says())
    d.cmd(answer)
    assert after(d, mark) == ["Okay, let's move on.", SUPPORT_OFFER]
    assert d.flow.state == "support"
    assert d.saved(Activity) == []


def test_an_unclear_answer_to_the_offer_is_asked_again_and_changes_nothing() -> None:
    d = at_activity()
    d.said("hmm, maybe")
    assert d.last_say() == "Please say yes, or no."
    assert d.flow.state == "activity"
    d.cmd("yes")
    assert d.last_say() == "Ana, what would you enjoy doing together?"


def test_one_activity_both_agree_is_saved_with_a_date_two_weeks_on() -> None:
    d = at_activity()
    d.cmd("yes")
    mark = len(d.says())
    d.said("a cooking class")
    d.cmd("done")
    d.cmd("yes")
    d.cmd("no")  # Ben would rather not: nothing is kept, Ana may try again
    assert d.saved(Activity) == []
    d.said("a day at the lake")
    d.cmd("done")
    d.cmd("yes")
    d.cmd("yes")
    assert after(d, mark) == [
        'The idea is: "a cooking class". Ana, do you agree? Say yes, or no.',
        "Ben, do you agree too? Say yes, or no.",
        "That's fine. Nothing is agreed unless you both want it.",
        "Go ahead, Ana. I'm listening.",
        'The idea is: "a day at the lake". Ana, do you agree? Say yes, or no.',
        "Ben, do you agree too? Say yes, or no.",
        "You both agreed. It's saved.",
        "Let's aim for it by Monday, December 7. I'll ask how it went at your next review.",
        SUPPORT_OFFER,  # one agreed activity is enough: Ben is not asked for another
    ]
    [activity] = d.saved(Activity)
    assert (activity.proposed_by, activity.text, activity.by) == (
        "Ana", "a day at the lake", date(2026, 12, 7))


def test_when_no_idea_is_agreed_the_step_ends_after_each_had_a_turn() -> None:
    d = at_activity()
    d.cmd("yes")
    d.cmd("next")
    assert d.last_say() == "Ben, what would you enjoy doing together?"
    d.cmd("next")
    assert d.flow.state == "support"
    assert d.saved(Activity) == []


def test_support_answers_are_kept_only_after_save_it() -> None:
    d = at_activity()
    d.cmd("next")
    d.cmd("yes")
    assert d.says()[-2:] == [
        "Asking beats guessing. Each of you gets a turn to answer.",
        "Ben, please ask Ana: what would help you feel supported this week? Ana, answer when "
        "you're ready.",
    ]
    d.said("a quiet evening on Friday")
    d.cmd("done")
    d.cmd("save")
    assert d.last_say() == "Ana, please ask Ben: what would help you feel supported this week? " \
        "Ben, answer when you're ready."
    d.said("help with the dishes")
    d.cmd("done")
    d.cmd("next")  # Ben does not keep his
    assert d.flow.state == "appreciations"
    assert d.saved(Support) == [Support("Ana", "a quiet evening on Friday", 0.0)]


@pytest.mark.parametrize("where", ["offer", "agreeing", "support"])
def test_stop_in_the_new_steps_keeps_only_what_was_confirmed(where: str) -> None:
    d = at_activity()
    if where != "offer":
        d.cmd("yes")
        d.said("a museum")
        d.cmd("done")
        d.cmd("yes")  # Ana agrees; Ben has not answered
    if where == "support":
        d.cmd("yes")
        d.cmd("yes")
        d.said("time alone on Sunday")
        d.cmd("done")  # read back, not yet saved
    d.cmd("stop")
    assert d.end == End("stopped")
    assert "Everything you saved is kept" in d.last_say()
    assert d.saved(Support) == []
    assert [a.text for a in d.saved(Activity)] == (["a museum"] if where == "support" else [])


def test_a_pause_at_the_offer_comes_back_to_the_offer() -> None:
    d = at_activity()
    d.cmd("pause")
    assert d.flow.state == "paused"
    d.cmd("continue")
    assert d.flow.state == "activity"
    assert d.last_say() == OFFER
    d.cmd("yes")
    assert d.last_say() == "Ana, what would you enjoy doing together?"


def test_resumed_part_way_into_an_optional_step_it_is_not_offered_again() -> None:
    d = Driver.for_guide("weekly", resume_at="support", resume_done=1)
    assert d.flow.state == "support"
    assert d.says() == ["Ana, please ask Ben: what would help you feel supported this week? "
                        "Ben, answer when you're ready."]


def finish_weekly(d: Driver, appreciations: tuple[str, ...]) -> list[str]:
    """From the activity's offer to the end; the closing's sentences."""
    d.cmd("next")
    d.cmd("next")
    for text in appreciations:
        d.said(text)
        d.cmd("done")
        d.cmd("save")
    for _ in range(2 - len(appreciations)):
        d.cmd("next")
    assert d.end == End("completed")
    says = d.says()
    return says[says.index("Progress comes in small steps. Goodbye for now.") - 2:]


TIPS = [
    "If you like, try thirty minutes this week with both phones in another room.",
    "If it feels right, a brief hug, or holding hands for a minute, can say a lot.",
    "At your next review, you might each notice one to three small wins.",
    "This week, notice one small way your partner reaches for you, a question, a touch, "
    "a joke, and tell them you saw it.",
    "Once this week, say \"I'm here for you\" before you are asked.",
]


@pytest.mark.parametrize(("index", "tip"), [(1, TIPS[0]), (2, TIPS[1]), (3, TIPS[2]),
                                            (4, TIPS[3]), (5, TIPS[4]), (9, TIPS[2]),
                                            (11, TIPS[4])])
def test_the_closing_offers_one_habit_chosen_by_the_journals_count(index: int,
                                                                    tip: str) -> None:
    d = at_activity(habit_index=index)
    closing = finish_weekly(d, ("you listen",))
    assert closing[1:] == [tip, "Progress comes in small steps. Goodbye for now."]
    assert sum(1 for s in d.says() if s in TIPS) == 1  # one tip at a time


def test_the_text_tip_offers_each_appreciation_kept_tonight_as_a_message() -> None:
    d = at_activity(habit_index=6)  # 6 % 6: the first tip
    finish_weekly(d, ("you listen", "you cooked for us"))
    says = d.says()
    assert says[-3:-1] == [
        'Ana, you might send Ben a short, kind text this week, maybe twice. Tonight\'s words '
        'could be the first: "you listen"',
        'Ben, you might send Ana a short, kind text this week, maybe twice. Tonight\'s words '
        'could be the first: "you cooked for us"',
    ]
    assert [a.text for a in d.saved(Appreciation)] == ["you listen", "you cooked for us"]


def test_with_no_appreciation_kept_tonight_the_text_tip_gives_way_to_the_next() -> None:
    d = at_activity(habit_index=0)
    closing = finish_weekly(d, ())
    assert closing[1] == TIPS[0]
    assert not any("kind text" in s for s in d.says())


# ------------------------------------------------------------------ the review


def review(**context: object) -> Driver:
    d = Driver.for_guide("review", today=TODAY, **context).through_consent()
    d.cmd("next")  # past the rituals' read-back
    return d


LAKE = PlannedActivity(7, "a day at the lake", date(2026, 11, 30))


@pytest.mark.parametrize(("answer", "happened", "reply"), [
    ("yes", True, "Wonderful. I hope you enjoyed it together."),
    ("no", False, "That's okay, life gets busy. You can choose a new one at your next weekly "
                  "check-in."),
])
def test_the_review_reads_back_the_plans_and_asks_whether_the_activity_happened(
        answer: str, happened: bool, reply: str) -> None:
    d = review(plans=("I text when I'm late",), activity=LAKE)
    mark = len(d.says())
    d.said("I think so")  # neither yes nor no
    d.cmd(answer)
    assert d.says()[mark - 3:] == [
        "And here is what else you planned.",
        "Your plan: I text when I'm late.",
        "Your shared activity was: a day at the lake, by Monday, November 30. Did it happen? "
        "Say yes, or no.",
        "Please say yes, or no.",
        reply,
        "Each of you, say how the rituals went for you.",
        "Ana, you have 3 minutes. What worked, what was hard, and what one to three small "
        "wins did you notice?",
    ]
    assert d.saved(ActivityCheck) == [ActivityCheck(7, happened, 0.0)]
    assert d.flow.state == "how"


def test_a_review_with_nothing_planned_goes_straight_on() -> None:
    d = review()
    assert d.flow.state == "how"
    assert not any("planned" in s for s in d.says())


def test_plans_alone_are_read_back_without_a_question() -> None:
    d = review(plans=("we plan Sundays together",))
    assert "Your plan: we plan Sundays together." in d.says()
    assert d.flow.state == "how"
    assert d.saved(ActivityCheck) == []


def test_stop_or_pause_at_the_activity_question_records_no_answer() -> None:
    d = review(activity=LAKE)
    d.cmd("pause")
    d.cmd("continue")
    assert d.last_say().startswith("Your shared activity was: a day at the lake")
    d.cmd("stop")
    assert d.end == End("stopped")
    assert d.saved(ActivityCheck) == []


def test_an_adjustment_is_saved_only_when_both_say_yes() -> None:
    d = review(activity=LAKE)
    d.cmd("no")
    d.cmd("done")
    d.cmd("done")  # how it went
    d.cmd("next")  # patterns: offered, skipped
    d.cmd("next")
    d.cmd("next")  # no ritual changes
    assert d.flow.state == "adjust"
    d.said("the lake trip moves to spring")
    d.cmd("done")
    d.cmd("yes")
    d.cmd("no")
    assert d.saved(Adjustment) == []
    d.said("we pick a new activity on Sunday")
    d.cmd("done")
    d.cmd("yes")
    d.cmd("yes")
    assert [a.text for a in d.saved(Adjustment)] == ["we pick a new activity on Sunday"]
    assert d.saved(Ritual) == []
    assert d.last_say() == "Ben, say one change, or say \"next\" to move on."
