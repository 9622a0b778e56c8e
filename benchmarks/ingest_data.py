"""A large, seeded partner network as CSV files, for benchmarks/ingest_bench.py.

Sizes default to issue 2's: 100,000 organisations, 2,000 events, 300,000 attendance rows and
500,000 collaborations. Event sizes are realistic: most events draw 10–80 organisations, a few
provincial or national assemblies draw thousands. Names are Thai, built from the words real
organisation names use (so cleaning does real work), with an English name beside; a tenth of the
event dates are written in the Buddhist era, as Thai sheets do.

    python benchmarks/ingest_data.py OUT_DIR [--scale 0.1] [--seed 7]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["SIZES", "write_dataset"]

SIZES = {"organisations": 100_000, "events": 2_000, "attendance": 300_000,
         "collaborations": 500_000}

_KINDS = [("GOV", "สำนักงาน"), ("GOV", "องค์การบริหารส่วนตำบล"), ("GOV", "เทศบาลตำบล"),
          ("EDU", "โรงเรียน"), ("EDU", "วิทยาลัย"), ("REL", "วัด"), ("REL", "มัสยิด"),
          ("BIZ", "บริษัท"), ("BIZ", "ห้างหุ้นส่วนจำกัด"), ("MED", "สถานีวิทยุชุมชน"),
          ("MED", "หนังสือพิมพ์"), ("CIV", "ชมรม"), ("CIV", "มูลนิธิ"), ("CIV", "กลุ่ม")]
_WORDS = ["บ้าน", "หนอง", "นา", "ป่า", "ท่า", "ดอน", "โคก", "วัง", "ทุ่ง", "เขา", "คลอง", "บึง",
          "ศรี", "สุข", "ใหม่", "เก่า", "ทอง", "แก้ว", "พัฒนา", "สามัคคี", "คุณธรรม", "ร่มเย็น",
          "ประดู่", "มะม่วง", "ตะพง", "เพ", "แกลง", "ระยอง", "จันทร์", "สำราญ", "น้ำใส", "ดำรง"]
_TYPES = ["mou", "joint_project", "co_host", "funding", "in_kind_support", "mentoring",
          "referral", "media_coverage"]
_EVENT_TYPES = ["meeting", "workshop", "campaign", "mou_signing", "assembly"]


def _provinces() -> list[str]:
    from graphsvc.model.reference import provinces

    return sorted(provinces())


def _event_sizes(rng: np.random.Generator, n_events: int, total: int, n_orgs: int) -> np.ndarray:
    """Most events 10–80 organisations; 5 % are assemblies that take the rest of ``total``."""
    n_big = max(1, n_events // 20)
    small = rng.integers(10, 81, size=n_events - n_big)
    rest = max(total - int(small.sum()), n_big)
    share = rng.dirichlet(np.full(n_big, 4.0)) * rest
    big = np.minimum(np.maximum(share.round().astype(int), 81), n_orgs)
    big[-1] = min(n_orgs, max(1, rest - int(big[:-1].sum())))
    sizes = np.concatenate([small, big])
    rng.shuffle(sizes)
    return sizes


def write_dataset(out: Path, *, scale: float = 1.0, seed: int = 7) -> dict[str, Path]:
    """Write organisations/events/attendance/collaborations CSV files into ``out``."""
    rng = np.random.default_rng(seed)
    n = {k: max(10, int(v * scale)) for k, v in SIZES.items()}
    out.mkdir(parents=True, exist_ok=True)
    provs = np.array(_provinces())

    n_orgs = n["organisations"]
    kind = rng.integers(0, len(_KINDS), n_orgs)
    w1 = rng.integers(0, len(_WORDS), n_orgs)
    w2 = rng.integers(0, len(_WORDS), n_orgs)
    org_prov = provs[rng.integers(0, len(provs), n_orgs)]
    ids = np.array([f"B{i:06d}" for i in range(n_orgs)])
    names = [f"{_KINDS[k][1]}{_WORDS[a]}{_WORDS[b]} {i % 997}"
             for i, (k, a, b) in enumerate(zip(kind, w1, w2, strict=True))]
    joined = pd.to_datetime("2018-01-01") + pd.to_timedelta(rng.integers(0, 2000, n_orgs), "D")
    orgs = pd.DataFrame({
        "org_id": ids, "name_th": names, "name_en": [f"Organisation {i}" for i in range(n_orgs)],
        "sector": [_KINDS[k][0] for k in kind], "province_code": org_prov,
        "status": np.where(rng.random(n_orgs) < 0.1, "candidate", "member"),
        "joined_date": joined.strftime("%Y-%m-%d"),
    })

    n_events = n["events"]
    days = pd.to_datetime("2021-10-01") + pd.to_timedelta(rng.integers(0, 1000, n_events), "D")
    iso = days.strftime("%Y-%m-%d").to_numpy()
    be = [f"{d.day}/{d.month}/{d.year + 543}" for d in days]
    events = pd.DataFrame({
        "event_id": [f"EV{i:05d}" for i in range(n_events)],
        "title_th": [f"ประชุมเครือข่ายคุณธรรม ครั้งที่ {i}" for i in range(n_events)],
        "event_type": np.array(_EVENT_TYPES)[rng.integers(0, len(_EVENT_TYPES), n_events)],
        "province_code": provs[rng.integers(0, len(provs), n_events)],
        "start_date": np.where(rng.random(n_events) < 0.1, be, iso),
    })

    sizes = _event_sizes(rng, n_events, n["attendance"], n_orgs)
    ev_col, org_col = [], []
    for e, size in enumerate(sizes):
        ev_col.append(np.full(size, e))
        org_col.append(rng.choice(n_orgs, size=size, replace=False))
    ev_idx, org_idx = np.concatenate(ev_col), np.concatenate(org_col)
    attendance = pd.DataFrame({
        "event_id": events["event_id"].to_numpy()[ev_idx], "org_id": ids[org_idx],
        "role": np.where(rng.random(len(ev_idx)) < 0.05, "host", "participant"),
        "delegates": rng.integers(1, 6, len(ev_idx)),
    })

    want = n["collaborations"]
    pairs = np.empty((0, 2), dtype=np.int64)
    while len(pairs) < want:
        a = rng.integers(0, n_orgs, want)
        b = rng.integers(0, n_orgs, want)
        more = np.stack([np.minimum(a, b), np.maximum(a, b)], axis=1)
        more = more[more[:, 0] != more[:, 1]]
        pairs = np.unique(np.concatenate([pairs, more]), axis=0)
    pairs = pairs[rng.permutation(len(pairs))[:want]]
    flip = rng.random(want) < 0.5  # both orders, as people write them
    a_ids = np.where(flip, ids[pairs[:, 1]], ids[pairs[:, 0]])
    b_ids = np.where(flip, ids[pairs[:, 0]], ids[pairs[:, 1]])
    start = pd.to_datetime("2019-01-01") + pd.to_timedelta(rng.integers(0, 1800, want), "D")
    collabs = pd.DataFrame({
        "org_a_id": a_ids, "org_b_id": b_ids,
        "collab_type": np.array(_TYPES)[rng.integers(0, len(_TYPES), want)],
        "weight": np.where(rng.random(want) < 0.2, "2.0", ""),
        "start_date": np.where(rng.random(want) < 0.7, start.strftime("%Y-%m-%d"), ""),
    })

    paths = {}
    for name, frame in (("organisations", orgs), ("events", events),
                        ("attendance", attendance), ("collaborations", collabs)):
        paths[name] = out / f"{name}.csv"
        frame.to_csv(paths[name], index=False)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    for name, path in write_dataset(args.out, scale=args.scale, seed=args.seed).items():
        print(f"{name}: {path}")


if __name__ == "__main__":
    main()
