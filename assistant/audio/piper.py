"""A Piper voice (VITS, exported to ONNX) run on the onnxruntime checkin already ships.

The voice is two files: `NAME.onnx` and `NAME.onnx.json`, whose `phoneme_id_map` says
which number the network knows each IPA symbol by, and whose `inference` holds the
voice's own noise and length scales. Written here from the file format, not from
Piper's code: the input is the sentence's phonemes as numbers, each followed by the
pad symbol, between the start and end symbols; the output is float audio at the
voice's sample rate.

One session per voice, one thread by default: a check-in also runs Silero and Whisper
on two shared cores, and one thread renders a second of speech in about 0.1 s
(docs/audio.md). Speaking rate: `length_scale` stretches every phoneme, so a rate in
words a minute is the voice's own rate divided by it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assistant.errors import ConfigError

PAD, START, END = "_", "^", "$"
LENGTH_SCALES = (0.25, 4.0)  # beyond these a VITS voice garbles or drones


class VoiceUnreadable(ConfigError):
    """A voice's files are missing, damaged or not a Piper voice."""


@dataclass(frozen=True)
class VoiceConfig:
    """What a voice's .onnx.json says about it."""

    sample_rate: int
    phoneme_ids: dict[str, int]
    espeak_voice: str  # the espeak-ng language its phonemes are in ("en-us")
    noise_scale: float
    length_scale: float
    noise_w: float

    @classmethod
    def read(cls, path: Path) -> VoiceConfig:
        """The config, or VoiceUnreadable naming the file and what is wrong."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            ids = {str(k): int(v[0]) for k, v in data["phoneme_id_map"].items()}
            inference = data.get("inference", {})
            config = cls(int(data["audio"]["sample_rate"]), ids,
                         str(data.get("espeak", {}).get("voice", "en-us")),
                         float(inference.get("noise_scale", 0.667)),
                         float(inference.get("length_scale", 1.0)),
                         float(inference.get("noise_w", 0.8)))
        except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError) as err:
            raise VoiceUnreadable(f"{path} is not a Piper voice config ({err})") from None
        missing = [s for s in (PAD, START, END) if s not in ids]
        if missing:
            raise VoiceUnreadable(f"{path} has no id for {' '.join(missing)} in phoneme_id_map")
        return config


class PiperVoice:
    """One loaded voice: phonemes in, int16 audio out."""

    def __init__(self, model: Path, config: Path, threads: int = 1) -> None:
        self.config = VoiceConfig.read(config)
        import onnxruntime  # assistant/offline.py has turned its telemetry off

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3  # its warnings are for developers, not couples
        try:
            self._session: Any = onnxruntime.InferenceSession(
                str(model), options, providers=["CPUExecutionProvider"])
        except Exception as err:  # onnxruntime raises its own kinds for a bad file
            raise VoiceUnreadable(f"{model} cannot be loaded as a voice "
                                  f"({str(err).strip().splitlines()[0][:200]})") from None
        self._inputs = {i.name for i in self._session.get_inputs()}

    @property
    def sample_rate(self) -> int:
        return self.config.sample_rate

    def ids(self, phonemes: str) -> list[int]:
        """The network's numbers for `phonemes`: unknown symbols are left out."""
        table = self.config.phoneme_ids
        pad = table[PAD]
        ids = [table[START], pad]
        for symbol in phonemes:
            if symbol in table:
                ids += [table[symbol], pad]
        ids.append(table[END])
        return ids

    def render(self, phonemes: str, length_scale: float = 1.0) -> np.ndarray:
        """Speech for `phonemes` as int16 mono at `sample_rate` (`length_scale` > 1 is slower)."""
        ids = self.ids(phonemes)
        if len(ids) <= 3:
            return np.zeros(0, np.int16)
        low, high = LENGTH_SCALES
        scale = min(high, max(low, self.config.length_scale * length_scale))
        feed = {
            "input": np.array([ids], dtype=np.int64),
            "input_lengths": np.array([len(ids)], dtype=np.int64),
            "scales": np.array([self.config.noise_scale, scale, self.config.noise_w],
                               dtype=np.float32),
        }
        if "sid" in self._inputs:  # a voice of several speakers: the first
            feed["sid"] = np.array([0], dtype=np.int64)
        audio = np.asarray(self._session.run(None, feed)[0], dtype=np.float32).reshape(-1)
        return np.clip(np.rint(audio * 32767.0), -32768, 32767).astype(np.int16)
