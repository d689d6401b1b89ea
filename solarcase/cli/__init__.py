"""The ``solarcase`` command line: one module per command, mounted here.

The command modules import the scientific stack (pandas, pvlib, matplotlib,
openpyxl, pydantic) inside the command bodies, so that ``solarcase --version``,
``--help`` and every command pay only for what they use.
"""

from __future__ import annotations

from typing import Annotated

import typer

from solarcase import __version__

app = typer.Typer(
    name="solarcase",
    help="Appraise solar PV plants as investments: yield, cash flow, risk.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"solarcase {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version."
        ),
    ] = False,
) -> None:
    """Appraise solar PV plants as investments: yield, cash flow, risk."""


from solarcase.cli import batch as _batch  # noqa: E402
from solarcase.cli import breakeven as _breakeven  # noqa: E402
from solarcase.cli import compare as _compare  # noqa: E402
from solarcase.cli import report as _report  # noqa: E402
from solarcase.cli import risk as _risk  # noqa: E402
from solarcase.cli import run as _run  # noqa: E402
from solarcase.cli import schema as _schema  # noqa: E402
from solarcase.cli import sensitivity as _sensitivity  # noqa: E402
from solarcase.cli import validate as _validate  # noqa: E402
from solarcase.cli import weather as _weather  # noqa: E402

app.command("run")(_run.run)
app.command("validate")(_validate.validate)
app.command("compare")(_compare.compare)
app.command("report")(_report.report)
app.command("schema")(_schema.schema)
app.add_typer(_weather.app, name="weather")
app.command("batch")(_batch.batch)
app.command("sensitivity")(_sensitivity.sensitivity)
app.command("risk")(_risk.risk)
app.command("breakeven")(_breakeven.breakeven)


def main() -> None:
    """Console-script entry point."""
    app()
