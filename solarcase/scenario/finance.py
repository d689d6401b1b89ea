"""The scenario's ``finance`` section: what the plant costs, earns and borrows.

Every money item may say its ``currency`` (ISO 4217; ``IRT`` for tomans, which become
rials here, at the boundary); an item without one is in ``finance.currency``. A
foreign currency needs a path in ``finance.exchange_rates``: a year-0 rate and a
yearly rise, or one value for each year 0..N, in model-currency units per foreign
unit. Operating costs and tariffs are stated at operating-year-1 prices and escalate
as p(1 + e)^(t-1); one-off future costs (replacements, decommissioning, salvage) are
stated at today's (year-0) prices and escalate as c(1 + e)^t; a price in a foreign
currency escalates in that currency and converts at each year's rate. Every
escalation rate left out means "with the inflation of the item's currency".
Fractions and rates accept ``0.12`` or ``"12%"``; a bare ``12`` is an error.

The revenue scheme is a union on ``scheme`` (escalating_tariff, guaranteed_purchase,
self_consumption, market), the loan on ``type`` (annuity, equal_principal,
sculpted) and depreciation on ``method`` (straight_line, declining_balance).
"""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    Field,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from solarcase.scenario.types import STRICT, Fraction, NonNegative, Positive, Rate

__all__ = [
    "DEFAULT_INFLATION",
    "TOMAN",
    "AnnuityDebt",
    "CapexItem",
    "DecliningBalance",
    "EndOfLife",
    "EndOfLifeItem",
    "EqualPrincipalDebt",
    "EscalatingTariff",
    "ExchangeRatePath",
    "Finance",
    "FixedOm",
    "Grant",
    "GuaranteedPurchase",
    "InKind",
    "Insurance",
    "InverterReplacement",
    "LandLease",
    "LatePayment",
    "LoadProfile",
    "MarketSale",
    "Mirr",
    "ModuleReplacement",
    "Obligation",
    "OperatingCosts",
    "SculptedDebt",
    "SelfConsumption",
    "StraightLine",
    "Targets",
    "Tax",
    "TimeOfDay",
    "VariableOm",
]

#: Unofficial code of the toman (10 rials); amounts in it become rials on input.
TOMAN = "IRT"
#: Inflation of a foreign currency when its exchange-rate path does not state one:
#: the 2 % longer-run goals of the US Federal Reserve ("Statement on Longer-Run
#: Goals and Monetary Policy Strategy", FOMC, reaffirmed January 2024; measured on
#: PCE prices) and of the ECB (monetary policy strategy, 2021, reaffirmed 2025; HICP).
DEFAULT_INFLATION: dict[str, float] = {"USD": 0.02, "EUR": 0.02}

_ESCALATION = (
    'Yearly escalation [fraction/year], e.g. 0.35 or "35%"; omitted: the inflation '
    "of the item's currency."
)
_CURRENCY = (
    "Currency of the amounts (ISO 4217, IRT for tomans); omitted: finance.currency. "
    "A foreign currency needs finance.exchange_rates.<code>."
)
#: A rate above -100 %, for discounting and inflation (1 + r must stay positive).
AboveMinusOne = Annotated[Rate, Field(gt=-1.0)]
Currency = Annotated[
    str, Field(pattern=r"^[A-Z]{3}$", json_schema_extra={"examples": ["USD", "IRT"]})
]


def _exactly_one(model: BaseModel, names: tuple[str, ...], what: str) -> None:
    given = [name for name in names if getattr(model, name) is not None]
    if len(given) != 1:
        shown = ", ".join(given) if given else "none"
        raise PydanticCustomError(
            "cost_basis",
            "{what}: give exactly one of {allowed}, got {shown}; e.g. {example}: 1000",
            {
                "what": what,
                "allowed": ", ".join(names),
                "shown": shown,
                "example": names[0],
            },
        )


# --- currencies ----------------------------------------------------------------------


class ExchangeRatePath(BaseModel):
    """Model-currency units per unit of a foreign currency, year by year."""

    model_config = STRICT

    start_rate: Positive | None = Field(
        None,
        description="Rate in year 0 (construction) [model currency per unit]; with "
        "escalation_rate.",
    )
    escalation_rate: Rate | None = Field(
        None,
        description="Yearly rise of the rate [fraction/year]: year t is "
        "start_rate (1 + e)^t. A currency that loses half its value every two "
        "years has e = 41 %. With start_rate.",
    )
    values: list[Positive] | None = Field(
        None,
        min_length=1,
        description="The rate of each year 0..N, instead of start_rate and "
        "escalation_rate; values after year N are not used.",
    )
    inflation_rate: AboveMinusOne | None = Field(
        None,
        description="Inflation of that currency [fraction/year]: the escalation of "
        "prices stated in it, and the deflator of results in it; omitted: 2 % for "
        "USD and EUR (Fed and ECB longer-run goals), required for others.",
    )

    @model_validator(mode="after")
    def _one_form(self) -> ExchangeRatePath:
        by_rate = self.start_rate is not None or self.escalation_rate is not None
        if by_rate == (self.values is not None) or (
            by_rate and (self.start_rate is None or self.escalation_rate is None)
        ):
            raise PydanticCustomError(
                "fx_path_form",
                "give either start_rate and escalation_rate (e.g. 1050000 and "
                '"41%"), or values (one per year 0..N), not both; a variant that '
                "extends a base inherits the base's keys: set the other form's keys "
                "to null",
            )
        return self


