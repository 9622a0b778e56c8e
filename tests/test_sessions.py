"""Sessions, held uploads and the sign-in throttle of the upload pages, in-process."""

from __future__ import annotations

from starlette.requests import Request

from graphsvc.api import sessions as s
from graphsvc.config import ApiKey

KEY = ApiKey("rayong", "secret-value-1", ("TH-21",))


def _request(sid: str) -> Request:
    return Request({"type": "http", "headers": [(b"cookie", f"{s.COOKIE}={sid}".encode())]})


def test_signing_in_replaces_the_session_and_forgets_the_secret():
    store = s.SessionStore()
    anonymous = store.anonymous()
    assert store.get(_request(anonymous.id)) is anonymous and not anonymous.signed_in
    signed = store.sign_in(anonymous, KEY)
    assert signed.id != anonymous.id and store.get(_request(anonymous.id)) is None
    assert signed.office == ApiKey("rayong", "", ("TH-21",)) and signed.office.secret == ""
    assert signed.csrf_ok(signed.csrf) and not signed.csrf_ok(anonymous.csrf)
    assert not signed.csrf_ok(None) and not signed.csrf_ok("")
    signed.expires = 0
    assert store.get(_request(signed.id)) is None


def test_a_flood_of_visitors_does_not_sign_an_office_out():
    store = s.SessionStore()
    signed = store.sign_in(None, KEY)
    for _ in range(s.MAX_SESSIONS + 10):
        store.anonymous()
    assert store.get(_request(signed.id)) is signed


def test_held_uploads_are_few_expire_and_fit_the_limits():
    store = s.SessionStore()
    session = store.sign_in(None, KEY)
    first = store.hold(session, [("a.csv", b"x" * 10)], max_bytes=100)
    for name in "bcd":
        store.hold(session, [(f"{name}.csv", b"x" * 10)], max_bytes=100)
    assert len(session.pending) == s.MAX_PENDING and session.held(first.id) is None
    big = store.hold(session, [("big.csv", b"x" * 95)], max_bytes=100)
    assert list(session.pending) == [big.id]  # the others made room
    big.created -= s.PENDING_SECONDS + 1
    assert session.held(big.id) is None and session.pending == {}


def test_all_sessions_together_hold_a_bounded_amount():
    store = s.SessionStore()
    offices = [store.sign_in(None, KEY) for _ in range(s.MAX_HELD_UPLOADS + 5)]
    for office in offices:
        store.hold(office, [("a.csv", b"x" * 100)], max_bytes=100)
    held = sum(p.size for o in offices for p in o.pending.values())
    assert held <= s.MAX_HELD_UPLOADS * 100
    assert offices[-1].pending and not offices[0].pending  # the oldest went first


def test_the_throttle_counts_wrong_keys_per_client_within_a_window():
    throttle = s.Throttle(max_failures=3, window=60)
    for _ in range(3):
        assert throttle.wait("10.0.0.1") == 0
        throttle.failed("10.0.0.1")
    assert 0 < throttle.wait("10.0.0.1") <= 60
    assert throttle.wait("10.0.0.2") == 0
    quick = s.Throttle(max_failures=1, window=0.0)
    quick.failed("a")
    assert quick.wait("a") == 0  # the window has passed
    throttle.succeeded("10.0.0.1")
    assert throttle.wait("10.0.0.1") == 0
