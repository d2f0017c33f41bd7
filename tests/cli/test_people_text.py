"""Text from people is data, never terminal control: every stored field, replayed through
every output.

Before: an appreciation holding ESC [2J, an OSC title, CR, BEL or U+202E was printed raw by
`appreciations`, `--message`, the Markdown export and the typed read-back (the screen
cleared, the window retitled, text overwritten), and a name with ESC [31m came out raw in
`history`. Now each is stored byte for byte and shown through `visible`; JSON keeps it
exact, escaped.
"""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from pathlib import Path

import pytest

from assistant.display import PlainView, Screen, screen_text
from assistant.flow.events import (
    Activity,
    Adjustment,
    Appreciation,
    Cause,
    Plan,
    Ritual,
    StepRecord,
    Support,
    TurnRecord,
    VoiceConsent,
)
from assistant.flow.machine import CheckinFlow, FlowContext
from assistant.guides import load_guide
from assistant.journal.store import Journal
from assistant.session.typed import TextCheckin, TextIO
from assistant.text import as_text, json_text, visible
from tests.flow.driver import Driver
from tests.support.cli import checkin, checkin_bytes
from tests.support.controls import raw_controls

# What a terminal would obey: clear the screen, retitle the window (OSC ... BEL), return
# and overwrite, back up, turn the line around (RLO), an 8-bit CSI, DEL, NUL, a separator.
HOSTILE = "thanks \x1b[2J\x1b]0;pwned\x07 ok\rOVER\x08 \u202eevil\u202c \x9b31m \x7f\x00 \u2028end"
ANA = "Ana\x1b[31m"
BEN = "B\u202een $\\frac{$"  # and a broken matplotlib formula



def test_visible_draws_controls_as_symbols_and_leaves_words_alone() -> None:
    assert visible("a\x1b[2Jb") == "a␛[2Jb"
    assert visible("\x1b]0;t\x07") == "␛]0;t␇"
    assert visible("x\ry\x08\x00\x7f") == "x␍y␈␀␡"
    assert visible("\u202eevil") == "⟨U+202E⟩evil"
    assert visible("\x9b31m") == "⟨U+009B⟩31m"
    assert visible("one\ntwo") == "one␊two"
    assert visible("one\ntwo\x1b", newlines=True) == "one\ntwo␛"
    kept = "고마워 🌿 👩\u200d❤️\u200d👨 café\tand tabs — “quotes”"
    assert visible(kept) == kept  # other languages, emoji sequences (ZWJ) and tabs stay
    assert raw_controls(visible(HOSTILE)) == set()


def test_json_keeps_every_character_exact_but_inert() -> None:
    value = {"text": HOSTILE, ANA: [BEN]}
    dumped = json_text(value, indent=2)
    assert raw_controls(dumped.replace("\n", "")) == set()  # only its own line breaks
    assert json.loads(dumped) == value


def test_bytes_that_were_not_text_become_visible_escapes() -> None:
    smuggled = b"thanks \xff caf\xe9".decode("utf-8", "surrogateescape")
    assert as_text(smuggled) == "thanks \\xff caf\\xe9"
    assert as_text("plain") == "plain"
    assert as_text("\ud800") == "\\ud800"


