"""Where the journal lives, and making that place private before anything is written.

Order of precedence: an explicit `--data-dir`, then the CHECKIN_HOME variable (read and
checked in assistant/settings.py, like every setting), then the platform's user data
folder (e.g. ~/.local/share/checkin on Linux). Resolving a path does not touch the disk;
`ensure_private_dir` does, and reports problems as StorageError.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from assistant.errors import StorageError

APP_NAME = "checkin"
ENV_VAR = "CHECKIN_HOME"  # named in messages; read by assistant/settings.py
DB_NAME = "journal.sqlite3"
# Below this much free space a check-in could fail half-way through saving; refuse at start.
MIN_FREE_BYTES = 1024 * 1024


def resolve_data_dir(data_dir: Path | str | None = None) -> Path:
    """The journal folder: --data-dir > $CHECKIN_HOME > the platform user data dir."""
    from assistant.settings import read_environment

    if data_dir:
        return home_expanded(Path(data_dir))
    home = read_environment().home
    if home is not None:
        return home
    import platformdirs  # small, but only needed when no folder was given

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def check_is_folder(folder: Path) -> None:
    """A data folder that exists as a file (or under one) is a mistake to say, not an
    empty journal to report."""
    hint = f"choose another folder with --data-dir or {ENV_VAR}"
    if folder.exists() and not folder.is_dir():
        raise StorageError(f"The journal folder {folder} is a file, not a folder; {hint}.")
    for parent in folder.parents:
        if parent.exists():
            if not parent.is_dir():
                raise StorageError(f"The journal folder {folder} is under {parent}, which is "
                                   f"a file; {hint}.")
            break


def home_expanded(path: Path) -> Path:
    """`~/x` as the home folder's x; a folder that cannot exist is one line, not a crash."""
    if "\x00" in str(path):
        raise StorageError(f"The journal folder {str(path)!r} holds a NUL character, which no "
                           "folder name can; give another.")
    try:
        return path.expanduser()
    except RuntimeError:  # ~name of a user this machine does not have
        raise StorageError(f"The journal folder {path} starts with {path.parts[0]}, but there "
                           "is no such user here; write the folder out in full.") from None


def ensure_private_dir(folder: Path) -> None:
    """Create `folder` (mode 0700) if needed and check there is room to write in it.

    An existing folder keeps its mode: it may be one the user chose on purpose.
    """
    hint = f"choose another folder with --data-dir or {ENV_VAR}"
    check_is_folder(folder)
    _check_free_space(_nearest_existing(folder), folder, hint)
    if not folder.exists():
        try:
            folder.mkdir(mode=0o700, parents=True)
            folder.chmod(0o700)  # mkdir's mode is filtered by the umask
        except FileExistsError:
            pass  # another process made it at the same moment
        except OSError as err:
            raise StorageError(
                f"Cannot create the journal folder {folder} ({_reason(err)}); {hint}."
            ) from err


def _nearest_existing(folder: Path) -> Path:
    """The folder itself, or the closest ancestor that exists (where it would be made)."""
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            return candidate
    return folder


def _check_free_space(where: Path, folder: Path, hint: str) -> None:
    """Refuse a nearly full disk before creating anything on it."""
    try:
        usage = shutil.disk_usage(where)
    except OSError as err:
        raise StorageError(
            f"Cannot read the journal folder {folder} ({_reason(err)}); {hint}."
        ) from err
    if usage.total == 0:  # /proc, /sys: the system's own view, not a disk
        raise StorageError(f"The journal folder {folder} is on {where}, which holds no files "
                           f"(a system folder, not a disk); {hint}.")
    free = usage.free
    if free < MIN_FREE_BYTES:
        raise StorageError(
            f"The disk holding the journal folder {folder} is full ({free // 1024} KB free); "
            f"free some space or {hint}."
        )


def _reason(err: OSError) -> str:
    """A short lower-case reason such as 'permission denied' or 'read-only file system'."""
    text = err.strerror or type(err).__name__
    return text[:1].lower() + text[1:]


def write_private(path: Path, payload: bytes) -> None:
    """Write a file only its owner can read: exports hold the couple's own words."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
    except OSError as err:
        raise StorageError(f"Cannot write {path} ({_reason(err)}); choose another --out.") from err
