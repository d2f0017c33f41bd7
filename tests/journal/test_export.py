"""Export: every appreciation verbatim in the Markdown, everything in the JSON."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone

from assistant.journal.export import (
    appreciations_markdown,
    as_message,
    everything_json,
    quote,
    unquote,
)
from assistant.journal.rows import SavedAppreciation
from assistant.journal.store import Journal
from tests.journal import sample

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=timezone.utc)


def quoted_blocks(markdown: str) -> list[str]:
    """Every block quote in the document, unquoted."""
    blocks = re.findall(r"(?m)^(?:>(?: .*)?\n?)+", markdown)
    return [unquote(block.rstrip("\n")) for block in blocks]


def appreciation(text: str, to: str = "Min-ji", who: str = "Joon") -> SavedAppreciation:
    return SavedAppreciation(1, 1, who, to, text, 0.9, NOW)


def test_quote_round_trips_awkward_text() -> None:
    for text in [
        "plain",
        "two\nlines",
        "blank\n\nline",
        "> already quoted",
        "# not a heading",
        "quotes \"double\" and 'single'",
        "trailing space ",
        "한국어 🌿",
        "\n",
    ]:
        assert unquote(quote(text)) == text


def test_markdown_holds_every_appreciation_verbatim(journal: Journal) -> None:
    sample.fill(journal)
    items = journal.appreciations()
    markdown = appreciations_markdown(items, NOW)
    assert quoted_blocks(markdown) == [a.text for a in items]
    for a in items:
        assert f"(#{a.id}): {as_message(a)}" in markdown
    assert markdown.startswith("# Appreciations\n")
    assert f"_{len(items)} appreciations from checkin" in markdown


def test_empty_markdown_says_so() -> None:
    assert "No appreciations saved yet." in appreciations_markdown([], NOW)


def test_json_export_has_every_table_and_parses(journal: Journal) -> None:
    sample.fill(journal)
    data = json.loads(everything_json(journal, NOW))
    tables = data["tables"]
    texts = [row["text"] for row in tables["appreciations"]]
    assert texts == [text for week in sample.WEEKS for _, text in week[4]]
    assert len(tables["sessions"]) == len(sample.WEEKS) == len(data["sessions_summary"])
    assert len(tables["turns"]) == 2 * len(sample.WEEKS)
    assert [r["text"] for r in tables["rituals"]] == list(sample.RITUALS)
    assert len(tables["review_checkpoints"]) == 3
    assert tables["transcripts"] == []
    assert data["schema_version"] == journal.schema_version


def test_message_reads_as_one_short_text() -> None:
    assert as_message(appreciation("I appreciate that you listened.")) == (
        "Min-ji, I appreciate that you listened. — Joon"
    )
    assert (
        as_message(appreciation("Thank you for the tea")) == "Min-ji, thank you for the tea — Joon"
    )
    assert as_message(appreciation("you made dinner", to="Joon", who="Min-ji")) == (
        "Joon, something I appreciate about you: you made dinner — Min-ji"
    )
    assert as_message(appreciation("고마워 정말")) == "Min-ji, 고마워 정말 — Joon"
