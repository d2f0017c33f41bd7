#!/usr/bin/env python3
"""Gentle words, measured: does the check notice blame, and leave kind words alone?

    .venv/bin/python -m scripts.eval_gentle_words [--quick] [--text-only] [--voices A,B]

1. Text: every sentence of speechlab/gentle_labelled.tsv (blame, kind and neutral, English
   and Korean) through the check a turn uses (`assistant.gentle.blames`): precision and
   recall of a tip, and tips on kind sentences, per language and per set (the held-out
   sets were each run once before the word lists saw them: docs/gentle_words.md).
2. Spoken: each English blame and kind sentence said by the English test voices
   (speechlab/english.py: one per synthesizer by default), heard through the
   shipped listening path (`recording_pipeline` on the bundled Whisper tiny.en, as
   `checkin transcribe` hears) and checked as the flow checks an `Utterance`: the
   decision on the transcript must be the decision on the text.

Targets: no tip on a kind sentence, recall of blame at least 80 %, and the spoken
decisions the same as the text's. `--quick`: the text part, and six sentences said by
one voice (a smoke run of well under a minute). Exit status 0 when the text targets
are met, 1 when not, 2 when the spoken part cannot start.
"""

from __future__ import annotations

import argparse
import sys
import time

from assistant.gentle import blames
from assistant.text import visible
from speechlab.gentle_labelled import Sentence, load, score

RECALL_TARGET = 0.80
SPOKEN_VOICES = ("espeak-us", "flite-slt", "festival-slt")  # one per synthesizer
QUICK = ("You never listen to me.", "You always leave the dishes in the sink.",
         "It's your fault we're always late.", "You always make me laugh.",
         "You never fail to surprise me.", "You're always there for me.")


def text_part(sentences: list[Sentence]) -> bool:
    """Print the text figures; True when the targets are met."""
    print("text: every labelled sentence, as typed")
    print(f"{'language':<9}{'set':<8}{'blame':>7}{'recall':>8}{'kind':>6}{'tips':>5}"
          f"{'neutral':>8}{'tips':>5}{'precision':>11}")
    met = True
    for language in sorted({s.language for s in sentences}):
        mine = [s for s in sentences if s.language == language]
        parts = sorted({s.set for s in mine})
        for part in [*parts, "all"]:
            result = score(s for s in mine if part in ("all", s.set))
            print(f"{language:<9}{part:<8}{result.count['blame']:>7}{result.recall:>8.1%}"
                  f"{result.count['kind']:>6}{result.tipped['kind']:>5}"
                  f"{result.count['neutral']:>8}{result.tipped['neutral']:>5}"
                  f"{result.precision:>11.1%}")
        total = score(mine)
        met = met and total.tipped["kind"] == 0 and total.recall >= RECALL_TARGET
        for s in total.missed:
            print(f"  missed ({language}, {s.set}): {visible(s.text)}")
        for s in total.wrong:
            print(f"  tip on {s.label} ({language}, {s.set}): {visible(s.text)}")
    everything = score(sentences)
    print(f"all: {len(sentences)} sentences; recall {everything.recall:.1%}, precision "
          f"{everything.precision:.1%}, tips on kind sentences {everything.tipped['kind']} "
          f"of {everything.count['kind']}")
    return met


def spoken_part(sentences: list[Sentence], voices: tuple[str, ...]) -> int:
    """Say each sentence, hear it through the shipped path, compare the decisions."""
    import numpy as np

    from assistant.asr.engine import load_model
    from assistant.asr.models import resolve_model
    from assistant.audio.frames import RATE, chunks
    from assistant.errors import CheckinError
    from assistant.flow.events import Utterance
    from assistant.flow.gentle import TurnWords
    from assistant.session.setup import recording_pipeline
    from speechlab.english import missing_voices, say, word_errors, words_of
    from speechlab.voices import room_noise

    if missing_voices():
        print(f"cannot start the spoken part: {missing_voices()}", file=sys.stderr)
        return 2
    try:
        path = resolve_model("whisper-tiny.en")
        model = load_model(path)
    except CheckinError as err:
        print(f"cannot start the spoken part: {err}", file=sys.stderr)
        return 2
    print(f"\nspoken: {len(sentences)} sentences x {len(voices)} voices "
          f"({', '.join(voices)}), heard by whisper-tiny.en on the shipped path")
    same = clips = errors = words = 0
    started = time.monotonic()
    differ: list[str] = []
    for sentence in sentences:
        said = blames(sentence.text, "en")
        for voice in voices:
            audio = np.concatenate([room_noise(0.6, 1), say(sentence.text, voice),
                                    room_noise(1.5, 2)])
            pipeline = recording_pipeline(path, model=model, commands=False)
            events = [e for c in chunks(audio, 0.02) for e in pipeline.process(c)]
            events += pipeline.finish(len(audio) / RATE)
            heard = [e.text for e in events if isinstance(e, Utterance)]
            turn = TurnWords(counted=True)  # as a sharing turn reads them, one at a time
            for text in heard:
                turn.heard(text)
            decided = turn.blame > 0
            clips += 1
            same += decided == said
            if clips % 100 == 0:
                print(f"  ... {clips} clips heard, {same} the same", file=sys.stderr,
                      flush=True)
            reference = words_of(sentence.text)
            errors += word_errors(reference, words_of(" ".join(heard)))
            words += len(reference)
            if decided != said:
                differ.append(f"  {voice}: {visible(sentence.text)!r} ({sentence.label}, "
                              f"text {'tip' if said else 'none'}) heard as "
                              f"{visible(' / '.join(heard)) or '(nothing)'!r}: "
                              f"{'tip' if decided else 'none'}")
    print(f"same decision as the text: {same} of {clips} ({same / clips:.1%}); word error "
          f"rate of the transcripts {errors / max(words, 1):.1%}; "
          f"{time.monotonic() - started:.0f} s")
    for line in differ:
        print(line)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="the text part, and six sentences said by one voice")
    parser.add_argument("--text-only", action="store_true", help="skip the spoken part")
    parser.add_argument("--voices", default=",".join(SPOKEN_VOICES),
                        help="English test voices for the spoken part, comma-separated")
    args = parser.parse_args()
    sentences = load()
    met = text_part(sentences)
    print(f"text targets (no tip on kind, recall >= {RECALL_TARGET:.0%}): "
          f"{'met' if met else 'NOT met'}")
    if args.text_only:
        return 0 if met else 1
    if args.quick:
        spoken = [s for s in sentences if s.text in QUICK and s.set == "dev"]
        voices: tuple[str, ...] = (SPOKEN_VOICES[0],)
    else:
        spoken = [s for s in sentences if s.language == "en" and s.label != "neutral"]
        voices = tuple(v for v in args.voices.split(",") if v)
    status = spoken_part(spoken, voices)
    if status:
        return status
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
