"""Ids read as integers (:mod:`graphsvc.model.idcodes`) must be equal exactly when the texts are,
order as SQLite orders the texts' first 8 bytes, and refuse what they cannot read exactly."""

from __future__ import annotations

import sqlite3

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from graphsvc.model.idcodes import ascii_heads, exact_codes

#: ASCII texts around 8 characters, with the bytes that sort first and last.
ID = st.text(alphabet="AB09-\x01\x7f ", max_size=10)
SAME_WIDTH = st.integers(0, 10).flatmap(
    lambda w: st.lists(st.text(alphabet="AB09-", min_size=w, max_size=w), min_size=1, max_size=20))


def _sqlite_order(values: list[str]) -> list[str]:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (v TEXT)")
    conn.executemany("INSERT INTO t VALUES (?)", [(v[:8],) for v in values])
    return [v for (v,) in conn.execute("SELECT v FROM t ORDER BY v")]


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.lists(ID, max_size=20), SAME_WIDTH))
def test_heads_are_the_first_8_bytes_in_order_and_lengths_exact(values) -> None:
    heads, lengths = ascii_heads(values)
    assert lengths.tolist() == [len(v) for v in values]
    assert heads.tolist() == [int.from_bytes(v[:8].encode().ljust(8, b"\0"), "big")
                              for v in values]
    assert [values[i][:8] for i in np.argsort(heads, kind="stable")] == _sqlite_order(values)


@settings(max_examples=400, deadline=None)
@given(st.lists(ID, max_size=20))
def test_exact_codes_are_equal_exactly_when_the_texts_are(values) -> None:
    codes = exact_codes(values)
    if any(len(v) > 8 for v in values):
        assert codes is None
        return
    assert len({*codes.tolist()}) == len(set(values))
    for i, a in enumerate(values):
        for j, b in enumerate(values):
            assert (codes[i] == codes[j]) == (a == b)


def test_what_cannot_be_read_exactly_is_refused() -> None:
    assert ascii_heads(["A", "A\x00"]) is None  # numpy's bytes would drop the NUL
    assert ascii_heads(["ก1"]) is None and ascii_heads(["A", None]) is None
    assert exact_codes(["ABCDEFGHI"]) is None and exact_codes([3]) is None
    assert exact_codes([]).tolist() == []
    # long texts (no ids) are not read, so memory stays bounded by the number of values
    assert ascii_heads(["A" * 10_000, "B"]) is None
    assert ascii_heads(["A" * 100, "B" * 20]) is not None  # 64 on average is fine
