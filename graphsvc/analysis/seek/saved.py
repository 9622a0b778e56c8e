"""The fitted tie scorers as bytes: a small numpy ``.npz`` of coefficients, calibration and
quantile grids, with a format version (a model saved in another format is fitted again)."""

from __future__ import annotations

import io
import json
from typing import Any

import numpy as np

from graphsvc.analysis.seek.logistic import LogisticModel
from graphsvc.analysis.seek.scorer import STRATA, LearnedModel
from graphsvc.analysis.seek.select import Calibration, DefaultModel

__all__ = ["FORMAT_VERSION", "load_model", "model_bytes"]

#: Saved models of another version are not read (2: rank-sum heads of several parts).
FORMAT_VERSION = 2


def _logistic_arrays(prefix: str, m: LogisticModel, out: dict[str, np.ndarray]) -> None:
    out[f"{prefix}.mean"] = m.mean
    out[f"{prefix}.scale"] = m.scale
    out[f"{prefix}.coef"] = m.coef
    out[f"{prefix}.intercept"] = np.array([m.intercept])


def _logistic(prefix: str, z: Any) -> LogisticModel:
    return LogisticModel(z[f"{prefix}.mean"], z[f"{prefix}.scale"], z[f"{prefix}.coef"],
                         float(z[f"{prefix}.intercept"][0]))


def model_bytes(model: DefaultModel | LearnedModel) -> bytes:
    """A fitted model as bytes (numpy ``.npz``), for :func:`load_model`."""
    learned = model.learned if isinstance(model, DefaultModel) else model
    arrays: dict[str, np.ndarray] = {}
    for s in STRATA:
        _logistic_arrays(f"m.{s}", learned.models[s], arrays)
    if learned.head is not None:
        _logistic_arrays("head", learned.head, arrays)
    meta: dict[str, Any] = {"version": FORMAT_VERSION, "three": learned.three,
                            "info": learned.info, "head_threshold": learned.head_threshold,
                            "head": learned.head is not None,
                            "default": isinstance(model, DefaultModel)}
    if isinstance(model, DefaultModel):
        meta.update(head_method=model.head_method, threshold=model.head_threshold,
                    scale=model.head_scale, selection=model.selection)
        arrays["cal.x"], arrays["cal.y"] = model.calibration.x, model.calibration.y
        arrays["hcal.x"], arrays["hcal.y"] = model.head_calibration.x, model.head_calibration.y
        for name, grid in model.grids.items():
            arrays[f"grid.{name}"] = grid
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    buf = io.BytesIO()
    np.savez(buf, **arrays)  # type: ignore[arg-type]  # numpy's stub types the names oddly
    return buf.getvalue()


def load_model(data: bytes) -> DefaultModel | LearnedModel:
    """The model saved by :func:`model_bytes` (``ValueError`` for another format version)."""
    with np.load(io.BytesIO(data), allow_pickle=False) as z:
        meta = json.loads(bytes(z["meta"]).decode())
        if meta.get("version") != FORMAT_VERSION:
            raise ValueError(f"model format {meta.get('version')} is not {FORMAT_VERSION}")
        learned = LearnedModel({s: _logistic(f"m.{s}", z) for s in STRATA}, bool(meta["three"]),
                               dict(meta["info"]), _logistic("head", z) if meta["head"] else None,
                               float(meta["head_threshold"]))
        if not meta["default"]:
            return learned
        return DefaultModel(learned, meta["head_method"], float(meta["threshold"]),
                            float(meta["scale"]), Calibration(z["cal.x"], z["cal.y"]),
                            Calibration(z["hcal.x"], z["hcal.y"]), dict(meta["selection"]),
                            {k[5:]: z[k] for k in z.files if k.startswith("grid.")})
