"""Journal commands: `appreciations`, `history`, `export`, `report`, and `journal check` /
`journal restore` for a damaged journal.

All but `journal restore` only read, through `Journal.open_read_only` (SQLite mode=ro): a
machine with no journal yet gets an empty answer, nothing is created or rewritten on disk,
and they work while a check-in runs. What people said is printed through `visible`
(assistant/text.py). Every command takes --data-dir (else CHECKIN_HOME, else the platform
user data folder).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from assistant.errors import ConfigError
from assistant.invocation import checkin_command
from assistant.settings import data_folder
from assistant.text import json_text, visible, visible_lines

if TYPE_CHECKING:
    from assistant.journal.reviews import Checkpoint
    from assistant.journal.rows import SavedAppreciation, SavedHeat, SessionSummary

T = TypeVar("T")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date like 2024-05-31, not {text!r}") from None


def _add_data_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        type=data_folder,
        default=None,
        metavar="DIR",
        help="journal folder (default: the config file's data_dir, else $CHECKIN_HOME, "
        "else the user data folder)",
    )
    parser.set_defaults(journal_reader=True)  # cli/__init__.py fills in the config's folder


def register(sub: Any) -> None:
    """Add the journal subcommands to the `checkin` parser."""
    p = sub.add_parser(
        "appreciations",
        help="list saved appreciations, newest first",
        description="List the appreciations you saved, newest first.",
    )
    p.add_argument("--from", dest="from_partner", metavar="NAME", help="only those NAME said")
    p.add_argument("--since", type=_day, metavar="DATE", help="only from DATE (YYYY-MM-DD) on")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument(
        "--message", type=int, metavar="ID", help="print appreciation ID as a short text to send"
    )
    _add_data_dir(p)
    p.set_defaults(func=cmd_appreciations)

    p = sub.add_parser(
        "history",
        help="show past check-ins and ritual reviews",
        description=(
            "Each check-in: date, guide, length, speech time per partner, raised voices and "
            "pauses, rituals agreed, and when their reviews are due."
        ),
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    _add_data_dir(p)
    p.set_defaults(func=cmd_history)

    p = sub.add_parser(
        "export",
        help="export appreciations as Markdown (or everything as JSON)",
        description="Write the appreciations as Markdown, or the whole journal as JSON.",
    )
    p.add_argument("--out", type=Path, metavar="FILE", help="write to FILE (default: stdout)")
    p.add_argument("--json", action="store_true", help="export everything as JSON")
    _add_data_dir(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "report",
        help="draw charts of your check-ins (PNG or HTML)",
        description=(
            "Charts of speech-time balance per check-in, raised voices and pauses, and "
            "appreciations per week."
        ),
    )
    p.add_argument("--out", type=Path, required=True, metavar="FILE", help="FILE.png or FILE.html")
    _add_data_dir(p)
    p.set_defaults(func=cmd_report)
    _register_journal(sub)


def _register_journal(sub: Any) -> None:
    """`checkin journal check|restore`: the journal file itself, and its backups."""
    group = sub.add_parser(
        "journal",
        help="check the journal file, or restore it from a backup",
        description="The journal is copied into the backups folder of your data folder after "
        "each check-in that comes to its end (the last 5 are kept). `check` tests the journal "
        "and each copy; `restore` puts the newest good copy (or the one you name) in place, "
        "keeping the journal it replaces beside it.",
    )
    group.set_defaults(func=lambda args: group.print_help() or 0)
    actions = group.add_subparsers(dest="journal_command", metavar="ACTION")
    check = actions.add_parser("check", help="test the journal and its backups (read only)")
    _add_data_dir(check)
    check.set_defaults(func=cmd_journal_check)
    restore = actions.add_parser("restore", help="put a backup in place of the journal")
    restore.add_argument("backup", nargs="?", type=Path, metavar="BACKUP",
                         help="the backup file (default: the newest good one)")
    _add_data_dir(restore)
    restore.set_defaults(func=cmd_journal_restore)


def _read(data_dir: Path | None, read: Callable[[Any], T], empty: T) -> T:
    """Run `read(journal)` on the journal, or return `empty` when none exists yet."""
    from assistant.journal.store import Journal

    journal = Journal.open_read_only(data_dir)
    if journal is None:
        return empty
    with journal:
        return read(journal)


def _print_json(value: Any) -> None:
    from assistant.journal.rows import to_json

    print(json_text(to_json(value), indent=2))


def cmd_appreciations(args: argparse.Namespace) -> int:
    from assistant.journal.export import as_message, format_day

    items: list[SavedAppreciation] = _read(
        args.data_dir, lambda j: j.appreciations(args.from_partner, args.since), []
    )
    if args.message is not None:
        chosen = next((a for a in items if a.id == args.message), None)
        if chosen is None:
            raise ConfigError(
                f"No appreciation #{args.message}; see the numbers with: "
                f"{checkin_command('appreciations')}"
            )
        print(visible(as_message(chosen), newlines=True))
        return 0
    if args.json:
        _print_json(items)
        return 0
    if not items:
        print("No appreciations saved yet.")
        return 0
    for a in items:
        local = a.at.astimezone()
        print(f"#{a.id}  {format_day(a.at)} {local:%H:%M}  {visible(a.from_partner)} → "
              f"{visible(a.to_partner)}")
        for line in visible_lines(a.text):
            print(f"    {line}")
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    from assistant.journal.history import history_text

    empty: tuple[list[SessionSummary], list[Checkpoint]] = ([], [])
    sessions, checkpoints = _read(
        args.data_dir, lambda j: (j.sessions(), j.review_checkpoints()), empty
    )
    today = date.today()
    if args.json:
        from assistant.journal.reviews import most_recent_due
        from assistant.journal.rows import to_json

        current = most_recent_due(checkpoints, today)
        payload = {
            "sessions": to_json(list(reversed(sessions))),
            "reviews": [{**to_json(c), "due_now": c == current} for c in checkpoints],
        }
        print(json_text(payload, indent=2))
        return 0
    sys.stdout.write(history_text(sessions, checkpoints, today))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from assistant.journal.export import appreciations_markdown, everything_json
    from assistant.journal.paths import write_private

    now = datetime.now().astimezone()
    if args.json:
        empty_json = json.dumps({"exported_at": now.isoformat(), "tables": {}}, indent=2) + "\n"
        text = _read(args.data_dir, lambda j: everything_json(j, now), empty_json)
    else:
        text = _read(
            args.data_dir,
            lambda j: appreciations_markdown(j.appreciations(), now),
            appreciations_markdown([], now),
        )
    if args.out is None:
        sys.stdout.write(text)
    else:
        write_private(args.out, text.encode("utf-8"))
        print(f"Wrote {args.out}", file=sys.stderr)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from assistant.journal.report import write_report

    empty: tuple[list[SessionSummary], list[SavedHeat], list[SavedAppreciation]] = ([], [], [])
    sessions, heat, appreciations = _read(
        args.data_dir,
        lambda j: (j.sessions(), j.heat_events(), j.appreciations()),
        empty,
    )
    write_report(args.out, sessions, heat, appreciations)
    print(f"Wrote {args.out}", file=sys.stderr)
    return 0


def cmd_journal_check(args: argparse.Namespace) -> int:
    """One line for the journal and one for each backup: sound, or what is wrong."""
    from assistant.journal.backup import contents, list_backups, problem_in
    from assistant.journal.connection import folder_args
    from assistant.journal.paths import DB_NAME, check_is_folder, resolve_data_dir

    folder = resolve_data_dir(args.data_dir)
    check_is_folder(folder)
    path = folder / DB_NAME
    copies = list_backups(folder)
    bad = 0
    if not path.exists():
        print(f"No journal at {path} yet.")
    else:
        wrong = problem_in(path) if path.stat().st_size else None
        bad += wrong is not None
        print(visible(f"{path}: " + (f"damaged ({wrong})" if wrong else
                                     f"ok ({contents(path)})" if path.stat().st_size
                                     else "empty")))
    for copy in copies:
        wrong = problem_in(copy)
        print(visible(f"{copy}: " + (f"damaged ({wrong})" if wrong else f"ok ({contents(copy)})")))
    if not copies:
        print("No backups yet (one is made after each check-in that comes to its end).")
    if bad and copies:
        print(f"Restore the newest good backup with: "
              f"{checkin_command('journal', 'restore', *folder_args(args.data_dir))}")
    return 1 if bad else 0


def cmd_journal_restore(args: argparse.Namespace) -> int:
    """Put a sound backup in place, while no check-in runs, keeping the journal it replaces."""
    from assistant.journal.backup import backups_dir, restore
    from assistant.journal.connection import folder_args
    from assistant.journal.lock import holding
    from assistant.journal.paths import check_is_folder, resolve_data_dir

    folder = resolve_data_dir(args.data_dir)
    check_is_folder(folder)
    chosen = args.backup
    if chosen is not None and not chosen.exists() and (backups_dir(folder) / chosen).exists():
        chosen = backups_dir(folder) / chosen  # named as `journal check` lists it
    if not folder.is_dir():
        raise ConfigError(f"There is no journal folder at {folder}; nothing to restore.")
    with holding(folder):
        done = restore(folder, chosen, datetime.now().astimezone(), folder_args(args.data_dir))
    kept = f"; the journal it replaced is kept as {done.kept}" if done.kept else ""
    print(visible(f"Restored the journal from {done.backup} ({done.contents}){kept}."))
    return 0
