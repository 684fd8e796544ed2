"""The fact store: SQLite through sqlite-utils, append-only, time-aware."""

from bot.store.errors import ConflictError, NotFoundError, StoreError
from bot.store.model import Author, Citation, Component, Fact, Revision, Source
from bot.store.store import FactStore
from bot.store.validate import FieldError, ValidationError

__all__ = [
    "Author",
    "Citation",
    "Component",
    "ConflictError",
    "Fact",
    "FactStore",
    "FieldError",
    "NotFoundError",
    "Revision",
    "Source",
    "StoreError",
    "ValidationError",
]
