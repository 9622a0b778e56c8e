"""Reading CSV and XLSX files into raw tables of text, one per table found.

- CSV: UTF-8 with or without BOM; otherwise Thai Windows ``cp874``; anything else (UTF-16, binary
  data, a Latin-1 file that would turn into nonsense Thai) is rejected naming the file.
  Delimiter ``,`` (or ``;`` / tab when the header uses those).
- XLSX: one sheet per table, told apart by the sheet name (``organisations``, ``events``,
  ``attendance``, ``collaborations``, ``sectors`` or Thai ``หน่วยงาน``, ``กิจกรรม``,
  ``ผู้เข้าร่วม``, ``ความร่วมมือ``, ``ภาคส่วน``) or else by its columns. ``book.xlsx:Sheet`` reads
  one named sheet only.
- Which table a CSV holds: its file name containing the table name (``rayong_events.csv``), else
  its columns (a sheet with ``รหัสกิจกรรม`` and ``หน่วยงาน`` is attendance).

Row numbers are those a spreadsheet shows: the header is row 1 (or wherever the header is, after
any title lines), the first data row follows it. Blank rows are skipped but keep their numbers.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from graphsvc.model.records import TABLES
from ingest.columns import HINTS, detect_table, map_headers, table_from_name
from ingest.limits import ReadBudget
from ingest.problems import ProblemLog
from ingest.xlsx import sheet_grids

__all__ = ["EXTRA_PREFIX", "RawTable", "Source", "read_source", "source_name"]

#: A path, or an upload as ``(filename, content)``.
Source = str | os.PathLike | tuple[str, bytes]
#: Frame columns holding an organisation's free attributes are named ``EXTRA_PREFIX + header``.
EXTRA_PREFIX = "extra:"

_HEADER_SCAN = 10
_THAI_MARK_ALONE = re.compile(r"(?<![\u0e01-\u0e4e])[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: The same bytes, for ``bytes.translate`` (deleting them is ten times faster than the search,
#: which then runs only to say where the first one is).
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"
_NAMING = ("name the file after its table (organisations.csv, events.csv, attendance.csv, "
           "collaborations.csv, sectors.csv; a prefix such as rayong_events.csv is fine) or use "
           "the column names of the input format")


@dataclass
class RawTable:
    """One table as read: text cells under field names, plus ``src_row`` (spreadsheet row)."""

    file: str
    table: str
    frame: pd.DataFrame
    headers: dict[str, str] = field(default_factory=dict)  #: field -> header as written
    #: For an ASCII CSV read one row per line: the bytes of its longest line, which no cell
    #: grows past in cleaning (so no length check is needed below it); else ``None``.
    longest_line: int | None = None

    def column(self, fld: str) -> str:
        """The header the user wrote for ``fld`` (for messages)."""
        return self.headers.get(fld, fld)


def source_name(source: Source) -> str:
    if isinstance(source, tuple):
        return str(source[0])
    return os.fspath(source)


def _split_sheet(name: str) -> tuple[str, str | None]:
    """``book.xlsx:Sheet`` -> (``book.xlsx``, ``Sheet``)."""
    m = re.match(r"^(.*\.xlsx):([^:/\\]+)$", name, flags=re.IGNORECASE)
    return (m[1], m[2]) if m else (name, None)


def read_source(source: Source, problems: ProblemLog, warn: list[str],
                budget: ReadBudget | None = None) -> list[RawTable]:
    """Every table in one file (a CSV holds one; an XLSX one per sheet).

    ``budget`` counts what the run has read and raises
    :class:`~graphsvc.errors.PayloadTooLarge` as soon as a limit is passed (see
    :mod:`ingest.limits`); a file that is merely malformed adds a problem instead.
    """
    budget = budget or ReadBudget()
    name = source_name(source)
    name, sheet = _split_sheet(name)
    if isinstance(source, tuple):
        data = source[1]
    else:
        try:
            size = Path(name).stat().st_size
            if size > budget.limits.max_bytes - budget.bytes:  # refused before it is read
                budget.add_bytes(name, size)
            data = Path(name).read_bytes()
        except OSError as exc:
            problems.add(name, None, None, f"cannot read the file: {exc.strerror or exc}")
            return []
    if not data.strip():
        problems.add(name, None, None, "the file is empty")
        return []
    if data.startswith(_ZIP) or name.lower().endswith(".xlsx"):
        return _read_xlsx(data, name, sheet, problems, warn, budget)
    budget.add_bytes(name, len(data))
    if data.startswith(_OLE):
        problems.add(name, None, None, "an old Excel .xls workbook; save it as .xlsx or CSV UTF-8")
        return []
    encoding = _encoding(data, name, problems, warn)
    if encoding is None:
        return []
    grid = _csv_grid(data, encoding, name, problems, budget)
    if grid is None:
        return []
    table = _table_from_grid(grid, name, table_from_name(Path(name).name), True, problems, warn)
    if table is None:
        return []
    if data.isascii():
        table.longest_line = _longest_line(data, len(grid))
    return [table]


def _encoding(data: bytes, name: str, problems: ProblemLog, warn: list[str]) -> str | None:
    """``utf-8-sig`` or ``cp874``, or ``None`` (with a problem) for anything else."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.add(name, None, None, "UTF-16 text; save it as 'CSV UTF-8' (or cp874 Thai)")
        return None
    if b"\x00" in data[:65536]:
        problems.add(name, None, None, "not a CSV file: it holds binary data")
        return None
    encoding = "utf-8-sig"
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        encoding = "cp874"
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            problems.add(name, _line_of(data, exc.start), None,
                         f"neither UTF-8 nor Thai cp874 text (byte 0x{data[exc.start]:02x} at "
                         f"offset {exc.start}); save it as 'CSV UTF-8'")
            return None
        if m := _THAI_MARK_ALONE.search(text):
            problems.add(name, text.count("\n", 0, m.start()) + 1, None,
                         "neither UTF-8 nor Thai cp874 text (it reads as broken Thai in cp874); "
                         "save it as 'CSV UTF-8'")
            return None
        warn.append(f"{name} read as Thai Windows cp874 (not UTF-8)")
    if len(data.translate(None, _CONTROL_BYTES)) != len(data) and (
            control := _CONTROL.search(data)):
        problems.add(name, _line_of(data, control.start()), None,
                     "not a CSV file: it holds binary control characters")
        return None
    return encoding


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _longest_line(data: bytes, rows: int) -> int | None:
    """The bytes in the longest line, if every row was one line (no quoted line breaks): then
    no cell holds more (``None`` when this cannot tell)."""
    ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 0x0A)
    lines = len(ends) + (0 if data.endswith(b"\n") else 1)
    if rows != lines:
        return None
    bounds = np.concatenate(([-1], ends, [len(data)]))
    return int(np.diff(bounds).max()) - 1


