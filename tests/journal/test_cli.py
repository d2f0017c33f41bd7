"""The journal commands as a person runs them: `python -m assistant …` in a subprocess."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.journal.store import Journal
from tests.journal import sample
from tests.support.cli import checkin


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("cli") / "journal"
    with Journal.open(folder) as journal:
        sample.fill(journal)
    yield folder


def all_texts() -> list[str]:
    return [text for week in sample.WEEKS for _, text in week[4]]


def test_history_json(home: Path) -> None:
    done = checkin("history", "--json", "--data-dir", str(home))
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    sessions = data["sessions"]
    assert len(sessions) == len(sample.WEEKS)
    oldest = sessions[-1]  # newest first
    assert oldest["speech"] == {"Joon": 290.0, "Min-ji": 170.0}
    assert (oldest["voice_raises"], oldest["pauses"]) == (2, 1)
    assert oldest["rituals"] == list(sample.RITUALS)
    assert oldest["duration"] == 26 * 60
    assert [r["due_on"] for r in data["reviews"]] == ["2024-04-21", "2024-05-05", "2024-06-02"]


def test_history_text_uses_checkin_home(home: Path) -> None:
    done = checkin("history", env={"CHECKIN_HOME": str(home)})
    assert done.returncode == 0, done.stderr
    assert "speech: Joon 4:50 · Min-ji 2:50 (allotted 5:00 each)" in done.stdout
    assert "heat: 2 raised voices, 1 pause" in done.stdout
    assert "reviews due: 21 Apr 2024, 5 May 2024, 2 Jun 2024" in done.stdout


def test_appreciations_filters_and_message(home: Path) -> None:
    every = json.loads(checkin("appreciations", "--json", "--data-dir", str(home)).stdout)
    assert [a["text"] for a in every] == list(reversed(all_texts()))
    by_minji = checkin("appreciations", "--from", "Min-ji", "--json", "--data-dir", str(home))
    assert {a["from_partner"] for a in json.loads(by_minji.stdout)} == {"Min-ji"}
    recent = checkin("appreciations", "--since", "2024-05-06", "--json", "--data-dir", str(home))
    assert [a["text"] for a in json.loads(recent.stdout)] == list(reversed(all_texts()))[:2]
    tea = next(a for a in every if a["text"].startswith("you made tea"))
    message = checkin("appreciations", "--message", str(tea["id"]), "--data-dir", str(home))
    assert message.stdout == (
        "Min-ji, something I appreciate about you: you made tea\nevery morning this week — Joon\n"
    )


def test_export_markdown_and_json(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "appreciations.md"
    done = checkin("export", "--out", str(out), "--data-dir", str(home))
    assert done.returncode == 0, done.stderr
    markdown = out.read_text(encoding="utf-8")
    for text in all_texts():
        assert "\n".join(f"> {line}" for line in text.split("\n")) in markdown
    as_json = checkin("export", "--json", "--data-dir", str(home))
    tables = json.loads(as_json.stdout)["tables"]
    assert [row["text"] for row in tables["appreciations"]] == all_texts()


def test_report_png(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.png"
    done = checkin("report", "--out", str(out), "--data-dir", str(home))
    assert done.returncode == 0, done.stderr
    assert out.read_bytes()[:4] == b"\x89PNG"


def test_errors_are_one_line_and_nothing_is_created(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    done = checkin("history", "--data-dir", str(tmp_path / "nothing-here"))
    assert (done.returncode, done.stdout) == (0, "No check-ins yet.\n")
    assert not (tmp_path / "nothing-here").exists()
    bad = checkin("report", "--out", str(tmp_path / "r.pdf"), "--data-dir", str(tmp_path))
    assert bad.returncode == 2
    assert bad.stderr == "checkin: --out must end in .png or .html, not 'r.pdf'.\n"
    missing = checkin("appreciations", "--message", "7", "--data-dir", str(tmp_path))
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1
