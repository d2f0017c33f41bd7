"""The small typed messages that go into the flow (events) and come out of it (actions).

`now` is always the session's clock: seconds on the monotonic clock of the check-in
(or, for a recording with no session, the recording's own time); the flow never reads
a clock itself. Events heard in audio also say where in the audio stream they happened,
under their own name (`audio_time`, `audio_start`/`audio_end`: seconds of audio since
the stream began). Records are what the couple chose to keep; the journal stores them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum

from assistant.flow.kinds import EndReason


class CommandName(str, Enum):
    """The spoken or typed commands the flow understands."""

    NEXT = "next"
    DONE = "done"  # "I'm done"
    PAUSE = "pause"
    CONTINUE = "continue"
    REPEAT = "repeat"
    STOP = "stop"
    YES = "yes"
    NO = "no"
    SAVE = "save"  # "save it"
    AGAIN = "again"  # "try again": the item is said once more


# ---------------------------------------------------------------- events (in)


@dataclass(frozen=True)
class Tick:
    """Time passes; the flow checks its clocks."""

    now: float


@dataclass(frozen=True)
class Utterance:
    """Something a partner said (or typed), already transcribed."""

    now: float
    text: str
    audio_start: float | None = None  # where it was said in the audio (None: typed)
    audio_end: float | None = None
    confidence: float = 1.0


@dataclass(frozen=True)
class Partial:
    """A live caption of speech still in progress (never saved)."""

    now: float
    text: str


@dataclass(frozen=True)
class Command:
    """A command, spoken on its own or typed, or a key of the live view."""

    now: float
    name: CommandName
    spoken: bool = False  # heard by the microphone (typed and keyed commands are not)


@dataclass(frozen=True)
class SpeechStarted:
    """Voice activity began in the room (never the assistant's own voice)."""

    now: float
    audio_time: float = 0.0  # where the speech began in the audio


@dataclass(frozen=True)
class SpeechEnded:
    """Voice activity ended; `seconds` is the speech just measured."""

    now: float
    seconds: float = 0.0
    audio_time: float = 0.0  # where the speech ended in the audio


@dataclass(frozen=True)
class VoiceAttributed:
    """A piece of speech the room heard, labelled with whose voice it was.

    Sent by the attribution adapter for every stretch of the hearing's speech (no second
    detector), within 1.5 s of it being spoken; a long stretch may come in several
    pieces as it goes, each following on from the last. Pieces never overlap.
    `voice` is a partner's name, or None when the voices could not be told apart
    ("unsure": charged to whoever holds the turn, as without attribution).
    """

    now: float
    audio_start: float  # where the piece began in the audio
    audio_end: float
    voice: str | None = None


@dataclass(frozen=True)
class VoiceRaised:
    """A voice stayed well above its calm baseline.

    With voice attribution the hearing judges a raised voice against the baseline of
    the voice that raised it (the listener's own, when the listener raised it), not the
    turn's speaker's. The flow never needs to know whose voice it was: the pause it
    suggests names nobody, and the journal keeps only the levels.
    """

    now: float
    level_db: float
    baseline_db: float
    partner: int | None = None  # whose turn it was (index into the partners)
    audio_time: float = 0.0  # where the voice rose in the audio


@dataclass(frozen=True)
class DeviceLost:
    """The microphone went away; the flow holds everything where it is."""

    now: float


@dataclass(frozen=True)
class DeviceBack:
    """The microphone is back; the flow resumes where it was."""

    now: float


@dataclass(frozen=True)
class ListeningFailed:
    """Listening stopped for good (the speech model, the recognition thread): the
    check-in ends with an error, keeping what was confirmed."""

    now: float


@dataclass(frozen=True)
class PromptsDone:
    """The speech worker has finished saying everything queued so far."""

    now: float


Event = (
    Tick
    | Utterance
    | Partial
    | Command
    | SpeechStarted
    | SpeechEnded
    | VoiceAttributed
    | VoiceRaised
    | DeviceLost
    | DeviceBack
    | ListeningFailed
    | PromptsDone
)


# --------------------------------------------------------------- records (kept)


@dataclass(frozen=True)
class Appreciation:
    """What one partner said they appreciate in the other, exactly as confirmed."""

    from_partner: str
    to_partner: str
    text: str
    confidence: float
    at: float


@dataclass(frozen=True)
class Cause:
    """One named cause of drift, as confirmed by the partner who named it."""

    named_by: str
    text: str
    at: float


@dataclass(frozen=True)
class Ritual:
    """A small ritual both partners said yes to, to try for four weeks."""

    proposed_by: str
    text: str
    at: float


@dataclass(frozen=True)
class Activity:
    """One shared activity (two or three hours, both enjoy it) that both partners said yes
    to, to do by `by`: two weeks from the check-in, so it is a plan with a date."""

    proposed_by: str
    text: str
    by: date | None
    at: float


# The seeds: one shared activity within two weeks (the flow's date for it, and the
# journal's for one saved without a date).
ACTIVITY_WITHIN = timedelta(weeks=2)


@dataclass(frozen=True)
class Support:
    """What would help `partner` feel supported this week, in their own words, kept only
    after their "save it" (asked, never assumed)."""

    partner: str
    text: str
    at: float


@dataclass(frozen=True)
class Plan:
    """One small, concrete change both partners said yes to: a plan, not a promise."""

    proposed_by: str
    text: str
    at: float


@dataclass(frozen=True)
class Adjustment:
    """A change to the rituals, the activity or the plans, agreed by both in a review."""

    proposed_by: str
    text: str
    at: float


@dataclass(frozen=True)
class ActivityCheck:
    """The review's answer about a planned activity: did it happen?"""

    activity_id: int
    happened: bool
    at: float


@dataclass(frozen=True)
class TurnRecord:
    """One speaking turn: allotted seconds, seconds used, speech measured.

    `speech` is the speaker's own; with voice attribution, what the listener said during
    the turn is `listener_speech` (theirs, not the speaker's), and `interruptions` counts
    the times the listener talked over the speaker past the guide's limit, for
    `interrupted_seconds` in all. Without attribution these stay 0.
    """

    step: str
    partner: str
    allotted: float
    used: float
    speech: float
    ended_by: str  # "done", "time", "overrun", "stop"
    listener_speech: float = 0.0
    interruptions: int = 0
    interrupted_seconds: float = 0.0
    # gentle words (assistant/gentle): what the speaker said, counted, never kept
    statements: int = 0
    i_statements: int = 0  # statements spoken from "I" ("I feel...", "I noticed...")
    blame: int = 0  # absolute blame phrases ("you always...", "it's your fault")


@dataclass(frozen=True)
class Loved:
    """How `partner` feels most loved (words, time together, help, gifts, touch), in
    their own words, kept after their "save it"; the rituals step reads it back."""

    partner: str
    text: str
    at: float


@dataclass(frozen=True)
class Pattern:
    """A pattern `partner` saw in themselves lately (shutting down, getting defensive,
    pulling away) and one thing to try instead, in their words, after their "save it"."""

    partner: str
    text: str
    at: float


@dataclass(frozen=True)
class VoiceConsent:
    """One partner's answer to learning their voice (a profile is biometric data): kept
    so each couple is asked once, and so no profile is written without both yeses."""

    partner: str
    given: bool
    at: float


@dataclass(frozen=True)
class HeatRecord:
    """A heat event: voices rose, or a partner asked for a pause."""

    kind: str  # "voice" or "pause"
    at: float
    step: str
    level_db: float | None = None
    baseline_db: float | None = None


@dataclass(frozen=True)
class StepRecord:
    """The flow entered a step (the journal keeps where a session got to)."""

    step: str
    index: int
    at: float


Record = (
    Appreciation
    | Cause
    | Ritual
    | Activity
    | Support
    | Plan
    | Adjustment
    | ActivityCheck
    | Loved
    | Pattern
    | TurnRecord
    | HeatRecord
    | StepRecord
    | VoiceConsent
)


# ----------------------------------------------------- what the journal passes in


@dataclass(frozen=True)
class PlannedActivity:
    """A shared activity agreed earlier and not yet asked about (the review's follow-up)."""

    id: int
    text: str
    by: date | None


# -------------------------------------------------------------- actions (out)


@dataclass(frozen=True)
class Say:
    """Speak (and show) a sentence. `repeatable` prompts are what "repeat" says again."""

    text: str
    repeatable: bool = True


@dataclass(frozen=True)
class Chime:
    """A short non-verbal sound: "turn", "warning", "pause", "end"."""

    kind: str


@dataclass(frozen=True)
class Listen:
    """Whose words matter now, and for what: "turn", "item", "answer" or "command"."""

    partner: str | None
    mode: str


@dataclass(frozen=True)
class StartTurn:
    """A timed turn begins for `partner` with `seconds` allotted."""

    partner: str
    seconds: float


@dataclass(frozen=True)
class EndTurn:
    """The current turn is over."""

    partner: str


@dataclass(frozen=True)
class Save:
    """Keep this record now (the journal commits it at once)."""

    record: Record


@dataclass(frozen=True)
class End:
    """The check-in is over, and why (flow/kinds.py: `EndReason`)."""

    reason: EndReason


@dataclass(frozen=True)
class PauseStarted:
    """The cool-down began; `seconds` is its full length."""

    seconds: float


@dataclass(frozen=True)
class PauseEnded:
    """The cool-down is over and the check-in resumes."""


Action = Say | Chime | Listen | StartTurn | EndTurn | Save | End | PauseStarted | PauseEnded


@dataclass
class Outbox:
    """Collects the actions of one `handle` call, in order."""

    actions: list[Action] = field(default_factory=list)

    def add(self, action: Action) -> None:
        self.actions.append(action)

    def take(self) -> list[Action]:
        out, self.actions = self.actions, []
        return out
