"""Text from people: read safely, stored as given, shown harmlessly.

What a partner says or types, and every name, is data. It is kept exactly as it came
(the journal stores it byte for byte), but a terminal would obey what it contains: an
appreciation holding ESC [2J would clear the screen, an OSC sequence retitle the
window, a carriage return let a later line overwrite an earlier one, U+202E turn the
rest of a line around. So every output made for a person (terminal lines, the live
view, `history`, `appreciations`, the Markdown export, the ready-to-send message)
shows people's text through `visible`, which draws each control character as a symbol
(ESC as ␛, CR as ␍) and each bidirectional control as its code (⟨U+202E⟩). JSON keeps
the text exact, with those characters escaped (`json_text`).

Typed input can hold bytes that are not text in the terminal's encoding (Latin-1 from
an old terminal, a pasted binary). They are kept visibly, as backslash escapes (\\xff),
and never crash a save or drop an item: `read_safely` sets that up for standard
input, and `as_text` does the same for strings that carry such bytes as lone
surrogates (command-line arguments, a stream opened elsewhere).
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

# Bidirectional controls: embeddings, overrides and isolates, and the implicit marks.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
                          "\u200e\u200f\u061c")
# Line and paragraph separators: a new line to some readers, invisible to others.
_SEPARATORS = frozenset("\u2028\u2029")
_KEPT = frozenset("\t")  # a tab moves the cursor on, never back over other text


def _by_code(char: str) -> str:
    return f"⟨U+{ord(char):04X}⟩"


def _shown(char: str) -> str:
    code = ord(char)
    if char in _KEPT:
        return char
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode control pictures: ␀ … ␟ (␛ for ESC)
    if code == 0x7F:
        return "␡"
    if 0x80 <= code < 0xA0 or char in BIDI_CONTROLS or char in _SEPARATORS \
            or 0xD800 <= code < 0xE000:
        return _by_code(char)  # C1 controls (0x9B is a CSI), bidi, lone surrogates
    return char


def _harmful(char: str) -> bool:
    code = ord(char)
    return (code < 0x20 and char not in _KEPT) or 0x7F <= code < 0xA0 \
        or char in BIDI_CONTROLS or char in _SEPARATORS or 0xD800 <= code < 0xE000


def visible(text: str, newlines: bool = False) -> str:
    """`text` as a terminal (or a Markdown reader) can show it without obeying it: every
    control character drawn as a symbol, bidi controls by their code, everything else
    exactly as is. A line break is drawn too (␊: a name or a title is one line), unless
    `newlines` keeps them, for text whose lines are wanted (an appreciation)."""
    if newlines:
        return "\n".join(visible(line) for line in text.split("\n"))
    if not any(_harmful(c) for c in text):
        return text
    return "".join(_shown(c) for c in text)


def visible_lines(text: str) -> list[str]:
    """The lines of a multi-line text (an appreciation may have several), each visible."""
    return [visible(line) for line in text.split("\n")]


def json_text(value: Any, **options: Any) -> str:
    """JSON with people's text exact but inert: json.dumps escapes C0 controls; DEL, C1,
    bidi controls and separators are escaped here too (\\u202e), which is the same JSON
    value, so a reader gets the text back byte for byte."""
    dumped = json.dumps(value, ensure_ascii=False, **options)
    # C0 controls left in `dumped` are its own line breaks and indents: strings have none
    if not any(_harmful(c) and ord(c) >= 0x20 for c in dumped):
        return dumped
    return "".join(f"\\u{ord(c):04x}" if _harmful(c) and ord(c) >= 0x20 else c
                   for c in dumped)


def as_text(text: str) -> str:
    """`text` with bytes that were not text (lone surrogates, as Python carries them from
    argv or a surrogateescape stream) spelled as visible escapes (\\xff): storable, and
    the same spelling standard input gets from `read_safely`."""
    if not any(0xD800 <= ord(c) < 0xE000 for c in text):
        return text
    out = []
    for char in text:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:  # one byte smuggled by surrogateescape
            out.append(f"\\x{code - 0xDC00:02x}")
        elif 0xD800 <= code < 0xE000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


def read_safely(stream: Any) -> None:
    """Make a text stream (standard input) decode bytes that are not text as visible
    escapes instead of failing or passing surrogates on (which SQLite cannot store)."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        # closed or detached: nothing will be read from it
        with contextlib.suppress(ValueError, OSError):
            reconfigure(errors="backslashreplace")
