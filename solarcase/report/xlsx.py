"""The auditable Excel workbook: the cash flow of one scenario as live formulas.

Sheets, in order:

- **Summary**: what the workbook is (engine version, scenario hash, conventions),
  then the metrics as formulas over the Cash flow sheet (NPV, IRR, MIRR, LCOE,
  paybacks, DSCR, LLCR, and the same in the reference currency) beside the engine's
  numbers;
- **Inputs**: every finance input the cash flow uses, one per row with its unit and
  scenario key, input cells in yellow with workbook-level defined names
  (``tariff_price``, ``discount_rate_nominal``, ...);
- **Energy**: energy delivered per year as a formula of the simulated year and the
  degradation, the engine's values beside it, the hourly-derived shares;
- **Indices**: exchange-rate paths, CPI, the indexation coefficient, step-downs and
  price paths, as formulas of the Inputs (or the scenario's year-by-year values);
- **Cash flow**: the engine's rows over years 0..N, every revenue, cost, debt, tax
  and cash-flow cell a formula, then the workings;
- **Tax losses** (only with expiring tax losses): the losses of each year, by year.

Written with openpyxl (formulas without cached values: Excel and LibreOffice compute
them on opening) and atomically (temporary file, then rename).
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Sequence
from pathlib import Path

from openpyxl.worksheet.worksheet import Worksheet

from solarcase import __version__
from solarcase.pipeline import ScenarioResult
from solarcase.report.assumptions import scenario_hash
from solarcase.report.files import write_files_atomically
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
    YearSheet,
    style_cell,
    year_column,
)
from solarcase.report.xlsx_cashflow import cashflow_rows
from solarcase.report.xlsx_inputs import build_inputs
from solarcase.report.xlsx_losses import loss_rows
from solarcase.report.xlsx_rows import energy_rows, index_rows

__all__ = ["SUMMARY_NAMES", "workbook_bytes", "write_report_xlsx"]

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


def workbook_bytes(
    result: ScenarioResult,
    *,
    scenario_file: str | None = None,
    today: dt.date | None = None,
) -> bytes:
    """The workbook of one scenario as .xlsx bytes.

    Parameters
    ----------
    result : ScenarioResult
        A single-case appraisal (``pipeline.run_scenario``).
    scenario_file : str, optional
        Shown on the Summary.
    today : datetime.date, optional
        Date shown on the Summary (default today).

    Returns
    -------
    data : bytes
        The .xlsx file.
    """
    book = Book(result.scenario.finance.analysis_years)
    summary = book.sheet("Summary")
    energy = YearSheet(
        book,
        "Energy",
        "Energy per operating year",
        "Year 0 is construction. Delivered energy is a formula of "
        "the simulated year on Inputs; orange rows are values.",
    )
    indices = YearSheet(
        book,
        "Indices",
        "Exchange rates, indices and prices",
        "Formulas of the Inputs; yellow rows are the scenario's "
        "year-by-year values (inputs).",
    )
    cashflow = YearSheet(
        book,
        "Cash flow",
        f"Cash flow [{result.currency}, nominal]",
        "The engine's rows (solarcase CashFlowTable); inflows "
        "positive, outflows negative; year 0 = construction.",
    )
    year_sheets = [energy, indices, cashflow]
    losses = loss_rows(result)
    if losses:
        year_sheets.append(
            YearSheet(
                book,
                "Tax losses",
                "Tax losses by year of origin",
                "Losses expire after loss_expiry_years; the oldest are used first. "
                "The Cash flow sheet's tax rows use the totals.",
            )
        )
        year_sheets[-1].plan(losses)
    energy.plan(energy_rows(result))
    indices.plan(index_rows(result))
    cashflow.plan(cashflow_rows(result))
    build_inputs(book, result)
    book.wb.move_sheet("Inputs", offset=-(len(book.wb.sheetnames) - 2))
    for sheet in year_sheets:
        sheet.write()
        _print_setup(sheet.ws, landscape=True)
    _summary(book, summary, result, scenario_file, today or dt.date.today())
    _print_setup(summary, landscape=False)
    _print_setup(book.wb["Inputs"], landscape=True, repeat=False)
    wb = book.wb
    wb.active = 0
    wb.calculation.fullCalcOnLoad = True
    wb.properties.title = f"{result.scenario.name}: cash flow"
    wb.properties.creator = f"solarcase {__version__}"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def write_report_xlsx(
    result: ScenarioResult, path: Path, *, scenario_file: str | None = None
) -> Path:
    """Write the workbook to ``path`` atomically; return the path."""
    data = workbook_bytes(result, scenario_file=scenario_file)
    write_files_atomically(path.parent, {path.name: data})
    return path


def _print_setup(ws: Worksheet, *, landscape: bool, repeat: bool = True) -> None:
    """A4, fitted to the page width (three pages for the year sheets, whose year
    columns continue on the next pages with the labels repeated)."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToHeight = 0
    ws.page_setup.fitToWidth = 3 if landscape and repeat else 1
    if landscape and repeat:
        ws.print_title_cols = "A:B"
        ws.print_title_rows = f"{YEAR_ROW}:{YEAR_ROW}"


