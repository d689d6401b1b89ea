"""Energy per operating year over the project life.

The yield simulation gives one year of AC energy; here it becomes a table of operating
years 1..N with module degradation, availability and curtailment applied. Every input
may be a scalar or an array of shape ``(n_cases,)`` (Monte Carlo draws, sensitivity
cases); the result is always shaped ``(n_cases, n_years)``.

No file or network I/O.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from solarcase.errors import ScenarioError

DegradationMode = Literal["linear", "compound"]

__all__ = ["DegradationMode", "degradation_factor", "lifetime_energy_kwh"]


def _cases(where: str, value: object, low: float, high: float, *, high_open: bool):
    array = np.atleast_1d(np.asarray(value, dtype=float))
    if array.ndim != 1:
        raise ScenarioError(
            f"{where}: must be a scalar or a 1-D array of cases, got shape "
            f"{array.shape}; pass one value per case"
        )
    is_bad = ~np.isfinite(array) | (array < low)
    is_bad |= (array >= high) if high_open else (array > high)
    if is_bad.any():
        bracket = ")" if high_open else "]"
        raise ScenarioError(
            f"{where}: must lie in [{low:g}, {high:g}{bracket}, got "
            f"{float(array[is_bad][0])!r}; write fractions such as 0.005 for 0.5 %"
        )
    return array


def _case_count(*arrays: np.ndarray) -> int:
    sizes = {a.size for a in arrays if a.size != 1}
    if len(sizes) > 1:
        raise ScenarioError(
            f"lifetime: array inputs have different numbers of cases {sorted(sizes)}; "
            "give every array the same length (n_cases,) or pass scalars"
        )
    return sizes.pop() if sizes else 1


def _check_years(n_years: object) -> int:
    if isinstance(n_years, bool) or not isinstance(n_years, int | np.integer):
        raise ScenarioError(f"n_years: must be an integer, got {n_years!r}")
    if not 1 <= n_years <= 200:
        raise ScenarioError(f"n_years: must lie in [1, 200], got {n_years!r}")
    return int(n_years)


def degradation_factor(
    n_years: int,
    *,
    degradation_rate: float | np.ndarray,
    degradation_mode: DegradationMode,
) -> np.ndarray:
    """Output of each operating year relative to year 1.

    Parameters
    ----------
    n_years : int
        Number of operating years N.
    degradation_rate : float or numpy.ndarray
        Loss of output per year, positive for a loss; scalar or shape
        ``(n_cases,)``. [fraction/year]
    degradation_mode : {'linear', 'compound'}
        Linear: ``1 - d (t - 1)``, floored at 0. Compound: ``(1 - d) ** (t - 1)``.

    Returns
    -------
    factor : numpy.ndarray
        Shape ``(n_cases, n_years)`` for operating years t = 1..N. [-]

    Raises
    ------
    ScenarioError
        For a rate outside [0, 1), an unknown mode or a bad year count.

    Examples
    --------
    >>> degradation_factor(3, degradation_rate=0.1, degradation_mode="linear")
    array([[1. , 0.9, 0.8]])
    >>> degradation_factor(3, degradation_rate=0.1, degradation_mode="compound")
    array([[1.  , 0.9 , 0.81]])
    """
    years = _check_years(n_years)
    if degradation_mode not in ("linear", "compound"):
        raise ScenarioError(
            f"degradation_mode: unknown mode, got {degradation_mode!r}; "
            "use 'linear' or 'compound'"
        )
    rate = _cases("degradation_rate", degradation_rate, 0.0, 1.0, high_open=True)
    elapsed = np.arange(years, dtype=float)[np.newaxis, :]
    rate = rate[:, np.newaxis]
    if degradation_mode == "linear":
        return np.maximum(1.0 - rate * elapsed, 0.0)
    return (1.0 - rate) ** elapsed


def lifetime_energy_kwh(
    annual_ac_energy_kwh: float | np.ndarray,
    *,
    n_years: int,
    degradation_rate: float | np.ndarray,
    degradation_mode: DegradationMode,
    availability: float | np.ndarray,
    curtailment_fraction: float | np.ndarray = 0.0,
) -> np.ndarray:
    """Delivered AC energy in each operating year of each case.

    Parameters
    ----------
    annual_ac_energy_kwh : float or numpy.ndarray
        First-year AC energy while available, before availability
        (``EnergyResult.annual_ac_energy_kwh``); scalar or ``(n_cases,)``. [kWh]
    n_years : int
        Number of operating years N.
    degradation_rate : float or numpy.ndarray
        Loss of output per year, positive for a loss. [fraction/year]
    degradation_mode : {'linear', 'compound'}
        See :func:`degradation_factor`.
    availability : float or numpy.ndarray
        Share of the time the plant is down (``LossBudget.availability``).
        [fraction]
    curtailment_fraction : float or numpy.ndarray, default 0
        Share of the energy the grid refuses. [fraction]

    Returns
    -------
    energy_kwh : numpy.ndarray
        Shape ``(n_cases, n_years)``: year t is
        ``E * factor(t) * (1 - availability) * (1 - curtailment_fraction)``. [kWh]

    Raises
    ------
    ScenarioError
        For negative energy, fractions outside their range, arrays of different
        lengths, an unknown mode or a bad year count.

    Examples
    --------
    >>> lifetime_energy_kwh(1000.0, n_years=3, degradation_rate=0.01,
    ...                     degradation_mode="linear", availability=0.0)
    array([[1000.,  990.,  980.]])
    >>> lifetime_energy_kwh([1000.0, 2000.0], n_years=2, degradation_rate=0.5,
    ...                     degradation_mode="compound", availability=0.1,
    ...                     curtailment_fraction=0.5)
    array([[450., 225.],
           [900., 450.]])
    """
    energy = _cases(
        "annual_ac_energy_kwh", annual_ac_energy_kwh, 0.0, np.inf, high_open=True
    )
    down = _cases("availability", availability, 0.0, 1.0, high_open=False)
    curtailed = _cases(
        "curtailment_fraction", curtailment_fraction, 0.0, 1.0, high_open=False
    )
    rate = _cases("degradation_rate", degradation_rate, 0.0, 1.0, high_open=True)
    count = _case_count(energy, down, curtailed, rate)
    factor = degradation_factor(
        n_years, degradation_rate=rate, degradation_mode=degradation_mode
    )
    scale = energy * (1.0 - down) * (1.0 - curtailed)
    return np.broadcast_to(
        scale[:, np.newaxis] * factor, (count, factor.shape[1])
    ).copy()
