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


#: Integer limits: field name -> environment variable (each at least 1).
_LIMITS = {
    "max_read_mb": "GRAPHSVC_MAX_READ_MB",
    "max_zip_ratio": "GRAPHSVC_MAX_ZIP_RATIO",
    "max_rows": "GRAPHSVC_MAX_ROWS",
    "max_columns": "GRAPHSVC_MAX_COLUMNS",
    "max_cells": "GRAPHSVC_MAX_CELLS",
    "max_cell_chars": "GRAPHSVC_MAX_CELL_CHARS",
    "max_header_kb": "GRAPHSVC_MAX_HEADER_KB",
    "max_headers": "GRAPHSVC_MAX_HEADERS",
    "max_query_chars": "GRAPHSVC_MAX_QUERY_CHARS",
    "cache_mb": "GRAPHSVC_CACHE_MB",
}


def _positive(env: Mapping[str, str], var: str, default: int) -> int:
    text = env.get(var)
    if not text:
        return default
    from graphsvc.errors import InvalidInput  # the CLI prints it as one error: line

    try:
        value = int(text)
    except ValueError:
        raise InvalidInput(f"{var}={text!r} is not a whole number") from None
    if value < 1:
        raise InvalidInput(f"{var}={text!r} must be at least 1")
    return value


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
    - ``GRAPHSVC_MODEL_CACHE``: folder of fitted tie-scorer models (default the user's cache,
      ``~/.cache/graphsvc/models``; ``off``: keep them in memory only)
    - reading files (CLI and uploads; see :mod:`ingest.limits`): ``GRAPHSVC_MAX_READ_MB`` (256)
      unzipped bytes per run, ``GRAPHSVC_MAX_ZIP_RATIO`` (100), ``GRAPHSVC_MAX_ROWS`` (2000000)
      rows read per run, ``GRAPHSVC_MAX_COLUMNS`` (200), ``GRAPHSVC_MAX_CELLS`` (20000000) per
      table, ``GRAPHSVC_MAX_CELL_CHARS`` (10000)
    - requests: ``GRAPHSVC_MAX_HEADER_KB`` (16) and ``GRAPHSVC_MAX_HEADERS`` (100) for the request
      headers, ``GRAPHSVC_MAX_QUERY_CHARS`` (2000) for the query string
    - ``GRAPHSVC_CACHE_MB`` (256): memory the result cache may hold
    - ``GRAPHSVC_PUBLIC_URL``: the URL the service is reached at (``https://maps.example.go.th``),
      printed in embed snippets; none: links are printed relative to this server
    - ``GRAPHSVC_FORWARDED_ALLOW_IPS``: comma-separated proxy addresses whose
      ``X-Forwarded-For``/``-Proto`` headers are trusted (none: such headers are ignored)
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
    model_cache: str | None = None
    max_read_mb: int = 256
    max_zip_ratio: int = 100
    max_rows: int = 2_000_000
    max_columns: int = 200
    max_cells: int = 20_000_000
    max_cell_chars: int = 10_000
    max_header_kb: int = 16
    max_headers: int = 100
    max_query_chars: int = 2000
    cache_mb: int = 256
    public_url: str | None = None
    forwarded_allow_ips: tuple[str, ...] = ()
    warmup: bool = True
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
            "model_cache": env.get("GRAPHSVC_MODEL_CACHE") or None,
            "public_url": (env.get("GRAPHSVC_PUBLIC_URL") or "").rstrip("/") or None,
            "forwarded_allow_ips": _split(env.get("GRAPHSVC_FORWARDED_ALLOW_IPS")),
            "warmup": (env.get("GRAPHSVC_WARMUP") or "1").strip().lower()
            not in ("0", "false", "no", "off"),
        }
        for name, var in _LIMITS.items():
            values[name] = _positive(env, var, getattr(cls, name))
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]
