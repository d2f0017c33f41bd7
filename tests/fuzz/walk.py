"""Walk a check-in from start to end on the fake clock, touching every timed path: turns run
out, a pause is taken and run out, items are said and saved. What a guide or a setting
that was accepted must survive."""

from __future__ import annotations

from assistant.flow.events import Command, CommandName, PromptsDone, Tick
from assistant.flow.machine import CheckinFlow, FlowContext
from assistant.guides import Guide
from tests.flow.driver import Driver

# One round of what a couple might do; repeated until the check-in ends.
ROUND: tuple[str | float, ...] = (
    "yes", "yes", 1.0, "thanks for the tea", "save it", "yes", "yes", "pause", 0.5, "continue",
    "done", 30.0, "next", "no", 200.0, "done", "done", 4000.0,
)


def walk(guide: Guide, partners: tuple[str, str] = ("Ana", "Ben"), typed: bool = True,
         rounds: int = 12) -> Driver:
    """Drive `guide` to its end (or stop it after `rounds` rounds); returns the driver."""
    driver = Driver(CheckinFlow(guide, FlowContext(partners, typed=typed)))
    driver.feed(Tick(0.0))
    for _ in range(rounds):
        for move in ROUND:
            if driver.flow.ended:
                return driver
            if isinstance(move, float):
                driver.now += move
                driver.feed(Tick(driver.now))
            elif move in ("save it", "done", "next", "pause", "continue", "yes", "no"):
                name = {"save it": "save", "done": "done"}.get(move, move)
                driver.feed(Command(driver.now, CommandName(name)))
            else:
                driver.said(move)
            driver.feed(PromptsDone(driver.now))
    if not driver.flow.ended:
        driver.feed(Command(driver.now, CommandName.STOP))
    assert driver.flow.ended
    return driver
