"""A typed check-in tells the couple to type, and reports the time each took, not speech.

The same guides drive both: {say}/{Say} become "type"/"Type" and the closing uses the
step's typed words. Hands-free wording and measured speech stay as they were.
"""

from __future__ import annotations

import re

import pytest

from assistant.flow.events import Appreciation, End
from assistant.flow.wording import ends_sentence, fill
from assistant.guides import SHIPPED, load_guide
from tests.flow.driver import Driver


def typed_daily() -> Driver:
    """A whole typed daily check-in: Ana types for 70 s, Ben for 40 s, one unclear answer."""
    d = Driver.for_guide("daily", typed=True)
    d.said("hmm")  # neither yes nor no
    d.through_consent()
    d.wait(70)
    d.cmd("done")
    d.wait(40)
    d.cmd("done")
    for text in ("you made me tea.", "you listened!"):
        d.said(text)
        d.cmd("done")
        d.cmd("save")
    return d


def test_a_typed_check_in_never_tells_anyone_to_say_something() -> None:
    d = typed_daily()
    says = d.says()
    assert "Ana, are you ready? Type yes, or no." in says
    assert "Please type yes, or no." in says
    assert 'I heard: "you made me tea." Type "save it" to keep it, or "try again".' in says
    assert "Phones down, if you can. Type \"pause\" at any time." in says
    # "try again" is the command's own words; nothing else asks anyone to speak
    spoken_asks = [s for s in says if re.search(r"\b[Ss]ay\b", s.replace('"try again"', ""))]
    assert spoken_asks == []
    assert d.end == End("completed")


def test_a_typed_closing_reports_the_time_each_partner_took() -> None:
    d = typed_daily()
    assert "Thank you both. Ana took 1 minute 10 seconds, and Ben 40 seconds." in d.says()
    assert not any("spoke" in s for s in d.says())
    assert d.flow.view().talk == {"Ana": pytest.approx(70), "Ben": pytest.approx(40)}


def test_hands_free_keeps_say_and_measured_speech() -> None:
    d = Driver.for_guide("daily")
    assert d.last_say() == "Ana, are you ready? Say yes, or no."
    d.through_consent()
    d.speech(30)
    d.wait(40)  # a minute in the turn, half of it spoken
    d.cmd("done")
    d.speech(20)
    d.cmd("done")
    d.cmd("next")
    d.cmd("next")
    assert "Thank you both. Ana spoke for 30 seconds, and Ben for 20 seconds." in d.says()


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_guide_speaks_its_safety_note_before_consent(name: str) -> None:
    guide = load_guide(name)
    note = guide.safety_note()
    assert "not therapy" in note and "legal help" in note
    assert len(note.split()) <= 25
    d = Driver.for_guide(name, typed=True)
    while d.flow.state != "consent":  # the repair guide cools down first
        d.cmd("next")
    says = d.says()
    assert says.index(note) < next(i for i, s in enumerate(says) if "are you ready" in s)


ENDINGS = [
    ("you made me tea.", '"you made me tea."'),
    ("you made me tea!", '"you made me tea!"'),
    ("did you make tea?", '"did you make tea?"'),
    ("you made me tea…", '"you made me tea…"'),
    ("you made me tea...", '"you made me tea..."'),
    ('you said "thanks."', '"you said "thanks.""'),
    ("you made me tea", '"you made me tea".'),
    ("you made me tea, ", '"you made me tea".'),
]


@pytest.mark.parametrize(("said", "quoted"), ENDINGS)
def test_read_back_never_doubles_punctuation(said: str, quoted: str) -> None:
    d = Driver.for_guide("daily").through_consent()
    d.cmd("done")
    d.cmd("done")
    d.said(said)
    d.cmd("done")
    assert d.last_say() == f'I heard: {quoted} Say "save it" to keep it, or "try again".'
    d.cmd("save")
    # kept exactly as said: only the sentence around it is tidied
    assert [a.text for a in d.saved(Appreciation)] == [said.strip()]


def test_fill_only_drops_the_guides_own_full_stop() -> None:
    assert fill("{text}.", text="Walk on Sundays.") == "Walk on Sundays."
    assert fill("{text}.", text="Walk on Sundays") == "Walk on Sundays."
    assert fill("Idea: {text}... and more.", text="tea.") == "Idea: tea.... and more."
    assert fill("{name} said {text}.", name="Ana", text="hi!") == "Ana said hi!"
    assert fill("No text here.", name="Ana") == "No text here."
    assert ends_sentence('ok?"') and not ends_sentence("ok")
