"""Parsing Vosk's JSON (the only place it is read)."""

from __future__ import annotations

import json

from assistant.asr.results import parse_partial, parse_result


def test_words_times_shift_and_mean_confidence() -> None:
    raw = json.dumps(
        {
            "result": [
                {"word": "save", "start": 1.0, "end": 1.3, "conf": 0.8},
                {"word": "it", "start": 1.3, "end": 1.5, "conf": 0.6},
            ],
            "text": "save it",
        }
    )
    heard = parse_result(raw, shift=-0.5)
    assert heard is not None
    assert heard.text == "save it" and heard.start == 0.5 and heard.end == 1.0
    assert abs(heard.confidence - 0.7) < 1e-9 and heard.words[1].start == 0.8


def test_empty_and_broken_results_are_none() -> None:
    assert parse_result('{"text": ""}') is None
    assert parse_result("not json") is None
    assert parse_partial('{"partial": " hello "}') == "hello"
    assert parse_partial("{}") == ""


def test_text_without_word_timings() -> None:
    heard = parse_result('{"text": "next"}', shift=3.0)
    assert heard is not None and heard.text == "next" and heard.start == 3.0 and heard.words == ()
