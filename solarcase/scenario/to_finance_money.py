"""How an amount stated in the scenario's ``finance`` section enters the engine.

An amount in the model currency enters as it is; tomans are multiplied by
:data:`~solarcase.units.RIAL_PER_TOMAN`; an amount in a foreign currency keeps its
currency and gets that currency's exchange-rate path, so that the engine escalates it
in its own currency and converts it year by year (a year-0 amount converts at the
year-0 rate). Every escalation rate left out becomes the inflation of the amount's
currency. Used by :mod:`solarcase.scenario.to_finance`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from solarcase.finance.currency import exchange_rate_path
from solarcase.finance.rates import FloatArray
from solarcase.scenario import finance as model
from solarcase.scenario.finance import DEFAULT_INFLATION, TOMAN, Finance
from solarcase.units import RIAL_PER_TOMAN

__all__ = [
    "Currencies",
    "Money",
    "cost_keys",
    "exchange_rate_paths",
    "item_cost",
    "or_zero",
    "rate_path",
    "stated_or_scaled",
]


def or_zero(value: Any) -> Any:
    """0 for an amount left out (None); the amount itself otherwise, scalar or the
    array a Monte Carlo passes through ``model_copy``."""
    return 0.0 if value is None else value


def stated_or_scaled(stated: Any, per_unit: Any, size: float) -> Any:
    """The amount stated, else the per-unit amount (0 if left out) times the size.

    Parameters
    ----------
    stated : float, numpy.ndarray or None
        Amount as given. [unit]
    per_unit : float, numpy.ndarray or None
        Amount per kWp or per kW. [unit/kWp] or [unit/kW]
    size : float
        Plant size in the same unit. [kWp] or [kW]
    """
    return stated if stated is not None else or_zero(per_unit) * size


def exchange_rate_paths(finance: Finance) -> dict[str, np.ndarray]:
    """Every foreign currency's rate for years 0..N.

    Returns
    -------
    paths : dict of str to numpy.ndarray
        Code -> shape ``(N + 1,)``, model-currency units per unit. [cur/unit]
    """
    return {
        code: rate_path(path, finance.analysis_years)
        for code, path in finance.exchange_rates.items()
    }


def rate_path(path: model.ExchangeRatePath, n_years: int) -> np.ndarray:
    """One exchange-rate path for years 0..N, as stated or escalated. [cur/unit]"""
    if path.values is not None:
        return np.asarray(path.values[: n_years + 1], dtype=float)
    assert path.start_rate is not None and path.escalation_rate is not None
    paths = exchange_rate_path(
        path.start_rate, escalation_rate=path.escalation_rate, n_years=n_years
    )
    # one path for a scenario; one per case when Monte Carlo passes arrays
    return paths[0] if paths.shape[0] == 1 else paths


@dataclass(frozen=True, slots=True)
class Money:
    """How amounts in one currency enter the engine."""

    factor: float
    """Multiplier into the currency of ``fx`` (10 for tomans, else 1)."""
    fx: np.ndarray | None
    """Exchange-rate path; None: the model currency."""
    inflation_rate: float
    """The currency's inflation, its default escalation. [fraction/year]"""

    def year0(self, amount: float | FloatArray) -> float | FloatArray:
        """A year-0 amount in the model currency: a float for a scenario (its path
        is 1-D), one amount per case when a Monte Carlo passes a path per case
        (shape (n_cases, N + 1)). [cur]"""
        rate = 1.0 if self.fx is None else self.fx[..., 0]
        value = np.asarray(amount * self.factor * rate, dtype=float)
        return float(value) if value.ndim == 0 else value

    def escalation(self, rate: float | None) -> float:
        """The rate stated, else the currency's inflation. [fraction/year]"""
        return self.inflation_rate if rate is None else rate


class Currencies:
    """The :class:`Money` of each currency code of a scenario's finance section."""

    def __init__(self, finance: Finance) -> None:
        self.finance = finance
        self.paths = exchange_rate_paths(finance)

    def inflation(self, code: str) -> float:
        """A foreign currency's inflation, stated or the default. [fraction/year]"""
        stated = self.finance.exchange_rates[code].inflation_rate
        return DEFAULT_INFLATION[code] if stated is None else stated

    def __call__(self, code: str | None) -> Money:
        model_code = self.finance.currency
        if code is None or code == model_code:
            return Money(1.0, None, self.finance.inflation_rate)
        if code == TOMAN:
            if model_code == "IRR":
                return Money(RIAL_PER_TOMAN, None, self.finance.inflation_rate)
            return Money(RIAL_PER_TOMAN, self.paths["IRR"], self.inflation("IRR"))
        return Money(1.0, self.paths[code], self.inflation(code))


def item_cost(item: model.CapexItem, dc_kwp: float, ac_kw: float) -> float:
    """The item's cost in its own currency. [unit]"""
    if item.amount is not None:
        return item.amount
    if item.per_kwp is not None:
        return item.per_kwp * dc_kwp
    assert item.per_kw_ac is not None  # guaranteed by CapexItem's validator
    return item.per_kw_ac * ac_kw


def cost_keys(
    amount_key: str,
    prefix: str,
    money: Money,
    amount: Any,
    escalation_rate: float | None,
) -> dict[str, Any]:
    """The engine's three inputs of one escalating cost stated in ``money``'s currency.

    Returns
    -------
    keys : dict
        ``amount_key``: the amount in the currency of the path; and
        ``<prefix>_escalation_rate`` and ``<prefix>_fx``: its escalation (the
        currency's inflation if None) and the path (None: model currency).
    """
    return {
        amount_key: amount * money.factor,
        f"{prefix}_escalation_rate": money.escalation(escalation_rate),
        f"{prefix}_fx": money.fx,
    }
