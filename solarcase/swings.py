"""Sensitivity of one scenario: which inputs to swing, how far, and the tornado.

:func:`default_swings` picks the inputs that move an Iranian municipal plant's NPV
(capex, the tariff, the yield, O&M, the discount rate, inflation, the exchange rate's
rise, degradation and late payment), each with a sourced or [estimate] range and only
where the scenario has the key. :func:`parse_vary` reads ``--vary key=low:high``;
``risk.sensitivity`` in the scenario adds swings or replaces a default one by name.
:func:`run_sensitivity` evaluates every case in one vectorised pass
(:class:`~solarcase.cases.CaseEvaluator` and
:func:`~solarcase.analysis.sensitivity.tornado`) and returns a
:class:`SensitivityResult`. No file or network I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from solarcase.analysis.sensitivity import Swing, tornado, tornado_bars
from solarcase.cases import CASE_METRICS, CaseEvaluator
from solarcase.errors import ScenarioError
from solarcase.pipeline import ScenarioResult
from solarcase.scenario.keys import applied, describe_key, parse_key_value
from solarcase.scenario.models import Scenario
from solarcase.scenario.risk import ENERGY_FACTOR_KEY, SensitivitySwing

__all__ = [
    "CASE_METRICS",
    "SensitivityResult",
    "choose_swings",
    "default_swings",
    "format_setting",
    "make_swing",
    "parse_vary",
    "run_sensitivity",
    "scenario_swings",
]

#: The main price of each revenue scheme (the key a "tariff" swing moves).
MAIN_PRICE_KEYS: dict[str, str] = {
    "guaranteed_purchase": "finance.revenue.base_price_per_kwh",
    "escalating_tariff": "finance.revenue.price_per_kwh",
    "market": "finance.revenue.price_per_kwh",
    "self_consumption": "finance.revenue.purchase_price_per_kwh",
}

#: Why each default range (shown in tables and docs/risk.md).
DEFAULT_REASONS: dict[str, str] = {
    "capex": "2025 Iranian turnkey costs cluster at 30-40 million toman/kW around 35 "
    "(+-14 %, docs/sources.md); +-20 % allows for re-pricing with the exchange rate "
    "[estimate]",
    "price": "+-20 % of the main price [estimate]: the SATBA rate rose from 22,000 to "
    "38,500 IRR/kWh in two years and the green board trades above 60,000",
    "energy": "+-10 % of the simulated energy, about the P90/P10 of a 7-8 % yield "
    "uncertainty (synthetic weather, loss budget) [estimate]",
    "om": "x0.7 to x1.5 of O&M: no Iranian O&M figure was found [estimate]",
    "discount_rate": "+-3 percentage points of the stated discount rate [estimate]",
    "inflation": "+-10 points: 12-month CPI inflation ran 32-46 % in FY1399-1404 "
    "(Statistical Centre of Iran)",
    "exchange_rate": "+-10 points of the yearly rise of every exchange rate: the rial "
    "lost half its value about every two years since 2018 (+41 %/year) [estimate]",
    "degradation": "0.5-1.2 %/year, the range reported for hot, dusty sites (1.17 % "
    "measured at Shiraz, Yazdani & Yaghoubi 2021)",
    "late_payment": "SATBA pays within its budget and records the rest as debt (SATBA "
    "FiT page); 30 % of each invoice paid 2 years late, or twice the stated share "
    "if more [estimate]",
}


@dataclass(frozen=True, slots=True)
class SensitivityResult:
    """Every case of a tornado and what it needs to be shown."""

    cases: pd.DataFrame
    """One row per case: swing, side, setting and the :data:`CASE_METRICS`."""
    swings: tuple[Swing, ...]
    """The swings, in order."""
    skipped: tuple[str, ...]
    """Default swings left out, and why."""
    currency: str
    """Model currency (ISO 4217)."""
    translations: Mapping[str, int]
    """How the cases were computed (array translations, per-value translations,
    yield simulations)."""

    def bars(self, metric: str) -> pd.DataFrame:
        """Tornado bars of one metric (see :func:`tornado_bars`)."""
        return tornado_bars(self.cases, metric)


def _percent_like(key: str) -> bool:
    last = key.rsplit(".", 1)[-1]
    return last.endswith(
        ("_rate", "share", "fraction", "_year", "_rate_real", "_rate_nominal")
    ) or last in (
        "rate",
        "alpha",
        "soiling",
        "shading",
        "availability",
    )


def format_setting(key: str, value: float) -> str:
    """A key's value as people read it (rates as percentages)."""
    if key != ENERGY_FACTOR_KEY and _percent_like(key) and abs(value) <= 1:
        return f"{value:.1%}".replace("%", " %")
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:g}"


