"""The characters a terminal would obey, which people's text must never print raw."""

from __future__ import annotations

HARMFUL = {chr(c) for c in range(0x20) if chr(c) not in "\n\t"} | {chr(0x7F)} \
    | {chr(c) for c in range(0x80, 0xA0)} | set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067"
                                               "\u2068\u2069\u200e\u200f\u061c\u2028\u2029")


def raw_controls(text: str) -> set[str]:
    return {c for c in text if c in HARMFUL}
