"""The cached analyses the routes serve: store → graph → analysis, once per store revision.

:class:`Analyses` is built per request (see :mod:`graphsvc.api.deps`) with the revision read at
the start of the request; every result is cached under ``(revision, name, parameters)`` in the
app's :class:`~graphsvc.service.cache.ResultCache`. Analysis stays in :mod:`graphsvc.analysis`:
this module only asks the store for a graph, hands it to analysis and shapes plain data.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

import networkx as nx

from graphsvc.config import Settings
from graphsvc.model.records import GraphFilter, Organisation
from graphsvc.model.text import thai_sort_key
from graphsvc.service.cache import ResultCache
from graphsvc.service.pictures import Pictures
from graphsvc.service.plain import (
    ALL,
    BETWEENNESS_SAMPLE_K,
    BETWEENNESS_SEED,
    clean,
    organisation_json,
)
from graphsvc.service.seeking import Seeking
from graphsvc.store import GraphStore

__all__ = ["Analyses", "clean", "organisation_json"]

T = TypeVar("T")


@dataclass
class Analyses(Seeking, Pictures):
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

    def sectors(self) -> list[Any]:
        """The store's sector table (cached per revision)."""
        return self.cached("sectors", None, self.store.sectors)

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