def _moved(
    scenario: Scenario, keys: Sequence[str], apply: str, setting: float
) -> dict[str, float]:
    """Each key's value when ``setting`` is applied as value, factor or shift."""
    return {key: applied(describe_key(scenario, key), apply, setting) for key in keys}


def _label(keys: Sequence[str], apply: str, setting: float, moved: dict) -> str:
    if apply == "factor":
        return f"x{setting:g}"
    if apply == "shift":
        points = setting * 100 if _percent_like(keys[0]) else setting
        unit = " pts" if _percent_like(keys[0]) else ""
        return f"{points:+g}{unit}"
    return format_setting(keys[0], moved[keys[0]])


def make_swing(
    scenario: Scenario,
    name: str,
    keys: Sequence[str],
    *,
    apply: str,
    low: float,
    high: float,
    reason: str = "",
) -> Swing:
    """A swing of ``keys`` to ``low`` and ``high`` applied as value, factor or
    shift."""
    lows = _moved(scenario, keys, apply, low)
    highs = _moved(scenario, keys, apply, high)
    return Swing(
        name=name,
        low=lows,
        high=highs,
        low_label=_label(keys, apply, low, lows),
        high_label=_label(keys, apply, high, highs),
        reason=reason,
    )


def _capex_keys(scenario: Scenario) -> list[str]:
    keys = []
    for name, item in scenario.finance.capex.items():
        for basis in ("amount", "per_kwp", "per_kw_ac"):
            if getattr(item, basis) is not None:
                keys.append(f"finance.capex.{name}.{basis}")
    return keys


def _om_keys(scenario: Scenario) -> list[str]:
    costs = scenario.finance.operating_costs
    keys = []
    if costs.fixed_om is not None:
        basis = "per_year" if costs.fixed_om.per_year is not None else "per_kwp_year"
        keys.append(f"finance.operating_costs.fixed_om.{basis}")
    if costs.variable_om is not None:
        keys.append("finance.operating_costs.variable_om.per_kwh")
    return keys


def _fx_keys(scenario: Scenario) -> list[str]:
    return [
        f"finance.exchange_rates.{code}.escalation_rate"
        for code, path in scenario.finance.exchange_rates.items()
        if path.escalation_rate is not None
    ]


def default_swings(scenario: Scenario) -> tuple[list[Swing], list[str]]:
    """The default tornado of a scenario, and the default swings left out.

    Returns
    -------
    swings : list of Swing
        capex, price, energy, om, discount_rate, inflation, exchange_rate,
        degradation and late_payment, where the scenario has the keys.
    skipped : list of str
        One line per default swing left out, saying why.
    """
    finance = scenario.finance
    swings: list[Swing] = []
    skipped: list[str] = []

    def add(name: str, keys: list[str], apply: str, low: float, high: float) -> None:
        if not keys:
            skipped.append(f"{name}: not in this scenario")
            return
        swings.append(
            make_swing(
                scenario,
                name,
                keys,
                apply=apply,
                low=low,
                high=high,
                reason=DEFAULT_REASONS[name],
            )
        )

    add("capex", _capex_keys(scenario), "factor", 0.8, 1.2)
    price = MAIN_PRICE_KEYS[finance.revenue.scheme]
    add("price", [price], "factor", 0.8, 1.2)
    add("energy", [ENERGY_FACTOR_KEY], "value", 0.9, 1.1)
    add("om", _om_keys(scenario), "factor", 0.7, 1.5)
    rate = (
        "finance.discount_rate_real"
        if finance.discount_rate_real is not None
        else "finance.discount_rate_nominal"
    )
    add("discount_rate", [rate], "shift", -0.03, 0.03)
    add("inflation", ["finance.inflation_rate"], "shift", -0.10, 0.10)
    add("exchange_rate", _fx_keys(scenario), "shift", -0.10, 0.10)
    add("degradation", ["system.degradation.rate"], "value", 0.005, 0.012)
    swings.append(_late_payment(scenario))
    return swings, skipped


