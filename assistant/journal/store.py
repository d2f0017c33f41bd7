"""The journal: one SQLite file that keeps what a couple chose to keep.

`Journal` is the one class the rest of checkin uses. It is put together from the parts
of the journal, each in its own module and each a small mixin on the shared connection
(`JournalConnection`: opening, the lock, reading and writing safely):

- writing.py: sessions begun and ended, one writer per kind of record;
- review_queries.py: the review schedule and what a review reads back;
- read_models.py (and summaries.py): what the commands and a resumed check-in read;
- voices.py: voice profiles and the consent they need.

Mixins rather than composition: callers keep one object with one flat set of methods
(`journal.record`, `journal.sessions`, ...), each written once in its own module, with
no forwarding layer to keep in step. The parts share only the connection's methods and
never call one another's.

Only confirmed items and numbers are stored; turn transcripts only for a session begun
with keep_transcript=True.
"""

from __future__ import annotations

from assistant.journal.read_models import ReadModels
from assistant.journal.review_queries import ReviewQueries
from assistant.journal.voices import VoiceStore
from assistant.journal.writing import Writing


class Journal(Writing, ReviewQueries, ReadModels, VoiceStore):
    """The open journal. Safe to share between threads (one lock around the connection).

    Open it with `Journal.open` (a check-in), `Journal.open_existing` (a command that
    changes what is there) or `Journal.open_read_only` (a command that only reads).
    """
