"""The exceptions graphsvc raises, in one tree.

::

    GraphsvcError                     base of everything below; has ``code`` and ``details``
    ├── NotFound                      404
    │   └── UnknownOrganisation       an org_id the store does not hold
    ├── InvalidInput                  422: a bad argument or request
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
    "StoreUnavailable",
    "Unauthorised",
    "UnknownOrganisation",
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
