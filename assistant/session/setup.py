"""The one place that builds a check-in from its settings, and closes it in order.

    Settings ─► run_checkin ─► journal · plan (plan.py) · flow
                    ├─ typed:  the typed check-in (typed.py), prompts also spoken on a terminal
                    └─ voice:  check_voice → open_voice: hearing, pipeline (model loading in
                               the background; with --speakers the voices, live_voices),
                               speech, live view, trace, microphone, keys
                               → Session.run_live (voice.py)

The listening parts are built here for every other use too, so what `analyze`,
`mic-check`, `transcribe`, the tests and the benchmarks hear is what a check-in hears:
`open_hearing` (the room's hearing with the detector chosen by measurement) and
`recording_pipeline` (hearing and recognition for audio that is not live).

Failing early: the model and the microphone are found before a check-in starts, so a
missing one is one clear line (and the typed check-in instead), not a failure halfway
through. Everything opened is closed in reverse order whatever happens: the
microphone first, then speech, then the view, then the journal.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import queue
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import CheckinError
from assistant.flow.events import Action, End, Event, PromptsDone, Save, Say
from assistant.flow.kinds import EndReason
from assistant.invocation import checkin_command
from assistant.session.pipeline import Pipeline, ungated
from assistant.session.threads import join_or_report
from assistant.settings import Settings

if TYPE_CHECKING:  # the listening parts below are used without the flow (transcribe)
    from assistant.flow.machine import CheckinFlow
    from assistant.journal.store import Journal
    from assistant.session.speakers import LiveVoices



# ------------------------------------------------------------------ the check-in


def run_checkin(settings: Settings) -> int:
    """`checkin run`: typed or hands-free, to the end; the process's exit code. One at a
    time per journal: the journal's lock is held from before it opens until it closes."""
    from assistant.journal.lock import holding
    from assistant.journal.paths import ensure_private_dir, resolve_data_dir
    from assistant.session.plan import load_checkin_guide

    if settings.guide is not None and not settings.resume:  # a guide named: found first
        load_checkin_guide(settings.guide, settings)
    folder = resolve_data_dir(settings.data_dir)
    ensure_private_dir(folder)
    with holding(folder):
        return _run_locked(settings)


def _run_locked(settings: Settings) -> int:
    from assistant.flow.machine import CheckinFlow
    from assistant.journal.store import Journal
    from assistant.session.plan import plan_checkin, wall_clock

    journal = Journal.open(settings.data_dir)  # fails here, before anything starts
    voice = None
    if not settings.typed:
        try:
            voice = check_voice(settings)
        except CheckinError as err:
            print(f"checkin: {err}", file=sys.stderr)
            print("checkin: starting the typed check-in instead.", file=sys.stderr)
            settings = dataclasses.replace(settings, typed=True)
    if voice is None and settings.speakers:
        print("checkin: a typed check-in hears no voice, so --speakers learns nothing "
              "today; a yes to learning voices is kept for a spoken one.", file=sys.stderr)
    try:
        plan = plan_checkin(settings, journal)
        flow = CheckinFlow(plan.guide, plan.context)

        def keep(action: Action) -> None:
            if isinstance(action, Save):
                journal.record(plan.session_id, action.record, wall_clock())
            elif isinstance(action, End):
                journal.end_session(plan.session_id, action.reason, wall_clock())

        def transcript(partner: str | None, text: str) -> None:
            if settings.keep_transcript and partner:
                journal.transcript(plan.session_id, partner, text, wall_clock())

        if voice is None:
            reason = run_typed(flow, settings, keep, transcript)
        else:
            say_languages(voice.model, plan.guide.language)
            voices = live_voices(journal, flow.partners) if settings.speakers else None
            reason = run_voice(flow, settings, voice, keep, transcript, voices)
        if flow.ended:
            _back_up(journal, wall_clock())
    finally:
        journal.close()
    return EndReason(reason).exit_code  # 1 for a check-in that failed (flow/kinds.py)


def _back_up(journal: Journal, at: Any) -> None:
    """A copy after each check-in that came to its end (journal/backup.py); a copy that
    cannot be made is one line, since everything is still in the journal itself."""
    try:
        journal.back_up(at)
    except CheckinError as err:
        print(f"checkin: {err}", file=sys.stderr)


def run_typed(flow: CheckinFlow, settings: Settings, keep: Callable[[Action], None],
              transcript: Callable[[str | None, str], None]) -> str:
    """The typed check-in; on a terminal the prompts are also spoken when speech works."""
    from assistant.session.typed import TextCheckin, TextIO

    speech = None
    if sys.stdin.isatty() and sys.stdout.isatty():
        from assistant.audio.tts import PrintedSpeech, open_speech

        opened = open_speech(settings.voice, settings.words_per_minute,
                             language=flow.guide.language, pronounce=pronunciations(settings))
        if isinstance(opened, PrintedSpeech):
            print(f"checkin: prompts are printed only ({opened.reason}).", file=sys.stderr)
        else:
            speech = opened

    def act(action: Action) -> None:
        keep(action)
        if speech is not None and isinstance(action, Say):
            speech.say(action.text)

    checkin = TextCheckin(flow, TextIO(sys.stdin, sys.stdout, terminal=sys.stdin.isatty()),
                          on_action=act,
                          on_utterance=transcript)
    try:
        return checkin.run()
    except KeyboardInterrupt:  # Ctrl-C stops at once: no prompt is finished first
        if speech is not None:
            speech.close(timeout=0.2)
            speech = None
        raise
    finally:
        if speech is not None:
            speech.wait_idle(10.0)
            speech.close()