# --- capex, grants, in-kind -----------------------------------------------------------


class CapexItem(BaseModel):
    """One investment item at year 0: a lump sum, or a cost per kWp or per kW AC."""

    model_config = STRICT

    amount: NonNegative | None = Field(None, description="Lump sum [cur].")
    per_kwp: NonNegative | None = Field(
        None, description="Cost per kWp of DC capacity [cur/kWp]."
    )
    per_kw_ac: NonNegative | None = Field(
        None, description="Cost per kW of inverter AC capacity [cur/kW]."
    )
    currency: Currency | None = Field(None, description=_CURRENCY)
    depreciable: bool = Field(
        True, description="Depreciated for tax; set false for land [-]."
    )

    @model_validator(mode="after")
    def _one_basis(self) -> CapexItem:
        _exactly_one(self, ("amount", "per_kwp", "per_kw_ac"), "a capex item")
        return self


class Grant(BaseModel):
    """A grant received at year 0: cash that reduces what the owner puts in."""

    model_config = STRICT

    amount: NonNegative = Field(description="Amount [cur].")
    currency: Currency | None = Field(None, description=_CURRENCY)
    reduces_depreciable_basis: bool = Field(
        True,
        description="Subtract the grant from the depreciable basis (no deduction for "
        "what the owner did not pay) [-].",
    )


class InKind(BaseModel):
    """A contribution in kind (e.g. municipal land): valued, shown, not paid in cash.

    It enters the LCOE (the energy's economic cost) but not NPV, IRR or payback.
    """

    model_config = STRICT

    amount: NonNegative | None = Field(
        None, description="Value at year 0 [cur]; for land, per_year is closer."
    )
    per_year: NonNegative | None = Field(
        None,
        description="Imputed yearly value in operating year 1, e.g. the land's "
        "rent [cur/year].",
    )
    currency: Currency | None = Field(None, description=_CURRENCY)
    escalation_rate: Rate | None = Field(None, description=_ESCALATION)

    @model_validator(mode="after")
    def _one_basis(self) -> InKind:
        _exactly_one(self, ("amount", "per_year"), "an in-kind item")
        return self


# --- operating costs -----------------------------------------------------------------


class FixedOm(BaseModel):
    """Fixed operation and maintenance cost, per kWp or as a yearly amount."""

    model_config = STRICT

    per_kwp_year: NonNegative | None = Field(
        None, description="Cost per kWp and year, in operating year 1 [cur/kWp/year]."
    )
    per_year: NonNegative | None = Field(
        None, description="Cost per year, in operating year 1 [cur/year]."
    )
    currency: Currency | None = Field(None, description=_CURRENCY)
    escalation_rate: Rate | None = Field(None, description=_ESCALATION)

    @model_validator(mode="after")
    def _one_basis(self) -> FixedOm:
        _exactly_one(self, ("per_kwp_year", "per_year"), "fixed_om")
        return self


class VariableOm(BaseModel):
    """Operation and maintenance cost per kWh produced."""

    model_config = STRICT

    per_kwh: NonNegative = Field(
        description="Cost per kWh, in operating year 1 [cur/kWh]."
    )
    currency: Currency | None = Field(None, description=_CURRENCY)
    escalation_rate: Rate | None = Field(None, description=_ESCALATION)


class Insurance(BaseModel):
    """Yearly insurance premium as a share of capex."""

    model_config = STRICT

    capex_fraction_per_year: Fraction = Field(
        description="Premium in operating year 1 as a share of total capex "
        '[fraction/year], e.g. "0.5%".'
    )
    escalation_rate: Rate | None = Field(None, description=_ESCALATION)


class LandLease(BaseModel):
    """Yearly rent for the land."""

    model_config = STRICT

    per_year: NonNegative = Field(description="Rent in operating year 1 [cur/year].")
    currency: Currency | None = Field(None, description=_CURRENCY)
    escalation_rate: Rate | None = Field(None, description=_ESCALATION)


class OperatingCosts(BaseModel):
    """Yearly costs of running the plant; an item left out costs nothing."""

    model_config = STRICT

    fixed_om: FixedOm | None = Field(None, description="Fixed O&M.")
    variable_om: VariableOm | None = Field(None, description="Variable O&M.")
    insurance: Insurance | None = Field(None, description="Insurance premium.")
    land_lease: LandLease | None = Field(None, description="Land lease.")


# --- revenue --------------------------------------------------------------------------


class EscalatingTariff(BaseModel):
    """Energy sold at a contract price that escalates, then at a price after it."""

    model_config = STRICT

    scheme: Literal["escalating_tariff"] = Field(
        description="Revenue scheme: a price with a fixed escalation."
    )
    price_per_kwh: NonNegative = Field(
        description="Contract price in operating year 1 [cur/kWh]."
    )
    escalation_rate: Rate = Field(
        description="Yearly escalation of the contract price [fraction/year]; "
        "0 for a flat nominal price (required: in a high-inflation economy the "
        "choice matters too much for a default)."
    )
    contract_years: int | None = Field(
        None,
        ge=1,
        description="Contract term from operating year 1 [years]; omitted: the "
        "whole analysis.",
    )
    price_after_contract_per_kwh: NonNegative | None = Field(
        None,
        description="Price after the contract, stated at operating-year-1 prices "
        "(e.g. today's market price) [cur/kWh]; in year t it is "
        "p(1 + e)^(t-1). Required when the contract ends before the analysis.",
    )
    escalation_after_contract_rate: Rate | None = Field(
        None,
        description="Yearly escalation of the price after the contract "
        "[fraction/year]; omitted: inflation of the currency.",
    )
    currency: Currency | None = Field(None, description=_CURRENCY)


