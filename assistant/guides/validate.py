"""Every problem of a guide file, each with its key and what was expected, so a
hand-written guide can be fixed in one pass (`checkin guides check`).

A step's kind and a collect step's item are checked against the registry
(flow/kinds.py); the tables below say, per kind, which sentences and fields a step
may have. A guide that passes becomes a `Guide` (model.py); one that does not never
reaches the flow.
"""

from __future__ import annotations

import string
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from assistant.flow.kinds import ItemKind, StepKind, names
from assistant.flow.states import RESERVED
from assistant.guides.model import Guide, Step, common_phrases, default_verbs
from assistant.guides.problems import Problem
from assistant.guides.settings import parse_settings
from assistant.limits import problem

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

# Placeholders a sentence may use, by where it is spoken. Every sentence may also use
# {say} and {Say}: the word for answering ("say" hands-free, "type" in the typed
# check-in, from the [verbs] table), so one sentence is true in both.
_PARTNER = {"name", "other"}
VERB_PLACEHOLDERS = {"say", "Say"}
_STEP_TEXT_FIELDS: dict[StepKind, dict[str, set[str]]] = {
    StepKind.SAY: {"prompts": set(), "safety": set()},
    StepKind.CONSENT: {"prompt": _PARTNER, "declined": set()},
    StepKind.TURNS: {"intro": set(), "prompt": _PARTNER | {"time"}},
    # reflect: {name} is who holds the floor in that part (the listener, when reflecting)
    StepKind.REFLECT: {"intro": set(), "prompt": _PARTNER | {"time"},
                       "reflect": _PARTNER | {"time"}, "confirm": _PARTNER | {"time"}},
    StepKind.COLLECT: {"intro": set(), "prompt": _PARTNER, "more": _PARTNER,
                       "planned": {"date"}, "loved": {"name", "text"}},
    StepKind.RITUALS: {"intro": set(), "item": {"text"}, "none": set()},
    StepKind.FOLLOWUP: {"intro": set(), "plan": {"text"}, "activity": {"text", "date"},
                        "happened": set(), "not_happened": set()},
    StepKind.CLOSING: {
        "prompts": {"a_name", "b_name", "a_time", "b_time"},
        "rituals": {"review_date"},
        "tips": _PARTNER | {"text"},
        "goodbye": set(),
    },
}
_REQUIRED: dict[StepKind, tuple[str, ...]] = {
    StepKind.SAY: ("prompts",),
    StepKind.CONSENT: ("prompt", "declined"),
    StepKind.TURNS: ("prompt",),
    StepKind.REFLECT: ("prompt", "reflect", "confirm"),
    StepKind.COLLECT: ("prompt", "item", "agree"),
    StepKind.RITUALS: ("item", "none"),
    StepKind.FOLLOWUP: ("plan", "activity", "happened", "not_happened"),
    StepKind.CLOSING: ("prompts", "goodbye"),
}
_STEP_OTHER_FIELDS: dict[StepKind, set[str]] = {
    StepKind.SAY: {"wait"},
    StepKind.TURNS: {"minutes"},
    StepKind.REFLECT: {"minutes"},
    StepKind.COLLECT: {"item", "agree", "min", "max", "enough"},
}
_AGREE = ("speaker", "both")
# What each phrase is filled with where the flow says it ({pause}: the cool-down's length,
# for every phrase); a phrase that used more would fail in the middle of a check-in.
_PHRASE_PLACEHOLDERS: dict[str, set[str]] = {
    **{key: _PARTNER | {"pause"} for key in (
        "times_up", "finish_up", "silence_nudge", "overrun", "thanks", "agree_other", "retry",
        "interruption", "voice_consent", "voice_consent_other", "nothing_to_save",
        "gentle_words")},
    "warning": _PARTNER | {"time", "pause"},
    "resume_turn": _PARTNER | {"time", "pause"},
    "readback_save": _PARTNER | {"text", "pause"},
    "readback_agree": _PARTNER | {"text", "pause"},
}
_MODES = ("voice", "typed")  # how the couple answers: keys of [verbs]
# Closing placeholders that are measured speech hands-free and the time taken when typed:
# a closing that uses them needs its own typed words (typed.prompts).
_TALK_TIMES = {"a_time", "b_time"}

