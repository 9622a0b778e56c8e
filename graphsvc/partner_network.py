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
from typing import TYPE_CHECKING, Any, Literal

import networkx as nx

from graphsvc.config import Settings
from graphsvc.errors import IngestError, InvalidInput
from graphsvc.model import defaults
from graphsvc.model.records import GraphFilter
from graphsvc.service.analyses import Analyses, MetricOptions
from graphsvc.service.cache import ResultCache
from graphsvc.store import GraphStore, open_store

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

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


Sectors = str | Sequence[str] | None


class PartnerNetwork:
    """One partner network in a store. Open with :func:`graphsvc.open`.

    Every analysis method takes the same selection: ``province`` (ISO code such as ``"TH-21"``,
    or the Thai or English name), ``sector`` (a code or name, or several), ``fy`` (Buddhist-era
    fiscal years ``"2566-2567"``), read by :func:`graphsvc.model.selection.parse_selection`; a
    selection that names nothing known raises :class:`~graphsvc.errors.InvalidInput`, and a
    selection with no organisations gives empty results. Defaults (seeds, sample sizes, list
    lengths) are those of :mod:`graphsvc.model.defaults`, the same the CLI and the web use.
    """

    def __init__(self, store: GraphStore, settings: Settings | None = None) -> None:
        self.store = store
        self.settings = settings or Settings.from_env()
        self._cache = ResultCache(maxsize=256, maxbytes=self.settings.cache_mb * 1_000_000)

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

    def _select(self, a: Analyses, province: str | None, sector: Sectors = None,
                fy: str | int | None = None, statuses: Sequence[str] | None = None
                ) -> GraphFilter:
        return a.select(province, sector, fy, statuses=statuses)

    def select(self, province: str | None = None, sector: Sectors = None,
               fy: str | int | None = None) -> GraphFilter:
        """The selection these words name (``"จ.ระยอง"`` → province TH-21), checked against the
        store's sectors; :class:`~graphsvc.errors.InvalidInput` if they name nothing known."""
        return self._select(self._analyses(), province, sector, fy)

    @property
    def revision(self) -> int:
        """The store's revision: which data every answer comes from."""
        return self.store.revision()

    def written_at(self) -> str | None:
        """When the store was last written (ISO 8601 UTC), or ``None``."""
        return self.store.written_at()

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
        import pandas as pd

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

    def history(self, limit: int | None = None) -> pd.DataFrame:
        """Every write to the store, newest first (as ``graphsvc history``): one row per
        write with ``revision``, ``at``, ``office``, ``files``, ``counts``, ``undoes`` and
        ``undone_by``."""
        import pandas as pd

        columns = ["revision", "at", "office", "files", "counts", "undoes", "undone_by"]
        rows = [r.as_dict() for r in self.store.history(limit)]
        return pd.DataFrame(rows, columns=columns).set_index("revision")

    def undo(self, revision: int, *, office: str | None = None) -> dict[str, Any]:
        """Undo the write that created ``revision``, as a new write; its history record.
        Raises :class:`~graphsvc.errors.InvalidInput` when a later write changed its rows."""
        return self.store.undo(revision, office=office).as_dict()

    def holds_only_sample(self) -> bool:
        """True if every row of the store is a row of the bundled sample, unchanged (an empty
        store included): loading the sample then adds and changes nothing else."""
        from ingest import run_ingest
        from ingest.sample import sample_files

        report = run_ingest(sample_files(), self.store, dry_run=True)
        counts = self.store.counts()
        for row in report.table_rows():
            if row["updated"] or counts.get(row["table"], 0) > row["unchanged"]:
                return False
        return True

    def load_sample(self) -> IngestResult:
        """Load the bundled sample data (Rayong and seven more provinces) into this store."""
        from ingest.sample import sample_files

        return self.ingest(*sample_files())

    # -- the network --------------------------------------------------------------------------
    def graph(self, province: str | None = None, sector: Sectors = None,
              fy: str | int | None = None, statuses: Sequence[str] | None = None) -> nx.Graph:
        """The organisation graph (a copy: change it freely). Attributes: see
        :func:`graphsvc.model.network.build_graph`."""
        a = self._analyses()
        return a.graph(self._select(a, province, sector, fy, statuses)).copy()

    def organisations(self, q: str | None = None, *, province: str | None = None,
                      sector: str | None = None, status: str | None = None) -> pd.DataFrame:
        """Organisations that ``q`` names (Thai or English name, alias or id; abbreviations such
        as อบต. understood), exact name first, then prefix, then word start, never a match
        inside a word: the list of the search page and ``/api/organisations``."""
        import pandas as pd

        a = self._analyses()
        flt = self._select(a, province, sector)
        one_sector = flt.sectors[0] if flt.sectors else None
        rows = a.search(q, province=flt.province, sector=one_sector, status=status)
        return pd.DataFrame(rows, columns=["org_id", "name", "name_th", "name_en", "sector",
                                           "province_code", "org_type", "aliases", "status",
                                           "joined_date"])

    def _options(self, a: Analyses, exact_max: int | None, k: int | None, seed: int | None,
                 weighted: bool) -> MetricOptions:
        return a.metric_options(exact_max=exact_max, k=k, seed=seed, weighted=weighted)

    def analysis(self, province: str | None = None, sector: Sectors = None,
                 fy: str | int | None = None, *, top: int | None = None,
                 exact_max: int | None = None, k: int | None = None, seed: int | None = None,
                 weighted: bool = True) -> dict[str, Any]:
        """``{"organisations": [...], "summary": {...}}`` as plain data, best broker first: the
        JSON of ``graphsvc analyze`` (and of ``/api/metrics`` with ``/api/summary``).

        ``exact_max``, ``k``, ``seed`` and ``weighted`` override the defaults of
        :mod:`graphsvc.model.defaults` (exact betweenness up to ``exact_max`` organisations,
        sampled from ``k`` seeded sources beyond)."""
        a = self._analyses()
        flt = self._select(a, province, sector, fy)
        return a.analysis(flt, self._options(a, exact_max, k, seed, weighted), top)

    @staticmethod
    def catalogue(lang: str = "th") -> pd.DataFrame:
        """What each metric column means: id, label and plain-language explanation in ``lang``,
        format, and whether a map can size nodes by it (:mod:`graphsvc.model.catalogue`)."""
        import pandas as pd

        from graphsvc.model.catalogue import METRICS

        return pd.DataFrame([{"id": m.id, "label": m.label(lang), "explanation": m.explain(lang),
                              "format": m.format, "sizes_nodes": m.sizes_nodes,
                              "level": m.level} for m in METRICS.values()])

    def metrics(self, province: str | None = None, sector: Sectors = None,
                fy: str | int | None = None, *, exact_max: int | None = None,
                k: int | None = None, seed: int | None = None, weighted: bool = True
                ) -> pd.DataFrame:
        """One row per organisation with every metric, best broker (betweenness) first.
        ``df.attrs["betweenness_method"]`` says whether betweenness is exact or sampled.
        Column names and meanings: :mod:`graphsvc.model.catalogue`."""
        a = self._analyses()
        flt = self._select(a, province, sector, fy)
        df, _ = a.summarised(flt, self._options(a, exact_max, k, seed, weighted))
        out = df.copy()
        out.attrs = dict(df.attrs)
        return out

    def summary(self, province: str | None = None, sector: Sectors = None,
                fy: str | int | None = None, *, exact_max: int | None = None,
                k: int | None = None, seed: int | None = None, weighted: bool = True
                ) -> dict[str, Any]:
        """Size, density, components, distances, sector mixing, E–I index, coverage, …"""
        a = self._analyses()
        flt = self._select(a, province, sector, fy)
        return a.summary(flt, self._options(a, exact_max, k, seed, weighted))

    def communities(self, province: str | None = None, sector: Sectors = None,
                    fy: str | int | None = None) -> pd.DataFrame:
        """Louvain communities (seeded), numbered from 1 (largest first): one row each, with
        its label (its most central members) and members."""
        import pandas as pd

        a = self._analyses()
        result = a.communities(self._select(a, province, sector, fy))
        labels = {int(lab.get("community", i)): lab for i, lab in enumerate(result["labels"])}
        rows = []
        for group in result["members"]:
            label = labels.get(int(group["community"]), {})
            rows.append({"community": group["community"], "size": len(group["org_ids"]),
                         **{k: v for k, v in label.items() if k not in ("community", "size")},
                         "org_ids": group["org_ids"]})
        return pd.DataFrame(rows)

    def brokers(self, province: str | None = None, sector: Sectors = None,
                fy: str | int | None = None, top: int = defaults.BROKERS_TOP) -> pd.DataFrame:
        """The top brokers by betweenness, with Gould–Fernandez roles and cut-off counts."""
        import pandas as pd

        a = self._analyses()
        result = a.brokers(self._select(a, province, sector, fy), top)
        return pd.DataFrame(result["brokers"])

    # -- seek more networks -------------------------------------------------------------------
    def sector_gaps(self, province: str, lang: str = "th") -> pd.DataFrame:
        """Missing and thin sectors and unlinked sector pairs of ``province``, with who could
        close each gap (one row per gap)."""
        import pandas as pd

        a = self._analyses()
        code = self._select(a, province).province
        if code is None:
            raise InvalidInput("name a province for its sector gaps",
                               [{"parameter": "province"}])
        gaps = a.sector_gaps(code, lang)
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
                       sector: Sectors = None, fy: str | int | None = None,
                       top: int = defaults.TIES_TOP, method: str | None = None,
                       lang: str = "th", seed: int | None = None,
                       cross_boost: float | None = None, rank: str | None = None
                       ) -> pd.DataFrame:
        """The best new ties (network-wide, in a province, or for one organisation), each
        with the reasons a planner can read, the method that placed it and its calibrated
        likelihood. ``rank``: ``"likely"`` (which ties will form; the default network-wide) or
        ``"build"`` (likelihood × what the tie adds, diversified; the default for a province or
        an organisation). Same list, order and scores as ``graphsvc recommend`` and
        ``/api/recommendations/ties``."""
        import pandas as pd

        return pd.DataFrame(self.tie_list(province, org, sector=sector, fy=fy, top=top,
                                          method=method, lang=lang, seed=seed,
                                          cross_boost=cross_boost, rank=rank))

    def tie_list(self, province: str | None = None, org: str | None = None, *,
                 sector: Sectors = None, fy: str | int | None = None,
                 top: int = defaults.TIES_TOP, method: str | None = None, lang: str = "th",
                 seed: int | None = None, cross_boost: float | None = None,
                 rank: str | None = None) -> list[dict[str, Any]]:
        """:meth:`recommend_ties` as plain dicts (the JSON of ``graphsvc recommend``)."""
        a = self._analyses()
        flt = self._select(a, province, sector, fy)
        if org is not None:
            self.store.get_organisation(org)  # UnknownOrganisation before any work
        return a.tie_recommendations(flt, org=org, top=top, method=method, lang=lang,
                                     seed=seed, cross_boost=cross_boost, rank=rank)

    def recommend_recruits(self, province: str | None = None, *, sector: Sectors = None,
                           fy: str | int | None = None, top: int = defaults.RECRUITS_TOP,
                           lang: str = "th", seed: int | None = None) -> pd.DataFrame:
        """Candidate organisations ranked by what they would add, with reasons and the
        members best placed to introduce them."""
        import pandas as pd

        return pd.DataFrame(self.recruit_list(province, sector=sector, fy=fy, top=top,
                                              lang=lang, seed=seed))

    def recruit_list(self, province: str | None = None, *, sector: Sectors = None,
                     fy: str | int | None = None, top: int = defaults.RECRUITS_TOP,
                     lang: str = "th", seed: int | None = None) -> list[dict[str, Any]]:
        """:meth:`recommend_recruits` as plain dicts."""
        a = self._analyses()
        flt = self._select(a, province, sector, fy)
        return a.recruit_recommendations(flt, top=top, lang=lang, seed=seed)

    def recommend_reengage(self, province: str | None = None, *, sector: Sectors = None,
                           fy: str | int | None = None, top: int = defaults.RECRUITS_TOP,
                           lang: str = "th") -> pd.DataFrame:
        """Members with no working tie (none at all, or none in the last two fiscal years with
        records) to re-engage: a list apart from the recruits, which hold no member."""
        return pd.DataFrame(self.reengage_list(province, sector=sector, fy=fy, top=top,
                                               lang=lang))

    def reengage_list(self, province: str | None = None, *, sector: Sectors = None,
                      fy: str | int | None = None, top: int = defaults.RECRUITS_TOP,
                      lang: str = "th") -> list[dict[str, Any]]:
        """:meth:`recommend_reengage` as plain dicts."""
        a = self._analyses()
        flt = self._select(a, province, sector, fy)
        return a.reengage_recommendations(flt, top=top, lang=lang)

    def gaps(self, province: str, lang: str = "th") -> dict[str, Any]:
        """:meth:`sector_gaps` as the plain dict of ``/api/sector-gaps``."""
        a = self._analyses()
        code = self._select(a, province).province
        if code is None:
            raise InvalidInput("name a province for its sector gaps",
                               [{"parameter": "province"}])
        return a.sector_gaps(code, lang)

    def what_if(self, ties: Iterable[tuple[str, str]] = (),
                recruits: Iterable[str] | dict[str, Iterable[str]] = (), *,
                province: str | None = None, sector: Sectors = None,
                fy: str | int | None = None) -> pd.DataFrame:
        """Network metrics before and after adding ``ties`` and ``recruits`` (a recruit
        without named partners gets its likely ties). One row per metric."""
        import pandas as pd

        partners = (recruits if isinstance(recruits, dict) else {r: () for r in recruits})
        a = self._analyses()
        result = a.whatif(
            self._select(a, province, sector, fy),
            ties=tuple((str(x), str(y)) for x, y in ties),
            recruits=tuple((str(r), tuple(map(str, ps))) for r, ps in partners.items()))
        before, after = result["before"], result["after"]
        rows = [{"metric": m, "before": before[m], "after": after.get(m)} for m in before
                if not isinstance(before[m], (dict, list))]
        frame = pd.DataFrame(rows)
        frame.attrs["result"] = result
        return frame

    def backtest(self, province: str | None = None, *, sector: Sectors = None,
                 fy: str | int | None = None, share: float = 0.1, seeds: int = 5,
                 k: int | None = None, methods: Sequence[str] | None = None,
                 connected: bool = False, before: str | None = None) -> pd.DataFrame:
        """Hide ``share`` of the ties (or every tie from ``before`` on), recommend, and score
        every method (AUC, precision@k), mean and spread over ``seeds``. The whole result
        (splits, every run) is in ``df.attrs["result"]``."""
        import pandas as pd

        result = self.backtest_result(province, sector=sector, fy=fy, share=share, seeds=seeds,
                                      k=k, methods=methods, connected=connected, before=before)
        frame = pd.DataFrame(result["summary"])
        frame.attrs["result"] = result
        return frame

    def backtest_result(self, province: str | None = None, *, sector: Sectors = None,
                        fy: str | int | None = None, share: float = 0.1, seeds: int = 5,
                        k: int | None = None, methods: Sequence[str] | None = None,
                        connected: bool = False, before: str | None = None) -> dict[str, Any]:
        """:meth:`backtest` as the plain dict of ``graphsvc backtest --format json``."""
        a = self._analyses()
        return a.backtest(self._select(a, province, sector, fy), share=share, seeds=seeds,
                          k=k, methods=tuple(methods) if methods else None,
                          connected=connected, before=before)

    # -- pictures ---------------------------------------------------------------------------
    def map(self, province: str | None = None, sector: Sectors = None, *,
            fy: str | int | None = None, color: Literal["sector", "community"] = "sector",
            size: str = "pagerank", highlight: str | None = None, recommended: bool = False,
            proposed_ties: Iterable[tuple[str, str]] = (), lang: Literal["th", "en"] = "th"
            ) -> Any:
        """An interactive map that displays inline in Jupyter (no CDN, no files written);
        ``.save("map.html")`` writes it. Recommended ties (the same as
        :meth:`recommend_ties` gives) and ``proposed_ties`` are dashed."""
        from graphsvc.viz import network_map

        a = self._analyses()
        flt = self._select(a, province, sector, fy)
        G = a.graph(flt)
        df, _ = a.summarised(flt)
        ties: list[Any] = list(proposed_ties)
        if recommended and G.number_of_edges():
            ties += [(r["source"], r["target"]) for r in a.tie_recommendations(
                flt, top=defaults.MAP_RECOMMENDED_TIES, lang=lang)]
        return network_map(G, color_by=color, size_by=size if len(df) else None, metrics=df,
                           highlight=highlight, proposed_ties=ties, sectors=a.sectors(),
                           lang=lang, title=None, height="600px", seed=defaults.LAYOUT_SEED)

    def ego_map(self, org_id: str, radius: int = 1, lang: Literal["th", "en"] = "th") -> Any:
        """A map of ``org_id`` and the organisations within ``radius`` ties of it."""
        from graphsvc.viz import ego_map

        a = self._analyses()
        df, _ = a.summarised(GraphFilter())
        return ego_map(a.graph(GraphFilter()), org_id, radius, metrics=df, size_by="pagerank",
                       sectors=a.sectors(), lang=lang, height="600px",
                       seed=defaults.LAYOUT_SEED)


def open(store_url: str | None = None, *, settings: Settings | None = None) -> PartnerNetwork:  # noqa: A001
    """Open a partner network: the embedded default (``./graphsvc.db`` or ``GRAPHSVC_STORE``),
    or any store URL (``sqlite:///path.db``, ``neo4j://…``)."""
    settings = settings or Settings.from_env()
    return PartnerNetwork(open_store(store_url, settings), settings)
