"""No cold page: the Rayong page's first request after start-up and after a write.

    python benchmarks/warm_bench.py               # 5 server starts, warm-up on and off
    python benchmarks/warm_bench.py --rounds 3

Each round starts ``graphsvc serve`` (a fresh process on a free loopback port) on a copy of the
demo store and then, as the issue's "Done when" says:

(a) waits until ``/health`` answers, then 3 s more, and times the first ``GET /provinces/TH-21``
    (and then the first request of the map that page embeds);
(b) posts a small organisations file to ``POST /api/ingest`` (one new Rayong organisation, so
    the revision rises), waits 3 s and times the page (and its map) again.

Rounds alternate between the warm-up on (the default) and off (``GRAPHSVC_WARMUP=0``), so both
see the same machine. Printed: medians (min–max) per scenario; goal with warm-up < 1 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent
KEY = "warm-bench-key"
PAGE = "/provinces/TH-21"
MAP = "/maps/network?province=TH-21&embed=1&lang=th"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _timed(client: httpx.Client, path: str) -> float:
    t = time.perf_counter()
    r = client.get(path)
    took = time.perf_counter() - t
    r.raise_for_status()
    return took


def one_round(db: Path, warm: bool, n: int, workdir: Path) -> dict[str, float]:
    port = _port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAPHSVC_")}
    env.update(GRAPHSVC_API_KEYS=KEY, GRAPHSVC_WARMUP="1" if warm else "0")
    proc = subprocess.Popen([str(BIN / "graphsvc"), "serve", "--store", f"sqlite:///{db}",
                             "--port", str(port), "--log-level", "warning"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    out: dict[str, float] = {}
    try:
        with httpx.Client(base_url=base, timeout=120) as client:
            deadline = time.monotonic() + 120
            while True:
                try:
                    if client.get("/health").status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise SystemExit("the server did not start")
                time.sleep(0.1)
            time.sleep(3)
            out["start: page"] = _timed(client, PAGE)
            out["start: map"] = _timed(client, MAP)
            csv = workdir / "organisations.csv"
            csv.write_text("org_id,name_th,sector,province_code\n"
                           f"BENCH-{n:04d},สมาคมทดสอบความเร็ว {n},CIV,TH-21\n", encoding="utf-8")
            with csv.open("rb") as fh:
                client.post("/api/ingest", headers={"Authorization": f"Bearer {KEY}"},
                            files={"files": ("organisations.csv", fh, "text/csv")}
                            ).raise_for_status()
            time.sleep(3)
            out["write: page"] = _timed(client, PAGE)
            out["write: map"] = _timed(client, MAP)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=5, help="server starts per setting")
    ap.add_argument("--quick", action="store_true", help="2 rounds")
    args = ap.parse_args()
    rounds = 2 if args.quick else args.rounds
    results: dict[bool, list[dict[str, float]]] = {True: [], False: []}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        demo = work / "demo.db"
        subprocess.run([str(BIN / "graphsvc"), "demo", "--no-serve", "--store",
                        f"sqlite:///{demo}"], check=True, stdout=subprocess.DEVNULL)
        for r in range(rounds):
            for warm in (True, False):
                db = work / f"round-{r}-{int(warm)}.db"
                shutil.copy(demo, db)
                results[warm].append(one_round(db, warm, r, work))
    print(f"first requests, {rounds} server starts each (median, min–max):")
    for warm in (True, False):
        print(f"  warm-up {'on ' if warm else 'off'}:")
        for key in results[warm][0]:
            ts = [r[key] for r in results[warm]]
            print(f"    {key:12s} {statistics.median(ts):6.3f} s  ({min(ts):.3f}–{max(ts):.3f})")
    print("goal with warm-up on: page < 1 s after start-up + 3 s and after a write + 3 s")


if __name__ == "__main__":
    main()
