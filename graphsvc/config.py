"""Settings, read from the environment (prefix ``GRAPHSVC_``) when asked, never at import time."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["DEFAULT_STORE_URL", "ApiKey", "Settings", "parse_api_key"]

DEFAULT_STORE_URL = "sqlite:///./graphsvc.db"


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split(",") if v.strip())


_NAMED_KEY = re.compile(r"^([A-Za-z0-9_.-]{1,40})(?:\[([A-Za-z0-9, -]*)\])?:(.+)$")


@dataclass(frozen=True, slots=True)
class ApiKey:
    """One write key of ``GRAPHSVC_API_KEYS``: the office it belongs to, its secret, and the
    provinces it may write (empty: all). ``repr`` never shows the secret."""

    name: str | None
    secret: str = field(repr=False)
    provinces: tuple[str, ...] = ()


def parse_api_key(entry: str) -> ApiKey:
    """One entry of ``GRAPHSVC_API_KEYS``: ``KEY`` (unnamed), ``office:KEY`` or
    ``office[TH-21 TH-20]:KEY`` (limited to provinces; commas or spaces between codes).

    >>> parse_api_key("rayong[TH-21]:s3cret")
    ApiKey(name='rayong', provinces=('TH-21',))
    >>> parse_api_key("s3cret").name is None
    True
    """
    entry = entry.strip()
    match = _NAMED_KEY.match(entry)
    if not match:
        return ApiKey(None, entry)
    provinces = tuple(p.upper() for p in re.split(r"[,\s]+", match[2] or "") if p)
    return ApiKey(match[1], match[3], provinces)


@dataclass(frozen=True)
class Settings:
    """Everything configurable. :meth:`from_env` reads ``GRAPHSVC_*`` variables.

    - ``GRAPHSVC_STORE``: store URL (``sqlite:///path.db``, ``bolt://…``);
      default ``sqlite:///./graphsvc.db``
    - ``GRAPHSVC_NEO4J_USER`` / ``GRAPHSVC_NEO4J_PASSWORD``: Neo4j credentials when the URL
      has none (user ``neo4j`` by default)
    - ``GRAPHSVC_NEO4J_DATABASE``: Neo4j database name (server default)
    - ``GRAPHSVC_API_KEYS``: comma-separated keys allowed to write (none: writes refused);
      each ``KEY``, ``office:KEY`` (history names the office) or ``office[TH-21]:KEY``
      (may write only those provinces); see :func:`parse_api_key`
    - ``GRAPHSVC_EMBED_ORIGINS``: comma-separated origins allowed to frame maps and call the
      API from a browser (none: same origin only)
    - ``GRAPHSVC_MAX_UPLOAD_MB`` (20) and ``GRAPHSVC_MAX_UPLOAD_ROWS`` (200000): upload limits
    - ``GRAPHSVC_EXACT_BETWEENNESS_MAX`` (5000): the largest graph given exact betweenness
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
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def write_keys(self) -> tuple[ApiKey, ...]:
        """The keys of ``api_keys``, parsed (entries with an empty secret are dropped)."""
        keys = (parse_api_key(k) for k in self.api_keys if k and k.strip())
        return tuple(k for k in keys if k.secret)

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
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]
