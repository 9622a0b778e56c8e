"""Generate the bundled sample data: ``python -m tools.sample_data.generate [--out DIR] [--seed
N]``.

The tables are built by :func:`generate_tables` from a seeded :class:`random.Random` and the
hand-written names of :mod:`tools.sample_data.vocabulary`; :func:`write_sample` writes them as the
four clean CSV files, one XLSX workbook with the same four sheets, and the raw sign-in sheets of
:mod:`tools.sample_data.signin`. The same seed gives byte-identical files.

Designed features (see ``ingest/sample/files/README.md``): Rayong's provincial culture office is the
hub and the top broker between sectors; a temple (schools and communities), a radio station (civil
society and business), a company (schools) and two provincial offices (schools; temples) broker too;
most ties stay within a sector; a few members have no ties at all; ten candidates have no
collaborations; Rayong's mass media (MED) are thin and have no tie to religion (REL).
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

import pandas as pd

from ingest.sample import FILES_DIR
from tools.sample_data import vocabulary as voc
from tools.sample_data.events import rayong_events
from tools.sample_data.provinces import add_national_bodies, add_province
from tools.sample_data.signin import write_signin_sheets
from tools.sample_data.state import Sample
from tools.sample_data.workbook import write_workbook

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

# -- Rayong ---------------------------------------------------------------------------------
def _rayong(s: Sample) -> None:
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
def _build(seed: int) -> Sample:
    s = Sample(seed)
    _rayong(s)
    for code in OTHER_PROVINCES:
        add_province(s, code)
    add_national_bodies(s, (RAYONG, *OTHER_PROVINCES))
    _joined_before_first_activity(s)
    return s


def _joined_before_first_activity(s: Sample) -> None:
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


def _tables(s: Sample) -> dict[str, pd.DataFrame]:
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
    parser = argparse.ArgumentParser(prog="python -m tools.sample_data.generate",
                                     description="Write graphsvc's fictional sample data.")
    parser.add_argument("--out", type=Path, default=FILES_DIR,
                        help="directory to write into (default: the bundled files)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    args = parser.parse_args(argv)
    for path in write_sample(args.out, args.seed):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
