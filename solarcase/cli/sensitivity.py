"""``solarcase sensitivity``: the tornado of NPV, IRR and LCOE."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from solarcase.atomic import figure_png, write_files_atomically
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
from solarcase.cli.run import appraise_with_weather


@user_errors
def sensitivity(
    scenario: ScenarioArg,
    vary: Annotated[
        list[str] | None,
        typer.Option(
            "--vary",
            help="Swing a key: --vary finance.inflation_rate=30%:50% (repeatable; "
            "replaces the default swings).",
        ),
    ] = None,
    overrides: SetOption = None,
    json_output: JsonOption = False,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Write sensitivity.json, CSV tables and tornado PNGs here."
        ),
    ] = None,
    verbose: VerboseOption = False,
) -> None:
    """Tornado: swing each input between a low and a high value; NPV, IRR, LCOE."""
    from solarcase.report.risk_figures import plot_tornado
    from solarcase.report.risk_tables import (
        TORNADO_METRICS,
        sensitivity_dict,
        sensitivity_table,
        to_json,
        tornado_frame,
    )
    from solarcase.swings import choose_swings, run_sensitivity

    configure_logging(verbose)
    result, weather = appraise_with_weather(scenario, overrides or ())
    swings, skipped = choose_swings(result.scenario, vary or ())
    found = run_sensitivity(result, swings, weather=weather, skipped=skipped)
    data = sensitivity_dict(
        found, scenario=result.scenario.name, scenario_file=str(scenario)
    )
    written = []
    if out is not None:
        contents: dict[str, str | bytes] = {
            "sensitivity.json": to_json(data),
            "sensitivity.csv": found.cases.to_csv(index=False, float_format="%.10g"),
            "tornado.csv": tornado_frame(found).to_csv(
                index=False, float_format="%.10g"
            ),
        }
        for metric in TORNADO_METRICS:
            figure = plot_tornado(
                found.bars(metric), metric=metric, currency=found.currency
            )
            contents[f"tornado_{metric}.png"] = figure_png(figure)
        written = write_files_atomically(out, contents)
    if json_output:
        sys.stdout.write(to_json(data))
    else:
        for metric in ("npv", "project_irr"):
            console.print(sensitivity_table(found, metric))
        for line in skipped:
            console.print(f"[dim]left out: {line}[/]")
    if written:
        err_console.print(f"wrote {', '.join(p.name for p in written)} to {out}")
