"""Monte Carlo: draw uncertain inputs, evaluate every draw at once, read P-values.

:func:`run_monte_carlo` takes a pure evaluation function and a parameter spec
(STYLE.md section 9): it draws the inputs (:mod:`solarcase.analysis.sampling`) and
the energy factors, calls ``evaluate`` on blocks of draws (every draw of a block in
one vectorised pass) and returns a tidy DataFrame, one row per draw. P-values and
probabilities are derived from that frame.

**Px convention** (as in the PV industry): Px is the value *exceeded with
probability x*, i.e. the (100 - x)th percentile. P90 energy is the low case; P10 the
high one. It applies to every metric alike, so for a cost such as the LCOE the P90 is
the *low* (favourable) value and the unfavourable 90 % case is its P10.

No file or network I/O; randomness only from the injected generator.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from solarcase.analysis.distributions import Distribution
from solarcase.analysis.sampling import energy_factors, sample
from solarcase.errors import ScenarioError

FloatArray = NDArray[np.float64]

__all__ = [
    "DEFAULT_PX",
    "Evaluate",
    "MonteCarloSpec",
    "Variable",
    "exceedance_value",
    "p_values",
    "probability_below",
    "run_monte_carlo",
]

#: The P-values every risk output shows (exceedance probabilities in percent).
DEFAULT_PX: tuple[float, ...] = (90.0, 50.0, 10.0)
#: Draws evaluated in one vectorised pass; bounds the memory of 100,000 draws.
#: Fixed (not tied to the machine) so that results never depend on it.
CHUNK_DRAWS = 25_000

Evaluate = Callable[[Mapping[str, FloatArray], FloatArray], Mapping[str, FloatArray]]
"""``evaluate(values, energy_factors) -> metrics``: input values by variable name,
each of shape (n,), and energy factors of shape (n, N) in; metrics by name, each of
shape (n,), out."""


@dataclass(frozen=True, slots=True)
class Variable:
    """One uncertain input of the Monte Carlo."""

    name: str
    """Name of the input (a column of the draws frame)."""
    distribution: Distribution
    """Its probability distribution."""


@dataclass(frozen=True, slots=True)
class MonteCarloSpec:
    """What is uncertain, and how."""

    variables: tuple[Variable, ...] = ()
    """Uncertain inputs."""
    rank_correlation: NDArray[np.float64] | None = None
    """Spearman correlation matrix of the variables, in their order; None:
    independent. [-]"""
    model_sd: float = 0.0
    """Standard deviation of the energy model/data factor (one per draw).
    [fraction]"""
    interannual_sd: float = 0.0
    """Standard deviation of the weather factor of each operating year. [fraction]"""
    year_ratios: NDArray[np.float64] | None = field(default=None)
    """Energy of each simulated weather year over their mean: when given, operating
    years draw from them (bootstrap) instead of the normal weather factor. [-]"""


def run_monte_carlo(
    evaluate: Evaluate,
    spec: MonteCarloSpec,
    *,
    n_draws: int,
    n_years: int,
    rng: np.random.Generator,
    chunk_draws: int = CHUNK_DRAWS,
) -> pd.DataFrame:
    """Draw the inputs and evaluate every draw.

    Parameters
    ----------
    evaluate : callable
        ``evaluate(values, energy_factors) -> metrics`` (see :data:`Evaluate`);
        pure, vectorised over draws.
    spec : MonteCarloSpec
        The uncertain inputs and the yield uncertainty.
    n_draws : int
        Number of draws, >= 1.
    n_years : int
        Operating years N (columns of the energy factors).
    rng : numpy.random.Generator
        The only source of randomness; two child streams are spawned from it, one
        for the inputs and one for the energy factors.
    chunk_draws : int
        Draws per call of ``evaluate``; changes memory, not results' meaning.

    Returns
    -------
    draws : pandas.DataFrame
        One row per draw (index ``draw`` 0..n-1): a column per variable, the
        first-year energy factor ``energy_factor_year1`` [-], the mean energy factor
        over the life ``energy_factor_mean`` [-], then a column per metric.

    Raises
    ------
    ScenarioError
        For a bad number of draws or an invalid correlation matrix.
    """
    if n_draws < 1:
        raise ScenarioError(f"draws: must be at least 1, got {n_draws}")
    input_stream, energy_stream = rng.spawn(2)
    drawn = sample(
        [v.distribution for v in spec.variables],
        n_draws,
        rng=input_stream,
        rank_correlation=spec.rank_correlation,
    )
    factors = energy_factors(
        n_draws,
        n_years,
        model_sd=spec.model_sd,
        interannual_sd=spec.interannual_sd,
        rng=energy_stream,
        year_ratios=spec.year_ratios,
    )
    names = [v.name for v in spec.variables]
    blocks: list[dict[str, FloatArray]] = []
    for start in range(0, n_draws, max(int(chunk_draws), 1)):
        rows = slice(start, min(start + chunk_draws, n_draws))
        values = {name: drawn[rows, j] for j, name in enumerate(names)}
        result = evaluate(values, factors[rows])
        blocks.append({k: np.asarray(v, dtype=float) for k, v in result.items()})
    columns: dict[str, FloatArray] = {name: drawn[:, j] for j, name in enumerate(names)}
    columns["energy_factor_year1"] = factors[:, 0]
    columns["energy_factor_mean"] = factors.mean(axis=1)
    for metric in blocks[0]:
        columns[metric] = np.concatenate([block[metric] for block in blocks])
    frame = pd.DataFrame(columns)
    frame.index.name = "draw"
    return frame


def exceedance_value(
    values: ArrayLike, probability: float, *, higher_is_better: bool = True
) -> float:
    """The value exceeded with the given probability (Px with x = 100 probability).

    Parameters
    ----------
    values : numpy.ndarray
        One value per draw; NaN marks a draw without a value (no IRR because the
        flows never turn positive; no LCOE without energy).
    probability : float
        Exceedance probability in (0, 1): 0.9 for P90. [fraction]
    higher_is_better : bool
        Where draws without a value count: as the worst outcome, i.e. below every
        value (True: IRR, DSCR) or above every value (False: LCOE, payback).

    Returns
    -------
    value : float
        The (1 - probability) quantile, linearly interpolated between order
        statistics (numpy's default, Hyndman & Fan type 7); NaN when the quantile
        falls among the draws without a value, or when every draw is NaN.

    Examples
    --------
    P90 of 1..11 is the 10th percentile, 2; a draw without an IRR is the worst:

    >>> exceedance_value(np.arange(1.0, 12.0), 0.9)
    2.0
    >>> exceedance_value([np.nan, 1.0, 2.0, 3.0, 4.0], 0.9)
    nan
    """
    array = np.asarray(values, dtype=float).ravel()
    if not 0.0 < probability < 1.0:
        raise ValueError(f"probability must lie in (0, 1), got {probability!r}")
    finite = np.sort(array[~np.isnan(array)])
    missing = array.size - finite.size
    if finite.size == 0:
        return float("nan")
    fill = np.full(missing, -np.inf if higher_is_better else np.inf)
    ordered = np.concatenate([fill, finite] if higher_is_better else [finite, fill])
    position = (ordered.size - 1) * (1.0 - probability)
    if abs(position - round(position)) < 1e-9:  # 10 x (1 - 0.9) is 0.99999...
        position = float(round(position))
    lo, hi = int(np.floor(position)), int(np.ceil(position))
    if not (np.isfinite(ordered[lo]) and np.isfinite(ordered[hi])):
        return float("nan")
    return float(ordered[lo] + (ordered[hi] - ordered[lo]) * (position - lo))


def p_values(
    draws: pd.DataFrame,
    metrics: Sequence[str],
    *,
    px: Sequence[float] = DEFAULT_PX,
    higher_is_better: Mapping[str, bool] | None = None,
) -> pd.DataFrame:
    """P-values, mean and spread of each metric over the draws.

    Parameters
    ----------
    draws : pandas.DataFrame
        From :func:`run_monte_carlo`.
    metrics : sequence of str
        Columns to summarise.
    px : sequence of float
        Exceedance probabilities in percent, e.g. (90, 50, 10). [%]
    higher_is_better : mapping of str to bool, optional
        Per metric, where draws without a value count (default True).

    Returns
    -------
    summary : pandas.DataFrame
        Index: metric; columns ``P<x>`` for each x (Px exceeded with probability
        x %), ``mean`` and ``sd`` of the draws with a value, and ``no_value_share``
        (the share of draws without one). [unit of each metric]
    """
    better = higher_is_better or {}
    rows = []
    for metric in metrics:
        values = draws[metric].to_numpy(dtype=float)
        finite = values[~np.isnan(values)]
        row: dict[str, float] = {
            f"P{x:g}": exceedance_value(
                values, x / 100.0, higher_is_better=better.get(metric, True)
            )
            for x in px
        }
        row["mean"] = float(finite.mean()) if finite.size else float("nan")
        row["sd"] = float(finite.std(ddof=1)) if finite.size > 1 else float("nan")
        row["no_value_share"] = 1.0 - finite.size / max(values.size, 1)
        rows.append(row)
    return pd.DataFrame(rows, index=pd.Index(list(metrics), name="metric"))


def probability_below(
    values: ArrayLike, threshold: float, *, missing_counts: bool = False
) -> float:
    """Share of draws whose value lies below a threshold.

    Parameters
    ----------
    values : numpy.ndarray
        One value per draw; NaN for a draw without a value.
    threshold : float
        E.g. 0 for NPV < 0, the covenant for DSCR < covenant.
    missing_counts : bool
        If True a draw without a value counts as below (the worst outcome); if
        False draws without a value are left out.

    Returns
    -------
    probability : float
        In [0, 1]; NaN when no draw has a value and ``missing_counts`` is False.
        [fraction]

    Examples
    --------
    >>> probability_below([-1.0, 2.0, 3.0, -4.0], 0.0)
    0.5
    """
    array = np.asarray(values, dtype=float).ravel()
    missing = np.isnan(array)
    if missing_counts:
        return float(np.mean(missing | (array < threshold))) if array.size else np.nan
    if missing.all():
        return float("nan")
    return float(np.mean(array[~missing] < threshold))
