"""Fixtures for journal tests: a real SQLite journal in a temporary folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.journal.store import Journal


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "journal-home"


@pytest.fixture
def journal(data_dir: Path) -> Iterator[Journal]:
    opened = Journal.open(data_dir)
    yield opened
    opened.close()
