"""How speech is cut into windows from the hearing's voiced answers (no audio needed:
the voiced flags are given, as the hearing would give them)."""

from __future__ import annotations

import numpy as np

from assistant.audio.frames import AudioChunk
from assistant.speakers.windows import SpeechWindows, WindowSettings

CHUNK = 320  # 20 ms


def feed(pattern: str) -> list:
    """One 20 ms chunk per character: 'x' voiced, '.' not, 'a' the assistant's voice."""
    cutter = SpeechWindows(WindowSettings())
    out = []
    for i, c in enumerate(pattern):
        chunk = AudioChunk(np.full(CHUNK, i, dtype=np.int16), i * 0.02, is_assistant=c == "a")
        out += cutter.feed(chunk, c == "x")
    return out + cutter.finish()


def test_a_long_stretch_is_judged_every_half_second_with_one_second_of_context() -> None:
    windows = feed("x" * 100)  # 2 s
    assert [round(w.start, 2) for w in windows] == [0.0, 0.5, 1.0, 1.5]
    assert all(w.decided_at == w.end for w in windows)
    assert [len(w.samples) for w in windows] == [8000, 16000, 16000, 16000]
    assert all(w.fresh == 8000 for w in windows)
    # the context is the stretch's own latest speech
    assert windows[-1].samples[-1] == 99 and windows[-1].samples[0] == 50


def test_a_pause_ends_the_stretch_and_the_next_window_does_not_reach_back() -> None:
    windows = feed("x" * 30 + "." * 15 + "x" * 30)
    assert [w.stretch for w in windows] == [0, 0, 1, 1]
    first_of_second = windows[2]
    assert round(first_of_second.start, 2) == 0.9
    assert first_of_second.samples.min() >= 45  # nothing from before the pause
    # the rest of the first stretch was judged when the pause was long enough (0.3 s)
    assert round(windows[1].end, 2) == 0.6 and round(windows[1].decided_at, 2) == 0.9


def test_a_short_pause_inside_speech_keeps_one_stretch() -> None:
    windows = feed("x" * 20 + "." * 5 + "x" * 20)
    assert {w.stretch for w in windows} == {0}


def test_a_back_channel_shorter_than_the_minimum_is_never_judged() -> None:
    assert feed("." * 10 + "x" * 10 + "." * 30) == []  # 0.2 s "mm"


def test_the_assistants_own_voice_closes_the_stretch_at_once() -> None:
    windows = feed("x" * 20 + "a" + "x" * 5)
    assert len(windows) == 1 and round(windows[0].end, 2) == 0.4


def test_labels_of_one_voice_join_into_turns_across_short_pauses() -> None:
    from assistant.speakers.attribution import Label
    from assistant.speakers.recording import turns

    labels = [Label(0.0, 0.5, "A", 1, 0.5), Label(0.5, 1.0, "A", 1, 1.0),
              Label(1.3, 1.8, "A", 1, 1.8), Label(1.8, 2.3, "B", -1, 2.3),
              Label(3.0, 3.5, "B", -1, 3.5), Label(3.5, 3.8, None, 0, 3.9)]
    assert [(t.start, t.end, t.speaker) for t in turns(labels)] == [
        (0.0, 1.8, "A"), (1.8, 2.3, "B"), (3.0, 3.5, "B"), (3.5, 3.8, None)]
