"""The raw sign-in sheets bundled with the sample: what a provincial office actually receives.

Each sheet lists the organisations that came to one Rayong event, as a clerk typed them:
abbreviations (สนง. จ. รร./ร.ร. อบต. อบจ. ทต.), stray and doubled spaces, Buddhist-era dates with
Thai digits or Thai month abbreviations (``๑๒ ม.ค. ๖๗``), the sector written as its Thai name, the
province as ``ระยอง`` or ``จ.ระยอง`` and the head-count in Thai digits. Headers are exactly
``ลำดับ,รหัสกิจกรรม,วันที่,หน่วยงาน,ภาคีเครือข่าย,จังหวัด,จำนวนผู้เข้าร่วม``.

- ``raw/signin_TH-21_2567.csv`` is cp874 (Thai Windows) with CRLF line ends; cp874 has no
  zero-width space, so its mess is spacing (no-break spaces, doubled spaces);
- ``raw/signin_TH-21_2567_utf8bom.csv`` is UTF-8 with a byte-order mark and zero-width spaces
  (U+200B) inside names.

Most names resolve by :func:`graphsvc.model.text.match_key` to the attending organisation; a few
are misspelt on purpose (no exact key, but the intended organisation is the nearest fuzzy match)
and one per sheet is an organisation the records do not know. ``expected/signin_expected.csv``
says, row by row, which is which, and the organisation each row means.
"""

from __future__ import annotations

import csv
import random
from datetime import date
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz

from graphsvc.model.reference import default_sectors
from graphsvc.model.text import match_key
from tools.sample_data.events import SIGNIN_EVENTS

__all__ = ["HEADERS", "write_signin_sheets"]

HEADERS = ("ลำดับ", "รหัสกิจกรรม", "วันที่", "หน่วยงาน", "ภาคีเครือข่าย", "จังหวัด", "จำนวนผู้เข้าร่วม")
_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
_MONTHS = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.",
           "พ.ย.", "ธ.ค.")
_ABBREVIATE = (
    ("องค์การบริหารส่วนตำบล", ("อบต.", "อบต. ")),
    ("องค์การบริหารส่วนจังหวัด", ("อบจ.",)),
    ("เทศบาลตำบล", ("ทต.",)),
    ("สำนักงาน", ("สนง.", "สนง. ")),
    ("โรงเรียน", ("รร.", "ร.ร.", "รร. ")),
    ("จังหวัด", (" จ.", " จ. ")),
)
#: Organisations the records do not know, one per sheet: (name as written, sector code).
_NEW = (("กลุ่มเยาวชนจิตอาสาตำบลตะพง", "CIV"), ("ชมรมดนตรีไทยผู้สูงวัยบ้านเพ", "CIV"))
_MISSPELT = (3, 2)


def _date_text(day: date, rng: random.Random) -> str:
    be = day.year + 543
    forms = (
        f"{day.day} {_MONTHS[day.month - 1]} {be % 100}".translate(_THAI_DIGITS),
        f"{day.day} {_MONTHS[day.month - 1]} {be % 100}",
        f"{day.day:02d}/{day.month:02d}/{be}".translate(_THAI_DIGITS),
        f"{day.day}/{day.month}/{be}",
    )
    return rng.choices(forms, weights=(6, 2, 1, 1))[0]


def _abbreviate(name: str, rng: random.Random) -> str:
    out = name
    for long, shorts in _ABBREVIATE:
        if long in out and rng.random() < 0.7:
            out = out.replace(long, rng.choice(shorts), 1)
    return " ".join(out.split()) if out.strip() else name


def _mess(name: str, rng: random.Random, zero_width: bool) -> str:
    """Stray spacing (and, in UTF-8, zero-width spaces) that leave the match key unchanged."""
    out = name
    if " " in out and rng.random() < 0.4:
        out = out.replace(" ", rng.choice(("  ", "\u00a0", " \u00a0")), 1)
    if rng.random() < 0.3:
        out = rng.choice((" ", "  ", "\u00a0")) + out
    if rng.random() < 0.3:
        out += rng.choice((" ", "  "))
    if zero_width and rng.random() < 0.6:
        for _ in range(rng.randint(1, 2)):
            i = rng.randint(1, len(out) - 1)
            out = out[:i] + "\u200b" + out[i:]
    return out


_CONFUSABLE = {"ร": "ล", "ล": "ร", "ศ": "ส", "ส": "ศ", "ด": "ต", "ต": "ด", "บ": "ป", "ป": "บ",
               "ท": "ธ", "ธ": "ท", "น": "ณ", "ณ": "น"}


def _typos(name: str) -> list[str]:
    """Typing slips a clerk makes: a look-alike letter, a dropped ``์`` (thanthakhat), a doubled
    consonant. Only the part after the first four characters is touched (not the abbreviation)."""
    out = []
    for i in range(4, len(name)):
        ch = name[i]
        if ch in _CONFUSABLE:
            out.append(name[:i] + _CONFUSABLE[ch] + name[i + 1:])
        if ch == "\u0e4c":
            out.append(name[:i] + name[i + 1:])
        nxt = name[i + 1] if i + 1 < len(name) else ""
        if "\u0e01" <= ch <= "\u0e2e" and "\u0e01" <= nxt <= "\u0e2e":
            out.append(name[: i + 1] + ch + name[i + 1:])
    return out


