"""A voice profile: numbers only, with the method and version that made them.

A profile is biometric data (it can tell this person's voice from others'), so it
holds no audio and no words, and it says which method made it: a profile of another
method or version is refused rather than silently misread. Where it is kept (the
journal, with both partners' consent) is the journal's business, not this module's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np

from assistant.errors import CheckinError

FORMAT = "checkin-voice-profile"


@dataclass(frozen=True)
class VoiceProfile:
    method: str
    version: int
    arrays: dict[str, np.ndarray]
    seconds: float  # speech it was learned from

    def to_bytes(self) -> bytes:
        data = {
            "format": FORMAT,
            "method": self.method,
            "version": self.version,
            "seconds": round(self.seconds, 2),
            "arrays": {k: np.asarray(v, dtype=np.float64).tolist() for k, v in self.arrays.items()},
        }
        return json.dumps(data, separators=(",", ":")).encode()

    @staticmethod
    def from_bytes(raw: bytes) -> VoiceProfile:
        try:
            data = json.loads(raw.decode())
            if data.get("format") != FORMAT:
                raise ValueError("no profile format mark")
            arrays = {str(k): np.asarray(v, dtype=np.float64) for k, v in data["arrays"].items()}
            return VoiceProfile(
                str(data["method"]), int(data["version"]), arrays, float(data["seconds"])
            )
        except (UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as err:
            raise CheckinError(
                f"this is not a checkin voice profile ({err}); enroll the voice again"
            ) from None

    def check(self, method: str, version: int) -> None:
        """Refuse a profile another method (or version) made."""
        if (self.method, self.version) != (method, version):
            raise CheckinError(
                f"this voice profile was made by {self.method} v{self.version}, not "
                f"{method} v{version}; enroll the voice again"
            )
