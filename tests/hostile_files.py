"""Hostile input files, built deterministically: files over a reading limit and malformed
workbooks, for the ingest fuzz tests and the hostile-input reliability test.

- :func:`over_limit_files` — each passes one reading limit (a far cell, a declared dimension, a
  zip that expands 340-fold, a row number of 99,999,999,999, more rows than allowed, a CSV a
  million columns wide, a cell over the cell limit, a row a million cells wide after a narrow
  header) and must be refused with 413 / exit 2.
- :func:`malformed_files` — a structure-aware corpus: the bundled sample workbook with one member
  mutated (broken XML, shared-string index out of range, a number or date that is not one, bad
  cell references, XML entity tricks, members missing or truncated) plus CSV breakage. Each must
  be refused with a 4xx / exit 2, never a 500 or a traceback.
- :func:`tolerated_files` — damaged workbooks openpyxl reads around: loaded or refused.
- :func:`invalid_files` — well-formed files whose data is refused (a date built to make a
  backtracking pattern run for hours, names longer than their documented maximum): 422 / exit 2.

Files are ``{name: bytes}``; every XLSX is a zip written here, nothing is downloaded.
"""

from __future__ import annotations

import io
import re
import zipfile

__all__ = ["invalid_files", "malformed_files", "mutate_member", "over_limit_files",
           "sample_members", "sample_workbook", "tolerated_files"]

_SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')


def sample_workbook() -> bytes:
    """The bundled sample workbook (one sheet per table)."""
    from ingest.sample import sample_workbook as path

    return path().read_bytes()


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {i.filename: z.read(i.filename) for i in z.infolist()}


def _zip(members: dict[str, bytes], level: int = 6) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for name, body in members.items():
            z.writestr(name, body)
    return buf.getvalue()


def sample_members() -> dict[str, bytes]:
    """The sample workbook's zip members, by name."""
    return _members(sample_workbook())


def mutate_member(member: str, kind: str, *, at: int, junk: bytes, value: str,
                  cell_type: str) -> bytes:
    """The sample workbook with ``member`` damaged in one way (``kind``), at byte ``at``:
    ``truncate``, ``garbage`` (``junk`` inserted), ``type`` / ``value`` / ``reference`` (the
    first cell's ``t``, ``<v>`` or ``r`` from ``at`` on replaced), ``repeat rows`` (the first
    row from ``at`` written 3 times), ``drop tag`` (the first closing tag from ``at`` removed),
    ``flip byte``."""
    def change(body: bytes) -> bytes:
        head, tail = body[:at], body[at:]
        if kind == "truncate":
            return head
        if kind == "garbage":
            return head + junk + tail
        if kind == "flip byte":
            return head + bytes([tail[0] ^ 0x5A]) + tail[1:] if tail else body
        if kind == "type":
            return head + re.sub(rb'(<c\b[^>]*?) t="[^"]*"', rb'\1 t="' + cell_type.encode()
                                 + b'"', tail, count=1)
        if kind == "value":
            return head + re.sub(rb"<v>[^<]*</v>", b"<v>" + value.encode() + b"</v>", tail,
                                 count=1)
        if kind == "reference":
            return head + re.sub(rb'(<c\b[^>]*?) r="[^"]*"', rb'\1 r="' + value.encode()
                                 + b'"', tail, count=1)
        if kind == "repeat rows":
            m = re.search(rb"<row\b.*?</row>", tail, flags=re.S)
            return head + (tail[:m.start()] + m.group(0) * 3 + tail[m.end():] if m else tail)
        if kind == "drop tag":
            return head + re.sub(rb"</[A-Za-z:]+>", b"", tail, count=1)
        raise ValueError(kind)

    return _mutate(member, change)


def _first_sheet(members: dict[str, bytes]) -> str:
    return sorted(n for n in members if n.startswith("xl/worksheets/sheet"))[0]


def _with_sheet(sheet_xml: str) -> bytes:
    """The sample workbook with its first sheet replaced by ``sheet_xml`` (its body)."""
    members = _members(sample_workbook())
    members[_first_sheet(members)] = (_SHEET_HEAD + sheet_xml + "</worksheet>").encode()
    return _zip(members)


