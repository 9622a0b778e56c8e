"""The shortcut of :func:`display_name` for clean names gives exactly the full rules' answer,
its bulk form (:func:`displayed_as_is`) gives the shortcut's answer name by name, and bulk match
keys (keyed a few hundred at a time) equal single ones."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from graphsvc.model import text
from graphsvc.model.text import (
    _as_is,
    _normalise,
    display_name,
    displayed_as_is,
    match_key,
    match_keys,
)
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


#: White space of every kind str.split knows, a character outside the BMP, and NUL-free text.
SPACED = ALPHABET + "\x85\u3000\u2028\x1c\x1f\u0e33\u0e40\U0001f600"
MARK_RUNS = st.lists(st.sampled_from(["กำ", "่", "ำ", "ํ", "า", "ก", " ", "  ", "เ", "้", "ั", "ุ",
                                      "็", "์", "ๅ", "ะ", "\u200b", "๒", "\t", "\u3000", "A"]),
                     max_size=6).map("".join)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.text(alphabet=SPACED, max_size=10) | MARK_RUNS, max_size=40))
def test_displayed_as_is_agrees_with_the_shortcut_name_by_name(names: list[str]) -> None:
    assert displayed_as_is(names) == [_as_is(n) for n in names]


def test_displayed_as_is_across_runs_and_with_what_is_not_plain_text(monkeypatch) -> None:
    # the class table lists white space up to U+3000: none lies beyond it
    assert max(c for c in range(0x110000) if chr(c).isspace()) == 0x3000
    monkeypatch.setattr(text, "_BULK_CHARS", 5)  # names split across several runs
    names = ["กำ", " ก", "ก ", "เเก", "ก่่", "Abc", "", "ก\ud800", "ก\x00", 5, "ก  ข", "สุข"]
    # a lone surrogate or a NUL sends its run the one-name way; a number is never as it is
    assert displayed_as_is(names) == [True, False, False, False, False, True, True,
                                      True, True, False, False, True]
    for name in names:
        if isinstance(name, str) and displayed_as_is([name])[0]:
            assert display_name(name) == name


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
