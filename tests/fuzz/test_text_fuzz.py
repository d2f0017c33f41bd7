"""Typed lines and journal text, fuzzed: no exception but the project's own, what was
confirmed is read back byte for byte, and no output shows it raw to a terminal."""

from __future__ import annotations

import io
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from assistant.flow.events import (
    Action,
    Activity,
    Adjustment,
    Appreciation,
    Cause,
    Plan,
    Ritual,
    Save,
    Support,
)
from assistant.flow.machine import CheckinFlow, FlowContext
from assistant.guides import load_guide
from assistant.journal.export import appreciations_markdown, everything_json
from assistant.journal.history import history_text
from assistant.journal.rows import to_json
from assistant.journal.store import Journal
from assistant.phrases import parse_typed
from assistant.session.typed import TextCheckin, TextIO
from assistant.settings import names_problem
from assistant.text import as_text, json_text, read_safely, visible
from tests.support.controls import raw_controls

AT = datetime(2024, 5, 5, 19, 0)
DAILY = load_guide("daily")
# Text as it reaches the journal: any character, including controls, bidi and (from a
# byte that was not text) lone surrogates, which `as_text` turns into visible escapes.
PEOPLE_TEXT = st.lists(st.one_of(
    st.characters(exclude_categories=["Cs"]),
    st.sampled_from(["\x1b[2J", "\x1b]0;t\x07", "\r", "\u202e", "\x9b", "\x00", "\n", "\t",
                     "\udcff", "{", "}", "é", "고마워", "🌿"])), min_size=1, max_size=20).map("".join)


class Clock:
    """The typed check-in's clock, a second a reading: turns are passed with "done"."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


@given(line=st.binary(max_size=60).filter(lambda b: b"\n" not in b and b"\r" not in b))
def test_a_typed_appreciation_of_any_bytes_is_saved_and_shown_safely(
        tmp_path_factory: Any, line: bytes) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(b"yes\nyes\ndone\ndone\n" + line + b"\nsave it\n"),
                             encoding="utf-8", errors="strict")
    read_safely(stdin)  # as `checkin` does for its standard input
    out = io.StringIO()
    folder = Path(tmp_path_factory.mktemp("typed"))
    with Journal.open(folder) as journal:
        session = journal.begin_session("daily", ("Ana", "Ben"), AT, typed=True)

        def keep(action: Action) -> None:
            if isinstance(action, Save):
                journal.record(session, action.record, AT)

        flow = CheckinFlow(DAILY, FlowContext(("Ana", "Ben"), typed=True))
        TextCheckin(flow, TextIO(stdin, out, terminal=True), on_action=keep,
                    clock=Clock()).run()
        saved = [a.text for a in journal.appreciations()]
    assert raw_controls(out.getvalue().replace("\n", "")) == set()
    said = line.decode("utf-8", "backslashreplace").strip()
    if not said or parse_typed(said) is not None:  # a command, or nothing: nothing to keep
        return
    assert saved == [said]
    try:
        exact = line.decode("utf-8").strip()
    except UnicodeDecodeError:
        return  # kept visibly as escapes (\xff), asserted above
    assert saved[0].encode("utf-8") == exact.encode("utf-8")  # byte for byte


NAMES = st.tuples(PEOPLE_TEXT, PEOPLE_TEXT).map(
    lambda pair: tuple(as_text(n.replace(",", " ")).strip() for n in pair)).filter(
    lambda pair: names_problem(",".join(pair)) is None)


@given(text=PEOPLE_TEXT, names=NAMES)
def test_journal_text_round_trips_and_every_output_is_safe(
        tmp_path_factory: Any, text: str, names: tuple[str, str]) -> None:
    text = as_text(text)  # what the typed check-in and the command line hand on
    a, b = names
    folder = Path(tmp_path_factory.mktemp("journal"))
    records = [Appreciation(a, b, text, 1.0, 1.0), Cause(b, text, 2.0), Ritual(a, text, 3.0),
               Activity(b, text, None, 4.0), Support(a, text, 5.0), Plan(b, text, 6.0),
               Adjustment(a, text, 7.0)]
    with Journal.open(folder) as journal:
        session = journal.begin_session(text, (a, b), AT)
        for record in records:
            journal.record(session, record, AT)
        journal.end_session(session, "completed", AT)
        appreciations = journal.appreciations()
        sessions = journal.sessions()
        dumped = everything_json(journal, AT)
        outputs = [history_text(sessions, journal.review_checkpoints(), AT.date()),
                   appreciations_markdown(appreciations, AT),
                   json_text(to_json(appreciations), indent=2), dumped]
    assert [x.text for x in appreciations] == [text]
    assert appreciations[0].text.encode("utf-8") == text.encode("utf-8")
    assert sessions[0].partners == (a, b) and sessions[0].guide == text
    tables = json.loads(dumped)["tables"]
    for table in ("causes", "rituals", "activities", "support_wishes", "plans", "adjustments"):
        assert [row["text"] for row in tables[table]] == [text], table
    for shown in outputs:
        assert raw_controls(shown.replace("\n", "")) == set()
    assert visible(text, newlines=True).split("\n")[0] in outputs[1]
