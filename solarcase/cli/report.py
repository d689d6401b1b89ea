"""``solarcase report``: the investor PDF (and, later, the Excel workbook)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from solarcase.cli.common import configure_logging, console, user_errors
from solarcase.cli.run import ScenarioArg, SetOption, appraise
from solarcase.report.pdf import write_report_pdf


@user_errors
def report(
    scenario: ScenarioArg,
    pdf: Annotated[
        Path | None,
        typer.Option("--pdf", help="PDF file to write (default reports/<name>.pdf)."),
    ] = None,
    overrides: SetOption = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """Write the investor report of one scenario."""
    configure_logging(verbose)
    result = appraise(scenario, overrides or ())
    target = pdf or Path("reports") / f"{scenario.stem}.pdf"
    write_report_pdf(result, target, scenario_file=str(scenario))
    console.print(f"wrote {target}")
