"""The journal's public class, while store.py is split (connection.py holds it for now)."""

from assistant.journal.connection import Journal, folder_args

__all__ = ["Journal", "folder_args"]
