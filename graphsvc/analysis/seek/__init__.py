"""Seek more networks (แสวงหาเครือข่ายเพิ่ม): whom to connect, whom to recruit, and proof.

- tie recommendations: :class:`TieRecommender`, :func:`recommend_ties`, :func:`score_pairs`;
- recruits (non-members only): :func:`recommend_recruits`, :func:`recruit_key_players`,
  :func:`key_player_set`; members to re-engage: :func:`reengage_members`;
- sector gaps: :func:`sector_gaps`; what-if: :func:`what_if`, :func:`network_metrics`;
- backtest: :func:`backtest`, :func:`backtest_by_date`, :func:`summarise_backtest`.

Pure functions over the graph of :func:`graphsvc.model.network.build_graph`; no store.
"""

from graphsvc.analysis.seek.backtest import (
    BACKTEST_METHODS,
    backtest,
    backtest_by_date,
    summarise_backtest,
)
from graphsvc.analysis.seek.gaps import sector_gaps
from graphsvc.analysis.seek.indices import INDEX_METHODS, score_pairs
from graphsvc.analysis.seek.keyplayer import key_player_set, reach
from graphsvc.analysis.seek.recruit import (
    RecruitRecommendation,
    ReengageRecommendation,
    recommend_recruits,
    recruit_key_players,
    recruit_pool,
    reengage_members,
)
from graphsvc.analysis.seek.ties import (
    RANKS,
    TIE_METHODS,
    TieRecommendation,
    TieRecommender,
    recommend_ties,
)
from graphsvc.analysis.seek.whatif import apply_proposal, network_metrics, what_if

__all__ = [
    "BACKTEST_METHODS",
    "INDEX_METHODS",
    "TIE_METHODS",
    "RANKS",
    "RecruitRecommendation",
    "ReengageRecommendation",
    "TieRecommendation",
    "TieRecommender",
    "apply_proposal",
    "backtest",
    "backtest_by_date",
    "key_player_set",
    "network_metrics",
    "reach",
    "recommend_recruits",
    "recommend_ties",
    "recruit_key_players",
    "recruit_pool",
    "reengage_members",
    "score_pairs",
    "sector_gaps",
    "summarise_backtest",
    "what_if",
]