def _mutate(member: str | None, change) -> bytes:
    """The sample workbook with ``change(bytes) -> bytes`` applied to one member (the first
    sheet when ``member`` is None); ``change`` returning None drops the member."""
    members = _members(sample_workbook())
    name = member or _first_sheet(members)
    body = change(members[name])
    if body is None:
        del members[name]
    else:
        members[name] = body
    return _zip(members)


def _with_shared_strings(xml: str) -> bytes:
    """The sample workbook with a shared-strings part ``xml``, linked from the workbook."""
    members = _members(sample_workbook())
    members["xl/sharedStrings.xml"] = xml.encode()
    rel = ('<Relationship Id="rIdStrings" Type="http://schemas.openxmlformats.org/'
           'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>')
    rels = members["xl/_rels/workbook.xml.rels"].decode()
    members["xl/_rels/workbook.xml.rels"] = rels.replace("</Relationships>",
                                                         rel + "</Relationships>").encode()
    override = ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
    types = members["[Content_Types].xml"].decode()
    members["[Content_Types].xml"] = types.replace("</Types>", override + "</Types>").encode()
    return _zip(members)


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _rows_xml(n: int) -> str:
    head = '<row r="1">' + _inline("A1", "org_id") + _inline("B1", "name_th") + "</row>"
    body = "".join(f'<row r="{i}">' + _inline(f"A{i}", f"R{i}") + _inline(f"B{i}", f"หน่วย {i}")
                   + "</row>" for i in range(2, n + 2))
    return f"<sheetData>{head}{body}</sheetData>"


def over_limit_files(*, rows: int) -> dict[str, bytes]:
    """Files each over one reading limit; ``rows`` is more rows than the limit allows."""
    far = _with_sheet('<dimension ref="A1:B2"/><sheetData><row r="1">' + _inline("A1", "org_id")
                      + _inline("B1", "name_th") + '</row><row r="1048576">'
                      + _inline("XFD1048576", "far") + "</row></sheetData>")
    declared = _with_sheet('<dimension ref="A1:XFD1048576"/>' + _rows_xml(2))
    blank_row = '<row><c t="inlineStr"><is><t> </t></is></c></row>'
    bomb = _with_sheet("<sheetData>" + blank_row * 600_000 + "</sheetData>")  # 29 MB, 1000:1
    many = _with_sheet(_rows_xml(rows + 10))
    wide = ",".join(f"c{i}" for i in range(1_000_000)).encode() + b"\n1,2\n"
    wide_later = b"org_id,name_th\nW-1,x\n" + b"," * 1_000_000 + b"\n"
    long_cell = ("org_id,name_th\nLONG-1," + "ก" * 200_000 + "\n").encode()
    huge_row = _with_sheet('<sheetData><row r="99999999999"><c r="A99999999999"><v>1</v></c>'
                           "</row></sheetData>")
    return {"far_cell.xlsx": far, "huge_row_number.xlsx": huge_row,
            "declared_dimension.xlsx": declared, "expanding.xlsx": bomb,
            "many_rows.xlsx": many, "wide_organisations.csv": wide,
            "wide_later_row_organisations.csv": wide_later,
            "long_cell_organisations.csv": long_cell}


_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
           + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                     for i in range(1, 10))
           + "]>")


def _entity_bomb(body: bytes) -> bytes:
    text = body.decode()
    text = re.sub(r"^<\?xml[^>]*\?>", "", text)
    text = text.replace("<sheetData>", "<sheetData><row r=\"1000\"><c r=\"A1000\" t=\"inlineStr\">"
                        "<is><t>&lol9;</t></is></c></row>", 1)
    return (_LAUGHS + text).encode()


