"""The sample under construction: its tables and the seeded random source they are drawn with.

Its own module so that the builders (:mod:`.events`, :mod:`.provinces`) and the driver
(:mod:`.generate`) all import it, and none imports another in a circle.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

__all__ = ["Sample"]

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


class Sample:
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
