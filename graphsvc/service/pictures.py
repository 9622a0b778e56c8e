"""Maps and charts, cached: the network and ego maps and the three charts of the service.

A plain part composed by :class:`graphsvc.service.analyses.Analyses` (``analyses.pictures``);
the drawing is done by :mod:`graphsvc.viz`, with the metrics, recommendations and seeds every
other surface uses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from graphsvc.errors import NotFound
from graphsvc.model.defaults import LAYOUT_SEED, MAP_RECOMMENDED_TIES
from graphsvc.model.records import GraphFilter
from graphsvc.service.plain import ALL

Lang = Literal["th", "en"]

if TYPE_CHECKING:  # pragma: no cover
    from graphsvc.service.analyses import Analyses

__all__ = ["Pictures"]


class Pictures:
    """Maps and charts over the cached graphs and metrics of one :class:`Analyses`."""

    def __init__(self, core: Analyses) -> None:
        self.core = core

    def network_map(self, flt: GraphFilter, *, color: Literal["sector", "community"],
                    size: str, highlight: str | None, recommended: bool, embed: bool,
                    lang: Lang) -> str:
        """The self-contained map page of the selection (cached per revision and options)."""
        from graphsvc.viz import network_map

        key = (flt, color, size, highlight, recommended, embed, lang)

        def compute() -> str:
            G = self.core.graph(flt)
            df, _ = self.core.summarised(flt)
            ties = (self.core.seek.tie_recommendations(flt, top=MAP_RECOMMENDED_TIES, lang=lang)
                    if recommended and G.number_of_edges() else [])
            return network_map(G, color_by=color, size_by=size if len(df) else None,
                               metrics=df, highlight=highlight, proposed_ties=ties,
                               sectors=self.core.sectors(), lang=lang, embed=embed,
                               seed=LAYOUT_SEED).html

        return self.core.cached("network_map", key, compute)

    def ego_map(self, org_id: str, *, radius: int, embed: bool, lang: Lang) -> str:
        """The organisations within ``radius`` ties of ``org_id`` in the whole network."""
        from graphsvc.viz import ego_map

        def compute() -> str:
            df, _ = self.core.summarised(ALL)
            return ego_map(self.core.graph(ALL), org_id, radius, metrics=df, size_by="pagerank",
                           sectors=self.core.sectors(), lang=lang, embed=embed,
                           seed=LAYOUT_SEED).html

        return self.core.cached("ego_map", (org_id, radius, embed, lang), compute)

    def growth(self, flt: GraphFilter) -> Any:
        """Active organisations, ties and events per fiscal year of the selection."""
        import pandas as pd

        def compute() -> Any:
            events = self.core.store.read_records(flt).events
            years = sorted({int(y) for y in events["fiscal_year_be"].dropna()})
            rows = []
            for fy in years:
                G = self.core.graph(GraphFilter(province=flt.province, sectors=flt.sectors,
                                           fy_from=fy, fy_to=fy, statuses=flt.statuses))
                rows.append({"fiscal_year_be": fy,
                             "organisations": sum(1 for _, d in G.degree() if d),
                             "ties": G.number_of_edges(),
                             "events": int((events["fiscal_year_be"] == fy).sum())})
            return pd.DataFrame(rows)

        return self.core.cached("growth", flt, compute)

    def chart(self, kind: str, flt: GraphFilter, fmt: Literal["png", "svg"], lang: Lang,
              top: int = 15) -> bytes:
        """A chart (``sector-mixing``, ``brokers``, ``growth``) as PNG or SVG bytes."""
        from graphsvc.analysis import sector_mixing
        from graphsvc.viz import growth_chart, sector_mixing_heatmap, top_brokers_chart

        def compute() -> bytes:
            if kind == "sector-mixing":
                return sector_mixing_heatmap(sector_mixing(self.core.graph(flt)), fmt,
                                             sectors=self.core.sectors(), lang=lang,
                                             province=flt.province)
            if kind == "brokers":
                return top_brokers_chart(self.core.summarised(flt)[0], top, fmt, lang=lang,
                                         province=flt.province)
            per_fy = self.growth(flt)
            if per_fy.empty:
                raise NotFound("no events in this selection, so no growth to chart",
                               [{"chart": kind}])
            return growth_chart(per_fy, fmt, lang=lang, province=flt.province)

        return self.core.cached("chart", (kind, flt, fmt, lang, top), compute)
