"""The workbook's Inputs sheet: every finance input the cash flow uses, one per row.

Each row shows the value as the scenario states it (its currency, per kWp or per
kW), the unit, the scenario key it comes from, and a workbook-level defined name that
the formulas use. Amounts the engine derives (a capex item for this plant's size in
the model currency, the loan drawn, the depreciable basis) are formulas beside them,
so an auditor sees every conversion. Escalations the scenario leaves out follow the
inflation of the item's currency, as in the engine: their cells are formulas
(``=inflation_rate``) that may be overwritten by a number.

This module holds the sheet writer (:class:`Builder`), the plant, the rates and the
metric settings; :mod:`~solarcase.report.xlsx_costs` the investment and the costs,
:mod:`~solarcase.report.xlsx_revenue` the revenue scheme and
:mod:`~solarcase.report.xlsx_terms` late payment, debt and tax.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from solarcase.pipeline import ScenarioResult
from solarcase.report.xlsx_book import Book, InputSheet, Kind, fx_format
from solarcase.scenario import finance as model
from solarcase.scenario.finance import DEFAULT_INFLATION, TOMAN
from solarcase.scenario.finance_money import currencies_in
from solarcase.units import RIAL_PER_TOMAN

__all__ = [
    "Builder",
    "Field",
    "Money",
    "currency_money",
    "slug",
    "write_plant",
    "write_settings",
]

SOURCE_HOURLY = (
    "From the hourly simulation (a value, not a formula): it does not change when "
    "you change an input of this workbook."
)
MODES = ("linear", "compound")
SIZE_NOTE = (
    "From the yield model. Costs stated per kWp or per kW follow it; the energy is "
    "not simulated again if you change it."
)


def slug(text: str) -> str:
    """A scenario key as part of a defined name: lower case, letters and _ only."""
    cleaned = re.sub(r"[^0-9a-zA-Z]+", "_", text).strip("_").lower()
    return cleaned or "item"


@dataclass(frozen=True, slots=True)
class Money:
    """How amounts stated in one currency enter the formulas."""

    code: str
    """The currency as stated (ISO 4217, or IRT for tomans)."""
    factor: str
    """Formula factor into the currency of the path: '' or '*rial_per_toman'."""
    fx: str | None
    """Indices row of the exchange-rate path; None: the model currency."""
    inflation: str
    """Defined name of the currency's inflation (its default escalation)."""

    def at_year0(self, book: Book) -> str:
        """Multiplier that converts a year-0 amount into the model currency."""
        if self.fx is None:
            return self.factor
        return f"{self.factor}*{book.ref(self.fx, 0)}"

    @property
    def converted(self) -> bool:
        """True unless the amount is in the model currency already."""
        return bool(self.factor or self.fx)


def currency_money(finance: model.Finance, code: str | None) -> Money:
    """The formula pieces for an amount stated in ``code`` (as ``to_finance``)."""
    model_code = finance.currency
    if code is None or code == model_code:
        return Money(model_code, "", None, "inflation_rate")
    if code == TOMAN:
        if model_code == "IRR":
            return Money(TOMAN, "*rial_per_toman", None, "inflation_rate")
        return Money(TOMAN, "*rial_per_toman", "fx_irr", "fx_irr_inflation_rate")
    low = code.lower()
    return Money(code, "", f"fx_{low}", f"fx_{low}_inflation_rate")


class Field(NamedTuple):
    """An input read from a scenario section: name, label, attribute, unit."""

    name: str
    label: str
    attr: str
    unit: str = ""
    fmt: str = ""
    """Number format key; '' infers it from the unit."""
    choices: tuple[str, ...] = ()


#: Unit shorthands of the spec tables.
_UNITS = {"/yr": "per year", "yr": "years"}


def _format(unit: str) -> str:
    if unit in ("years", "year", "yr"):
        return "years"
    return "percent" if unit in ("", "per year", "/yr") else "money"