class TimeOfDayPeriod(BaseModel):
    """Hours [start_hour, end_hour) of the day that share a coefficient."""

    model_config = STRICT

    start_hour: int = Field(ge=0, le=23, description="First hour (local standard).")
    end_hour: int = Field(
        ge=1, le=24, description="Hour after the last; may wrap past midnight."
    )
    coefficient: NonNegative = Field(description="Coefficient of these hours [-].")


class TimeOfDay(BaseModel):
    """Hourly coefficients of the invoiced energy (equivalent energy)."""

    model_config = STRICT

    coefficients: list[NonNegative] | None = Field(
        None,
        min_length=24,
        max_length=24,
        description="24 coefficients, hour 0 (00:00-01:00 local standard time) "
        "first [-].",
    )
    periods: list[TimeOfDayPeriod] | None = Field(
        None,
        min_length=1,
        description="Periods covering the 24 hours once each, instead of coefficients.",
    )

    @model_validator(mode="after")
    def _one_form(self) -> TimeOfDay:
        _exactly_one(self, ("coefficients", "periods"), "time_of_day")
        if self.periods is not None:
            counts = [0] * 24
            for period in self.periods:
                for hour in _period_hours(period):
                    counts[hour] += 1
            bad = [h for h, c in enumerate(counts) if c != 1]
            if bad:
                raise PydanticCustomError(
                    "periods_cover",
                    "time_of_day.periods must cover each hour 0..23 exactly once; "
                    "hours covered 0 or several times: {bad}",
                    {"bad": bad},
                )
        return self

    def by_hour(self) -> list[float]:
        """The 24 hourly coefficients [-]."""
        if self.coefficients is not None:
            return list(self.coefficients)
        table = [0.0] * 24
        for period in self.periods or ():
            for hour in _period_hours(period):
                table[hour] = period.coefficient
        return table


def _period_hours(period: TimeOfDayPeriod) -> list[int]:
    start, end = period.start_hour, period.end_hour
    return list(range(start, end)) if end > start else [*range(start, 24), *range(end)]


class GuaranteedPurchase(BaseModel):
    """The SATBA guaranteed-purchase contract: an indexed base rate with step-downs.

    Price in contract year t: base x K_t x S_t, with K_t = w CPI_(t-1)/CPI_0 +
    (1 - w) EUR_(t-1)/EUR_0 (w = alpha or 1 - alpha, see alpha_weights) and S_t the
    step-down factor; the invoiced energy is the energy times the time-of-day factor.
    """

    model_config = STRICT

    scheme: Literal["guaranteed_purchase"] = Field(
        description="Revenue scheme: SATBA-style indexed guaranteed purchase."
    )
    base_price_per_kwh: NonNegative = Field(
        description="Base rate at signature, paid unindexed in operating year 1 "
        "[cur/kWh]."
    )
    alpha: Annotated[Fraction, Field(ge=0.15, le=0.30)] = Field(
        description="Indexation weight chosen at signature, 0.15-0.30 [fraction]."
    )
    alpha_weights: Literal["cpi", "eur"] = Field(
        "cpi",
        description="Which index alpha weights: 'cpi' gives K = a CPI + (1 - a) EUR "
        "(the reading of renews.pro; the primary text was not available), 'eur' "
        "gives K = (1 - a) CPI + a EUR.",
    )
    cpi_inflation_rate: AboveMinusOne | None = Field(
        None,
        description="Yearly rise of the CPI in the coefficient [fraction/year]; "
        "omitted: finance.inflation_rate.",
    )
    official_eur_rate: ExchangeRatePath | None = Field(
        None,
        description="Official EUR rate path used by the coefficient; omitted: "
        "finance.exchange_rates.EUR (the official rate may differ from the market "
        "rate that converts EUR prices).",
    )
    step_downs: dict[int, Annotated[Fraction, Field(gt=0.0)]] = Field(
        default_factory=dict,
        description="Contract year -> factor from that year, e.g. {8: 0.6, 12: 0.6, "
        "16: 0.6} [-].",
    )
    step_down_mode: Literal["cumulative", "absolute"] | None = Field(
        None,
        description="'cumulative': each factor multiplies the earlier ones; "
        "'absolute': the latest factor replaces them. Required with step_downs "
        "(the decree's '60 %' says neither).",
    )
    contract_years: int | None = Field(
        None, ge=1, description="Contract term [years]; omitted: the whole analysis."
    )
    price_after_contract_per_kwh: NonNegative | None = Field(
        None,
        description="Price after the contract at operating-year-1 prices "
        "[cur/kWh]; required when the contract ends before the analysis.",
    )
    escalation_after_contract_rate: Rate | None = Field(
        None,
        description="Escalation of the price after the contract [fraction/year]; "
        "omitted: inflation of the currency.",
    )
    time_of_day: TimeOfDay | None = Field(
        None,
        description="Hourly coefficients of the invoiced energy; omitted: 1 every "
        "hour.",
    )
    currency: Currency | None = Field(None, description=_CURRENCY)

    @model_validator(mode="after")
    def _steps_have_a_mode(self) -> GuaranteedPurchase:
        if self.step_downs and self.step_down_mode is None:
            raise PydanticCustomError(
                "step_down_mode_missing",
                "step_downs given without step_down_mode; say 'absolute' (the "
                "latest factor applies) or 'cumulative' (factors multiply)",
            )
        if any(year < 1 for year in self.step_downs):
            raise PydanticCustomError(
                "step_down_year", "step_downs: contract years start at 1"
            )
        return self