def _misspell(name: str, intended_key: str, keys: dict[str, str], rng: random.Random) -> str:
    """A typo that no organisation's key matches, while the intended organisation stays the
    clear nearest fuzzy candidate (rapidfuzz ratio of match keys at least 85, 5 ahead)."""
    typos = _typos(name)
    rng.shuffle(typos)
    for typo in typos:
        k = match_key(typo)
        if k in keys:
            continue
        best: dict[str, float] = {}
        for other, oid in keys.items():
            best[oid] = max(best.get(oid, 0.0), fuzz.ratio(k, other))
        (top, top_id), (second, _) = sorted(((v, o) for o, v in best.items()), reverse=True)[:2]
        if top_id == keys[intended_key] and top >= 85 and second <= top - 5:
            return typo
    raise RuntimeError(f"no usable misspelling of {name!r}")


def _rows(event_id: str, tables: dict[str, pd.DataFrame], sheet: int, rng: random.Random,
          zero_width: bool) -> tuple[list[list[str]], list[dict[str, object]]]:
    orgs = tables["organisations"]
    rayong = orgs[orgs["province_code"] == "TH-21"]
    keys = {match_key(n): oid for n, oid in zip(rayong["name_th"], rayong["org_id"], strict=True)}
    for aliases, oid in zip(rayong["aliases"], rayong["org_id"], strict=True):
        keys.update({match_key(a): oid for a in aliases.split("|") if a})
    names = dict(zip(orgs["org_id"], orgs["name_th"], strict=True))
    sectors = dict(zip(orgs["org_id"], orgs["sector"], strict=True))
    sector_th = {sec.code: sec.name_th for sec in default_sectors()}
    event = tables["events"].set_index("event_id").loc[event_id]
    day = date.fromisoformat(event["start_date"])
    att = tables["attendance"]
    att = att[att["event_id"] == event_id]
    entries = [(oid, int(n)) for oid, n in zip(att["org_id"], att["delegates"], strict=True)]
    rng.shuffle(entries)
    # the host (the culture office, whose clerk keeps the sheet) writes its own name right
    host = att.loc[att["role"] == "host", "org_id"].tolist()
    movable = [i for i, (oid, _) in enumerate(entries) if len(names[oid]) >= 12
               and oid not in host]
    misspelt = {entries[i][0] for i in rng.sample(movable, _MISSPELT[sheet])}
    new_name, new_sector = _NEW[sheet]
    entries.insert(rng.randint(len(entries) // 2, len(entries)), ("", rng.randint(1, 5)))

    rows, expected = [], []
    for n, (oid, delegates) in enumerate(entries, start=1):
        if not oid:
            written, sector, expect = new_name, new_sector, "new"
        else:
            sector = sectors[oid]
            written = _abbreviate(names[oid], rng)
            if match_key(written) != match_key(names[oid]):
                written = names[oid]
            expect = "resolves"
            if oid in misspelt:
                written, expect = _misspell(written, match_key(names[oid]), keys, rng), "near_miss"
        written = _mess(written, rng, zero_width)
        if expect == "resolves":
            assert keys.get(match_key(written)) == oid, written
        else:
            assert match_key(written) not in keys, written
        province = rng.choices(("ระยอง", "จ.ระยอง", " ระยอง"), weights=(6, 3, 1))[0]
        rows.append([str(n), event_id, _date_text(day, rng), written, sector_th[sector],
                     province, str(delegates).translate(_THAI_DIGITS)])
        expected.append({"row": n, "event_id": event_id, "written_name": written,
                         "org_id": oid, "delegates": delegates, "expect": expect})
    return rows, expected


def write_signin_sheets(tables: dict[str, pd.DataFrame], out: Path,
                        rng: random.Random) -> list[Path]:
    """Write the raw sheets under ``out/raw`` and the answer key under ``out/expected``."""
    (out / "raw").mkdir(parents=True, exist_ok=True)
    (out / "expected").mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    answers: list[dict[str, object]] = []
    for sheet, (event_id, stem, encoding) in enumerate(SIGNIN_EVENTS):
        rows, expected = _rows(event_id, tables, sheet, rng, zero_width=encoding != "cp874")
        path = out / "raw" / f"{stem}.csv"
        with path.open("w", encoding=encoding, newline="") as fh:
            writer = csv.writer(fh, lineterminator="\r\n" if encoding == "cp874" else "\n")
            writer.writerow(HEADERS)
            writer.writerows(rows)
        written.append(path)
        answers += [{"file": f"raw/{stem}.csv", **e} for e in expected]
    path = out / "expected" / "signin_expected.csv"
    pd.DataFrame(answers).to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
    written.append(path)
    return written
