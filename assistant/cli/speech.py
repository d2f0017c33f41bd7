"""`checkin speech list|say|download`: the assistant's own voice.

`checkin voices …` is the partners' voices (assistant/cli/voices.py); everything about
the voice that speaks the prompts is here: which voices there are and which engine each
uses, hearing one before a check-in, and fetching a neural voice.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from assistant.errors import ConfigError
from assistant.invocation import checkin_command
from assistant.settings import data_folder


def register(sub: Any) -> None:
    speech = sub.add_parser("speech", help="the assistant's voice: list voices, hear one, "
                            "download a neural voice")
    ssub = speech.add_subparsers(dest="speech_command", metavar="ACTION", required=True)
    ls = ssub.add_parser("list", help="installed and downloadable voices, and the engine each "
                         "uses")
    ls.add_argument("filter", nargs="?", default="", help="show only voices whose name, id or "
                    "language has this")
    ls.set_defaults(func=cmd_list)
    say = ssub.add_parser("say", help="say a sentence with the voice a check-in would use "
                          "(or write it to a WAV file)")
    say.add_argument("text", help="what to say")
    say.add_argument("--out", type=Path, help="write a 16-bit WAV file instead of playing it")
    say.add_argument("--voice", help="a voice from 'checkin speech list' (default: the voice "
                     "a check-in uses: the config's, else the warm voice for English)")
    say.add_argument("--rate", type=int, help="words a minute (default: the voice's own)")
    say.add_argument("--output-device", help="play on this output (index or name fragment)")
    say.add_argument("--data-dir", type=data_folder, help="where pronunciations.toml is "
                     "(default: your data directory, or $CHECKIN_HOME)")
    say.set_defaults(func=cmd_say)
    dl = ssub.add_parser("download", help="download, verify and install a neural voice")
    dl.add_argument("name", help="a voice from 'checkin speech list'")
    dl.add_argument("--url", help="download from this folder address instead (a mirror)")
    dl.add_argument("--quiet", action="store_true",
                    help="say nothing when the voice is already installed")
    dl.set_defaults(func=cmd_download)


def cmd_list(args: argparse.Namespace) -> int:
    from assistant.audio.speech_engine import EngineUnavailable
    from assistant.audio.speech_voices import (
        DEFAULT_ENGLISH,
        REGISTRY,
        default_voice,
        installed_at,
        voices_dir,
    )

    wanted = args.filter.lower()
    default = default_voice("en")
    print(f"neural voices (Piper, on onnxruntime; downloads go to {voices_dir()}):")
    for voice in REGISTRY.values():
        if wanted and wanted not in f"{voice.name} {voice.language} {voice.stem}".lower():
            continue
        where = installed_at(voice)
        if where is not None:
            state = f"installed at {where}"
        elif voice.distribution:
            state = f"not installed: pip install {voice.distribution}=={voice.version}"
        else:
            size = f"{voice.size / 1e6:.0f} MB" if voice.size else "size not pinned"
            state = (f"not installed ({size}): "
                     f"{checkin_command('speech', 'download', voice.name)}")
        mark = " (default for English)" if default is voice else ""
        print(f"  {voice.name:12} piper   {voice.language:3} {state}{mark}")
        print(f"  {'':12} licence: {voice.licence}")
    print("system voices (pyttsx3" + ("; the default for English when the warm voice is "
                                      "missing" if default is None else "") + "):")
    try:
        from assistant.audio.pyttsx3_voice import list_voices

        system = list_voices()
    except EngineUnavailable as err:
        print(f"  (none: {err})")
        system = []
    shown = 0
    for v in system:
        if wanted and wanted not in f"{v.id} {v.name} {','.join(v.languages)}".lower():
            continue
        print(f"  {v.id:28} pyttsx3 {v.name}  [{', '.join(v.languages)}]")
        shown += 1
    if system:
        print(f"  ({shown} of {len(system)} shown; 'pyttsx3' names its default voice)")
    print(f"Choose one with: {checkin_command('run', '--voice', DEFAULT_ENGLISH)} (or voice = "
          f"\"NAME\" in the config); hear it first: "
          f"{checkin_command('speech', 'say', 'Hello', '--voice', DEFAULT_ENGLISH)}")
    return 0


def cmd_say(args: argparse.Namespace) -> int:
    from assistant.settings import build_settings, config_path, read_config

    settings = build_settings(args, read_config(config_path()))
    text = " ".join(args.text.split())
    if not text:
        raise ConfigError("give some words to say, e.g. checkin speech say \"Hello, you two.\"")
    from assistant.session.setup import pronunciations

    pronounce = pronunciations(settings)
    if args.out is not None:
        return _write(args.out, text, settings.voice, settings.words_per_minute, pronounce)
    return _play(text, settings.voice, settings.words_per_minute, args.output_device, pronounce)


def _write(out: Path, text: str, voice: str | None, rate: int | None, pronounce: Any) -> int:
    import wave

    from assistant.audio.tts import render_sample

    samples, sample_rate, name = render_sample(
        text, voice, rate, pronounce=pronounce, tell=lambda m: print(f"checkin: {m}.",
                                                                       file=sys.stderr))
    try:
        with wave.open(str(out), "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(sample_rate)
            wav.writeframes(samples.astype("<i2").tobytes())
    except OSError as err:
        raise ConfigError(f"cannot write {out}: {(err.strerror or str(err)).lower()}") from None
    print(f"{name} said it in {len(samples) / sample_rate:.1f} s: {out}")
    return 0


def _play(text: str, voice: str | None, rate: int | None, device: str | None,
          pronounce: Any) -> int:
    from assistant.audio.tts import PrintedSpeech, open_speech

    speech = open_speech(voice, rate, device=device, pronounce=pronounce)
    if isinstance(speech, PrintedSpeech):
        raise ConfigError(f"no voice can speak here ({speech.reason})")
    try:
        speech.say(text)
        speech.wait_idle()
    finally:
        speech.close()
    if speech.failed:
        return 1
    print(f"said by {speech.engine.name}")
    return 0


def cmd_download(args: argparse.Namespace) -> int:
    from assistant.audio.speech_voices import find, installed_at
    from assistant.audio.voice_download import download_voice

    voice = find(args.name)
    if voice is None:
        raise ConfigError(f"no neural voice is called {args.name!r}; see: "
                          f"{checkin_command('speech', 'list')}")
    present = installed_at(voice)
    if present is not None:
        if not args.quiet:
            print(f"{voice.name} is already installed at {present}")
        return 0
    from assistant.cli.models import download_progress

    with download_progress(voice.name) as progress:
        result = download_voice(voice, url=args.url, progress=progress)
    print(f"installed {voice.name} at {result.path}")
    if not result.checksum_pinned:
        print(f"checksums not pinned for {voice.name}; computed sha256 {result.sha256} "
              f"({result.size} bytes); they are checked before every load from now on")
    return 0