# A guide is a page of sentences: far larger is a mistake (or an attack on the terminal).
MAX_GUIDE_BYTES = 256 * 1024
MAX_SENTENCE = 2000  # characters in one sentence, title or description


def parse_file(path: Path) -> tuple[Guide | None, list[Problem]]:
    """Read and validate a guide file; returns the guide (when valid) and every problem."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_GUIDE_BYTES + 1)
    except FileNotFoundError:
        return None, [Problem("file", f"{path} does not exist")]
    except IsADirectoryError:
        return None, [Problem("file", f"{path} is a folder; give a guide file (.toml)")]
    except OSError as err:
        return None, [Problem("file", f"cannot read {path}: {(err.strerror or str(err)).lower()}")]
    if len(data) > MAX_GUIDE_BYTES:
        return None, [Problem("file", f"larger than {MAX_GUIDE_BYTES // 1024} KB; a guide is "
                              "a page of sentences")]
    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError as err:
        return None, [Problem("file", f"not UTF-8 text (byte {err.start}); save it as UTF-8")]
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as err:
        return None, [Problem("toml", f"not valid TOML: {err}")]
    return parse_data(data, source=str(path))


def parse_data(data: dict[str, Any], source: str = "") -> tuple[Guide | None, list[Problem]]:
    """Validate guide data already parsed from TOML."""
    problems: list[Problem] = []
    known_top = {"guide", "settings", "phrases", "verbs", "steps"}
    for key in data:
        if key not in known_top:
            problems.append(Problem(key, f"unknown table; expected one of {sorted(known_top)}"))

    meta = data.get("guide", {})
    if not isinstance(meta, dict):
        problems.append(Problem("guide", "must be a table"))
        meta = {}
    name = meta.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(Problem("guide.name", "missing; expected a short name such as \"weekly\""))
        name = ""

    for key in ("name", "title", "description", "language"):
        if isinstance(meta.get(key), str):
            problems.extend(_check_length(f"guide.{key}", meta[key]))
    settings = parse_settings(data.get("settings", {}), problems)
    phrases = common_phrases()
    own = data.get("phrases", {})
    if not isinstance(own, dict):
        problems.append(Problem("phrases", "must be a table of sentences"))
        own = {}
    for key, value in own.items():
        if key not in phrases:
            problems.append(Problem(f"phrases.{key}", f"unknown phrase; expected one of "
                                    f"{', '.join(sorted(phrases))}"))
        elif not isinstance(value, str) or not value.strip():
            problems.append(Problem(f"phrases.{key}", "expected a non-empty sentence"))
        else:
            problems.extend(_check_placeholders(f"phrases.{key}", value,
                                                _PHRASE_PLACEHOLDERS.get(key, {"pause"})))
            phrases[key] = value

    verbs = _parse_verbs(data.get("verbs", {}), problems)
    steps = _parse_steps(data.get("steps"), problems)
    if problems:
        return None, problems
    guide = Guide(
        name=str(name),
        title=str(meta.get("title", name)),
        description=str(meta.get("description", "")),
        language=str(meta.get("language", "en")),
        settings=settings,
        phrases=phrases,
        steps=tuple(steps),
        source=source,
        verbs=verbs,
    )
    return guide, []


def guide_warnings(guide: Guide) -> list[Problem]:
    """What a valid guide should still have: things worth fixing that do not stop a run."""
    if guide.safety_note():
        return []
    return [Problem("safety", "this guide has no safety note; add a `safety` line to its "
                    "first say step (not therapy; abuse or coercion: seek help)")]


def _parse_verbs(raw: Any, problems: list[Problem]) -> dict[str, str]:
    verbs = default_verbs()
    if not isinstance(raw, dict):
        problems.append(Problem("verbs", "must be a table"))
        return verbs
    for key, value in raw.items():
        if key not in _MODES:
            problems.append(Problem(f"verbs.{key}",
                                    f"unknown; expected one of {', '.join(_MODES)}"))
        elif not isinstance(value, str) or not value.strip():
            problems.append(Problem(f"verbs.{key}", "expected a word, such as \"say\""))
        else:
            verbs[key] = value.strip()
    return verbs


def _parse_steps(raw: Any, problems: list[Problem]) -> list[Step]:
    if not isinstance(raw, list) or not raw:
        problems.append(Problem("steps", "missing; expected at least one [[steps]] table"))
        return []
    steps: list[Step] = []
    seen: set[str] = set()
    for index, entry in enumerate(raw):
        where = f"steps[{index}]"
        if not isinstance(entry, dict):
            problems.append(Problem(where, "expected a table"))
            continue
        step = _parse_step(where, entry, problems)
        if step is None:
            continue
        if step.id in RESERVED:
            reserved = ", ".join(sorted(RESERVED))
            problems.append(Problem(f"{where}.id", f"{step.id!r} is the name of one of the "
                                    f"check-in's own states; choose another (reserved: "
                                    f"{reserved})"))
        elif step.id in seen:
            problems.append(Problem(f"{where}.id", f"duplicate step id {step.id!r}"))
        seen.add(step.id)
        steps.append(step)
    kinds = [s.kind for s in steps]
    if steps and StepKind.CLOSING in kinds and kinds[-1] is not StepKind.CLOSING:
        problems.append(Problem("steps", "the closing step must be the last step"))
    return steps


def _parse_step(where: str, entry: dict[str, Any], problems: list[Problem]) -> Step | None:
    kind = _step_kind(where, entry, problems)
    step_id = entry.get("id")
    if kind is None:
        return None
    if not isinstance(step_id, str) or not step_id.isidentifier():
        problems.append(Problem(f"{where}.id", "expected a short name made of letters, digits "
                                "and underscores, such as \"sharing\""))
        return None
    where = f"steps.{step_id}"
    _check_fields(where, kind, entry, problems)
    texts = _parse_texts(where, kind, entry, problems)
    typed_texts = _parse_typed(where, kind, entry, problems)
    if kind is StepKind.CLOSING:
        _check_closing(where, texts, typed_texts, problems)
    problems.extend(_check_length(f"{where}.title", str(entry.get("title", step_id))))
    step = Step(id=step_id, kind=kind, title=str(entry.get("title", step_id)), texts=texts,
                typed_texts=typed_texts)
    if kind.optional_allowed:
        step = _parse_optional(where, entry, step, problems)
    own_fields = _OWN_FIELDS.get(kind)
    return own_fields(where, entry, step, problems) if own_fields else step


def _step_kind(where: str, entry: dict[str, Any], problems: list[Problem]) -> StepKind | None:
    kind = entry.get("kind")
    if isinstance(kind, str) and kind in _STEP_TEXT_FIELDS:
        return StepKind(kind)
    problems.append(Problem(f"{where}.kind", f"unknown step kind {kind!r}; expected one of "
                            f"{names(StepKind)}"))
    return None


def _check_fields(where: str, kind: StepKind, entry: dict[str, Any],
                  problems: list[Problem]) -> None:
    """Every key is one this kind of step uses, and the ones it needs are there."""
    allowed = set(_STEP_TEXT_FIELDS[kind]) | _STEP_OTHER_FIELDS.get(kind, set()) | {
        "id", "kind", "title", "typed"}
    if kind.optional_allowed:
        allowed |= {"optional", "offer"}
    for key in entry:
        if key not in allowed:
            problems.append(Problem(f"{where}.{key}", f"not used by a {kind.value} step; "
                                    f"expected one of {', '.join(sorted(allowed))}"))
    for key in _REQUIRED[kind]:
        if key not in entry:
            problems.append(Problem(f"{where}.{key}", f"missing; a {kind.value} step needs it"))


def _parse_typed(where: str, kind: StepKind, entry: dict[str, Any],
                 problems: list[Problem]) -> dict[str, Any]:
    """The typed check-in's own sentences (`typed.prompts = [...]`)."""
    typed = entry.get("typed", {})
    if not isinstance(typed, dict):
        problems.append(Problem(f"{where}.typed", "expected a table of the typed check-in's "
                                "own sentences, such as typed.prompts = [...]"))
        typed = {}
    text_fields = _STEP_TEXT_FIELDS[kind]
    for key in typed:
        if key not in text_fields:
            problems.append(Problem(f"{where}.typed.{key}", f"not a sentence of a {kind.value} "
                                    f"step; expected one of {', '.join(sorted(text_fields))}"))
    return _parse_texts(f"{where}.typed", kind, typed, problems)


