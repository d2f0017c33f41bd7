"""Which words a model knows, so command grammars only use words it can output.

Vosk silently drops (with a log warning) grammar words missing from the model's
vocabulary, and the unknown-word token is spelled differently per model: "[unk]"
in the English models, "<UNK>" in the small Korean one. Grammar mode needs a
lookahead graph (graph/HCLr.fst + graph/Gr.fst); the vocabulary comes from
graph/words.txt when present, else from the symbol table stored in Gr.fst.

Only the words asked about are kept: a whole vocabulary (half a million words in
the Korean model) would hold about 70 MB for the length of a check-in.
"""

from __future__ import annotations

import functools
import struct
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

_SYMBOL_TABLE_MAGIC = struct.pack("<I", 0x7EB2FB74)  # OpenFst SymbolTable header
UNKNOWN_SPELLINGS = ("[unk]", "<UNK>", "<unk>")
YIELD_EVERY = 2000  # words read between yields of the interpreter (about 1 ms)


def supports_grammar(model: Path) -> bool:
    return (model / "graph" / "HCLr.fst").is_file() and (model / "graph" / "Gr.fst").is_file()


def _fst_symbols(path: Path) -> Iterator[str]:
    """The words of an OpenFst file's symbol table (entries of int32 length, UTF-8
    text and int64 key), read one by one."""
    with path.open("rb") as f:
        head = f.read(1 << 16)
        at = head.find(_SYMBOL_TABLE_MAGIC)
        if at < 0:
            return
        f.seek(at + 4)
        (name_len,) = struct.unpack("<i", f.read(4))
        f.seek(name_len, 1)
        _available, size = struct.unpack("<qq", f.read(16))
        for _ in range(size):
            (n,) = struct.unpack("<i", f.read(4))
            yield f.read(n).decode("utf-8", "replace")
            f.seek(8, 1)  # the symbol's key


def _vocabulary(model: Path) -> Iterator[str]:
    words_txt = model / "graph" / "words.txt"
    if words_txt.is_file():
        with words_txt.open(encoding="utf-8", errors="replace") as lines:
            yield from (line.split()[0] for line in lines if line.strip())
        return
    gr = model / "graph" / "Gr.fst"
    if gr.is_file():
        yield from _fst_symbols(gr)


def model_words(model: Path, among: Iterable[str]) -> frozenset[str]:
    """Which of the words in `among` (and of the unknown-word spellings) the model
    knows; empty when its vocabulary cannot be read.

    The model loads on a background thread while a prompt plays: this loop hands
    the interpreter to the audio threads every YIELD_EVERY words, or the prompt
    stutters (measured: ALSA underruns with a 35 ms output buffer, both with one
    long byte search over the file and with a plain loop).
    """
    return _known(model, frozenset(among) | frozenset(UNKNOWN_SPELLINGS))


@functools.lru_cache(maxsize=8)
def _known(model: Path, wanted: frozenset[str]) -> frozenset[str]:
    known = set()
    for count, word in enumerate(_vocabulary(model)):
        if word in wanted:
            known.add(word)
        if count % YIELD_EVERY == 0:
            time.sleep(0)  # let the audio threads have the interpreter
    return frozenset(known)


def phrase_words(phrases: Iterable[str]) -> set[str]:
    """Every word of some phrases (what to ask `model_words` about)."""
    return {word for phrase in phrases for word in phrase.split()}


def unknown_token(words: frozenset[str]) -> str | None:
    """How this model spells the unknown word, if it has one."""
    return next((u for u in UNKNOWN_SPELLINGS if u in words), None)


def usable(phrase: str, words: frozenset[str]) -> bool:
    return bool(words) and all(w in words for w in phrase.split())
