"""checkin: a local, offline, voice-guided check-in assistant for couples."""

from assistant.offline import keep_offline

__version__ = "0.1.0"

keep_offline()  # before any adapter can import a library that phones home
