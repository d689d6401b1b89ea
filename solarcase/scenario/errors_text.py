"""Turn pydantic validation errors into one readable line each.

Each line says where (file and line of the key, from the YAML), which key (dotted,
without pydantic's union tags), what is wrong, the value found, and how to fix it.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, Tag

Key = tuple[str | int, ...]


def describe_validation_error(
    error: Mapping[str, Any],
    *,
    origins: Mapping[Key, Any],
    default_file: str,
) -> str:
    """One line for one pydantic error dict (``exc.errors(include_url=False)``) of
    a :class:`~solarcase.scenario.models.Scenario`."""
    from solarcase.scenario.models import Scenario

    key, parent_type = clean_loc(Scenario, tuple(error["loc"]))
    dotted = ".".join(str(k) for k in key) or "(top level)"
    where = _where(key, origins, default_file)
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        allowed = allowed_keys(parent_type)
        guess = (
            difflib.get_close_matches(str(key[-1]), allowed, n=1, cutoff=0.6)
            or [name for name in allowed if str(key[-1]) in name][:1]
        )
        hint = f"did you mean {guess[0]!r}? " if guess else ""
        listing = ", ".join(allowed) if allowed else "none"
        return f"{where}: {dotted}: unknown key; {hint}allowed here: {listing}"
    if kind == "missing":
        return f"{where}: {dotted}: required key is missing; add it"
    if kind in {"union_tag_invalid", "invalid_weather_source"}:
        tag_key = (*key, str(ctx.get("discriminator", "source")).strip("'"))
        where = _where(tag_key, origins, default_file)
        value = ctx.get("tag", value if not isinstance(value, Mapping) else None)
        if isinstance(error.get("input"), Mapping):
            value = error["input"].get(tag_key[-1], value)
    text = _message(kind, str(error.get("msg", "")), ctx)
    shown = _show(value)
    got = f", got {shown}" if shown is not None and kind != "value_error" else ""
    if kind == "value_error" and shown is not None and "got" not in text:
        got = f" (got {shown})"
    return f"{where}: {dotted}: {text}{got}"


def _message(kind: str, msg: str, ctx: Mapping[str, Any]) -> str:
    bounds = {
        "greater_than": "must be > {gt}",
        "greater_than_equal": "must be >= {ge}",
        "less_than": "must be < {lt}",
        "less_than_equal": "must be <= {le}",
    }
    if kind in bounds:
        return bounds[kind].format(**{k: f"{v:g}" for k, v in ctx.items()})
    if kind in {"float_parsing", "float_type", "int_parsing", "int_type"}:
        return "must be a number"
    if kind == "int_from_float":
        return "must be a whole number"
    if kind in {"bool_parsing", "bool_type"}:
        return "must be true or false"
    if kind in {"string_type"}:
        return "must be text"
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return "must be a mapping of keys (indented block)"
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected', '')}"
    if kind == "union_tag_invalid":
        return (
            f"{ctx.get('discriminator', 'kind')} must be one of "
            f"{ctx.get('expected_tags', '')}"
        )
    if kind == "union_tag_not_found":
        return f"needs a {ctx.get('discriminator', 'kind')} key to say which kind it is"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "value_error":
        return msg.removeprefix("Value error, ")
    return msg


def _show(value: Any) -> str | None:
    """The value as the message shows it; None (not shown) for a mapping, a list
    or a missing value."""
    if value is None or isinstance(value, Mapping | list):
        return None
    return repr(value)


def _where(key: Key, origins: Mapping[Key, Any], default_file: str) -> str:
    for depth in range(len(key), -1, -1):
        origin = origins.get(key[:depth])
        if origin is not None:
            return str(origin)
    return default_file


def _unwrap(tp: Any) -> tuple[Any, tuple[Any, ...]]:
    """Strip ``Annotated`` and return (bare type, metadata)."""
    meta: tuple[Any, ...] = ()
    while typing.get_origin(tp) is typing.Annotated:
        args = typing.get_args(tp)
        tp, meta = args[0], meta + tuple(args[1:])
    return tp, meta


def _members(tp: Any) -> list[tuple[Any, tuple[Any, ...]]]:
    tp, meta = _unwrap(tp)
    origin = typing.get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        out = []
        for arg in typing.get_args(tp):
            if arg is type(None):
                continue
            out.extend(_members(arg))
        return out
    return [(tp, meta)]


def _tags(model: type[BaseModel], meta: tuple[Any, ...]) -> set[str]:
    tags = {m.tag for m in meta if isinstance(m, Tag)}
    for field in model.model_fields.values():
        bare, _ = _unwrap(field.annotation)
        if typing.get_origin(bare) is typing.Literal:
            tags.update(str(a) for a in typing.get_args(bare))
    return tags


def clean_loc(root: type[BaseModel], loc: Key) -> tuple[Key, Any]:
    """Drop pydantic's union tags from ``loc``; return it and the type holding the key.

    Examples
    --------
    >>> from solarcase.scenario.models import Scenario
    >>> clean_loc(Scenario, ("system", "mount", "fixed", "surface_tilt"))[0]
    ('system', 'mount', 'surface_tilt')
    """
    current: Any = root
    parent: Any = root
    clean: list[str | int] = []
    for part in loc:
        members = _members(current)
        models = [(m, meta) for m, meta in members if _is_model(m)]
        if len(models) > 1:
            # pydantic puts the tag of a discriminated union's member into loc
            chosen = [m for m, meta in models if str(part) in _tags(m, meta)]
            if chosen:
                current = chosen[0]
                continue
        parent = current
        clean.append(part)
        current = _child(members, part)
    return tuple(clean), parent


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _child(members: list[tuple[Any, tuple[Any, ...]]], part: str | int) -> Any:
    for tp, _ in members:
        if _is_model(tp) and part in tp.model_fields:
            return tp.model_fields[part].annotation
        origin = typing.get_origin(tp)
        if origin in (dict, Mapping) and typing.get_args(tp):
            return typing.get_args(tp)[1]
        if origin in (list, tuple) and typing.get_args(tp):
            return typing.get_args(tp)[0]
    return Any


def allowed_keys(tp: Any) -> list[str]:
    """The keys a mapping of type ``tp`` accepts (all members of a union)."""
    keys: list[str] = []
    for member, _ in _members(tp):
        if _is_model(member):
            keys.extend(k for k in member.model_fields if k not in keys)
    return keys
