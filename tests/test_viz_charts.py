"""Charts: PNG/SVG bytes, deterministic, Thai glyphs from a Thai font, errors at the door."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from graphsvc.errors import InvalidInput
from graphsvc.viz import growth_chart, sector_mixing_heatmap, top_brokers_chart
from graphsvc.viz.fonts import THAI_FAMILIES, chart_text, has_thai, thai_font_family

PNG = b"\x89PNG\r\n\x1a\n"
TLWG = {"Loma", "Garuda", "Waree", "Umpush", "Tlwg Typo", "Tlwg Typist", "Kinnari", "Norasi",
        "Sawasdee", "Purisa", "Laksaman"}


@pytest.fixture
def mixing() -> pd.DataFrame:
    codes = ["GOV", "REL", "EDU"]
    return pd.DataFrame([[4, 1, 0], [1, 2, 3], [0, 3, 5]], index=codes, columns=codes)


@pytest.fixture
def metrics() -> pd.DataFrame:
    return pd.DataFrame({
        "org_id": ["g1", "r1", "b1", "e1"],
        "name": ["สำนักงานวัฒนธรรมจังหวัดระยอง", "วัดป่าประดู่", "b1", "โรงเรียนบ้านฉาง"],
        "name_en": ["Rayong Culture Office", "Wat Pa Pradu", "Ban Chang Co.", None],
        "sector": ["GOV", "REL", "BIZ", "EDU"],
        "betweenness": [0.5, 0.7, 0.1, 0.5],
    })


@pytest.fixture
def per_fy() -> pd.DataFrame:
    return pd.DataFrame({"fiscal_year_be": [2567, 2565, 2566],
                         "organisations": [35, 10, 20], "ties": [80, 15, 40]})


def test_a_thai_font_is_found_on_this_machine():
    # The test command installs fonts-thai-tlwg-otf (scripts/install-system-deps.sh).
    assert thai_font_family() in set(THAI_FAMILIES) | TLWG


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_every_chart_in_both_formats_is_deterministic(fmt, mixing, metrics, per_fy):
    for draw in (lambda: sector_mixing_heatmap(mixing, fmt=fmt),
                 lambda: top_brokers_chart(metrics, n=3, fmt=fmt),
                 lambda: growth_chart(per_fy, fmt=fmt)):
        first = draw()
        assert first == draw()
        if fmt == "png":
            assert first.startswith(PNG) and len(first) > 5_000
        else:
            assert b"<svg" in first[:1000] and b"<text" not in first  # text drawn as paths


def glyph_ids(svg: bytes) -> set[str]:
    """Glyph ids matplotlib writes for text drawn as paths: "<font>-<code point in hex>"."""
    return set(re.findall(r'id="([A-Za-z0-9_-]+-[0-9a-f]+)"', svg.decode()))


def thai_glyph_id(char: str) -> str:
    """The SVG id of ``char``'s glyph in the Thai font (matplotlib: "<postscript>-<glyph hex>")."""
    from matplotlib import font_manager, ft2font

    path = font_manager.findfont(font_manager.FontProperties(family=thai_font_family()),
                                 fallback_to_default=False)
    font = ft2font.FT2Font(path)
    index = font.get_char_index(ord(char))
    assert index != 0, f"{path} has no glyph for {char!r}"
    return f"{font.postscript_name}-{index:x}"


def test_thai_labels_are_drawn_with_thai_glyphs(mixing):
    # ภ and ฐ (in ภาครัฐ, the Thai name of GOV) come from the Thai font's own glyphs, not boxes
    ids = glyph_ids(sector_mixing_heatmap(mixing, fmt="svg"))
    assert {thai_glyph_id("ภ"), thai_glyph_id("ฐ")} <= ids
    english = glyph_ids(sector_mixing_heatmap(mixing, fmt="svg", lang="en"))
    assert thai_glyph_id("ภ") not in english and thai_glyph_id("G") in english


def test_top_brokers_ranks_by_the_metric_then_id(metrics):
    svg_th = top_brokers_chart(metrics, n=2, fmt="svg")
    svg_en = top_brokers_chart(metrics, n=2, fmt="svg", lang="en")
    assert svg_th != svg_en
    # r1 (0.7) first, then the tie at 0.5 goes to e1 before g1 (ids in order)
    assert top_brokers_chart(metrics, n=2, fmt="svg", lang="en") == top_brokers_chart(
        metrics.iloc[[1, 3]], n=2, fmt="svg", lang="en")


def test_growth_chart_sorts_years(per_fy):
    assert growth_chart(per_fy, fmt="svg") == growth_chart(
        per_fy.sort_values("fiscal_year_be"), fmt="svg")


def test_labels_fall_back_to_english_without_a_thai_font():
    assert chart_text("ภาครัฐ", "Government", "GOV", "th", thai_ok=True) == "ภาครัฐ"
    assert chart_text("ภาครัฐ", "Government", "GOV", "th", thai_ok=False) == "Government"
    assert chart_text("ภาครัฐ", "Government", "GOV", "en", thai_ok=True) == "Government"
    assert chart_text("วัดป่าประดู่", None, "r1", "th", thai_ok=False) == "r1"
    assert chart_text("Wat", None, "r1", "th", thai_ok=False) == "Wat"
    assert has_thai("ก") and not has_thai("abc")


@pytest.mark.parametrize("call", [
    lambda m, b, g: sector_mixing_heatmap(m, fmt="gif"),
    lambda m, b, g: sector_mixing_heatmap(m.iloc[:2]),
    lambda m, b, g: sector_mixing_heatmap(pd.DataFrame()),
    lambda m, b, g: sector_mixing_heatmap(m, lang="de"),
    lambda m, b, g: top_brokers_chart(b, n=0),
    lambda m, b, g: top_brokers_chart(b, n=True),
    lambda m, b, g: top_brokers_chart(b, by="pagerank"),
    lambda m, b, g: growth_chart(g.iloc[0:0]),
    lambda m, b, g: growth_chart(pd.DataFrame({"fiscal_year_be": [2566], "note": ["x"]})),
])  # fmt: skip
def test_bad_input_is_refused(call, mixing, metrics, per_fy):
    with pytest.raises(InvalidInput):
        call(mixing, metrics, per_fy)
