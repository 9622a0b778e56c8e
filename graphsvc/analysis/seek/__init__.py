"""Seek more networks (แสวงหาเครือข่ายเพิ่ม): whom to connect, whom to recruit, and proof.

- tie recommendations: :class:`TieRecommender`, :func:`recommend_ties`, :func:`score_pairs`;
- backtest: :func:`backtest`, :func:`backtest_by_date`, :func:`summarise_backtest`.

Pure functions over the graph of :func:`graphsvc.model.network.build_graph`; no store.
"""

from graphsvc.analysis.seek.backtest import (
    BACKTEST_METHODS,
    backtest,
    backtest_by_date,
    summarise_backtest,
)
from graphsvc.analysis.seek.indices import INDEX_METHODS, score_pairs
from graphsvc.analysis.seek.ties import (
    TIE_METHODS,
    TieRecommendation,
    TieRecommender,
    recommend_ties,
)

__all__ = [
    "BACKTEST_METHODS",
    "INDEX_METHODS",
    "TIE_METHODS",
    "TieRecommendation",
    "TieRecommender",
    "backtest",
    "backtest_by_date",
    "recommend_ties",
    "score_pairs",
    "summarise_backtest",
]
