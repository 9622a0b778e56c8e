"""Network health: sector mixing, E–I index and sector coverage (change over time:
:mod:`graphsvc.analysis.compare`).

Organisations without a sector or province are counted under ``"unknown"`` (and said to be),
never dropped and never an error.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "UNKNOWN",
    "ei_index",
    "sector_coverage",
    "sector_coverage_rows",
    "sector_mixing",
    "sector_mixing_matrix",
]

#: The label for a missing sector or province.
UNKNOWN = "unknown"


def _attr(G: nx.Graph, node: Hashable, name: str) -> str:
    value = G.nodes[node].get(name)
    return value if isinstance(value, str) and value else UNKNOWN


def sector_mixing(G: nx.Graph, *, group: str = "sector", weight: str | None = None
                  ) -> pd.DataFrame:
    """Ties between and within sectors: a symmetric sector × sector table.

    Cell ``(A, B)`` is the number of ties (or their total ``weight``) between an organisation of
    sector ``A`` and one of sector ``B``; a tie inside one sector is counted once on the
    diagonal. Organisations without a sector appear as ``"unknown"``.

    Examples
    --------
    >>> G = nx.Graph([(1, 2), (2, 3)])
    >>> nx.set_node_attributes(G, {1: "GOV", 2: "GOV", 3: "EDU"}, "sector")
    >>> sector_mixing(G).loc["GOV", "EDU"], sector_mixing(G).loc["GOV", "GOV"]
    (np.float64(1.0), np.float64(1.0))
    """
    import pandas as pd

    labels, M = sector_mixing_matrix(G, group=group, weight=weight)
    return pd.DataFrame(M, index=pd.Index(labels, name=group), columns=labels)


def sector_mixing_matrix(G: nx.Graph, *, group: str = "sector", weight: str | None = None
                         ) -> tuple[list[str], np.ndarray]:
    """:func:`sector_mixing` as ``(labels, matrix)`` (no pandas)."""
    labels = sorted({_attr(G, v, group) for v in G}, key=lambda s: (s == UNKNOWN, s))
    pos = {s: i for i, s in enumerate(labels)}
    M = np.zeros((len(labels), len(labels)))
    for a, b, data in G.edges(data=True):
        i, j = pos[_attr(G, a, group)], pos[_attr(G, b, group)]
        w = 1.0 if weight is None else float(data.get(weight, 1.0))
        M[i, j] += w
        if i != j:
            M[j, i] += w
    return labels, M


def ei_index(G: nx.Graph, *, group: str = "sector") -> dict[str, float]:
    """Krackhardt and Stern's E–I index per sector and overall (key ``"overall"``).

    ``(E - I) / (E + I)``, where for a sector ``E`` counts the ties its organisations have to
    other sectors and ``I`` the ties inside it; overall, every tie once. −1: every tie stays
    inside its sector; +1: every tie crosses sectors. Ties with an organisation of unknown
    sector are left out; a sector without ties gets NaN.

    References
    ----------
    .. [1] D. Krackhardt and R. N. Stern, "Informal networks and organizational crises: an
       experimental simulation", Social Psychology Quarterly 51(2), 123–140, 1988.

    Examples
    --------
    >>> G = nx.Graph([(1, 2), (2, 3)])
    >>> nx.set_node_attributes(G, {1: "GOV", 2: "GOV", 3: "EDU"}, "sector")
    >>> ei_index(G)
    {'EDU': 1.0, 'GOV': -0.3333333333333333, 'overall': 0.0}
    """
    ext: dict[str, int] = {}
    internal: dict[str, int] = {}
    e_all = i_all = 0
    for v in G:
        s = _attr(G, v, group)
        if s != UNKNOWN:
            ext.setdefault(s, 0)
            internal.setdefault(s, 0)
    for a, b in G.edges():
        sa, sb = _attr(G, a, group), _attr(G, b, group)
        if UNKNOWN in (sa, sb):
            continue
        if sa == sb:
            internal[sa] += 2
            i_all += 1
        else:
            ext[sa] += 1
            ext[sb] += 1
            e_all += 1
    out = {}
    for s in sorted(ext):
        e, i = ext[s], internal[s]
        out[s] = (e - i) / (e + i) if e + i else float("nan")
    out["overall"] = (e_all - i_all) / (e_all + i_all) if e_all + i_all else float("nan")
    return out


def sector_coverage(G: nx.Graph, sectors: Iterable[str] | None = None) -> pd.DataFrame:
    """Which sectors each province's organisations cover, and which are missing.

    Parameters
    ----------
    G : networkx.Graph
    sectors : iterable of str, optional
        The sector table (codes) to check against; by default ``G.graph["sectors"]`` if set,
        else the default six (:func:`graphsvc.model.reference.default_sectors`), plus any other
        sector found on the nodes.

    Returns
    -------
    pandas.DataFrame
        One row per province (``"unknown"`` for organisations without one): ``province``,
        ``organisations``, ``unknown_sector`` (how many have no sector), ``present`` and
        ``missing`` (lists of codes), ``coverage`` (share of the table's sectors present).
    """
    import pandas as pd

    return pd.DataFrame(sector_coverage_rows(G, sectors),
                        columns=["province", "organisations", "unknown_sector", "present",
                                 "missing", "coverage"])


def sector_coverage_rows(G: nx.Graph, sectors: Iterable[str] | None = None
                         ) -> list[dict[str, Any]]:
    """The rows of :func:`sector_coverage`, as dicts (no pandas)."""
    if sectors is None:
        sectors = G.graph.get("sectors")
    if sectors is None:
        from graphsvc.model.reference import default_sectors

        sectors = [s.code for s in default_sectors()]
    table = list(dict.fromkeys(sectors))
    seen = {_attr(G, v, "sector") for v in G} - {UNKNOWN}
    table += sorted(seen - set(table))
    by_province: dict[str, list[Hashable]] = {}
    for v in G:
        by_province.setdefault(_attr(G, v, "province"), []).append(v)
    rows = []
    for prov in sorted(by_province, key=lambda p: (p == UNKNOWN, p)):
        nodes = by_province[prov]
        found = {_attr(G, v, "sector") for v in nodes}
        present = [s for s in table if s in found]
        rows.append({
            "province": prov,
            "organisations": len(nodes),
            "unknown_sector": sum(_attr(G, v, "sector") == UNKNOWN for v in nodes),
            "present": present,
            "missing": [s for s in table if s not in found],
            "coverage": len(present) / len(table) if table else float("nan"),
        })
    return rows