def _check_closing(where: str, texts: dict[str, Any], typed_texts: dict[str, Any],
                   problems: list[Problem]) -> None:
    """Talk times need typed words of their own; names belong only in a message tip."""
    if _uses(texts.get("prompts", []), _TALK_TIMES) and "prompts" not in typed_texts:
        problems.append(Problem(f"{where}.typed.prompts", "missing; prompts say how long each "
                                "partner spoke, so the typed check-in needs its own words for "
                                "the time each took, e.g. \"{a_name} took {a_time}.\""))
    for tip in texts.get("tips", []):
        if _uses(tip, _PARTNER) and not _uses(tip, {"text"}):
            problems.append(Problem(f"{where}.tips", "a tip is said to both of you; {name} and "
                                    "{other} belong only in a tip that offers an appreciation "
                                    "({text}) as a message"))


def _parse_say(where: str, entry: dict[str, Any], step: Step, problems: list[Problem]) -> Step:
    wait = entry.get("wait", True)
    if not isinstance(wait, bool):
        problems.append(Problem(f"{where}.wait", "expected true or false"))
        wait = True
    return replace(step, wait=wait)


def _parse_minutes(where: str, entry: dict[str, Any], step: Step,
                   problems: list[Problem]) -> Step:
    """A timed step's own allotment, within the bounds of a turn (limits.py)."""
    minutes = entry.get("minutes")
    wrong = None if minutes is None else problem("turn_minutes", minutes)
    if wrong:
        problems.append(Problem(f"{where}.minutes", wrong))
        minutes = None
    return replace(step, minutes=float(minutes) if minutes is not None else None)


