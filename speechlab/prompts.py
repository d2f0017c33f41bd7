"""Every sentence the shipped guides speak, filled in as a check-in fills it in.

For measuring the assistant's voice (scripts/bench_speech.py, tests/audio/
test_warm_voice.py): each step's spoken texts and every shared phrase, with the
couple's names, spoken times and dates as the flow says them. The typed check-in's own
wording is left out: it is never spoken.
"""

from __future__ import annotations

import string
from datetime import date

from assistant.flow.machine import _spoken_date
from assistant.flow.turns import spoken_duration
from assistant.flow.wording import fill
from assistant.guides import Guide, list_guides

NAMES = ("Ana", "Ben")
# Names said as written (issue 25): each is asked the consent question in the tests.
HARD_NAMES = ("Ana", "Siobhan", "Zoë", "Jean-Luc")


def _values(guide: Guide, name: str, other: str) -> dict[str, str]:
    say = guide.verb(typed=False)
    return {"name": name, "other": other, "a_name": name, "b_name": other,
            "time": spoken_duration(180), "a_time": spoken_duration(250),
            "b_time": spoken_duration(195), "pause": spoken_duration(600),
            "text": "you made me tea this morning", "date": _spoken_date(date(2026, 3, 4)),
            "review_date": _spoken_date(date(2026, 3, 18)), "say": say,
            "Say": say.capitalize()}


def _texts(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return [t for v in value for t in _texts(v)]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    return []


def guide_prompts(guide: Guide, names: tuple[str, str] = NAMES) -> list[str]:
    """Every sentence `guide` can say, filled in, each once, in the guide's order."""
    templates = [t for step in guide.steps for t in _texts(step.texts)]
    templates += [t for t in _texts(guide.phrases)]
    values = _values(guide, *names)
    found: list[str] = []
    for template in templates:
        used = {f for _, f, _, _ in string.Formatter().parse(template) if f}
        if not used <= set(values):
            continue  # a key that is not a sentence (none today)
        text = fill(template, **{k: values[k] for k in used})
        if text.strip() and text not in found:
            found.append(text)
    return found


def shipped_prompts() -> dict[str, list[str]]:
    """Every shipped English guide's spoken sentences, by guide name."""
    return {g.name: guide_prompts(g) for g in list_guides() if g.language == "en"}


def names_in(text: str, names: tuple[str, ...] = NAMES) -> list[str]:
    """The partners' names a sentence says, in order."""
    from speechlab.english import words_of

    wanted = {n.casefold(): n for n in names}
    return [wanted[w] for w in words_of(text) if w in wanted]
