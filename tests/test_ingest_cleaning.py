"""The shortcut of :func:`display_name` for clean names gives exactly the full rules' answer,
and bulk match keys (keyed a few hundred at a time) equal single ones."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from graphsvc.model.text import _normalise, display_name, match_key, match_keys
from ingest.sample import sample_files

THAI = "".join(chr(c) for c in range(0x0E01, 0x0E5C) if chr(c).isprintable())
ALPHABET = THAI + " \u00a0\u200b\u200c\u2060\ufeff\tAbc-.()12"


@settings(max_examples=800, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=12))
def test_display_name_shortcut_agrees_with_display_name(text: str) -> None:
    assert display_name(text) == _normalise(text)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(["สำนักงาน", "กำ", "่", "ำ", "ํ", "า", "ก", " ", "เ", "้", "ั",
                                 "ุ", "ู", "็", "์", "ๅ", "ะ", "\u200b", "๒"]), max_size=8))
def test_display_name_shortcut_agrees_on_mark_sequences(parts: list[str]) -> None:
    text = "".join(parts)
    assert display_name(text) == _normalise(text)


def test_display_name_shortcut_agrees_on_the_sample_names() -> None:
    orgs = pd.read_csv(sample_files()[0], dtype=str, keep_default_na=False)
    for name in [*orgs["name_th"], *orgs["name_en"], *orgs["aliases"]]:
        assert display_name(name) == _normalise(name)


ABBREVIATED = st.lists(st.sampled_from(["สนง.", "จ.", "อ.", "ต.", "รร.", "ร.ร.", "อบจ.", "อบต.",
                                        "รพ.", "รพ.สต.", "ม.", "บจก.", "วัฒนธรรม", "ระยอง", " ",
                                        ".", "-", "(", ")", "\u200b", "ำ", "่", "Rayong", "๒"]),
                       max_size=8).map("".join)


@settings(max_examples=800, deadline=None)
@given(ABBREVIATED)
def test_match_keys_agree_with_match_key(text: str) -> None:
    assert match_keys([text]) == [match_key(text)]


def test_match_keys_agree_on_the_sample_names() -> None:
    orgs = pd.read_csv(sample_files()[0], dtype=str, keep_default_na=False)
    names = [*orgs["name_th"], *orgs["name_en"], "สนง.วัฒนธรรม จ.ระยอง", "รพ.สต.บ้านเพ"]
    assert match_keys(names) == [match_key(n) for n in names]


PLAIN_NAME = st.text(alphabet=THAI + "abcXYZ09 ", max_size=12)
ODD_NAME = st.text(alphabet=ALPHABET + "\x00ÉßİΣς", max_size=8)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(PLAIN_NAME, ABBREVIATED, ODD_NAME), max_size=20),
       st.integers(min_value=0, max_value=600))
def test_match_keys_of_many_names_agree_with_match_key(names: list[str], pad: int) -> None:
    # plain names are keyed a few hundred at a time: the padding moves the others across runs
    many = ["สำนักงานวัฒนธรรม 2"] * pad + names + ["Rayong Office"] * (pad // 2)
    expected = [match_key(n) for n in many]
    assert match_keys(many) == expected
    assert match_keys([display_name(n) for n in many], displayed=True) == expected
