"""Rows of the Energy and Indices sheets: energy by year, exchange-rate paths, price
paths and the indexation of the revenue scheme, as formulas of the Inputs cells.

Where a path comes from the hourly simulation (the self-consumed share of each year,
the owner's consumption) the row holds values, filled orange with a note.
"""

from __future__ import annotations

from solarcase.pipeline import ScenarioResult
from solarcase.report.xlsx_book import Row, Section, Year, fx_format
from solarcase.report.xlsx_inputs import Money, currency_money
from solarcase.scenario import finance as model

__all__ = ["energy_rows", "escalated", "index_rows", "item_money"]


def item_money(finance: model.Finance) -> dict[str, Money]:
    """The currency of each priced item of the scenario (as ``to_finance``)."""
    out = {"revenue": currency_money(finance, finance.revenue.currency)}
    costs = finance.operating_costs
    for name in ("fixed_om", "variable_om", "land_lease"):
        item = getattr(costs, name)
        if item is not None:
            out[name] = currency_money(finance, item.currency)
    if finance.inverter_replacement is not None:
        out["replacement"] = currency_money(
            finance, finance.inverter_replacement.currency
        )
    if finance.module_replacement is not None:
        item = finance.capex[finance.module_replacement.capex_item]
        out["module_replacement"] = currency_money(finance, item.currency)
    for which in ("salvage", "decommissioning"):
        item = getattr(finance.end_of_life, which)
        if item is not None:
            code = None if item.capex_fraction is not None else item.currency
            out[which] = currency_money(finance, code)
    return out


def escalated(amount: str, rate: str, money: Money, x: Year, *, base: int = 1) -> str:
    """``amount`` stated at year-``base`` prices in its currency, in year t in the
    model currency: amount x factor x (1 + rate)^(t - base) x fx_t."""
    power = f"({x.t}-1)" if base == 1 else x.t
    return f"{amount}{money.factor}*(1+{rate})^{power}{_fx(money, x)}"


def _fx(money: Money, x: Year) -> str:
    """Times year t's exchange rate of the money's currency ('' in the model
    currency)."""
    return f"*{x(money.fx)}" if money.fx else ""


def energy_rows(result: ScenarioResult) -> list[Row | Section]:
    """Degradation, delivered energy (formulas) and the hourly-derived shares."""
    by_year = [0.0, *(float(v) for v in result.energy_by_year_kwh)]
    rows: list[Row | Section] = [
        Row(
            "degradation_factor",
            "degradation factor [-]",
            "factor",
            lambda x: (
                f'IF({x.t}<1,0,IF(degradation_mode="compound",'
                f"(1-degradation_rate)^({x.t}-1),MAX(1-degradation_rate*({x.t}-1),0)))"
            ),
        ),
        Row(
            "delivered_energy_kwh",
            "energy delivered [kWh]",
            "energy",
            lambda x: (
                "simulated_ac_energy_kwh*(1-availability_loss)*(1-curtailment)"
                f"*{x('degradation_factor')}"
            ),
            bold=True,
            note="Simulated AC energy x (1 - unavailability) x (1 - curtailment) x "
            "degradation factor; the Cash flow sheet uses this row.",
        ),
        Row(
            "engine_energy_kwh",
            "energy delivered, solarcase engine [kWh]",
            "energy",
            values=by_year,
            kind="value",
            note="The engine's energy of each year, for comparison with the row above "
            "(they are equal until you change an energy input).",
        ),
    ]
    factors = result.revenue_factors
    if factors.self_consumed_fraction is not None:
        hourly = (
            "From the hour-by-hour netting of the simulated production against the "
            "load (a value, not a formula): it does not change with the inputs here."
        )
        rows += [
            Section("Self-consumption (from the hourly simulation)"),
            Row(
                "self_consumed_fraction",
                "share of the energy used on site [-]",
                "percent",
                values=[0.0, *(float(v) for v in factors.self_consumed_fraction)],
                kind="value",
                note=hourly,
            ),
        ]
        if factors.consumption_kwh is not None:
            rows.append(
                Row(
                    "consumption_kwh",
                    "the owner's consumption [kWh]",
                    "energy",
                    values=[0.0, *(float(v) for v in factors.consumption_kwh)],
                    kind="value",
                    note=hourly,
                )
            )
    return rows


def index_rows(result: ScenarioResult) -> list[Row | Section]:
    """Exchange-rate paths, then the price paths of the revenue scheme."""
    finance = result.scenario.finance
    n = finance.analysis_years
    cur = finance.currency
    rows: list[Row | Section] = [Section("Exchange rates")]
    for code, path in finance.exchange_rates.items():
        rows.append(
            _path_row(
                f"fx_{code.lower()}",
                f"exchange rate [{cur}/{code}]",
                path,
                n,
                f"fx_{code.lower()}",
                f"finance.exchange_rates.{code}.values",
            )
        )
    rows += _revenue_rows(finance)
    return rows


def _path_row(
    name: str, label: str, path: model.ExchangeRatePath, n: int, stem: str, key: str
) -> Row:
    """A rate path: start x (1 + rise)^t from Inputs, or the scenario's values."""
    fmt = fx_format(_start(path))
    if path.values is None:
        return Row(
            name,
            label,
            fmt,
            lambda x: f"{stem}_start_rate*(1+{stem}_escalation_rate)^{x.t}",
        )
    return Row(
        name,
        label,
        fmt,
        values=[float(v) for v in path.values[: n + 1]],
        kind="input",
        note=f"{key}: one rate per year.",
    )


