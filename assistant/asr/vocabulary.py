"""Which words a model knows, so command grammars only use words it can output.

Vosk silently drops (with a log warning) grammar words missing from the model's
vocabulary, and the unknown-word token is spelled differently per model: "[unk]"
in the English models, "<UNK>" in the small Korean one. Grammar mode needs a
lookahead graph (graph/HCLr.fst + graph/Gr.fst); the vocabulary comes from
graph/words.txt when present, else from the symbol table stored in Gr.fst.
"""

from __future__ import annotations

import functools
import struct
from pathlib import Path

_SYMBOL_TABLE_MAGIC = struct.pack("<I", 0x7EB2FB74)  # OpenFst SymbolTable header
UNKNOWN_SPELLINGS = ("[unk]", "<UNK>", "<unk>")


def supports_grammar(model: Path) -> bool:
    return (model / "graph" / "HCLr.fst").is_file() and (model / "graph" / "Gr.fst").is_file()


def _read_fst_symbols(path: Path) -> set[str]:
    with path.open("rb") as f:
        head = f.read(1 << 16)
        at = head.find(_SYMBOL_TABLE_MAGIC)
        if at < 0:
            return set()
        f.seek(at + 4)
        (name_len,) = struct.unpack("<i", f.read(4))
        f.seek(name_len, 1)
        _available, size = struct.unpack("<qq", f.read(16))
        words: set[str] = set()
        for _ in range(size):
            (n,) = struct.unpack("<i", f.read(4))
            words.add(f.read(n).decode("utf-8", "replace"))
            f.seek(8, 1)  # the symbol's key
        return words


@functools.lru_cache(maxsize=4)
def model_words(model: Path) -> frozenset[str]:
    """The model's vocabulary (empty when it cannot be read)."""
    words_txt = model / "graph" / "words.txt"
    if words_txt.is_file():
        lines = words_txt.read_text(encoding="utf-8", errors="replace").splitlines()
        return frozenset(line.split()[0] for line in lines if line.strip())
    gr = model / "graph" / "Gr.fst"
    if gr.is_file():
        return frozenset(_read_fst_symbols(gr))
    return frozenset()


def unknown_token(words: frozenset[str]) -> str | None:
    """How this model spells the unknown word, if it has one."""
    return next((u for u in UNKNOWN_SPELLINGS if u in words), None)


def usable(phrase: str, words: frozenset[str]) -> bool:
    return bool(words) and all(w in words for w in phrase.split())
