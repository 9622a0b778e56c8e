"""The longest text each field may hold, in characters (documented in the README's input format).

Ids are codes, names and titles are what a person reads; nothing longer is accepted, so one
hostile cell cannot make every page and map that shows it megabytes long.

>>> MAX_CHARS["org_id"], MAX_CHARS["name_th"]
(64, 300)
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["MAX_CHARS", "MAX_ID_CHARS", "MAX_NAME_CHARS", "MAX_TITLE_CHARS"]

MAX_ID_CHARS = 64
MAX_NAME_CHARS = 300
MAX_TITLE_CHARS = 500

#: field -> most characters (after cleaning); fields not listed are bounded by the cell limit.
MAX_CHARS: Mapping[str, int] = MappingProxyType({
    "org_id": MAX_ID_CHARS, "event_id": MAX_ID_CHARS, "org_a_id": MAX_ID_CHARS,
    "org_b_id": MAX_ID_CHARS, "code": MAX_ID_CHARS,
    "name_th": MAX_NAME_CHARS, "name_en": MAX_NAME_CHARS, "org_name": MAX_NAME_CHARS,
    "title_th": MAX_TITLE_CHARS, "title_en": MAX_TITLE_CHARS,
    "aliases": 2000,
    "org_type": 100, "event_type": 100, "role": 100, "collab_type": 100,
})
