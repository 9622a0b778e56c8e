"""Generate the bundled sample data: ``python -m ingest.sample.generate [--out DIR] [--seed N]``.

The tables are built by :func:`generate_tables` from a seeded :class:`random.Random` and the
hand-written names of :mod:`ingest.sample.vocabulary`; :func:`write_sample` writes them as the four
clean CSV files, one XLSX workbook with the same four sheets, and the raw sign-in sheets of
:mod:`ingest.sample.signin`. The same seed gives byte-identical files.

Designed features (see ``files/README.md``): Rayong's provincial culture office is the hub and the
top broker between sectors; a temple (schools and communities), a radio station (civil society and
business), a company (schools) and two provincial offices (schools; temples) broker too; most ties
stay within a sector; a few members have no ties at all; ten candidates have no collaborations;
Rayong's mass media (MED) are thin and have no tie to religion (REL).
"""

from __future__ import annotations

import argparse
import random
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from ingest.sample import vocabulary as voc
from ingest.sample.events import rayong_events
from ingest.sample.provinces import add_national_bodies, add_province
from ingest.sample.signin import write_signin_sheets
from ingest.sample.workbook import write_workbook

__all__ = ["DEFAULT_SEED", "OTHER_PROVINCES", "RAYONG", "generate_tables", "main", "write_sample"]

DEFAULT_SEED = 2567
RAYONG = "TH-21"
OTHER_PROVINCES = ("TH-20", "TH-22", "TH-24", "TH-40", "TH-50", "TH-80", "TH-90")

#: Columns written to the clean files (TABLES minus derived columns, plus ``fictional``).
COLUMNS = {
    "organisations": ["org_id", "name_th", "name_en", "sector", "province_code", "org_type",
                      "aliases", "status", "joined_date", "fictional"],
    "events": ["event_id", "title_th", "title_en", "event_type", "province_code", "start_date"],
    "attendance": ["event_id", "org_id", "role", "delegates"],
    "collaborations": ["org_a_id", "org_b_id", "collab_type", "weight", "start_date", "end_date"],
}  # fmt: skip

#: Collaboration types likely between two sectors (sorted pair), first ones likelier.
_TYPES = {
    ("GOV", "GOV"): ("mou", "joint_project", "referral", "co_host"),
    ("EDU", "EDU"): ("joint_project", "mentoring", "referral", "co_host"),
    ("REL", "REL"): ("co_host", "joint_project", "in_kind_support"),
    ("BIZ", "BIZ"): ("joint_project", "referral", "in_kind_support"),
    ("CIV", "CIV"): ("joint_project", "referral", "in_kind_support", "co_host"),
    ("MED", "MED"): ("joint_project", "referral"),
    ("EDU", "GOV"): ("mou", "funding", "joint_project"),
    ("GOV", "REL"): ("co_host", "mou", "in_kind_support"),
    ("CIV", "GOV"): ("funding", "joint_project", "co_host"),
    ("BIZ", "GOV"): ("mou", "joint_project", "funding"),
    ("GOV", "MED"): ("media_coverage", "mou"),
    ("EDU", "REL"): ("mentoring", "in_kind_support", "co_host"),
    ("CIV", "REL"): ("co_host", "in_kind_support", "joint_project"),
    ("BIZ", "EDU"): ("funding", "in_kind_support", "mentoring"),
    ("BIZ", "CIV"): ("funding", "in_kind_support"),
    ("CIV", "MED"): ("media_coverage", "joint_project"),
    ("BIZ", "MED"): ("media_coverage",),
    ("CIV", "EDU"): ("joint_project", "referral"),
}  # fmt: skip
_FIRST = date(2020, 10, 1)   # collaborations start from FY2564 …
_LAST = date(2024, 9, 30)    # … to the end of FY2567


