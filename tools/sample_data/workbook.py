"""Write the sample tables as one XLSX workbook (one sheet per table), byte for byte the same on
every run: the document properties carry a fixed date and the zip entries a fixed timestamp.

In the workbook, dates are real date cells and ``delegates``/``weight`` are numbers, as a planner's
Excel file would hold them; every other cell is text; blanks are empty cells.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from pathlib import Path

import pandas as pd

__all__ = ["write_workbook"]

_FIXED = datetime(2024, 10, 1, 0, 0, 0)
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
_DATE_COLUMNS = {"start_date", "end_date", "joined_date"}
_NUMBER_COLUMNS = {"delegates", "weight"}


def _cell(column: str, value: object) -> object:
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return None
    if column in _DATE_COLUMNS:
        return date.fromisoformat(str(value))
    if column in _NUMBER_COLUMNS:
        return int(value) if column == "delegates" else float(value)  # type: ignore[arg-type]
    return str(value)


def write_workbook(tables: dict[str, pd.DataFrame], path: Path) -> Path:
    """Write ``tables`` (sheet name → frame) to ``path`` and return it."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, df in tables.items():
        ws = wb.create_sheet(name)
        columns = list(df.columns)
        ws.append(columns)
        for row in df.itertuples(index=False, name=None):
            ws.append([_cell(c, v) for c, v in zip(columns, row, strict=True)])
        for c, letter in zip(columns, "ABCDEFGHIJKLMNOPQRSTUVWXYZ", strict=False):
            if c in _DATE_COLUMNS:
                for cell in ws[letter][1:]:
                    cell.number_format = "yyyy-mm-dd"
    wb.properties.creator = "graphsvc sample generator"
    wb.properties.created = _FIXED
    wb.properties.modified = _FIXED
    raw = io.BytesIO()
    wb.save(raw)
    # Re-pack with fixed entry timestamps, so the same tables give the same bytes.
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" at save time
                data = _MODIFIED.sub(_FIXED.strftime(r"\g<1>%Y-%m-%dT%H:%M:%SZ\g<2>").encode(),
                                     data)
            dst.writestr(fixed, data)
    path.write_bytes(out.getvalue())
    return path