class MarketSale(BaseModel):
    """Energy sold on an exchange (the green board) at an escalating price."""

    model_config = STRICT

    scheme: Literal["market"] = Field(description="Revenue scheme: market sale.")
    price_per_kwh: NonNegative = Field(
        description="Average sale price in operating year 1 [cur/kWh]."
    )
    escalation_rate: Rate | None = Field(
        None, description="Yearly escalation; omitted: inflation of the currency."
    )
    currency: Currency | None = Field(None, description=_CURRENCY)


class LoadProfile(BaseModel):
    """The owner's electricity use, hour by hour over a year."""

    model_config = STRICT

    annual_consumption_kwh: NonNegative | None = Field(
        None,
        description="Consumption in operating year 1 [kWh]; with profile 'file' it "
        "rescales the file (omitted: the file's own total).",
    )
    profile: Literal["flat", "office", "file"] = Field(
        description="'flat': the same every hour; 'office': full load Saturday to "
        "Wednesday 07:00-15:00 and 25 % of it otherwise [estimate]; 'file': a CSV "
        "of one value per hour of the year [kWh]."
    )
    file: Path | None = Field(
        None,
        description="CSV with one column of hourly kWh (8,760 rows from 1 January "
        "00:00 local standard time; a header line is allowed), for profile 'file'.",
    )
    growth_rate: Rate = Field(
        0.0, description="Yearly growth of the consumption [fraction/year]."
    )
    _hourly_kwh: tuple[float, ...] | None = PrivateAttr(None)

    @model_validator(mode="after")
    def _read_file(self) -> LoadProfile:
        if (self.profile == "file") != (self.file is not None):
            raise PydanticCustomError(
                "load_file",
                "give file with profile: file (and only then), e.g. profile: file "
                "and file: load.csv",
            )
        if self.profile != "file" and self.annual_consumption_kwh is None:
            raise PydanticCustomError(
                "load_total_missing",
                "profile {profile} needs annual_consumption_kwh",
                {"profile": self.profile},
            )
        if self.file is not None:
            self._hourly_kwh = _read_load_csv(self.file)
        return self

    @property
    def hourly_kwh(self) -> tuple[float, ...] | None:
        """The hourly values read from ``file`` (None for other profiles). [kWh]"""
        return self._hourly_kwh


def _read_load_csv(path: Path) -> tuple[float, ...]:
    """Read one column of 8,760 non-negative numbers (an optional header)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as err:
        raise PydanticCustomError(
            "load_file_unreadable",
            "cannot read the load file {path} ({why}); check the path (relative "
            "paths are taken from the working directory)",
            {"path": str(path), "why": err.strerror or str(err)},
        ) from None
    rows = [row for row in csv.reader(text.splitlines()) if row and row[0].strip()]
    values: list[float] = []
    for number, row in enumerate(rows, start=1):
        try:
            value = float(row[-1])
        except ValueError:
            if number == 1 and not values:
                continue  # a header
            raise PydanticCustomError(
                "load_file_value",
                "{path} line {line}: not a number: {cell}; one kWh value per line",
                {"path": str(path), "line": number, "cell": repr(row[-1])},
            ) from None
        if not math.isfinite(value) or value < 0:
            raise PydanticCustomError(
                "load_file_value",
                "{path} line {line}: hourly load must be a number >= 0, got {cell}",
                {"path": str(path), "line": number, "cell": repr(row[-1])},
            )
        values.append(value)
    if len(values) != 8760:
        raise PydanticCustomError(
            "load_file_length",
            "{path}: {count} hourly values, expected 8760 (one per hour of a "
            "365-day year)",
            {"path": str(path), "count": len(values)},
        )
    return tuple(values)


class Obligation(BaseModel):
    """A public body's duty to cover a rising share of its use from renewables.

    The uncovered share is billed at the "renewable tariff"; the plant's energy
    counts toward the share, so it avoids that bill up to the share itself.
    """

    model_config = STRICT

    first_share: Fraction = Field(
        description='Obligation share in operating year 1 [fraction], e.g. "10%".'
    )
    yearly_step: Fraction = Field(
        description='Rise of the share each year [fraction/year], e.g. "5%".'
    )
    max_share: Fraction = Field(description='Final share [fraction], e.g. "20%".')
    penalty_price_per_kwh: NonNegative = Field(
        description="Renewable tariff billed on the uncovered share, operating "
        "year 1 [cur/kWh]."
    )
    penalty_escalation_rate: Rate | None = Field(
        None, description="Escalation of that tariff; omitted: inflation."
    )


class SelfConsumption(BaseModel):
    """The owner uses the energy: purchases avoided, surplus exported."""

    model_config = STRICT

    scheme: Literal["self_consumption"] = Field(
        description="Revenue scheme: self-consumption with export of the surplus."
    )
    load: LoadProfile = Field(description="The owner's hourly consumption.")
    purchase_price_per_kwh: NonNegative = Field(
        description="The owner's grid tariff in operating year 1 [cur/kWh]."
    )
    purchase_escalation_rate: Rate | None = Field(
        None, description="Escalation of that tariff; omitted: inflation."
    )
    export_price_per_kwh: NonNegative = Field(
        description="Price of exported surplus in operating year 1 [cur/kWh]."
    )
    export_escalation_rate: Rate | None = Field(
        None, description="Escalation of the export price; omitted: inflation."
    )
    obligation: Obligation | None = Field(
        None, description="Renewable-energy obligation; omitted: none."
    )
    currency: Currency | None = Field(None, description=_CURRENCY)


Revenue = Annotated[
    EscalatingTariff | GuaranteedPurchase | MarketSale | SelfConsumption,
    Field(discriminator="scheme"),
]


class LatePayment(BaseModel):
    """A share of each year's invoices paid some years late (no interest)."""

    model_config = STRICT

    share: Fraction = Field(
        description='Share of each invoice paid late [fraction], e.g. "30%".'
    )
    delay_years: int = Field(ge=1, le=20, description="Years late [years].")
    unpaid_at_end: Literal["collected", "lost"] = Field(
        "collected",
        description="Invoices still unpaid after the last year: 'collected' in "
        "year N, or 'lost' (written off).",
    )


