"""The couple's own guides: TOML files in the `guides` folder of the user's data folder.

Why a folder: an installed checkin has no repository to add a guide to, and typing a
file's path every evening is a chore. A file `<data folder>/guides/NAME.toml` is listed
by `checkin guides` and used with `checkin run --guide NAME`. The folder follows
$CHECKIN_HOME like the journal's default (not `--data-dir`, which moves the journal only).
"""

from __future__ import annotations

from pathlib import Path


def own_guides_dir() -> Path:
    """`guides` in the user's data folder (~/.local/share/checkin/guides on Linux)."""
    from assistant.journal.paths import resolve_data_dir

    return resolve_data_dir() / "guides"


def own_guide_files() -> dict[str, Path]:
    """Each NAME.toml in the folder by NAME, sorted; none when the folder is absent."""
    folder = own_guides_dir()
    try:
        files = sorted(p for p in folder.glob("*.toml") if p.is_file())
    except OSError:  # an unreadable folder lists nothing; `checkin guides` names the folder
        return {}
    return {p.stem: p for p in files}
