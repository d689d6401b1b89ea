"""Read scenario YAML files into a validated, frozen :class:`Scenario`.

This is the boundary where text becomes types, so every problem found here becomes a
:class:`~solarcase.errors.ScenarioError` whose lines each name the file, the line, the
dotted key, the bad value and the fix::

    scenarios/birjand.yaml:14: system.mount.surface_tilt: must be <= 90, got 120; ...

``extends: base.yaml`` deep-merges a base file under the variant (mappings merge key
by key; lists and scalars are replaced), so a variant states only what differs.
Relative paths (``extends`` and ``site.weather.file``) resolve against the directory of
the file that states them. ``--set key.path=value`` overrides apply last.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from solarcase.errors import ScenarioError
from solarcase.scenario.errors_text import describe_validation_error
from solarcase.scenario.models import Scenario

#: Keys whose values are file paths, resolved against the file that states them.
PATH_KEYS: tuple[tuple[str, ...], ...] = (
    ("site", "weather", "file"),
    ("finance", "revenue", "load", "file"),
)
#: Keys that select the kind of a section; a variant that changes one replaces the
#: whole section instead of merging into the base's (other kinds have other keys).
DISCRIMINATOR_KEYS: tuple[str, ...] = ("source", "type", "model", "scheme", "method")
#: Tags with a default kind when left out (the weather source is a file).
DEFAULT_TAGS: dict[str, str] = {"source": "file"}
MAX_EXTENDS_DEPTH = 16

Key = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a value was stated: a file and line, or a command-line override."""

    file: str
    line: int | None

    def __str__(self) -> str:
        return self.file if self.line is None else f"{self.file}:{self.line}"


@dataclass(frozen=True, slots=True)
class ResolvedScenario:
    """A scenario with the merged raw mapping and where each key was stated."""

    scenario: Scenario
    """The validated scenario."""
    data: Mapping[str, Any]
    """The merged mapping after ``extends`` and overrides (paths absolute)."""
    origins: Mapping[Key, Origin]
    """For each key path, the file and line (or override) that stated its value."""
    path: Path
    """The scenario file that was loaded."""
    chain: tuple[Path, ...]
    """The file and its bases, the loaded file first."""


def load_scenario(path: str | Path, *, overrides: Sequence[str] = ()) -> Scenario:
    """Read, merge and validate a scenario file.

    Parameters
    ----------
    path : str or Path
        The scenario YAML file.
    overrides : sequence of str
        ``"key.path=value"`` strings applied after ``extends``; each value is parsed
        as YAML (``0.12``, ``"12%"``, ``true``, ``[1, 2]``).

    Raises
    ------
    ScenarioError
        With one line per problem, each naming file, line, key, value and fix.
    """
    return resolve_scenario(path, overrides=overrides).scenario


def resolve_scenario(
    path: str | Path, *, overrides: Sequence[str] = ()
) -> ResolvedScenario:
    """Like :func:`load_scenario`, also returning the merged data and its origins."""
    path = Path(path)
    data, origins, chain = _read_with_bases(path, stack=())
    for override in overrides:
        key, value = parse_override(override)
        if key in PATH_KEYS and isinstance(value, str):
            value = str(Path(value).resolve())
        _set_in(data, key, value)
        for sub in _key_paths(value, key):
            origins[sub] = Origin(f"--set {override}", None)
        origins[key] = Origin(f"--set {override}", None)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as err:
        lines = [
            describe_validation_error(item, origins=origins, default_file=str(path))
            for item in err.errors(include_url=False)
        ]
        raise ScenarioError("\n".join(_unique(lines))) from err
    return ResolvedScenario(scenario, data, dict(origins), path, chain)


def locate_message(message: str, resolved: ResolvedScenario) -> str:
    """Prefix each line that starts with a dotted scenario key with its file:line.

    Errors raised after validation (by the yield model, say) name the key but not
    where it was stated; this adds it from the origins recorded while loading.
    """
    lines = []
    for line in message.splitlines():
        dotted = line.split(":", 1)[0].strip()
        key = tuple(int(p) if p.isdigit() else p for p in dotted.split("."))
        origin = resolved.origins.get(key) if dotted and " " not in dotted else None
        if origin is not None:
            line = f"{origin}: {line}"
        elif not line.startswith(str(resolved.path)):
            line = f"{resolved.path}: {line}"
        lines.append(line)
    return "\n".join(lines)


