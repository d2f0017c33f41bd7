"""Noticing rising voices: a sustained level well above a partner's own calm level.

Pure logic: it is fed 10 ms speech frames (time from the audio, power relative to
full scale, whose turn it is) and answers with at most one `VoiceRaised` per
outburst. No clock, no audio I/O, so every rule is tested on real recordings
faster than real time.

Rules (docs/hearing.md):
- Each partner's calm baseline is the energy-average level of their first
  `learn_seconds` of speech, then follows their calm speech slowly. Nothing is
  detected during a partner's turn before their own baseline is learned (outside
  turns the room's baseline, learned from the first 30 s of all speech, is used).
- A rise is when the energy-average level of the last `sustain_seconds` of speech,
  all of it within the last `window_seconds`, is `margin_db` above the baseline
  (+9 dB over 1.5 s of speech within 3 s by default; +8 dB was measured to fire
  on calm speech replayed only 4 dB louder, see docs/hearing.md).
- After a rise the detector stays quiet until that level is `hysteresis_db` below
  the threshold again and `cooloff_seconds` have passed: one outburst, one
  suggestion.
- Without voices told apart, during a partner's turn all speech is measured against
  the louder of the learned calm levels (`baseline_db`): loud speech from the other
  partner counts too and is reported under the turn holder, but a partner whose calm
  voice is simply louder does not trigger it.
- With voices told apart (`run --speakers`), each frame may come with whose voice it
  is. That voice's calm level is learned from its own speech and a rise is measured
  against it, so a quiet partner's raised voice is not hidden under the louder
  partner's calm level, and the listener's speech does not teach the speaker's level.
  The level is then that voice's alone: when another voice is heard, the last
  `sustain_seconds` start again, so a quiet reply right after the louder partner is
  never measured with the louder partner's speech in it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from assistant.audio.levels import FRAME_SECONDS, LevelStats
from assistant.errors import ConfigError
from assistant.flow.events import VoiceRaised
from assistant.limits import SENSITIVITY_LEVELS, choice_problem


@dataclass(frozen=True)
class RiseSettings:
    """Thresholds of one sensitivity level."""

    margin_db: float = 9.0
    sustain_seconds: float = 1.5
    window_seconds: float = 3.0
    hysteresis_db: float = 3.0
    cooloff_seconds: float = 30.0
    learn_seconds: float = 20.0
    room_learn_seconds: float = 30.0  # outside turns two voices mix: hear more of both
    adapt_seconds: float = 120.0  # time constant of the calm baseline's slow drift


SENSITIVITIES: dict[str, RiseSettings] = {
    "low": RiseSettings(margin_db=12.0),
    "medium": RiseSettings(),
    "high": RiseSettings(margin_db=7.0),
}


def rise_settings(sensitivity: str) -> RiseSettings:
    """The settings for "low", "medium" or "high" (checked with the other settings before
    anything opens, assistant/settings.py; this guards every other way in)."""
    try:
        return SENSITIVITIES[sensitivity]
    except KeyError:
        raise ConfigError(f"sensitivity {choice_problem(sensitivity, SENSITIVITY_LEVELS)}") \
            from None


@dataclass
class _Baseline:
    """A calm level: learned from early speech, then drifting slowly while calm."""

    learn_seconds: float
    stats: LevelStats = field(default_factory=LevelStats)
    db: float | None = None

    def learn(self, power: float) -> None:
        if self.db is None:
            self.stats.add(power)
            if self.stats.seconds >= self.learn_seconds:
                self.db = self.stats.db

    def drift(self, level_db: float, rate: float) -> None:
        if self.db is not None:
            self.db += (level_db - self.db) * rate


class RisingVoiceDetector:
    """Turns speech frames into `VoiceRaised` events, one per outburst."""

    def __init__(self, settings: RiseSettings | None = None) -> None:
        self.settings = settings or RiseSettings()
        s = self.settings
        self._adapt = FRAME_SECONDS / s.adapt_seconds
        self._room = _Baseline(s.room_learn_seconds)
        self._partners: dict[int, _Baseline] = {}
        # The last `sustain_seconds` of speech: frame times and powers, as a ring.
        size = max(1, round(s.sustain_seconds / FRAME_SECONDS))
        self._times = [float("-inf")] * size
        self._powers = [0.0] * size
        self._next = 0  # ring position of the oldest frame, overwritten next
        self._sum = 0.0
        self._raised = False
        self._last_event: float | None = None
        self._voice: int | None = None  # the last voice told apart
        self.events: list[VoiceRaised] = []

    def baseline_db(self, partner: int | None, voice: int | None = None) -> float | None:
        """The calm level speech is measured against while `partner` holds the turn.

        The speaking `voice`'s own, once it is learned, when voices are told apart.
        Otherwise None until the turn holder's own baseline is learned (outside turns:
        the room's), then the loudest calm level of everyone learned so far: one
        microphone alone cannot tell the voices apart, so a partner who simply speaks
        louder than the turn holder must not count as a rise, while loud speech
        from either of them still does.
        """
        heard = None if voice is None else self._partners.get(voice)
        if heard is not None and heard.db is not None:
            return heard.db
        own = self._room if partner is None else self._partners.get(partner)
        if own is None or own.db is None:
            return None
        learned = [b.db for b in self._partners.values() if b.db is not None]
        return max([own.db, *learned])

    def observe(self, audio_time: float, power: float, partner: int | None,
                now: float | None = None, voice: int | None = None) -> VoiceRaised | None:
        """One 10 ms frame of speech at `audio_time` with `power` (1.0 = full scale);
        `now` is the session's clock for the event (default: the audio's own time);
        `voice`, when known, is whose voice the frame is (else the turn holder's)."""
        s = self.settings
        at = audio_time
        self._room.learn(power)
        own = None
        speaker = partner if voice is None else voice
        if speaker is not None:
            own = self._partners.get(speaker)
            if own is None:
                own = self._partners[speaker] = _Baseline(s.learn_seconds)
            own.learn(power)
        if voice is not None:
            if self._voice is not None and voice != self._voice:
                self._forget_level()
            self._voice = voice
        i = self._next
        self._sum += power - self._powers[i]
        self._powers[i], self._times[i] = power, at
        self._next = i = (i + 1) % len(self._powers)
        if i == 0:
            self._sum = math.fsum(self._powers)  # no rounding drift over hours
        baseline = self.baseline_db(partner, voice)
        if baseline is None:
            return None
        # Level of the last `sustain_seconds` of speech, if it all fell within the window.
        level = 10.0 * math.log10(max(self._sum / len(self._powers), 1e-10))
        sustained = at - self._times[i] < s.window_seconds
        threshold = baseline + s.margin_db
        if self._raised:
            if (not sustained or level < threshold - s.hysteresis_db) and self._cooled(at):
                self._raised = False
            return None
        if sustained and level < baseline + s.margin_db / 2:
            for calm in (self._room, own):
                if calm is not None:
                    calm.drift(level, self._adapt)
        if sustained and level >= threshold and self._cooled(at):
            self._raised = True
            self._last_event = at
            event = VoiceRaised(now=at if now is None else now, level_db=round(level, 1),
                                baseline_db=round(baseline, 1), partner=partner, audio_time=at)
            self.events.append(event)
            return event
        return None

    def _forget_level(self) -> None:
        """Start the last `sustain_seconds` again (another voice is speaking)."""
        self._times = [float("-inf")] * len(self._times)
        self._powers = [0.0] * len(self._powers)
        self._sum = 0.0

    def _cooled(self, audio_time: float) -> bool:
        last = self._last_event
        return last is None or audio_time - last >= self.settings.cooloff_seconds
