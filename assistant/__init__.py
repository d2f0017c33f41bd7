"""checkin: a local, offline, voice-guided check-in assistant for couples."""

__version__ = "0.1.0"
