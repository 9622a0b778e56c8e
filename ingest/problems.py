"""Collecting what is wrong with a run's files, so one run reports all of it (up to a cap).

A problem names the ``file``, the ``row`` as a spreadsheet shows it (the header is row 1, the first
data row is row 2; ``None`` for a problem with the whole file) and the ``column`` as the file
spells it, plus the ``reason``. :meth:`ProblemLog.raise_if_any` turns them into one
:class:`~graphsvc.errors.IngestError`, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from graphsvc.errors import IngestError

__all__ = ["DEFAULT_MAX_PROBLEMS", "Problem", "ProblemLog"]

#: Problems kept per run; beyond this they are only counted.
DEFAULT_MAX_PROBLEMS = 200


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason a run is rejected."""

    file: str
    row: int | None
    column: str | None
    reason: str

    def as_dict(self) -> dict[str, object]:
        return {"file": self.file, "row": self.row if self.row is not None else "-",
                "column": self.column or "-", "reason": self.reason}


class ProblemLog:
    """Problems of one run, kept in the order found, at most ``cap`` of them."""

    def __init__(self, cap: int = DEFAULT_MAX_PROBLEMS) -> None:
        self.cap = cap
        self.problems: list[Problem] = []
        self.dropped = 0

    def __len__(self) -> int:
        return len(self.problems) + self.dropped

    def __bool__(self) -> bool:
        return len(self) > 0

    @property
    def full(self) -> bool:
        return len(self.problems) >= self.cap

    def room(self) -> int:
        """How many more problems are kept before they are only counted."""
        return max(0, self.cap - len(self.problems))

    def add(self, file: str, row: int | None, column: str | None, reason: str) -> None:
        if self.full:
            self.dropped += 1
        else:
            self.problems.append(Problem(file, row, column, reason))

    def add_rows(self, file: str, rows: Iterable[int], column: str | None, reason: str) -> None:
        """The same problem on several rows: one entry per row (counted beyond the cap)."""
        for row in rows:
            self.add(file, int(row), column, reason)

    def error(self) -> IngestError:
        n = len(self)
        files = len({p.file for p in self.problems})
        details = [p.as_dict() for p in self.problems]
        if self.dropped:
            details.append({"file": "-", "row": "-", "column": "-",
                            "reason": f"{self.dropped} more problems not listed"})
        return IngestError(
            f"{n} problem{'s' if n != 1 else ''} in {files} file{'s' if files != 1 else ''}; "
            "nothing was written", details)

    def raise_if_any(self) -> None:
        if self:
            raise self.error()
