"""Gentle words and the last seed skills typed end to end: `checkin run --text` in a
subprocess, as a couple would, with the journal and `checkin history` read afterwards.

The issue's "done when": in a typed weekly check-in Ana's "You never listen to me and you
always leave the dishes" gets one gentle tip after her turn, and Ben's "You always make me
laugh" gets none.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from assistant.journal.store import Journal
from tests.support.cli import checkin

TIP = ('checkin: A small tip for next time: "I feel … when …" is often easier to hear than '
       '"you always" or "you never".')
ANA = "You never listen to me and you always leave the dishes"
BEN = "You always make me laugh"


def weekly(loved: list[str]) -> str:
    return "\n".join([
        "yes", "yes",
        ANA, "done",  # Ana shares
        "What I heard is you feel I never listen", "done",  # Ben says it back
        "yes",  # Ana: that's it
        BEN, "done",  # Ben shares
        "done", "yes",  # Ana's reflection, Ben's yes
        "next", "next", "next", "next", "next",  # no causes tonight
        *loved,
        "a walk after dinner", "yes", "yes", "next",  # one ritual
        "next", "next",  # no activity, no support question
        "you listened to me", "save it", "you made dinner", "save it",
    ]) + "\n"


REVIEW = "\n".join([
    "yes", "yes", "next",  # ready; the rituals read back
    "done", "done",  # how it went
    "yes",  # patterns, not moments: accepted
    "I shut down when I'm tired; I'll say I need ten minutes", "save it",
    "next",  # Ben passes
    "next", "next", "next", "next",  # no ritual changes, no adjustments
    "next", "next",  # no appreciations this time
]) + "\n"



def finished_checkins(data_dir: Path, count: int) -> None:
    """Earlier check-ins that ran to their end: the closing's tip turns with them."""
    with Journal.open(data_dir) as journal:
        for i in range(count):
            when = datetime.now().astimezone() - timedelta(days=60 - i)
            sid = journal.begin_session("daily", ("Ana", "Ben"), when, typed=True)
            journal.end_session(sid, "completed", when + timedelta(minutes=10))


