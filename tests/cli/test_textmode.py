"""The typed check-in driven as a user would: `checkin run --text` in a subprocess."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

from assistant.journal.paths import DB_NAME
from assistant.journal.store import Journal
from speechlab.checkin_process import Screen
from tests.support.cli import REPO, checkin, start_checkin
from tests.support.commands import child
from tests.support.typed import DAILY_SCRIPT


def test_daily_checkin_piped_from_a_file(tmp_path: Path) -> None:
    run = checkin("run", "--text", "--guide", "daily", "--names", "Ana,Ben",
                  data_dir=tmp_path, stdin=DAILY_SCRIPT)
    assert run.returncode == 0, run.stderr
    out = run.stdout
    order = ["Hello, you two.", "Ana, are you ready?", "Ben, are you ready?",
             "Ana, you have 3 minutes.", "[Ana's turn is over]", "Ben, you have 3 minutes.",
             "Ana, what do you appreciate about Ben today?",
             'I heard: "you made me coffee \u2615 and said "good luck""',
             "Ben, what do you appreciate about Ana today?", "Go ahead, Ben.",
             "Have a good evening. Goodbye.", "[check-in ended: completed]"]
    positions = [out.index(text) for text in order]
    assert positions == sorted(positions)
    with Journal.open(tmp_path) as journal:
        kept = sorted(a.text for a in journal.appreciations())
    assert kept == ['you listened to me tonight, really listened',
                    'you made me coffee \u2615 and said "good luck"']
    # typed: every prompt says "type", and the closing gives the time each took
    assert "Ana, are you ready? Type yes, or no." in out
    assert 'Type "save it" to keep it, or "try again".' in out
    assert re.search(r"\b[Ss]ay\b", out.replace('"try again"', "")) is None
    assert re.search(r"Ana took \d+ seconds?, and Ben \d+ seconds?\.", out), out
    assert "spoke" not in out
    history = checkin("history", data_dir=tmp_path)
    assert history.returncode == 0, history.stderr
    lines = history.stdout.splitlines()
    assert re.fullmatch(r"\S+ \S+  daily, typed  \d+ min, completed", lines[0]), lines[0]
    assert re.fullmatch(r"  time taken \(typed\): Ana 0:\d\d · Ben 0:\d\d "
                        r"\(allotted 3:00 each\)", lines[1]), lines[1]
    assert "speech:" not in history.stdout


def test_names_are_asked_for_when_missing(tmp_path: Path) -> None:
    run = checkin("run", "--text", "--guide", "daily", data_dir=tmp_path,
                  stdin="Ana\nBen\nno\n")
    assert run.returncode == 0, run.stderr
    assert "Name of the first partner:" in run.stdout
    assert "Ben, are you ready?" not in run.stdout  # Ana said no: nothing goes ahead
    assert "[check-in ended: declined]" in run.stdout


def test_input_ending_mid_checkin_stops_and_keeps_what_was_saved(tmp_path: Path) -> None:
    script = "yes\nyes\ndone\ndone\nthanks for today\nsave it\n"
    run = checkin("run", "--text", "--guide", "daily", "--names", "Ana,Ben",
                  data_dir=tmp_path, stdin=script)
    assert run.returncode == 0, run.stderr
    assert "(input ended: stopping and keeping what was saved)" in run.stdout
    assert "[check-in ended: stopped]" in run.stdout
    with Journal.open(tmp_path) as journal:
        assert [a.text for a in journal.appreciations()] == ["thanks for today"]


def test_timed_turns_hand_over_by_themselves(tmp_path: Path) -> None:
    with start_checkin("run", "--text", "--guide", "daily", "--names", "Ana,Ben",
                       "--turn-minutes", "0.05", data_dir=tmp_path) as proc:
        user = Screen(proc)
        user.expect("Ana, are you ready?")
        user.type("yes")
        user.expect("Ben, are you ready?")
        user.type("yes")
        user.expect("[Ana's turn: 3 seconds.")
        user.expect("[Ana's turn is over]")
        user.expect("[Ben's turn: 3 seconds.")
        user.type("pause")
        user.expect("[pause: 10 minutes")
        user.type("continue")
        user.expect("Welcome back.")
        user.expect("[Ben's turn is over]")
        user.expect("Ana, what do you appreciate about Ben today?")
        user.type("stop")
        user.expect("[check-in ended: stopped]")
        assert proc.wait(timeout=10) == 0
    # The turn ended by itself, on the check-in's own clock: the 3 s allotment, then at
    # most the finishing pause (3 s of silence) before the handover.
    with Journal.open(tmp_path) as journal:
        ana = journal.turns(journal.sessions()[0].id)[0]
    assert (ana.partner, ana.allotted, ana.ended_by) == ("Ana", 3.0, "time")
    assert 3.0 <= ana.used <= 6.0


def start_text_checkin(tmp_path: Path, *extra: str) -> subprocess.Popen[str]:
    return start_checkin("run", "--text", *extra, data_dir=tmp_path)


def test_kill_9_right_after_save_keeps_the_appreciation_and_resume_continues(
        tmp_path: Path) -> None:
    words = 'you held my hand at the clinic \u2014 "thank you", \u3053\u3093\u306b\u3061\u306f'
    with start_text_checkin(tmp_path, "--guide", "daily", "--names", "Ana,Ben") as proc:
        user = Screen(proc)
        for line in ("yes", "yes", "done", "done"):
            user.type(line)
        user.expect("Ana, what do you appreciate about Ben today?")
        user.type(words)
        user.expect("I heard:")
        user.type("save it")
        user.expect("Saved.")
        proc.kill()  # SIGKILL: no chance to flush or say goodbye
        proc.wait(timeout=10)
    db = sqlite3.connect(tmp_path / DB_NAME)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        db.close()
    with Journal.open(tmp_path) as journal:
        assert [a.text.encode() for a in journal.appreciations()] == [words.encode()]
        unfinished = journal.unfinished_session()
        assert unfinished is not None and unfinished.last_step == "appreciations"

    with start_text_checkin(tmp_path, "--resume") as proc:
        user = Screen(proc)
        user.expect("Ben, what do you appreciate about Ana today?")  # Ana's is kept already
        user.type("you stayed")
        user.type("save it")
        user.expect("[check-in ended: completed]")
        assert proc.wait(timeout=10) == 0
    with Journal.open(tmp_path) as journal:
        assert sorted(a.text for a in journal.appreciations()) == sorted([words, "you stayed"])
        assert journal.unfinished_session() is None
        assert len(journal.sessions()) == 1


def test_resume_without_an_interrupted_checkin_says_so(tmp_path: Path) -> None:
    run = checkin("run", "--text", "--resume", data_dir=tmp_path)
    assert run.returncode == 2
    assert run.stderr.strip() == ("checkin: there is no interrupted check-in to resume; "
                                  f"start one with: {child('run')}")


def test_a_due_review_is_offered_and_reads_back_the_rituals(tmp_path: Path) -> None:
    from datetime import datetime, timedelta, timezone

    from assistant.flow.events import Ritual

    agreed = datetime.now(timezone.utc) - timedelta(days=15)
    with Journal.open(tmp_path) as journal:
        sid = journal.begin_session("weekly", ("Ana", "Ben"), agreed)
        for text in ("a walk on Sundays", "no phones at dinner"):
            journal.record(sid, Ritual("Ana", text, 0.0), agreed)
        journal.end_session(sid, "completed", agreed + timedelta(minutes=40))
    # ready; rituals read back; how it went; patterns skipped; the rest passed
    script = "yes\nyes\nnext\ndone\ndone\nnext\nnext\nnext\nnext\nnext\nnext\nnext\n"
    run = checkin("run", "--text", "--names", "Ana,Ben", data_dir=tmp_path, stdin=script)
    assert run.returncode == 0, run.stderr
    assert "a ritual review is due" in run.stderr
    out = run.stdout
    assert out.index("These are the rituals you agreed.") < out.index("a walk on Sundays.") \
        < out.index("no phones at dinner.")
    next_review = (agreed + timedelta(weeks=4)).astimezone()
    assert f"Your next review is on {next_review:%A}, {next_review:%B} {next_review.day}." in out
    history = json.loads(checkin("history", "--json", data_dir=tmp_path).stdout)
    assert [s["guide"] for s in history["sessions"]] == ["review", "weekly"]


REPAIR_SCRIPT = """next
yes
yes
I felt alone when you left the party early.
I'm done
What I heard is you felt alone when I left.
I'm done
yes
I felt embarrassed, and I wanted to go home.
I'm done
What I heard is you felt embarrassed.
I'm done
And tired. I was very tired.
I'm done
I'm sorry I left without you. That part was mine. Next time I'll tell you first.
I'm done
I'm sorry I snapped. I'll ask before I judge.
I'm done
I'll tell you before I leave a party
yes
yes
I'll ask before I judge
yes
no
next
you came back to talk
save it
you listened tonight
save it
"""


def test_a_typed_repair_checkin_runs_to_the_end_from_the_readme_command(
        tmp_path: Path) -> None:
    """`./scripts/run.sh --text --guide repair --names "Ana,Ben"`: the README's command (its
    setup step finds everything installed and returns at once), from the checkout."""
    checkin_bin = Path(sys.executable).parent / "checkin"
    run = subprocess.run(
        ["./scripts/run.sh", "--text", "--guide", "repair", "--names", "Ana,Ben",
         "--data-dir", str(tmp_path)], cwd=REPO,
        input=REPAIR_SCRIPT, capture_output=True, text=True, timeout=60, check=False,
        env={**os.environ, "PYTHONUTF8": "1"})
    assert run.returncode == 0, run.stderr
    out = run.stdout
    order = ["Welcome. This is for making up after an argument.", "not for abuse or coercion",
             "let's cool down together", 'type "next"', "Ana, are you ready",
             "Ben, are you ready",
             "Ana, you have 3 minutes. Tell Ben what you felt",
             "[Ana's turn is over]", "Ben, you have 1 minute to tell Ana what you heard.",
             "[Ben's turn is over]", 'Ana, did Ben hear you right? Type "yes"',
             "Ben, you have 3 minutes. Tell Ana what you felt",
             "Ana, you have 1 minute to tell Ben what you heard.",
             "Ben, did Ana hear you right?", "Now an apology, each in turn.",
             "Ana, you have 2 minutes. Name the hurt", "Ben, you have 2 minutes. Name the hurt",
             'The plan is: "I\'ll tell you before I leave a party". Ana, do you agree?',
             "Ben, do you agree too?", "You both agreed. The plan is saved.",
             'The plan is: "I\'ll ask before I judge".', "Nothing is agreed unless you both",
             "Ana, what do you appreciate about Ben?", "Ben, what do you appreciate about Ana?",
             "Be gentle with each other tonight. Goodbye for now.",
             "[check-in ended: completed]"]
    positions = [out.index(text) for text in order]
    assert positions == sorted(positions)
    assert re.search(r"\b[Ss]ay\b", out.replace('"try again"', "")) is None  # typed: "type"
    with Journal.open(tmp_path) as journal:
        (session,) = journal.sessions()
        turns = journal.turns(session.id)
        kept = sorted(a.text for a in journal.appreciations())
        dump = json.dumps(journal.dump())
    assert session.plans == ("I'll tell you before I leave a party",)
    assert kept == ["you came back to talk", "you listened tonight"]
    assert [(t.step, t.partner, t.allotted) for t in turns] == [
        ("feelings", "Ana", 180), ("feelings", "Ben", 60), ("feelings", "Ana", 30),
        ("feelings", "Ben", 180), ("feelings", "Ana", 60), ("feelings", "Ben", 30),
        ("apology", "Ana", 120), ("apology", "Ben", 120)]
    for said in ("felt alone", "What I heard", "very tired", "I snapped"):
        assert said not in dump  # turns keep their times, never their words
    history = checkin("history", data_dir=tmp_path)
    assert "  plans agreed: I'll tell you before I leave a party" in history.stdout
    listing = subprocess.run([str(checkin_bin), "guides"], capture_output=True, text=True,
                             check=True)
    assert "repair" in listing.stdout and "Repair after an argument" in listing.stdout


def test_reflect_minutes_from_the_command_line_and_the_config_file(tmp_path: Path) -> None:
    """--reflect-minutes (or reflect_minutes in the config file) sets the listener's time to
    say back what they heard, as --turn-minutes sets the turns; the flag wins."""
    config = tmp_path / "config.toml"
    config.write_text("reflect_minutes = 0.25\n", encoding="utf-8")
    runs = {"flag": ("--reflect-minutes", "0.5"), "file": ()}
    allotted = {}
    for name, flag in runs.items():
        folder = tmp_path / name
        run = checkin("run", "--text", "--guide", "repair", "--names", "Ana,Ben", *flag,
                      data_dir=folder, stdin=REPAIR_SCRIPT, env={"CHECKIN_CONFIG": str(config)})
        assert run.returncode == 0, run.stderr
        with Journal.open(folder) as journal:
            (session,) = journal.sessions()
            allotted[name] = [t.allotted for t in journal.turns(session.id)][:3]
    assert allotted == {"flag": [180, 30, 30], "file": [180, 15, 30]}
    bad = checkin("run", "--text", "--guide", "repair", "--names", "Ana,Ben",
                  "--reflect-minutes", "0", data_dir=tmp_path / "bad")
    assert bad.returncode != 0 and "Traceback" not in bad.stderr
    assert bad.stderr.strip().endswith("--reflect-minutes must be greater than zero, got 0.0")
