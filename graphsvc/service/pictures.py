"""Maps and charts, cached: the network and ego maps and the three charts of the service.

A mixin of :class:`graphsvc.service.analyses.Analyses`; the drawing is done by :mod:`graphsvc.viz`.
"""

from __future__ import annotations

from typing import Any

from graphsvc.errors import NotFound
from graphsvc.model.records import GraphFilter
from graphsvc.service.plain import ALL

__all__ = ["LAYOUT_SEED", "MAP_RECOMMENDED_TIES", "Pictures"]

#: Seed of map layouts (the same data always gives the same picture).
LAYOUT_SEED = 0
#: Recommended ties drawn dashed on a map with ``recommended=1``.
MAP_RECOMMENDED_TIES = 15


class Pictures:
    """Maps and charts over the cached graphs and metrics."""

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
                                             sectors=self.sectors(), lang=lang,
                                             province=flt.province)
            if kind == "brokers":
                return top_brokers_chart(self.summarised(flt)[0], top, fmt, lang=lang,
                                         province=flt.province)
            per_fy = self.growth(flt)
            if per_fy.empty:
                raise NotFound("no events in this selection, so no growth to chart",
                               [{"chart": kind}])
            return growth_chart(per_fy, fmt, lang=lang, province=flt.province)

        return self.cached("chart", (kind, flt, fmt, lang, top), compute)
