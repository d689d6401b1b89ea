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
from pathlib import Path

from openpyxl.worksheet.worksheet import Worksheet

from solarcase import __version__
from solarcase.pipeline import ScenarioResult
from solarcase.report.files import write_files_atomically
from solarcase.report.xlsx_book import YEAR_ROW, Book, YearSheet
from solarcase.report.xlsx_cashflow import cashflow_rows
from solarcase.report.xlsx_costs import write_investment, write_one_offs
from solarcase.report.xlsx_inputs import Builder, write_plant, write_settings
from solarcase.report.xlsx_losses import loss_rows
from solarcase.report.xlsx_revenue import write_revenue
from solarcase.report.xlsx_rows import energy_rows, index_rows
from solarcase.report.xlsx_summary import SUMMARY_NAMES, write_summary
from solarcase.report.xlsx_terms import write_terms

__all__ = ["SUMMARY_NAMES", "workbook_bytes", "write_report_xlsx"]


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
    year_sheets = _plan_year_sheets(book, result)
    inputs = Builder(book, result)
    for write in INPUT_SECTIONS:
        write(inputs)
    book.wb.move_sheet("Inputs", offset=-(len(book.wb.sheetnames) - 2))
    for sheet in year_sheets:
        sheet.write()
        _print_setup(sheet.ws, landscape=True)
    write_summary(book, summary, result, scenario_file, today or dt.date.today())
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


#: The sections of the Inputs sheet, in order.
INPUT_SECTIONS = (
    write_plant,
    write_investment,
    write_revenue,
    write_terms,
    write_one_offs,
    write_settings,
)

#: Year sheets: title, heading, intro, rows.
_YEAR_SHEETS = (
    (
        "Energy",
        "Energy per operating year",
        "Year 0 is construction. Delivered "
        "energy is a formula of the simulated year on Inputs; orange rows are values.",
        energy_rows,
    ),
    (
        "Indices",
        "Exchange rates, indices and prices",
        "Formulas of the Inputs; "
        "yellow rows are the scenario's year-by-year values (inputs).",
        index_rows,
    ),
    (
        "Cash flow",
        "Cash flow [{cur}, nominal]",
        "The engine's rows (solarcase "
        "CashFlowTable); inflows positive, outflows negative; year 0 = construction.",
        cashflow_rows,
    ),
    (
        "Tax losses",
        "Tax losses by year of origin",
        "Losses expire after "
        "loss_expiry_years; the oldest are used first. The Cash flow sheet's tax rows "
        "use the totals.",
        loss_rows,
    ),
)


def _plan_year_sheets(book: Book, result: ScenarioResult) -> list[YearSheet]:
    """Create the year sheets and place their rows (before any formula is
    written: formulas refer to rows of other sheets, the Inputs to the Cash flow)."""
    sheets = []
    for title, heading, intro, rows_of in _YEAR_SHEETS:
        rows = rows_of(result)
        if rows:
            sheet = YearSheet(book, title, heading.format(cur=result.currency), intro)
            sheet.plan(rows)
            sheets.append(sheet)
    return sheets


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
