"""Seek more networks, cached: tie and recruit recommendations, sector gaps, what-if.

A mixin of :class:`graphsvc.service.analyses.Analyses`; the work is done by
:mod:`graphsvc.analysis.seek`.
"""

from __future__ import annotations

from typing import Any

from graphsvc.errors import UnknownOrganisation
from graphsvc.model.records import GraphFilter, Organisation
from graphsvc.service.plain import ALL, clean

__all__ = ["CROSS_BOOST", "RECOMMENDER_SEED", "Seeking"]

#: Seed of the tie recommender (its learned model and communities).
RECOMMENDER_SEED = 0
#: Score multiplier for recommended ties that cross sectors or communities (opens the network).
CROSS_BOOST = 1.25


class Seeking:
    """Recommendations over the cached graphs (needs ``cached``, ``graph``, ``sectors``)."""

    def tie_recommender(self, flt: GraphFilter, method: str) -> Any:
        """A fitted :class:`~graphsvc.analysis.seek.TieRecommender` per (filter, method)."""
        from graphsvc.analysis.seek import TieRecommender

        method = "learned" if method == "default" else method
        return self.cached("tie_recommender", (flt, method), lambda: TieRecommender(
            self.graph(flt), method=method, seed=RECOMMENDER_SEED, sectors=self.sectors()))

    def tie_recommendations(self, flt: GraphFilter, *, org: str | None = None, top: int = 20,
                            method: str = "default", lang: str = "th") -> list[dict[str, Any]]:
        """New ties, best first, as plain dicts (source, target, score, reasons, names…)."""
        rec = self.tie_recommender(flt, method)
        found = rec.recommend(org, top=top, province=flt.province if org is None else None,
                              cross_boost=CROSS_BOOST, lang=lang)
        return [clean(r.as_dict()) for r in found]

    def tie_recommendations_for(self, org: Organisation, *, top: int = 10,
                                lang: str = "th") -> list[dict[str, Any]]:
        """The introductions ``org`` could make: its best new ties within its province."""
        flt = GraphFilter(province=org.province_code) if org.province_code else ALL
        if org.org_id not in self.graph(flt):
            return []
        rows = self.tie_recommendations(flt, org=org.org_id, top=top, lang=lang)
        for r in rows:
            mine = r["source"] == org.org_id
            r["other"] = r["target"] if mine else r["source"]
            r["other_name"] = r["target_name"] if mine else r["source_name"]
        return rows

    def sector_gaps(self, province: str, lang: str = "th") -> dict[str, Any]:
        """Missing and thin sectors, unlinked sector pairs and who could close each gap."""
        from graphsvc.analysis.seek.gaps import sector_gaps

        def compute() -> dict[str, Any]:
            G = self.graph(GraphFilter(province=province))
            return clean(sector_gaps(G, province, lang=lang, sectors=self.sectors())[0])

        return self.cached("sector_gaps", (province, lang), compute)

    def sector_gap_view(self, province: str, lang: str) -> dict[str, Any]:
        """The gaps as the province page shows them."""
        gaps = self.sector_gaps(province, lang)
        return {
            "missing": [r["sector"] for r in gaps.get("missing", [])],
            "thin": [r["sector"] for r in gaps.get("thin", [])],
            "pairs": [{"a": u["sectors"][0], "b": u["sectors"][1],
                       "closers": [b["name"] for b in u.get("brokers", [])]}
                      for u in gaps.get("unlinked", [])],
        }

    def recruit_recommendations(self, flt: GraphFilter, *, top: int = 20,
                                lang: str = "th") -> list[dict[str, Any]]:
        """Candidates ranked by what they would add, with reasons and introducers' names."""
        from graphsvc.analysis.seek.recruit import recommend_recruits

        def compute() -> list[dict[str, Any]]:
            G = self.graph(flt)
            found = recommend_recruits(G, province=flt.province, top=top, lang=lang,
                                       seed=RECOMMENDER_SEED, sectors=self.sectors())
            rows = []
            for r in found:
                row = clean(r.as_dict())
                row["introducer_ids"] = row.pop("introducers")
                row["introducers"] = [G.nodes[m].get("name", m) for m in r.introducers]
                rows.append(row)
            return rows

        return self.cached("recruits", (flt, top, lang), compute)

    def whatif(self, flt: GraphFilter, *, ties: tuple[tuple[str, str], ...],
               recruits: tuple[tuple[str, tuple[str, ...]], ...],
               weight: float = 1.0) -> dict[str, Any]:
        """Before/after metrics of a proposal. A recruit without partners gets its likely ties
        (the members best placed to introduce it)."""
        from graphsvc.analysis.seek.recruit import recommend_recruits
        from graphsvc.analysis.seek.whatif import what_if

        def compute() -> dict[str, Any]:
            G = self.graph(flt)
            proposal: dict[str, list[str]] = {}
            for org_id, partners in recruits:
                if org_id not in G:
                    raise UnknownOrganisation(org_id)
                if not partners:
                    likely = recommend_recruits(G, candidates=[org_id], top=1,
                                                seed=RECOMMENDER_SEED)
                    partners = tuple(likely[0].likely_ties) if likely else ()
                proposal[org_id] = list(partners)
            result = what_if(G, ties=list(ties), recruits=proposal, weight=weight,
                             seed=RECOMMENDER_SEED)
            result["recruits"] = [{"org_id": c, "partners": ms} for c, ms in proposal.items()]
            return clean(result)

        return self.cached("whatif", (flt, ties, recruits, weight), compute)
