"""``solarcase breakeven``: the value of one key at which NPV = 0 or an IRR target."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from solarcase.cli.common import (
    JsonOption,
    ScenarioArg,
    SetOption,
    VerboseOption,
    configure_logging,
    console,
    user_errors,
)
from solarcase.cli.run import appraise_with_weather
from solarcase.errors import ScenarioError


@user_errors
def breakeven(
    scenario: ScenarioArg,
    key: Annotated[
        str,
        typer.Option(
            "--key",
            help="Numeric key to solve for, e.g. finance.revenue.base_price_per_kwh.",
        ),
    ],
    target: Annotated[
        str,
        typer.Option("--target", help="metric=value, e.g. npv=0 or equity_irr=0.5."),
    ] = "npv=0",
    search: Annotated[
        str | None,
        typer.Option("--range", help="Where to start searching: low:high."),
    ] = None,
    overrides: SetOption = None,
    json_output: JsonOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Solve for the value of one input at which NPV = 0 (or a target is met)."""
    from solarcase.breakeven import parse_target, run_breakeven
    from solarcase.report.risk_tables import breakeven_dict, breakeven_lines, to_json

    configure_logging(verbose)
    metric, value = parse_target(target)
    span = _range(search) if search is not None else None
    result, weather = appraise_with_weather(scenario, overrides or ())
    found = run_breakeven(
        result, key, metric=metric, target=value, weather=weather, search_range=span
    )
    if json_output:
        data = breakeven_dict(
            found, scenario=result.scenario.name, scenario_file=str(scenario)
        )
        sys.stdout.write(to_json(data))
    else:
        for line in breakeven_lines(found):
            console.print(line)


def _range(text: str) -> tuple[float, float]:
    low, sep, high = text.partition(":")
    try:
        if not sep:
            raise ValueError
        return float(low), float(high)
    except ValueError:
        raise ScenarioError(
            f"--range {text!r}: expected low:high, e.g. --range 20000:60000"
        ) from None
