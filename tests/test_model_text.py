"""Thai text rules of DESIGN.md: display names, match keys, dictionary order."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pythainlp.util import collate

from graphsvc.model.text import display_name, match_key, sort_thai, thai_sort_key


def test_nfkc_split_sara_am_is_recomposed():
    # NFKC turns SARA AM (U+0E33) into NIKHAHIT + SARA AA; pythainlp recomposes it.
    decomposed = unicodedata.normalize("NFKC", "สำนักงาน")
    assert "\u0e4d" in decomposed
    assert display_name("สำนักงาน") == "สำนักงาน"
    assert "\u0e33" in display_name("สำนักงาน")


@pytest.mark.parametrize("invisible", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"])
def test_invisibles_are_removed(invisible):
    assert display_name(f"วัด{invisible}ป่าประดู่") == "วัดป่าประดู่"


def test_nbsp_thai_digits_and_spaces():
    assert display_name("  โรงเรียน\u00a0บ้านค่าย   ๑๒๓ ") == "โรงเรียน บ้านค่าย 123"


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("สนง. วัฒนธรรม จ.ระยอง", "สำนักงานวัฒนธรรมจังหวัดระยอง"),
        ("สนง.วัฒนธรรมจังหวัด ระยอง", "สำนักงานวัฒนธรรมจังหวัดระยอง"),
        ("ร.ร.บ้านค่าย", "โรงเรียนบ้านค่าย"),
        ("รร. บ้านค่าย", "โรงเรียน บ้านค่าย"),
        ("อบต.เนินพระ", "องค์การบริหารส่วนตำบลเนินพระ"),
        ("อบจ.ระยอง", "องค์การบริหารส่วนจังหวัดระยอง"),
        ("รพ.ระยอง", "โรงพยาบาลระยอง"),
        ("Rayong  Culture-Office", "rayong culture office"),
    ],
)
def test_match_key_equates_abbreviated_and_full_names(written, canonical):
    assert match_key(written) == match_key(canonical)


def test_match_key_keeps_thai_marks_apart():
    # Tone marks and vowels are letters of the key: these are different words.
    assert match_key("ไก่") != match_key("ไก")
    assert match_key("บ้าน") != match_key("บาน")


def test_abbreviation_only_at_token_start():
    # "จ." inside a word is not an abbreviation; at a token's start it is.
    assert match_key("วัดจ.") != match_key("วัดจังหวัด")
    assert match_key("วัด จ.") == match_key("วัด จังหวัด")


THAI_WORDS = st.text(alphabet=st.sampled_from(list("กขคงจฉชซญดตถทนบปผพฟมยรลวศสหอฮะาิีึืุูเแโใไ่้๊๋ำั")),
                     min_size=1, max_size=6)


@given(st.lists(THAI_WORDS, min_size=2, max_size=12))
def test_thai_sort_key_agrees_with_pythainlp_collate(words):
    assert sorted(words, key=thai_sort_key) == collate(words)


def test_sort_thai_is_dictionary_order_not_code_point_order():
    words = ["แม่", "ไก่", "ขา", "กา", "เกาะ"]
    assert sort_thai(words) == ["กา", "เกาะ", "ไก่", "ขา", "แม่"]
    assert sorted(words) != sort_thai(words)


#: Thai letters, every vowel, tone mark and sign, Thai digits, spaces and a zero-width space:
#: the characters pythainlp's normalize rewrites, in any order.
THAI_TEXT = st.text(st.sampled_from(
    [chr(c) for c in range(0x0E01, 0x0E5C) if unicodedata.category(chr(c)) != "Cn"]
    + [" ", " ", "\u200b", "\n"]), max_size=40)


@settings(max_examples=600, deadline=None)
@given(THAI_TEXT)
def test_the_linear_normalize_agrees_with_pythainlp(text):
    from pythainlp.util import normalize as pythainlp_normalize

    from graphsvc.model.thainorm import normalize

    assert normalize(text) == pythainlp_normalize(text)


#: Thai, Latin (with accents and capitals), digits, spaces and the abbreviations' punctuation.
KEY_TEXT = st.text(st.sampled_from(
    [chr(c) for c in range(0x0E00, 0x0E60)] + list("abcXYZéß09 .'-_,฿")), max_size=30)


@settings(max_examples=600, deadline=None)
@given(KEY_TEXT)
def test_the_match_key_shortcut_for_plain_names_agrees_with_the_full_rule(text):
    # A name of Thai letters and marks, ASCII letters, digits and spaces skips the abbreviation
    # pattern and the per-character table; both ways must give the same key.
    from graphsvc.model import text as t

    full = t._ABBREVIATED.sub(t._expand_run, text.casefold()).translate(t._KEY_CHARS)
    assert t._key_of_display(text) == full
