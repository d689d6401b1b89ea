"""Correlated draws of uncertain inputs, and energy factors per draw and year.

Correlations are **Spearman rank correlations**, imposed with a **Gaussian copula**:
standard normal scores are drawn with the Pearson correlation 2 sin(pi rho_s / 6)
(the exact relation between the two for a bivariate normal, Kruskal 1958), turned
into uniforms by the normal CDF and into each input's own distribution by its
inverse CDF. The marginal distributions are therefore exact and the rank correlation
is the one asked for, in expectation, whatever the marginals (Iman-Conover would
impose it on a finished sample instead; the copula needs no reordering and gives the
same draws for the same seed whatever the sample is later cut into).

The yield has two uncertainties (DESIGN.md, issue 7): a model/data factor, one per
draw for the whole life (the weather file or the model may be wrong, and stays so),
and an inter-annual factor drawn for every operating year (weather varies from year
to year). Randomness comes only from the injected :class:`numpy.random.Generator`.
No file or network I/O.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import ndtr

from solarcase.analysis.distributions import Distribution
from solarcase.errors import ScenarioError

FloatArray = NDArray[np.float64]

__all__ = [
    "correlated_normals",
    "energy_factors",
    "normal_from_rank_correlation",
    "sample",
]


def normal_from_rank_correlation(rank_correlation: ArrayLike) -> FloatArray:
    """The correlation of normal scores that gives a Spearman rank correlation.

    Parameters
    ----------
    rank_correlation : float or numpy.ndarray
        Spearman rank correlation rho_s in [-1, 1]. [-]

    Returns
    -------
    correlation : numpy.ndarray
        2 sin(pi rho_s / 6), the Pearson correlation of the copula's normals. [-]

    Examples
    --------
    >>> normal_from_rank_correlation([0.0, 0.5, 1.0]).round(4)
    array([0.    , 0.5176, 1.    ])
    """
    return 2.0 * np.sin(np.pi * np.asarray(rank_correlation, dtype=float) / 6.0)


def correlated_normals(
    n_draws: int, rank_correlation: ArrayLike | None, *, n_inputs: int, rng
) -> FloatArray:
    """Standard normal scores whose ranks have the given correlation.

    Parameters
    ----------
    n_draws : int
        Number of draws.
    rank_correlation : numpy.ndarray or None
        Symmetric ``(n_inputs, n_inputs)`` Spearman correlation matrix with a unit
        diagonal; None: independent inputs. [-]
    n_inputs : int
        Number of inputs.
    rng : numpy.random.Generator
        Source of randomness.

    Returns
    -------
    scores : numpy.ndarray
        Shape ``(n_draws, n_inputs)``.

    Raises
    ------
    ScenarioError
        If the matrix is not a valid correlation matrix (not symmetric, diagonal not
        1, or not positive definite once converted to normal scores).
    """
    scores = rng.standard_normal((n_draws, n_inputs))
    if rank_correlation is None or n_inputs < 2:
        return scores
    matrix = np.asarray(rank_correlation, dtype=float)
    if matrix.shape != (n_inputs, n_inputs) or not np.allclose(matrix, matrix.T):
        raise ScenarioError(
            f"risk.correlations: expected a symmetric {n_inputs} x {n_inputs} matrix, "
            f"got shape {matrix.shape}"
        )
    if not np.allclose(np.diag(matrix), 1.0) or (np.abs(matrix) > 1).any():
        raise ScenarioError(
            "risk.correlations: correlations must lie in [-1, 1] with 1 between an "
            "input and itself"
        )
    normal = normal_from_rank_correlation(matrix)
    try:
        lower = np.linalg.cholesky(normal)
    except np.linalg.LinAlgError:
        raise ScenarioError(
            "risk.correlations: the correlations contradict each other (the matrix "
            "is not positive definite: e.g. a~b 0.9, b~c 0.9 but a~c -0.9); make "
            "them consistent or smaller"
        ) from None
    return scores @ lower.T


def sample(
    distributions: Sequence[Distribution],
    n_draws: int,
    *,
    rng: np.random.Generator,
    rank_correlation: ArrayLike | None = None,
) -> FloatArray:
    """Draws of several inputs with the given rank correlations (Gaussian copula).

    Parameters
    ----------
    distributions : sequence of Distribution
        One per input.
    n_draws : int
        Number of draws, >= 1.
    rng : numpy.random.Generator
        Source of randomness (the only one).
    rank_correlation : numpy.ndarray, optional
        Spearman correlation matrix of the inputs; None: independent.

    Returns
    -------
    draws : numpy.ndarray
        Shape ``(n_draws, len(distributions))``, column j from distribution j.

    Examples
    --------
    >>> from solarcase.analysis.distributions import Uniform
    >>> x = sample([Uniform(0, 1)], 4, rng=np.random.default_rng(0))
    >>> x.shape, bool(((x > 0) & (x < 1)).all())
    ((4, 1), True)
    """
    if n_draws < 1:
        raise ScenarioError(f"draws: must be at least 1, got {n_draws}")
    scores = correlated_normals(
        n_draws, rank_correlation, n_inputs=len(distributions), rng=rng
    )
    # keep uniforms strictly inside (0, 1) even for |z| > 8
    uniforms = np.clip(ndtr(scores), 1e-16, 1.0 - 1e-16)
    columns = [d.ppf(uniforms[:, j]) for j, d in enumerate(distributions)]
    return np.column_stack(columns) if columns else np.empty((n_draws, 0))


def energy_factors(
    n_draws: int,
    n_years: int,
    *,
    model_sd: float,
    interannual_sd: float,
    rng: np.random.Generator,
    year_ratios: ArrayLike | None = None,
) -> FloatArray:
    """Multipliers of each draw's energy in each operating year.

    Parameters
    ----------
    n_draws, n_years : int
        Draws and operating years N.
    model_sd : float
        Standard deviation of the model/data factor, one per draw for the whole
        life (weather data, transposition and loss-model error). [fraction]
    interannual_sd : float
        Standard deviation of the weather factor of each operating year, drawn
        independently for every year. [fraction]
    rng : numpy.random.Generator
        Source of randomness.
    year_ratios : numpy.ndarray, optional
        Energy of each simulated weather year over their mean; when given, each
        operating year's weather factor is one of them drawn with replacement (a
        bootstrap of the measured years) instead of a normal factor. [-]

    Returns
    -------
    factors : numpy.ndarray
        Shape ``(n_draws, n_years)``: (1 + model_sd z_d)(1 + interannual_sd z_dt),
        floored at 0; exactly 1 when both spreads are 0 and no ratios are given. [-]

    Notes
    -----
    Both factors are normal with mean 1, so the P50 of a year's energy is the
    simulated (typical-year) energy and, with one spread s alone, its P90 is
    1 - 1.2816 s times it. The model factor is drawn first, then the weather
    factors, each from its own child stream of ``rng`` so that adding one does not
    change the other.

    Examples
    --------
    >>> energy_factors(2, 3, model_sd=0.0, interannual_sd=0.0,
    ...     rng=np.random.default_rng(0))
    array([[1., 1., 1.],
           [1., 1., 1.]])
    """
    for name, value in (("model_sd", model_sd), ("interannual_sd", interannual_sd)):
        if not (np.isfinite(value) and value >= 0):
            raise ScenarioError(f"risk.energy: {name} must be >= 0, got {value!r}")
    model_stream, year_stream = rng.spawn(2)
    model = 1.0 + model_sd * model_stream.standard_normal(n_draws)
    if year_ratios is not None:
        ratios = np.asarray(year_ratios, dtype=float)
        if ratios.ndim != 1 or ratios.size == 0 or (ratios < 0).any():
            raise ValueError("year_ratios: expected a 1-D array of ratios >= 0")
        yearly = year_stream.choice(ratios, size=(n_draws, n_years))
    else:
        yearly = 1.0 + interannual_sd * year_stream.standard_normal((n_draws, n_years))
    return np.maximum(model[:, np.newaxis] * yearly, 0.0)