def _external_entity(body: bytes) -> bytes:
    text = re.sub(r"^<\?xml[^>]*\?>", "", body.decode())
    text = text.replace("<sheetData>", "<sheetData><row r=\"1000\"><c r=\"A1000\" "
                        "t=\"inlineStr\"><is><t>&xxe;</t></is></c></row>", 1)
    return ('<?xml version="1.0"?><!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            + text).encode()


def _sub(pattern: str, repl: str, count: int = 1):
    return lambda body: re.sub(pattern.encode(), repl.encode(), body, count=count)


def malformed_files() -> dict[str, bytes]:
    """Malformed workbooks (one member of the sample mutated) and broken CSV files."""
    data = sample_workbook()
    files = {
        "broken_xml.xlsx": _mutate(None, lambda b: b[: len(b) // 2]),
        "not_xml.xlsx": _mutate(None, lambda b: b"\x00\xff garbage \x01" * 50),
        "bad_shared_string.xlsx": _with_sheet(
            '<sheetData><row r="1"><c r="A1" t="s"><v>999999</v></c></row></sheetData>'),
        "negative_shared_string.xlsx": _with_sheet(
            '<sheetData><row r="1"><c r="A1" t="s"><v>-5</v></c></row></sheetData>'),
        "bad_number.xlsx": _with_sheet(
            '<sheetData><row r="1"><c r="A1"><v>12abc</v></c></row></sheetData>'),
        "bad_boolean.xlsx": _with_sheet(
            '<sheetData><row r="1"><c r="A1" t="b"><v>yes</v></c></row></sheetData>'),
        "bad_iso_date.xlsx": _with_sheet(
            '<sheetData><row r="1"><c r="A1" t="d"><v>2023-99-99Tnope</v></c></row></sheetData>'),
        "bad_reference.xlsx": _with_sheet(
            '<sheetData><row r="1"><c r="1A"><v>1</v></c></row></sheetData>'),
        "bad_row_number.xlsx": _with_sheet(
            '<sheetData><row r="x"><c><v>1</v></c></row></sheetData>'),
        "entity_bomb.xlsx": _mutate(None, _entity_bomb),
        "external_entity.xlsx": _mutate(None, _external_entity),
        "shared_strings_entity.xlsx": _with_shared_strings(
            _LAUGHS + '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            "<si><t>&lol9;</t></si></sst>"),
        "shared_strings_broken.xlsx": _with_shared_strings(
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>x'),
        "no_workbook.xlsx": _mutate("xl/workbook.xml", lambda b: None),
        "no_content_types.xlsx": _mutate("[Content_Types].xml", lambda b: None),
        "bad_styles.xlsx": _mutate("xl/styles.xml", lambda b: b[: len(b) // 3]),
        "truncated.xlsx": data[: len(data) // 2],
        "not_a_zip.xlsx": b"PK\x03\x04" + b"\x00" * 200,
        "empty.xlsx": b"",
        # CSV breakage
        "unclosed_quote_organisations.csv": b'org_id,name_th\nA1,"never closed\nA2,x\n',
        "ragged_organisations.csv": b"org_id,name_th\nA1,x,y,z,w\n",
        "utf16_organisations.csv": "org_id,name_th\nA1,ชื่อ\n".encode("utf-16"),
        "binary_organisations.csv": bytes(range(256)) * 20,
        "latin1_organisations.csv": "org_id,name_th\nA1,Café ñ\n".encode("latin-1"),
        "nul_organisations.csv": b"org_id,name_th\nA1,x\x00y\n",
        "only_header_noise.csv": b'"""\n',
    }
    return files


def tolerated_files() -> dict[str, bytes]:
    """Damaged workbooks openpyxl reads around (a sheet whose part is missing or points outside
    the workbook is skipped): each may load what remains, or be refused; never crash."""
    return {
        "no_sheet.xlsx": _mutate(None, lambda b: None),
        "bad_relationships.xlsx": _mutate("xl/_rels/workbook.xml.rels",
                                          _sub(r'Target="[^"]*sheet1.xml"',
                                               'Target="../../../etc/passwd"')),
    }


def invalid_files() -> dict[str, bytes]:
    """Well-formed files whose data must be refused (422 / exit 2)."""
    slow_date = "1" + "ม" * 40 + "!"  # froze the server before the date pattern was rewritten
    events = ("event_id,title_th,start_date\n"
              + "".join(f"EV-{i},กิจกรรม,{slow_date * (i + 1)}\n" for i in range(3)))
    long_name = ("org_id,name_th\nNAME-1," + "ก" * 5000 + "\n")
    # 300 written names of 5,000 characters: each would be fuzzy-matched against every
    # organisation of the province if its length were not refused first
    sign_in = ("event_id,org_name,province_code\n"
               + "".join(f"EV-{i},{'ก' * 5000}{i},TH-21\n" for i in range(300)))
    return {"slow_date_events.csv": events.encode(),
            "long_name_organisations.csv": long_name.encode(),
            "long_names_attendance.csv": sign_in.encode()}