def pronunciations(settings: Settings) -> Callable[[str], str]:
    """How names are said: the data folder's pronunciations.toml (assistant/audio/pronounce.py)."""
    from assistant.audio.pronounce import FILE_NAME, Pronunciations
    from assistant.journal.paths import resolve_data_dir

    return Pronunciations.read(resolve_data_dir(settings.data_dir) / FILE_NAME)


# --------------------------------------------------------------- hands-free


@dataclass(frozen=True)
class VoicePlan:
    """What the hands-free check-in will use, found before anything starts."""

    model: Path
    device: str | int | None


def check_voice(settings: Settings) -> VoicePlan:
    """The model and microphone to use, or a CheckinError saying what to do."""
    from assistant.asr.models import resolve_model
    from assistant.audio.devices import choose, query_devices

    model = resolve_model(settings.model)
    try:
        choose(query_devices(), settings.device, "input")
    except OSError as err:  # PortAudio itself is missing
        raise CheckinError(
            f"no audio system found ({err}); see: {checkin_command('devices')}"
        ) from None
    return VoicePlan(model, settings.device)


def say_languages(model: Path, guide_language: str) -> None:
    """One line when the model will not hear the guide's language: its commands are
    heard in the model's language (or the guide's, when the model does not say)."""
    from assistant.asr.languages import language_name
    from assistant.asr.models import model_language

    heard = model_language(model)
    if heard is None:
        print(f"checkin: cannot tell which language the speech model at {model} hears; "
              f"spoken commands are listened for in {language_name(guide_language)} "
              "(choose a model with --model).", file=sys.stderr)
    elif heard != guide_language:
        print(f"checkin: the speech model hears {language_name(heard)} and this guide is in "
              f"{language_name(guide_language)}: say the commands in "
              f"{language_name(heard)}, or choose another model with --model.",
              file=sys.stderr)


def run_voice(flow: CheckinFlow, settings: Settings, plan: VoicePlan,
              keep: Callable[[Action], None],
              transcript: Callable[[str | None, str], None], voices: Any = None) -> str:
    """Open everything, run the check-in hands-free, close everything in order."""
    from assistant.session.voice import GOODBYE_SECONDS

    with open_voice(flow, settings, plan, keep, transcript, voices) as (session, microphone, keys):
        try:
            return session.run_live(microphone, show_caption=settings.captions, keys=keys)
        except KeyboardInterrupt:
            session.speech.say(flow.guide.phrases["stop"])
            session.speech.wait_idle(GOODBYE_SECONDS)
            raise


@contextlib.contextmanager
def open_voice(flow: CheckinFlow, settings: Settings, plan: VoicePlan,
               keep: Callable[[Action], None],
               transcript: Callable[[str | None, str], None],
               voices: Any = None) -> Iterator[tuple[Any, ...]]:
    """Yield (session, microphone, keys); close all of it on the way out. `voices`
    (a `LiveVoices`, with `--speakers`) hears what the hearing hears."""
    from assistant.audio.capture import MicrophoneCapture
    from assistant.audio.gate import Gate, VoiceTimeline
    from assistant.audio.reconnect import Reconnecting
    from assistant.audio.tts import PrintedSpeech, open_speech
    from assistant.display import LiveView, PlainView
    from assistant.session.keys import Keys
    from assistant.session.voice import Session, Trace

    with contextlib.ExitStack() as stack:
        hearing, _ = open_hearing(settings.sensitivity, settings.silero_model)
        timeline = VoiceTimeline()
        pipeline = Pipeline(Gate(timeline), hearing, voices)
        # while the first prompt is spoken; joined at the end (a model still loading then
        # is waited for a while, and said if it never finishes)
        loader = load_in_background(pipeline, plan.model, flow.guide.language)
        stack.callback(join_or_report, loader, LOADER_JOIN_SECONDS, "loading the speech model")
        events: queue.Queue[Event] = queue.Queue()
        speech = open_speech(settings.voice, settings.words_per_minute, timeline=timeline,
                             on_drained=lambda at: events.put(PromptsDone(at)),
                             language=flow.guide.language, pronounce=pronunciations(settings))
        stack.callback(speech.close)
        if isinstance(speech, PrintedSpeech):  # the view shows every prompt already
            print(f"checkin: prompts are shown, not spoken ({speech.reason}).", file=sys.stderr)
            speech.out = open(os.devnull, "w")  # noqa: SIM115 - closed by the stack
            stack.callback(speech.out.close)
        live = settings.display if settings.display is not None else sys.stdout.isatty()
        view: Any = LiveView() if live else PlainView(sys.stdout)
        stack.enter_context(view)
        session = Session(flow, pipeline, speech, view=view, on_action=keep,
                          on_utterance=transcript, events=events)
        # a decode (seconds for a long stretch) never holds up the room's hearing
        pipeline.recognize_in_background(session.post, session.clock)
        stack.callback(pipeline.stop_recognizing)
        if settings.trace_file is not None:
            session.trace = Trace(stack.enter_context(
                open(settings.trace_file, "a", encoding="utf-8", buffering=1)))
            voice = getattr(speech, "engine", None)  # which voice speaks, for diagnosis
            session.trace.line(session.clock(), f"voice {voice.name if voice else 'printed'}")
        capture = MicrophoneCapture(plan.device)
        capture.start()
        stack.callback(capture.stop)  # closed first: nothing more is heard
        yield session, Reconnecting(capture), Keys(language=flow.guide.language)