def _range(book: Book, name: str, *, from_year: int) -> str:
    sheet, row = book.rows[name]
    first, last = year_column(from_year), year_column(book.n_years)
    return f"'{sheet}'!${first}${row}:${last}${row}"


def _cell(book: Book, name: str, year: int) -> str:
    sheet, row = book.rows[name]
    return f"'{sheet}'!${year_column(year)}${row}"


def _npv(book: Book, name: str, rate: str) -> str:
    return f"{_cell(book, name, 0)}+NPV({rate},{_range(book, name, from_year=1)})"


def _lcoe(book: Book, costs: str, energy_rate: str, cost_rate: str) -> str:
    return (
        f"({_npv(book, costs, cost_rate)})"
        f"/NPV({energy_rate},{_range(book, 'energy_kwh', from_year=1)})"
    )


def _metrics(book: Book, result: ScenarioResult) -> list[tuple]:
    """(label, formula, fmt, unit, engine value, name, how) of each metric."""
    cur = result.currency
    m = {k: float(v[0]) for k, v in _engine(result).items()}
    flows = {"project": "project_fcf", "equity": "equity_fcf"}
    rows: list[tuple] = [
        (
            "Energy delivered, year 1",
            f"={_cell(book, 'energy_kwh', 1)}",
            "energy",
            "kWh",
            float(result.energy_by_year_kwh[0]),
            None,
            "Energy sheet",
        ),
        (
            "Capex",
            "=capex",
            "money",
            cur,
            float(sum(result.capex_items.values())),
            None,
            "Inputs",
        ),
    ]
    for who in ("project", "equity"):
        rows.append(
            (
                f"NPV, {who} flows",
                "=" + _npv(book, flows[who], "discount_rate_nominal"),
                "money",
                cur,
                m[f"{'' if who == 'project' else 'equity_'}npv"],
                SUMMARY_NAMES["npv" if who == "project" else "equity_npv"],
                "C0 + NPV(discount_rate_nominal, C1:CN)",
            )
        )
    for who in ("project", "equity"):
        irr = f"IRR({_range(book, flows[who], from_year=0)})"
        rows += [
            (
                f"IRR, {who}, nominal",
                f'=IFERROR({irr},"n/a")',
                "percent",
                "per year",
                m[f"{who}_irr"],
                SUMMARY_NAMES[f"{who}_irr"],
                "IRR of the flow, years 0..N",
            ),
            (
                f"IRR, {who}, real",
                f'=IFERROR((1+{irr})/(1+inflation_rate)-1,"n/a")',
                "percent",
                "per year",
                m[f"{who}_irr_real"],
                SUMMARY_NAMES[f"{who}_irr_real"],
                "(1 + IRR)/(1 + inflation) - 1",
            ),
            (
                f"MIRR, {who}",
                f"=IFERROR(MIRR({_range(book, flows[who], from_year=0)},"
                f'mirr_finance_rate,mirr_reinvestment_rate),"n/a")',
                "percent",
                "per year",
                m[f"{who}_mirr"],
                SUMMARY_NAMES[f"{who}_mirr"],
                "MIRR(flow, finance rate, reinvestment rate)",
            ),
        ]
    rows += [
        (
            "LCOE, real (year-0 money)",
            "="
            + _lcoe(book, "lcoe_costs", "discount_rate_real", "discount_rate_nominal"),
            "money2",
            f"{cur}/kWh",
            m["lcoe_real_per_kwh"],
            SUMMARY_NAMES["lcoe_real_per_kwh"],
            "PV of costs at the nominal rate / PV of energy at the real rate",
        ),
        (
            "LCOE, nominal",
            "="
            + _lcoe(
                book, "lcoe_costs", "discount_rate_nominal", "discount_rate_nominal"
            ),
            "money2",
            f"{cur}/kWh",
            m["lcoe_nominal_per_kwh"],
            SUMMARY_NAMES["lcoe_nominal_per_kwh"],
            "PV of costs / PV of energy, both at the nominal rate",
        ),
    ]
    for what, row in (
        ("simple", "payback_crossing"),
        ("discounted", "discounted_payback_crossing"),
    ):
        span = _range(book, row, from_year=0)
        rows.append(
            (
                f"Payback, {what}",
                f'=IF(COUNT({span})=0,"never",MIN({span}))',
                "years1",
                "years",
                m[f"{what}_payback_years"],
                SUMMARY_NAMES[f"{what}_payback_years"],
                "first year the cumulative flow reaches 0, interpolated",
            )
        )
    if result.scenario.finance.debt is not None:
        span = _range(book, "dscr", from_year=1)
        cfads = _range(book, "cfads", from_year=1)
        first, last = year_column(1), year_column(book.n_years)
        years = f"'Cash flow'!${first}${YEAR_ROW}:${last}${YEAR_ROW}"
        rows += [
            (
                "DSCR, lowest",
                f'=IF(COUNT({span})=0,"n/a",MIN({span}))',
                "ratio",
                "",
                m["min_dscr"],
                SUMMARY_NAMES["min_dscr"],
                "over the years with debt service",
            ),
            (
                "DSCR, average",
                f'=IF(COUNT({span})=0,"n/a",AVERAGE({span}))',
                "ratio",
                "",
                m["avg_dscr"],
                SUMMARY_NAMES["avg_dscr"],
                "arithmetic mean",
            ),
            (
                "LLCR",
                f"=IF(loan_opening_balance>0,SUMPRODUCT(({years}<=loan_life)"
                f'*{cfads}/(1+debt_interest_rate)^{years})/loan_opening_balance,"n/a")',
                "ratio",
                "",
                m["llcr"],
                SUMMARY_NAMES["llcr"],
                "CFADS of the loan life at the loan rate / B0",
            ),
        ]
    return rows


