"""The planner's upload pages: sign in as an office, upload with a preview, resolve names,
confirm, and the history with undo (Thai by default, ``?lang=en``; no script on any page).

========================================  ================================================
``GET /ingest``                           sign-in form, or (signed in) the upload form
``POST /ingest/sign-in``, ``/sign-out``   key in a form field (never a URL); throttled
``POST /ingest/upload``                   hold the files, then 303 to their preview
``GET /ingest/preview/{id}``              the dry run: rows, problems, names to resolve
``POST /ingest/preview/{id}/choices``     the planner's answers for unresolved names
``POST /ingest/preview/{id}/confirm``     write exactly what was previewed (or re-preview)
``POST /ingest/preview/{id}/discard``     drop the held files
``GET /ingest/history``                   the writes, with undo buttons
``GET /ingest/history/{revision}``        the rows one write changed
``POST /ingest/history/{revision}/undo``  undo it, as a new write
========================================  ================================================

Every POST needs the session's CSRF token (403 page without it); everything but the sign-in
form needs a signed-in session (401 page without one, before any upload is read).
"""

from __future__ import annotations

import threading
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from graphsvc.api.deps import StoreDep
from graphsvc.api.forms import read_form, read_uploads
from graphsvc.api.ingest_reasons import reason_in
from graphsvc.api.ingest_words import SHOWN_COLUMNS, ingest_words, warning_in
from graphsvc.api.preview import confirm, preview
from graphsvc.api.rendering import render_page
from graphsvc.api.routes.history import undo_as
from graphsvc.api.security import find_key
from graphsvc.api.sessions import Session, SessionStore, Throttle, clear_cookie, set_cookie
from graphsvc.config import Settings
from graphsvc.errors import InvalidInput, NotFound, StoreChanged, Unauthorised
from graphsvc.model.reference import default_sectors, provinces
from ingest.choices import NameChoice

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
Lang = Annotated[Literal["th", "en"], Query()]
_STATE_LOCK = threading.Lock()


def _state(request: Request) -> tuple[SessionStore, Throttle]:
    state = request.app.state
    with _STATE_LOCK:
        if not hasattr(state, "sessions"):
            state.sessions, state.throttle = SessionStore(), Throttle()
    return state.sessions, state.throttle


def _settings(request: Request) -> Settings:
    return request.app.state.settings


def _province_choices(session: Session | None) -> list[str]:
    """The province codes a new organisation may be put in: the key's, or all."""
    if session is not None and session.office is not None and session.office.provinces:
        return list(session.office.provinces)
    return sorted(provinces())


def _page(request: Request, template: str, lang: str, session: Session | None,
          status: int = 200, **context: Any) -> HTMLResponse:
    response = render_page(request, template, lang, status, w=ingest_words(lang),
                           province_codes=_province_choices(session),
                           session=session, csrf=session.csrf if session else "",
                           sectors=default_sectors(), shown=SHOWN_COLUMNS,
                           note=lambda text: warning_in(text, lang),
                           reason=lambda text: reason_in(text, lang), **context)
    response.headers["Cache-Control"] = "no-store"
    if session is not None:
        set_cookie(response, request, session)
    return response


def _refuse(request: Request, lang: str, status: int, word: str, session: Session | None,
            detail: str = "", details: list[dict[str, Any]] | None = None) -> HTMLResponse:
    return _page(request, "ingest_message.html", lang, session, status, word=word,
                 detail=detail, details=details or [])


def _to(path: str, lang: str) -> RedirectResponse:
    return RedirectResponse(f"{path}?lang={lang}", status_code=303)


def _signed_in(request: Request) -> Session | None:
    session = _state(request)[0].get(request)
    return session if session is not None and session.signed_in else None


def _client(request: Request) -> str:
    return request.client.host if request.client else "-"


async def _form(request: Request) -> Any:
    return await read_form(request, max_fields=200)


# -- signing in ---------------------------------------------------------------------------------

@router.get("/ingest", response_class=HTMLResponse)
def ingest_home(request: Request, lang: Lang = "th") -> HTMLResponse:
    sessions, _ = _state(request)
    session = sessions.get(request)
    disabled = not _settings(request).write_keys
    if session is None or not session.signed_in:
        session = session or sessions.anonymous()
        return _page(request, "ingest_signin.html", lang, session, disabled=disabled)
    pending = [p for p in list(session.pending.values()) if session.held(p.id)]
    return _page(request, "ingest_upload.html", lang, session, pending=pending)


