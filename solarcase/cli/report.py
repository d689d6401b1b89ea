"""``solarcase report``: the investor PDF and the auditable Excel workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from solarcase.cli.common import (
    ScenarioArg,
    SetOption,
    VerboseOption,
    configure_logging,
    console,
    user_errors,
)
from solarcase.cli.run import appraise, write_reports


@user_errors
def report(
    scenario: ScenarioArg,
    pdf: Annotated[
        Path | None,
        typer.Option("--pdf", help="PDF file to write (default reports/<name>.pdf)."),
    ] = None,
    xlsx: Annotated[
        Path | None,
        typer.Option(
            "--xlsx", help="Excel workbook to write (default reports/<name>.xlsx)."
        ),
    ] = None,
    overrides: SetOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Write the investor PDF and the Excel workbook of one scenario.

    With neither --pdf nor --xlsx both go to reports/<name>.pdf and .xlsx.
    """
    configure_logging(verbose)
    result = appraise(scenario, overrides or ())
    if pdf is None and xlsx is None:
        pdf = Path("reports") / f"{scenario.stem}.pdf"
        xlsx = pdf.with_suffix(".xlsx")
    kinds = {
        path: kind for path, kind in ((pdf, "pdf"), (xlsx, "xlsx")) if path is not None
    }
    written = write_reports(result, kinds, scenario_file=str(scenario))
    console.print("wrote " + ", ".join(str(path) for path in written))
