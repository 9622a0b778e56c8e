"""Seek more networks, cached: tie and recruit recommendations, sector gaps, what-if, backtest.

A plain part composed by :class:`graphsvc.service.analyses.Analyses` (reachable as
``analyses.seek`` and through ``analyses``'s own methods); the work is done by
:mod:`graphsvc.analysis.seek`, with the defaults of :mod:`graphsvc.model.defaults` unless a
caller overrides one explicitly. An empty selection (no organisations, or no ties to learn from)
gives empty lists, never an error.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, Any

from graphsvc.errors import UnknownOrganisation
from graphsvc.model import defaults
from graphsvc.model.records import GraphFilter, Organisation
from graphsvc.service.models_on_disk import default_model_dir, shelf_for
from graphsvc.service.plain import ALL, clean

if TYPE_CHECKING:  # pragma: no cover
    from graphsvc.service.analyses import Analyses

__all__ = ["Seeking"]


class Seeking:
    """Recommendations over the cached graphs of one :class:`Analyses`."""

    def __init__(self, core: Analyses) -> None:
        self.core = core
        self.shelf = shelf_for(default_model_dir(getattr(core.settings, "model_cache", None)))

    def cached(self, name: str, params: Any, compute: Any) -> Any:
        return self.core.cached(name, params, compute)

    def graph(self, flt: GraphFilter = ALL) -> Any:
        return self.core.graph(flt)

    def sectors(self) -> list[Any]:
        return self.core.sectors()

    def tie_recommender(self, flt: GraphFilter, method: str | None = None,
                        seed: int | None = None) -> Any:
        """A fitted :class:`~graphsvc.analysis.seek.TieRecommender` per (filter, method, seed).

        A fitted model is read from the model cache when this store's revision already has
        one (:mod:`graphsvc.service.models_on_disk`), else fitted and saved there."""
        from graphsvc.analysis.seek import TieRecommender
        from graphsvc.analysis.seek.saved import FORMAT_VERSION

        method = defaults.RECOMMENDER_METHOD if method in (None, "default") else method
        seed = defaults.RECOMMENDER_SEED if seed is None else seed

        def build() -> Any:
            G = self.graph(flt)
            core = self.core
            key = self.shelf.key(core.settings.store_url, core.revision, core.written_at(), flt,
                                 method, seed, FORMAT_VERSION, G.number_of_nodes(),
                                 G.number_of_edges())
            saved = self.shelf.load(key) if method in ("auto", "learned") else None
            if saved is not None:
                try:
                    return TieRecommender(G, method=method, seed=seed, sectors=self.sectors(),
                                          model=saved)
                except (ValueError, KeyError, OSError):  # unreadable: fit again
                    pass
            rec = TieRecommender(G, method=method, seed=seed, sectors=self.sectors())
            data = rec.model_bytes()
            if data is not None:
                self.shelf.save(key, data)
            return rec

        return self.cached("tie_recommender", (flt, method, seed), build)

    def tie_recommendations(self, flt: GraphFilter, *, org: str | None = None,
                            top: int = defaults.TIES_TOP, method: str | None = None,
                            lang: str = "th", seed: int | None = None,
                            cross_boost: float | None = None, rank: str | None = None
                            ) -> list[dict[str, Any]]:
        """New ties, best first, as plain dicts (source, target, score, reasons, names, the
        method that placed each, its calibrated likelihood, what it adds…).

        ``rank``: ``likely`` or ``build`` (default: ``likely`` network-wide, ``build`` for a
        province or an organisation). An organisation outside the selection is
        :class:`UnknownOrganisation`; a selection with no ties gives an empty list."""
        from graphsvc.analysis.seek import RANKS
        from graphsvc.errors import InvalidInput

        if rank is not None and rank not in RANKS:
            raise InvalidInput(f"unknown rank {rank!r}; use likely or build", [{"rank": rank}])
        local = org is not None or flt.province is not None
        if rank is None:
            rank = defaults.TIE_RANK_LOCAL if local else defaults.TIE_RANK_NETWORK
        boost = defaults.CROSS_SECTOR_BOOST if cross_boost is None else cross_boost
        key = (flt, org, top, method, lang, seed, boost, rank)

        def compute() -> list[dict[str, Any]]:
            G = self.graph(flt)
            if org is not None and org not in G:
                raise UnknownOrganisation(org)
            if G.number_of_edges() == 0:
                return []
            rec = self.tie_recommender(flt, method, seed)
            found = rec.recommend(org, top=top, province=flt.province if org is None else None,
                                  cross_boost=boost, lang=lang, rank=rank)
            return [clean(r.as_dict()) for r in found]

        return self.cached("ties", key, compute)

    def tie_recommendations_for(self, org: Organisation, *, top: int = defaults.TIES_TOP,
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

    def recruit_recommendations(self, flt: GraphFilter, *, top: int = defaults.RECRUITS_TOP,
                                lang: str = "th", seed: int | None = None
                                ) -> list[dict[str, Any]]:
        """Candidates ranked by what they would add, with reasons and introducers' names."""
        from graphsvc.analysis.seek.recruit import recommend_recruits

        seed = defaults.RECOMMENDER_SEED if seed is None else seed

        def compute() -> list[dict[str, Any]]:
            G = self.graph(flt)
            if G.number_of_nodes() == 0:
                return []
            found = recommend_recruits(G, province=flt.province, top=top, lang=lang,
                                       seed=seed, sectors=self.sectors())
            rows = []
            for r in found:
                row = clean(r.as_dict())
                row["introducer_ids"] = row.pop("introducers")
                row["introducers"] = [G.nodes[m].get("name", m) for m in r.introducers]
                rows.append(row)
            return rows

        return self.cached("recruits", (flt, top, lang, seed), compute)

    def reengage_recommendations(self, flt: GraphFilter, *, top: int = defaults.RECRUITS_TOP,
                                 lang: str = "th") -> list[dict[str, Any]]:
        """Members with no working tie — none at all, or no collaboration in the last two fiscal
        years that have records in the selection — to re-engage (never in a recruit list)."""
        from graphsvc.analysis.seek.recruit import reengage_members
        from graphsvc.model.dates import fiscal_year_be

        def compute() -> list[dict[str, Any]]:
            G = self.graph(flt)
            if G.number_of_nodes() == 0:
                return []
            recs = self.core.store.read_records(flt)
            dates = [d for frame, col in ((recs.events, "start_date"),
                                          (recs.collaborations, "start_date"))
                     for d in frame[col].dropna().astype(str) if d]
            recent, window = None, ""
            if dates:
                from datetime import date

                last = fiscal_year_be(date.fromisoformat(max(dates)[:10]))
                lo = max(last - 1, 2400)
                recent = self.graph(GraphFilter(province=flt.province, sectors=flt.sectors,
                                                fy_from=lo, fy_to=last, statuses=flt.statuses))
                window = (f"ปีงบประมาณ {lo}–{last}" if lang == "th"
                          else f"fiscal years {lo}–{last} (BE)")
            found = reengage_members(G, recent, province=flt.province, window=window, top=top,
                                     lang=lang)
            return [clean(r.as_dict()) for r in found]

        return self.cached("reengage", (flt, top, lang), compute)

    def whatif(self, flt: GraphFilter, *, ties: tuple[tuple[str, str], ...],
               recruits: tuple[tuple[str, tuple[str, ...]], ...],
               weight: float = 1.0) -> dict[str, Any]:
        """Before/after metrics of a proposal. A recruit without partners gets its likely ties
        (the members best placed to introduce it)."""
        from graphsvc.analysis.seek.recruit import recommend_recruits
        from graphsvc.analysis.seek.whatif import what_if

        def compute() -> dict[str, Any]:
            G = self.graph(flt)
            proposal: dict[Hashable, list[Hashable]] = {}
            for org_id, partners in recruits:
                if org_id not in G:
                    raise UnknownOrganisation(org_id)
                if not partners:
                    likely = recommend_recruits(G, candidates=[org_id], top=1,
                                                seed=defaults.RECOMMENDER_SEED)
                    partners = tuple(map(str, likely[0].likely_ties)) if likely else ()
                proposal[org_id] = list(partners)
            result = what_if(G, ties=list(ties), recruits=proposal, weight=weight,
                             seed=defaults.RECOMMENDER_SEED)
            result["recruits"] = [{"org_id": c, "partners": ms} for c, ms in proposal.items()]
            return clean(result)

        return self.cached("whatif", (flt, ties, recruits, weight), compute)

    def backtest(self, flt: GraphFilter, *, share: float = 0.1, seeds: int = 5,
                 k: int | None = None, methods: Sequence[str] | None = None,
                 connected: bool = False, before: str | None = None) -> dict[str, Any]:
        """Hide ties (a random ``share``, or every tie from ``before`` on), recommend, and score
        each method: ``{"split", "share", "seeds", "k", "hidden", "summary": [...],
        "runs": [...]}`` (summary: mean and spread of AUC and precision@k per method)."""
        from graphsvc.analysis.seek import (
            BACKTEST_METHODS,
            backtest_by_date,
            summarise_backtest,
        )
        from graphsvc.analysis.seek import backtest as run_backtest

        chosen = tuple(methods) if methods else tuple(BACKTEST_METHODS)
        key = (flt, share, seeds, k, chosen, connected, before)

        def compute() -> dict[str, Any]:
            if self.graph(flt).number_of_edges() == 0:  # nothing to hide: an empty answer
                return {"split": None, "share": None if before else share, "seeds": seeds,
                        "k": k, "hidden": 0, "summary": [], "runs": []}
            if before:
                df = backtest_by_date(self.core.store.read_records(flt), before, seeds=seeds,
                                      methods=list(chosen), k=k)
            else:
                df = run_backtest(self.graph(flt), share=share, seeds=seeds,
                                  methods=list(chosen), k=k, keep_connected=connected)
            summary = summarise_backtest(df) if len(df) else None
            return clean({
                "split": df["split"].iloc[0] if len(df) else None,
                "share": None if before else share, "seeds": seeds,
                "k": int(df["k"].iloc[0]) if len(df) else k,
                "hidden": int(df["hidden"].iloc[0]) if len(df) else 0,
                "summary": summary.to_dict(orient="records") if summary is not None else [],
                "runs": df.to_dict(orient="records")})

        return self.cached("backtest", key, compute)
