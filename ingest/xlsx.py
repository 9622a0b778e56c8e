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
from typing import IO

import pandas as pd

from graphsvc.errors import PayloadTooLarge
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


#: Markers of a row and of a cell element in sheet XML (with or without a namespace prefix).
_ROW_MARKS = (b"<row ", b"<row>", b":row ", b":row>")
_CELL_MARKS = (b"<c ", b"<c>", b":c ", b":c>")


def _count_marks(member: IO[bytes]) -> tuple[int, int]:
    """Row and cell elements in one member, counted while it unzips in 1 MB pieces (about
    50 times faster than parsing it, so a workbook over the row limit is refused at once)."""
    rows = cells = 0
    carry = b""
    while piece := member.read(1 << 20):
        text = carry + piece
        cut = text.rfind(b"<")  # a mark split between two pieces is counted in the next
        if cut < 0 or len(text) - cut > 16:
            cut = len(text)
        head, carry = text[:cut], text[cut:]
        rows += sum(head.count(m) for m in _ROW_MARKS)
        cells += sum(head.count(m) for m in _CELL_MARKS)
    rows += sum(carry.count(m) for m in _ROW_MARKS)
    cells += sum(carry.count(m) for m in _CELL_MARKS)
    return rows, cells


def _check_zip(data: bytes, name: str, budget: ReadBudget) -> None:
    """The members' declared sizes and compression ratios, then the rows and cells the
    workbook's XML holds; raises when over a limit."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            ratio = budget.limits.max_zip_ratio
            for info in members:
                if info.file_size > RATIO_FLOOR_BYTES and info.file_size > ratio * max(
                        info.compress_size, 1):
                    raise too_large(f"{name}[{info.filename[:80]}]", "times compressed",
                                    info.file_size // max(info.compress_size, 1), ratio,
                                    "GRAPHSVC_MAX_ZIP_RATIO")
                budget.add_bytes(name, info.file_size)
            rows = cells = 0
            for info in members:
                if info.filename.lower().endswith(".xml") and not info.is_dir():
                    with archive.open(info) as member:
                        more_rows, more_cells = _count_marks(member)
                    rows, cells = rows + more_rows, cells + more_cells
    except PayloadTooLarge:
        raise
    except Exception:  # noqa: BLE001 - a broken zip (zlib.error and all): openpyxl reports it
        return
    if rows > budget.rows_left():
        what = "rows in the workbook" + (" and the files before it" if budget.rows else "")
        raise too_large(name, what, budget.rows + rows, budget.limits.max_rows,
                        budget.limits.rows_setting)
    budget.check_cells(name, cells)


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
            except PayloadTooLarge:
                raise
            except Exception as exc:  # noqa: BLE001 - broken XML, a bad index, number or date,
                # defusedxml's refusals, a corrupt zip member: whatever openpyxl raises
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
    """The sheet's non-empty rows, read cell by cell (openpyxl's own row reader builds a whole
    row before it yields it, and pads rows to the declared dimension)."""
    from openpyxl.worksheet._reader import WorkSheetParser  # its cell reader, used one by one
    from openpyxl.xml.constants import SHEET_MAIN_NS
    from openpyxl.xml.functions import iterparse  # defusedxml's when installed

    limits = budget.limits
    declared_rows, declared_cols = sheet.max_row, sheet.max_column
    if declared_rows is not None:
        budget.check_row_position(label, int(declared_rows), declared=True)
    if declared_cols is not None and declared_cols > limits.max_columns:
        raise too_large(label, "columns", declared_cols, limits.max_columns,
                        "GRAPHSVC_MAX_COLUMNS",
                        phrase=f"the sheet's dimension declares {declared_cols} columns")
    book = sheet.parent
    row_tag, cell_tag, data_tag = (f"{{{SHEET_MAIN_NS}}}{t}" for t in ("row", "c", "sheetData"))
    rows: dict[int, dict[int, str]] = {}
    width = cells_in_row = 0
    current: dict[int, str] = {}
    container = None
    with book._archive.open(sheet._worksheet_path) as source:
        parser = WorkSheetParser(source, sheet._shared_strings, data_only=True,
                                 epoch=book.epoch, date_formats=book._date_formats,
                                 timedelta_formats=book._timedelta_formats)
        for event, element in iterparse(source, events=("start", "end")):
            tag = element.tag
            if event == "start":
                if tag == row_tag:
                    r = element.get("r")
                    parser.row_counter = int(r) if r is not None else parser.row_counter + 1
                    parser.col_counter = cells_in_row = 0
                    if parser.row_counter < 1:
                        raise ValueError(f"row number {parser.row_counter}")
                    budget.check_row_position(label, parser.row_counter)
                    budget.add_rows(label, 1)
                    current = rows.setdefault(parser.row_counter, {})
                elif tag == data_tag:
                    container = element
                continue
            if tag == cell_tag:
                cells_in_row += 1
                cell = parser.parse_cell(element)
                row, column = cell["row"], cell["column"]
                if row != parser.row_counter or column < 1:
                    raise ValueError(f"cell {element.get('r')!r} outside its row")
                budget.check_columns(label, max(column, cells_in_row), row=row)
                text = cell_text(cell["value"])
                if len(text) > limits.max_cell_chars:
                    budget.check_cell_chars(label, len(text), row=row, column=column)
                if text:
                    current[column] = text
                    width = max(width, column)
                element.clear()
            elif tag == row_tag and container is not None:
                container.clear()  # drop the rows read so far from the tree
            elif tag == data_tag:
                break
    kept = {r: cells for r, cells in rows.items() if any(c.strip() for c in cells.values())}
    if not kept:
        return None
    budget.check_cells(label, width * len(kept))
    order = sorted(kept)
    grid = [[""] * width for _ in order]
    for line, r in zip(grid, order, strict=True):
        for column, text in kept[r].items():
            line[column - 1] = text
    return pd.DataFrame(grid, index=[r - 1 for r in order], dtype=object)
