"""Turning the journal into things a person keeps or sends: Markdown, JSON, a short message.

Appreciation text is never edited: in Markdown each one is a block quote whose lines,
with the leading "> " removed, are the confirmed text byte for byte, except control
characters, which a file opened in a terminal would obey: they are drawn as symbols
(␛, ⟨U+202E⟩, assistant/text.py). The JSON export keeps every character, escaped.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from assistant.journal.rows import SavedAppreciation, to_json
from assistant.journal.schema import CURRENT_VERSION
from assistant.journal.store import Journal
from assistant.text import json_text, visible

# Openings that already read as an appreciation; anything else gets a short lead-in.
_APPRECIATIVE_OPENINGS = ("i ", "i'", "thank", "thanks", "고마", "감사")


def format_day(at: datetime) -> str:
    """'Sun 5 May 2024' in local time."""
    local = at.astimezone()
    return f"{local:%a} {local.day} {local:%b %Y}"


def as_message(appreciation: SavedAppreciation) -> str:
    """A one- or two-sentence text the partner can send as it is (the guide's tip)."""
    text = appreciation.text.strip()
    first_word = text.split(" ", 1)[0].casefold()
    if first_word in ("thank", "thanks"):
        body = text[0].lower() + text[1:]  # "Min-ji, thank you ..." reads as one sentence
    elif text.casefold().startswith(_APPRECIATIVE_OPENINGS):
        body = text
    else:
        body = f"something I appreciate about you: {text}"
    return f"{appreciation.to_partner}, {body} — {appreciation.from_partner}"


def quote(text: str) -> str:
    """A Markdown block quote that keeps every line of `text` exactly."""
    return "\n".join(f"> {line}" if line else ">" for line in text.split("\n"))


def unquote(block: str) -> str:
    """The inverse of `quote` (used to check an export round trip)."""
    lines = []
    for line in block.split("\n"):
        if line == ">":
            lines.append("")
        elif line.startswith("> "):
            lines.append(line[2:])
        else:
            raise ValueError(f"not a quoted line: {line!r}")
    return "\n".join(lines)


def appreciations_markdown(items: list[SavedAppreciation], exported_at: datetime) -> str:
    """Every appreciation, newest first, each with the ready-to-send message under it."""
    count = len(items)
    plural = "" if count == 1 else "s"
    out = [
        "# Appreciations",
        "",
        f"_{count} appreciation{plural} from checkin, exported {format_day(exported_at)}._",
        "",
    ]
    if not items:
        out.append("No appreciations saved yet.")
        out.append("")
    for item in items:
        local = item.at.astimezone()
        out += [
            f"## {format_day(item.at)}, {local:%H:%M} · {visible(item.from_partner)} → "
            f"{visible(item.to_partner)}" + (" · typed" if item.typed else ""),
            "",
            quote(visible(item.text, newlines=True)),
            "",
            f"Message to send (#{item.id}): {visible(as_message(item), newlines=True)}",
            "",
        ]
    return "\n".join(out)


def everything_json(journal: Journal, exported_at: datetime) -> str:
    """All tables, with the history summaries alongside, as indented UTF-8 JSON."""
    data: dict[str, Any] = {
        "exported_at": exported_at.isoformat(),
        "schema_version": CURRENT_VERSION,
        "sessions_summary": to_json(journal.sessions()),
        "tables": journal.dump(),
    }
    return json_text(data, indent=2) + "\n"
