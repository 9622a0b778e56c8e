"""Reading the sheets of an XLSX workbook as grids of text, within the run's limits.

Before openpyxl opens anything, the zip's directory is checked: the members' unzipped sizes
(as declared; Python's :mod:`zipfile` never unzips more than a member declares) against the
bytes the run may read, and each member's compression ratio. A sheet's declared dimension
(``<dimension ref="A1:XFD1048576"/>``) is checked next, then every row as it streams: its
position, its width, the rows read so far, each cell's length. Rows are kept sparse (only rows
with cells; a far cell does not make openpyxl pad the sheet to a million rows), so memory
follows what the file holds, not where its cells claim to be.

XML is parsed by openpyxl through ``defusedxml`` (installed with graphsvc): a workbook that
declares entities is refused, never expanded. Whatever else openpyxl cannot read (broken XML,
a shared-string index out of range, a number or date that is not one) is a problem naming the
file and sheet, never a crash.
"""

from __future__ import annotations

import datetime as _dt
import io
import warnings
import zipfile

import pandas as pd

from ingest.limits import RATIO_FLOOR_BYTES, ReadBudget, too_large
from ingest.problems import ProblemLog

__all__ = ["cell_text", "sheet_grids"]

def cell_text(value: object) -> str:
    """A cell's value as the text a CSV would hold."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(value)


def _check_zip(data: bytes, name: str, budget: ReadBudget) -> None:
    """The members' declared sizes and compression ratios; raises when over a limit."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # openpyxl reports it as unreadable
    ratio = budget.limits.max_zip_ratio
    for info in members:
        if info.file_size > RATIO_FLOOR_BYTES and info.file_size > ratio * max(
                info.compress_size, 1):
            raise too_large(f"{name}[{info.filename[:80]}]", "times compressed",
                            info.file_size // max(info.compress_size, 1), ratio,
                            "GRAPHSVC_MAX_ZIP_RATIO")
        budget.add_bytes(name, info.file_size)


def sheet_grids(data: bytes, name: str, wanted: str | None, problems: ProblemLog,
                warn: list[str], budget: ReadBudget) -> list[tuple[str, pd.DataFrame]]:
    """``(sheet name, grid)`` for each non-empty sheet (only ``wanted`` if given). A grid's
    index is the spreadsheet row number minus one; rows without cells are left out."""
    from openpyxl import load_workbook

    _check_zip(data, name, budget)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it does not read
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any failure of a hostile file is "unreadable"
        problems.add(name, None, None, f"not a readable XLSX workbook ({_why(exc)})")
        return []
    try:
        names = list(book.sheetnames)
        if wanted is not None and wanted not in names:
            problems.add(name, None, None,
                         f"no sheet named {wanted!r} (sheets: {', '.join(names)[:500]})")
            return []
        grids = []
        for sheet_name in [wanted] if wanted else names:
            label = f"{name}[{sheet_name}]"
            try:
                grid = _sheet_grid(book[sheet_name], label, budget)
            except (ArithmeticError, LookupError, ValueError, TypeError, AttributeError,
                    SyntaxError, zipfile.BadZipFile, OSError, EOFError) as exc:
                # SyntaxError: xml.etree's ParseError; ValueError: defusedxml's refusals
                problems.add(label, None, None, f"not a readable XLSX sheet ({_why(exc)})")
                continue
            if grid is None:
                if wanted:
                    problems.add(label, None, None, "the sheet is empty")
                else:
                    warn.append(f"{label}: empty sheet skipped")
                continue
            grids.append((sheet_name, grid))
        return grids
    finally:
        book.close()


def _why(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _sheet_grid(sheet, label: str, budget: ReadBudget) -> pd.DataFrame | None:
    limits = budget.limits
    declared_rows, declared_cols = sheet.max_row, sheet.max_column
    if declared_rows is not None:
        budget.check_row_position(label, int(declared_rows))
    if declared_cols is not None and declared_cols > limits.max_columns:
        raise too_large(label, "columns declared by the sheet's dimension", declared_cols,
                        limits.max_columns, "GRAPHSVC_MAX_COLUMNS")
    sheet.reset_dimensions()  # else openpyxl pads every row to the declared size
    positions: list[int] = []
    rows: list[list[str]] = []
    width = 0
    cap = limits.max_cell_chars
    for position, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if not row:  # a row the file does not hold (openpyxl yields () for each gap)
            if position > limits.max_rows + 1:
                budget.check_row_position(label, position)
            continue
        budget.check_row_position(label, position)
        budget.check_columns(label, len(row), row=position)
        budget.add_rows(label, 1)
        cells = [cell_text(v) for v in row]
        for column, text in enumerate(cells, start=1):
            if len(text) > cap:
                budget.check_cell_chars(label, len(text), row=position, column=column)
        if not any(c.strip() for c in cells):
            continue
        width = max(width, len(cells))
        budget.check_cells(label, width * (len(rows) + 1))
        positions.append(position - 1)
        rows.append(cells)
    if not rows:
        return None
    return pd.DataFrame([r + [""] * (width - len(r)) for r in rows], index=positions,
                        dtype=object)
