"""The cached analyses the routes serve: store → graph → analysis, once per store revision.

:class:`Analyses` is built per request (see :mod:`graphsvc.api.deps`) with the revision read at
the start of the request; every result is cached under ``(revision, name, parameters)`` in the
app's :class:`~graphsvc.api.cache.ResultCache`. Analysis stays in :mod:`graphsvc.analysis`:
this module only asks the store for a graph, hands it to analysis and shapes plain data.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

import networkx as nx

from graphsvc.api.cache import ResultCache
from graphsvc.config import Settings
from graphsvc.errors import NotFound, UnknownOrganisation
from graphsvc.model.records import GraphFilter, Organisation
from graphsvc.model.text import thai_sort_key
from graphsvc.store import GraphStore

__all__ = ["Analyses", "BETWEENNESS_SAMPLE_K", "BETWEENNESS_SEED", "organisation_json"]

T = TypeVar("T")

#: Pivots and seed of sampled betweenness on graphs above ``settings.exact_betweenness_max``.
BETWEENNESS_SAMPLE_K = 256
BETWEENNESS_SEED = 42
#: Seed of the tie recommender (its learned model and communities).
RECOMMENDER_SEED = 0
#: Score multiplier for recommended ties that cross sectors or communities (opens the network).
CROSS_BOOST = 1.25
#: Seed of map layouts (the same data always gives the same picture).
LAYOUT_SEED = 0
#: Recommended ties drawn dashed on a map with ``recommended=1``.
MAP_RECOMMENDED_TIES = 15
ALL = GraphFilter()


def organisation_json(org: Organisation) -> dict[str, Any]:
    """An :class:`Organisation` as the plain dict of ``schemas.OrganisationOut``."""
    return {
        "org_id": org.org_id, "name": org.name, "name_th": org.name_th, "name_en": org.name_en,
        "sector": org.sector, "province_code": org.province_code, "org_type": org.org_type,
        "aliases": list(org.aliases), "status": org.status,
        "joined_date": org.joined_date.isoformat() if org.joined_date else None,
    }


def clean(value: Any) -> Any:
    """Plain JSON-ready data: NaN/inf → None, numpy scalars → Python, tuples → lists."""
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [clean(v) for v in value]
    if hasattr(value, "item") and callable(value.item) and not isinstance(value, (str, bytes)):
        try:
            value = value.item()
        except (ValueError, TypeError):
            return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


@dataclass
class Analyses:
    """Cached analyses over one store at one revision."""

    store: GraphStore
    cache: ResultCache
    settings: Settings
    revision: int

    def cached(self, name: str, params: Hashable, compute: Callable[[], T]) -> T:
        """``compute()`` once per (revision, name, params)."""
        return self.cache.get_or_compute((self.revision, name, params), compute)

    # -- the graph ---------------------------------------------------------------------------
    def graph(self, flt: GraphFilter = ALL) -> nx.Graph:
        """The organisation graph of the filtered records (shared: never mutate it)."""
        return self.cached("graph", flt, lambda: self.store.load_graph(flt))

    def betweenness_options(self, G: nx.Graph) -> dict[str, Any]:
        """Exact betweenness up to ``exact_betweenness_max`` nodes, sampled (seeded) beyond."""
        if G.number_of_nodes() <= self.settings.exact_betweenness_max:
            return {"method": "exact", "k": None, "seed": None}
        return {"method": "sampled", "k": BETWEENNESS_SAMPLE_K, "seed": BETWEENNESS_SEED}

    # -- organisations -----------------------------------------------------------------------
    def search(self, q: str | None, *, province: str | None = None, sector: str | None = None,
               status: str | None = None) -> list[dict[str, Any]]:
        """Every organisation matching (cached per revision; routes slice pages from it)."""
        key = (q or None, province, sector, status)

        def compute() -> list[dict[str, Any]]:
            found = self.store.search_organisations(
                q or None, province=province, sector=sector, status=status,
                limit=10_000_000, offset=0)
            return [organisation_json(o) for o in found]

        return self.cached("search", key, compute)

    def neighbours(self, org_id: str, flt: GraphFilter = ALL) -> list[dict[str, Any]]:
        G = self.graph(flt)
        if org_id not in G:
            return []
        rows = []
        for nb, data in G[org_id].items():
            node = G.nodes[nb]
            rows.append({
                "org_id": nb, "name": node.get("name", nb), "sector": node.get("sector"),
                "weight": float(data.get("weight", 1.0)),
                "collab_types": [t for t in str(data.get("collab_types", "")).split("|") if t],
                "n_events": int(data.get("n_events", 0)),
            })
        rows.sort(key=lambda r: (-r["weight"], thai_sort_key(r["name"])))
        return rows

    def province_counts(self) -> dict[str, dict[str, int]]:
        """Members and candidates per province code (provinces with organisations only)."""

        def compute() -> dict[str, dict[str, int]]:
            counts: dict[str, dict[str, int]] = {}
            for org in self.search(None):
                code = org["province_code"]
                if not code:
                    continue
                row = counts.setdefault(code, {"members": 0, "candidates": 0})
                row["candidates" if org["status"] == "candidate" else "members"] += 1
            return counts

        return self.cached("province_counts", None, compute)

    def organisation_detail(self, org: Organisation) -> dict[str, Any]:
        """An organisation with its metrics row (within its province), neighbours, community."""
        flt = GraphFilter(province=org.province_code) if org.province_code else ALL
        metrics: dict[str, Any] = {}
        community = None
        if org.org_id in self.graph(flt):
            rows, _ = self.metrics(flt)
            for row in rows:
                if row.get("org_id") == org.org_id:
                    metrics = {k: v for k, v in row.items()
                               if k not in {"org_id", "name", "sector", "province", "community"}
                               and isinstance(v, (int, float))}
                    community = row.get("community")
                    break
        return {"organisation": organisation_json(org), "metrics": metrics,
                "community": community, "neighbours": self.neighbours(org.org_id, flt)}

    # -- seek more networks ------------------------------------------------------------------
    def sectors(self) -> list[Any]:
        return self.cached("sectors", None, self.store.sectors)

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

    # -- metrics and the network as a whole ------------------------------------------------
    def summarised(self, flt: GraphFilter = ALL) -> tuple[Any, dict[str, Any]]:
        """``(metrics DataFrame, summary dict)`` of :func:`graphsvc.analysis.summarise`, computed
        once per (revision, filter). Betweenness is exact up to ``exact_betweenness_max``
        organisations and sampled (``k``, ``seed``) beyond, so a large graph answers in bounded
        time."""
        from graphsvc.analysis import summarise

        def compute() -> tuple[Any, dict[str, Any]]:
            df, summary = summarise(self.graph(flt), exact_max=self.settings.exact_betweenness_max,
                                    k=BETWEENNESS_SAMPLE_K, seed=BETWEENNESS_SEED)
            return df, clean(summary)

        return self.cached("summarise", flt, compute)

    def betweenness_note(self, flt: GraphFilter = ALL) -> dict[str, Any]:
        df, _ = self.summarised(flt)
        method = str(df.attrs.get("betweenness_method", "exact"))
        if method.startswith("sampled"):
            return {"method": "sampled", "k": BETWEENNESS_SAMPLE_K, "seed": BETWEENNESS_SEED}
        return {"method": "exact", "k": None, "seed": None}

    def metrics(self, flt: GraphFilter = ALL) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """The metrics table as rows, and how betweenness was computed."""
        def compute() -> list[dict[str, Any]]:
            df, _ = self.summarised(flt)
            return clean(df.to_dict(orient="records"))

        return self.cached("metric_rows", flt, compute), self.betweenness_note(flt)

    def summary(self, flt: GraphFilter = ALL) -> dict[str, Any]:
        """Size, density, components, distances, sector mixing, E–I index, coverage, …"""
        return {**self.summarised(flt)[1], "betweenness": self.betweenness_note(flt),
                "revision": self.revision}

    def communities(self, flt: GraphFilter = ALL) -> dict[str, Any]:
        """Louvain communities: count, modularity, labels (central members, sector mix) and
        each organisation's community."""
        def compute() -> dict[str, Any]:
            df, summary = self.summarised(flt)
            members: dict[int, list[str]] = {}
            for org_id, label in zip(df["org_id"], df["community"], strict=True):
                members.setdefault(int(label), []).append(str(org_id))
            return {"communities": summary.get("communities"),
                    "modularity": summary.get("modularity"),
                    "labels": summary.get("community_labels", []),
                    "members": [{"community": c, "org_ids": ids}
                                for c, ids in sorted(members.items())],
                    "seed": BETWEENNESS_SEED}

        return self.cached("communities", flt, compute)

    def brokers(self, flt: GraphFilter = ALL, top: int = 20) -> dict[str, Any]:
        """The top organisations by betweenness with their brokerage roles, and the cut-points
        (organisations whose departure would cut others off)."""
        from graphsvc.analysis import BROKERAGE_ROLES

        def compute() -> dict[str, Any]:
            df, summary = self.summarised(flt)
            cols = ["org_id", "name", "sector", "province", "betweenness", "brokerage",
                    *BROKERAGE_ROLES, "cross_sector_share", "constraint", "effective_size",
                    "cut_off"]
            best = df.sort_values(["betweenness", "org_id"], ascending=[False, True]).head(top)
            cuts = df[df["cut_off"] > 0].sort_values(["cut_off", "org_id"],
                                                     ascending=[False, True]).head(top)
            return {"brokers": clean(best[cols].to_dict(orient="records")),
                    "cut_points": clean(cuts[["org_id", "name", "sector", "cut_off"]]
                                        .to_dict(orient="records")),
                    "bridges": summary.get("bridges"),
                    "roles": list(BROKERAGE_ROLES),
                    "betweenness": self.betweenness_note(flt)}

        return self.cached("brokers", (flt, top), compute)

    def broker_view(self, flt: GraphFilter, *, top: int, lang: str) -> list[dict[str, Any]]:
        """Top brokers as the province page lists them, with a short note on their roles."""
        rows = self.brokers(flt, top)["brokers"]
        out = []
        for r in rows:
            parts = []
            if r.get("brokerage"):
                share = round(100 * (r.get("cross_sector_share") or 0))
                parts.append(f"{r['brokerage']} brokerage ({share}% across sectors)"
                             if lang == "en" else
                             f"เป็นตัวกลาง {r['brokerage']} ครั้ง ({share}% ข้ามภาค)")
            if r.get("cut_off"):
                parts.append(f"{r['cut_off']} cut off if it left" if lang == "en" else
                             f"หากขาดไป {r['cut_off']} หน่วยงานจะถูกตัดขาด")
            out.append({**r, "note": "; ".join(parts)})
        return out

    # -- maps and charts ---------------------------------------------------------------------
    def network_map(self, flt: GraphFilter, *, color: str, size: str, highlight: str | None,
                    recommended: bool, embed: bool, lang: str) -> str:
        """The self-contained map page of the selection (cached per revision and options)."""
        from graphsvc.viz import network_map

        key = (flt, color, size, highlight, recommended, embed, lang)

        def compute() -> str:
            G = self.graph(flt)
            df, _ = self.summarised(flt)
            ties = (self.tie_recommendations(flt, top=MAP_RECOMMENDED_TIES, lang=lang)
                    if recommended and G.number_of_edges() else [])
            return network_map(G, color_by=color, size_by=size if len(df) else None,
                               metrics=df, highlight=highlight, proposed_ties=ties,
                               sectors=self.sectors(), lang=lang, embed=embed,
                               seed=LAYOUT_SEED).html

        return self.cached("network_map", key, compute)

    def ego_map(self, org_id: str, *, radius: int, embed: bool, lang: str) -> str:
        """The organisations within ``radius`` ties of ``org_id`` in the whole network."""
        from graphsvc.viz import ego_map

        def compute() -> str:
            df, _ = self.summarised(ALL)
            return ego_map(self.graph(ALL), org_id, radius, metrics=df, size_by="pagerank",
                           sectors=self.sectors(), lang=lang, embed=embed,
                           seed=LAYOUT_SEED).html

        return self.cached("ego_map", (org_id, radius, embed, lang), compute)

    def growth(self, flt: GraphFilter) -> Any:
        """Active organisations, ties and events per fiscal year of the selection."""
        import pandas as pd

        def compute() -> Any:
            events = self.store.read_records(flt).events
            years = sorted({int(y) for y in events["fiscal_year_be"].dropna()})
            rows = []
            for fy in years:
                G = self.graph(GraphFilter(province=flt.province, sectors=flt.sectors,
                                           fy_from=fy, fy_to=fy, statuses=flt.statuses))
                rows.append({"fiscal_year_be": fy,
                             "organisations": sum(1 for _, d in G.degree() if d),
                             "ties": G.number_of_edges(),
                             "events": int((events["fiscal_year_be"] == fy).sum())})
            return pd.DataFrame(rows)

        return self.cached("growth", flt, compute)

    def chart(self, kind: str, flt: GraphFilter, fmt: str, lang: str, top: int = 15) -> bytes:
        """A chart (``sector-mixing``, ``brokers``, ``growth``) as PNG or SVG bytes."""
        from graphsvc.analysis import sector_mixing
        from graphsvc.viz import growth_chart, sector_mixing_heatmap, top_brokers_chart

        def compute() -> bytes:
            if kind == "sector-mixing":
                return sector_mixing_heatmap(sector_mixing(self.graph(flt)), fmt,
                                             sectors=self.sectors(), lang=lang)
            if kind == "brokers":
                return top_brokers_chart(self.summarised(flt)[0], top, fmt, lang=lang)
            per_fy = self.growth(flt)
            if per_fy.empty:
                raise NotFound("no events in this selection, so no growth to chart",
                               [{"chart": kind}])
            return growth_chart(per_fy, fmt, lang=lang)

        return self.cached("chart", (kind, flt, fmt, lang, top), compute)
