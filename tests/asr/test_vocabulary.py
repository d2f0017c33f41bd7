"""Reading a model's vocabulary keeps only the words asked about (no model needed)."""

from __future__ import annotations

from pathlib import Path

from assistant.asr.vocabulary import model_words, phrase_words, unknown_token, usable


def test_words_txt_answers_only_what_was_asked(tmp_path: Path) -> None:
    graph = tmp_path / "graph"
    graph.mkdir()
    vocabulary = ["<eps> 0", "[unk] 1", "next 2", "pause 3", "done 4", "im 5"]
    vocabulary += [f"filler{i} {i + 6}" for i in range(5000)]
    (graph / "words.txt").write_text("\n".join(vocabulary) + "\n", encoding="utf-8")
    asked = phrase_words(["next", "pause now", "im done"])
    assert asked == {"next", "pause", "now", "im", "done"}
    words = model_words(tmp_path, asked)
    assert words == {"next", "pause", "im", "done", "[unk]"}
    assert unknown_token(words) == "[unk]"
    assert usable("im done", words) and not usable("pause now", words)


def test_a_model_without_a_vocabulary_knows_nothing(tmp_path: Path) -> None:
    assert model_words(tmp_path, {"next"}) == frozenset()
    assert not usable("next", frozenset())