class Builder:
    """Writes the Inputs sheet section by section."""

    def __init__(self, book: Book, result: ScenarioResult) -> None:
        self.book = book
        self.result = result
        self.finance = result.scenario.finance
        self.cur = self.finance.currency
        self.sheet = InputSheet(
            book,
            "Inputs",
            "Inputs",
            "Yellow cells are inputs: change them and every sheet recalculates. "
            "White cells are formulas; orange cells are values from the simulation "
            "or the engine; grey cells fix the layout (see their notes).",
        )
        self.add = self.sheet.add
        self.section = self.sheet.section
        self.capex_costs: dict[str, str] = {}
        """Capex item -> defined name of its cost in its own currency."""

    def money(self, code: str | None) -> Money:
        return currency_money(self.finance, code)

    def fields(self, section: Any, key: str, specs: Sequence[tuple], **units: str):
        """Inputs read from ``section`` (``key`` is its scenario key): one
        :class:`Field` (or its tuple) each; ``{cur}`` and other placeholders in the
        units are filled from ``units``."""
        for spec in (Field(*item) for item in specs):
            unit = _UNITS.get(spec.unit, spec.unit).format(cur=self.cur, **units)
            self.add(
                spec.name,
                spec.label,
                getattr(section, spec.attr),
                unit,
                f"{key}.{spec.attr}",
                fmt=spec.fmt or _format(spec.unit),
                choices=spec.choices,
            )

    def derived(
        self, name: str, label: str, formula: str, unit: str, fmt: str = "money", **kw
    ) -> str:
        """A formula row (``formula`` starts with ``=``)."""
        return self.add(
            name, label, formula, unit, "derived", kind="formula", fmt=fmt, **kw
        )

    def fixed(
        self,
        label: str,
        value: Any,
        unit: str,
        key: str,
        note: str,
        fmt: str = "text",
        name: str | None = None,
    ) -> str:
        """A setting that fixes the layout (grey), or a value kept for reference."""
        kind: Kind = "fixed"
        return self.add(name, label, value, unit, key, kind=kind, fmt=fmt, note=note)

    def stated_or(
        self,
        name: str,
        label: str,
        stated: float | None,
        unit: str,
        source: str,
        *,
        default: str,
        fmt: str = "percent",
        note: str = "",
        unset: str = "not set",
    ) -> str:
        """The input the scenario states, or, when it states none, the formula
        ``default`` (starting with ``=``: the engine's default) in its place, its
        source marked "(not set)" (``unset``) and ``note`` saying why."""
        if stated is not None:
            return self.add(name, label, stated, unit, source, fmt=fmt)
        return self.add(
            name, label, default, unit, f"{source} ({unset})", fmt=fmt, note=note
        )

    def escalation(
        self, name: str, stated: float | None, money: Money, source: str, what: str
    ) -> str:
        """An escalation input, or a formula following the currency's inflation."""
        return self.stated_or(
            name,
            f"{what}: escalation",
            stated,
            "per year",
            source,
            default=f"={money.inflation}",
            note=f"Not in the scenario: follows the inflation of "
            f"{money.code} (the engine's default). Type a number to override.",
        )


def write_plant(b: Builder) -> None:
    """Plant and energy inputs, rates and exchange rates."""
    _plant(b)
    _rates(b)


_LOSSES = (
    ("availability_loss", "Unavailability (plant and grid downtime)", "availability"),
    ("curtailment", "Curtailment (energy the grid refuses)", "curtailment"),
)
_DEGRADATION = (
    ("degradation_rate", "Degradation", "rate", "/yr"),
    ("degradation_mode", "Degradation mode", "mode", "", "text", MODES),
)


def _plant(b: Builder) -> None:
    system, layout = b.result.scenario.system, b.result.energy.layout
    b.section("Plant, analysis and energy")
    years_note = "One column per year 0..N: changing it adds no columns."
    b.fixed(
        "Operating years N",
        b.finance.analysis_years,
        "years",
        "finance.analysis_years",
        years_note,
        "years",
        "analysis_years",
    )
    b.fixed(
        "DC capacity",
        layout.dc_capacity_kwp,
        "kWp",
        "system.dc_capacity_kwp",
        SIZE_NOTE,
        "rate",
        "dc_capacity_kwp",
    )
    b.fixed(
        "AC capacity",
        layout.ac_capacity_kw,
        "kW",
        "system.dc_capacity_kwp / system.dc_ac_ratio",
        SIZE_NOTE,
        "rate",
        "ac_capacity_kw",
    )
    b.add(
        "simulated_ac_energy_kwh",
        "AC energy of the simulated year, available",
        b.result.energy.annual_ac_energy_kwh,
        "kWh/year",
        "hourly pvlib simulation",
        kind="value",
        fmt="energy",
        note="Before availability and curtailment. " + SOURCE_HOURLY,
    )
    b.fields(system.losses, "system.losses", _LOSSES)
    b.fields(system.degradation, "system.degradation", _DEGRADATION)


