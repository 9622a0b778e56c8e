"""The exceptions graphsvc raises, in one tree.

::

    GraphsvcError                     base of everything below; has ``code`` and ``details``
    ├── NotFound                      404
    │   ├── UnknownOrganisation       an org_id the store does not hold
    │   └── UnknownRevision           no recorded write created this revision
    ├── InvalidInput                  422: a bad argument or request
    │   ├── UndoConflict              409: a write cannot be undone now
    │   ├── StoreChanged              409: the store moved since a preview
    │   └── IngestError               a file rejected; ``details`` list file, row, column, why
    ├── Unauthorised                  401/403: a write without a valid key
    ├── PayloadTooLarge               413: an upload over the configured limit
    └── StoreUnavailable              503: the store cannot be reached or opened

Each class carries the stable machine ``code`` used in the one JSON error shape
``{"error": {"code": ..., "message": ..., "details": [...]}}``; the API translates them to HTTP
in exactly one place (``graphsvc.api.errors``) and the CLI prints ``message`` and ``details``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

__all__ = [
    "GraphsvcError",
    "IngestError",
    "InvalidInput",
    "NotFound",
    "PayloadTooLarge",
    "StoreChanged",
    "StoreUnavailable",
    "Unauthorised",
    "UndoConflict",
    "UnknownOrganisation",
    "UnknownRevision",
]


class GraphsvcError(Exception):
    """Base class: a message for people, a code for machines, details for both."""

    code = "error"
    status = 500

    def __init__(self, message: str, details: Iterable[Mapping[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details: list[dict[str, Any]] = [dict(d) for d in (details or [])]

    def to_dict(self) -> dict[str, Any]:
        """The one JSON error shape."""
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}


class NotFound(GraphsvcError):
    code = "not_found"
    status = 404


class UnknownOrganisation(NotFound):
    code = "unknown_organisation"

    def __init__(self, org_id: str) -> None:
        super().__init__(f"no organisation with org_id {org_id!r}", [{"org_id": org_id}])
        self.org_id = org_id


class InvalidInput(GraphsvcError):
    code = "invalid_input"
    status = 422


class IngestError(InvalidInput):
    """A file was rejected. Every detail names ``file``, ``row``, ``column`` and ``reason``."""

    code = "ingest_rejected"


class Unauthorised(GraphsvcError):
    code = "unauthorised"
    status = 401


class PayloadTooLarge(GraphsvcError):
    code = "payload_too_large"
    status = 413


class StoreUnavailable(GraphsvcError):
    code = "store_unavailable"
    status = 503


class UndoConflict(InvalidInput):
    """409: the write cannot be undone now (undone already, or later writes depend on it)."""

    code = "undo_conflict"
    status = 409


class StoreChanged(InvalidInput):
    """409: a write expected the store at one revision and found it at another."""

    code = "store_changed"
    status = 409

    def __init__(self, expected: int, found: int) -> None:
        super().__init__(f"the store changed since the preview (revision {expected}, now "
                         f"{found}); nothing was written: preview again",
                         [{"expected_revision": expected, "revision": found}])
        self.expected, self.found = expected, found


class UnknownRevision(NotFound):
    """404: no recorded write created this revision."""

    code = "unknown_revision"

    def __init__(self, revision: int) -> None:
        super().__init__(f"no write created revision {revision}; see `graphsvc history`",
                         [{"revision": revision}])
