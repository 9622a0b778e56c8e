"""Query parameters shared by the JSON API, maps, charts and pages, read into a GraphFilter.

The text is parsed by the one selection parser of the model
(:func:`graphsvc.model.selection.parse_selection`, through
:meth:`graphsvc.service.analyses.Analyses.select`, which knows the store's sectors), so a URL
accepts what the CLI and the Python API accept and refuses it with the same message.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from graphsvc.api.deps import AnalysesDep
from graphsvc.model.records import GraphFilter
from graphsvc.model.selection import MAX_SELECTION_TEXT

__all__ = ["FilterDep", "ProvinceQuery"]

#: A province as a query parameter: ISO code, Thai or English name.
ProvinceQuery = Annotated[str | None, Query(
    description="ISO 3166-2 code (TH-21), Thai name (ระยอง) or English name (Rayong)",
    max_length=MAX_SELECTION_TEXT, examples=["TH-21"])]


async def _filter_dependency(
    analyses: AnalysesDep,
    province: ProvinceQuery = None,
    sector: Annotated[str | None, Query(description="sector code(s) or name(s), "
                                        "comma-separated", max_length=MAX_SELECTION_TEXT,
                                        examples=["GOV,EDU"])] = None,
    fy: Annotated[str | None, Query(description="Buddhist-era fiscal years, e.g. 2566-2567",
                                    max_length=20, examples=["2566-2567"])] = None,
) -> GraphFilter:
    return analyses.select(province, sector, fy)


FilterDep = Annotated[GraphFilter, Depends(_filter_dependency)]
