"""What the live view is given during a replayed check-in: the caption and the balance.

Real components: Silero, the hearing, Vosk with the Korean model, the flow, the
session. The partners are espeak-ng voices; commands come from the keyboard (see
test_replay.py for why). The view is sampled after every 20 ms chunk, as often as a
check-in could redraw it.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from assistant.audio.frames import AudioChunk
from assistant.flow.steps import TurnView
from speechlab.voices import ANA, ANA_STORY, BEN, BEN_STORY, sentences
from tests.support.replay import Script, build_session

pytestmark = pytest.mark.slow



def test_a_new_turn_starts_with_an_empty_caption_and_a_moving_balance(
        listener_parts: tuple[Path, Any]) -> None:
    session, _, _ = build_session(*listener_parts)
    flow = session.flow
    script = Script(session)
    seen: list[tuple[str | None, str, dict[str, float]]] = []  # speaker, caption, talk
    handed_over: list[int] = []  # the sample at which Ana's turn was passed on

    def ana_then_ben() -> Iterator[AudioChunk]:
        yield from script.until(lambda: flow.state == "consent", 2, "the consent question")
        script.key("yes")
        yield from script.until(lambda: flow.state == "consent" and "Ben" in session.prompt,
                                1, "Ana's yes")
        script.key("yes")
        yield from script.until(lambda: flow.state == "day", 1, "Ben's yes")
        yield from script.say("Ana", sentences(ANA, ANA_STORY[:2]))
        # Ana passes the turn in the middle of a sentence, and finishes it anyway.
        last = sentences(ANA, ANA_STORY[2:3])
        for n, chunk in enumerate(script.say("Ana", last)):
            if n == 60:  # 1.2 s in: her sentence is open
                assert session.pipeline.listener.mid_utterance
                script.key("done")
                handed_over.append(len(seen))
            yield chunk
        yield from script.quiet(1.0)
        yield from script.say("Ben", sentences(BEN, BEN_STORY))
        yield from script.quiet(1.0)

    def sampled() -> Iterator[AudioChunk]:
        for chunk in ana_then_ben():
            yield chunk
            activity = flow.view().activity
            speaker = activity.speaker if isinstance(activity, TurnView) else None
            seen.append((speaker, session.screen().caption, dict(flow.view().talk)))

    session.replay(sampled(), tail_seconds=0)

    anas = [s for s in seen if s[0] == "Ana"]
    bens = [s for s in seen if s[0] == "Ben"]
    assert anas and bens
    assert any(caption for _, caption, _ in anas)  # Ana's words were captioned
    first_ben = seen.index(bens[0])
    assert first_ben == handed_over[0]  # the frame right after the key
    # Ben's turn opens empty and stays so while Ana finishes her sentence
    ben_speaks = next(i for i, s in enumerate(bens) if s[1])
    assert ben_speaks * 0.02 >= 1.5  # quiet until Ben's own words: the rest of Ana's
    anas_words = {caption for _, caption, _ in anas if caption}  # sentence, then 1 s
    assert not anas_words & {caption for _, caption, _ in bens}
    # the balance moved during each turn, not only at its end
    ana_talk = [talk["Ana"] for _, _, talk in anas]
    assert ana_talk[len(ana_talk) // 2] > 2.0
    # at most a dip as a stretch closes (measured speech replaces the running
    # estimate), never a reset
    assert all(b > a - 1.0 for a, b in pairwise(ana_talk))
    ben_talk = [talk["Ben"] for _, _, talk in bens]
    assert ben_talk[-1] > 2.0 and ben_talk[len(ben_talk) // 2] > 0.5
    assert max(talk["Ana"] for _, _, talk in bens) == pytest.approx(ana_talk[-1], abs=0.5)
