"""The labelled sentences of gentle_labelled.tsv, and the figures the gentle-words check gets on
them: shared by the tests and scripts/eval_gentle_words.py, so both measure alike."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from assistant.gentle import blames

LABELLED = Path(__file__).with_name("gentle_labelled.tsv")
LABELS = ("blame", "kind", "neutral")


@dataclass(frozen=True)
class Sentence:
    """One labelled sentence."""

    label: str  # blame, kind or neutral
    language: str
    set: str  # dev, held-1, held-2, held-3
    text: str


def load(path: Path = LABELLED) -> list[Sentence]:
    """Every sentence of the file, in order (comments and the header skipped)."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("label\t"):
            continue
        label, language, part, text = line.split("\t")
        if label not in LABELS:
            raise ValueError(f"{path}: unknown label {label!r} in {line!r}")
        rows.append(Sentence(label, language, part, text))
    return rows


@dataclass
class Score:
    """How the check did on some sentences: tips offered per label, and the misses."""

    count: dict[str, int]
    tipped: dict[str, int]
    missed: list[Sentence]  # blame with no tip
    wrong: list[Sentence]  # a tip on a kind or neutral sentence

    @property
    def recall(self) -> float:
        return self.tipped["blame"] / self.count["blame"] if self.count["blame"] else 1.0

    @property
    def precision(self) -> float:
        fired = sum(self.tipped.values())
        return self.tipped["blame"] / fired if fired else 1.0


def score(sentences: Iterable[Sentence],
          decide: Callable[[Sentence], bool] | None = None) -> Score:
    """Score the check's decisions (or `decide`'s) on `sentences`."""
    decide = decide or (lambda s: blames(s.text, s.language))
    result = Score({label: 0 for label in LABELS}, {label: 0 for label in LABELS}, [], [])
    for sentence in sentences:
        fired = decide(sentence)
        result.count[sentence.label] += 1
        result.tipped[sentence.label] += int(fired)
        if sentence.label == "blame" and not fired:
            result.missed.append(sentence)
        elif sentence.label != "blame" and fired:
            result.wrong.append(sentence)
    return result