@pytest.fixture(scope="module")
def hostile_journal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A journal with a hostile string in every field people fill."""
    folder = tmp_path_factory.mktemp("hostile") / "journal"
    when = datetime(2024, 5, 5, 19, 0)
    with Journal.open(folder) as journal:
        sid = journal.begin_session(f"daily{HOSTILE}", (ANA, BEN), when, keep_transcript=True)
        journal.record(sid, StepRecord("sharing", 1, 1.0), when)
        journal.record(sid, TurnRecord("sharing", ANA, 180.0, 100.0, 90.0, "done"), when)
        journal.transcript(sid, ANA, HOSTILE, when)
        for record in (Appreciation(ANA, BEN, f"{HOSTILE}\nsecond line\x1b[0m", 1.0, 2.0),
                       Cause(BEN, HOSTILE, 3.0), Ritual(ANA, HOSTILE, 4.0),
                       Activity(BEN, HOSTILE, date(2024, 5, 19), 5.0), Support(ANA, HOSTILE, 6.0),
                       Plan(BEN, HOSTILE, 7.0), Adjustment(ANA, HOSTILE, 8.0),
                       VoiceConsent(BEN, False, 9.0)):
            journal.record(sid, record, when)
        journal.end_session(sid, "completed", when)
    return folder


def printed_by(*args: str, folder: Path) -> str:
    """What `checkin ARGS` printed, once it is known to have ended well."""
    run = checkin(*args, data_dir=folder)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    return run.stdout


@pytest.mark.parametrize("command", [
    ("appreciations",), ("appreciations", "--message", "1"), ("history",), ("export",),
])
def test_every_text_output_shows_people_text_visibly(hostile_journal: Path,
                                                     command: tuple[str, ...]) -> None:
    out = printed_by(*command, folder=hostile_journal)
    assert raw_controls(out) == set(), command
    assert visible(ANA) in out or command == ("appreciations", "--message", "1")
    assert visible(BEN) in out


def test_files_written_for_people_show_it_visibly_too(hostile_journal: Path,
                                                     tmp_path: Path) -> None:
    printed_by("export", "--out", str(tmp_path / "a.md"), folder=hostile_journal)
    printed_by("report", "--out", str(tmp_path / "r.html"), folder=hostile_journal)
    for name in ("a.md", "r.html"):
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert raw_controls(text.replace("\n", "")) == set(), name
    markdown = (tmp_path / "a.md").read_text(encoding="utf-8")
    assert f"> {visible(HOSTILE)}\n> second line␛[0m" in markdown


@pytest.mark.parametrize("command", [
    ("appreciations", "--json"), ("history", "--json"), ("export", "--json"),
])
def test_json_outputs_keep_every_stored_field_exact(hostile_journal: Path,
                                                    command: tuple[str, ...]) -> None:
    out = printed_by(*command, folder=hostile_journal)
    assert raw_controls(out.replace("\n", "")) == set()
    data = json.loads(out)
    strings: list[str] = []

    def collect(value: object) -> None:
        if isinstance(value, str):
            strings.append(value)
        elif isinstance(value, dict):
            for key, item in value.items():
                collect(key)
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    collect(data)
    assert ANA in strings and BEN in strings
    if command[0] == "export":  # every table, every field, byte for byte
        tables = data["tables"]
        for table in ("causes", "rituals", "activities", "plans", "adjustments", "transcripts"):
            assert [r["text"] for r in tables[table]] == [HOSTILE], table
        assert [r["text"] for r in tables["support_wishes"]] == [HOSTILE]
        assert tables["appreciations"][0]["text"] == f"{HOSTILE}\nsecond line\x1b[0m"
        assert tables["voice_consents"][0]["partner"] == BEN


def test_the_live_view_draws_names_captions_and_prompts_visibly() -> None:
    driver = Driver.for_guide("daily")
    screen = Screen(driver.flow.view(), (ANA, BEN), caption=HOSTILE,
                    prompt=f'I heard: "{HOSTILE}". Say "save it".', notes=[HOSTILE])
    for width, height in ((80, 24), (120, 40)):
        frame = screen_text(screen, width, height)
        assert raw_controls(frame.replace("\n", "")) == set()
        assert "␛[2J" in frame


def test_the_plain_view_prints_prompts_visibly() -> None:
    out = io.StringIO()
    view = PlainView(out)
    view.said(f'I heard: "{HOSTILE}".')
    assert raw_controls(out.getvalue().replace("\n", "")) == set()
    assert "␛[2J" in out.getvalue()


def test_the_typed_read_back_is_visible_and_the_saved_words_exact(tmp_path: Path) -> None:
    script = f"yes\nyes\ndone\ndone\n{HOSTILE}\nsave it\n"
    flow = CheckinFlow(load_guide("daily"), FlowContext(("Ana", "Ben"), typed=True))
    out = io.StringIO()
    saved: list[str] = []

    def keep(action: object) -> None:
        record = getattr(action, "record", None)
        if isinstance(record, Appreciation):
            saved.append(record.text)

    TextCheckin(flow, TextIO(io.StringIO(script), out), on_action=keep).run()
    printed = out.getvalue()
    assert f'I heard: "{visible(HOSTILE)}"' in printed
    assert raw_controls(printed.replace("\n", "")) == set()
    assert saved == [HOSTILE]  # stored as given


def test_an_error_naming_a_hostile_path_is_visible(tmp_path: Path) -> None:
    run = checkin_bytes("run", "--text", "--guide", f"{tmp_path}/\x1b[2J.toml",
                        data_dir=tmp_path)
    assert run.returncode == 2
    err = run.stderr.decode("utf-8")
    assert "␛[2J.toml" in err and raw_controls(err.replace("\n", "")) == set()