@contextmanager
def located(resolved: ResolvedScenario) -> Iterator[None]:
    """Re-raise a :class:`ScenarioError` from the ``with`` block with its lines
    located (:func:`locate_message`), chained to the original: for the checks that
    run on the validated scenario (yield model, risk, finance)."""
    try:
        yield
    except ScenarioError as err:
        raise ScenarioError(locate_message(str(err), resolved)) from err


def parse_override(text: str) -> tuple[Key, Any]:
    """Split ``"system.dc_capacity_kwp=500"`` into a key path and a YAML value."""
    key_text, sep, value_text = text.partition("=")
    key_text = key_text.strip()
    if not sep or not key_text or any(not part for part in key_text.split(".")):
        raise ScenarioError(
            f"--set {text!r}: expected key.path=value, for example "
            "--set system.dc_capacity_kwp=500"
        )
    try:
        value = yaml.safe_load(value_text) if value_text.strip() else None
    except yaml.YAMLError as err:
        raise ScenarioError(
            f"--set {text!r}: the value is not valid YAML ({_yaml_problem(err)}); "
            "quote it, e.g. --set 'finance.inflation_rate=\"35%\"'"
        ) from err
    key: Key = tuple(int(p) if p.isdigit() else p for p in key_text.split("."))
    return key, value


def _read_with_bases(
    path: Path, *, stack: tuple[Path, ...]
) -> tuple[dict[str, Any], dict[Key, Origin], tuple[Path, ...]]:
    resolved = path.resolve()
    if resolved in stack:
        cycle = " -> ".join(str(p) for p in (*stack, resolved))
        raise ScenarioError(
            f"{stack[-1]}: extends: the chain of base files loops ({cycle}); "
            "remove the 'extends' that points back"
        )
    if len(stack) >= MAX_EXTENDS_DEPTH:
        raise ScenarioError(f"{path}: extends: more than {MAX_EXTENDS_DEPTH} levels")
    data, lines = _read_yaml_mapping(path)
    origins = {key: Origin(str(path), line) for key, line in lines.items()}
    _resolve_paths(data, base_dir=path.parent)
    extends = data.pop("extends", None)
    origins.pop(("extends",), None)
    if extends is None:
        return data, origins, (path,)
    if not isinstance(extends, str) or not extends.strip():
        raise ScenarioError(
            f"{path}:{lines.get(('extends',), '?')}: extends: must be the path of a "
            f"base scenario file, got {extends!r}; for example extends: base.yaml"
        )
    base_path = path.parent / extends
    if not base_path.is_file():
        raise ScenarioError(
            f"{path}:{lines.get(('extends',), '?')}: extends: base file {extends!r} "
            f"not found (looked for {base_path}); paths are relative to {path.parent}"
        )
    base, base_origins, chain = _read_with_bases(base_path, stack=(*stack, resolved))
    merged = deep_merge(base, data)
    merged_origins = {
        key: origin
        for key, origin in {**base_origins, **origins}.items()
        if _exists(merged, key)
    }
    return merged, merged_origins, (path, *chain)


def _exists(data: Any, key: Key) -> bool:
    """True when ``key`` names a value in the merged data (drops stale origins)."""
    node = data
    for part in key:
        if isinstance(node, Mapping) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            return False
    return True


def deep_merge(base: Mapping[str, Any], overlay: Mapping[str, Any]) -> dict[str, Any]:
    """Merge ``overlay`` over ``base``: mappings key by key, everything else replaced.

    Examples
    --------
    >>> deep_merge({"a": {"x": 1, "y": 2}, "b": [1]}, {"a": {"y": 3}, "b": [2]})
    {'a': {'x': 1, 'y': 3}, 'b': [2]}
    """
    merged: dict[str, Any] = dict(base)
    for key, value in overlay.items():
        below = merged.get(key)
        if (
            isinstance(value, Mapping)
            and isinstance(below, Mapping)
            and not _changes_kind(below, value)
        ):
            merged[key] = deep_merge(below, value)
        else:
            merged[key] = value
    return merged


def _changes_kind(base: Mapping[str, Any], overlay: Mapping[str, Any]) -> bool:
    """True when the overlay switches a tagged section to another kind (replace it).

    A base may leave a tag out where it has a default (``site.weather`` is a file
    unless it says otherwise), so a missing tag counts as its default."""
    for tag in DISCRIMINATOR_KEYS:
        if tag in overlay and overlay[tag] != base.get(tag, DEFAULT_TAGS.get(tag)):
            return tag in base or tag in DEFAULT_TAGS
    return False


