"""``solarcase compare``: scenarios side by side, inputs that differ, deltas."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from solarcase.atomic import figure_png, write_files_atomically
from solarcase.cli.common import (
    VerboseOption,
    configure_logging,
    console,
    err_console,
    user_errors,
)
from solarcase.errors import ScenarioError


@user_errors
def compare(
    scenarios: Annotated[
        list[Path],
        typer.Argument(
            help="Scenario files; the first is the reference.", dir_okay=False
        ),
    ],
    overrides: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            help="What-if: add the first scenario with key.path=value applied "
            "(repeatable; all --set form one variant).",
        ),
    ] = None,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the comparison as JSON on stdout.")
    ] = False,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Write comparison.csv, input_diff.csv and charts (PNG) here.",
        ),
    ] = None,
    currency: Annotated[
        str | None,
        typer.Option(
            "--currency",
            help="Compare money in this currency (ISO 4217), converting each scenario "
            "with its finance.exchange_rates.",
        ),
    ] = None,
    verbose: VerboseOption = False,
) -> None:
    """Compare scenarios: metrics side by side and the inputs that differ."""
    from solarcase.compare import run_many
    from solarcase.report.comparison import (
        comparison_figures,
        comparison_frame,
        comparison_json,
        input_diff_frame,
        input_table,
        metrics_table,
    )

    configure_logging(verbose)
    items: list[tuple[Path, tuple[str, ...]]] = [(path, ()) for path in scenarios]
    if overrides:
        items.append((scenarios[0], tuple(overrides)))
    if len(items) < 2:
        raise ScenarioError(
            "compare: give at least two scenario files, or one file and --set "
            "key.path=value for a what-if variant"
        )
    comparison = run_many(items, currency=currency.upper() if currency else None)
    if out is not None:
        charts = comparison_figures(comparison)
        contents: dict[str, str | bytes] = {
            "comparison.csv": comparison_frame(comparison).to_csv(float_format="%.10g"),
            "input_diff.csv": input_diff_frame(comparison).to_csv(),
            "comparison.json": comparison_json(comparison),
            **{name: figure_png(figure) for name, figure in charts.items()},
        }
        written = write_files_atomically(out, contents)
    if json_output:
        sys.stdout.write(comparison_json(comparison))
    else:
        console.print(metrics_table(comparison))
        console.print(input_table(comparison))
        for c in comparison.items:
            if c.rates:
                console.print(f"rates: {escape(c.label)}: {escape(c.rates)}")
    if out is not None:
        err_console.print(f"wrote {', '.join(p.name for p in written)} to {out}")