async def _csrf_post(request: Request, lang: str) -> tuple[Session | None, Any,
                                                         Response | None]:
    """The session (signed in or not), the form, and a 403 page unless the form carries the
    session's CSRF token."""
    session = _state(request)[0].get(request)
    form = await _form(request)
    if session is None or not session.csrf_ok(form.get("csrf")):
        return session, form, _refuse(request, lang, 403, "bad_form", session)
    return session, form, None


@router.post("/ingest/sign-in", response_class=HTMLResponse)
async def sign_in(request: Request, lang: Lang = "th") -> Response:
    sessions, throttle = _state(request)
    session, form, refused = await _csrf_post(request, lang)
    if refused is not None:
        return refused
    assert session is not None
    settings = _settings(request)
    if not settings.write_keys:
        return _refuse(request, lang, 403, "writes_disabled", session)
    client = _client(request)
    if throttle.wait(client) > 0:
        return _page(request, "ingest_signin.html", lang, session, 429, error="throttled")
    given = form.get("key")
    key = find_key(settings, given) if isinstance(given, str) and given.strip() else None
    if key is None:
        throttle.failed(client)
        return _page(request, "ingest_signin.html", lang, session, 401, error="wrong_key")
    throttle.succeeded(client)
    new = sessions.sign_in(session, key)
    response = _to("/ingest", lang)
    set_cookie(response, request, new)
    return response


@router.post("/ingest/sign-out", response_class=HTMLResponse)
async def sign_out(request: Request, lang: Lang = "th") -> Response:
    session, _, refused = await _csrf_post(request, lang)
    if refused is not None:
        return refused
    _state(request)[0].drop(session)
    response = _to("/ingest", lang)
    clear_cookie(response, request)
    return response


# -- upload, preview, choices, confirm ----------------------------------------------------------

@router.post("/ingest/upload", response_class=HTMLResponse)
async def upload(request: Request, lang: Lang = "th") -> Response:
    session = _signed_in(request)
    if session is None:  # before a byte of the body is read
        return _refuse(request, lang, 401, "need_sign_in", None)
    try:
        form = await _form(request)
    except InvalidInput as exc:
        return _refuse(request, lang, 422, "bad_upload", session, detail=exc.message)
    if not session.csrf_ok(form.get("csrf")):
        await form.close()
        return _refuse(request, lang, 403, "bad_form", session)
    try:
        files = await read_uploads(form, strict=False)
    except InvalidInput:
        return _refuse(request, lang, 422, "bad_file_name", session)
    if not files:
        return _refuse(request, lang, 422, "no_files", session)
    held = _state(request)[0].hold(session, files,
                                   _settings(request).max_upload_mb * 1_000_000)
    return _to(f"/ingest/preview/{held.id}", lang)


def _preview_page(request: Request, store: Any, session: Session, pending_id: str, lang: str,
                  status: int = 200, **extra: Any) -> HTMLResponse:
    held = session.held(pending_id)
    if held is None:
        return _refuse(request, lang, 404, "not_found", session)
    assert session.office is not None
    result = preview(store, held.files, list(held.choices.values()), session.office,
                     _settings(request))
    return _page(request, "ingest_preview.html", lang, session, status, held=held,
                 p=result, chosen=held.choices, **extra)


@router.get("/ingest/preview/{pending_id}", response_class=HTMLResponse)
def preview_page(request: Request, pending_id: str, store: StoreDep,
                 lang: Lang = "th") -> HTMLResponse:
    session = _signed_in(request)
    if session is None:
        return _refuse(request, lang, 401, "need_sign_in", None)
    return _preview_page(request, store, session, pending_id, lang)


async def _checked_post(request: Request, lang: str) -> tuple[Session | None, Any,
                                                            Response | None]:
    """As :func:`_csrf_post`, for a signed-in session only (a 401 page before the body is
    read otherwise)."""
    if _signed_in(request) is None:
        return None, None, _refuse(request, lang, 401, "need_sign_in", None)
    return await _csrf_post(request, lang)


