"""Two real voices through a replayed hands-free check-in with `--speakers` on.

Real components: Silero and the hearing, the pipeline, the live voices adapter and its
wiring (`live_voices`), the flow and the session, the journal (SQLite). The partners are
two distinct real recorded voices of ../shared/audio: Ana is the LibriVox reader, Ben
the ALSA announcer. What is not real: the loudspeaker (`PromptLog`) and the clock (audio
time, so a run takes seconds). Commands come from the keyboard and no speech model is
attached, because recognising words plays no part in telling voices apart.

The first check-in learns each voice from its own turn and keeps both profiles; the
next one loads them, charges Ben's talking during Ana's turn to Ben and reminds him
once, however often he talks over her.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from assistant.audio.frames import RATE, AudioChunk
from assistant.flow.events import Save, TurnRecord, VoiceAttributed
from assistant.flow.machine import CheckinFlow, FlowContext
from assistant.guides import load_guide
from assistant.journal.store import Journal
from assistant.session.pipeline import Pipeline, ungated
from assistant.session.setup import live_voices, open_hearing
from assistant.session.speakers import Stage
from assistant.session.voice import Session
from speechlab.speakers import VOICES
from tests.support.replay import REMINDER, PromptLog, Script, pcm, voice_of

pytestmark = pytest.mark.usefixtures("shared_audio")

PAIR = ("Ana", "Ben")
AT = datetime(2026, 12, 3, 19, 0, tzinfo=timezone.utc)
TURN = 60.0




class Checkin:
    """One replayed check-in on the journal, wired as `checkin run --speakers` wires it."""

    def __init__(self, journal: Journal, ask_voice_consent: bool) -> None:
        guide = load_guide("daily").with_settings(turn_seconds=TURN, interruption_seconds=2.0)
        self.flow = CheckinFlow(guide, FlowContext(PAIR, ask_voice_consent=ask_voice_consent))
        self.sid = journal.begin_session("daily", PAIR, AT)
        self.voices = live_voices(journal, PAIR)
        self.prompts = PromptLog()
        self.saved: list[Any] = []
        self.pieces: list[VoiceAttributed] = []

        def keep(action: Any) -> None:
            if isinstance(action, Save):
                self.saved.append(action.record)
                journal.record(self.sid, action.record, AT)

        hearing, _ = open_hearing()
        self.told: list[tuple[int | None, int | None]] = []  # (turn holder, voice) heard
        set_voice = hearing.set_voice

        def tell(voice: int | None) -> None:
            self.told.append((hearing.partner, voice))
            set_voice(voice)

        hearing.set_voice = tell  # type: ignore[method-assign]
        pipeline = Pipeline(ungated, hearing, self.voices)
        self.session = Session(self.flow, pipeline, self.prompts, on_action=keep)
        self.script = Script(self.session)
        process = pipeline.process

        def spy(chunk: AudioChunk, now: float | None = None) -> list[Any]:
            events = process(chunk, now)
            self.pieces += [e for e in events if isinstance(e, VoiceAttributed)]
            return events

        pipeline.process = spy  # type: ignore[method-assign]

    def start(self, voice_answers: tuple[str, ...]) -> Iterator[AudioChunk]:
        """Both say they are ready, then answer about their voices (if asked)."""
        script, flow = self.script, self.flow
        yield from script.until(lambda: flow.state == "consent", 2, "the consent question")
        for answer in ("yes", "yes", *voice_answers):
            asked = len(self.prompts.said)
            script.key(answer)
            yield from script.until(lambda n=asked: len(self.prompts.said) > n, 2,
                                    "the next prompt")
        yield from script.until(lambda: flow.state == "day", 2, "the first turn")
        yield from script.quiet(0.5)

    def turn(self, who: str, samples: np.ndarray) -> Iterator[AudioChunk]:
        """`who` speaks their turn (whatever the audio holds), then passes it."""
        script = self.script
        yield from script.until(lambda: getattr(self.flow.view().activity, "speaker", None)
                                == who, 3, f"{who}'s turn")
        yield from script.say(who, samples)
        yield from script.quiet(0.6)
        script.key("done")
        yield from script.quiet(0.3)

    def turns(self) -> list[TurnRecord]:
        return [r for r in self.saved if isinstance(r, TurnRecord)]


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    opened = Journal.open(tmp_path)
    yield opened
    opened.close()


def first_checkin(journal: Journal, answers: tuple[str, ...]) -> Checkin:
    checkin = Checkin(journal, ask_voice_consent=True)

    def scenario() -> Iterator[AudioChunk]:
        yield from checkin.start(answers)
        yield from checkin.turn("Ana", pcm(voice_of(VOICES["reader"].enroll)))
        yield from checkin.turn("Ben", pcm(voice_of(VOICES["alsa"].enroll, gap=0.2)))
        checkin.script.key("stop")
        yield from checkin.script.quiet(0.2)

    assert checkin.session.replay(scenario(), tail_seconds=2) == "stopped"
    return checkin


# Two whole replayed check-ins; the consent rule (below) and learning a voice from a
# reading (test_enrollment.py) are tested fast.
@pytest.mark.slow
def test_voices_learned_in_the_first_checkin_tell_the_listener_apart_in_the_next(
        journal: Journal) -> None:
    first = first_checkin(journal, ("yes", "yes"))
    # each profile learned from its own turn, kept in the journal, and nothing
    # attributed yet while the second voice was still unknown
    assert first.voices.stage is Stage.ATTRIBUTING
    assert sorted(p.partner for p in journal.voice_profiles()) == ["Ana", "Ben"]
    assert first.voices.profiles["Ana"].seconds > 8.0
    assert first.voices.profiles["Ben"].seconds > 3.0
    assert first.pieces == []

    nxt = Checkin(journal, ask_voice_consent=False)  # answered: not asked again
    assert nxt.voices.profiles.keys() == {"Ana", "Ben"}
    ben = voice_of(VOICES["alsa"].test, gap=0.0)  # 4.3 s of him, with his own short pauses
    her = voice_of(VOICES["reader"].test[:2])  # 9.8 s of her
    her[int(1.5 * RATE) : int(5.5 * RATE)] += ben[: int(4.0 * RATE)]  # he talks over her
    pause = np.zeros(int(0.8 * RATE))
    # then, when she pauses, he takes the floor in her turn; then she goes on
    mixed = np.concatenate([her, pause, ben, pause, voice_of(VOICES["reader"].test[2:])])

    def scenario() -> Iterator[AudioChunk]:
        yield from nxt.start(())
        yield from nxt.turn("Ana", pcm(mixed))
        yield from nxt.turn("Ben", pcm(ben))
        nxt.script.key("stop")
        yield from nxt.script.quiet(0.2)

    assert nxt.session.replay(scenario(), tail_seconds=2) == "stopped"
    assert nxt.prompts.said.count(REMINDER) == 1  # once a turn, though twice over
    ana_turn, ben_turn = nxt.turns()
    assert ana_turn.interruptions == 2
    # Ben's speech in her turn is his: about 3.5 s over her and 4 s alone, less the
    # time to notice him over her voice
    assert 5.0 <= ana_turn.listener_speech <= 8.0
    assert ana_turn.speech == pytest.approx(nxt.script.played["Ana"] - ana_turn.listener_speech,
                                            abs=2.5)
    assert ben_turn.listener_speech == 0.0 and ben_turn.interruptions == 0
    # posted within 1.5 s of being spoken
    assert all(p.now - p.audio_start <= 1.5 for p in nxt.pieces)
    # and the hearing was told whose voice it heard, so a rise in Ana's turn is measured
    # against the calm level of the voice that rose: hers, or his (index 1)
    assert {(0, 0), (0, 1), (1, 1)} <= set(nxt.told)


def test_without_both_yes_no_voice_is_learned_or_attributed(journal: Journal) -> None:
    first = first_checkin(journal, ("yes", "no"))
    assert first.voices.stage is Stage.OFF
    assert journal.voice_profiles() == [] and first.pieces == []
    assert "That's fine. I won't learn your voices." in first.prompts.said
    assert [t.listener_speech for t in first.turns()] == [0.0, 0.0]
