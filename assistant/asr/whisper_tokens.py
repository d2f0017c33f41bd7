"""Whisper's byte-level BPE vocabulary: token ids to text and back, from tokenizer.json.

The `tokenizers` library would do this, but it pulls in huggingface_hub (a network
client); what checkin needs is small: turning the decoder's ids into text, and
spelling the command phrases as ids to score them. Text is UTF-8 bytes, each byte
shown as one printable character (the GPT-2 byte alphabet), split into pieces by
the GPT-2 pattern and merged pair by pair in the order of the merge list.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import ModelError

# GPT-2's pre-tokenizer: contractions, words, numbers and runs of other signs, each
# with the space before it ([^\W\d_] is a letter, as \p{L} in the original).
_PIECES = re.compile(r"'s|'t|'re|'ve|'m|'ll|'d| ?[^\W\d_]+| ?\d+| ?(?:[^\s\w]|_)+|\s+(?!\S)|\s+")


def _byte_alphabet() -> dict[int, str]:
    """Each byte as a printable character: printable Latin-1 bytes stand for
    themselves, the rest are moved to code points from 256 on."""
    shown = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1),
             *range(ord("®"), ord("ÿ") + 1)]
    chars = list(shown)
    extra = 0
    for byte in range(256):
        if byte not in shown:
            shown.append(byte)
            chars.append(256 + extra)
            extra += 1
    return {byte: chr(char) for byte, char in zip(shown, chars, strict=True)}


_TO_CHAR = _byte_alphabet()
_TO_BYTE = {char: byte for byte, char in _TO_CHAR.items()}


@dataclass(frozen=True)
class Specials:
    """The ids of the control tokens a transcription prompt is made of."""

    end: int  # <|endoftext|>
    start: int  # <|startoftranscript|>
    no_timestamps: int  # <|notimestamps|>
    no_speech: int  # <|nocaptions|> (named <|nospeech|> in newer vocabularies)
    first_special: int  # ids from here on are control tokens, never text
    english: int | None  # <|en|> in a multilingual vocabulary
    transcribe: int | None
    previous: int | None  # <|startofprev|>: what follows is text said before


class WhisperTokens:
    """Encode and decode text with one model's vocabulary (tokenizer.json)."""

    def __init__(self, path: Path) -> None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            model = data["model"]
            self._ids: dict[str, int] = {str(k): int(v) for k, v in model["vocab"].items()}
            merges = [tuple(m.split(" ")) if isinstance(m, str) else tuple(m)
                      for m in model["merges"]]
            added = {str(t["content"]): int(t["id"]) for t in data.get("added_tokens", [])}
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
            raise ModelError(f"{path} is not a Whisper tokenizer file ({err}); "
                             "reinstall the model") from None
        self._ranks = {pair: rank for rank, pair in enumerate(merges)}
        self._text: dict[int, str] = {i: t for t, i in self._ids.items()}
        self._text.update({i: t for t, i in added.items()})

        def special(*names: str) -> int | None:
            return next((added[n] for n in names if n in added), None)

        needed = {name: special(name) for name in
                  ("<|endoftext|>", "<|startoftranscript|>", "<|notimestamps|>")}
        missing = [name for name, value in needed.items() if value is None]
        no_speech = special("<|nocaptions|>", "<|nospeech|>")
        if missing or no_speech is None:
            raise ModelError(f"{path} lacks Whisper's control tokens "
                             f"({', '.join(missing) or '<|nocaptions|>'}); reinstall the model")
        self.specials = Specials(
            end=int(needed["<|endoftext|>"] or 0),
            start=int(needed["<|startoftranscript|>"] or 0),
            no_timestamps=int(needed["<|notimestamps|>"] or 0),
            no_speech=no_speech,
            first_special=int(needed["<|endoftext|>"] or 0),
            english=special("<|en|>"),
            transcribe=special("<|transcribe|>"),
            previous=special("<|startofprev|>"),
        )

    def prompt(self, multilingual: bool) -> list[int]:
        """The start of every transcription: English, no timestamps."""
        s = self.specials
        head = [s.start]
        if multilingual and s.english is not None and s.transcribe is not None:
            head += [s.english, s.transcribe]
        return [*head, s.no_timestamps]

    def is_text(self, token: int) -> bool:
        return token < self.specials.first_special

    def piece(self, token: int) -> str:
        """One token's text as UTF-8 bytes shown in the byte alphabet."""
        return self._text.get(token, "")

    def decode(self, tokens: list[int]) -> str:
        """The text of some tokens (control tokens left out); bytes that do not
        complete a character become U+FFFD."""
        chars = "".join(self._text.get(t, "") for t in tokens if self.is_text(t))
        return bytes(_TO_BYTE[c] for c in chars if c in _TO_BYTE).decode("utf-8", "replace")

    def encode(self, text: str) -> list[int]:
        """The token ids Whisper would write for `text`."""
        ids: list[int] = []
        for piece in _PIECES.findall(text):
            shown = "".join(_TO_CHAR[b] for b in piece.encode("utf-8"))
            ids.extend(self._ids[part] for part in self._merge(shown))
        return ids

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one instance per loaded model
    def _merge(self, word: str) -> tuple[str, ...]:
        parts = list(word)
        while len(parts) > 1:
            rank, at = min((self._ranks.get(pair, len(self._ranks)), i)
                           for i, pair in enumerate(zip(parts, parts[1:], strict=False)))
            if rank == len(self._ranks):
                break
            parts[at:at + 2] = [parts[at] + parts[at + 1]]
        return tuple(parts)
