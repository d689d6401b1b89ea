"""Many single-case cash-flow inputs as one array-valued input, and back.

The cash-flow engine takes a :class:`~solarcase.finance.inputs.CashFlowInputs` whose
money and rate fields (those annotated ``ArrayLike``) may hold one value per case.
:func:`stack_inputs` merges several inputs into one such multi-case input: a field
that is the same in all of them stays as it is (a scalar stays a scalar), a field that
differs becomes an array of shape ``(n_cases,)``, or ``(n_cases, n_years)`` for the
fields that run over years (exchange-rate paths, self-consumed shares). Fields that
cannot hold arrays (terms in years, modes, the kind of loan) must agree: their values
make up the *structure* (:func:`structure`), and inputs of different structures are
evaluated apart. :func:`case_of` takes one case back out, to check a translation that
produced arrays against one that produced scalars (:func:`same_inputs`).

No file or network I/O.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, Any, TypeGuard, TypeVar

import numpy as np

from solarcase.finance.inputs import is_year_axis_field

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

__all__ = [
    "case_of",
    "is_case_field",
    "same_inputs",
    "stack_inputs",
    "structure",
]

T = TypeVar("T", bound="DataclassInstance")


def is_case_field(item: dataclasses.Field[Any]) -> bool:
    """True for a field that may hold one value per case (annotated ArrayLike)."""
    return "ArrayLike" in str(item.type)


_CASE, _YEAR, _OTHER = 0, 1, 2
#: Per dataclass: (field name, kind) in order; computed once per class.
_PLANS: dict[type, tuple[tuple[str, int], ...]] = {}


def _plan(cls: type) -> tuple[tuple[str, int], ...]:
    plan = _PLANS.get(cls)
    if plan is None:
        plan = tuple(
            (
                item.name,
                (_YEAR if is_year_axis_field(item.name) else _CASE)
                if is_case_field(item)
                else _OTHER,
            )
            for item in dataclasses.fields(cls)
        )
        _PLANS[cls] = plan
    return plan


def _is_dataclass(value: object) -> TypeGuard[DataclassInstance]:
    return hasattr(type(value), "__dataclass_fields__") and not isinstance(value, type)


def structure(inputs: object) -> Hashable:
    """What must agree between inputs stacked together.

    Returns
    -------
    signature : hashable
        The type of every nested dataclass, every non-array field's value, and
        which optional array fields are set (None or not) and which are year paths
        of which length.
    """
    parts: list[Hashable] = [type(inputs).__name__]
    for name, kind in _plan(type(inputs)):
        value = getattr(inputs, name)
        if _is_dataclass(value):
            parts.append((name, structure(value)))
        elif kind == _CASE:
            if value is None:
                parts.append((name, None))
        elif kind == _YEAR:
            parts.append((name, None if value is None else np.shape(value)[-1:]))
        else:
            parts.append((name, _hashable(value)))
    return tuple(parts)


def _hashable(value: object) -> Hashable:
    if isinstance(value, list | tuple):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    if isinstance(value, np.ndarray):
        return tuple(value.ravel().tolist())
    return value


def _same(values: Sequence[Any]) -> bool:
    first = values[0]
    if isinstance(first, np.ndarray) or any(isinstance(v, np.ndarray) for v in values):
        array = np.asarray(first)
        return all(
            v is first
            or (np.shape(v) == array.shape and np.array_equal(v, array, equal_nan=True))
            for v in values
        )
    return all(v is first or v == first for v in values)


def _stack_field(name: str, values: Sequence[Any]) -> Any:
    if all(v is None for v in values):
        return None
    if _same(values):
        return values[0]
    if is_year_axis_field(name):
        rows = [np.atleast_1d(np.asarray(v, dtype=float)) for v in values]
        length = max(r.shape[-1] for r in rows)
        return np.stack([np.broadcast_to(r.reshape(-1), (length,)) for r in rows])
    return np.array([float(v) for v in values])


def stack_inputs(items: Sequence[T], *, check: bool = True) -> T:
    """One multi-case input from single-case inputs of the same structure.

    Parameters
    ----------
    items : sequence of dataclass
        Single-case ``CashFlowInputs`` (or nested parts of them) of one
        :func:`structure`; case i of the result is item i.
    check : bool
        Check that the structures agree (skip it when the caller grouped them).

    Returns
    -------
    stacked : dataclass
        Same type; a field equal in all items is kept as is (shared by every
        case), one that differs is an array over the cases.

    Raises
    ------
    ValueError
        If the items do not share one structure (a bug of the caller: group them
        by :func:`structure` first).

    Examples
    --------
    >>> from solarcase.finance.tariff import EscalatingTariff
    >>> out = stack_inputs([EscalatingTariff(0.1, 0.02), EscalatingTariff(0.2, 0.02)])
    >>> out.price_per_kwh, out.escalation_rate
    (array([0.1, 0.2]), 0.02)
    """
    first = items[0]
    if len(items) == 1:
        return first
    if check and len({structure(item) for item in items}) > 1:
        raise ValueError("stack_inputs: the inputs differ in structure")
    changes: dict[str, Any] = {}
    for name, kind in _plan(type(first)):
        values = [getattr(i, name) for i in items]
        if _is_dataclass(values[0]):
            changes[name] = stack_inputs(values, check=False)
        elif kind != _OTHER:
            changes[name] = _stack_field(name, values)
    return dataclasses.replace(first, **changes)


def case_of(inputs: T, index: int, n_cases: int) -> T:
    """Case ``index`` of a multi-case input, as a single-case input.

    A field of shape ``(n_cases,)`` (or ``(n_cases, n_years)`` for year paths)
    gives its ``index``-th value (row); any other value is shared and kept.
    """
    changes: dict[str, Any] = {}
    for item in dataclasses.fields(inputs):
        value = getattr(inputs, item.name)
        if _is_dataclass(value):
            changes[item.name] = case_of(value, index, n_cases)
        elif is_case_field(item) and isinstance(value, np.ndarray):
            if is_year_axis_field(item.name):
                if value.ndim == 2 and value.shape[0] == n_cases:
                    changes[item.name] = value[index]
            elif value.ndim == 1 and value.shape[0] == n_cases and n_cases > 1:
                changes[item.name] = float(value[index])
    return dataclasses.replace(inputs, **changes)


def same_inputs(
    a: DataclassInstance, b: DataclassInstance, *, rtol: float = 1e-12
) -> bool:
    """True when two single-case inputs agree field by field (arrays within
    ``rtol``, everything else exactly)."""
    if type(a) is not type(b):
        return False
    for item in dataclasses.fields(a):
        x, y = getattr(a, item.name), getattr(b, item.name)
        if _is_dataclass(x) or _is_dataclass(y):
            if not same_inputs(x, y, rtol=rtol):
                return False
        elif x is None or y is None:
            if x is not y:
                return False
        elif is_case_field(item):
            xa, ya = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
            if is_year_axis_field(item.name):
                xa, ya = xa.reshape(-1), ya.reshape(-1)
            if xa.shape != ya.shape or not np.allclose(
                xa, ya, rtol=rtol, atol=0.0, equal_nan=True
            ):
                return False
        elif _hashable(x) != _hashable(y):
            return False
    return True
