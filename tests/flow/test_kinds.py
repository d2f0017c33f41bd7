"""The registry (flow/kinds.py) and everything that reads it agree: a kind added in one
place and forgotten in another fails here, not in the middle of a check-in."""

from __future__ import annotations

import dataclasses

import pytest

from assistant.flow import items
from assistant.flow.events import Cause, End, ListeningFailed, TurnRecord
from assistant.flow.kinds import EndReason, ItemKind, StepKind
from assistant.flow.machine import CheckinFlow, FlowContext
from assistant.flow.runners import RUNNERS
from assistant.guides import load_guide, validate
from assistant.journal.read_models import ITEM_TABLES
from tests.flow.driver import Driver


def test_every_step_kind_has_a_runner_and_the_validators_rules() -> None:
    kinds = set(StepKind)
    assert set(RUNNERS) == kinds
    assert set(validate._STEP_TEXT_FIELDS) == kinds
    assert set(validate._REQUIRED) == kinds
    assert set(validate._STEP_OTHER_FIELDS) <= kinds
    assert set(validate._OWN_FIELDS) <= kinds


def test_every_item_kind_has_its_own_record_and_a_journal_table() -> None:
    assert set(items.ITEM_RECORDS) == set(ItemKind)
    made = {kind: type(items.item_record(kind, "Ana", "Ben", "words", 0.9, 1.0, None))
            for kind in ItemKind}
    assert len(set(made.values())) == len(ItemKind), made  # no two kinds share a record
    assert set(ITEM_TABLES) == set(ItemKind)


def test_every_end_reason_has_an_exit_code_and_only_an_error_fails() -> None:
    assert {reason: reason.exit_code for reason in EndReason} == {
        EndReason.COMPLETED: 0, EndReason.STOPPED: 0, EndReason.DECLINED: 0,
        EndReason.HEAT: 0, EndReason.ERROR: 1}
    assert f"{EndReason.COMPLETED}" == str(EndReason.COMPLETED) == "completed"


def test_an_unknown_item_kind_never_becomes_a_cause() -> None:
    with pytest.raises(ValueError, match="unknown item kind 'gift'; expected one of cause, "
                                         "ritual, .*pattern"):
        items.item_record("gift", "Ana", "Ben", "a gift", 1.0, 0.0, None)
    assert items.item_record("cause", "Ana", "Ben", "late", 1.0, 0.0, None) == \
        Cause("Ana", "late", 0.0)


def test_a_step_built_by_hand_with_an_unknown_kind_never_reaches_the_flow() -> None:
    guide = load_guide("weekly")
    causes = next(s for s in guide.steps if s.id == "causes")
    wrong = dataclasses.replace(causes, item="gift")
    bad = dataclasses.replace(guide, steps=tuple(wrong if s is causes else s
                                                 for s in guide.steps))
    with pytest.raises(ValueError, match="step 'causes': unknown item kind 'gift'; expected "
                                         "one of cause, ritual"):
        CheckinFlow(bad, FlowContext(("Ana", "Ben")))
    sing = dataclasses.replace(causes, kind="sing")
    bad = dataclasses.replace(guide, steps=tuple(sing if s is causes else s
                                                 for s in guide.steps))
    with pytest.raises(ValueError, match="step 'causes': unknown step kind 'sing'"):
        CheckinFlow(bad, FlowContext(("Ana", "Ben")))


def test_listening_that_fails_ends_the_check_in_with_an_error_keeping_the_turn() -> None:
    d = Driver.for_guide("weekly")
    d.cmd("next")
    d.cmd("yes")
    d.cmd("yes")
    assert d.flow.state == "sharing"
    d.wait(30)
    d.feed(ListeningFailed(d.now))
    assert d.end == End(EndReason.ERROR)
    assert d.flow.ended_reason is EndReason.ERROR and d.flow.ended
    (turn,) = d.saved(TurnRecord)
    assert turn.ended_by == "stop" and turn.used == pytest.approx(30)


def test_each_hold_has_its_own_way_in_and_back_in_the_table() -> None:
    """The table, not a condition on one shared trigger, says where each hold goes: a
    pause goes back to the step, a lost microphone to whatever it interrupted."""
    from assistant.flow.states import HOLD_TRIGGERS, Hold

    flow = Driver.for_guide("weekly").flow
    machine = flow.machine
    assert set(machine.get_triggers("sharing")) == {
        "advance", "stop", *(into for into, _ in HOLD_TRIGGERS.values())}
    assert set(machine.get_triggers(Hold.PAUSE_OFFER.value)) == {
        "decline_pause", "pause", "lose_microphone", "stop"}
    assert set(machine.get_triggers(Hold.HEAT_CHECK.value)) == {
        "carry_on", "pause", "lose_microphone", "stop"}
    assert set(machine.get_triggers(Hold.PAUSED.value)) == {"resume", "lose_microphone", "stop"}
    assert set(machine.get_triggers(Hold.MICROPHONE_LOST.value)) == {"microphone_back", "stop"}
    back = machine.events["microphone_back"].transitions[Hold.MICROPHONE_LOST.value]
    assert {t.dest for t in back} == {*flow.step_ids, Hold.PAUSE_OFFER.value,
                                      Hold.HEAT_CHECK.value, Hold.PAUSED.value}
    assert [t.dest for t in machine.events["resume"].transitions["paused"]] == flow.step_ids