# --- debt -----------------------------------------------------------------------------


class _LoanTerms(BaseModel):
    model_config = STRICT

    interest_rate: Annotated[Rate, Field(ge=0.0)] = Field(
        description='Nominal interest rate [fraction/year], e.g. "14%".'
    )
    tenor_years: int = Field(
        ge=1, le=50, description="Repayment years after the grace years [years]."
    )
    grace_years: int = Field(
        0, ge=0, le=20, description="Interest-only years before repayment [years]."
    )
    upfront_fee: Fraction = Field(
        0.0, description="Fee paid at year 0 as a share of the loan [fraction]."
    )
    construction_interest_years: float = Field(
        0.0,
        ge=0.0,
        le=10.0,
        description="Average time the drawn loan is outstanding before operation; "
        "its interest is capitalised (about half the construction time) [years].",
    )


class AnnuityDebt(_LoanTerms):
    """A loan for a share of capex, repaid in equal yearly instalments."""

    type: Literal["annuity"] = Field(description="Repayment type: 'annuity'.")
    capex_fraction: Annotated[Fraction, Field(gt=0.0)] = Field(
        description='Share of capex borrowed [fraction], e.g. "80%".'
    )


class EqualPrincipalDebt(_LoanTerms):
    """A loan for a share of capex, repaid in equal principal parts."""

    type: Literal["equal_principal"] = Field(
        description="Repayment type: 'equal_principal'."
    )
    capex_fraction: Annotated[Fraction, Field(gt=0.0)] = Field(
        description='Share of capex borrowed [fraction], e.g. "80%".'
    )


class SculptedDebt(_LoanTerms):
    """A loan sized on the cash flow: each year's service is CFADS / target DSCR."""

    type: Literal["sculpted"] = Field(description="Repayment type: 'sculpted'.")
    target_dscr: float = Field(
        gt=0.0, le=10.0, description="CFADS / debt service in each year, e.g. 1.3."
    )
    max_gearing: Annotated[Fraction, Field(gt=0.0)] = Field(
        description='Largest loan as a share of capex [fraction], e.g. "70%".'
    )


Debt = Annotated[
    AnnuityDebt | EqualPrincipalDebt | SculptedDebt, Field(discriminator="type")
]


# --- tax ------------------------------------------------------------------------------


class StraightLine(BaseModel):
    """Straight-line tax depreciation."""

    model_config = STRICT

    method: Literal["straight_line"] = Field(
        description="Depreciation method: 'straight_line'."
    )
    life_years: int = Field(
        ge=1,
        le=100,
        description="Depreciation life [years]; charges after the last operating "
        "year are not taken.",
    )
    half_year_convention: bool = Field(
        False,
        description="Half a year's charge in the first year and in year life + 1 "
        "(as US MACRS and NREL SAM do) [-].",
    )


class DecliningBalance(BaseModel):
    """Declining-balance depreciation, switching to straight line when larger."""

    model_config = STRICT

    method: Literal["declining_balance"] = Field(
        description="Depreciation method: 'declining_balance'."
    )
    life_years: int = Field(ge=1, le=100, description="Depreciation life [years].")
    factor: float = Field(
        2.0,
        gt=0.0,
        le=4.0,
        description="Rate = factor / life; 2 is double declining balance [-].",
    )
    half_year_convention: bool = Field(
        False, description="Half a year's charge in year 1, as US MACRS [-]."
    )


Depreciation = Annotated[StraightLine | DecliningBalance, Field(discriminator="method")]


