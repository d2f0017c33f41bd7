"""Opening and closing the hands-free check-in's devices, in an order that fails early.

`check_voice` finds the model and the microphone before a check-in starts, so a
missing model or microphone is one clear line (and the typed check-in instead), not
a failure halfway through. `open_session` builds the pipeline and closes everything
in reverse order whatever happens: capture first, then speech, then the view.
"""

from __future__ import annotations

import contextlib
import os
import queue
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.errors import CheckinError
from assistant.flow.events import Action, Event, PromptsDone
from assistant.flow.machine import CheckinFlow


@dataclass(frozen=True)
class VoicePlan:
    """What the hands-free check-in will use, found before anything starts."""

    model: Path
    device: str | int | None


def check_voice(args: Any) -> VoicePlan:
    """The model and microphone to use, or a CheckinError saying what to do."""
    from assistant.asr.models import resolve_model
    from assistant.audio.devices import choose, query_devices

    model = resolve_model(args.model)
    device = _device_spec(args.input_device)
    try:
        choose(query_devices(), device, "input")
    except OSError as err:  # PortAudio itself is missing
        raise CheckinError(f"no audio system found ({err}); see: checkin devices") from None
    return VoicePlan(model, device)


def _device_spec(raw: str | int | None) -> str | int | None:
    if isinstance(raw, str) and raw.isdigit():
        return int(raw)
    return raw


@contextlib.contextmanager
def open_session(flow: CheckinFlow, args: Any, plan: VoicePlan,
                 keep: Callable[[Action], None],
                 transcript: Callable[[str | None, str], None]) -> Iterator[tuple[Any, ...]]:
    """Yield (session, source, keys, show_captions); close all of it on the way out."""
    from assistant.audio.capture import MicrophoneCapture
    from assistant.audio.gate import Gate, VoiceTimeline
    from assistant.audio.hearing import Hearing, HearingSettings, open_voice_activity
    from assistant.audio.reconnect import Reconnecting
    from assistant.audio.speech import PrintedSpeech, open_speech
    from assistant.display import LiveView, PlainView
    from assistant.session import Keys, Pipeline, Session

    with contextlib.ExitStack() as stack:
        vad, _ = open_voice_activity()
        settings = HearingSettings(sensitivity=getattr(args, "sensitivity", None) or "medium")
        timeline = VoiceTimeline()
        # The model loads while the first prompt is being spoken.
        pipeline = Pipeline.open_in_background(Gate(timeline), Hearing(vad, settings),
                                               plan.model)
        events: queue.Queue[Event] = queue.Queue()
        speech = open_speech(getattr(args, "voice", None), getattr(args, "rate", None),
                             timeline=timeline, on_drained=lambda at: events.put(PromptsDone(at)))
        stack.callback(speech.close)
        if isinstance(speech, PrintedSpeech):  # the view shows every prompt already
            print(f"checkin: prompts are shown, not spoken ({speech.reason}).", file=sys.stderr)
            speech.out = open(os.devnull, "w")  # noqa: SIM115 - closed by the stack
            stack.callback(speech.out.close)
        live = bool(args.display if args.display is not None else sys.stdout.isatty())
        view: Any = LiveView() if live else PlainView(sys.stdout)
        stack.enter_context(view)
        session = Session(flow, pipeline, speech, view=view, on_action=keep,
                          on_utterance=transcript, events=events)
        trace_path = os.environ.get("CHECKIN_TRACE")
        if trace_path:  # never by default: a trace holds what was said
            session.trace = stack.enter_context(open(trace_path, "a", encoding="utf-8",
                                                     buffering=1))
        capture = MicrophoneCapture(plan.device)
        capture.start()
        stack.callback(capture.stop)  # closed first: nothing more is heard
        keys = Keys(language=flow.guide.language)
        yield session, Reconnecting(capture), keys, args.captions is not False