def _reference_metrics(book: Book, result: ScenarioResult) -> list[tuple]:
    ref = result.reference
    code = result.reference_currency
    if ref is None or code is None:
        return []
    rate = "reference_discount_rate"
    rows = []
    for who in ("project", "equity"):
        flow = f"reference_{who}_fcf"
        irr = f"IRR({_range(book, flow, from_year=0)})"
        rows += [
            (
                f"NPV, {who} flows, in {code}",
                "=" + _npv(book, flow, rate),
                "money",
                code,
                float(getattr(ref, "npv" if who == "project" else "equity_npv")[0]),
                f"result_reference_{who}_npv",
                "each year's flow at its exchange rate",
            ),
            (
                f"IRR, {who}, in {code}",
                f'=IFERROR({irr},"n/a")',
                "percent",
                "per year",
                float(getattr(ref, f"{who}_irr")[0]),
                f"result_reference_{who}_irr",
                "",
            ),
            (
                f"IRR, {who}, in {code}, real",
                f'=IFERROR((1+{irr})/(1+reference_inflation_rate)-1,"n/a")',
                "percent",
                "per year",
                float(getattr(ref, f"{who}_irr_real")[0]),
                f"result_reference_{who}_irr_real",
                "",
            ),
        ]
    real = "((1+reference_discount_rate)/(1+reference_inflation_rate)-1)"
    rows += [
        (
            f"LCOE, real, in {code}",
            "=" + _lcoe(book, "reference_lcoe_costs", real, rate),
            "price4",
            f"{code}/kWh",
            float(ref.lcoe_real_per_kwh[0]),
            "result_reference_lcoe_real",
            "",
        ),
        (
            f"LCOE, nominal, in {code}",
            "=" + _lcoe(book, "reference_lcoe_costs", rate, rate),
            "price4",
            f"{code}/kWh",
            float(ref.lcoe_nominal_per_kwh[0]),
            "result_reference_lcoe_nominal",
            "",
        ),
    ]
    return rows


def _engine(result: ScenarioResult) -> dict:
    metrics = result.metrics
    return {name: getattr(metrics, name) for name in SUMMARY_NAMES}


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


def _summary(
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
