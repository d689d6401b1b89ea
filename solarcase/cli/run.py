"""``solarcase run``: appraise one scenario."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from solarcase.atomic import write_files_atomically
from solarcase.cli.common import configure_logging, console, user_errors
from solarcase.errors import OutputError, ScenarioError

if TYPE_CHECKING:
    from solarcase.pipeline import ScenarioResult

ScenarioArg = Annotated[
    Path,
    typer.Argument(help="Scenario YAML file.", exists=True, dir_okay=False),
]
SetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        help="Override a key for this run: --set system.dc_capacity_kwp=500 "
        "(repeatable).",
    ),
]


@user_errors
def run(
    scenario: ScenarioArg,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the result as JSON on stdout.")
    ] = False,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Write result.json, cashflow.csv, monthly.csv, hourly.csv."
        ),
    ] = None,
    overrides: SetOption = None,
    report: Annotated[
        list[Path] | None,
        typer.Option(
            "--report",
            help="Also write the investor report: FILE.pdf, FILE.xlsx (repeatable).",
        ),
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """Appraise one scenario: yield, cash flow and metrics."""
    from solarcase.report.files import result_json, write_run_outputs
    from solarcase.report.tables import header_lines, summary_table

    configure_logging(verbose)
    check_report_targets(report or ())
    result = appraise(scenario, overrides or ())
    written = write_run_outputs(result, out, scenario_file=str(scenario)) if out else []
    if report:
        written += write_reports(result, report, scenario_file=str(scenario))
    if json_output:
        sys.stdout.write(result_json(result, scenario_file=str(scenario)))
    else:
        for line in header_lines(result):
            console.print(line)
        console.print()
        console.print(summary_table(result))
        for note in result.notes:
            console.print(f"[dim]note: {escape(note)}[/]")
    if written:
        where = ", ".join(str(p) for p in written)
        (console.print if not json_output else _stderr)(f"wrote {where}")


REPORT_SUFFIXES = (".pdf", ".xlsx")


def check_report_targets(targets: Sequence[Path]) -> None:
    """Reject a report file of an unknown kind before anything is computed."""
    for target in targets:
        if target.suffix.lower() not in REPORT_SUFFIXES:
            raise OutputError(
                f"--report {target}: unknown kind of report; name a .pdf or an "
                ".xlsx file"
            )


def write_reports(
    result: ScenarioResult, targets: Sequence[Path], *, scenario_file: str
) -> list[Path]:
    """Write the PDF and/or workbook named by ``targets`` (by suffix), atomically:
    every file is rendered before any is written."""
    from solarcase.report.pdf import report_pdf_bytes
    from solarcase.report.xlsx import workbook_bytes

    renderers = {".pdf": report_pdf_bytes, ".xlsx": workbook_bytes}
    check_report_targets(targets)
    contents = {
        target: renderers[target.suffix.lower()](result, scenario_file=scenario_file)
        for target in targets
    }
    written = []
    for target, data in contents.items():
        parent = target.parent if str(target.parent) else Path(".")
        written += write_files_atomically(parent, {target.name: data})
    return written


def appraise(scenario: Path, overrides: Sequence[str]) -> ScenarioResult:
    """Load, check and run one scenario file; errors name the file and line."""
    from solarcase.pipeline import run_scenario
    from solarcase.scenario.load import locate_message, resolve_scenario
    from solarcase.weather.site import load_site_weather

    resolved = resolve_scenario(scenario, overrides=overrides)
    model = resolved.scenario
    weather, meta = load_site_weather(model.site, where=str(scenario))
    try:
        return run_scenario(model, weather, meta)
    except ScenarioError as err:
        raise ScenarioError(locate_message(str(err), resolved)) from err


def _stderr(text: str) -> None:
    from solarcase.cli.common import err_console

    err_console.print(text)
