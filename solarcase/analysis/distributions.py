"""Probability distributions of uncertain inputs, as inverse CDFs.

Each distribution is a frozen dataclass with :meth:`ppf`, the quantile function that
turns uniform numbers in (0, 1) into draws. Monte Carlo samples correlated uniforms
(a Gaussian copula, :mod:`solarcase.analysis.sampling`) and passes them through each
input's ``ppf``, so every marginal distribution is exact whatever the correlation.

Five families: :class:`Normal` and :class:`LogNormal` (both optionally truncated to
[low, high]), :class:`Triangular`, :class:`Uniform` and :class:`Discrete`. A spread of
zero gives a constant. No file or network I/O.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import ndtr, ndtri

from solarcase.errors import ScenarioError

FloatArray = NDArray[np.float64]

__all__ = [
    "Discrete",
    "Distribution",
    "LogNormal",
    "Normal",
    "Triangular",
    "Uniform",
]


def _uniforms(u: ArrayLike) -> FloatArray:
    values = np.asarray(u, dtype=float)
    if values.size and not ((values > 0) & (values < 1)).all():
        raise ValueError("ppf: uniform numbers must lie strictly between 0 and 1")
    return values


def _check_bounds(name: str, low: float | None, high: float | None) -> None:
    if low is not None and high is not None and not low < high:
        raise ScenarioError(
            f"{name} distribution: the lower bound {low!r} must be below the upper "
            f"bound {high!r}; widen or remove the bounds"
        )


def _truncated(u: FloatArray, cdf_low: float, cdf_high: float) -> FloatArray:
    """Uniforms moved into [F(low), F(high)], so F^-1 gives the truncated law."""
    return cdf_low + u * (cdf_high - cdf_low)


@dataclass(frozen=True, slots=True)
class Normal:
    """Normal distribution, optionally truncated to [low, high].

    Examples
    --------
    >>> Normal(10.0, 2.0).ppf(np.array([0.5, 0.9])).round(4)
    array([10.    , 12.5631])
    """

    mean: float
    """Mean (before truncation). [unit of the input]"""
    sd: float
    """Standard deviation, >= 0 (0: always the mean). [unit of the input]"""
    low: float | None = None
    """Truncate below this value; None: no bound. [unit of the input]"""
    high: float | None = None
    """Truncate above this value; None: no bound. [unit of the input]"""

    def __post_init__(self) -> None:
        if not (math.isfinite(self.sd) and self.sd >= 0):
            raise ScenarioError(
                f"normal distribution: sd must be a number >= 0, got {self.sd!r}"
            )
        _check_bounds("normal", self.low, self.high)

    def ppf(self, u: ArrayLike) -> FloatArray:
        """Quantiles at the uniform numbers ``u`` in (0, 1)."""
        values = _uniforms(u)
        if self.sd == 0:
            return np.clip(
                np.full(values.shape, self.mean),
                -np.inf if self.low is None else self.low,
                np.inf if self.high is None else self.high,
            )
        z_low = -np.inf if self.low is None else (self.low - self.mean) / self.sd
        z_high = np.inf if self.high is None else (self.high - self.mean) / self.sd
        scores = ndtri(_truncated(values, float(ndtr(z_low)), float(ndtr(z_high))))
        return self.mean + self.sd * scores


@dataclass(frozen=True, slots=True)
class LogNormal:
    """Log-normal distribution given by its own mean and standard deviation.

    Notes
    -----
    With m the mean and s the standard deviation of the variable,
    sigma^2 = ln(1 + s^2/m^2) and mu = ln(m) - sigma^2/2 are the parameters of its
    logarithm; the median is exp(mu) = m / sqrt(1 + s^2/m^2).

    Examples
    --------
    >>> float(LogNormal(1.0, 0.0).ppf(np.array([0.3]))[0])
    1.0
    >>> round(float(LogNormal(1.0, 0.1).ppf(np.array([0.5]))[0]), 6)
    0.995037
    """

    mean: float
    """Mean, > 0. [unit of the input]"""
    sd: float
    """Standard deviation, >= 0. [unit of the input]"""
    low: float | None = None
    """Truncate below this value; None: no bound. [unit of the input]"""
    high: float | None = None
    """Truncate above this value; None: no bound. [unit of the input]"""

    def __post_init__(self) -> None:
        if not (math.isfinite(self.mean) and self.mean > 0):
            raise ScenarioError(
                f"lognormal distribution: mean must be > 0, got {self.mean!r}; "
                "use a normal distribution for inputs that can be 0 or negative"
            )
        if not (math.isfinite(self.sd) and self.sd >= 0):
            raise ScenarioError(
                f"lognormal distribution: sd must be a number >= 0, got {self.sd!r}"
            )
        _check_bounds("lognormal", self.low, self.high)

    @property
    def log_parameters(self) -> tuple[float, float]:
        """(mu, sigma) of the logarithm."""
        sigma2 = math.log1p((self.sd / self.mean) ** 2)
        return math.log(self.mean) - sigma2 / 2.0, math.sqrt(sigma2)

    def ppf(self, u: ArrayLike) -> FloatArray:
        """Quantiles at the uniform numbers ``u`` in (0, 1)."""
        values = _uniforms(u)
        mu, sigma = self.log_parameters
        if sigma == 0:
            return np.full(values.shape, self.mean)

        def cdf(x: float | None, default: float) -> float:
            if x is None:
                return default
            if x <= 0:
                return 0.0
            return float(ndtr((math.log(x) - mu) / sigma))

        scores = ndtri(_truncated(values, cdf(self.low, 0.0), cdf(self.high, 1.0)))
        return np.exp(mu + sigma * scores)


@dataclass(frozen=True, slots=True)
class Triangular:
    """Triangular distribution on [low, high] with its peak at ``mode``.

    Examples
    --------
    >>> Triangular(0.0, 0.0, 1.0).ppf(np.array([0.75])).round(6)
    array([0.5])
    """

    low: float
    """Smallest value. [unit of the input]"""
    mode: float
    """Most likely value, low <= mode <= high. [unit of the input]"""
    high: float
    """Largest value. [unit of the input]"""

    def __post_init__(self) -> None:
        if not self.low <= self.mode <= self.high:
            raise ScenarioError(
                f"triangular distribution: need low <= mode <= high, got "
                f"{self.low!r}, {self.mode!r}, {self.high!r}"
            )

    def ppf(self, u: ArrayLike) -> FloatArray:
        """Quantiles at the uniform numbers ``u`` in (0, 1).

        Notes
        -----
        With c = (mode - low)/(high - low): x = low + sqrt(u (high - low)(mode - low))
        for u < c, else x = high - sqrt((1 - u)(high - low)(high - mode)).
        """
        values = _uniforms(u)
        width = self.high - self.low
        if width == 0:
            return np.full(values.shape, self.low)
        peak = (self.mode - self.low) / width
        rising = self.low + np.sqrt(values * width * (self.mode - self.low))
        falling = self.high - np.sqrt((1.0 - values) * width * (self.high - self.mode))
        return np.where(values < peak, rising, falling)


@dataclass(frozen=True, slots=True)
class Uniform:
    """Uniform distribution on [low, high].

    Examples
    --------
    >>> Uniform(2.0, 4.0).ppf(np.array([0.25]))
    array([2.5])
    """

    low: float
    """Smallest value. [unit of the input]"""
    high: float
    """Largest value, >= low. [unit of the input]"""

    def __post_init__(self) -> None:
        if not self.low <= self.high:
            raise ScenarioError(
                f"uniform distribution: need low <= high, got {self.low!r} and "
                f"{self.high!r}"
            )

    def ppf(self, u: ArrayLike) -> FloatArray:
        """Quantiles at the uniform numbers ``u`` in (0, 1)."""
        return self.low + _uniforms(u) * (self.high - self.low)


@dataclass(frozen=True, slots=True)
class Discrete:
    """A few values, each with its probability.

    Examples
    --------
    >>> Discrete((1.0, 2.0), (0.25, 0.75)).ppf(np.array([0.2, 0.3, 0.9]))
    array([1., 2., 2.])
    """

    values: tuple[float, ...]
    """The possible values. [unit of the input]"""
    probabilities: tuple[float, ...]
    """Probability of each value; they add up to 1. [fraction]"""

    def __post_init__(self) -> None:
        if not self.values or len(self.values) != len(self.probabilities):
            raise ScenarioError(
                "discrete distribution: give one probability per value, got "
                f"{len(self.values)} values and {len(self.probabilities)} probabilities"
            )
        chances = np.asarray(self.probabilities, dtype=float)
        if (chances < 0).any() or not math.isclose(chances.sum(), 1.0, abs_tol=1e-9):
            raise ScenarioError(
                "discrete distribution: probabilities must be >= 0 and add up to 1, "
                f"got {list(self.probabilities)}"
            )

    @classmethod
    def equally_likely(cls, values: Sequence[float]) -> Discrete:
        """Every value with the same probability."""
        return cls(tuple(values), tuple([1.0 / len(values)] * len(values)))

    def ppf(self, u: ArrayLike) -> FloatArray:
        """The value whose cumulative probability first exceeds ``u``."""
        values = _uniforms(u)
        cumulative = np.cumsum(np.asarray(self.probabilities, dtype=float))
        index = np.searchsorted(cumulative, values, side="right")
        return np.asarray(self.values, dtype=float)[
            np.minimum(index, len(self.values) - 1)
        ]


Distribution = Normal | LogNormal | Triangular | Uniform | Discrete
"""Any of the distributions of this module."""
