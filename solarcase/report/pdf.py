"""The investor PDF: summary, energy, finance, cash-flow table, assumptions.

A4 pages drawn with matplotlib's PDF backend: vector charts, and text embedded as
TrueType (Type 42) so a reader can select and search it. The file is written
atomically.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib
from matplotlib.backends.backend_pdf import PdfPages

from solarcase import __version__
from solarcase.atomic import write_files_atomically
from solarcase.pipeline import ScenarioResult
from solarcase.report.assumptions import (
    assumptions_pages,
    display_path,
    input_rows,
    scenario_hash,
)
from solarcase.report.layout import Page
from solarcase.report.pages import (
    cashflow_pages,
    energy_page,
    finance_page,
    summary_page,
)

if TYPE_CHECKING:
    from solarcase.risk import RiskResult
    from solarcase.swings import SensitivityResult

    RiskPair = tuple[SensitivityResult | None, RiskResult | None]


def report_pages(
    result: ScenarioResult,
    *,
    scenario_file: str | None,
    today: dt.date,
    risk: RiskPair | None = None,
) -> list[Page]:
    """All pages of the report, in order; risk pages (tornado, Monte Carlo) when
    ``risk`` is given or the scenario has a ``risk`` section, and then the summary
    shows the Monte Carlo's P50 and P90."""
    subtitle = f"Investment appraisal · {today:%d %B %Y} · solarcase {__version__}"
    meta = result.weather_meta
    provenance = [
        ("Scenario file", scenario_file or "(in memory)"),
        ("Scenario SHA-256", scenario_hash(result.scenario)),
        ("Weather file", display_path(meta.path) if meta.path else "(generated)"),
        ("Weather SHA-256", meta.sha256 or "n/a"),
        ("Weather", meta.description or meta.source),
        ("Software", f"solarcase {__version__}"),
        ("Date", f"{today:%Y-%m-%d}"),
    ]
    pair = _risk(result, risk)
    sensitivity, monte_carlo = pair if pair is not None else (None, None)
    return [
        summary_page(result, subtitle=subtitle, risk=monte_carlo),
        energy_page(result),
        finance_page(result),
        *cashflow_pages(result),
        *_risk_pages(pair),
        *assumptions_pages(input_rows(result.scenario), provenance=provenance),
    ]


def _risk(result: ScenarioResult, risk: RiskPair | None) -> RiskPair | None:
    """The given sensitivity and Monte Carlo, or the scenario's own, or None."""
    if risk is not None or result.scenario.risk is None:
        return risk
    from solarcase.report.risk_pages import scenario_risk

    return scenario_risk(result)


def _risk_pages(pair: RiskPair | None) -> list[Page]:
    if pair is None:
        return []
    from solarcase.report.risk_pages import risk_pages

    return risk_pages(*pair)


def report_pdf_bytes(
    result: ScenarioResult,
    *,
    scenario_file: str | None = None,
    today: dt.date | None = None,
    risk: RiskPair | None = None,
) -> bytes:
    """The report as PDF bytes (``risk``: see :func:`report_pages`)."""
    today = today or dt.date.today()
    pages = report_pages(result, scenario_file=scenario_file, today=today, risk=risk)
    buffer = io.BytesIO()
    with matplotlib.rc_context({"pdf.fonttype": 42, "font.family": "DejaVu Sans"}):
        metadata = {
            "Title": f"{result.scenario.name}: investment appraisal",
            "Author": f"solarcase {__version__}",
            "Subject": "Solar PV investment appraisal",
        }
        with PdfPages(buffer, metadata=metadata) as pdf:
            footer = f"{result.scenario.name} · solarcase {__version__}"
            for number, page in enumerate(pages, start=1):
                page.footer(footer, number)
                pdf.savefig(page.figure)
    return buffer.getvalue()


def write_report_pdf(
    result: ScenarioResult,
    path: Path,
    *,
    scenario_file: str | None = None,
    risk: RiskPair | None = None,
) -> Path:
    """Write the report to ``path`` atomically; return the path."""
    data = report_pdf_bytes(result, scenario_file=scenario_file, risk=risk)
    write_files_atomically(path.parent, {path.name: data})
    return path
