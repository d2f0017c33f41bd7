"""Reading the live view's frame as text rows: which rows are drawn in blocks."""

from __future__ import annotations

import textwrap


def block_rows(rows: list[str]) -> list[int]:
    """Indexes of the rows drawn only in blocks (the countdown, the breathing shape)."""
    return [i for i, row in enumerate(rows) if row.strip() and set(row.strip()) <= {"█", " "}]


def countdown(rows: list[str]) -> str:
    """The block-font rows of a turn's countdown, as `big` writes them."""
    return textwrap.dedent("\n".join(rows[i].rstrip() for i in block_rows(rows)))
