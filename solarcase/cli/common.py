"""What every command shares: consoles, user-error handling, warnings on stderr."""

from __future__ import annotations

import functools
import logging
import warnings
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from solarcase.errors import SolarcaseError, SolarcaseWarning

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)

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
            warnings.showwarning = _show_warning
            try:
                return command(*args, **kwargs)
            except SolarcaseError as err:
                for line in str(err).splitlines() or [type(err).__name__]:
                    err_console.print(
                        f"[bold red]error:[/] {escape(line)}", soft_wrap=True
                    )
                raise typer.Exit(code=1) from None

    return wrapper


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:  # type: ignore[no-untyped-def]
    if issubclass(category, SolarcaseWarning):
        err_console.print(f"[yellow]warning:[/] {escape(str(message))}", soft_wrap=True)
    else:
        logging.getLogger("solarcase").debug("%s: %s", category.__name__, message)


def configure_logging(verbose: bool) -> None:
    """Send solarcase's log records to stderr when ``--verbose`` is given."""
    level = logging.DEBUG if verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
