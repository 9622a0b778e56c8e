"""Weighted, L2-regularised logistic regression by Newton's method (numpy only).

The learned tie scorer needs a small, well-behaved classifier; scikit-learn is not a dependency
and a dozen features do not need one.

References
----------
.. [1] T. Hastie, R. Tibshirani and J. Friedman, The Elements of Statistical Learning, 2nd ed.,
   Springer, 2009, section 4.4 (fitting logistic regression by Newton–Raphson).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["LogisticModel", "fit_logistic"]


@dataclass(frozen=True, slots=True)
class LogisticModel:
    """``P(y=1|x) = σ(b0 + b·(x − mean)/scale)``."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def logit(self, X: np.ndarray) -> np.ndarray:
        return self.intercept + ((X - self.mean) / self.scale) @ self.coef


def fit_logistic(X: np.ndarray, y: np.ndarray, w: np.ndarray | None = None, *, l2: float = 1.0
                 ) -> LogisticModel:
    """Weighted logistic regression, L2 penalty ``l2/2 ‖b‖²`` on standardised features (L-BFGS).

    A stratum with no positive (or no negative) gets a constant model at its smoothed base rate.
    """
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    w = np.ones(len(y)) if w is None else np.asarray(w, dtype=np.float64)
    p = X.shape[1]
    wsum = w.sum()
    mean = (w @ X) / wsum if wsum > 0 else np.zeros(p)
    var = (w @ (X - mean) ** 2) / wsum if wsum > 0 else np.ones(p)
    scale = np.where(var > 1e-12, np.sqrt(var), 1.0)
    pos = float(w @ y)
    if pos == 0 or pos == wsum:
        rate = (pos + 0.5) / (wsum + 1.0)
        return LogisticModel(mean, scale, np.zeros(p), float(np.log(rate / (1 - rate))))
    Z = (X - mean) / scale
    Z[:, var <= 1e-12] = 0.0
    Z1 = np.column_stack([np.ones(len(y)), Z])
    penalty = np.full(p + 1, l2)
    penalty[0] = 0.0

    def loss(z: np.ndarray, theta: np.ndarray) -> float:
        return float(w @ (np.logaddexp(0.0, z) - y * z)) + 0.5 * float(penalty @ theta**2)

    rate = pos / wsum
    theta = np.zeros(p + 1)
    theta[0] = np.log(rate / (1 - rate))
    z = Z1 @ theta
    current = loss(z, theta)
    for _ in range(50):  # Newton's method with step halving (the loss is strictly convex)
        prob = 0.5 * (1.0 + np.tanh(0.5 * z))
        grad = Z1.T @ (w * (prob - y)) + penalty * theta
        hess = (Z1 * (w * prob * (1.0 - prob))[:, None]).T @ Z1 + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        t = 1.0
        while True:
            trial = theta - t * step
            z_trial = Z1 @ trial
            value = loss(z_trial, trial)
            if value <= current or t < 1e-6:
                break
            t *= 0.5
        theta, z, previous, current = trial, z_trial, current, value
        if previous - current <= 1e-9 * max(1.0, abs(previous)):
            break
    return LogisticModel(mean, scale, theta[1:], float(theta[0]))