def _parse_optional(where: str, entry: dict[str, Any], step: Step,
                    problems: list[Problem]) -> Step:
    """`optional = true` needs an `offer`: the question that lets the couple skip the step."""
    optional = entry.get("optional", False)
    if not isinstance(optional, bool):
        problems.append(Problem(f"{where}.optional", "expected true or false"))
        return step
    offer = entry.get("offer")
    if offer is not None and not optional:
        problems.append(Problem(f"{where}.offer", "only an optional step is offered; "
                                "add optional = true, or remove the offer"))
    if not optional:
        return step
    if not isinstance(offer, str) or not offer.strip():
        problems.append(Problem(f"{where}.offer", "missing; an optional step asks first, "
                                "e.g. \"Shall we plan something? {Say} yes, or next.\""))
        return step
    problems.extend(_check_placeholders(f"{where}.offer", offer, set()))
    return replace(step, optional=True, texts={**step.texts, "offer": offer})


def _parse_texts(where: str, kind: StepKind, entry: dict[str, Any],
                 problems: list[Problem]) -> dict[str, Any]:
    """The step's sentences in `entry`, each checked for the placeholders it may use."""
    texts: dict[str, Any] = {}
    for key, allowed in _STEP_TEXT_FIELDS[kind].items():
        if key not in entry:
            continue
        value = entry[key]
        lines = value if isinstance(value, list) else [value]
        if not lines or not all(isinstance(v, str) and v.strip() for v in lines):
            problems.append(Problem(f"{where}.{key}", "expected a non-empty sentence "
                                    "(or a list of them)"))
            continue
        for line in lines:
            problems.extend(_check_placeholders(f"{where}.{key}", line, allowed))
        texts[key] = value
    return texts


def _uses(value: Any, names: set[str]) -> bool:
    """True when a sentence (or a list of them) uses one of these placeholders."""
    lines = [value] if isinstance(value, str) else list(value)
    try:
        return any(f in names for line in lines
                   for _, f, _, _ in string.Formatter().parse(line) if f)
    except ValueError:  # reported by _check_placeholders
        return False


