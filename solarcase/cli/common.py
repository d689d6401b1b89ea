"""What every command shares: consoles, user-error handling, warnings on stderr,
and the options several commands take."""

from __future__ import annotations

import functools
import logging
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, ParamSpec, TextIO, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from solarcase.errors import SolarcaseError, SolarcaseWarning

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)

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
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print the result as JSON on stdout.")
]
VerboseOption = Annotated[bool, typer.Option("--verbose", "-v")]

P = ParamSpec("P")
R = TypeVar("R")


def user_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Print a :class:`SolarcaseError` on stderr and exit 1, with no traceback.

    Warnings of :class:`SolarcaseWarning` are printed as ``warning: ...`` lines.
    """

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with warnings.catch_warnings():
            warnings.simplefilter("always", SolarcaseWarning)
            warnings.showwarning = _WarningPrinter()
            try:
                return command(*args, **kwargs)
            except SolarcaseError as err:
                print_error(err)
                raise typer.Exit(code=1) from None

    return wrapper


def print_error(err: SolarcaseError) -> None:
    """One ``error:`` line on stderr per line of the message."""
    for line in str(err).splitlines() or [type(err).__name__]:
        err_console.print(f"[bold red]error:[/] {escape(line)}", soft_wrap=True)


class _WarningPrinter:
    """Print each distinct SolarcaseWarning once as ``warning: ...`` on stderr;
    log other warnings at debug level (they are for developers)."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def __call__(
        self,
        message: Warning | str,
        category: type[Warning],
        filename: str,
        lineno: int,
        file: TextIO | None = None,
        line: str | None = None,
    ) -> None:
        text = str(message)
        if not issubclass(category, SolarcaseWarning):
            logging.getLogger("solarcase").debug("%s: %s", category.__name__, text)
        elif text not in self.seen:
            self.seen.add(text)
            err_console.print(f"[yellow]warning:[/] {escape(text)}", soft_wrap=True)


def configure_logging(verbose: bool) -> None:
    """Send solarcase's log records to stderr when ``--verbose`` is given."""
    level = logging.DEBUG if verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
