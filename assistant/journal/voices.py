"""Voice profiles and the consent they need: biometric data (docs/privacy.md).

A profile is written only after both partners said yes, and the journal itself refuses
otherwise, so no caller can forget to ask; `forget_voices` removes the numbers from the
disk, not only from the tables.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from assistant.errors import StorageError
from assistant.journal.connection import (
    JournalConnection,
    describe_sqlite_error,
    from_utc_text,
    to_utc_text,
)
from assistant.journal.rows import StoredVoiceProfile


class VoiceStore(JournalConnection):
    """The part of `Journal` that keeps each partner's answer and their voice's numbers."""

    def voice_consent(self, partners: tuple[str, str]) -> dict[str, bool]:
        """Each partner's latest answer to learning their voice (absent: never asked)."""
        with self._reading():
            rows = self._db.execute(
                "SELECT partner, given FROM voice_consents ORDER BY id").fetchall()
        wanted = {p.casefold(): p for p in partners}
        return {wanted[r[0].casefold()]: bool(r[1]) for r in rows if r[0].casefold() in wanted}

    def answer_voice_consent(self, partner: str, given: bool, at: datetime) -> None:
        """A partner's answer given outside a check-in (`checkin voices enroll`)."""
        self._write(
            "INSERT INTO voice_consents (session_id, partner, given, at) VALUES (NULL, ?, ?, ?)",
            (partner, int(given), to_utc_text(at)),
        )

    def voices_agreed(self, partners: tuple[str, str]) -> bool:
        """Both partners said yes (and neither has taken it back with `voices forget`)."""
        answers = self.voice_consent(partners)
        return all(answers.get(p) is True for p in partners)

    def save_voice_profile(self, partners: tuple[str, str], partner: str, method: str,
                           version: int, data: bytes, at: datetime) -> None:
        """Keep one partner's voice profile (replacing their earlier one for `method`),
        only when both partners agreed: the journal itself refuses otherwise."""
        if partner not in partners:
            raise ValueError(f"{partner!r} is not one of {partners}")
        if not self.voices_agreed(partners):
            raise StorageError("Voice profiles are kept only after both of you said yes; "
                               "nothing was saved.")
        self._write(
            """INSERT INTO voice_profiles (partner, method, version, data, created_at)
               VALUES (?, ?, ?, ?, ?) ON CONFLICT (partner, method) DO UPDATE SET
               version = excluded.version, data = excluded.data,
               created_at = excluded.created_at""",
            (partner, method, version, data, to_utc_text(at)),
        )

    def voice_profiles(self) -> list[StoredVoiceProfile]:
        with self._reading():
            rows = self._db.execute(
                """SELECT partner, method, version, data, created_at FROM voice_profiles
                   ORDER BY id""").fetchall()
        return [StoredVoiceProfile(r[0], r[1], r[2], bytes(r[3]), from_utc_text(r[4]))
                for r in rows]

    def forget_voices(self) -> int:
        """Delete every voice profile and every answer about them; return how many profiles.

        secure_delete overwrites the freed pages, the checkpoint empties the write-ahead
        log (which held the profiles as written) and VACUUM rebuilds the file, so the
        numbers are gone from the disk, not only from the tables. The couple is asked
        again before any voice is learned.
        """
        with self._transaction() as db:
            count = int(db.execute("SELECT COUNT(*) FROM voice_profiles").fetchone()[0])
            db.execute("DELETE FROM voice_profiles")
            db.execute("DELETE FROM voice_consents")
        try:
            with self._lock:
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                self._db.execute("VACUUM")
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error as err:
            raise StorageError(
                f"The voice profiles were deleted, but the journal {self.path} could not be "
                f"compacted ({describe_sqlite_error(err)}); run the command again."
            ) from err
        return count
