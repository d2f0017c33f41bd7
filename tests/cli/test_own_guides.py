"""The couple's own guides in <data folder>/guides: listed, checked and used by name."""

from __future__ import annotations

import re
from pathlib import Path

from assistant.guides import shipped_path
from assistant.journal.store import Journal
from tests.support.cli import checkin
from tests.support.typed import DAILY_SCRIPT


def home(folder: Path) -> dict[str, str]:
    """The environment that makes `folder` checkin's home (its journal, its own guides)."""
    return {"CHECKIN_HOME": str(folder)}



def write_own_guide(home: Path, file_name: str, name: str, title: str) -> Path:
    """A copy of the daily guide under another name, as a couple would start one."""
    text = shipped_path("daily").read_text(encoding="utf-8")
    text = text.replace('name = "daily"', f'name = "{name}"', 1)
    assert f'name = "{name}"' in text
    text = text.replace('title = "Daily check-in"', f'title = "{title}"', 1)
    path = home / "guides" / file_name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_an_own_guide_is_listed_and_runs_by_name(tmp_path: Path) -> None:
    write_own_guide(tmp_path, "evening.toml", "evening", "Our evening")
    listing = checkin("guides", env=home(tmp_path))
    assert listing.returncode == 0, listing.stderr
    assert f"Your own guides, in {tmp_path / 'guides'}:" in listing.stdout
    assert "evening  Our evening:" in listing.stdout
    run = checkin("run", "--text", "--guide", "evening", "--names", "Ana,Ben",
                  stdin=DAILY_SCRIPT, env=home(tmp_path))
    assert run.returncode == 0, run.stderr
    with Journal.open(tmp_path) as journal:
        (session,) = journal.sessions()
        assert len(journal.appreciations()) == 2
    assert session.guide == "evening" and session.end_reason == "completed"


def test_a_broken_or_clashing_own_guide_says_what_to_do(tmp_path: Path) -> None:
    broken = tmp_path / "guides" / "broken.toml"
    broken.parent.mkdir(parents=True)
    broken.write_text('[guide]\nname = "broken"\n', encoding="utf-8")
    write_own_guide(tmp_path, "weekly.toml", "mine", "Mine")
    listing = checkin("guides", env=home(tmp_path))
    assert listing.returncode == 0 and "Traceback" not in listing.stderr
    # The hint names the command as this process was run (here: python -m assistant).
    assert re.search(rf"see them with: \S.* guides check {re.escape(str(broken))}\n",
                     listing.stdout)
    assert "weekly.toml has the name of a shipped guide: rename it" in listing.stdout
    assert "Weekly check-in:" in listing.stdout  # the shipped weekly still wins
    run = checkin("run", "--text", "--guide", "broken", "--names", "Ana,Ben", env=home(tmp_path))
    assert run.returncode != 0
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].endswith(f" guides check {broken}")
    unknown = checkin("run", "--text", "--guide", "yearly", "--names", "Ana,Ben", env=home(tmp_path))
    assert "choose one of weekly, daily, review, repair, broken, or give a .toml file" in unknown.stderr


def test_without_own_guides_the_listing_says_where_they_go(tmp_path: Path) -> None:
    listing = checkin("guides", env=home(tmp_path))
    assert listing.returncode == 0
    assert f"Your own guides can go in {tmp_path / 'guides'}, one NAME.toml each." \
        in listing.stdout