def _cells_within(data: bytes, rows: int, cap: int) -> bool:
    """Whether no cell can hold more than ``cap`` characters: true when every row was one line
    and no line is longer than ``cap`` bytes. Ten times faster than measuring every cell,
    which is done only when this cannot tell."""
    longest = _longest_line(data, rows)
    return longest is not None and longest <= cap


def _csv_grid(data: bytes, encoding: str, name: str, problems: ProblemLog,
              budget: ReadBudget) -> pd.DataFrame | None:
    """The file's cells as text. The first row's width, rows times that width, and the rows
    read are checked before and while pandas reads (``nrows`` stops it at the row limit); a
    later row wider than the first is a parse error, found as pandas reaches it."""
    head = data[:65536].decode(encoding, errors="ignore").lstrip()
    first = head.split("\n", 1)[0]
    sep = max((",", ";", "\t"), key=first.count)
    start = len(data) - len(data.lstrip())
    end = data.find(b"\n", start)
    line = data[start:end if end >= 0 else len(data)]
    width = line.count(sep.encode()) + 1  # the first row's fields, quotes aside
    if width > budget.limits.max_columns:
        text = line.decode(encoding, errors="replace")
        width = len(next(csv.reader([text], delimiter=sep), []))
        budget.check_columns(name, width, row=1)
    lines = data.count(b"\n") + 1
    budget.check_cells(name, min(lines, budget.rows_left() + 1) * width)
    try:
        # na_filter=False: every cell is text as written (a short row's missing cells "").
        grid = pd.read_csv(io.BytesIO(data), header=None, dtype=object, keep_default_na=False,
                           na_filter=False, skip_blank_lines=False, sep=sep, quotechar='"',
                           engine="c", encoding=encoding, nrows=budget.rows_left() + 1)
    except pd.errors.ParserError as exc:
        m = re.search(r"line (\d+), saw (\d+)", str(exc))
        row = int(m[1]) if m else None
        if m:
            budget.check_columns(name, int(m[2]), row=row)
        problems.add(name, row, None, f"not a well-formed CSV: {str(exc).strip()[:300]} "
                     "(a row with more cells than the header, or an unclosed quote)")
        return None
    except pd.errors.EmptyDataError:
        problems.add(name, None, None, "the file is empty")
        return None
    budget.check_columns(name, grid.shape[1])
    budget.add_rows(name, len(grid))
    if not _cells_within(data, len(grid), budget.limits.max_cell_chars):
        for pos in range(grid.shape[1]):
            values = grid[pos].to_numpy()
            longest = max(map(len, values), default=0)
            if longest > budget.limits.max_cell_chars:
                row = int(np.argmax([len(v) for v in values])) + 1
                budget.check_cell_chars(name, longest, row=row, column=pos + 1)
    return grid