def _revenue_rows(finance: model.Finance) -> list[Row | Section]:
    revenue = finance.revenue
    m = currency_money(finance, revenue.currency)
    unit = f"[{finance.currency}/kWh]"
    rows: list[Row | Section] = [
        Section(f"Prices ({revenue.scheme.replace('_', ' ')})")
    ]
    if isinstance(revenue, model.GuaranteedPurchase):
        rows += _indexation_rows(finance, revenue)
    if isinstance(revenue, model.EscalatingTariff):
        rows.append(
            Row(
                "contract_price",
                f"contract price {unit}",
                "price",
                lambda x: (
                    f"IF(AND({x.t}>=1,{x.t}<=contract_years),"
                    f"{escalated('tariff_price', 'tariff_escalation_rate', m, x)},0)"
                ),
            )
        )
    if isinstance(revenue, model.EscalatingTariff | model.GuaranteedPurchase):
        rows.append(
            Row(
                "price_after_contract",
                f"price after the contract {unit}",
                "price",
                lambda x: (
                    f"IF({x.t}>contract_years,"
                    + escalated(
                        "price_after_contract_per_kwh",
                        "escalation_after_contract_rate",
                        m,
                        x,
                    )
                    + ",0)"
                ),
            )
        )
    if isinstance(revenue, model.MarketSale):
        rows.append(_price_row("market_price", f"market price {unit}", "tariff", m))
    if isinstance(revenue, model.SelfConsumption):
        rows += _self_consumption_rows(revenue, m, unit)
    return rows


def _price_row(name: str, label: str, stem: str, m: Money) -> Row:
    """A price p (1 + e)^(t-1) in operating years, 0 in year 0."""
    price = "tariff_price" if stem == "tariff" else f"{stem}_price_per_kwh"
    return Row(
        name,
        label,
        "price",
        lambda x: f"IF({x.t}>=1,{escalated(price, f'{stem}_escalation_rate', m, x)},0)",
    )


def _self_consumption_rows(
    revenue: model.SelfConsumption, m: Money, unit: str
) -> list[Row | Section]:
    rows: list[Row | Section] = [
        _price_row("purchase_price", f"purchase tariff avoided {unit}", "tariff", m),
        _price_row("export_price", f"export price {unit}", "export", m),
    ]
    if revenue.obligation is not None:
        rows += [
            Row(
                "obligation_share",
                "obligation: share of consumption [-]",
                "percent",
                lambda x: (
                    f"IF({x.t}>=1,MAX(MIN(obligation_first_share"
                    f"+obligation_yearly_step*({x.t}-1),obligation_max_share),0),0)"
                ),
            ),
            _price_row(
                "penalty_price", f"obligation penalty tariff {unit}", "penalty", m
            ),
        ]
    return rows


def _indexation_rows(
    finance: model.Finance, revenue: model.GuaranteedPurchase
) -> list[Row | Section]:
    n = finance.analysis_years
    official = revenue.official_eur_rate
    cur = finance.currency
    m = currency_money(finance, revenue.currency)
    label = f"official EUR rate [{cur}/EUR]"
    if official is None:
        eur = Row(
            "official_eur",
            label,
            fx_format(float(_start(finance.exchange_rates["EUR"]))),
            lambda x: x("fx_eur"),
            note="finance.exchange_rates.EUR (no official_eur_rate in the scenario).",
        )
    else:
        eur = _path_row(
            "official_eur",
            label,
            official,
            n,
            "official_eur",
            "finance.revenue.official_eur_rate.values",
        )
    steps = len(revenue.step_downs)
    rows: list[Row | Section] = [
        eur,
        Row(
            "cpi_index",
            "consumer-price index (year 0 = 1) [-]",
            "factor",
            lambda x: f"(1+cpi_inflation_rate)^{x.t}",
        ),
        Row(
            "indexation",
            "indexation coefficient K [-]",
            "factor",
            lambda x: (
                f"IF({x.t}<1,0,cpi_weight*INDEX({x.span('cpi_index')},1,{x.t})"
                f"/{x.first('cpi_index')}+(1-cpi_weight)"
                f"*INDEX({x.span('official_eur')},1,{x.t})/{x.first('official_eur')})"
            ),
            note="K_t = w CPI_(t-1)/CPI_0 + (1 - w) EUR_(t-1)/EUR_0 (SATBA billing "
            "guide): the indices of the year before payment; year 1 pays K = 1.",
        ),
    ]
    if steps:
        rows.append(
            Row(
                "step_down",
                "step-down factor S [-]",
                "factor",
                lambda x: _step_down(x, steps),
            )
        )
    stepped = "*{}" if steps else ""
    rows.append(
        Row(
            "contract_price",
            f"contract price: base x K x S [{cur}/kWh]",
            "price",
            lambda x: (
                f"IF(AND({x.t}>=1,{x.t}<=contract_years),tariff_price{m.factor}"
                + f"*{x('indexation')}"
                + stepped.format(x("step_down") if steps else "")
                + _fx(m, x)
                + ",0)"
            ),
        )
    )
    return rows


def _start(path: model.ExchangeRatePath) -> float:
    """The rate of year 0 of a path (its start, or its first value). [cur/unit]"""
    return float((path.start_rate if path.values is None else path.values[0]) or 0.0)


def _step_down(x: Year, steps: int) -> str:
    """S_t: the latest step's factor (absolute) or the product (cumulative)."""
    latest = "1"
    for k in range(1, steps + 1):
        latest = f"IF({x.t}>=step_down_{k}_year,step_down_{k}_factor,{latest})"
    product = "*".join(
        f"IF({x.t}>=step_down_{k}_year,step_down_{k}_factor,1)"
        for k in range(1, steps + 1)
    )
    return f'IF(step_down_mode="cumulative",{product},{latest})'
