"""Errors the store raises; each message says what happened and what to do next."""


class StoreError(Exception):
    """Base class for store errors a user can act on."""


class NotFoundError(StoreError):
    pass


class ConflictError(StoreError):
    """Someone changed the fact after the revision the edit was based on."""

    def __init__(self, fact_id: str, base_revision: int, current_revision: int, author: str):
        self.fact_id = fact_id
        self.base_revision = base_revision
        self.current_revision = current_revision
        self.author = author
        super().__init__(
            f"fact {fact_id} was changed by {author} (now revision {current_revision}) after "
            f"you started from revision {base_revision}; nothing was written. Look at the "
            f"current values (history: `tradebot facts history {fact_id}`) and edit again."
        )


class ReadOnlyError(StoreError):
    """A write was attempted on a read-only database (a replica, or opened read-only)."""
