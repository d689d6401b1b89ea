"""``solarcase run``: appraise one scenario."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from solarcase.cli.common import configure_logging, console, user_errors
from solarcase.errors import ScenarioError
from solarcase.pipeline import run_scenario
from solarcase.report.files import result_json, write_run_outputs
from solarcase.report.tables import header_lines, summary_table
from solarcase.scenario.load import locate_message, resolve_scenario
from solarcase.weather.site import load_site_weather

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
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """Appraise one scenario: yield, cash flow and metrics."""
    configure_logging(verbose)
    resolved = resolve_scenario(scenario, overrides=overrides or ())
    model = resolved.scenario
    weather, meta = load_site_weather(model.site, where=str(scenario))
    try:
        result = run_scenario(model, weather, meta)
    except ScenarioError as err:
        raise ScenarioError(locate_message(str(err), resolved)) from err
    written = write_run_outputs(result, out, scenario_file=str(scenario)) if out else []
    if json_output:
        sys.stdout.write(result_json(result, scenario_file=str(scenario)))
    else:
        for line in header_lines(result):
            console.print(line)
        console.print()
        console.print(summary_table(result))
        for note in result.notes:
            console.print(f"[dim]note: {note}[/]")
    if written:
        where = ", ".join(str(p) for p in written)
        (console.print if not json_output else _stderr)(f"wrote {where}")


def _stderr(text: str) -> None:
    from solarcase.cli.common import err_console

    err_console.print(text)
