"""Query parameters shared by the JSON API, maps, charts and pages, read into a GraphFilter."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Depends, Query

from graphsvc.errors import InvalidInput
from graphsvc.model.records import GraphFilter, parse_fy_window
from graphsvc.model.reference import province as find_province

__all__ = ["FilterDep", "parse_filter", "parse_fy"]

def parse_fy(text: str | None) -> tuple[int | None, int | None]:
    """The ``fy`` query parameter (see :func:`graphsvc.model.records.parse_fy_window`)."""
    return parse_fy_window(text, name="fy")


def parse_filter(province: str | None = None, sector: str | None = None,
                 fy: str | None = None) -> GraphFilter:
    """Check the shared filter parameters and build the :class:`GraphFilter` they select.

    ``sector`` may name several codes separated by commas (``GOV,EDU``).
    """
    province = (province or "").strip().upper() or None
    if province is not None and find_province(province) is None:
        raise InvalidInput(
            f"unknown province code {province!r}; use an ISO 3166-2 code such as TH-21 (Rayong)",
            [{"parameter": "province", "value": province}],
        )
    sectors = tuple(s.strip().upper() for s in (sector or "").split(",") if s.strip()) or None
    if sectors is not None and not all(re.fullmatch(r"[A-Z0-9_]{1,16}", s) for s in sectors):
        raise InvalidInput(f"sector {sector!r} is not a sector code such as GOV or EDU",
                           [{"parameter": "sector", "value": sector}])
    fy_from, fy_to = parse_fy(fy)
    return GraphFilter(province=province, sectors=sectors, fy_from=fy_from, fy_to=fy_to)


async def _filter_dependency(
    province: Annotated[str | None, Query(description="ISO 3166-2 code, e.g. TH-21 (Rayong)",
                                          max_length=8, examples=["TH-21"])] = None,
    sector: Annotated[str | None, Query(description="sector code(s), comma-separated",
                                        max_length=100, examples=["GOV,EDU"])] = None,
    fy: Annotated[str | None, Query(description="Buddhist-era fiscal years, e.g. 2566-2567",
                                    max_length=9, examples=["2566-2567"])] = None,
) -> GraphFilter:
    return parse_filter(province, sector, fy)


FilterDep = Annotated[GraphFilter, Depends(_filter_dependency)]
