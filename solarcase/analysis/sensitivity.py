"""One-at-a-time sensitivity: swing each input between a low and a high value.

A :class:`Swing` names the input values of its low and its high case (one key, or
several moved together, such as every capex item by one factor). :func:`tornado`
builds the base case and the two cases of every swing, evaluates all of them in one
call of a pure, vectorised evaluation function (STYLE.md section 9) and returns a
tidy DataFrame, one row per case; :func:`tornado_bars` turns it into the bars of a
tornado chart for one metric, widest first. No file or network I/O.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from solarcase.errors import ScenarioError

FloatArray = NDArray[np.float64]

__all__ = ["CaseEvaluate", "Swing", "swing_cases", "tornado", "tornado_bars"]

CaseEvaluate = Callable[[Mapping[str, FloatArray]], Mapping[str, FloatArray]]
"""``evaluate(values) -> metrics``: each input key maps to shape (n_cases,), NaN
meaning "as in the base case"; each metric comes back with shape (n_cases,)."""


@dataclass(frozen=True, slots=True)
class Swing:
    """An input moved to a low and a high value, the others held at the base."""

    name: str
    """Label of the bar (a dotted key or a group name such as 'capex')."""
    low: Mapping[str, float]
    """Key -> value of the low case; empty: the low case is the base."""
    high: Mapping[str, float]
    """Key -> value of the high case; empty: the high case is the base."""
    low_label: str = ""
    """How the low case reads, e.g. '30 %' or 'x 0.8'."""
    high_label: str = ""
    """How the high case reads."""
    reason: str = ""
    """Why this range (source or [estimate])."""


def swing_cases(swings: Sequence[Swing]) -> tuple[pd.DataFrame, dict[str, FloatArray]]:
    """The base case and the low and high case of every swing, as input columns.

    Returns
    -------
    cases : pandas.DataFrame
        One row per case: ``swing`` ('' for the base), ``side`` ('base', 'low',
        'high') and ``setting`` (the case's label).
    values : dict of str to numpy.ndarray
        Every key any swing moves -> its value in each case, NaN where the case
        keeps the base value.

    Examples
    --------
    >>> cases, values = swing_cases([Swing("x", {"a": 1.0}, {"a": 3.0})])
    >>> list(cases["side"]), values["a"].tolist()
    (['base', 'low', 'high'], [nan, 1.0, 3.0])
    """
    names = [s.name for s in swings]
    if len(set(names)) != len(names):
        raise ScenarioError(
            f"sensitivity: each input may be swung once, got {names}; drop the "
            "repeated --vary"
        )
    rows = [("", "base", "base")]
    settings: list[Mapping[str, float]] = [{}]
    for swing in swings:
        rows.append((swing.name, "low", swing.low_label))
        rows.append((swing.name, "high", swing.high_label))
        settings += [swing.low, swing.high]
    keys = list(dict.fromkeys(k for setting in settings for k in setting))
    values = {
        key: np.array([setting.get(key, np.nan) for setting in settings], dtype=float)
        for key in keys
    }
    return pd.DataFrame(rows, columns=["swing", "side", "setting"]), values


def tornado(evaluate: CaseEvaluate, swings: Sequence[Swing]) -> pd.DataFrame:
    """Evaluate the base and every swing's low and high case in one call.

    Parameters
    ----------
    evaluate : callable
        ``evaluate(values) -> metrics`` (see :data:`CaseEvaluate`).
    swings : sequence of Swing
        The inputs to swing.

    Returns
    -------
    cases : pandas.DataFrame
        One row per case (base first, then low and high of each swing, in order):
        ``swing``, ``side``, ``setting`` and a column per metric.

    Examples
    --------
    A linear "metric" 10 a + 1 around a base of a = 2:

    >>> def evaluate(values):
    ...     a = np.where(np.isnan(values["a"]), 2.0, values["a"])
    ...     return {"m": 10 * a + 1}
    >>> tornado(evaluate, [Swing("a", {"a": 1.0}, {"a": 3.0})])["m"].tolist()
    [21.0, 11.0, 31.0]
    """
    cases, values = swing_cases(swings)
    metrics = evaluate(values)
    for name, column in metrics.items():
        cases[name] = np.asarray(column, dtype=float)
    return cases


def tornado_bars(cases: pd.DataFrame, metric: str) -> pd.DataFrame:
    """The bars of a tornado chart for one metric, widest first.

    Parameters
    ----------
    cases : pandas.DataFrame
        From :func:`tornado`.
    metric : str
        A metric column.

    Returns
    -------
    bars : pandas.DataFrame
        Index ``swing``; columns ``base``, ``low`` and ``high`` (the metric in each
        case), ``low_setting``, ``high_setting``, ``low_change`` and
        ``high_change`` (case minus base) and ``range`` (|high - low|); sorted by
        range, widest first, bars without a value last. [unit of the metric]

    Examples
    --------
    >>> cases = pd.DataFrame({"swing": ["", "a", "a", "b", "b"],
    ...     "side": ["base", "low", "high", "low", "high"],
    ...     "setting": ["base", "1", "3", "0", "9"], "m": [5., 4., 6., 0., 20.]})
    >>> tornado_bars(cases, "m")[["low_change", "high_change"]].to_numpy().tolist()
    [[-5.0, 15.0], [-1.0, 1.0]]
    """
    base_rows = cases[cases["side"] == "base"]
    base = float(base_rows[metric].iloc[0]) if len(base_rows) else math.nan
    rows = []
    for name, group in cases[cases["side"] != "base"].groupby("swing", sort=False):
        by_side = group.set_index("side")
        low = float(by_side[metric].loc["low"])
        high = float(by_side[metric].loc["high"])
        rows.append(
            {
                "swing": name,
                "base": base,
                "low": low,
                "high": high,
                "low_setting": by_side.loc["low", "setting"],
                "high_setting": by_side.loc["high", "setting"],
                "low_change": low - base,
                "high_change": high - base,
                "range": abs(high - low),
            }
        )
    bars = pd.DataFrame(rows).set_index("swing") if rows else pd.DataFrame()
    if bars.empty:
        return bars
    return bars.sort_values("range", ascending=False, na_position="last")
