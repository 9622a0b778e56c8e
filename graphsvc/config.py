"""Settings, read from the environment (prefix ``GRAPHSVC_``) when asked, never at import time."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["DEFAULT_STORE_URL", "Settings"]

DEFAULT_STORE_URL = "sqlite:///./graphsvc.db"


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split(",") if v.strip())


@dataclass(frozen=True)
class Settings:
    """Everything configurable. :meth:`from_env` reads ``GRAPHSVC_*`` variables.

    - ``GRAPHSVC_STORE``: store URL (``sqlite:///path.db``, ``bolt://…``);
      default ``sqlite:///./graphsvc.db``
    - ``GRAPHSVC_NEO4J_USER`` / ``GRAPHSVC_NEO4J_PASSWORD``: Neo4j credentials when the URL
      has none (user ``neo4j`` by default)
    - ``GRAPHSVC_NEO4J_DATABASE``: Neo4j database name (server default)
    - ``GRAPHSVC_API_KEYS``: comma-separated keys allowed to write (none: writes refused)
    - ``GRAPHSVC_EMBED_ORIGINS``: comma-separated origins allowed to frame maps and call the
      API from a browser (none: same origin only)
    - ``GRAPHSVC_MAX_UPLOAD_MB`` (20) and ``GRAPHSVC_MAX_UPLOAD_ROWS`` (200000): upload limits
    - ``GRAPHSVC_EXACT_BETWEENNESS_MAX`` (5000): the largest graph given exact betweenness
    - ``GRAPHSVC_WARMUP`` (1): ``graphsvc serve`` computes the planners' first answers in the
      background after start-up and every write; 0 turns that off
    """

    store_url: str = DEFAULT_STORE_URL
    neo4j_user: str = "neo4j"
    neo4j_password: str | None = None
    neo4j_database: str | None = None
    api_keys: tuple[str, ...] = ()
    embed_origins: tuple[str, ...] = ()
    max_upload_mb: int = 20
    max_upload_rows: int = 200_000
    exact_betweenness_max: int = 5000
    warmup: bool = True
    extra: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        env = os.environ if environ is None else environ
        values: dict[str, object] = {
            "store_url": env.get("GRAPHSVC_STORE") or DEFAULT_STORE_URL,
            "neo4j_user": env.get("GRAPHSVC_NEO4J_USER") or "neo4j",
            "neo4j_password": env.get("GRAPHSVC_NEO4J_PASSWORD") or None,
            "neo4j_database": env.get("GRAPHSVC_NEO4J_DATABASE") or None,
            "api_keys": _split(env.get("GRAPHSVC_API_KEYS")),
            "embed_origins": _split(env.get("GRAPHSVC_EMBED_ORIGINS")),
            "max_upload_mb": int(env.get("GRAPHSVC_MAX_UPLOAD_MB") or 20),
            "max_upload_rows": int(env.get("GRAPHSVC_MAX_UPLOAD_ROWS") or 200_000),
            "exact_betweenness_max": int(env.get("GRAPHSVC_EXACT_BETWEENNESS_MAX") or 5000),
            "warmup": (env.get("GRAPHSVC_WARMUP") or "1").strip().lower()
            not in ("0", "false", "no", "off"),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]
