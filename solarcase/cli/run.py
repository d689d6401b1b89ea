"""``solarcase run``: appraise one scenario."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from solarcase.atomic import write_files_atomically
from solarcase.cli.common import (
    JsonOption,
    ScenarioArg,
    SetOption,
    VerboseOption,
    configure_logging,
    console,
    err_console,
    user_errors,
)
from solarcase.errors import OutputError

if TYPE_CHECKING:
    import pandas as pd

    from solarcase.pipeline import ScenarioResult


@user_errors
def run(
    scenario: ScenarioArg,
    json_output: JsonOption = False,
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
    verbose: VerboseOption = False,
) -> None:
    """Appraise one scenario: yield, cash flow and metrics."""
    from solarcase.report.files import result_json, write_run_outputs
    from solarcase.report.tables import header_lines, summary_table

    configure_logging(verbose)
    kinds = report_kinds(report or ())
    result = appraise(scenario, overrides or ())
    written = write_run_outputs(result, out, scenario_file=str(scenario)) if out else []
    written += write_reports(result, kinds, scenario_file=str(scenario))
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
        (err_console if json_output else console).print(f"wrote {where}")


#: Kinds of report by file suffix, for ``--report FILE``.
REPORT_KINDS = {".pdf": "pdf", ".xlsx": "xlsx"}


def report_kinds(targets: Sequence[Path]) -> dict[Path, str]:
    """The kind of each report file by its suffix; an unknown kind is rejected
    before anything is computed."""
    kinds = {}
    for target in targets:
        kind = REPORT_KINDS.get(target.suffix.lower())
        if kind is None:
            raise OutputError(
                f"--report {target}: unknown kind of report; name a .pdf or an "
                ".xlsx file"
            )
        kinds[target] = kind
    return kinds


def write_reports(
    result: ScenarioResult, kinds: Mapping[Path, str], *, scenario_file: str
) -> list[Path]:
    """Write each report file as its kind ("pdf" or "xlsx"), atomically: every
    file is rendered before any is written, and the files of one folder appear
    together or not at all."""
    from solarcase.report.pdf import report_pdf_bytes
    from solarcase.report.xlsx import workbook_bytes

    renderers = {"pdf": report_pdf_bytes, "xlsx": workbook_bytes}
    contents = {
        target: renderers[kind](result, scenario_file=scenario_file)
        for target, kind in kinds.items()
    }
    written = []
    for folder in dict.fromkeys(target.parent for target in contents):
        written += write_files_atomically(
            folder, {t.name: data for t, data in contents.items() if t.parent == folder}
        )
    return written


def appraise_with_weather(
    scenario: Path, overrides: Sequence[str]
) -> tuple[ScenarioResult, pd.DataFrame]:
    """Load, check and run one scenario file; errors name the file and line.

    Returns the result and the checked hourly weather it ran on, for the commands
    that simulate again (keys that change the yield, weather years).
    """
    from solarcase.pipeline import run_scenario
    from solarcase.scenario.load import located, resolve_scenario
    from solarcase.weather.site import load_site_weather

    resolved = resolve_scenario(scenario, overrides=overrides)
    model = resolved.scenario
    weather, meta = load_site_weather(model.site, where=str(scenario))
    with located(resolved):
        return run_scenario(model, weather, meta), weather


def appraise(scenario: Path, overrides: Sequence[str]) -> ScenarioResult:
    """:func:`appraise_with_weather` without the weather."""
    return appraise_with_weather(scenario, overrides)[0]