_SHEET_FILES = tuple(TABLES)


def _read_xlsx(data: bytes, name: str, wanted: str | None, problems: ProblemLog,
               warn: list[str], budget: ReadBudget) -> list[RawTable]:
    tables: list[RawTable] = []
    for sheet_name, grid in sheet_grids(data, name, wanted, problems, warn, budget):
        table = _table_from_grid(grid, f"{name}[{sheet_name}]", table_from_name(sheet_name),
                                 bool(wanted), problems, warn)
        if table is not None:
            tables.append(table)
    if not tables and not problems:
        problems.add(name, None, None, "no sheet holds a table graphsvc reads; name the "
                     f"sheets {', '.join(_SHEET_FILES)} (or use the input-format columns)")
    return tables


def _nonblank_rows(grid: pd.DataFrame) -> np.ndarray:
    """Which rows hold a non-blank cell (``""`` is blank). Column by column, and only for the
    rows still blank: most rows are told by their first cell."""
    nonblank = np.zeros(len(grid), dtype=bool)
    blank = np.arange(len(grid))
    for pos in range(grid.shape[1]):
        if not len(blank):
            break
        nonblank[blank] = grid.iloc[:, pos].to_numpy()[blank].astype(bool)
        blank = blank[~nonblank[blank]]
    return nonblank


def _table_from_grid(grid: pd.DataFrame, name: str, hint: str | None, must: bool,
                     problems: ProblemLog, warn: list[str]) -> RawTable | None:
    """Find the header row, decide the table, map headers; ``None`` (with a problem) if not."""
    nonblank = _nonblank_rows(grid)
    positions = np.flatnonzero(nonblank)[:_HEADER_SCAN].tolist()
    if not positions:
        problems.add(name, None, None, "the file is empty")
        return None
    header_pos, table = positions[0], None
    for pos in positions:
        row_headers = [str(h) for h in grid.iloc[pos]]
        found = detect_table(row_headers)
        if hint and not map_headers(hint, row_headers).missing():
            header_pos, table = pos, hint
            break
        if found and (hint is None or found == hint):
            header_pos, table = pos, found
            break
    headers = [str(h) for h in grid.iloc[header_pos]]
    header_row = int(grid.index[header_pos]) + 1  # an XLSX grid holds only its non-empty rows
    table = table or hint
    if table is None:
        if must:
            problems.add(name, header_row, None, f"cannot tell which table this is; {_NAMING}")
        else:
            warn.append(f"{name}: skipped, not a table graphsvc reads ({_NAMING})")
        return None
    hmap = map_headers(table, headers)
    bad = False
    for group in hmap.missing():
        problems.add(name, header_row, " or ".join(group),
                     f"missing required column for {table}: "
                     f"{' or '.join(HINTS.get(g, g) for g in group)}")
        bad = True
    for fld, written in hmap.duplicates:
        problems.add(name, header_row, " / ".join(written),
                     f"{len(written)} columns mean {fld}; keep one")
        bad = True
    if bad:
        return None
    data = grid.iloc[header_pos + 1:]
    if not nonblank[header_pos + 1:].all():
        data = data[nonblank[header_pos + 1:]]
    columns = {pos: fld for pos, fld in hmap.fields.items()}
    columns.update({pos: EXTRA_PREFIX + h for pos, h in hmap.extra.items()})
    frame = data[list(columns)]
    frame.columns = list(columns.values())
    frame["src_row"] = data.index.to_numpy() + 1
    frame = frame.reset_index(drop=True)
    as_written = {fld: headers[pos].strip() for pos, fld in hmap.fields.items()}
    for pos, header in hmap.dropped.items():
        if (data[pos] != "").any():
            warn.append(f"{name}: column {header!r} is not used for {table} and was ignored")
    return RawTable(name, table, frame, as_written)