class _Sample:
    """The tables under construction, and the random source they are drawn with."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.orgs: list[dict[str, str]] = []
        self.tags: dict[str, str] = {}
        self.events: list[dict[str, str]] = []
        self.attendance: list[dict[str, object]] = []
        self.collabs: dict[tuple[str, str, str], dict[str, object]] = {}
        self.pairs: set[tuple[str, str]] = set()

    # -- organisations --------------------------------------------------------------------
    def add_org(self, org_id: str, sector: str, name_th: str, name_en: str, org_type: str,
                aliases: str, province_code: str, tag: str) -> None:
        status = "candidate" if tag == "candidate" else "member"
        joined = "" if status == "candidate" else self.random_date(date(2017, 1, 1),
                                                                  date(2024, 6, 30))
        if tag == "hub":
            joined = "2016-10-01"
        self.orgs.append({
            "org_id": org_id, "name_th": name_th, "name_en": name_en, "sector": sector,
            "province_code": province_code, "org_type": org_type, "aliases": aliases,
            "status": status, "joined_date": joined, "fictional": "true",
        })
        self.tags[org_id] = tag

    def ids(self, province_code: str | None, sector: str | None = None, *,
            members_only: bool = True, active_only: bool = True) -> list[str]:
        """Organisation ids in a province (``None``: national bodies), in creation order."""
        out = []
        for o in self.orgs:
            if (o["province_code"] or None) != province_code:
                continue
            if sector and o["sector"] != sector:
                continue
            tag = self.tags[o["org_id"]]
            if members_only and tag == "candidate":
                continue
            if active_only and tag == "isolate":
                continue
            out.append(o["org_id"])
        return out

    def sector_of(self, org_id: str) -> str:
        return org_id.split("-")[1]

    # -- dates and ties -------------------------------------------------------------------
    def random_date(self, lo: date, hi: date) -> str:
        return (lo + timedelta(days=self.rng.randint(0, (hi - lo).days))).isoformat()

    def tie(self, a: str, b: str, collab_type: str | None = None, *,
            weight: float | None = None) -> bool:
        """Add a collaboration between ``a`` and ``b`` unless the pair already has one of that
        type. Returns whether one was added."""
        if a == b:
            return False
        a, b = sorted((a, b))
        sectors = tuple(sorted((self.sector_of(a), self.sector_of(b))))
        if collab_type is None:
            choices = _TYPES.get(sectors, ("joint_project", "referral"))
            collab_type = self.rng.choices(choices, weights=range(len(choices) + 1, 1, -1))[0]
        if (a, b, collab_type) in self.collabs:
            return False
        r = self.rng.random()
        start = "" if r < 0.08 else self.random_date(_FIRST, _LAST)
        end = ""
        lasting = collab_type in ("mou", "joint_project", "funding", "co_host")
        if start and self.rng.random() < (0.85 if lasting else 0.5):
            end = (date.fromisoformat(start) + timedelta(days=365 * self.rng.randint(1, 3))
                   - timedelta(days=1)).isoformat()
        if weight is None and self.rng.random() < 0.1:
            weight = self.rng.choice((0.5, 1.0, 2.0, 4.0, 5.0))
        self.collabs[(a, b, collab_type)] = {
            "org_a_id": a, "org_b_id": b, "collab_type": collab_type,
            "weight": float("nan") if weight is None else float(weight),
            "start_date": start, "end_date": end,
        }
        self.pairs.add((a, b))
        return True

    def has_pair(self, a: str, b: str) -> bool:
        return tuple(sorted((a, b))) in self.pairs

    def within_sector(self, members: list[str], extra: int, leader: str | None = None) -> None:
        """Tie a sector's members into one component (each to an earlier one, the leader
        preferred), then add ``extra`` random ties among them."""
        if len(members) < 2:
            return
        ordered = ([leader] if leader in members else []) + [m for m in members if m != leader]
        for i, m in enumerate(ordered[1:], start=1):
            weights = [6.0 if j == 0 and leader else 1.0 for j in range(i)]
            self.tie(m, self.rng.choices(ordered[:i], weights=weights)[0])
        for _ in range(extra):
            a, b = self.rng.sample(ordered, 2)
            if not self.has_pair(a, b):
                self.tie(a, b)


# -- Rayong ---------------------------------------------------------------------------------
def _rayong(s: _Sample) -> None:
    counters: dict[str, int] = {}
    for sector, name_th, name_en, org_type, aliases, tag in voc.RAYONG_ORGS:
        counters[sector] = counters.get(sector, 0) + 1
        s.add_org(f"TH21-{sector}-{counters[sector]:03d}", sector, name_th, name_en, org_type,
                  aliases, RAYONG, tag)
    by_tag = {tag: oid for oid, tag in s.tags.items() if oid.startswith("TH21") and tag}
    hub = by_tag["hub"]
    leaders = {s.sector_of(oid): oid for oid, tag in s.tags.items()
               if oid.startswith("TH21") and tag == "leader"}
    pool = {sec: [o for o in s.ids(RAYONG, sec) if o != hub] for sec in
            ("GOV", "BIZ", "EDU", "REL", "MED", "CIV")}

    # The hub: strong ties into every sector (all six), most into government and schools.
    reach = {"GOV": 8, "EDU": 6, "REL": 5, "CIV": 5, "BIZ": 4, "MED": 2}
    for sec, k in reach.items():
        chosen = [leaders[sec]] if sec in leaders else []
        chosen += s.rng.sample([o for o in pool[sec] if o not in chosen], k - len(chosen))
        for o in chosen:
            s.tie(hub, o, s.rng.choice(("mou", "co_host")) if sec != "MED" else "media_coverage")

    # Homophily: each sector tied within itself; mass media thin.
    extra = {"GOV": 5, "EDU": 5, "REL": 4, "BIZ": 4, "CIV": 5, "MED": 0}
    for sec, members in pool.items():
        if sec == "MED":  # the radio station is the other media's only way in
            for other in members[1:]:
                s.tie(members[0], other)
            continue
        s.within_sector(members, extra[sec], leaders.get(sec))

    # Brokers: a provincial office, a company, a temple and a radio station reach across.
    for oid, tag in list(s.tags.items()):
        if not (oid.startswith("TH21") and tag.startswith("broker:")):
            continue
        for sec in tag.split(":")[1].split(","):
            # partners the hub does not reach, with strong ties: paths run through the broker
            k = {"EDU": 5, "REL": 4, "CIV": 4, "BIZ": 2}[sec]
            unreached = [o for o in pool[sec] if not s.has_pair(hub, o)]
            for o in s.rng.sample(unreached, k):
                s.tie(oid, o, s.rng.choice(("joint_project", "co_host", "mou")))
    radio = next(o for o in pool["MED"] if s.tags[o].startswith("broker"))
    s.tie(radio, "TH21-GOV-006", "media_coverage")  # the public relations office

    # A little cross-sector noise, never between religion and mass media.
    others = [o for sec in ("GOV", "BIZ", "EDU", "REL", "CIV") for o in pool[sec]]
    added = 0
    while added < 5:
        a, b = s.rng.sample(others, 2)
        if s.sector_of(a) != s.sector_of(b) and not s.has_pair(a, b):
            added += s.tie(a, b)

    rayong_events(s, hub)


# -- assembling and writing ------------------------------------------------------------------
def _build(seed: int) -> _Sample:
    s = _Sample(seed)
    _rayong(s)
    for code in OTHER_PROVINCES:
        add_province(s, code)
    add_national_bodies(s, (RAYONG, *OTHER_PROVINCES))
    _joined_before_first_activity(s)
    return s


def _joined_before_first_activity(s: _Sample) -> None:
    """A member joined the network no later than its first event or collaboration."""
    first: dict[str, str] = {}
    dates = {e["event_id"]: e["start_date"] for e in s.events}
    for a in s.attendance:
        oid, day = str(a["org_id"]), dates[str(a["event_id"])]
        first[oid] = min(first.get(oid, day), day)
    for c in s.collabs.values():
        if c["start_date"]:
            for oid in (str(c["org_a_id"]), str(c["org_b_id"])):
                first[oid] = min(first.get(oid, str(c["start_date"])), str(c["start_date"]))
    for o in s.orgs:
        if o["joined_date"] and o["org_id"] in first:
            o["joined_date"] = min(o["joined_date"], first[o["org_id"]])


def generate_tables(seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    """The four sample tables as written to the clean files, in load order.

    Parameters
    ----------
    seed : int
        Seed of the one :class:`random.Random` every choice is drawn from; the bundled files use
        :data:`DEFAULT_SEED`.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``organisations``, ``events``, ``attendance``, ``collaborations`` with the columns of
        :data:`COLUMNS`. Every value is a string (``""`` when blank) except
        ``attendance.delegates`` (int) and ``collaborations.weight`` (float, NaN when blank).
        Rows are sorted by key, so the result depends on ``seed`` only. The derived columns
        (``match_key``, ``fiscal_year_be``) are left to ingest.

    References
    ----------
    P. S. Efraimidis and P. G. Spirakis, "Weighted random sampling with a reservoir",
    Information Processing Letters 97(5), 181-185, 2006 (how attendance is drawn).

    Examples
    --------
    >>> t = generate_tables()
    >>> orgs = t["organisations"]
    >>> int((orgs["province_code"] == "TH-21").sum()), sorted(orgs["sector"].unique())
    (120, ['BIZ', 'CIV', 'EDU', 'GOV', 'MED', 'REL'])
    """
    return _tables(_build(seed))


def _tables(s: _Sample) -> dict[str, pd.DataFrame]:
    orgs = pd.DataFrame(s.orgs, columns=COLUMNS["organisations"]).sort_values("org_id")
    events = pd.DataFrame(s.events, columns=COLUMNS["events"]).sort_values("event_id")
    att = pd.DataFrame(s.attendance, columns=COLUMNS["attendance"])
    att = att.sort_values(["event_id", "org_id"]).astype({"delegates": int})
    collabs = pd.DataFrame(list(s.collabs.values()), columns=COLUMNS["collaborations"])
    collabs = collabs.sort_values(["org_a_id", "org_b_id", "collab_type"])
    tables = {"organisations": orgs, "events": events, "attendance": att,
              "collaborations": collabs}
    return {name: df.reset_index(drop=True) for name, df in tables.items()}


def write_sample(out: Path, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write the sample files into ``out``: the four clean CSVs (UTF-8, ``\\n`` line ends),
    ``sample.xlsx``, ``raw/`` (the two messy sign-in sheets) and ``expected/`` (their answer key).

    The same ``seed`` writes the same bytes. ``files/README.md`` is written by hand, not here.

    Returns
    -------
    list of pathlib.Path
        The files written.
    """
    out.mkdir(parents=True, exist_ok=True)
    s = _build(seed)
    tables = _tables(s)
    written = []
    for name, df in tables.items():
        path = out / f"{name}.csv"
        df.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
        written.append(path)
    written.append(write_workbook(tables, out / "sample.xlsx"))
    written += write_signin_sheets(tables, out, random.Random(seed + 1))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest.sample.generate",
                                     description="Write graphsvc's fictional sample data.")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "files",
                        help="directory to write into (default: the bundled files)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    args = parser.parse_args(argv)
    for path in write_sample(args.out, args.seed):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
