"""The segmenter decides what Vosk hears: pure logic over a tiny energy detector."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from assistant.asr.segmenter import SpeechSegmenter
from assistant.audio.frames import RATE, AudioChunk, chunks
from tests.support.energy_vad import EnergyVoiceActivity, quiet, tone


def run(seg: SpeechSegmenter, stream: list[AudioChunk]):
    fed: list[AudioChunk] = []
    starts, ends = [], []
    for c in stream:
        step = seg.push(c)
        fed.extend(step.feed)
        if step.started:
            starts.append(c.start)
        if step.ended:
            ends.append(c.end)
    return fed, starts, ends


def test_pre_roll_hangover_and_no_silence_fed(energy_vad: EnergyVoiceActivity) -> None:
    audio = np.concatenate([quiet(5.0), tone(2.0), quiet(5.0)])
    seg = SpeechSegmenter(energy_vad, pre_roll=0.3, hangover=0.5, quick_hangover=0.25)
    fed, starts, ends = run(seg, chunks(audio, 0.02))
    assert starts == [5.0] and len(ends) == 1
    assert abs(fed[0].start - 4.7) < 1e-6  # 300 ms of pre-roll before the first speech chunk
    assert abs(ends[0] - 7.5) < 0.021  # speech ends at 7.0, long segment → 0.5 s hangover
    fed_seconds = sum(c.seconds for c in fed)
    assert abs(fed_seconds - 2.8) < 0.03  # 0.3 + 2.0 + 0.5, none of the other 9.7 s of silence
    times = [c.start for c in fed]
    assert times == sorted(times) and len(set(times)) == len(times)  # contiguous, no repeats
    assert energy_vad.resets == 1  # the detector starts fresh for the next utterance


def test_short_phrase_closes_after_quick_hangover(energy_vad: EnergyVoiceActivity) -> None:
    audio = np.concatenate([quiet(1.0), tone(0.6), quiet(2.0)])
    _, _, ends = run(SpeechSegmenter(energy_vad, quick_hangover=0.25), chunks(audio, 0.02))
    assert len(ends) == 1 and abs(ends[0] - 1.85) < 0.021


def test_assistant_chunks_are_never_fed_nor_pre_roll(energy_vad: EnergyVoiceActivity) -> None:
    stream = [
        AudioChunk(c.samples, c.start, is_assistant=1.0 <= c.start < 2.0)
        for c in chunks(np.concatenate([quiet(1.0), tone(1.0), tone(1.0), quiet(1.0)]), 0.02)
    ]
    fed, starts, _ = run(SpeechSegmenter(energy_vad), stream)
    assert all(not c.is_assistant for c in fed)
    assert starts == [2.0] and fed[0].start == 2.0  # pre-roll would have been the assistant


def test_pause_shorter_than_hangover_keeps_one_segment(energy_vad: EnergyVoiceActivity) -> None:
    audio = np.concatenate([quiet(1.0), tone(2.0), quiet(0.3), tone(1.0), quiet(2.0)])
    _, starts, ends = run(SpeechSegmenter(energy_vad, hangover=0.5), chunks(audio, 0.02))
    assert len(starts) == 1 and len(ends) == 1


def test_flush_closes_an_open_segment(energy_vad: EnergyVoiceActivity) -> None:
    seg = SpeechSegmenter(energy_vad)
    run(seg, chunks(np.concatenate([quiet(0.5), tone(1.0)]), 0.02))
    assert seg.flush().ended and not seg.flush().ended


def closes(seg: SpeechSegmenter, audio: np.ndarray) -> list[tuple[float, bool]]:
    """When each segment closed, and whether it closed as a blip."""
    found = []
    for c in chunks(audio, 0.02):
        step = seg.push(c)
        if step.ended:
            found.append((round(c.end, 2), step.blip))
    step = seg.flush()
    if step.ended:
        found.append((round(len(audio) / RATE, 2), step.blip))
    return found


def test_too_little_speech_is_a_blip(energy_vad: EnergyVoiceActivity) -> None:
    audio = np.concatenate([quiet(1.0), tone(0.1), quiet(1.0), tone(0.3), quiet(1.0)])
    found = closes(SpeechSegmenter(energy_vad, min_voiced=0.2), audio)
    assert [blip for _, blip in found] == [True, False]


def test_a_live_stream_opened_mid_sound_hears_from_its_first_quiet_moment(
        energy_vad: EnergyVoiceActivity) -> None:
    audio = np.concatenate([tone(0.5), quiet(1.0), tone(0.5), quiet(1.0)])
    live = closes(SpeechSegmenter(energy_vad, min_voiced=0.2, live=True), audio)
    recording = closes(SpeechSegmenter(energy_vad, min_voiced=0.2), audio)
    assert [blip for _, blip in live] == [True, False]  # the sound under way is not heard
    assert [blip for _, blip in recording] == [False, False]  # a file's first words are
    short_quiet = np.concatenate([quiet(0.2), tone(0.5), quiet(1.0)])  # 0.2 s proves nothing
    assert [b for _, b in closes(SpeechSegmenter(energy_vad, live=True), short_quiet)] == [True]


def test_a_live_stream_that_opens_on_the_assistants_voice_hears_the_first_answer(
        energy_vad: EnergyVoiceActivity) -> None:
    """The stream opens while the first prompts play (marked by the gate), and a partner
    answers 0.1 s after the gate's span: a word, not a sound under way."""

    def heard(*parts: tuple[np.ndarray, bool]) -> list[bool]:
        """Whether each segment closed as a blip: `parts` of (sound, the assistant's)."""
        seg, at, blips = SpeechSegmenter(energy_vad, min_voiced=0.2, live=True), 0.0, []
        for sound, ours in parts:
            for c in chunks(sound, 0.02, start=at):
                step = seg.push(replace(c, is_assistant=ours))
                blips += [step.blip] if step.ended else []
            at += len(sound) / RATE
        return blips

    prompt, answer = (tone(2.0), True), (np.concatenate([quiet(0.1), tone(0.5), quiet(1.0)]), False)
    assert heard(prompt, answer) == [False]
    unmarked = (np.concatenate([tone(0.3), quiet(0.1)]), False)  # our voice before the gate
    assert heard(unmarked, prompt, answer) == [True, False]  # no word; then the answer


def test_a_capped_segment_closes_at_its_first_pause_past_the_cap(
        energy_vad: EnergyVoiceActivity) -> None:
    talk = np.concatenate([np.concatenate([tone(1.9), quiet(0.1)]) for _ in range(20)])
    seg = SpeechSegmenter(energy_vad, pre_roll=0.0, hangover=1.0, max_seconds=25.0,
                          hard_limit=29.5)
    found = closes(seg, np.concatenate([quiet(1.0), talk, quiet(2.0)]))
    # 25 s after its start (1.0 s) the talk goes on; its next pause begins at 26.9
    assert found[0][0] == 26.92
    nonstop = np.concatenate([quiet(1.0), tone(40.0), quiet(2.0)])
    seg = SpeechSegmenter(energy_vad, pre_roll=0.0, hangover=1.0, max_seconds=25.0,
                          hard_limit=29.5)
    assert closes(seg, nonstop)[0][0] == 30.5  # cut at the window's limit whatever is heard