def _parse_collect(where: str, entry: dict[str, Any], step: Step,
                   problems: list[Problem]) -> Step:
    raw = entry.get("item", "")
    item = ItemKind(raw) if isinstance(raw, str) and raw in _ITEM_VALUES else None
    if item is None:
        problems.append(Problem(f"{where}.item", f"expected one of {names(ItemKind)}, "
                                f"got {raw!r}"))
    agree = entry.get("agree", "speaker")
    if agree not in _AGREE:
        problems.append(Problem(f"{where}.agree", f"expected one of {', '.join(_AGREE)}, "
                                f"got {agree!r}"))
    if item is not None and item.binds_both and agree != "both":
        problems.append(Problem(f"{where}.agree", f"a {item.value} binds both partners, so it is "
                                "kept only when both say yes; expected agree = \"both\""))
    if "planned" in entry and item is not ItemKind.ACTIVITY:
        problems.append(Problem(f"{where}.planned", "only an activity has a date to plan; "
                                "remove it, or use item = \"activity\""))
    if "loved" in entry and item not in (ItemKind.RITUAL, ItemKind.ACTIVITY):
        problems.append(Problem(f"{where}.loved", "how each of you feels loved is read back "
                                "when choosing rituals or an activity; remove it, or use "
                                "item = \"ritual\""))
    counts: dict[str, int] = {}
    for key, default in (("min", 0), ("max", 2), ("enough", 0)):
        value = entry.get(key, default)
        wrong = problem("items", value)
        if wrong or not isinstance(value, int):
            problems.append(Problem(f"{where}.{key}", wrong or f"must be a whole number of "
                                    f"items, got {value!r}"))
            value = default
        counts[key] = value
    if counts["max"] < max(counts["min"], 1):
        problems.append(Problem(f"{where}.max", f"expected at least max(min, 1) = "
                                f"{max(counts['min'], 1)}, got {counts['max']}"))
    if counts["enough"] > counts["max"]:
        problems.append(Problem(f"{where}.enough", f"expected at most max = {counts['max']}, "
                                f"got {counts['enough']}"))
    return replace(step, item=item, agree=str(agree), min=counts["min"], max=counts["max"],
                   enough=counts["enough"])


def _check_length(key: str, text: str) -> list[Problem]:
    if len(text) <= MAX_SENTENCE:
        return []
    return [Problem(key, f"{len(text)} characters; a sentence may have at most {MAX_SENTENCE}")]


def _check_placeholders(key: str, text: str, allowed: set[str]) -> list[Problem]:
    if len(text) > MAX_SENTENCE:
        return _check_length(key, text)
    try:
        fields = [(f, spec, conv) for _, f, spec, conv in string.Formatter().parse(text)
                  if f is not None]
    except ValueError as err:
        return [Problem(key, f"badly formed placeholder ({err}); write {{name}}, and {{{{ }}}} "
                        "for a literal brace")]
    dressed = next((f"{{{f}{'!' + conv if conv else ''}{':' + spec if spec else ''}}}"
                    for f, spec, conv in fields if spec or conv), None)
    if dressed:  # {name:d} or {name!r} would fail, or pad a line, when it is said
        return [Problem(key, f"placeholder {dressed} has a format; write it plain, like "
                        "{name}")]
    names = {f for f, _, _ in fields}
    allowed = allowed | VERB_PLACEHOLDERS
    unknown = sorted(n for n in names if n not in allowed)
    if not unknown:
        return []
    can = ", ".join("{" + n + "}" for n in sorted(allowed))
    return [Problem(key, f"unknown placeholder {', '.join('{' + n + '}' for n in unknown)}; "
                    f"this sentence can use {can}")]


# What each kind reads beyond its sentences (the other kinds: nothing more).
_OWN_FIELDS: dict[StepKind, Callable[[str, dict[str, Any], Step, list[Problem]], Step]] = {
    StepKind.SAY: _parse_say,
    StepKind.TURNS: _parse_minutes,
    StepKind.REFLECT: _parse_minutes,
    StepKind.COLLECT: _parse_collect,
}
_ITEM_VALUES = frozenset(k.value for k in ItemKind)
