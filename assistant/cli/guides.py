"""`checkin guides`: list the shipped guides, check a guide file, draw a guide's flow."""

from __future__ import annotations

import argparse
from pathlib import Path

from assistant.guides import (
    SHIPPED,
    guide_warnings,
    list_guides,
    load_guide,
    own_guides,
    parse_file,
)
from assistant.guides.own import own_guide_files, own_guides_dir
from assistant.invocation import checkin_command
from assistant.text import visible


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("guides", help="list check-in guides, check your own, draw one",
                            description="List the check-in guides, validate a guide file, "
                            "or print a guide's flow as a Mermaid diagram.")
    parser.set_defaults(func=_list)
    actions = parser.add_subparsers(dest="guides_command", metavar="ACTION")
    check = actions.add_parser("check", help="validate a guide file and list every problem")
    check.add_argument("file", type=Path, help="the guide file (TOML)")
    check.set_defaults(func=_check)
    diagram = actions.add_parser("diagram", help="print a guide's state machine (Mermaid)")
    diagram.add_argument("guide", help=f"a guide name ({', '.join(SHIPPED)}) or a .toml file")
    diagram.set_defaults(func=_diagram)


def _list(args: argparse.Namespace) -> int:
    for guide in list_guides():
        print(f"{guide.name:8} {guide.title}: {guide.description}")
    _list_own()
    print(f"\nUse one with: {checkin_command('run', '--guide', 'NAME')} (or --guide FILE.toml)")
    return 0


def _list_own() -> None:
    """The user's own guides, each checked: a broken one says how to see its problems."""
    folder = own_guides_dir()
    own = own_guides()
    if not own:
        print(f"\nYour own guides can go in {folder}, one NAME.toml each.")
    else:
        print(f"\nYour own guides, in {folder}:")
    for name, path in own.items():
        guide, problems = parse_file(path)
        if guide is None:
            print(f"{visible(name):8} has {len(problems)} problem(s); see them with: "
                  f"{checkin_command('guides', 'check', str(path))}")
        else:
            print(visible(f"{name:8} {guide.title}: {guide.description}"))
    for name, path in own_guide_files().items():
        if name not in own:
            print(f"{path.name} has the name of a shipped guide: rename it to use it by name.")


def _check(args: argparse.Namespace) -> int:
    guide, problems = parse_file(args.file)
    if problems:
        for problem in problems:
            print(visible(f"{args.file}: {problem}"))
        print(f"{len(problems)} problem(s) found.")
        return 1
    assert guide is not None
    for warning in guide_warnings(guide):  # worth fixing, but the guide runs as it is
        print(visible(f"{args.file}: warning: {warning}"))
    print(visible(f"{args.file}: ok: {guide.title}, {len(guide.steps)} steps."))
    return 0


def _diagram(args: argparse.Namespace) -> int:
    from assistant.flow.machine import mermaid_diagram

    print(mermaid_diagram(load_guide(args.guide)))
    return 0
