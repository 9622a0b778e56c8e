"""Maps and charts: NetworkX graphs and plain data in, self-contained HTML or image bytes out.

- :func:`network_map`, :func:`ego_map` → :class:`MapPage` (pyvis / vis-network, no internet
  needed, displays inline in Jupyter);
- :func:`sector_mixing_heatmap`, :func:`top_brokers_chart`, :func:`growth_chart` → PNG or SVG
  bytes (matplotlib, Agg backend, Thai font registered when installed).

This layer never sees a store, settings or the API (import-linter contract in pyproject.toml).
"""

from graphsvc.viz.charts import growth_chart, sector_mixing_heatmap, top_brokers_chart
from graphsvc.viz.layout import seeded_layout
from graphsvc.viz.maps import FONT_STACK, MapPage, ego_map, network_map, strip_remote_resources

__all__ = [
    "FONT_STACK",
    "MapPage",
    "ego_map",
    "growth_chart",
    "network_map",
    "sector_mixing_heatmap",
    "seeded_layout",
    "strip_remote_resources",
    "top_brokers_chart",
]