def _resolve_paths(data: dict[str, Any], *, base_dir: Path) -> None:
    for key in PATH_KEYS:
        node: Any = data
        for part in key[:-1]:
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, dict) and isinstance(node.get(key[-1]), str):
            node[key[-1]] = str((base_dir / node[key[-1]]).resolve())


#: Parsed files by (path, size, modification time): a batch reads the same base
#: file for every item, and PyYAML is slow. Callers get deep copies.
_PARSED: dict[tuple[str, int, int], tuple[dict[str, Any], dict[Key, int]]] = {}
_PARSED_MAX = 256
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml_mapping(path: Path) -> tuple[dict[str, Any], dict[Key, int]]:
    try:
        stat = path.stat()
        cache_key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    except OSError:
        cache_key = None
    if cache_key is not None and cache_key in _PARSED:
        data, lines = _PARSED[cache_key]
        return copy.deepcopy(data), dict(lines)
    data, lines = _parse_yaml_mapping(path)
    if cache_key is not None:
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.clear()
        _PARSED[cache_key] = (copy.deepcopy(data), dict(lines))
    return data, lines


def _parse_yaml_mapping(path: Path) -> tuple[dict[str, Any], dict[Key, int]]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ScenarioError(f"{path}: scenario file not found") from None
    except IsADirectoryError:
        raise ScenarioError(f"{path}: is a directory, expected a YAML file") from None
    except OSError as err:
        raise ScenarioError(f"{path}: cannot be read ({err.strerror})") from err
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ScenarioError(
            f"{path}: is not UTF-8 text (byte {err.start}); save it as UTF-8"
        ) from err
    try:
        loader = _LOADER(text)
        try:
            node = loader.get_single_node()
            data = None if node is None else loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise ScenarioError(
            f"{where}: YAML syntax error: {_yaml_problem(err)}; check the indentation "
            "and that values with ':' or '#' are quoted"
        ) from err
    if node is None or data is None:
        raise ScenarioError(
            f"{path}: the file is empty; a scenario needs at least schema_version, "
            "name, site, system and finance (or extends: base.yaml)"
        )
    if not isinstance(data, dict):
        raise ScenarioError(
            f"{path}:1: the top level must be a mapping of keys (schema_version: 1, "
            f"name: ..., site: ...), got a {type(data).__name__}"
        )
    lines: dict[Key, int] = {}
    _collect_lines(node, (), lines, path)
    return data, lines


def _collect_lines(node: yaml.Node, key: Key, out: dict[Key, int], path: Path) -> None:
    out.setdefault(key, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            name = key_node.value
            line = key_node.start_mark.line + 1
            if name in seen:
                dotted = ".".join(str(k) for k in (*key, name))
                raise ScenarioError(
                    f"{path}:{line}: {dotted}: key stated twice (first on line "
                    f"{seen[name]}); keep one"
                )
            seen[name] = line
            out[(*key, name)] = line
            _collect_lines(value_node, (*key, name), out, path)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _collect_lines(item, (*key, index), out, path)


def _yaml_problem(err: yaml.YAMLError) -> str:
    problem = getattr(err, "problem", None) or str(err).splitlines()[0]
    context = getattr(err, "context", None)
    return f"{problem} ({context})" if context else str(problem)


def _set_in(data: dict[str, Any], key: Key, value: Any) -> None:
    node: Any = data
    for depth, part in enumerate(key[:-1]):
        child = node.get(part) if isinstance(node, dict) else None
        if not isinstance(child, dict):
            if child is not None:
                dotted = ".".join(str(k) for k in key[: depth + 1])
                raise ScenarioError(
                    f"--set {'.'.join(map(str, key))}: {dotted} is not a mapping "
                    f"(it holds {child!r}); set {dotted} itself"
                )
            child = {}
            node[part] = child
        node = child
    last = key[-1]
    if (
        last in DISCRIMINATOR_KEYS
        and node.get(last, DEFAULT_TAGS.get(str(last))) != value
        and node
    ):
        # switching a section to another kind starts it afresh (other kinds have
        # other keys): --set system.mount.type=single_axis gives a default tracker
        node.clear()
    node[last] = value


def _key_paths(value: Any, prefix: Key) -> Iterable[Key]:
    if isinstance(value, Mapping):
        for k, v in value.items():
            yield (*prefix, k)
            yield from _key_paths(v, (*prefix, k))


def _unique(lines: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(lines))
