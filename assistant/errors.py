"""One base error for everything checkin reports to a person.

Every subclass carries a one-line message that says what to do next; the CLI prints
it without a traceback and exits with a non-zero status.
"""

from __future__ import annotations


class CheckinError(Exception):
    """Something the user can fix; the message says how."""

    exit_code = 2


class GuideError(CheckinError):
    """A guide file is missing or invalid."""


class ConfigError(CheckinError):
    """A setting or command-line value is out of range."""


class ModelError(CheckinError):
    """A speech model is missing, partial or not a Vosk model."""


class DeviceError(CheckinError):
    """An audio device is missing or cannot be opened."""


class StorageError(CheckinError):
    """The journal cannot be written or read."""


class JournalBusy(StorageError):
    """Another process is running a check-in on this journal."""


class JournalDamaged(StorageError):
    """The journal file is damaged; the message names the file and how to restore it."""
