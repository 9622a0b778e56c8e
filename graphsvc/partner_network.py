"""The Python API for analysts: ``net = graphsvc.open()`` and DataFrames from there on.

A :class:`PartnerNetwork` is a composition root, like an API route or a CLI command: it asks the
store for a graph, hands it to :mod:`graphsvc.analysis`, and shapes the results as pandas
DataFrames with organisation names and sectors. It computes through the same cached
:class:`~graphsvc.service.analyses.Analyses` the web service uses, so a notebook shows the same
numbers as the planner pages, computed once per store revision.

>>> import graphsvc
>>> net = graphsvc.open("sqlite:///:memory:")
>>> net.info()["counts"]["organisations"]
0
>>> result = net.ingest(*graphsvc.sample_files())
>>> result.loaded, int(result.counts.loc["organisations", "inserted"])
(True, 296)
>>> net.metrics(province="TH-21").iloc[0]["org_id"]   # top broker of Rayong
'TH21-GOV-001'
>>> net.close()
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

from graphsvc.config import Settings
from graphsvc.errors import IngestError, InvalidInput
from graphsvc.model.records import GraphFilter, parse_fy_window
from graphsvc.service.analyses import Analyses
from graphsvc.service.cache import ResultCache
from graphsvc.store import GraphStore, open_store

__all__ = ["IngestResult", "PartnerNetwork", "open"]

_PROBLEM_COLUMNS = ["level", "file", "row", "column", "message", "candidates"]


@dataclass(frozen=True)
class IngestResult:
    """What :meth:`PartnerNetwork.ingest` did.

    ``loaded`` is False when the files were rejected (then nothing was written) or on a dry run.
    ``counts`` has one row per table (inserted, updated, unchanged); ``problems`` is the
    validation report: one row per error, warning or unresolved name, with file, row and column.
    """

    loaded: bool
    counts: pd.DataFrame
    problems: pd.DataFrame
    revision: int

    @property
    def errors(self) -> pd.DataFrame:
        return self.problems[self.problems["level"] == "error"]

    def _repr_html_(self) -> str:
        state = "loaded" if self.loaded else "not loaded"
        return (f"<p><b>ingest: {state}</b> (store revision {self.revision})</p>"
                + self.counts._repr_html_() + self.problems._repr_html_())


def _filter(province: str | None, sector: str | Sequence[str] | None, fy: str | None,
            statuses: Sequence[str] | None) -> GraphFilter:
    sectors = (sector,) if isinstance(sector, str) else tuple(sector) if sector else None
    fy_from, fy_to = parse_fy_window(fy)
    return GraphFilter(province=province, sectors=sectors, fy_from=fy_from, fy_to=fy_to,
                       statuses=tuple(statuses) if statuses else None)


class PartnerNetwork:
    """One partner network in a store. Open with :func:`graphsvc.open`.

    Every analysis method takes the same selection: ``province`` (ISO code such as ``"TH-21"``),
    ``sector`` (a code or several), ``fy`` (Buddhist-era fiscal years ``"2566-2567"``).
    """

    def __init__(self, store: GraphStore, settings: Settings | None = None) -> None:
        self.store = store
        self.settings = settings or Settings.from_env()
        self._cache = ResultCache(maxsize=256)

    # -- housekeeping ---------------------------------------------------------------------
    def close(self) -> None:
        """Close the store."""
        self.store.close()

    def __enter__(self) -> PartnerNetwork:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        store = self.store
        return f"<PartnerNetwork {store.kind} {store.location} rev {store.revision()}>"

    def _analyses(self) -> Analyses:
        return Analyses(self.store, self._cache, self.settings, self.store.revision())

    def info(self) -> dict[str, Any]:
        """Store kind, location, revision and row counts (as ``graphsvc info --format json``)."""
        return {"store": self.store.kind, "location": self.store.location,
                "revision": self.store.revision(), "counts": self.store.counts()}

    # -- data in ----------------------------------------------------------------------------
    def ingest(self, *paths: str | Path, dry_run: bool = False, strict: bool = False
               ) -> IngestResult:
        """Load CSV/XLSX files in one transaction, or reject them all and write nothing.

        Unlike the CLI this does not raise on a rejected file: the result's ``problems`` lists
        every error with its file, row and column, so a notebook can show them, fix, and reload.
        """
        from ingest import run_ingest

        if not paths:
            raise InvalidInput("name at least one file to ingest")
        try:
            report = run_ingest([Path(p) for p in paths], self.store, dry_run=dry_run,
                                strict=strict)
        except IngestError as exc:
            rows = [{"level": "error", "file": d.get("file"), "row": d.get("row"),
                     "column": d.get("column"), "message": d.get("reason", exc.message),
                     "candidates": ""} for d in exc.details] or [
                {"level": "error", "file": None, "row": None, "column": None,
                 "message": exc.message, "candidates": ""}]
            return IngestResult(False, pd.DataFrame(columns=["inserted", "updated", "unchanged"]),
                                pd.DataFrame(rows, columns=_PROBLEM_COLUMNS),
                                self.store.revision())
        rows = [{"level": "warning", "file": None, "row": None, "column": None, "message": w,
                 "candidates": ""} for w in report.warnings]
        for u in report.unresolved:
            rows.append({"level": "unresolved", "file": u.file, "row": u.row,
                         "column": "org_name", "message": f"{u.name}: {u.reason}",
                         "candidates": "; ".join(c.name for c in u.candidates)})
        counts = pd.DataFrame(report.table_rows()).set_index("table")
        return IngestResult(not dry_run, counts, pd.DataFrame(rows, columns=_PROBLEM_COLUMNS),
                            report.revision_after)

    # -- the network --------------------------------------------------------------------------
    def graph(self, province: str | None = None, sector: str | Sequence[str] | None = None,
              fy: str | None = None, statuses: Sequence[str] | None = None) -> nx.Graph:
        """The organisation graph (a copy: change it freely). Attributes: see
        :func:`graphsvc.model.network.build_graph`."""
        return self._analyses().graph(_filter(province, sector, fy, statuses)).copy()

    def organisations(self, q: str | None = None, *, province: str | None = None,
                      sector: str | None = None, status: str | None = None) -> pd.DataFrame:
        """Organisations whose Thai or English name (or alias, or id) contains ``q``,
        in Thai dictionary order."""
        rows = self._analyses().search(q, province=province, sector=sector, status=status)
        return pd.DataFrame(rows, columns=["org_id", "name", "name_th", "name_en", "sector",
                                           "province_code", "org_type", "aliases", "status",
                                           "joined_date"])

    def metrics(self, province: str | None = None, sector: str | Sequence[str] | None = None,
                fy: str | None = None) -> pd.DataFrame:
        """One row per organisation with every metric, best broker (betweenness) first.
        ``df.attrs["betweenness_method"]`` says whether betweenness is exact or sampled."""
        df, _ = self._analyses().summarised(_filter(province, sector, fy, None))
        out = df.sort_values(["betweenness", "org_id"], ascending=[False, True])
        out = out.reset_index(drop=True)
        out.attrs = dict(df.attrs)
        return out

    def summary(self, province: str | None = None, sector: str | Sequence[str] | None = None,
                fy: str | None = None) -> dict[str, Any]:
        """Size, density, components, distances, sector mixing, E–I index, coverage, …"""
        return self._analyses().summary(_filter(province, sector, fy, None))

    def communities(self, province: str | None = None, sector: str | Sequence[str] | None = None,
                    fy: str | None = None) -> pd.DataFrame:
        """Louvain communities (seeded): one row each, with its label and members."""
        result = self._analyses().communities(_filter(province, sector, fy, None))
        labels = {int(lab.get("community", i)): lab for i, lab in enumerate(result["labels"])}
        rows = []
        for group in result["members"]:
            label = labels.get(int(group["community"]), {})
            rows.append({"community": group["community"], "size": len(group["org_ids"]),
                         **{k: v for k, v in label.items() if k not in ("community", "size")},
                         "org_ids": group["org_ids"]})
        return pd.DataFrame(rows)

    def brokers(self, province: str | None = None, sector: str | Sequence[str] | None = None,
                fy: str | None = None, top: int = 20) -> pd.DataFrame:
        """The top brokers by betweenness, with Gould–Fernandez roles and cut-off counts."""
        result = self._analyses().brokers(_filter(province, sector, fy, None), top)
        return pd.DataFrame(result["brokers"])

    # -- seek more networks -------------------------------------------------------------------
    def sector_gaps(self, province: str, lang: str = "th") -> pd.DataFrame:
        """Missing and thin sectors and unlinked sector pairs of ``province``, with who could
        close each gap (one row per gap)."""
        gaps = self._analyses().sector_gaps(province, lang)
        rows = []
        for kind in ("missing", "thin"):
            for r in gaps.get(kind, []):
                rows.append({"gap": kind, "sectors": r.get("sector"),
                             "detail": r.get("reason") or r.get("count"),
                             "could_close": [c.get("name") for c in r.get("candidates", [])]})
        for r in gaps.get("unlinked", []):
            rows.append({"gap": "unlinked_pair", "sectors": "–".join(r["sectors"]),
                         "detail": r.get("reason"),
                         "could_close": [b.get("name") for b in r.get("brokers", [])]})
        return pd.DataFrame(rows, columns=["gap", "sectors", "detail", "could_close"])

    def recommend_ties(self, province: str | None = None, org: str | None = None, *,
                       top: int = 20, method: str = "learned", lang: str = "th") -> pd.DataFrame:
        """The best new ties (network-wide, in a province, or for one organisation), each
        with the reasons a planner can read."""
        flt = GraphFilter(province=province)
        rows = self._analyses().tie_recommendations(flt, org=org, top=top, method=method,
                                                    lang=lang)
        return pd.DataFrame(rows)

    def recommend_recruits(self, province: str | None = None, *, top: int = 10,
                           lang: str = "th") -> pd.DataFrame:
        """Candidate organisations ranked by what they would add, with reasons and the
        members best placed to introduce them."""
        rows = self._analyses().recruit_recommendations(GraphFilter(province=province),
                                                        top=top, lang=lang)
        return pd.DataFrame(rows)

    def what_if(self, ties: Iterable[tuple[str, str]] = (),
                recruits: Iterable[str] | dict[str, Iterable[str]] = (), *,
                province: str | None = None) -> pd.DataFrame:
        """Network metrics before and after adding ``ties`` and ``recruits`` (a recruit
        without named partners gets its likely ties). One row per metric."""
        partners = (recruits if isinstance(recruits, dict) else {r: () for r in recruits})
        result = self._analyses().whatif(
            GraphFilter(province=province),
            ties=tuple((str(a), str(b)) for a, b in ties),
            recruits=tuple((str(r), tuple(map(str, ps))) for r, ps in partners.items()))
        before, after = result["before"], result["after"]
        rows = [{"metric": m, "before": before[m], "after": after.get(m)} for m in before
                if not isinstance(before[m], (dict, list))]
        frame = pd.DataFrame(rows)
        frame.attrs["result"] = result
        return frame

    def backtest(self, province: str | None = None, *, share: float = 0.1, seeds: int = 5,
                 k: int | None = None, methods: Sequence[str] | None = None) -> pd.DataFrame:
        """Hide ``share`` of the ties, recommend, and score every method (AUC, precision@k),
        mean and spread over ``seeds``."""
        from graphsvc.analysis.seek import BACKTEST_METHODS, backtest, summarise_backtest

        G = self._analyses().graph(GraphFilter(province=province))
        runs = backtest(G, share=share, seeds=seeds, k=k,
                        methods=tuple(methods) if methods else BACKTEST_METHODS)
        return summarise_backtest(runs)

    # -- pictures ---------------------------------------------------------------------------
    def map(self, province: str | None = None, sector: str | Sequence[str] | None = None, *,
            color: str = "sector", size: str = "pagerank", highlight: str | None = None,
            recommended: bool = False, proposed_ties: Iterable[tuple[str, str]] = (),
            lang: str = "th") -> Any:
        """An interactive map that displays inline in Jupyter (no CDN, no files written);
        ``.save("map.html")`` writes it. Recommended ties and ``proposed_ties`` are dashed."""
        from graphsvc.viz import network_map

        a = self._analyses()
        flt = _filter(province, sector, None, None)
        G = a.graph(flt)
        df, _ = a.summarised(flt)
        ties = list(proposed_ties)
        if recommended and G.number_of_edges():
            ties += [(r["source"], r["target"]) for r in a.tie_recommendations(flt, top=10,
                                                                               lang=lang)]
        return network_map(G, color_by=color, size_by=size if len(df) else None, metrics=df,
                           highlight=highlight, proposed_ties=ties, sectors=a.sectors(),
                           lang=lang, title=None, height="600px")

    def ego_map(self, org_id: str, radius: int = 1, lang: str = "th") -> Any:
        """A map of ``org_id`` and the organisations within ``radius`` ties of it."""
        from graphsvc.viz import ego_map

        a = self._analyses()
        df, _ = a.summarised(GraphFilter())
        return ego_map(a.graph(GraphFilter()), org_id, radius, metrics=df, size_by="pagerank",
                       sectors=a.sectors(), lang=lang, height="600px")


def open(store_url: str | None = None, *, settings: Settings | None = None) -> PartnerNetwork:  # noqa: A001
    """Open a partner network: the embedded default (``./graphsvc.db`` or ``GRAPHSVC_STORE``),
    or any store URL (``sqlite:///path.db``, ``neo4j://…``)."""
    settings = settings or Settings.from_env()
    return PartnerNetwork(open_store(store_url, settings), settings)
