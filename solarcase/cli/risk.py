"""``solarcase risk``: Monte Carlo P-values of energy, NPV, IRR, LCOE and DSCR."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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
from solarcase.errors import ScenarioError

if TYPE_CHECKING:
    import pandas as pd

    from solarcase.pipeline import ScenarioResult
    from solarcase.risk import RiskResult


@user_errors
def risk(
    scenario: ScenarioArg,
    draws: Annotated[
        int | None,
        typer.Option("--draws", min=1, help="Draws (default: risk.draws, 10,000)."),
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option("--seed", min=0, help="Seed (default: risk.seed, 1)."),
    ] = None,
    px: Annotated[
        list[float] | None,
        typer.Option("--px", help="Also show Px (exceeded with probability x %)."),
    ] = None,
    overrides: SetOption = None,
    json_output: JsonOption = False,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Write risk.json, p_values.csv, draws.csv and charts (PNG) here.",
        ),
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option("--report", help="Also write the investor PDF with risk pages."),
    ] = None,
    verbose: VerboseOption = False,
) -> None:
    """Monte Carlo of the scenario's risk section: P10/P50/P90 and probabilities."""
    from solarcase.report.risk_tables import risk_dict, to_json
    from solarcase.risk import run_risk

    configure_logging(verbose)
    result, weather = appraise_with_weather(scenario, overrides or ())
    if result.scenario.risk is None:
        raise ScenarioError(
            f"{scenario}: has no risk section; add one (risk: energy, variables, "
            "correlations; see docs/risk.md and scenarios/birjand-1mw-risk.yaml)"
        )
    found = run_risk(
        result,
        n_draws=draws,
        seed=seed,
        px=px or (),
        weather=weather,
        weather_meta=result.weather_meta,
    )
    data = risk_dict(found, scenario=result.scenario.name, scenario_file=str(scenario))
    written = _write(found, data, out) if out is not None else []
    if report is not None:
        written.append(_report(result, found, weather, report, str(scenario)))
    if json_output:
        sys.stdout.write(to_json(data))
    else:
        _show(found)
    if written:
        err_console.print("wrote " + ", ".join(str(p) for p in written))


def _show(found: RiskResult) -> None:
    from solarcase.report.risk_tables import p_value_table, probability_lines

    console.print(p_value_table(found))
    for line in probability_lines(found):
        console.print(line)
    years = found.weather_years
    if years is not None and years.risk is not None:
        console.print()
        console.print(
            f"With the weather of {years.years[0]}-{years.years[-1]} "
            f"({len(years.years)} years simulated):"
        )
        console.print(p_value_table(found, years.risk))
        for line in probability_lines(found, years.risk):
            console.print(line)
    for note in found.notes[1:]:
        console.print(f"[dim]note: {note}[/]")


def _write(found: RiskResult, data: dict, out: Path) -> list[Path]:
    from solarcase.report.risk_figures import plot_histograms, plot_s_curves
    from solarcase.report.risk_tables import (
        draws_csv,
        p_value_frame,
        to_json,
        weather_year_frame,
    )
    from solarcase.risk import RISK_METRICS

    main = found.main
    contents: dict[str, str | bytes] = {
        "risk.json": to_json(data),
        "p_values.csv": p_value_frame(main).to_csv(float_format="%.10g"),
        "draws.csv": draws_csv(main.draws),
        "histograms.png": figure_png(
            plot_histograms(
                main.draws,
                main.summary,
                RISK_METRICS,
                found.px,
                currency=found.currency,
            )
        ),
        "s_curves.png": figure_png(
            plot_s_curves(
                main.draws,
                main.summary,
                RISK_METRICS,
                found.px,
                currency=found.currency,
            )
        ),
    }
    years = weather_year_frame(found)
    if years is not None:
        contents["weather_years.csv"] = years.to_csv(float_format="%.10g")
    return write_files_atomically(out, contents)


def _report(
    result: ScenarioResult,
    found: RiskResult,
    weather: pd.DataFrame,
    path: Path,
    scenario_file: str,
) -> Path:
    from solarcase.report.pdf import write_report_pdf
    from solarcase.swings import choose_swings, run_sensitivity

    swings, skipped = choose_swings(result.scenario, ())
    sensitivity = run_sensitivity(result, swings, weather=weather, skipped=skipped)
    return write_report_pdf(
        result, path, scenario_file=scenario_file, risk=(sensitivity, found)
    )
