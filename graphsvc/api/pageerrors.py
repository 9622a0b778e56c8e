"""Errors on the pages and maps a person opens in a browser: an HTML page in the page's
language with a way back, not the JSON error shape (the JSON routes keep that, through
:mod:`graphsvc.api.errors`).

Page and map routers use :class:`HTMLErrorRoute`: it catches graphsvc's own errors and request
validation errors raised while the route runs and renders ``error.html`` with the same status
code (404, 422). A store that cannot be reached stays the JSON 503 of every route, which
monitoring reads.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute

from graphsvc.api.rendering import render_page
from graphsvc.errors import GraphsvcError, NotFound, UnknownOrganisation

__all__ = ["HTML_ERRORS", "HTMLErrorRoute", "error_page"]

#: How the page and map routes document their errors in OpenAPI.
HTML_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"description": why, "content": {"text/html": {}}}
    for status, why in ((404, "an HTML page: no such organisation or province"),
                        (422, "an HTML page: a parameter is not valid"))
}

_TEXT = {
    "unknown_organisation": ("ไม่พบหน่วยงานรหัส “{id}”", "No organisation has the id “{id}”"),
    "unknown_province": ("ไม่รู้จักจังหวัดรหัส “{id}”",
                         "“{id}” is not a province code we know"),
    "not_found": ("ไม่พบสิ่งที่ขอ", "Nothing was found for this address"),
    "invalid": ("ค่าในลิงก์ไม่ถูกต้อง: {fields}", "Some values in the link are not valid: {fields}"),
    "heading_404": ("ไม่พบหน้านี้", "Page not found"),
    "heading_422": ("ลิงก์นี้ใช้ไม่ได้", "This link does not work"),
    "hint_province": ("รหัสจังหวัดเป็นแบบ TH-21 (ระยอง) ดูรายชื่อจังหวัดที่มีข้อมูลได้ที่หน้าแรก",
                      "Province codes look like TH-21 (Rayong); the home page lists the "
                      "provinces with data"),
    "hint_search": ("ลองค้นหาด้วยชื่อหน่วยงานแทน", "Try searching by the organisation's name"),
}


def _t(key: str, lang: str, **values: Any) -> str:
    th, en = _TEXT[key]
    return (th if lang == "th" else en).format(**values)


def _lang(request: Request) -> str:
    return "en" if request.query_params.get("lang") == "en" else "th"


def error_page(request: Request, exc: Exception) -> Response:
    """The HTML page for ``exc`` in the language the request asked for."""
    lang = _lang(request)
    hint = None
    if isinstance(exc, RequestValidationError):
        status = 422
        fields = sorted({str(e.get("loc", ("", "?"))[-1]) for e in exc.errors()})
        message = _t("invalid", lang, fields=", ".join(fields))
    elif isinstance(exc, UnknownOrganisation):
        status, message, hint = 404, _t("unknown_organisation", lang, id=exc.org_id), \
            _t("hint_search", lang)
    elif isinstance(exc, NotFound) and any("province" in d for d in exc.details):
        code = next(str(d["province"]) for d in exc.details if "province" in d)
        status, message, hint = 404, _t("unknown_province", lang, id=code), \
            _t("hint_province", lang)
    elif isinstance(exc, GraphsvcError) and exc.status == 422:
        fields = sorted({k for d in exc.details for k in d if isinstance(k, str)})
        status, message = 422, _t("invalid", lang, fields=", ".join(fields) or exc.message)
    else:
        assert isinstance(exc, GraphsvcError)
        status, message = exc.status, _t("not_found", lang)
    heading_key = f"heading_{status}" if f"heading_{status}" in _TEXT else "heading_404"
    return render_page(request, "error.html", lang, status=status,
                       heading=_t(heading_key, lang), message=message, hint=hint)


class HTMLErrorRoute(APIRoute):
    """An API route whose errors are pages for people, not JSON."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except (GraphsvcError, RequestValidationError) as exc:
                if isinstance(exc, GraphsvcError) and exc.status not in (404, 422):
                    raise
                return error_page(request, exc)

        return route
