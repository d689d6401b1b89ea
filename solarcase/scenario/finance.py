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

The models live in ``finance_money`` (currencies, exchange rates, shared helpers),
``finance_costs`` (capex, grants, in kind, operating and one-off costs),
``finance_revenue`` and ``finance_self_consumption`` (revenue schemes, late payment),
``finance_debt`` and ``finance_tax``; this module assembles them into ``Finance``
and re-exports every public name, so ``from solarcase.scenario.finance import X``
keeps working.
"""

from __future__ import annotations

from typing import Any

from pydantic import (
    BaseModel,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from solarcase.scenario.finance_costs import (
    CapexItem,
    EndOfLife,
    EndOfLifeItem,
    FixedOm,
    Grant,
    InKind,
    Insurance,
    InverterReplacement,
    LandLease,
    ModuleReplacement,
    OperatingCosts,
    VariableOm,
)
from solarcase.scenario.finance_debt import (
    AnnuityDebt,
    Debt,
    EqualPrincipalDebt,
    SculptedDebt,
)
from solarcase.scenario.finance_money import (
    DEFAULT_INFLATION,
    TOMAN,
    AboveMinusOne,
    Currency,
    ExchangeRatePath,
    currencies_in,
)
from solarcase.scenario.finance_revenue import (
    EscalatingTariff,
    GuaranteedPurchase,
    LatePayment,
    MarketSale,
    Revenue,
    TimeOfDay,
)
from solarcase.scenario.finance_revenue import (
    TimeOfDayPeriod as TimeOfDayPeriod,
)
from solarcase.scenario.finance_self_consumption import (
    LoadProfile,
    Obligation,
    SelfConsumption,
)
from solarcase.scenario.finance_tax import (
    DecliningBalance,
    StraightLine,
    Tax,
)
from solarcase.scenario.finance_tax import (
    Depreciation as Depreciation,
)
from solarcase.scenario.types import STRICT, Rate

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


def _check_path_length(path: ExchangeRatePath, where: str, years: int | None) -> None:
    """A path of yearly values needs one for each year 0..``years``.

    Raises
    ------
    PydanticCustomError
        ``fx_path_short``, naming ``where`` (the path's key), when it has fewer.
    """
    if years is None or path.values is None or len(path.values) >= years + 1:
        return
    raise PydanticCustomError(
        "fx_path_short",
        "{where}.values: {got} values given, {need} needed (one for each year "
        "0..{years})",
        {"where": where, "got": len(path.values), "need": years + 1, "years": years},
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
            _check_path_length(path, f"exchange_rates.{code}", years)
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
            if value.official_eur_rate is not None:
                _check_path_length(
                    value.official_eur_rate, "revenue.official_eur_rate", years
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