def _rates(b: Builder) -> None:
    finance = b.finance
    b.section("Rates and exchange rates")
    label = f"Inflation of {b.cur}"
    b.fields(finance, "finance", [("inflation_rate", label, "inflation_rate", "/yr")])
    if finance.discount_rate_real is not None:
        given, other = "real", "nominal"
        formula = "=(1+discount_rate_real)*(1+inflation_rate)-1"
    else:
        given, other = "nominal", "real"
        formula = "=(1+discount_rate_nominal)/(1+inflation_rate)-1"
    name = f"discount_rate_{given}"
    b.fields(finance, "finance", [(name, f"Discount rate, {given}", name, "/yr")])
    b.derived(
        f"discount_rate_{other}",
        f"Discount rate, {other}",
        formula,
        "per year",
        "percent",
        note="Fisher: (1 + real)(1 + inflation) - 1.",
    )
    for code, path in finance.exchange_rates.items():
        _exchange_rate(b, code, path)
    if any(code == TOMAN for _, code in currencies_in(finance)):
        note = "1 toman = 10 rials: amounts in tomans (IRT) are multiplied by it."
        b.fixed(
            "Rials per toman",
            float(RIAL_PER_TOMAN),
            "IRR/IRT",
            "units.RIAL_PER_TOMAN",
            note,
            "rate",
            "rial_per_toman",
        )


def _exchange_rate(b: Builder, code: str, path: model.ExchangeRatePath) -> None:
    low, key = code.lower(), f"finance.exchange_rates.{code}"
    if path.values is None:
        fmt = fx_format(float(path.start_rate or 0.0))
        b.fields(
            path,
            key,
            [
                (
                    f"fx_{low}_start_rate",
                    f"{code} rate in year 0",
                    "start_rate",
                    f"{b.cur}/{code}",
                    fmt,
                ),
                (
                    f"fx_{low}_escalation_rate",
                    f"{code} rate: yearly rise",
                    "escalation_rate",
                    "/yr",
                ),
            ],
        )
    else:
        note = "One rate per year: the yellow values on the Indices sheet."
        b.fixed(
            f"{code} rate of each year",
            "on Indices",
            f"{b.cur}/{code}",
            f"{key}.values",
            note,
        )
    stated = path.inflation_rate
    default = stated is None
    b.add(
        f"fx_{low}_inflation_rate",
        f"Inflation of {code}",
        DEFAULT_INFLATION[code] if stated is None else stated,
        "per year",
        f"{key}.inflation_rate" + (" (default)" if default else ""),
        fmt="percent",
        note="solarcase's default: 2 % for USD and EUR (central-bank targets)."
        if default
        else "",
    )


def write_settings(b: Builder) -> None:
    """MIRR rates and the reference currency's rates."""
    finance = b.finance
    b.section("Metric settings")
    for name, attr, what in (
        ("mirr_finance_rate", "finance_rate", "MIRR finance rate"),
        ("mirr_reinvestment_rate", "reinvestment_rate", "MIRR reinvestment rate"),
    ):
        b.stated_or(
            name,
            what,
            getattr(finance.mirr, attr),
            "per year",
            f"finance.mirr.{attr}",
            default="=discount_rate_nominal",
            note="Not in the scenario: the nominal discount rate.",
        )
    code = finance.reference_currency
    if code is None:
        return
    b.derived(
        "reference_inflation_rate",
        f"Inflation of {code} (reference currency)",
        f"=fx_{code.lower()}_inflation_rate",
        "per year",
        "percent",
    )
    b.derived(
        "reference_discount_rate",
        f"Discount rate in {code}, nominal",
        "=(1+discount_rate_real)*(1+reference_inflation_rate)-1",
        "per year",
        "percent",
        note="The same real return in either currency.",
    )
