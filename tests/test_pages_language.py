"""Every Thai page of the sample speaks Thai: no code a program uses (metric ids, statuses,
collaboration types) reaches the text a planner reads; English pages use English names and mark
Thai text with ``lang="th"``; the province page opens with what to do next; search never
matches inside a word."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from stores import build_sample_db

from graphsvc.api.app import create_app
from graphsvc.config import Settings
from graphsvc.model.records import COLLAB_TYPES, ORG_STATUSES

#: Codes that must never be shown raw: metric ids as written in code, statuses, collaboration
#: types, the summary keys of the analysis and the recommenders' method ids.
RAW_CODES = sorted({
    "betweenness", "pagerank", "eigenvector", "harmonic", "closeness", "effective_size",
    "constraint", "efficiency", "brokerage", "cross_sector_share", "cut_off", "degree",
    "strength", "modularity", "density", "ei_index", "largest_component_share",
    "average_distance", "coordinator", "consultant", "representative_gatekeeper", "liaison",
    "co_attendance", "coattendance", *ORG_STATUSES, *COLLAB_TYPES,
    # the scoring methods a recommendation's likelihood names
    "learned", "resource_allocation", "adamic_adar", "common_neighbours", "jaccard",
    "preferential_attachment", "local_path",
})
_CODE = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, RAW_CODES)) + r")(?![\w-])")


def visible_text(page: str) -> str:
    """The text a reader sees as words: no tags, attributes, scripts or styles, and no code to
    copy (the embed snippet's URL, the ingest command)."""
    page = re.sub(r"<(script|style|pre|code|textarea)\b.*?</\1>", " ", page, flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


class _LangWalker(HTMLParser):
    """Collects text with Thai letters whose nearest ``lang`` ancestor is not ``th``."""

    VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "source", "area", "col"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str | None]] = []
        self.bad: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.stack.append((tag, dict(attrs).get("lang")))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if re.search("[\u0e00-\u0e7f]", data) and not any(t in ("script", "style")
                                                            for t, _ in self.stack):
            lang = next((lang for _, lang in reversed(self.stack) if lang), None)
            if lang != "th":
                self.bad.append(data.strip())


def unmarked_thai(page: str) -> list[str]:
    walker = _LangWalker()
    walker.feed(page)
    return walker.bad


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db = build_sample_db(Path(tmp_path_factory.mktemp("lang")) / "sample.db")
    with TestClient(create_app(Settings(store_url=f"sqlite:///{db}"))) as c:
        yield c


def thai_pages(client: TestClient) -> list[str]:
    home = client.get("/").text
    provinces = sorted(set(re.findall(r'href="(/provinces/[A-Z0-9-]+)\?lang=th"', home)))
    orgs: list[str] = []
    while len(orgs) % 100 == 0:
        got = client.get(f"/api/organisations?limit=100&offset={len(orgs)}").json()["items"]
        orgs += [o["org_id"] for o in got]
        if not got:
            break
    return (["/", "/search?q=วัด", "/search?q=โรงเรียน", "/maps/embed?province=TH-21",
             "/provinces/TH-99", "/organisations/NOPE", "/provinces/TH-10"]
            + provinces + [f"/organisations/{o}" for o in orgs])


def test_no_thai_page_shows_a_raw_code(client: TestClient) -> None:
    pages = thai_pages(client)
    assert len(pages) > 250  # every organisation of the sample
    found = {}
    for url in pages:
        r = client.get(url)
        assert r.headers["content-type"].startswith("text/html"), url
        assert '<html lang="th">' in r.text, url
        hits = sorted(set(_CODE.findall(visible_text(r.text))))
        if hits:
            found[url] = hits
    assert found == {}


def test_no_bare_decimals_on_the_province_page(client: TestClient) -> None:
    text = visible_text(client.get("/provinces/TH-21").text)
    assert not re.findall(r"\b0\.\d{2,}", text)
    assert "%" in text and "สูง" in text


def test_province_page_opens_with_three_things_to_do(client: TestClient) -> None:
    page = client.get("/provinces/TH-21").text
    steps = page.index("สิ่งที่ควรทำต่อ")
    assert steps < page.index("ภาพรวม") < page.index("หน่วยงานที่เป็นตัวกลาง")
    actions = re.search(r'<section class="actions".*?</section>', page, re.S).group(0)
    assert actions.count("<li>") == 3 and 'href="/organisations/' in actions


def test_english_pages_use_english_names_and_mark_thai(client: TestClient) -> None:
    page = client.get("/provinces/TH-21?lang=en").text
    text = visible_text(page)
    assert "Rayong Provincial Culture Office" in text and "What to do next" in text
    assert "สำนักงานวัฒนธรรมจังหวัดระยอง" not in text  # reasons name it in English too
    assert unmarked_thai(page) == []
    org = client.get("/organisations/TH21-GOV-001?lang=en").text
    assert "<h1>Rayong Provincial Culture Office</h1>" in org
    assert '<span lang="th">สำนักงานวัฒนธรรมจังหวัดระยอง</span>' in org


def test_empty_province_says_there_is_no_data_yet_and_how_to_add_it(client: TestClient) -> None:
    r = client.get("/provinces/TH-10")  # Bangkok: a real province with no organisations
    assert r.status_code == 200
    text = visible_text(r.text)
    assert "จังหวัดนี้ยังไม่มีข้อมูล" in text and "<code>graphsvc ingest " in r.text
    assert "<iframe" not in r.text  # no blank map box


def test_search_lists_temples_first_and_never_matches_inside_a_word(client: TestClient) -> None:
    page = client.get("/search", params={"q": "วัด"}).text
    names = re.findall(r'<a href="/organisations/[^"]+">([^<]+)</a>', page)
    assert names, page[-1000:]
    assert not [n for n in names if re.sub("จังหวัด", "", n).find("วัด") < 0]  # only จังหวัด
    temples = [n.startswith("วัด") for n in names]
    assert temples == sorted(temples, reverse=True) and temples[0]
    exact = client.get("/search", params={"q": "วัดเนินสุขาราม"}).text
    first = re.findall(r'<a href="/organisations/[^"]+">([^<]+)</a>', exact)
    assert first[:2] == ["วัดเนินสุขาราม", "โรงเรียนวัดเนินสุขาราม"]


def test_english_pages_count_in_agreement(client: TestClient) -> None:
    pages = [u.replace("?lang=th", "") for u in thai_pages(client)
             if u.startswith(("/provinces/", "/organisations/"))][:120]
    bad = {}
    for url in pages:
        text = visible_text(client.get(f"{url}?lang=en").text)
        hits = re.findall(r"(?<![\d.,])1 (?:organisations|communities|ties|members|partners)\b"
                          r"|\w\(s\)", text)
        if hits:
            bad[url] = sorted(set(hits))
    assert bad == {}
