"""Guides are data: the shipped ones validate, and bad ones say exactly what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import GuideError
from assistant.flow.kinds import ItemKind
from assistant.guides import SHIPPED, load_guide, parse_file
from assistant.invocation import checkin_command
from tests.support.cli import checkin
from tests.support.guide_files import MINIMAL, problems, write


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_guides_validate(name: str) -> None:
    guide = load_guide(name)
    assert guide.name == name
    assert guide.steps[-1].kind == "closing"
    kinds = [s.kind for s in guide.steps]
    assert "consent" in kinds and ("turns" in kinds or "reflect" in kinds)


def test_weekly_guide_carries_the_content() -> None:
    guide = load_guide("weekly")
    assert [s.id for s in guide.steps] == [
        "welcome", "consent", "sharing", "causes", "loved", "rituals", "activity", "support",
        "appreciations", "closing"]
    welcome = " ".join(guide.steps[0].lines("prompts"))
    assert "understanding, not blame" in welcome
    safety = guide.steps[0].text("safety")
    assert "abuse or coercion" in safety and "professional or legal help" in safety
    assert guide.settings.turn_seconds == 300 and guide.settings.pause_seconds == 600
    sharing = guide.steps[2]
    assert sharing.kind == "reflect" and "What I heard is" in sharing.text("reflect")
    assert (guide.settings.reflect_seconds, guide.settings.confirm_seconds) == (60, 30)
    causes, loved, rituals = guide.steps[3], guide.steps[4], guide.steps[5]
    assert (causes.min, causes.max) == (3, 5)
    assert (loved.optional, loved.item, loved.agree, loved.max) == (True, "loved", "speaker", 2)
    assert (rituals.min, rituals.max, rituals.agree) == (2, 2, "both")
    assert rituals.has("loved")  # how each feels loved, read back when choosing
    assert "couples therapist" in guide.phrases["heat_limit"]
    activity, support = guide.steps[6], guide.steps[7]
    assert (activity.optional, activity.item, activity.agree, activity.enough) == (
        True, "activity", "both", 1)
    assert (support.optional, support.item, support.agree) == (True, "support", "speaker")
    assert "feel supported this week" in support.text("prompt")
    assert len(guide.steps[-1].lines("tips")) == 6
    assert guide.settings.gentle_words and "you always" in guide.phrases["gentle_words"]


def test_every_spoken_sentence_is_short() -> None:
    for guide in (load_guide(n) for n in SHIPPED):
        texts = list(guide.phrases.values())
        for step in guide.steps:
            for key in step.texts:
                texts += step.lines(key) + step.lines(key, typed=True)
        for text in texts:
            assert len(text.split()) <= 28, text


def test_a_minimal_guide_is_valid(tmp_path: Path) -> None:
    assert problems(tmp_path, MINIMAL) == []


def test_unknown_step_kind(tmp_path: Path) -> None:
    text = MINIMAL.replace('kind = "say"', 'kind = "sing"')
    assert problems(tmp_path, text) == [
        "steps[0].kind: unknown step kind 'sing'; expected one of say, consent, turns, "
        "reflect, collect, rituals, followup, closing"]


def test_negative_duration(tmp_path: Path) -> None:
    text = MINIMAL + "\n[settings]\nturn_minutes = -5\n"
    assert problems(tmp_path, text) == [
        "settings.turn_minutes: must be greater than zero, got -5"]


def test_missing_prompt(tmp_path: Path) -> None:
    text = MINIMAL.replace('prompts = ["Hello."]\n', "")
    assert problems(tmp_path, text) == ["steps.hello.prompts: missing; a say step needs it"]


def test_bad_toml_reports_the_line(tmp_path: Path) -> None:
    text = MINIMAL.replace('id = "hello"', 'id = "hello')
    found = problems(tmp_path, text)
    assert len(found) == 1
    assert found[0].startswith("toml: not valid TOML")
    assert "line 6" in found[0]


def test_unknown_placeholder_and_every_problem_at_once(tmp_path: Path) -> None:
    text = MINIMAL.replace("Goodbye.", "Goodbye {nmae}.") + "\n[settings]\nwarp = 1\n"
    assert problems(tmp_path, text) == [
        "settings.warp: unknown setting; expected one of breathing_seconds, confirm_seconds, "
        "finish_silence_seconds, gentle_words, heat_limit, interruption_seconds, "
        "item_end_silence_seconds, "
        "overrun_grace_seconds, "
        "pause_minutes, reflect_minutes, silence_nudge_seconds, turn_minutes, warning_seconds",
        "steps.bye.goodbye: unknown placeholder {nmae}; this sentence can use {Say}, {say}",
    ]


def test_collect_step_checks(tmp_path: Path) -> None:
    text = MINIMAL.replace('[[steps]]\nid = "bye"', '[[steps]]\nid = "c"\nkind = "collect"\n'
                           'item = "gift"\nagree = "one"\nmin = 3\nmax = 1\n'
                           'prompt = "{name}?"\n\n[[steps]]\nid = "bye"')
    assert problems(tmp_path, text) == [
        "steps.c.item: expected one of cause, ritual, appreciation, activity, support, plan, "
        "adjustment, loved, pattern, got 'gift'",
        "steps.c.agree: expected one of speaker, both, got 'one'",
        "steps.c.max: expected at least max(min, 1) = 3, got 1",
    ]


def test_guides_check_refuses_an_unknown_item_kind_in_one_line(tmp_path: Path) -> None:
    """An item kind the registry does not know is refused before any check-in, naming
    the step and every kind allowed (it used to be kept as a cause)."""
    text = MINIMAL.replace('[[steps]]\nid = "bye"', '[[steps]]\nid = "gifts"\nkind = "collect"\n'
                           'item = "gift"\nagree = "speaker"\nprompt = "{name}?"\n\n'
                           '[[steps]]\nid = "bye"')
    run = checkin("guides", "check", str(write(tmp_path, text)))
    assert run.returncode == 1
    (line,) = [x for x in run.stdout.splitlines() + run.stderr.splitlines() if "gift" in x]
    assert "steps.gifts.item: expected one of " in line
    assert all(kind.value in line for kind in ItemKind)
    with pytest.raises(GuideError, match="steps.gifts.item"):
        load_guide(write(tmp_path, text))


def test_optional_step_needs_an_offer_and_an_offer_needs_an_optional_step(
        tmp_path: Path) -> None:
    text = MINIMAL.replace('prompts = ["Hello."]', 'prompts = ["Hello."]\noptional = true')
    assert problems(tmp_path, text) == [
        'steps.hello.offer: missing; an optional step asks first, e.g. "Shall we plan '
        'something? {Say} yes, or next."']
    text = MINIMAL.replace('prompts = ["Hello."]', 'prompts = ["Hello."]\noffer = "Hi {name}?"')
    assert problems(tmp_path, text) == [
        "steps.hello.offer: only an optional step is offered; add optional = true, "
        "or remove the offer"]
    text = MINIMAL.replace('prompts = ["Hello."]',
                           'prompts = ["Hello."]\noptional = "yes"')
    assert problems(tmp_path, text) == ["steps.hello.optional: expected true or false"]
    text = MINIMAL.replace('prompts = ["Hello."]',
                           'prompts = ["Hello."]\noptional = true\noffer = "Hi {name}?"')
    assert problems(tmp_path, text) == [
        "steps.hello.offer: unknown placeholder {name}; this sentence can use {Say}, {say}"]
    closing = MINIMAL.replace('goodbye = "Goodbye."',
                              'goodbye = "Goodbye."\noptional = true\noffer = "Ready?"')
    assert problems(tmp_path, closing) == [
        "steps.bye.optional: not used by a closing step; expected one of goodbye, id, kind, "
        "prompts, rituals, tips, title, typed",
        "steps.bye.offer: not used by a closing step; expected one of goodbye, id, kind, "
        "prompts, rituals, tips, title, typed"]


def test_new_collect_items_and_their_checks(tmp_path: Path) -> None:
    text = MINIMAL.replace('[[steps]]\nid = "bye"', '[[steps]]\nid = "a"\nkind = "collect"\n'
                           'item = "activity"\nagree = "speaker"\nmax = 2\nenough = 3\n'
                           'prompt = "{name}?"\nplanned = "By {day}."\n\n'
                           '[[steps]]\nid = "s"\nkind = "collect"\nitem = "support"\n'
                           'prompt = "{name}?"\nagree = "speaker"\nplanned = "By {date}."\n\n'
                           '[[steps]]\nid = "bye"')
    assert problems(tmp_path, text) == [
        "steps.a.planned: unknown placeholder {day}; this sentence can use {Say}, {date}, {say}",
        'steps.a.agree: a activity binds both partners, so it is kept only when both say yes; '
        'expected agree = "both"',
        "steps.a.enough: expected at most max = 2, got 3",
        'steps.s.planned: only an activity has a date to plan; remove it, or use '
        'item = "activity"',
    ]


def test_followup_and_tips_checks(tmp_path: Path) -> None:
    text = MINIMAL.replace('[[steps]]\nid = "bye"', '[[steps]]\nid = "f"\nkind = "followup"\n'
                           'plan = "{text}."\nactivity = "{text} by {date}?"\n'
                           'happened = "Good {name}."\n\n[[steps]]\nid = "bye"')
    text = text.replace('goodbye = "Goodbye."',
                        'goodbye = "Goodbye."\ntips = ["Hug, {name}.", "{name}: \\"{text}\\""]')
    assert problems(tmp_path, text) == [
        "steps.f.not_happened: missing; a followup step needs it",
        "steps.f.happened: unknown placeholder {name}; this sentence can use {Say}, {say}",
        "steps.bye.tips: a tip is said to both of you; {name} and {other} belong only in a "
        "tip that offers an appreciation ({text}) as a message",
    ]


def test_closing_must_be_last_and_ids_unique(tmp_path: Path) -> None:
    text = MINIMAL + '\n[[steps]]\nid = "hello"\nkind = "say"\nprompts = ["Again."]\n'
    assert problems(tmp_path, text) == [
        "steps[2].id: duplicate step id 'hello'",
        "steps: the closing step must be the last step",
    ]


def test_load_guide_errors_are_one_line(tmp_path: Path) -> None:
    with pytest.raises(GuideError, match="no guide named 'yearly'"):
        load_guide("yearly")
    bad = write(tmp_path, MINIMAL.replace('kind = "say"', 'kind = "sing"'))
    with pytest.raises(GuideError) as err:
        load_guide(bad)
    assert "\n" not in str(err.value)
    assert checkin_command("guides", "check", str(bad)) in str(err.value)


def test_command_line_overrides_step_minutes() -> None:
    guide = load_guide("weekly").with_settings(turn_seconds=12.0)
    sharing = next(s for s in guide.steps if s.kind in ("turns", "reflect"))
    assert guide.turn_seconds(sharing) == 12.0


def test_guides_check_cli(tmp_path: Path) -> None:
    bad = write(tmp_path, MINIMAL.replace('kind = "say"', 'kind = "sing"'))
    run = checkin("guides", "check", str(bad))
    assert run.returncode == 1
    assert "steps[0].kind: unknown step kind 'sing'" in run.stdout
    assert "1 problem(s) found." in run.stdout
    good = write(tmp_path, MINIMAL)
    run = checkin("guides", "check", str(good))
    assert run.returncode == 0 and "ok" in run.stdout


@pytest.mark.parametrize("reserved", ["paused", "ended", "start", "pause_offer", "heat_check",
                                      "microphone_lost"])
def test_a_step_named_like_one_of_the_flows_own_states_is_refused(
        tmp_path: Path, reserved: str) -> None:
    """transitions silently overwrites a duplicate state: a step called "paused" would
    merge with the pause and corrupt the machine, so `guides check` refuses it."""
    text = MINIMAL.replace('id = "hello"', f'id = "{reserved}"')
    found = problems(tmp_path, text)
    assert len(found) == 1 and found[0].startswith(f"steps[0].id: {reserved!r} is the name of")
    assert "reserved: ended, heat_check, microphone_lost, pause_offer, paused, start" in found[0]
    run = checkin("guides", "check", str(write(tmp_path, text)))
    assert run.returncode == 1 and "reserved:" in run.stdout


REFLECT = MINIMAL.replace('[[steps]]\nid = "bye"', '''[[steps]]
id = "talk"
kind = "reflect"
prompt = "{name}, you have {time}."
reflect = "{name}, tell {other} what you heard."
confirm = "{name}, did {other} hear you right? {Say} yes."

[[steps]]
id = "bye"''')


def test_a_reflect_step_is_valid_with_its_three_sentences(tmp_path: Path) -> None:
    assert problems(tmp_path, REFLECT) == []
    guide, _ = parse_file(write(tmp_path, REFLECT))
    assert guide is not None and guide.steps[1].kind == "reflect"


def test_reflect_step_checks(tmp_path: Path) -> None:
    text = (REFLECT.replace('confirm = "{name}, did {other} hear you right? {Say} yes."\n', "")
            .replace("tell {other} what you heard.", "tell {speaker} what you heard.")
            .replace('kind = "reflect"', 'kind = "reflect"\nminutes = 0\nitem = "cause"'))
    assert problems(tmp_path, text) == [
        "steps.talk.item: not used by a reflect step; expected one of confirm, id, intro, "
        "kind, minutes, prompt, reflect, title, typed",
        "steps.talk.confirm: missing; a reflect step needs it",
        "steps.talk.reflect: unknown placeholder {speaker}; this sentence can use {Say}, "
        "{name}, {other}, {say}, {time}",
        "steps.talk.minutes: must be greater than zero, got 0",
    ]


@pytest.mark.parametrize(("setting", "value", "message"), [
    ("reflect_minutes", "0", "must be greater than zero, got 0"),
    ("confirm_seconds", "-30", "must be greater than zero, got -30"),
    ("confirm_seconds", '"half a minute"', "must be a number of seconds, got 'half a minute'"),
])
def test_reflect_times_must_be_positive_numbers(tmp_path: Path, setting: str, value: str,
                                                message: str) -> None:
    text = REFLECT + f"\n[settings]\n{setting} = {value}\n"
    assert problems(tmp_path, text) == [f"settings.{setting}: {message}"]


def test_reflect_times_come_from_the_settings(tmp_path: Path) -> None:
    guide, _ = parse_file(write(tmp_path, REFLECT + "\n[settings]\nreflect_minutes = 1.5\n"
                                "confirm_seconds = 20\n"))
    assert guide is not None
    assert (guide.settings.reflect_seconds, guide.settings.confirm_seconds) == (90.0, 20.0)


def test_a_plan_must_be_agreed_by_both(tmp_path: Path) -> None:
    text = MINIMAL.replace('[[steps]]\nid = "bye"', '[[steps]]\nid = "p"\nkind = "collect"\n'
                           'item = "plan"\nagree = "speaker"\nprompt = "{name}?"\n\n'
                           '[[steps]]\nid = "bye"')
    assert problems(tmp_path, text) == [
        'steps.p.agree: a plan binds both partners, so it is kept only when both say yes; '
        'expected agree = "both"']
    assert problems(tmp_path, text.replace('agree = "speaker"', 'agree = "both"')) == []


def test_repair_guide_carries_the_content() -> None:
    guide = load_guide("repair")
    assert [(s.id, s.kind) for s in guide.steps] == [
        ("welcome", "say"), ("cooldown", "say"), ("consent", "consent"),
        ("feelings", "reflect"), ("apology", "turns"), ("plan", "collect"),
        ("appreciations", "collect"), ("closing", "closing")]
    plan, appreciations = guide.steps[5], guide.steps[6]
    assert (plan.item, plan.agree) == ("plan", "both")
    assert (appreciations.item, appreciations.min, appreciations.max) == ("appreciation", 2, 2)
    assert "breathe" in " ".join(guide.steps[1].lines("prompts")).lower()
    assert "I felt" in guide.steps[3].text("prompt")
    apology = guide.steps[4].text("intro")
    assert "hurt" in apology and "part" in apology and "change" in apology
