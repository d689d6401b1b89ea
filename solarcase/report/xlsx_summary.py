"""The workbook's Summary sheet: what the workbook is, and the metrics as formulas.

A README block (engine version, scenario file and hash, weather, conventions), then
each metric as a formula over the Cash flow sheet beside the engine's value, the
same in the reference currency, the engine's solved values and the run's notes.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

from openpyxl.worksheet.worksheet import Worksheet

from solarcase import __version__
from solarcase.pipeline import ScenarioResult
from solarcase.report.assumptions import scenario_hash
from solarcase.report.xlsx_book import (
    BOLD,
    HEADER_FILL,
    HEADER_FONT,
    NOTE_FONT,
    RIGHT,
    SECTION_FILL,
    SECTION_FONT,
    TITLE_FONT,
    UNIT,
    YEAR_ROW,
    Book,
    style_cell,
    year_column,
)

__all__ = ["SUMMARY_NAMES", "write_summary"]

#: Defined names of the Summary's metric cells, by engine metric.
SUMMARY_NAMES: dict[str, str] = {
    "npv": "result_npv",
    "equity_npv": "result_equity_npv",
    "project_irr": "result_project_irr",
    "equity_irr": "result_equity_irr",
    "project_irr_real": "result_project_irr_real",
    "equity_irr_real": "result_equity_irr_real",
    "project_mirr": "result_project_mirr",
    "equity_mirr": "result_equity_mirr",
    "lcoe_real_per_kwh": "result_lcoe_real",
    "lcoe_nominal_per_kwh": "result_lcoe_nominal",
    "simple_payback_years": "result_simple_payback",
    "discounted_payback_years": "result_discounted_payback",
    "min_dscr": "result_min_dscr",
    "avg_dscr": "result_avg_dscr",
    "llcr": "result_llcr",
}


def _npv(book: Book, name: str, rate: str) -> str:
    return f"{book.ref(name, 0)}+NPV({rate},{book.range(name, 1)})"


def _lcoe(book: Book, costs: str, energy_rate: str, cost_rate: str) -> str:
    return (
        f"({_npv(book, costs, cost_rate)})"
        f"/NPV({energy_rate},{book.range('energy_kwh', 1)})"
    )


def _metric(
    result: ScenarioResult,
    key: str,
    label: str,
    formula: str,
    fmt: str,
    unit: str,
    how: str,
) -> tuple:
    """A Summary row for engine metric ``key``: its value and defined name."""
    engine = float(getattr(result.metrics, key)[0])
    return (label, formula, fmt, unit, engine, SUMMARY_NAMES[key], how)


def _metrics(book: Book, result: ScenarioResult) -> list[tuple]:
    """(label, formula, fmt, unit, engine value, name, how) of each metric."""
    rows = _values(book, result) + _returns(book, result) + _costs(book, result)
    if result.scenario.finance.debt is not None:
        rows += _coverage(book, result)
    return rows


def _values(book: Book, result: ScenarioResult) -> list[tuple]:
    cur = result.currency
    energy = float(result.energy_by_year_kwh[0])
    capex = float(sum(result.capex_items.values()))
    how = "C0 + NPV(discount_rate_nominal, C1:CN)"
    rate = "discount_rate_nominal"
    return [
        (
            "Energy delivered, year 1",
            f"={book.ref('energy_kwh', 1)}",
            "energy",
            "kWh",
            energy,
            None,
            "Energy sheet",
        ),
        ("Capex", "=capex", "money", cur, capex, None, "Inputs"),
        _metric(
            result,
            "npv",
            "NPV, project flows",
            "=" + _npv(book, "project_fcf", rate),
            "money",
            cur,
            how,
        ),
        _metric(
            result,
            "equity_npv",
            "NPV, equity flows",
            "=" + _npv(book, "equity_fcf", rate),
            "money",
            cur,
            how,
        ),
    ]


def _returns(book: Book, result: ScenarioResult) -> list[tuple]:
    rows = []
    mirr_rates = "mirr_finance_rate,mirr_reinvestment_rate"
    for who in ("project", "equity"):
        flow = book.range(f"{who}_fcf")
        irr = f"IRR({flow})"
        rows += [
            _metric(
                result,
                f"{who}_irr",
                f"IRR, {who}, nominal",
                f'=IFERROR({irr},"n/a")',
                "percent",
                "per year",
                "IRR of the flow, years 0..N",
            ),
            _metric(
                result,
                f"{who}_irr_real",
                f"IRR, {who}, real",
                f'=IFERROR((1+{irr})/(1+inflation_rate)-1,"n/a")',
                "percent",
                "per year",
                "(1 + IRR)/(1 + inflation) - 1",
            ),
            _metric(
                result,
                f"{who}_mirr",
                f"MIRR, {who}",
                f'=IFERROR(MIRR({flow},{mirr_rates}),"n/a")',
                "percent",
                "per year",
                "MIRR(flow, finance rate, reinvestment rate)",
            ),
        ]
    return rows


def _costs(book: Book, result: ScenarioResult) -> list[tuple]:
    unit = f"{result.currency}/kWh"
    nominal, real = "discount_rate_nominal", "discount_rate_real"
    rows = [
        _metric(
            result,
            "lcoe_real_per_kwh",
            "LCOE, real (year-0 money)",
            "=" + _lcoe(book, "lcoe_costs", real, nominal),
            "money2",
            unit,
            "PV of costs at the nominal rate / PV of energy at the real rate",
        ),
        _metric(
            result,
            "lcoe_nominal_per_kwh",
            "LCOE, nominal",
            "=" + _lcoe(book, "lcoe_costs", nominal, nominal),
            "money2",
            unit,
            "PV of costs / PV of energy, both at the nominal rate",
        ),
    ]
    for what, row in (
        ("simple", "payback_crossing"),
        ("discounted", "discounted_payback_crossing"),
    ):
        span = book.range(row)
        rows.append(
            _metric(
                result,
                f"{what}_payback_years",
                f"Payback, {what}",
                f'=IF(COUNT({span})=0,"never",MIN({span}))',
                "years1",
                "years",
                "first year the cumulative flow reaches 0",
            )
        )
    return rows


def _coverage(book: Book, result: ScenarioResult) -> list[tuple]:
    span = book.range("dscr", 1)
    cfads = book.range("cfads", 1)
    first, last = year_column(1), year_column(book.n_years)
    years = f"'Cash flow'!${first}${YEAR_ROW}:${last}${YEAR_ROW}"
    llcr = (
        f"=IF(loan_opening_balance>0,SUMPRODUCT(({years}<=loan_life)*{cfads}"
        f'/(1+debt_interest_rate)^{years})/loan_opening_balance,"n/a")'
    )
    return [
        _metric(
            result,
            "min_dscr",
            "DSCR, lowest",
            f'=IF(COUNT({span})=0,"n/a",MIN({span}))',
            "ratio",
            "",
            "over the years with debt service",
        ),
        _metric(
            result,
            "avg_dscr",
            "DSCR, average",
            f'=IF(COUNT({span})=0,"n/a",AVERAGE({span}))',
            "ratio",
            "",
            "arithmetic mean",
        ),
        _metric(
            result,
            "llcr",
            "LLCR",
            llcr,
            "ratio",
            "",
            "CFADS of the loan life at the loan rate / B0",
        ),
    ]


def _reference_metrics(book: Book, result: ScenarioResult) -> list[tuple]:
    """NPV, IRR and LCOE in the reference currency (its names: result_reference_*)."""
    ref, code = result.reference, result.reference_currency
    if ref is None or code is None:
        return []

    def row(
        field: str,
        name: str,
        label: str,
        formula: str,
        fmt: str,
        unit: str,
        how: str = "",
    ) -> tuple:
        engine = float(getattr(ref, field)[0])
        return (label, formula, fmt, unit, engine, f"result_reference_{name}", how)

    rate, rows = "reference_discount_rate", []
    deflate = "/(1+reference_inflation_rate)-1"
    for who in ("project", "equity"):
        flow = f"reference_{who}_fcf"
        irr = f"IRR({book.range(flow)})"
        rows += [
            row(
                "npv" if who == "project" else "equity_npv",
                f"{who}_npv",
                f"NPV, {who} flows, in {code}",
                "=" + _npv(book, flow, rate),
                "money",
                code,
                "each year's flow at its exchange rate",
            ),
            row(
                f"{who}_irr",
                f"{who}_irr",
                f"IRR, {who}, in {code}",
                f'=IFERROR({irr},"n/a")',
                "percent",
                "per year",
            ),
            row(
                f"{who}_irr_real",
                f"{who}_irr_real",
                f"IRR, {who}, in {code}, real",
                f'=IFERROR((1+{irr}){deflate},"n/a")',
                "percent",
                "per year",
            ),
        ]
    real = f"((1+reference_discount_rate){deflate})"
    costs, unit = "reference_lcoe_costs", f"{code}/kWh"
    return rows + [
        row(
            "lcoe_real_per_kwh",
            "lcoe_real",
            f"LCOE, real, in {code}",
            "=" + _lcoe(book, costs, real, rate),
            "price4",
            unit,
        ),
        row(
            "lcoe_nominal_per_kwh",
            "lcoe_nominal",
            f"LCOE, nominal, in {code}",
            "=" + _lcoe(book, costs, rate, rate),
            "price4",
            unit,
        ),
    ]


def _readme(
    result: ScenarioResult, scenario_file: str | None, today: dt.date
) -> list[str]:
    cur = result.currency
    meta = result.weather_meta
    weather = meta.description or meta.source
    if meta.is_synthetic and "SYNTHETIC" not in weather.upper():
        weather = "SYNTHETIC: " + weather
    return [
        f"What this is: the yearly cash flow of this scenario rebuilt as live "
        f"formulas by solarcase {__version__}, with the metrics below computed from "
        "it.",
        "Change any yellow cell (Inputs; yellow rows of Indices) and every sheet "
        "recalculates; the 'solarcase engine' column keeps the numbers of the run.",
        "Orange cells are values where no formula is possible (the hourly "
        "simulation; a sculpted loan's sizing tax); grey cells fix the layout.",
        f"Money: nominal {cur} of each year; year 0 is construction, not "
        "discounted. Excel's NPV() discounts its first value, so NPV = C0 + "
        "NPV(rate, C1:CN).",
        f"Scenario: {result.scenario.name} ({scenario_file or 'in memory'})",
        f"Scenario SHA-256: {scenario_hash(result.scenario)}",
        f"Weather: {weather}",
        f"Engine: solarcase {__version__}; generated {today:%Y-%m-%d}",
    ]


def write_summary(
    book: Book,
    ws: Worksheet,
    result: ScenarioResult,
    scenario_file: str | None,
    today: dt.date,
) -> None:
    ws["A1"] = f"{result.scenario.name}: auditable cash-flow workbook"
    ws["A1"].font = TITLE_FONT
    row = 2
    for line in _readme(result, scenario_file, today):
        ws[f"A{row}"] = line
        ws[f"A{row}"].font = NOTE_FONT
        row += 1
    row += 1
    header = ("Metric", "Workbook (formula)", "Unit", "solarcase engine", "How")
    for column, text in zip("ABCDE", header, strict=True):
        cell = ws[f"{column}{row}"]
        cell.value, cell.fill, cell.font = text, HEADER_FILL, HEADER_FONT
    ws.freeze_panes = f"A{row + 1}"
    row = _write_metrics(ws, book, _metrics(book, result), row + 1)
    reference = _reference_metrics(book, result)
    if reference:
        _heading(
            ws,
            row,
            f"In {result.reference_currency}: each year's flow at that year's "
            "exchange rate, discounted at the same real rate",
        )
        row = _write_metrics(ws, book, reference, row + 1)
    row = _solved(ws, result, row + 1)
    _notes(ws, result, row + 1)
    for column, width in zip("ABCDE", (34, 22, 12, 22, 60), strict=True):
        ws.column_dimensions[column].width = width


def _write_metrics(ws: Worksheet, book: Book, metrics: list[tuple], row: int) -> int:
    """Metric rows: label, formula, unit, the engine's value, how; next free row."""
    for label, formula, fmt, unit, engine, name, how in metrics:
        ws[f"A{row}"] = label
        ws[f"A{row}"].font = BOLD
        ws[f"B{row}"] = formula
        style_cell(ws[f"B{row}"], "formula", fmt)
        ws[f"B{row}"].alignment = RIGHT
        ws[f"C{row}"] = unit
        ws[f"C{row}"].alignment = UNIT
        ws[f"D{row}"] = engine if math.isfinite(engine) else "n/a"
        style_cell(ws[f"D{row}"], "value", fmt)
        ws[f"D{row}"].alignment = RIGHT
        ws[f"E{row}"] = how
        ws[f"E{row}"].font = NOTE_FONT
        if name:
            book.define(name, "Summary", f"B{row}")
        row += 1
    return row


