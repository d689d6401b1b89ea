"""The import rules of STYLE.md section 2, checked on the source tree.

The core (energy/, finance/, analysis/, pipeline.py) never imports yaml, typer,
matplotlib, pydantic or requests and never opens files; pvlib is imported only in
energy/simulate.py and the weather edge; numpy_financial only in finance/.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "solarcase"
CORE = [
    *sorted((PACKAGE / "energy").glob("*.py")),
    *sorted((PACKAGE / "finance").glob("*.py")),
    *sorted((PACKAGE / "analysis").glob("*.py")),
    PACKAGE / "pipeline.py",
]
FORBIDDEN_IN_CORE = {"yaml", "typer", "matplotlib", "pydantic", "requests", "rich"}
PVLIB_ALLOWED = {"energy/simulate.py", "energy/shading.py", "weather/"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _calls_open(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id == "open":
                return True
            if isinstance(func, ast.Attribute) and func.attr in {
                "read_text",
                "write_text",
                "read_bytes",
                "write_bytes",
                "to_csv",
                "read_csv",
                "savefig",
            }:
                return True
    return False


@pytest.mark.parametrize("path", CORE, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_core_module_stays_pure(path: Path) -> None:
    assert not (_imports(path) & FORBIDDEN_IN_CORE), _imports(path) & FORBIDDEN_IN_CORE
    assert not _calls_open(path), f"{path} does file I/O"


def test_pvlib_and_numpy_financial_are_imported_only_where_allowed() -> None:
    for path in PACKAGE.rglob("*.py"):
        rel = str(path.relative_to(PACKAGE))
        names = _imports(path)
        if "pvlib" in names:
            assert any(rel.startswith(a) for a in PVLIB_ALLOWED), rel
        if "numpy_financial" in names:
            assert rel.startswith("finance/"), rel


def test_imports_flow_one_way_core_never_imports_the_edges() -> None:
    edges = ("solarcase.cli", "solarcase.report", "solarcase.batch")
    for path in CORE:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith(edges), (path, node.module)