class Tax(BaseModel):
    """Income tax on the plant's profit; losses earn no refund."""

    model_config = STRICT

    rate: Fraction = Field(description='Income-tax rate [fraction], e.g. "25%".')
    depreciation: Depreciation = Field(description="How capex is deducted.")
    holiday_years: int = Field(
        0,
        ge=0,
        le=50,
        description="Operating years 1..H exempt from tax (e.g. 13) [years].",
    )
    loss_carry_forward: bool = Field(
        False, description="Carry losses forward against later profits [-]."
    )
    loss_expiry_years: int | None = Field(
        None,
        ge=1,
        le=50,
        description="Years after which a carried loss expires; omitted: never.",
    )

    @model_validator(mode="after")
    def _expiry_needs_carry(self) -> Tax:
        if self.loss_expiry_years is not None and not self.loss_carry_forward:
            raise PydanticCustomError(
                "expiry_without_carry",
                "loss_expiry_years is set but loss_carry_forward is false; set "
                "loss_carry_forward: true or remove loss_expiry_years",
            )
        return self


# --- one-off costs --------------------------------------------------------------------


class InverterReplacement(BaseModel):
    """A one-off inverter replacement in a given operating year."""

    model_config = STRICT

    year: int = Field(ge=1, description="Operating year of the replacement [-].")
    amount: NonNegative | None = Field(
        None, description="Cost at today's (year-0) prices [cur]."
    )
    per_kw_ac: NonNegative | None = Field(
        None, description="Cost per kW AC at today's (year-0) prices [cur/kW]."
    )
    currency: Currency | None = Field(None, description=_CURRENCY)
    escalation_rate: Rate | None = Field(
        None,
        description="Yearly escalation from year 0 [fraction/year]; omitted: "
        "inflation of the currency.",
    )

    @model_validator(mode="after")
    def _one_basis(self) -> InverterReplacement:
        _exactly_one(self, ("amount", "per_kw_ac"), "inverter_replacement")
        return self


class ModuleReplacement(BaseModel):
    """Modules replaced over the life, as a share of a capex item's cost."""

    model_config = STRICT

    capex_item: str = Field(
        description="The capex item the modules are (its cost, currency and "
        "year-0 prices are the basis), e.g. modules."
    )
    fraction_per_year: Fraction = Field(
        0.0, description="Share replaced every operating year [fraction/year]."
    )
    fraction: Fraction = Field(
        0.0, description="Share replaced in each of years [fraction]."
    )
    years: list[int] = Field(
        default_factory=list, description="Operating years of one-off replacements."
    )
    escalation_rate: Rate | None = Field(
        None,
        description="Escalation from year 0 in the item's currency; omitted: its "
        "inflation.",
    )


class EndOfLifeItem(BaseModel):
    """A salvage value or decommissioning cost at the end of the last year."""

    model_config = STRICT

    amount: NonNegative | None = Field(
        None, description="At today's (year-0) prices [cur]."
    )
    per_kwp: NonNegative | None = Field(
        None, description="Per kWp, at today's (year-0) prices [cur/kWp]."
    )
    capex_fraction: Fraction | None = Field(
        None, description="As a share of total capex, at year-0 prices [fraction]."
    )
    currency: Currency | None = Field(
        None, description=_CURRENCY + " Not with capex_fraction."
    )
    escalation_rate: Rate | None = Field(
        None,
        description="Yearly escalation from year 0 to the last year "
        "[fraction/year]; omitted: inflation of the currency.",
    )

    @model_validator(mode="after")
    def _one_basis(self) -> EndOfLifeItem:
        _exactly_one(self, ("amount", "per_kwp", "capex_fraction"), "end_of_life item")
        if self.capex_fraction is not None and self.currency is not None:
            raise PydanticCustomError(
                "currency_with_fraction",
                "a capex_fraction is in the model currency; remove currency",
            )
        return self


class EndOfLife(BaseModel):
    """What happens at the end of the last operating year."""

    model_config = STRICT

    salvage: EndOfLifeItem | None = Field(
        None, description="Value recovered (taxable income)."
    )
    decommissioning: EndOfLifeItem | None = Field(
        None, description="Cost of dismantling and restoring the site (deductible)."
    )


class Targets(BaseModel):
    """Targets for the solved values."""

    model_config = STRICT

    equity_irr: Rate | None = Field(
        None,
        description="Nominal equity IRR the solved capex must give "
        "[fraction/year]; omitted: the nominal discount rate.",
    )
    min_dscr: float = Field(
        1.3,
        gt=0.0,
        le=10.0,
        description="Lowest DSCR the solved debt must keep [-]; 1.3 is a common "
        "lender minimum [estimate].",
    )


class Mirr(BaseModel):
    """Rates of the modified IRR."""

    model_config = STRICT

    finance_rate: AboveMinusOne | None = Field(
        None,
        description="Rate the outflows are financed at [fraction/year]; omitted: "
        "the nominal discount rate.",
    )
    reinvestment_rate: AboveMinusOne | None = Field(
        None,
        description="Rate the inflows are reinvested at [fraction/year]; omitted: "
        "the nominal discount rate.",
    )


# --- the section ----------------------------------------------------------------------


