"""Breakeven: the value of one input at which a metric meets a target.

:func:`breakeven` finds the roots of g(x) = metric(x) - target by a robust
bracketing search that needs no derivative and no promise of monotony: it evaluates
g on a grid over the search interval in one vectorised call, widens the interval
(within hard limits) until g changes sign, then refines every sign change with
Brent's method (:func:`scipy.optimize.brentq`). Every root found is returned; the
reported one is the closest to the base value. Points where g has no value (an IRR
that does not exist) are skipped. No file or network I/O.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import brentq

FloatArray = NDArray[np.float64]

__all__ = ["BreakevenSearch", "breakeven"]

Objective = Callable[[FloatArray], FloatArray]
"""``g(x) -> metric(x) - target`` for x of shape (n,), vectorised."""


@dataclass(frozen=True, slots=True)
class BreakevenSearch:
    """The outcome of a breakeven search."""

    value: float
    """The root closest to the base value; NaN if g never changes sign."""
    roots: tuple[float, ...]
    """Every root found, ascending (more than one: the metric is not monotone in
    the input)."""
    low: float
    """Lower end of the interval finally searched."""
    high: float
    """Upper end of the interval finally searched."""
    evaluations: int
    """How many values of the input were evaluated."""


def _sign_changes(x: FloatArray, g: FloatArray) -> list[tuple[float, float]]:
    """Adjacent grid points (skipping those without a value) where g changes sign
    or is exactly 0."""
    keep = np.isfinite(g)
    x, g = x[keep], g[keep]
    brackets = []
    for i in range(len(x) - 1):
        if g[i] == 0:
            brackets.append((x[i], x[i]))
        elif g[i] * g[i + 1] < 0:
            brackets.append((x[i], x[i + 1]))
    if len(x) and g[-1] == 0:
        brackets.append((x[-1], x[-1]))
    return brackets


def breakeven(
    objective: Objective,
    *,
    base: float,
    low: float,
    high: float,
    floor: float = -math.inf,
    ceiling: float = math.inf,
    grid_points: int = 33,
    max_widenings: int = 6,
    xtol: float = 1e-12,
    rtol: float = 1e-12,
) -> BreakevenSearch:
    """Values of an input at which ``objective`` (metric minus target) is 0.

    Parameters
    ----------
    objective : callable
        g(x) for an array of input values; NaN where the metric has no value.
    base : float
        The input's value in the scenario (the reported root is the closest to it).
    low, high : float
        First interval to search, low < high.
    floor, ceiling : float
        Hard limits of the input (its valid range); the interval widens up to them.
    grid_points : int
        Points of each grid scan (>= 3).
    max_widenings : int
        How many times the interval may triple in width (about its centre, within
        [floor, ceiling]) before giving up.
    xtol, rtol : float
        Absolute and relative tolerances of Brent's method on x.

    Returns
    -------
    search : BreakevenSearch

    Notes
    -----
    A grid scan finds every sign change wider than the grid's step, so a
    non-monotone metric (an IRR that falls again, a payback that jumps) yields all
    its roots, not only the first one a bracket happens to hold.

    Examples
    --------
    NPV of -100 now and x in a year at 10 %: zero at x = 110.

    >>> found = breakeven(lambda x: -100 + x / 1.1, base=100.0, low=0.0,
    ...     high=200.0)
    >>> round(found.value, 9), len(found.roots)
    (110.0, 1)
    """
    if not low < high:
        raise ValueError(f"breakeven: need low < high, got {low!r} and {high!r}")
    count = 0
    lo, hi = max(low, floor), min(high, ceiling)
    brackets: list[tuple[float, float]] = []
    for _ in range(max_widenings + 1):
        grid = np.unique(np.concatenate([np.linspace(lo, hi, grid_points), [base]]))
        grid = grid[(grid >= lo) & (grid <= hi)]
        values = np.asarray(objective(grid), dtype=float)
        count += grid.size
        brackets = _sign_changes(grid, values)
        if brackets or (lo <= floor and hi >= ceiling):
            break
        centre, width = (lo + hi) / 2.0, hi - lo
        lo, hi = max(centre - 1.5 * width, floor), min(centre + 1.5 * width, ceiling)

    def scalar(x: float) -> float:
        nonlocal count
        count += 1
        return float(np.asarray(objective(np.array([x])), dtype=float)[0])

    roots = sorted(
        a if a == b else float(brentq(scalar, a, b, xtol=xtol, rtol=rtol))
        for a, b in brackets
    )
    roots = list(dict.fromkeys(roots))
    value = min(roots, key=lambda r: abs(r - base)) if roots else math.nan
    return BreakevenSearch(
        value=value,
        roots=tuple(roots),
        low=float(lo),
        high=float(hi),
        evaluations=count,
    )
