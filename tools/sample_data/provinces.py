"""The sample's other provinces and its national bodies: organisations from the templates of
:mod:`tools.sample_data.vocabulary`, their ties and events. Used by
:mod:`tools.sample_data.generate`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from graphsvc.model.reference import province
from tools.sample_data import vocabulary as voc
from tools.sample_data.events import national_events, province_events

if TYPE_CHECKING:  # pragma: no cover
    from tools.sample_data.state import Sample

__all__ = ["add_national_bodies", "add_province"]


def _fill(template: str, prov: tuple[str, str], place: tuple[str, str],
          temple: tuple[str, str], company: tuple[str, str]) -> str:
    return (template.replace("{Pe}", prov[1]).replace("{P}", prov[0])
            .replace("{Se}", place[1]).replace("{S}", place[0])
            .replace("{Te}", temple[1]).replace("{T}", temple[0])
            .replace("{Ce}", company[1]).replace("{C}", company[0]))


def add_province(s: Sample, code: str) -> None:
    """Add a province's 20–30 organisations (its culture office first, as hub), its ties (the hub
    to 6–9 members, each sector tied within itself, two cross-sector ties) and its events."""
    info = province(code)
    assert info is not None
    prov = (info.name_th, info.name_en)
    places = list(voc.PROVINCE_PLACES[code])
    size = s.rng.randint(20, 30)
    missing = voc.PROVINCE_MISSING.get(code)
    templates = [t for t in voc.PROVINCE_TEMPLATES if t[0] != missing]
    forced = voc.PROVINCE_FORCED.get(code, ())
    chosen = [t for t in templates if t[4] in ("hub", "core") or t[2] in forced]
    optional = [t for t in templates if t[4] == "once" and t[2] not in forced]
    repeatable = [t for t in templates if t[4] == "place"]
    chosen += s.rng.sample(optional, s.rng.randint(2, len(optional)))
    used: set[tuple[str, str]] = set()
    counters: dict[str, int] = {}
    rows = []
    while len(rows) < size:
        if chosen:
            tpl, place = chosen.pop(0), places[0]
        else:
            tpl, place = s.rng.choice(repeatable), s.rng.choice(places)
        temple = s.rng.choice(voc.TEMPLE_SUFFIXES)
        company = s.rng.choice(voc.COMPANY_WORDS)
        name_th = _fill(tpl[2], prov, place, temple, company)
        if (tpl[2], place[0]) in used and "{S}" in tpl[2] or name_th in {r[2] for r in rows}:
            continue
        used.add((tpl[2], place[0]))
        rows.append((tpl[0], tpl[1], name_th, _fill(tpl[3], prov, place, temple, company),
                     tpl[4]))
    n_candidates = s.rng.randint(1, 2)
    candidate_rows = set(s.rng.sample(range(len(rows) - 8, len(rows)), n_candidates))
    for i, (sector, org_type, name_th, name_en, kind) in enumerate(rows):
        counters[sector] = counters.get(sector, 0) + 1
        tag = "hub" if kind == "hub" else "candidate" if i in candidate_rows else ""
        s.add_org(f"{code.replace('-', '')}-{sector}-{counters[sector]:03d}", sector, name_th,
                  name_en, org_type, "", code, tag)
    hub = s.ids(code, "GOV")[0]
    members = [o for o in s.ids(code) if o != hub]
    for o in s.rng.sample(members, min(len(members), s.rng.randint(6, 9))):
        s.tie(hub, o)
    for sec in ("GOV", "BIZ", "EDU", "REL", "MED", "CIV"):
        s.within_sector([o for o in members if s.sector_of(o) == sec], 1)
    for _ in range(2):
        a, b = s.rng.sample(members, 2)
        if s.sector_of(a) != s.sector_of(b):
            s.tie(a, b)
    province_events(s, code, hub)


def add_national_bodies(s: Sample, provinces: tuple[str, ...]) -> None:
    """Add the national bodies, their ties to the provinces' culture offices, Buddhism offices,
    temples, schools and cultural councils, and the national assembly."""
    for org_id, sector, name_th, name_en, org_type, aliases in voc.NATIONAL_BODIES:
        s.add_org(org_id, sector, name_th, name_en, org_type, aliases, "", "")
    hubs = [s.ids(code, "GOV")[0] for code in provinces]
    buddhism = [next(o for o in s.ids(code, "GOV") if "พระพุทธศาสนา" in _name(s, o))
                for code in provinces]
    for h in hubs:
        s.tie("NAT-GOV-001", h, "mou")
    for b in buddhism:
        s.tie("NAT-GOV-002", b, "co_host")
    for t in s.rng.sample(s.ids(provinces[0], "REL"), 2):
        s.tie("NAT-GOV-002", t, "in_kind_support")
    for h in s.rng.sample(hubs, 5):
        s.tie("NAT-GOV-003", h, "joint_project")
    schools = [o for code in provinces for o in s.ids(code, "EDU")
               if _name(s, o).startswith("โรงเรียน")]
    for o in s.rng.sample(schools, 6):
        s.tie("NAT-EDU-001", o, "funding")
    councils = [o for code in provinces for o in s.ids(code, "CIV")
                if _name(s, o).startswith("สภาวัฒนธรรม")]
    for o in s.rng.sample(councils, 4):
        s.tie("NAT-CIV-001", o, "mentoring")
    s.tie("NAT-GOV-001", "NAT-GOV-003", "mou")
    s.tie("NAT-GOV-001", "NAT-GOV-002", "joint_project")
    national_events(s, hubs)


def _name(s: Sample, org_id: str) -> str:
    return next(o["name_th"] for o in s.orgs if o["org_id"] == org_id)
