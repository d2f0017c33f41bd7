"""Filling a guide's sentence with what a partner said, without doubled punctuation.

A guide writes `I heard: "{text}".` and a partner says or types "you made me tea." or
"thank you!". Quoting what they said exactly and ending the sentence too would read
`"thank you!".`; so when the words already end a sentence, the full stop the guide
puts right after them (or after the closing quote) is left out. The words themselves
are never changed, since they are what the couple confirms and keeps.
"""

from __future__ import annotations

import re

_ENDS = (".", "!", "?", "…")  # "..." ends in "." too
_CLOSERS = "\"'”’»)"
_PAUSES = ",;:"  # a thought typed with a trailing comma still reads as one sentence


def ends_sentence(text: str) -> bool:
    """True when `text` already ends like a sentence (after any closing quotes)."""
    return text.rstrip().rstrip(_CLOSERS).endswith(_ENDS)


def fill(template: str, **values: str) -> str:
    """`template.format(**values)`, with no full stop doubled after a sentence in {text}."""
    text = values.get("text")
    if text is not None:
        text = text.strip().rstrip(_PAUSES).rstrip()
        values["text"] = text
        if ends_sentence(text):
            template = re.sub(r"\{text\}([" + re.escape(_CLOSERS) + r"]?)\.(?!\.)",
                              r"{text}\1", template)
    return template.format(**values)
