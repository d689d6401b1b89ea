"""``solarcase validate``: check scenario files without simulating."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from solarcase.cli.common import console, err_console, print_error, user_errors
from solarcase.errors import SolarcaseError


@user_errors
def validate(
    scenarios: Annotated[
        list[Path], typer.Argument(help="Scenario YAML files.", dir_okay=False)
    ],
    skip_weather: Annotated[
        bool,
        typer.Option("--skip-weather", help="Do not read and check the weather."),
    ] = False,
) -> None:
    """Check scenario files (and their weather) without simulating."""
    from solarcase.energy.simulate import check_system
    from solarcase.pipeline import system_spec
    from solarcase.risk import check_risk
    from solarcase.scenario.load import located, resolve_scenario
    from solarcase.weather.site import load_site_weather, needs_download

    failed = 0
    for path in scenarios:
        try:
            resolved = resolve_scenario(path)
            model = resolved.scenario
            with located(resolved):
                check_system(system_spec(model))
                check_risk(model)
            later = needs_download(model.site)
            if not skip_weather and not later:
                load_site_weather(model.site, where=str(path))
        except SolarcaseError as err:
            failed += 1
            print_error(err)
            continue
        note = " (weather: PVGIS, downloaded on the first run)" if later else ""
        console.print(f"[green]ok[/] {escape(str(path))}: {escape(model.name)}{note}")
    if failed:
        err_console.print(f"{failed} of {len(scenarios)} file(s) failed")
        raise typer.Exit(code=1)
