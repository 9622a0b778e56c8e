"""The name rules of the search page and the map's search box (graphsvc.model.namesearch)."""

from __future__ import annotations

import pytest

from graphsvc.model.namesearch import EXACT, PREFIX, WORD_START, match_rank, rank_matches

TEMPLE = {"org_id": "TH21-REL-001", "name_th": "วัดเนินสุขาราม", "name_en": "Wat Noen Sukharam"}
SCHOOL = {"org_id": "TH21-EDU-009", "name_th": "โรงเรียนวัดเนินสุขาราม",
          "name_en": "Wat Noen Sukharam School"}
OFFICE = {"org_id": "TH21-GOV-001", "name_th": "สำนักงานวัฒนธรรมจังหวัดระยอง",
          "name_en": "Rayong Provincial Culture Office"}
TAMBON = {"org_id": "TH20-GOV-005", "name_th": "องค์การบริหารส่วนตำบลหนองมน",
          "name_en": "Nong Mon Subdistrict Administrative Organisation",
          "aliases": "อบต.หนองมน|Nong Mon SAO"}


@pytest.mark.parametrize("query,org,rank", [
    ("วัดเนินสุขาราม", TEMPLE, EXACT),
    ("วัด", TEMPLE, PREFIX),
    ("วัด", SCHOOL, WORD_START),
    ("วัด", OFFICE, None),            # only inside จังหวัด
    ("ระยอง", OFFICE, WORD_START),
    ("นธรรม", OFFICE, None),          # inside วัฒนธรรม
    ("อบต.หนองมน", TAMBON, EXACT),    # the abbreviation expands
    ("อบต. หนองมน", TAMBON, EXACT),
    ("หนองมน", TAMBON, WORD_START),
    ("wat noen", SCHOOL, PREFIX),
    ("culture", OFFICE, WORD_START),
    ("ulture", OFFICE, None),
    ("th21-gov", OFFICE, PREFIX),     # ids by their start
    ("๒๑", OFFICE, None),
])  # fmt: skip
def test_match_rank(query, org, rank) -> None:
    assert match_rank(query, org) == rank


def test_exact_first_then_prefix_then_word_start_and_never_inside_a_word() -> None:
    found = rank_matches("วัด", [OFFICE, SCHOOL, TEMPLE])
    assert [o["org_id"] for o in found] == ["TH21-REL-001", "TH21-EDU-009"]
    found = rank_matches("วัดเนินสุขาราม", [SCHOOL, TEMPLE])
    assert [o["org_id"] for o in found] == ["TH21-REL-001", "TH21-EDU-009"]
