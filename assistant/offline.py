"""Nothing leaves the machine: the switches that keep checkin's libraries off the network.

Every dependency that could reach a network, and how it is kept off it, is listed in
docs/privacy.md. Two need a hand here, before they are first imported:

- onnxruntime (Silero voice activity) has, since 1.29, telemetry on by default on
  Linux: a thread looks up a Microsoft events host and a store is written to the
  user's cache directory (`Microsoft/DeveloperTools/.onnxruntime/`). It reads
  `ORT_DISABLE_TELEMETRY` when it starts, so `keep_offline()` sets it first; the
  package's `__init__` calls it, so every entry point (the CLI, the benchmarks, the
  tests) is covered before any adapter imports onnxruntime.
- vosk's package imports `requests` for its own model-download helpers, which
  checkin never calls (it has its own checked downloader, the one part of checkin
  that uses the network, and only when asked). Importing requests makes urllib3
  open an IPv6 socket to probe for IPv6 and costs ~0.1 s, so `import_vosk()` loads
  vosk with requests held out.
"""

from __future__ import annotations

import os
import sys
import types
from typing import Any


def keep_offline() -> None:
    """Turn off the telemetry of libraries that have it (before they are imported)."""
    os.environ["ORT_DISABLE_TELEMETRY"] = "1"


class _HeldOut(types.ModuleType):
    """Stands in for a module a library imports but checkin never lets it use."""

    def __getattr__(self, name: str) -> Any:
        raise RuntimeError(f"{self.__name__} is held out of this process to keep it offline")


def import_vosk() -> Any:
    """The vosk module, imported without `requests` (see the module docstring)."""
    if "vosk" in sys.modules:
        return sys.modules["vosk"]
    stub = None
    if "requests" not in sys.modules:
        stub = sys.modules["requests"] = _HeldOut("requests")
    try:
        import vosk
    finally:
        if stub is not None and sys.modules.get("requests") is stub:
            del sys.modules["requests"]  # a later `import requests` gets the real one
    vosk.SetLogLevel(-1)
    return vosk
