"""Typed bytes that are not text never crash a save and never lose an item: they are kept,
visibly, as escapes.

Before: `printf 'thanks \\xff caf\\xe9'` as an appreciation showed replacement marks in the
read-back, then "save it" crashed with UnicodeEncodeError (surrogates not allowed) in
`journal.record`, and the appreciation was gone. A name given on the command line with
such a byte crashed the same way when the session row was written.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.journal.store import Journal
from tests.support.cli import checkin_bytes

SCRIPT = b"yes\nyes\ndone\ndone\nthanks \xff caf\xe9\nsave it\nstop\n"


def run_typed(tmp_path: Path, stdin: bytes, *names: bytes, utf8_mode: bool = True) \
        -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONUTF8", "LC_ALL", "LANG")}
    # Python's UTF-8 mode reads stdin with surrogateescape; a UTF-8 locale reads it strictly
    env.update({"PYTHONUTF8": "1"} if utf8_mode else {"PYTHONUTF8": "0", "LC_ALL": "C.UTF-8"})
    args = [os.fsencode(sys.executable), b"-m", b"assistant", b"run", b"--text", b"--guide",
            b"daily", b"--names", *(names or (b"Ana,Ben",)), b"--data-dir", os.fsencode(tmp_path)]
    return subprocess.run(args, input=stdin, capture_output=True, timeout=60, check=False,
                          env=env)


@pytest.mark.parametrize("utf8_mode", [True, False], ids=["utf8-mode", "utf8-locale"])
def test_an_appreciation_with_bytes_that_are_not_text_is_saved_visibly(
        tmp_path: Path, utf8_mode: bool) -> None:
    run = run_typed(tmp_path, SCRIPT, utf8_mode=utf8_mode)
    assert run.returncode == 0, run.stderr.decode(errors="replace")
    assert b"Traceback" not in run.stderr
    out = run.stdout.decode("utf-8")
    assert 'I heard: "thanks \\xff caf\\xe9"' in out  # the bytes, shown; no replacement mark
    assert "\ufffd" not in out
    with Journal.open(tmp_path) as journal:
        (saved,) = journal.appreciations()
    assert saved.text == "thanks \\xff caf\\xe9"
    listed = checkin_bytes("appreciations", data_dir=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert "thanks \\xff caf\\xe9" in listed.stdout.decode("utf-8")


def test_a_name_with_such_a_byte_on_the_command_line_is_kept_visibly(tmp_path: Path) -> None:
    run = run_typed(tmp_path, b"no\n", b"Jos\xe9,Ana")
    assert run.returncode == 0, run.stderr.decode(errors="replace")
    with Journal.open(tmp_path) as journal:
        (session,) = journal.sessions()
    assert session.partners == ("Jos\\xe9", "Ana")


def test_names_typed_at_the_prompt_are_read_the_same_way(tmp_path: Path) -> None:
    run = checkin_bytes("run", "--text", "--guide", "daily", data_dir=tmp_path,
                        stdin=b"Jos\xe9\nAna\nno\n")
    assert run.returncode == 0, run.stderr.decode(errors="replace")
    with Journal.open(tmp_path) as journal:
        assert journal.sessions()[0].partners == ("Jos\\xe9", "Ana")