def test_one_gentle_tip_for_blame_none_for_kind_words_then_loved_and_patterns(
        tmp_path: Path) -> None:
    finished_checkins(tmp_path, 4)  # the fifth tip comes next
    run = checkin("run", "--text", "--guide", "weekly", "--names", "Ana,Ben",
                  data_dir=tmp_path, stdin=weekly(["yes", "time together", "save it", "next"]))
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines.count(TIP) == 1
    tip = lines.index(TIP)
    assert lines[tip - 1] == "  [Ana's turn is over]"  # after Ana's turn, never during it
    assert lines[tip + 1].startswith("checkin: Ben, you have 1 minute to tell Ana what you")
    ben_over = lines.index("  [Ben's turn is over]", lines.index(
        'checkin: Ben, you have 5 minutes. Start with "I noticed" or "I feel". Type '
        '"I\'m done" when you\'re finished.'))
    assert lines[ben_over + 1] != TIP  # "You always make me laugh": no tip
    out = run.stdout
    order = ["Would you like to tell each other what makes you feel most loved?",
             "Ana, what makes you feel most loved by Ben?",
             'I heard: "time together".',
             "Ben, what makes you feel most loved by Ana?",
             'For Ana, love looks like: "time together".',
             "Ana, suggest one small ritual.",
             "This week, notice one small way your partner reaches for you, a question, a "
             "touch, a joke, and tell them you saw it.",
             "[check-in ended: completed]"]
    positions = [out.index(text) for text in order]
    assert positions == sorted(positions)
    with Journal.open(tmp_path) as journal:
        session = journal.sessions()[-1]
        turns = [(t.partner, t.statements, t.i_statements, t.blame)
                 for t in journal.turns(session.id) if t.step == "sharing"]
        assert turns == [("Ana", 2, 0, 2), ("Ben", 0, 0, 0), ("Ana", 0, 0, 0),
                         ("Ben", 1, 0, 0), ("Ana", 0, 0, 0), ("Ben", 0, 0, 0)]
        assert journal.loved(("Ana", "Ben")) == {"Ana": "time together"}
        assert journal.dump()["transcripts"] == []  # not a word of the turns is kept

    # the same words with gentle words off: no tip, nothing counted; the sixth tip
    run = checkin("run", "--text", "--guide", "weekly", "--names", "Ana,Ben",
                  "--no-gentle-words", data_dir=tmp_path, stdin=weekly(["next"]))
    assert run.returncode == 0, run.stderr
    assert TIP not in run.stdout
    assert 'For Ana, love looks like: "time together".' in run.stdout  # kept last time
    assert "Once this week, say \"I'm here for you\" before you are asked." in run.stdout
    with Journal.open(tmp_path) as journal:
        session = journal.sessions()[-1]
        assert sum(t.statements for t in journal.turns(session.id)) == 0

    run = checkin("run", "--text", "--guide", "review", "--names", "Ana,Ben",
                  data_dir=tmp_path, stdin=REVIEW)
    assert run.returncode == 0, run.stderr
    out = run.stdout
    order = ["Would you like to look at patterns, not single moments?",
             "Ana, which pattern showed up for you, and what is one thing you'd like to try "
             "instead?",
             "I heard: \"I shut down when I'm tired; I'll say I need ten minutes\".",
             "Ben, which pattern showed up for you",
             'For Ana, love looks like: "time together".',
             "[check-in ended: completed]"]
    positions = [out.index(text) for text in order]
    assert positions == sorted(positions)
    history = checkin("history", data_dir=tmp_path)
    assert history.returncode == 0, history.stderr
    text = history.stdout.splitlines()
    assert "  patterns saved: 1" in text and "  how you feel loved, saved: 1" in text
    month = f"{datetime.now().astimezone():%b %Y}"
    assert text[-3:] == ['Speaking from "I" (each of you, against your own last month):',
                         f"  Ana: {month} 0%: a first month counted",
                         f"  Ben: {month} 0%: a first month counted"]


def test_the_config_file_and_a_guide_can_turn_gentle_words_off(tmp_path: Path) -> None:
    script = "yes\nyes\n" + ANA + "\ndone\nstop\n"
    config = tmp_path / "config.toml"
    config.write_text("gentle_words = false\n", encoding="utf-8")
    run = checkin("run", "--text", "--guide", "daily", "--names", "Ana,Ben", "--data-dir",
                   str(tmp_path / "a"), stdin=script, env={"CHECKIN_CONFIG": str(config)})
    assert run.returncode == 0, run.stderr
    assert TIP not in run.stdout and "[Ana's turn is over]" in run.stdout
    daily = (Path(__file__).resolve().parents[2] / "assistant/guides/daily.toml").read_text(
        encoding="utf-8")
    mine = tmp_path / "quiet.toml"
    mine.write_text(daily.replace("[settings]", "[settings]\ngentle_words = false"),
                    encoding="utf-8")
    run = checkin("run", "--text", "--guide", str(mine), "--names", "Ana,Ben",
                  data_dir=tmp_path / "b", stdin=script)
    assert run.returncode == 0, run.stderr
    assert TIP not in run.stdout
    run = checkin("run", "--text", "--guide", "daily", "--names", "Ana,Ben",
                  data_dir=tmp_path / "c", stdin=script)
    assert TIP in run.stdout  # on by default, in the daily guide's turns too
    bad = tmp_path / "bad.toml"
    bad.write_text(daily.replace("[settings]", "[settings]\ngentle_words = 0"),
                   encoding="utf-8")
    check = checkin("guides", "check", str(bad))
    assert check.returncode != 0
    assert "settings.gentle_words: expected true or false, got 0" in check.stdout + check.stderr
