"""Errors and warnings that a user can act on.

Anything the user can fix (a scenario typo, a weather file for the wrong place, a
finance input that makes no sense) raises a subclass of :class:`SolarcaseError` whose
message says where the problem is, what is wrong, and how to fix it::

    <where>: <what is wrong>, got <value!r>; <allowed values / fix>

Bugs are not ``SolarcaseError``: they raise with a traceback.
"""

from __future__ import annotations


class SolarcaseError(Exception):
    """Base class for problems the user can fix; the CLI prints them and exits 1."""


class ScenarioError(SolarcaseError):
    """A scenario file cannot be read or does not validate."""


class WeatherDataError(SolarcaseError):
    """A weather file cannot be read, is inconsistent, or is for another place."""


class FinanceError(SolarcaseError):
    """Finance inputs that cannot produce a cash flow (e.g. a loan longer than life)."""


class OutputError(SolarcaseError):
    """A result cannot be written (permissions, missing directory, ...)."""


class SolarcaseWarning(UserWarning):
    """Valid but suspicious input, or a result that needs a caveat."""
