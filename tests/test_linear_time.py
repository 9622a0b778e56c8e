"""Every parser of user text runs in time linear in its input.

Hypothesis builds adversarial strings (repetitions and near-misses of the date and name
patterns: a digit then many letters then a non-digit, runs of abbreviations, of marks, of
spaces, of digits) at a length ``n`` and at ``8 n``, and times each parser on both. A linear
parser takes about 8 times as long on the longer text; the test fails only beyond 32 times
(plus 2 ms of timer noise), which a quadratic parser (64 times) or a backtracking one (far more)
passes. Every call also runs under a 10 s alarm, so a pattern that would run for hours fails
instead of hanging the run. The caps (a date longer than 64 characters is refused unread) are
lifted here: the patterns themselves are measured. ``benchmarks/parsing_bench.py`` prints the
times.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphsvc.errors import GraphsvcError
from graphsvc.model.dates import parse_date
from graphsvc.model.reference import default_sectors
from graphsvc.model.selection import parse_fy_window, parse_province, parse_sectors
from graphsvc.model.text import display_name, match_keys, thai_sort_key
from ingest.columns import header_key
from ingest.lookups import ProvinceLookup, SectorLookup, collab_type, status

SHORT = 1000
FACTOR = 8
BOUND = 32  # quadratic growth would be 64
NOISE = 0.002

#: Pieces repeated to build hostile text: near-misses of each pattern parsers apply.
UNITS = ["ม", "a", "ม.ค.", " ม", "1", "๑", "12 ", "2566-", "1/2/", "1.", "-", ". ",
         "ร.ร.", "สนง.", "จ.", "อบต.", " ", "  ", "\u0e48", "\u0e33", "เ", "ะ ", "ก\u0e48\u0e48",
         "\u200b", "\u00a0", "\t", ":", "–", ","]
PREFIXES = ["", "1", "12 ", "2566-01-", "1/", "จังหวัด", "ภาค", " "]
SUFFIXES = ["", "!", "x", "66", "2566", "1", " ", "."]


def _quiet(fn: Callable[[str], object]) -> Callable[[str], object]:
    def run(text: str) -> object:
        try:
            return fn(text)
        except (ValueError, GraphsvcError):
            return None
    return run


_SECTORS = SectorLookup(default_sectors())
_PROVINCES = ProvinceLookup()
PARSERS: dict[str, Callable[[str], object]] = {
    "parse_date": _quiet(lambda t: parse_date(t, max_chars=None)),
    "display_name": display_name.__wrapped__,  # not its cache: every call does the work
    "match_keys": lambda t: match_keys([t]),
    "thai_sort_key": thai_sort_key,
    "header_key": header_key,
    "province lookup": _quiet(_PROVINCES),
    "sector lookup": _quiet(_SECTORS),
    "status": _quiet(status),
    "collab_type": _quiet(collab_type),
    "parse_fy_window": _quiet(parse_fy_window),
    "parse_province": _quiet(parse_province),
    "parse_sectors": _quiet(parse_sectors),
}


@contextmanager
def _alarm(seconds: int) -> Iterator[None]:
    def fail(signum: int, frame: object) -> None:
        raise TimeoutError(f"a parser ran for over {seconds} s")

    previous = signal.signal(signal.SIGALRM, fail)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def best_time(fn: Callable[[str], object], text: str, repeat: int = 5) -> float:
    """The fastest of ``repeat`` runs (the least disturbed by the rest of the machine)."""
    best = float("inf")
    with _alarm(10):
        for _ in range(repeat):
            start = time.perf_counter()
            fn(text)
            best = min(best, time.perf_counter() - start)
    return best


def hostile(prefix: str, unit: str, suffix: str, n: int) -> str:
    return prefix + unit * max(1, n // len(unit)) + suffix


units = st.one_of(st.sampled_from(UNITS),
                  st.text(st.sampled_from("1ม. -/ร\u0e48\u0e33เa๑:"), min_size=1, max_size=5))


@pytest.mark.parametrize("name", list(PARSERS))
@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
@given(prefix=st.sampled_from(PREFIXES), unit=units, suffix=st.sampled_from(SUFFIXES))
def test_parsing_time_grows_linearly(name: str, prefix: str, unit: str, suffix: str) -> None:
    fn = PARSERS[name]
    short = best_time(fn, hostile(prefix, unit, suffix, SHORT))
    long = best_time(fn, hostile(prefix, unit, suffix, SHORT * FACTOR))
    assert long <= BOUND * short + NOISE, (
        f"{name}: {SHORT} chars {short * 1e3:.2f} ms, {SHORT * FACTOR} chars "
        f"{long * 1e3:.2f} ms ({long / max(short, 1e-9):.0f}x)")


def test_the_check_catches_a_quadratic_parser() -> None:
    """The check itself, on pythainlp's own vowel reordering, which is quadratic on a run of tone
    marks (the reason :mod:`graphsvc.model.thainorm` exists)."""
    from pythainlp.util import reorder_vowels

    short = best_time(reorder_vowels, hostile("ก", "\u0e48", "", SHORT), repeat=3)
    long = best_time(reorder_vowels, hostile("ก", "\u0e48", "", SHORT * FACTOR), repeat=1)
    assert long > BOUND * short + NOISE


def test_the_date_that_froze_the_server_is_refused_at_once() -> None:
    """The 42-byte cell of the attack (a digit, 40 letters, a non-digit): once exponential."""
    cell = "1" + "ม" * 40 + "!"
    assert best_time(PARSERS["parse_date"], cell) < 0.01
    with pytest.raises(ValueError, match="cannot read"):
        parse_date(cell)
    with pytest.raises(ValueError, match="at most 64"):
        parse_date("1" + "ม" * 4000 + "!")