def _late_payment(scenario: Scenario) -> Swing:
    rule = scenario.finance.late_payment
    reason = DEFAULT_REASONS["late_payment"]
    if rule is None:
        return Swing(
            name="late_payment",
            low={},
            high={
                "finance.late_payment.share": 0.3,
                "finance.late_payment.delay_years": 2.0,
            },
            low_label="paid on time",
            high_label="30 % paid 2 years late",
            reason=reason,
        )
    high = min(1.0, max(0.3, 2.0 * rule.share))
    return Swing(
        name="late_payment",
        low={"finance.late_payment.share": 0.0},
        high={"finance.late_payment.share": high},
        low_label="paid on time",
        high_label=f"{high:.0%} paid {rule.delay_years} years late",
        reason=reason,
    )


def scenario_swings(
    scenario: Scenario, swings: Mapping[str, SensitivitySwing]
) -> list[Swing]:
    """The swings stated in ``risk.sensitivity``."""
    out = []
    for name, item in swings.items():
        try:
            out.append(
                make_swing(
                    scenario,
                    name,
                    list(item.keys),
                    apply=item.apply,
                    low=item.low,
                    high=item.high,
                    reason=item.source,
                )
            )
        except ScenarioError as err:
            raise ScenarioError(f"risk.sensitivity.{name}: {err}") from err
    return out


def parse_vary(scenario: Scenario, text: str) -> Swing:
    """A swing from ``"key=low:high"`` (values as in the scenario: ``"30%"``).

    Raises
    ------
    ScenarioError
        Malformed text, an unknown or non-numeric key, or a value the key rejects.
    """
    key, sep, span = text.partition("=")
    low_text, colon, high_text = span.partition(":")
    where = f"--vary {text}"
    if not (sep and colon and key.strip() and low_text.strip() and high_text.strip()):
        raise ScenarioError(
            f"{where}: expected key=low:high, for example --vary "
            'finance.inflation_rate=30%:50% or --vary "energy_factor=0.9:1.1"'
        )
    key = key.strip()
    describe_key(scenario, key)
    low = parse_key_value(scenario, key, _yaml_scalar(low_text), where=where)
    high = parse_key_value(scenario, key, _yaml_scalar(high_text), where=where)
    return Swing(
        name=key,
        low={key: low},
        high={key: high},
        low_label=format_setting(key, low),
        high_label=format_setting(key, high),
        reason="--vary",
    )


def _yaml_scalar(text: str) -> Any:
    import yaml

    try:
        return yaml.safe_load(text.strip())
    except yaml.YAMLError:
        return text.strip()


def choose_swings(
    scenario: Scenario, varied: Sequence[str]
) -> tuple[list[Swing], list[str]]:
    """``--vary`` swings if any are given; else the defaults with the scenario's
    ``risk.sensitivity`` swings replacing or added to them."""
    if varied:
        return [parse_vary(scenario, text) for text in varied], []
    swings, skipped = default_swings(scenario)
    stated = scenario.risk.sensitivity if scenario.risk is not None else {}
    extra = {s.name: s for s in scenario_swings(scenario, stated)}
    merged = [extra.pop(s.name, s) for s in swings]
    return merged + list(extra.values()), skipped


def run_sensitivity(
    result: ScenarioResult,
    swings: Sequence[Swing],
    *,
    weather: pd.DataFrame | None = None,
    skipped: Sequence[str] = (),
) -> SensitivityResult:
    """Evaluate the base case and each swing's low and high case.

    Parameters
    ----------
    result : ScenarioResult
        The appraised scenario.
    swings : sequence of Swing
        From :func:`choose_swings`, :func:`default_swings` or :func:`parse_vary`.
    weather : pandas.DataFrame, optional
        Needed only for swings of keys that change the yield simulation.
    skipped : sequence of str
        Default swings left out, carried into the result.

    Raises
    ------
    ScenarioError
        If a swing sets a value its key rejects (the scenario is validated at
        every setting first).
    """
    keys = list(
        dict.fromkeys(k for s in swings for side in (s.low, s.high) for k in side)
    )
    evaluator = CaseEvaluator(result, keys, weather=weather)
    for swing in swings:
        for side in (swing.low, swing.high):
            evaluator.check_setting(side, where=f"sensitivity {swing.name}")
    cases = tornado(evaluator.evaluate, swings)
    return SensitivityResult(
        cases=cases,
        swings=tuple(swings),
        skipped=tuple(skipped),
        currency=result.currency,
        translations=dict(evaluator.translations),
    )