def live_voices(journal: Journal, partners: tuple[str, str]) -> LiveVoices:
    """With `--speakers`: the voices stored with consent (`keep` saves new ones there);
    one that cannot be read any more is learned again, with a line saying so."""
    from assistant.session.plan import wall_clock
    from assistant.session.speakers import LiveVoices
    from assistant.speakers.methods import default_method
    from assistant.speakers.profile import VoiceProfile

    method = default_method()
    names = {p.casefold(): p for p in partners}
    profiles: dict[str, VoiceProfile] = {}
    for row in journal.voice_profiles():
        name = names.get(row.partner.casefold())
        if name is None or (row.method, row.version) != (method.name, method.version):
            continue
        try:
            profile = VoiceProfile.from_bytes(row.data)
            method.scorer(profile)  # damaged numbers are found now, not mid-check-in
        except CheckinError as err:
            print(f"checkin: {name}'s voice will be learned again ({err}).", file=sys.stderr)
            continue
        profiles[name] = profile

    def keep(name: str, profile: VoiceProfile) -> None:
        journal.save_voice_profile(partners, name, method.name, method.version,
                                   profile.to_bytes(), wall_clock())

    return LiveVoices(partners, lambda: journal.voices_agreed(partners), keep, profiles,
                      method)


# -------------------------------------------------------------- listening parts


def open_hearing(sensitivity: str = "medium",
                 silero_model: Path | None = None) -> tuple[Any, str]:
    """The room's hearing as a check-in has it, and the name of its detector (its weights:
    `silero_model`, else $CHECKIN_SILERO_MODEL as the settings checked it, else a package)."""
    from assistant.audio.hearing import Hearing, HearingSettings, open_voice_activity
    from assistant.settings import read_environment

    vad, name = open_voice_activity(silero_model or read_environment().silero_model)
    return Hearing(vad, HearingSettings(sensitivity=sensitivity)), name


def open_listener_for(pipeline: Pipeline, model_path: Path, model: Any = None,
                      commands: bool = True, language: str | None = None,
                      live: bool = False) -> Any:
    """Load (or reuse) a model and build the listener on the pipeline's shared detector
    (`language`: the commands' language when the model does not tell its own; `live`:
    a microphone, which may open in the middle of a sound)."""
    from assistant.asr.listener import open_listener

    return open_listener(model_path, pipeline.shared, language=language, model=model,
                         commands=commands, live=live)


def recording_pipeline(model_path: Path, model: Any = None, commands: bool = True,
                       sensitivity: str = "medium") -> Pipeline:
    """The check-in's own listening path for audio that is not live (a file, a test, a
    benchmark): the detector, hearing, segmenter and recognizer exactly as `checkin
    run` wires them, without the gate (no assistant voice to mark)."""
    hearing, _ = open_hearing(sensitivity)
    pipeline = Pipeline(ungated, hearing)
    pipeline.attach(open_listener_for(pipeline, model_path, model, commands))
    return pipeline


LOADER_JOIN_SECONDS = 10.0  # a model still loading when a check-in ends: waited for this long


def load_in_background(pipeline: Pipeline, model_path: Path,
                       language: str | None = None) -> threading.Thread:
    """Load the speech model on its own thread, at a lower CPU priority so the prompt
    being played does not stutter; the pipeline keeps what it hears meanwhile. (The
    Whisper engine's worker threads are made here, so they keep that priority.)"""

    def load() -> None:
        _be_nice()
        try:
            listener = open_listener_for(pipeline, model_path, language=language, live=True)
        except BaseException as err:  # reported by the listening thread
            pipeline.failed(err)
            return
        pipeline.attach(listener)

    thread = threading.Thread(target=load, name="checkin-load-model", daemon=True)
    thread.start()
    return thread


def _be_nice() -> None:
    """Lower this thread's CPU priority (Linux applies nice per thread)."""
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
