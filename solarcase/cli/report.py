"""``solarcase report``: the investor PDF and the auditable Excel workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from solarcase.atomic import write_files_atomically
from solarcase.cli.common import configure_logging, console, user_errors
from solarcase.cli.run import ScenarioArg, SetOption, appraise


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
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """Write the investor PDF and the Excel workbook of one scenario.

    With neither --pdf nor --xlsx both go to reports/<name>.pdf and .xlsx.
    """
    from solarcase.report.pdf import report_pdf_bytes
    from solarcase.report.xlsx import workbook_bytes

    configure_logging(verbose)
    result = appraise(scenario, overrides or ())
    if pdf is None and xlsx is None:
        pdf = Path("reports") / f"{scenario.stem}.pdf"
        xlsx = pdf.with_suffix(".xlsx")
    # render both in memory first: a failure in either leaves no file behind
    contents: dict[Path, bytes] = {}
    if pdf is not None:
        contents[pdf] = report_pdf_bytes(result, scenario_file=str(scenario))
    if xlsx is not None:
        contents[xlsx] = workbook_bytes(result, scenario_file=str(scenario))
    for folder in dict.fromkeys(path.parent for path in contents):
        write_files_atomically(
            folder, {p.name: data for p, data in contents.items() if p.parent == folder}
        )
    console.print("wrote " + ", ".join(str(path) for path in contents))
