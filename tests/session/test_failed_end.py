"""A check-in that ends in failure says so: the journal keeps "error" and `checkin run`
exits 1 (it used to list every end reason as ending well, so it never could)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.errors import CheckinError
from assistant.flow.events import Action, Command, CommandName, End, Event, ListeningFailed, Tick
from assistant.flow.kinds import EndReason
from assistant.flow.machine import CheckinFlow, FlowContext
from assistant.guides import load_guide
from assistant.journal.store import Journal
from assistant.session import setup
from assistant.session.voice import Session
from assistant.settings import Settings


class BrokenMicrophone:
    """Listening fails at once, as a speech model that cannot load makes it fail."""

    def poll(self, timeout: float = 0.5) -> None:
        raise RuntimeError("the speech model could not load")


class QuietPipeline:
    listener = None
    gate = None

    def assistant_said(self, text: str, until: float) -> None:
        pass

    def set_partner(self, index: int | None, now: float) -> list[Event]:
        return []


class Speech:
    def __init__(self) -> None:
        self.said: list[str] = []

    def say(self, text: str) -> None:
        self.said.append(text)

    def chime(self, kind: str) -> None:
        pass

    def wait_idle(self, timeout: float) -> bool:
        return True


def test_a_hands_free_check_in_whose_listening_fails_ends_with_an_error() -> None:
    flow = CheckinFlow(load_guide("weekly"), FlowContext(("Ana", "Ben")))
    actions: list[Action] = []
    session = Session(flow, QuietPipeline(), Speech(),  # type: ignore[arg-type]
                      on_action=actions.append)
    with pytest.raises(CheckinError, match="listening stopped: the speech model could not "
                                           "load; what was confirmed is saved"):
        session.run_live(BrokenMicrophone())  # type: ignore[arg-type]
    assert flow.ended_reason is EndReason.ERROR
    assert actions[-1] == End(EndReason.ERROR)


def _ending_with(event: Any) -> Any:
    """A stand-in for the typed check-in that ends the real flow with `event`."""

    def run(flow: CheckinFlow, settings: Settings, keep: Any, transcript: Any) -> str:
        for each in (Tick(0.0), event(1.0)):
            for action in flow.handle(each):
                keep(action)
        assert flow.ended_reason is not None
        return flow.ended_reason

    return run


@pytest.mark.parametrize(("event", "code", "kept"), [
    (ListeningFailed, 1, "error"),
    (lambda now: Command(now, CommandName.STOP), 0, "stopped"),
])
def test_run_exits_non_zero_only_for_a_check_in_that_failed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, event: Any, code: int,
        kept: str) -> None:
    monkeypatch.setattr(setup, "run_typed", _ending_with(event))
    settings = Settings(typed=True, names="Ana,Ben", data_dir=tmp_path)
    assert setup.run_checkin(settings) == code
    journal = Journal.open(tmp_path)
    try:
        (session,) = journal.sessions()
        assert session.end_reason == kept
    finally:
        journal.close()
