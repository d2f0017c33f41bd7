"""The seed content typed end to end: a weekly check-in that agrees a shared activity and
asks what would help, then the review that asks whether the activity happened, each
`checkin run --text` in a subprocess, with the journal read afterwards."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from assistant.journal.store import Journal
from tests.support.cli import checkin

WEEKLY = "\n".join([
    "yes", "yes",  # both ready
    "done", "done", "done", "done", "done", "done",  # the sharing round and its reflections
    "next", "next", "next", "next", "next",  # no causes tonight
    "next",  # how each feels loved: offered, skipped
    "a walk after dinner", "yes", "yes",  # one ritual, agreed by both
    "next",
    "yes",  # the shared activity: offered, accepted
    "a cooking class", "yes", "yes",
    "yes",  # ask, don't assume: accepted
    "a quiet Friday evening", "save it",  # Ana keeps hers
    "more time outside", "next",  # Ben does not
    "you listened to me", "save it",
    "you made dinner", "save it",
]) + "\n"

REVIEW = "\n".join([
    "yes", "yes",
    "next",  # the rituals read back
    "yes",  # the activity happened
    "done", "done",  # how it went
    "next",  # patterns: offered, skipped
    "next", "next",  # the rituals stay as they are
    "we cook on Fridays too", "yes", "yes",  # one adjustment, both agree
    "next",
    "next", "next",  # no appreciations this time
]) + "\n"


def spoken(day: date) -> str:
    return f"{day:%A}, {day:%B} {day.day}"


def test_a_typed_weekly_then_review_plan_ask_and_follow_up_the_activity(
        tmp_path: Path) -> None:
    run = checkin("run", "--text", "--guide", "weekly", "--names", "Ana,Ben",
                  data_dir=tmp_path, stdin=WEEKLY)
    assert run.returncode == 0, run.stderr
    out = run.stdout
    by = date.today() + timedelta(weeks=2)
    order = [
        "Would you like to plan one shared activity, two or three hours you both enjoy, "
        'within two weeks? Type yes, or "next" to skip.',
        "Ana, what would you enjoy doing together?",
        'The idea is: "a cooking class". Ana, do you agree? Type yes, or no.',
        f"Let's aim for it by {spoken(by)}. I'll ask how it went at your next review.",
        "Would you like to ask each other what would help this week?",
        "Ben, please ask Ana: what would help you feel supported this week?",
        'I heard: "a quiet Friday evening".',
        "Ana, please ask Ben: what would help you feel supported this week?",
        "Ana, what do you appreciate about Ben?",
        "Ana, you might send Ben a short, kind text this week, maybe twice. Tonight's words "
        'could be the first: "you listened to me"',
        "Ben, you might send Ana a short, kind text this week, maybe twice. Tonight's words "
        'could be the first: "you made dinner"',
        "Progress comes in small steps. Goodbye for now.",
        "[check-in ended: completed]",
    ]
    positions = [out.index(text) for text in order]
    assert positions == sorted(positions)
    with Journal.open(tmp_path) as journal:
        assert journal.support_wishes() == [("Ana", "a quiet Friday evening")]
        planned = journal.activity_to_follow_up()
        assert planned is not None and (planned.text, planned.by) == ("a cooking class", by)
        assert journal.completed_checkins() == 1

    run = checkin("run", "--text", "--guide", "review", "--names", "Ana,Ben",
                  data_dir=tmp_path, stdin=REVIEW)
    assert run.returncode == 0, run.stderr
    out = run.stdout
    order = [
        "These are the rituals you agreed.",
        "a walk after dinner.",
        "And here is what else you planned.",
        f"Your shared activity was: a cooking class, by {spoken(by)}. Did it happen? "
        "Type yes, or no.",
        "Wonderful. I hope you enjoyed it together.",
        "Ana, you have 3 minutes. What worked, what was hard, and what one to three small "
        "wins did you notice?",
        "Is there anything to change about your activity or your plans?",
        'The idea is: "we cook on Fridays too". Ana, do you agree? Type yes, or no.',
        "You both agreed. It's saved.",
        "Small steps count. Goodbye for now.",
        "[check-in ended: completed]",
    ]
    positions = [out.index(text) for text in order]
    assert positions == sorted(positions)
    with Journal.open(tmp_path) as journal:
        assert journal.activity_to_follow_up() is None  # asked once, answered
        assert journal.plans_to_review() == ["we cook on Fridays too"]
        review_id = journal.sessions()[-1].id
    history = checkin("history", data_dir=tmp_path)
    assert history.returncode == 0, history.stderr
    assert f"  shared activity: a cooking class, by {by.day} {by:%b %Y} (it happened)" \
        in history.stdout.splitlines()
    assert "  support wishes saved: 1" in history.stdout.splitlines()
    assert "  changes agreed: we cook on Fridays too" in history.stdout.splitlines()
    export = checkin("export", "--json", data_dir=tmp_path)
    assert export.returncode == 0, export.stderr
    tables = json.loads(export.stdout)["tables"]
    [activity] = tables["activities"]
    assert (activity["text"], activity["by_date"], activity["happened"],
            activity["checked_session_id"]) == ("a cooking class", by.isoformat(), 1, review_id)
    assert [(w["partner"], w["text"]) for w in tables["support_wishes"]] == [
        ("Ana", "a quiet Friday evening")]
    assert [(a["proposed_by"], a["text"]) for a in tables["adjustments"]] == [
        ("Ana", "we cook on Fridays too")]
