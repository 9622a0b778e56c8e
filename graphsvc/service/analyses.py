"""The cached analyses every surface serves: store → graph → analysis, once per store revision.

:class:`Analyses` is built per request (see :mod:`graphsvc.api.deps`) or per call of the Python
API, with the revision read at its start; every result is cached under
``(revision, name, parameters)`` in a :class:`~graphsvc.service.cache.ResultCache`. Analysis stays
in :mod:`graphsvc.analysis`: this module asks the store for a graph, hands it to analysis with the
defaults of :mod:`graphsvc.model.defaults` (or a caller's explicit overrides) and shapes plain
data. Seeking (:class:`~graphsvc.service.seeking.Seeking`) and pictures
(:class:`~graphsvc.service.pictures.Pictures`) are plain parts it composes; their methods are
reachable on :class:`Analyses` itself.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import networkx as nx

from graphsvc.config import Settings
from graphsvc.model import defaults
from graphsvc.model.namesearch import rank_matches
from graphsvc.model.records import GraphFilter, Organisation
from graphsvc.model.selection import parse_selection
from graphsvc.model.text import thai_sort_key
from graphsvc.service.cache import ResultCache
from graphsvc.service.pictures import Pictures
from graphsvc.service.plain import ALL, clean, organisation_json
from graphsvc.service.seeking import Seeking
from graphsvc.store import GraphStore

__all__ = ["Analyses", "MetricOptions", "clean", "organisation_json"]

T = TypeVar("T")


@dataclass(frozen=True)
class MetricOptions:
    """How the metrics table is computed: the defaults unless a caller overrides one."""

    exact_max: int
    k: int = defaults.BETWEENNESS_K
    seed: int = defaults.SEED
    weighted: bool = True


class _Part:
    """A method of a composed part (``seek`` or ``pictures``), reachable on :class:`Analyses`."""

    def __init__(self, part: str) -> None:
        self.part = part
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        return getattr(getattr(obj, self.part), self.name)


@dataclass
class Analyses:
    """Cached analyses over one store at one revision."""

    store: GraphStore
    cache: ResultCache
    settings: Settings
    revision: int
    seek: Seeking = field(init=False, repr=False)
    pictures: Pictures = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.seek = Seeking(self)
        self.pictures = Pictures(self)

    tie_recommender = _Part("seek")
    tie_recommendations = _Part("seek")
    tie_recommendations_for = _Part("seek")
    sector_gaps = _Part("seek")
    recruit_recommendations = _Part("seek")
    reengage_recommendations = _Part("seek")
    whatif = _Part("seek")
    backtest = _Part("seek")
    network_map = _Part("pictures")
    ego_map = _Part("pictures")
    growth = _Part("pictures")
    chart = _Part("pictures")

    def cached(self, name: str, params: Hashable, compute: Callable[[], T]) -> T:
        """``compute()`` once per (revision, name, params)."""
        return self.cache.get_or_compute((self.revision, name, params), compute)

    # -- the selection -----------------------------------------------------------------------
    def select(self, province: str | None = None,
               sector: str | Iterable[str] | None = None, fy: str | int | None = None, *,
               statuses: Sequence[str] | None = None) -> GraphFilter:
        """The selection a person wrote (province code or name, sector codes or names, fiscal
        years), checked against the store's sector table: see
        :func:`graphsvc.model.selection.parse_selection`."""
        return parse_selection(province, sector, fy, sectors=self.sectors(), statuses=statuses)

    def written_at(self) -> str | None:
        """When the store was last written (ISO time), if the store knows."""
        return self.cached("written_at", None, self.store.written_at)

    # -- the graph ---------------------------------------------------------------------------
    def graph(self, flt: GraphFilter = ALL) -> nx.Graph:
        """The organisation graph of the filtered records (shared: never mutate it)."""
        return self.cached("graph", flt, lambda: self.store.load_graph(flt))

    # -- organisations -----------------------------------------------------------------------
    def search(self, q: str | None, *, province: str | None = None, sector: str | None = None,
               status: str | None = None) -> list[dict[str, Any]]:
        """Every organisation ``q`` names, best match first (exact name, then prefix, then word
        start, never a match inside a word: :func:`graphsvc.model.namesearch.rank_matches`),
        in Thai dictionary order within each; every organisation when ``q`` is blank. Cached
        per revision; the page, the JSON API and the Python API slice from the same list."""
        key = (q or None, province, sector, status)

        def compute() -> list[dict[str, Any]]:
            found = self.store.search_organisations(
                q or None, province=province, sector=sector, status=status,
                limit=10_000_000, offset=0)
            rows = [organisation_json(o) for o in found]
            return rank_matches(q, rows) if q and q.strip() else rows

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
    def metric_options(self, *, exact_max: int | None = None, k: int | None = None,
                       seed: int | None = None, weighted: bool = True) -> MetricOptions:
        """The defaults, with the overrides a caller named explicitly."""
        return MetricOptions(
            exact_max=self.settings.exact_betweenness_max if exact_max is None else exact_max,
            k=defaults.BETWEENNESS_K if k is None else k,
            seed=defaults.SEED if seed is None else seed, weighted=weighted)

    def summarised_columns(self, flt: GraphFilter = ALL, opts: MetricOptions | None = None
                           ) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
        """``(columns, attrs, summary)`` of :func:`graphsvc.analysis.summarise_columns`,
        computed once per (revision, filter, options), the columns ordered by betweenness
        (largest first). Betweenness is exact up to ``exact_max`` organisations and sampled
        (``k``, ``seed``) beyond, so a large graph answers in bounded time. No pandas: what
        needs a DataFrame asks :meth:`summarised`, built from this."""
        from graphsvc.analysis import summarise_columns

        opts = opts or self.metric_options()

        def compute() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
            cols, attrs, summary = summarise_columns(
                self.graph(flt), exact_max=opts.exact_max, k=opts.k, seed=opts.seed,
                weighted=opts.weighted, sectors=[s.code for s in self.sectors()])
            bc, org_ids = cols["betweenness"], cols["org_id"]
            order = sorted(range(len(org_ids)), key=lambda i: (-bc[i], org_ids[i]))
            ranked = {name: ([values[i] for i in order] if isinstance(values, list)
                             else values[order]) for name, values in cols.items()}
            return ranked, attrs, clean(summary)

        return self.cached("summarise_columns", (flt, opts), compute)

    def summarised(self, flt: GraphFilter = ALL, opts: MetricOptions | None = None
                   ) -> tuple[Any, dict[str, Any]]:
        """``(metrics DataFrame, summary dict)`` of :meth:`summarised_columns` (the table of
        :func:`graphsvc.analysis.summarise`, organisations by betweenness, largest first)."""
        opts = opts or self.metric_options()

        def compute() -> tuple[Any, dict[str, Any]]:
            import pandas as pd

            from graphsvc.analysis import METRIC_COLUMNS

            cols, attrs, summary = self.summarised_columns(flt, opts)
            df = pd.DataFrame(cols, columns=list(METRIC_COLUMNS))
            df.attrs.update(attrs)
            return df, summary

        return self.cached("summarise", (flt, opts), compute)

    def betweenness_note(self, flt: GraphFilter = ALL, opts: MetricOptions | None = None
                         ) -> dict[str, Any]:
        """How betweenness was computed: ``{"method": "exact"|"sampled", "k", "seed"}``."""
        opts = opts or self.metric_options()
        _, attrs, _ = self.summarised_columns(flt, opts)
        method = str(attrs.get("betweenness_method", "exact"))
        if method.startswith("sampled"):
            return {"method": "sampled", "k": opts.k, "seed": opts.seed}
        return {"method": "exact", "k": None, "seed": None}

    def metric_rows(self, flt: GraphFilter = ALL, opts: MetricOptions | None = None
                    ) -> list[dict[str, Any]]:
        """The metrics table as JSON-ready rows, best broker first."""
        opts = opts or self.metric_options()

        def compute() -> list[dict[str, Any]]:
            cols, _, _ = self.summarised_columns(flt, opts)
            names = list(cols)
            values = [v.tolist() if hasattr(v, "tolist") else v for v in cols.values()]
            return clean([dict(zip(names, row, strict=True))
                          for row in zip(*values, strict=True)])

        return self.cached("metric_rows", (flt, opts), compute)

    def metrics(self, flt: GraphFilter = ALL, opts: MetricOptions | None = None
                ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """The metrics table as rows, and how betweenness was computed."""
        return self.metric_rows(flt, opts), self.betweenness_note(flt, opts)

    def summary(self, flt: GraphFilter = ALL, opts: MetricOptions | None = None
                ) -> dict[str, Any]:
        """Size, density, components, distances, sector mixing, E–I index, coverage, …"""
        return {**self.summarised_columns(flt, opts)[2],
                "betweenness": self.betweenness_note(flt, opts)}

    def analysis(self, flt: GraphFilter = ALL, opts: MetricOptions | None = None,
                 top: int | None = None) -> dict[str, Any]:
        """``{"organisations": [...], "summary": {...}}``: the JSON of ``graphsvc analyze``."""
        rows = self.metric_rows(flt, opts)
        return {"organisations": rows if top is None else rows[:top],
                "summary": self.summary(flt, opts)}

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
                    "seed": defaults.SEED}

        return self.cached("communities", flt, compute)

    def brokers(self, flt: GraphFilter = ALL, top: int = defaults.BROKERS_TOP
                ) -> dict[str, Any]:
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