@router.post("/ingest/preview/{pending_id}/choices", response_class=HTMLResponse)
async def choose(request: Request, pending_id: str, lang: Lang = "th") -> Response:
    session, form, refused = await _checked_post(request, lang)
    if refused is not None:
        return refused
    assert session is not None
    held = session.held(pending_id)
    if held is None:
        return _refuse(request, lang, 404, "not_found", session)
    count = int(form.get("n") or 0) if str(form.get("n") or "0").isdigit() else 0
    choices: dict[tuple[str, str | None], NameChoice] = {}
    for i in range(min(count, 500)):
        name, province = form.get(f"name_{i}"), form.get(f"province_{i}") or None
        action = str(form.get(f"choice_{i}") or "skip")
        if not isinstance(name, str) or not name:
            continue
        if action.startswith("pick:"):
            choice = NameChoice(name, province, "pick", org_id=action[5:])
        elif action == "new":
            choice = NameChoice(name, province, "new", sector=form.get(f"sector_{i}") or None,
                                new_province=form.get(f"new_province_{i}") or province)
        else:
            choice = NameChoice(name, province, "skip")
        choices[(name, province)] = choice
    held.choices.update(choices)
    return _to(f"/ingest/preview/{pending_id}", lang)


@router.post("/ingest/preview/{pending_id}/confirm", response_class=HTMLResponse)
async def confirm_write(request: Request, pending_id: str, store: StoreDep,
                        lang: Lang = "th") -> Response:
    session, form, refused = await _checked_post(request, lang)
    if refused is not None:
        return refused
    assert session is not None and session.office is not None
    held = session.held(pending_id)
    if held is None:
        return _refuse(request, lang, 404, "not_found", session)
    try:
        revision = int(str(form.get("revision")))
    except ValueError:
        return _refuse(request, lang, 403, "bad_form", session)
    try:
        report = await run_in_threadpool(
            confirm, store, held.files, list(held.choices.values()), session.office,
            _settings(request), revision=revision,
            fingerprint=str(form.get("digest") or ""))
    except StoreChanged:
        return await run_in_threadpool(_preview_page, request, store, session, pending_id,
                                       lang, 409, changed=True)
    except InvalidInput:  # the files no longer pass against the store: show why, write nothing
        return await run_in_threadpool(_preview_page, request, store, session, pending_id,
                                       lang, 422)
    except Unauthorised as exc:
        return _refuse(request, lang, exc.status, "not_allowed", session, exc.message,
                       exc.details)
    session.pending.pop(pending_id, None)
    request.app.state.cache.forget_before(report.revision_after)
    return RedirectResponse(f"/ingest/history?lang={lang}&written={report.revision_after}",
                            status_code=303)


@router.post("/ingest/preview/{pending_id}/discard", response_class=HTMLResponse)
async def discard(request: Request, pending_id: str, lang: Lang = "th") -> Response:
    session, _, refused = await _checked_post(request, lang)
    if refused is not None:
        return refused
    assert session is not None
    session.pending.pop(pending_id, None)
    return _to("/ingest", lang)


# -- history and undo ---------------------------------------------------------------------------

@router.get("/ingest/history", response_class=HTMLResponse)
def history_page(request: Request, store: StoreDep, lang: Lang = "th",
                 written: int | None = None, undone: int | None = None) -> HTMLResponse:
    session = _signed_in(request)
    if session is None:
        return _refuse(request, lang, 401, "need_sign_in", None)
    return _page(request, "ingest_history.html", lang, session,
                 records=[r.as_dict() for r in store.history(500)], written=written,
                 undone=undone)


@router.get("/ingest/history/{revision}", response_class=HTMLResponse)
def history_rows_page(request: Request, revision: int, store: StoreDep,
                      lang: Lang = "th") -> HTMLResponse:
    session = _signed_in(request)
    if session is None:
        return _refuse(request, lang, 401, "need_sign_in", None)
    try:
        rows = [c.as_dict() for c in store.history_rows(revision)]
    except NotFound as exc:
        return _refuse(request, lang, 404, "not_found", session, exc.message)
    return _page(request, "ingest_rows.html", lang, session, revision=revision, rows=rows[:1000],
                 total=len(rows))


@router.post("/ingest/history/{revision}/undo", response_class=HTMLResponse)
async def undo_page(request: Request, revision: int, store: StoreDep,
                    lang: Lang = "th") -> Response:
    session, _, refused = await _checked_post(request, lang)
    if refused is not None:
        return refused
    assert session is not None and session.office is not None
    try:
        record = await run_in_threadpool(undo_as, store, revision, session.office)
    except (InvalidInput, NotFound, Unauthorised) as exc:
        return _refuse(request, lang, exc.status, "cannot_undo", session, exc.message,
                       exc.details)
    request.app.state.cache.forget_before(record.revision)
    return RedirectResponse(f"/ingest/history?lang={lang}&undone={record.revision}",
                            status_code=303)