def _solved(ws: Worksheet, result: ScenarioResult, row: int) -> int:
    """The engine's solved values (a spreadsheet would need Goal Seek)."""
    cur = result.currency
    solved = result.solved
    _heading(ws, row, "Solved by the engine (values; in a spreadsheet: Goal Seek)")
    items: Sequence[tuple[str, float, str, str]] = (
        (
            "Breakeven year-1 price",
            float(solved.breakeven_price_per_kwh[0]),
            f"{cur}/kWh",
            "Goal Seek: result_npv = 0 by changing tariff_price",
        ),
        (
            "Capex for the target equity IRR",
            float(solved.capex_for_target_equity_irr[0]),
            cur,
            "",
        ),
        (
            "Debt the target DSCR supports",
            float(solved.debt_for_target_dscr[0]),
            cur,
            "",
        ),
    )
    row += 1
    for label, value, unit, how in items:
        ws[f"A{row}"] = label
        ws[f"D{row}"] = value if math.isfinite(value) else "n/a"
        style_cell(ws[f"D{row}"], "value", "money2" if "price" in label else "money")
        ws[f"D{row}"].alignment = RIGHT
        ws[f"C{row}"] = unit
        ws[f"E{row}"] = how
        ws[f"E{row}"].font = NOTE_FONT
        row += 1
    return row


def _notes(ws: Worksheet, result: ScenarioResult, row: int) -> None:
    notes = result.notes
    if not notes:
        return
    _heading(ws, row, "Notes of the run")
    for note in notes:
        row += 1
        ws[f"A{row}"] = note


def _heading(ws: Worksheet, row: int, text: str) -> None:
    for column in "ABCDE":
        ws[f"{column}{row}"].fill = SECTION_FILL
    ws[f"A{row}"] = text
    ws[f"A{row}"].font = SECTION_FONT
