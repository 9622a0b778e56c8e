"""Cleaning takes tidy ASCII id and English-name columns as they are, in one pass; those
shortcuts must give exactly what the cell-by-cell rules give (and the same problems). The quick
look for repeated keys before the exact one must never miss a repeat."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from graphsvc.model.reference import default_sectors
from graphsvc.model.text import display_name
from ingest.cleaning import CleanContext, clean_table
from ingest.lookups import SectorLookup
from ingest.problems import ProblemLog
from ingest.readers import RawTable

#: NUL is the separator the one-pass check joins cells with; CSV files cannot hold it (binary),
#: XLSX cells might. (Not in tie ends: numpy's text comparison of the careful path drops
#: trailing NULs, an older quirk the shortcut does not share.)
CELL = st.text(alphabet="aZ9- .\t\n\x1c\x1f\x00ก", max_size=5)
END = st.text(alphabet="aZ9- .\t\n\x1c\x1fก", max_size=5)
TIDY = st.text(alphabet="aZ9-.", min_size=1, max_size=5)


def _clean(table: str, columns: dict[str, list[str]]) -> tuple[pd.DataFrame, ProblemLog]:
    n = len(next(iter(columns.values())))
    frame = pd.DataFrame({**{k: pd.Series(v, dtype=object) for k, v in columns.items()},
                          "src_row": range(2, n + 2)})
    problems = ProblemLog(10_000)
    out = clean_table(RawTable("f.csv", table, frame), CleanContext(
        problems, SectorLookup(default_sectors())))
    return out, problems


def _ident(cell: str) -> str | None:
    text = cell.strip()
    return (text if text.isascii() else display_name(text)) if text else None


def _name(cell: str) -> str | None:
    return display_name(cell.strip()) or None


def _rows(problems: ProblemLog) -> list[tuple[object, ...]]:
    return sorted((p.row, p.column) for p in problems.problems)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.one_of(TIDY, CELL), st.one_of(TIDY, CELL)), min_size=1,
                max_size=8))
def test_organisation_ids_and_english_names_clean_as_cell_by_cell(rows) -> None:
    ids, names = [list(c) for c in zip(*rows, strict=True)]
    out, problems = _clean("organisations", {"org_id": ids, "name_en": names})
    assert out["org_id"].tolist() == [_ident(v) for v in ids]
    assert out["name_en"].tolist() == [_name(v) for v in names]
    expected = [(i + 2, "org_id") for i, v in enumerate(ids)
                if _ident(v) is None or not _ident(v).isascii()]
    expected += [(i + 2, "name_en") for i, v in enumerate(names) if _name(v) is None]
    assert _rows(problems) == sorted(expected)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.one_of(TIDY, END), st.one_of(TIDY, END)), min_size=1,
                max_size=8))
def test_tie_ends_clean_and_order_as_cell_by_cell(rows) -> None:
    a, b = [list(c) for c in zip(*rows, strict=True)]
    out, problems = _clean("collaborations", {"org_a_id": a, "org_b_id": b})
    pairs = [(_ident(x), _ident(y)) for x, y in zip(a, b, strict=True)]
    ordered = [(y, x) if x is not None and y is not None and x > y else (x, y) for x, y in pairs]
    assert list(zip(out["org_a_id"], out["org_b_id"], strict=True)) == ordered
    expected = [(i + 2, "org_a_id") for i, (x, _) in enumerate(pairs) if x is None]
    expected += [(i + 2, "org_b_id") for i, (x, y) in enumerate(pairs)
                 if y is None or (x is not None and x == y)]
    assert _rows(problems) == sorted(expected)


def test_a_clean_id_column_takes_the_one_pass_path_and_keeps_its_values() -> None:
    ids = [f"B{i:06d}" for i in range(1000)]
    out, problems = _clean("organisations", {"org_id": ids, "name_en": ["Org"] * 1000})
    assert out["org_id"].tolist() == ids and not problems.problems


#: Key cells: short ASCII texts that repeat often, texts around 8 characters (one with a
#: trailing NUL), Thai, and the blanks and numbers pandas compares by value (1 == 1.0 == True).
KEY_CELL = st.one_of(
    st.text(alphabet="ab", max_size=3),
    st.sampled_from(["abcdefgh", "abcdefghi", "abcdefgj", "abcdefg\x00", "ก", "กข"]),
    st.sampled_from([None, float("nan"), 1, 1.0, True, "1"]),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(KEY_CELL, KEY_CELL), max_size=12), st.booleans())
def test_the_quick_look_for_repeated_keys_never_misses_one(rows, texts_only) -> None:
    from ingest.validation import _may_repeat

    if texts_only:  # the usual case, which the quick look decides itself
        rows = [tuple(v if isinstance(v, str) else "x" for v in row) for row in rows]
    frame = pd.DataFrame({"a": pd.Series([r[0] for r in rows], dtype=object),
                          "b": pd.Series([r[1] for r in rows], dtype=object)})
    for key in (["a"], ["a", "b"]):
        if frame.duplicated(subset=key).any():
            assert _may_repeat(frame, key)


def test_distinct_keys_of_text_are_told_without_the_exact_check() -> None:
    from ingest.validation import _may_repeat

    n = 2000
    ties = pd.DataFrame({
        "org_a_id": [f"B{i % 500:06d}" for i in range(n)],
        "org_b_id": [f"B{i // 4 + 500:06d}" for i in range(n)],
        "collab_type": [("mou", "joint_project")[i % 2] for i in range(n)],
        "start_date": [f"2024-01-{i % 28 + 1:02d}" for i in range(n)],
    }, dtype=object)
    key = list(ties.columns)
    assert not ties.duplicated(subset=key).any()
    assert not _may_repeat(ties, key)
    assert _may_repeat(pd.concat([ties, ties.iloc[[7]]], ignore_index=True), key)


#: Thai names: mostly clean, some with marks out of order, Thai digits, invisibles, odd spaces.
THAI_CELL = st.one_of(
    st.sampled_from(["สำนักงานวัฒนธรรม", "วัดป่า ประดู่", "โรงเรียน ๒", "กำ", "ก่่", " ก",
                     "ก\u200bข", "ก  ข", "เเก", "ร.ร.วัด", "Rayong Office", "", "ก\u3000ข"]),
    st.text(alphabet="กขำ่้ัุเะา ๅ\u200b\t", max_size=6),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(THAI_CELL, THAI_CELL), min_size=1, max_size=10))
def test_thai_names_clean_as_cell_by_cell(rows) -> None:
    names, types = [list(c) for c in zip(*rows, strict=True)]
    out, _ = _clean("organisations", {"org_id": [f"B{i}" for i in range(len(rows))],
                                      "name_th": names, "org_type": types})
    assert out["name_th"].tolist() == [_name(v) for v in names]
    assert out["org_type"].tolist() == [_name(v) for v in types]


#: Reference cells: short ids (some unknown), one 8 characters long, longer ones, Thai, and one
#: that reads like a known id to numpy's bytes but for its trailing NUL.
REF_CELL = st.sampled_from(["B1", "B2", "B3", "ABCDEFGH", "ABCDEFGHI", "B9", "ก1", "B1\x00",
                            "", "B12345678"])


@settings(max_examples=300, deadline=None)
@given(st.lists(REF_CELL, min_size=1, max_size=6, unique=True),
       st.lists(REF_CELL, min_size=1, max_size=12))
def test_references_are_found_exactly_as_a_set_finds_them(known, named) -> None:
    from ingest.validation import check_references

    batch = {
        "organisations": pd.DataFrame({"org_id": pd.Series(known, dtype=object)}),
        "events": pd.DataFrame({"event_id": pd.Series(["E1"], dtype=object)}),
        "attendance": pd.DataFrame({"event_id": pd.Series(["E1"] * len(named), dtype=object),
                                    "org_id": pd.Series(named, dtype=object),
                                    "src_file": "a.csv", "src_row": range(2, len(named) + 2)}),
        "collaborations": pd.DataFrame(columns=["org_a_id", "org_b_id", "src_file", "src_row"]),
    }
    problems = ProblemLog(100)
    check_references(batch, set(), set(), problems, {})
    assert sorted(p.row for p in problems.problems) == [
        i + 2 for i, v in enumerate(named) if v not in set(known)]