def currencies_in(value: Any) -> list[tuple[str, str]]:
    """Every (dotted key, currency) stated in a section, for validation."""
    found: list[tuple[str, str]] = []

    def walk(node: Any, where: str) -> None:
        if isinstance(node, BaseModel):
            code = getattr(node, "currency", None)
            if isinstance(code, str):
                found.append((where, code))
            for name in type(node).model_fields:
                walk(getattr(node, name), f"{where}.{name}")
        elif isinstance(node, dict):
            for key, item in node.items():
                walk(item, f"{where}.{key}")

    walk(value, "")
    return [(where.lstrip("."), code) for where, code in found]


class Finance(BaseModel):
    """What the plant costs and earns over its life, and how it is financed."""

    model_config = STRICT

    currency: str = Field(
        pattern=r"^[A-Z]{3}$",
        description="Model currency, ISO 4217 (IRR for rials, USD, EUR); results "
        "are in it. Tomans (IRT) are accepted per item, not here.",
        json_schema_extra={"examples": ["IRR", "USD"]},
    )
    analysis_years: int = Field(
        ge=1, le=50, description="Operating years N after the construction year 0."
    )
    inflation_rate: AboveMinusOne = Field(
        description="General inflation of the model currency [fraction/year]; the "
        "default escalation of its costs and the deflator of real results."
    )
    discount_rate_nominal: AboveMinusOne | None = Field(
        None,
        description="Nominal discount rate [fraction/year]; give this or "
        "discount_rate_real, not both.",
    )
    discount_rate_real: AboveMinusOne | None = Field(
        None,
        description="Real discount rate [fraction/year]; the nominal rate is "
        "(1 + real)(1 + inflation) - 1.",
    )
    exchange_rates: dict[Currency, ExchangeRatePath] = Field(
        default_factory=dict,
        description="Currency code -> exchange-rate path in model-currency units "
        "per unit, for every foreign currency used.",
    )
    reference_currency: Currency | None = Field(
        None,
        description="Show results also in this currency (it needs an "
        "exchange_rates entry), nominal and real; omitted: none.",
    )
    capex: dict[str, CapexItem] = Field(
        min_length=1,
        description="Investment at year 0, item name -> {amount | per_kwp | "
        "per_kw_ac, currency}, e.g. modules, inverters, balance_of_system, "
        "grid_connection, land, development.",
    )
    grants: dict[str, Grant] = Field(
        default_factory=dict, description="Grants at year 0, name -> {amount}."
    )
    in_kind: dict[str, InKind] = Field(
        default_factory=dict,
        description="Contributions in kind (e.g. land), name -> {amount | "
        "per_year}: in the LCOE, not in cash flows.",
    )
    operating_costs: OperatingCosts = Field(
        default_factory=OperatingCosts, description="Yearly operating costs."
    )
    revenue: Revenue = Field(description="How the energy earns money.")
    late_payment: LatePayment | None = Field(
        None, description="Share of invoices paid late; omitted: paid on time."
    )
    debt: Debt | None = Field(None, description="Loan; omitted: all equity.")
    tax: Tax | None = Field(None, description="Income tax; omitted: tax-exempt.")
    inverter_replacement: InverterReplacement | None = Field(
        None, description="One inverter replacement; omitted: none."
    )
    module_replacement: ModuleReplacement | None = Field(
        None, description="Module replacement over the life; omitted: none."
    )
    end_of_life: EndOfLife = Field(
        default_factory=EndOfLife,
        description="Salvage value and decommissioning cost in the last year.",
    )
    targets: Targets = Field(
        default_factory=Targets, description="Targets of the solved values."
    )
    mirr: Mirr = Field(default_factory=Mirr, description="Rates of the MIRR.")

    @field_validator("currency")
    @classmethod
    def _not_toman(cls, value: str) -> str:
        if value == TOMAN:
            raise PydanticCustomError(
                "toman_model_currency",
                "the model currency cannot be tomans (IRT); use IRR (rials) and state "
                "items in tomans with currency: IRT",
            )
        return value

    @model_validator(mode="after")
    def _one_discount_rate(self) -> Finance:
        if (self.discount_rate_nominal is None) == (self.discount_rate_real is None):
            kind = "both" if self.discount_rate_real is not None else "neither"
            raise PydanticCustomError(
                "discount_rate_choice",
                "give exactly one of discount_rate_nominal or discount_rate_real, got "
                '{kind}; e.g. discount_rate_nominal: "40%"',
                {"kind": kind},
            )
        return self

    @field_validator("exchange_rates")
    @classmethod
    def _paths_long_enough(
        cls, value: dict[str, ExchangeRatePath], info: ValidationInfo
    ) -> dict[str, ExchangeRatePath]:
        years = info.data.get("analysis_years")
        model = info.data.get("currency")
        for code, path in value.items():
            if code in (model, TOMAN):
                raise PydanticCustomError(
                    "fx_for_model_currency",
                    "exchange_rates.{code}: no path is needed for the model currency "
                    "or tomans; remove it",
                    {"code": code},
                )
            if years is not None and path.values is not None:
                if len(path.values) < years + 1:
                    raise PydanticCustomError(
                        "fx_path_short",
                        "exchange_rates.{code}.values: {got} values given, {need} "
                        "needed (one for each year 0..{years})",
                        {
                            "code": code,
                            "got": len(path.values),
                            "need": years + 1,
                            "years": years,
                        },
                    )
            if path.inflation_rate is None and code not in DEFAULT_INFLATION:
                raise PydanticCustomError(
                    "fx_inflation_missing",
                    "exchange_rates.{code}.inflation_rate: required (solarcase knows "
                    'a default only for {known}); e.g. inflation_rate: "3%"',
                    {"code": code, "known": ", ".join(DEFAULT_INFLATION)},
                )
        return value

    @field_validator("reference_currency")
    @classmethod
    def _reference_has_a_path(
        cls, value: str | None, info: ValidationInfo
    ) -> str | None:
        rates = info.data.get("exchange_rates")
        if value is not None and rates is not None and value not in rates:
            raise PydanticCustomError(
                "reference_without_path",
                "reference_currency {code} has no exchange-rate path; add "
                "exchange_rates.{code}",
                {"code": value},
            )
        return value

    @field_validator(
        "capex",
        "grants",
        "in_kind",
        "operating_costs",
        "revenue",
        "inverter_replacement",
        "end_of_life",
    )
    @classmethod
    def _currencies_known(cls, value: Any, info: ValidationInfo) -> Any:
        model = info.data.get("currency")
        rates = info.data.get("exchange_rates")
        if model is None or rates is None:
            return value
        for where, code in currencies_in(value):
            if code == model or code in rates:
                continue
            if code == TOMAN and (model == "IRR" or "IRR" in rates):
                continue
            key = f"{info.field_name}.{where}" if where else str(info.field_name)
            needed = "IRR" if code == TOMAN else code
            raise PydanticCustomError(
                "unknown_currency",
                "{key}.currency {code}: no exchange-rate path; add "
                "finance.exchange_rates.{needed} (start_rate and escalation_rate, or "
                "values) or state the amount in {model}",
                {"key": key, "code": code, "needed": needed, "model": model},
            )
        return value

    @field_validator("revenue")
    @classmethod
    def _contract_within_analysis(cls, value: Any, info: ValidationInfo) -> Any:
        years = info.data.get("analysis_years")
        if isinstance(value, GuaranteedPurchase):
            rates = info.data.get("exchange_rates")
            if value.official_eur_rate is None and rates is not None:
                if "EUR" not in rates:
                    raise PydanticCustomError(
                        "eur_path_missing",
                        "revenue.official_eur_rate: the indexation needs the official "
                        "EUR rate; give revenue.official_eur_rate or "
                        "finance.exchange_rates.EUR",
                    )
            path = value.official_eur_rate
            if path is not None and path.values is not None and years is not None:
                if len(path.values) < years + 1:
                    raise PydanticCustomError(
                        "fx_path_short",
                        "revenue.official_eur_rate.values: {got} values given, {need} "
                        "needed (one for each year 0..{years})",
                        {"got": len(path.values), "need": years + 1, "years": years},
                    )
        term = getattr(value, "contract_years", None)
        if years is None or term is None:
            return value
        if term > years:
            raise PydanticCustomError(
                "contract_too_long",
                "revenue.contract_years {term} is longer than analysis_years {years}; "
                "shorten the contract or lengthen the analysis",
                {"term": term, "years": years},
            )
        if term < years and value.price_after_contract_per_kwh is None:
            raise PydanticCustomError(
                "price_after_contract_missing",
                "the contract ends after year {term} but the analysis runs to year "
                "{years}; give revenue.price_after_contract_per_kwh",
                {"term": term, "years": years},
            )
        return value

    @field_validator("debt")
    @classmethod
    def _tenor_within_analysis(cls, value: Any, info: ValidationInfo) -> Any:
        years = info.data.get("analysis_years")
        if value is not None and years is not None:
            life = value.tenor_years + value.grace_years
            if life > years:
                raise PydanticCustomError(
                    "tenor_too_long",
                    "debt.tenor_years {tenor} (+ grace_years {grace}) is longer than "
                    "analysis_years {years}; shorten the loan or lengthen the "
                    "analysis",
                    {
                        "tenor": value.tenor_years,
                        "grace": value.grace_years,
                        "years": years,
                    },
                )
        return value

    @field_validator("inverter_replacement")
    @classmethod
    def _replacement_within_analysis(
        cls, value: InverterReplacement | None, info: ValidationInfo
    ) -> InverterReplacement | None:
        years = info.data.get("analysis_years")
        if value is not None and years is not None and value.year > years:
            raise PydanticCustomError(
                "replacement_year_out_of_range",
                "inverter_replacement.year {year} is outside the operating years "
                "1..{years}; choose a year in that range or remove the replacement",
                {"year": value.year, "years": years},
            )
        return value

    @field_validator("module_replacement")
    @classmethod
    def _module_item_exists(
        cls, value: ModuleReplacement | None, info: ValidationInfo
    ) -> ModuleReplacement | None:
        if value is None:
            return value
        capex = info.data.get("capex")
        if capex is not None and value.capex_item not in capex:
            raise PydanticCustomError(
                "unknown_capex_item",
                "module_replacement.capex_item {item!r} is not a capex item; choose "
                "one of {items}",
                {"item": value.capex_item, "items": ", ".join(capex)},
            )
        years = info.data.get("analysis_years")
        bad = [y for y in value.years if years is not None and not 1 <= y <= years]
        if bad:
            raise PydanticCustomError(
                "replacement_year_out_of_range",
                "module_replacement.years {bad} are outside the operating years "
                "1..{years}",
                {"bad": bad, "years": years},
            )
        return value
