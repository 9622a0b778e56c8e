"""Parsing benchmark (issue 14): user text is parsed in time linear in its length, and files
over a reading limit are refused within a second or two.

    python benchmarks/parsing_bench.py            # 1,000 / 8,000 / 64,000 characters
    python benchmarks/parsing_bench.py --quick    # 1,000 / 8,000

Part 1: for each parser of user text and a few hostile strings (near-misses of the date
patterns, runs of tone marks, of abbreviations, of spaces), the best of 5 times at each length
and the ratios of successive lengths (linear: about 8; a loaded machine widens them). For
comparison it times the date pattern this release replaced (a digit, ``k`` letters, a
non-digit: exponential in ``k``) and pythainlp's own ``normalize`` (quadratic on a run of tone
marks), each stopped at 10 s.

Part 2: the hostile files of ``tests/hostile_files.py`` read by the ingest (no store) with a row
limit of 20,000: seconds until each is refused, and why.
"""

from __future__ import annotations

import argparse
import re
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from hostile_files import invalid_files, malformed_files, over_limit_files  # noqa: E402

from graphsvc.errors import GraphsvcError  # noqa: E402
from graphsvc.model.dates import parse_date  # noqa: E402
from graphsvc.model.text import display_name, match_keys  # noqa: E402
from ingest.columns import header_key  # noqa: E402
from ingest.limits import ReadLimits  # noqa: E402
from ingest.pipeline import prepare_batch  # noqa: E402

OLD_NAMED = re.compile(r"^(\d{1,2})\s*([^\d\s]+(?:\s*[^\d\s]+)*?)\s*(\d{2}|\d{4})$")
CASES = {"date near-miss": ("1", "ม", "!"), "tone marks": ("ก", "\u0e48", ""),
         "sara am": ("ก", "\u0e33", ""), "abbreviations": ("", "ร.ร.", "x"),
         "spaced letters": ("", " ม", ""), "digits": ("", "1", "x")}


def _quiet(fn):
    def run(text):
        try:
            fn(text)
        except (ValueError, GraphsvcError):
            pass
    return run


PARSERS = {"parse_date (no cap)": _quiet(lambda t: parse_date(t, max_chars=None)),
           "display_name": display_name.__wrapped__,
           "match_keys": lambda t: match_keys([t]),
           "header_key": header_key}


class Timeout(Exception):
    pass


def best(fn, text: str, repeat: int = 5, limit: int = 10) -> float:
    """Best of ``repeat`` runs; ``inf`` when one run passes ``limit`` seconds."""
    def stop(signum, frame):
        raise Timeout

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(limit)
    try:
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            fn(text)
            times.append(time.perf_counter() - start)
        return min(times)
    except Timeout:
        return float("inf")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _ms(t: float) -> str:
    return "   > 10 s" if t == float("inf") else f"{t * 1e3:8.2f}"


def parsers(lengths: list[int]) -> None:
    print(f"{'parser':22} {'input':16} " + " ".join(f"{n:>8}" for n in lengths)
          + "   ratios of successive lengths (ms; best of 5)")
    for name, fn in PARSERS.items():
        for case, (prefix, unit, suffix) in CASES.items():
            times = [best(fn, prefix + unit * (n // len(unit)) + suffix) for n in lengths]
            ratios = " ".join(f"{times[i + 1] / max(times[i], 1e-9):5.1f}x"
                              for i in range(len(times) - 1))
            print(f"{name:22} {case:16} " + " ".join(_ms(t) for t in times) + f"   {ratios}")
    print("\nreplaced date pattern, '1' + k letters + '!':")
    for k in (14, 16, 18, 20, 22, 24):
        old = best(lambda t: OLD_NAMED.match(t), "1" + "ม" * k + "!", repeat=1)
        new = best(PARSERS["parse_date (no cap)"], "1" + "ม" * k + "!")
        print(f"  k={k:2}: old {_ms(old)}, new {_ms(new)} (ms)")
    from pythainlp.util import normalize

    from graphsvc.model.thainorm import normalize as linear
    print("\npythainlp normalize vs graphsvc.model.thainorm, 'ก' + n tone marks:")
    for n in lengths:
        text = "ก" + "\u0e48" * n
        print(f"  n={n:6}: pythainlp {_ms(best(normalize, text, repeat=1))}, "
              f"linear {_ms(best(linear, text))} (ms)")


def files() -> None:
    print("\nhostile files, row limit 20,000 (seconds until refused):")
    corpus = {**over_limit_files(rows=20_000), **invalid_files(), **malformed_files()}
    limits = ReadLimits(max_rows=20_000)
    for name, data in corpus.items():
        start = time.perf_counter()
        try:
            prepare_batch([(name, data)], None, limits=limits)
            outcome = "LOADED"
        except GraphsvcError as exc:
            outcome = f"{exc.status} {exc.message[:70]}"
        print(f"  {time.perf_counter() - start:6.2f}s {len(data):>10,} B  {name:34} {outcome}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1,000 and 8,000 characters only")
    args = parser.parse_args()
    lengths = [1000, 8000] if args.quick else [1000, 8000, 64000]
    parsers(lengths)
    files()


if __name__ == "__main__":
    main()
