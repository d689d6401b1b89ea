"""``solarcase batch``: many scenarios and/or one base scenario across sites.

The batch machinery (pandas, pyarrow, matplotlib, pvlib) is imported inside the
command, so that the other commands and ``--help`` do not load it.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from solarcase.batch_items import BatchError, Executor
from solarcase.cli.common import configure_logging, console, err_console, user_errors

if TYPE_CHECKING:
    from solarcase.batch import BatchSummary

#: Exit code of a batch stopped with Ctrl-C (128 + SIGINT), as shells use.
EXIT_INTERRUPTED = 130


def _rank_choice(value: str) -> str:
    from solarcase.batch_tables import rank_metric

    try:
        return rank_metric(value)
    except BatchError as err:
        raise typer.BadParameter(str(err).split(": ", 1)[1]) from None


@user_errors
def batch(
    inputs: Annotated[
        list[str],
        typer.Argument(help="Scenario files, directories or glob patterns."),
    ],
    sites: Annotated[
        Path | None,
        typer.Option(
            help="CSV of sites: one run per row and input file.",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    out: Annotated[
        Path, typer.Option(help="Output folder; re-use it to resume.")
    ] = Path("batch-results"),
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers", "-w", min=1, help="Worker processes (default: one per CPU)."
        ),
    ] = None,
    executor: Annotated[
        Executor, typer.Option(help="Local process pool or Dask distributed.")
    ] = Executor.local,
    scheduler: Annotated[
        str | None, typer.Option(help="Dask scheduler address (tcp://host:8786).")
    ] = None,
    rank_by: Annotated[
        str,
        typer.Option(
            "--rank-by",
            callback=_rank_choice,
            help="Metric to rank by: npv, irr, lcoe, payback, energy, yield, dscr "
            "or any headline metric name.",
        ),
    ] = "npv",
    overrides: Annotated[
        list[str] | None,
        typer.Option("--set", help="Override a key in every item (repeatable)."),
    ] = None,
    weather_dir: Annotated[
        Path | None,
        typer.Option(help="Folder of weather files named after the sites."),
    ] = None,
    normals: Annotated[
        Path | None,
        typer.Option(
            help="Normals CSV: synthetic years from the nearest town for sites "
            "without a weather file.",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option(min=0, help="Batch seed: per-site seeds for synthetic years."),
    ] = None,
    item_outputs: Annotated[
        bool, typer.Option(help="Write result.json and cashflow.csv per item.")
    ] = False,
    hourly: Annotated[
        bool, typer.Option(help="Also write each item's hourly.csv.")
    ] = False,
    report: Annotated[
        bool,
        typer.Option(help="Also write each item's report.pdf and report.xlsx."),
    ] = False,
    chunk_size: Annotated[
        int | None, typer.Option(min=1, help="Items per task (default: automatic).")
    ] = None,
    progress: Annotated[
        bool, typer.Option(help="Show a progress bar on stderr.")
    ] = True,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """Run many appraisals in parallel; results table, ranking and site chart."""
    from solarcase.batch import collect_items, default_workers, run_batch

    configure_logging(verbose)
    items = collect_items(
        inputs,
        sites=sites,
        overrides=overrides or (),
        weather_dir=weather_dir,
        normals=normals,
        seed=seed,
    )
    with _ProgressBar(enabled=progress) as bar:
        summary = run_batch(
            items,
            out,
            workers=workers or default_workers(),
            executor=executor.value,
            scheduler=scheduler,
            chunk_size=chunk_size,
            rank_by=rank_by,
            item_outputs=item_outputs,
            keep_hourly=hourly,
            report=report,
            progress=bar.update,
        )
    print_summary(summary)
    if summary.interrupted:
        raise typer.Exit(code=EXIT_INTERRUPTED)
    if not summary.succeeded:
        raise typer.Exit(code=1)


class _RateColumn(ProgressColumn):
    """Items per second."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.1f} items/s" if speed else "- items/s", style="cyan")


class _ProgressBar:
    """A rich progress bar on stderr: count, rate, elapsed and remaining time."""

    def __init__(self, *, enabled: bool) -> None:
        self.progress = Progress(
            TextColumn("[bold]batch"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[failed]}"),
            _RateColumn(),
            TimeElapsedColumn(),
            TextColumn("left"),
            TimeRemainingColumn(),
            console=err_console,
            disable=not enabled,
        )
        self.task = self.progress.add_task("batch", total=None, failed="")
        self.failed = 0

    def __enter__(self) -> _ProgressBar:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def update(self, done: int, total: int, record: dict | None) -> None:
        if record is not None and record.get("status") != "ok":
            self.failed += 1
        failed = f"[red]{self.failed} failed[/]" if self.failed else ""
        self.progress.update(self.task, completed=done, total=total, failed=failed)


def print_summary(summary: BatchSummary) -> None:
    """Counts, slowest items, failures, the best items and the files written."""
    s = summary
    console.print(
        f"[bold]{s.total} items[/] in {s.seconds:.1f} s "
        f"({s.items_per_second:.1f} items/s): [green]{s.computed + s.reused} done[/] "
        f"({s.computed} run, {s.reused} reused, skipped), "
        f"{'[red]' if s.failed else ''}{s.failed} failed{'[/]' if s.failed else ''}, "
        f"{'[red]' if s.errors else ''}{s.errors} errors{'[/]' if s.errors else ''}"
        + (f", {s.pending} not run (interrupted)" if s.pending else "")
    )
    if s.slowest:
        slow = ", ".join(f"{item} {sec:.2f} s" for item, sec in s.slowest)
        console.print(f"slowest: {escape(slow)}")
    for item_id, status, error in s.failures:
        first, *rest = error.splitlines() or [""]
        err_console.print(f"[red]{status}[/] {escape(item_id)}: {escape(first)}")
        for line in rest:
            err_console.print(f"  {escape(line)}")
    if s.errors:
        err_console.print(f"tracebacks of the errors: {s.out_dir / 'batch.log'}")
    if s.top:
        console.print(_top_table(s))
    console.print("wrote " + ", ".join(escape(str(p)) for p in s.files))
    if s.interrupted:
        err_console.print("interrupted: run the same command again to finish")


def _top_table(summary: BatchSummary) -> Table:
    from solarcase.batch_chart import METRIC_LABELS

    name, kind = METRIC_LABELS.get(summary.rank_by, (summary.rank_by, "-"))
    table = Table(title=f"Best {len(summary.top)} by {name}", box=None)
    table.add_column("rank", justify="right")
    table.add_column("item")
    table.add_column("site")
    table.add_column(name, justify="right")
    for row in summary.top:
        rank = "-" if row["rank"] is None else str(row["rank"])
        value = _format(row["value"], kind, row["currency"] or "")
        table.add_row(
            rank, escape(row["item_id"]), escape(str(row["site_name"])), value
        )
    return table


def _format(value: float | None, kind: str, currency: str) -> str:
    from solarcase.report.tables import (
        format_energy_kwh,
        format_money,
        format_percent,
        format_price,
        format_years,
    )

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    formats = {
        "money": lambda v: format_money(v, currency),
        "price": lambda v: format_price(v, currency),
        "ratio": format_percent,
        "years": format_years,
        "MWh": format_energy_kwh,
    }
    return formats.get(kind, lambda v: f"{v:,.2f}")(float(value))
