"""Recommendations as spreadsheets for meetings (CSV and XLSX), with formulas neutralised.

In the CSV, a cell that a spreadsheet would read as a formula (text starting ``=``, ``+``,
``-``, ``@``, tab or carriage return) is prefixed with a single quote, so an organisation named
``=HYPERLINK(…)`` stays text (OWASP, "CSV Injection"). The XLSX stores every text cell as a
string cell (never a formula) and marks such cells "quote prefix", so Excel and LibreOffice
keep them as text and show no apostrophe. The sheet is ready to print and filter: column
widths, wrapped reasons, a frozen header row, a filter, and a sheet name in the page's language.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["FORMULA_PREFIXES", "SHEET", "neutralise", "recommendation_rows", "to_csv",
           "to_xlsx"]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

_HEADERS = {
    "th": {"kind": "ประเภท", "rank": "ลำดับ", "organisation": "หน่วยงาน",
           "organisation_id": "รหัสหน่วยงาน", "partner": "หน่วยงานคู่", "partner_id": "รหัสคู่",
           "score": "คะแนน", "reasons": "เหตุผล"},
    "en": {"kind": "kind", "rank": "rank", "organisation": "organisation",
           "organisation_id": "org_id", "partner": "partner", "partner_id": "partner_id",
           "score": "score", "reasons": "reasons"},
}
#: Sheet names (at most 31 characters, none of ``[]:*?/\``).
SHEET = {"th": "ข้อเสนอแนะ", "en": "Recommendations"}
#: Column widths in characters, by header position; the reasons column wraps.
_WIDTHS = (22, 8, 40, 16, 40, 16, 10, 70)
_KINDS = {"th": {"tie": "ความร่วมมือที่ควรสร้าง", "recruit": "หน่วยงานที่ควรชวน"},
          "en": {"tie": "tie to build", "recruit": "organisation to recruit"}}


def neutralise(value: Any) -> Any:
    """``value`` made safe for a spreadsheet cell (numbers pass unchanged)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def recommendation_rows(page: Mapping[str, Any], lang: str) -> list[dict[str, Any]]:
    """Tie and recruit recommendations of a province page as flat rows with headers in ``lang``."""
    h, kinds = _HEADERS[lang], _KINDS[lang]
    rows: list[dict[str, Any]] = []
    for i, r in enumerate(page.get("ties", []), start=1):
        rows.append({h["kind"]: kinds["tie"], h["rank"]: i,
                     h["organisation"]: r.get("source_name") or r["source"],
                     h["organisation_id"]: r["source"],
                     h["partner"]: r.get("target_name") or r["target"],
                     h["partner_id"]: r["target"], h["score"]: round(float(r["score"]), 4),
                     h["reasons"]: "; ".join(r.get("reasons", []))})
    for i, r in enumerate(page.get("recruits", []), start=1):
        rows.append({h["kind"]: kinds["recruit"], h["rank"]: i,
                     h["organisation"]: r.get("name") or r["org_id"],
                     h["organisation_id"]: r["org_id"], h["partner"]: "", h["partner_id"]: "",
                     h["score"]: round(float(r["score"]), 4),
                     h["reasons"]: "; ".join(r.get("reasons", []))})
    if not rows:
        rows.append(dict.fromkeys(h.values(), ""))
    return rows


def to_csv(rows: Sequence[Mapping[str, Any]]) -> bytes:
    """UTF-8 CSV with a BOM (so Excel reads the Thai), formulas neutralised."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    columns = list(rows[0].keys()) if rows else []
    writer.writerow([neutralise(c) for c in columns])
    for row in rows:
        writer.writerow([neutralise(row.get(c, "")) for c in columns])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx(rows: Sequence[Mapping[str, Any]], lang: str = "th") -> bytes:
    """One-sheet XLSX for a meeting: formulas neutralised without a visible apostrophe, column
    widths, wrapped text, a frozen header, a filter, and a sheet name in ``lang``."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET.get(lang, SHEET["en"])
    columns = list(rows[0].keys()) if rows else []
    ws.append(columns)
    for row in rows:
        ws.append([row.get(c, "") for c in columns])
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # a string cell, never a formula, whatever it starts with
                cell.quotePrefix = cell.value.startswith(FORMULA_PREFIXES)
            cell.alignment = wrap
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for i, _ in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = _WIDTHS[i - 1] if i <= len(
            _WIDTHS) else 18
    ws.freeze_panes = "A2"
    if columns:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{ws.max_row}"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
