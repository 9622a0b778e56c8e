"""How much one ingest run may read, checked while it reads.

A file over a limit is refused as soon as the limit is passed, before the rest is read, with a
:class:`~graphsvc.errors.PayloadTooLarge` (HTTP 413; the CLI prints ``error:`` and exits 2) that
names the file, what exceeded which limit, and the setting that raises it:

- ``max_bytes`` (``GRAPHSVC_MAX_READ_MB``): bytes of every file as read, a CSV's size or an
  XLSX's members unzipped (as the zip declares them; :mod:`zipfile` never unzips more);
- ``max_zip_ratio`` (``GRAPHSVC_MAX_ZIP_RATIO``): an XLSX member's unzipped size over its
  zipped size (members over 1 MB unzipped);
- ``max_rows`` (``GRAPHSVC_MAX_ROWS``; uploads: the smaller of it and
  ``GRAPHSVC_MAX_UPLOAD_ROWS``): rows read in the whole run, header rows included, every row of
  every file before repeats are merged; also an XLSX sheet's declared last row and the row
  number of any cell;
- ``max_columns`` (``GRAPHSVC_MAX_COLUMNS``): columns of a row, and an XLSX sheet's declared
  last column;
- ``max_cells`` (``GRAPHSVC_MAX_CELLS``): rows times columns of one table;
- ``max_cell_chars`` (``GRAPHSVC_MAX_CELL_CHARS``): characters in one cell.

>>> budget = ReadBudget(ReadLimits(max_rows=3))
>>> budget.add_rows("a.csv", 2)
>>> budget.add_rows("b.csv", 2)
Traceback (most recent call last):
...
graphsvc.errors.PayloadTooLarge: b.csv: 4 rows read, over the limit of 3 (GRAPHSVC_MAX_ROWS)
"""

from __future__ import annotations

from dataclasses import dataclass

from graphsvc.config import Settings
from graphsvc.errors import PayloadTooLarge

__all__ = ["ReadBudget", "ReadLimits", "too_large"]

#: An XLSX member this small (unzipped) is never refused for its compression ratio.
RATIO_FLOOR_BYTES = 1_000_000


@dataclass(frozen=True)
class ReadLimits:
    """The limits of one run (defaults: those of :class:`~graphsvc.config.Settings`)."""

    max_bytes: int = Settings.max_read_mb * 1_000_000
    max_zip_ratio: int = Settings.max_zip_ratio
    max_rows: int = Settings.max_rows
    max_columns: int = Settings.max_columns
    max_cells: int = Settings.max_cells
    max_cell_chars: int = Settings.max_cell_chars
    #: The setting that raises ``max_rows`` (uploads have their own).
    rows_setting: str = "GRAPHSVC_MAX_ROWS"

    @classmethod
    def from_settings(cls, settings: Settings, *, upload: bool = False) -> ReadLimits:
        """The limits ``settings`` give; ``upload=True`` for files received over HTTP."""
        rows, rows_setting = settings.max_rows, "GRAPHSVC_MAX_ROWS"
        if upload and settings.max_upload_rows <= rows:
            rows, rows_setting = settings.max_upload_rows, "GRAPHSVC_MAX_UPLOAD_ROWS"
        return cls(max_bytes=settings.max_read_mb * 1_000_000,
                   max_zip_ratio=settings.max_zip_ratio, max_rows=rows,
                   max_columns=settings.max_columns, max_cells=settings.max_cells,
                   max_cell_chars=settings.max_cell_chars, rows_setting=rows_setting)


def too_large(file: str, what: str, found: int | str, limit: int, setting: str, *,
              row: int | None = None, column: int | None = None,
              phrase: str | None = None) -> PayloadTooLarge:
    """The error for ``file`` whose ``what`` (``found``) is over ``limit``; ``phrase`` says it
    in other words than "``found`` ``what``" (and the limit is then of ``what``)."""
    where = "" if row is None else f" (row {row}{'' if column is None else f', column {column}'})"
    unit = f" {what}" if phrase else ""
    return PayloadTooLarge(
        f"{file}: {phrase or f'{found} {what}'}{where}, over the limit of {limit}{unit} "
        f"({setting})",
        [{"file": file, "row": row if row is not None else "-", "limit": limit,
          "found": found, "setting": setting, "reason": f"{what} over the limit"}])


class ReadBudget:
    """What a run has read so far, against its :class:`ReadLimits`."""

    def __init__(self, limits: ReadLimits | None = None) -> None:
        self.limits = limits or ReadLimits()
        self.bytes = 0
        self.rows = 0

    def add_bytes(self, file: str, n: int) -> None:
        self.bytes += n
        if self.bytes > self.limits.max_bytes:
            raise too_large(file, "bytes read", self.bytes, self.limits.max_bytes,
                            "GRAPHSVC_MAX_READ_MB, in bytes")

    def add_rows(self, file: str, n: int) -> None:
        self.rows += n
        if self.rows > self.limits.max_rows:
            raise too_large(file, "rows read", self.rows, self.limits.max_rows,
                            self.limits.rows_setting)

    def rows_left(self) -> int:
        return max(0, self.limits.max_rows - self.rows)

    def check_row_position(self, file: str, row: int, *, declared: bool = False) -> None:
        """A row numbered ``row`` (``declared``: the last row the sheet's dimension claims)."""
        if row > self.limits.max_rows + 1:  # +1: the header row
            phrase = (f"the sheet's dimension declares {row} rows" if declared
                      else f"a row numbered {row}")
            raise too_large(file, "rows", row, self.limits.max_rows,
                            self.limits.rows_setting, phrase=phrase)

    def check_columns(self, file: str, columns: int, *, row: int | None = None) -> None:
        if columns > self.limits.max_columns:
            raise too_large(file, "columns", columns, self.limits.max_columns,
                            "GRAPHSVC_MAX_COLUMNS", row=row)

    def check_cells(self, file: str, cells: int) -> None:
        if cells > self.limits.max_cells:
            raise too_large(file, "cells (rows × columns)", cells, self.limits.max_cells,
                            "GRAPHSVC_MAX_CELLS")

    def check_cell_chars(self, file: str, chars: int, *, row: int | None = None,
                         column: int | None = None) -> None:
        if chars > self.limits.max_cell_chars:
            raise too_large(file, "characters in a cell", chars, self.limits.max_cell_chars,
                            "GRAPHSVC_MAX_CELL_CHARS", row=row, column=column)
