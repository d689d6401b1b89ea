"""Weather tests never reach the internet and never touch the user's cache.

Every test here runs with ``SOLARCASE_CACHE_DIR`` in its own ``tmp_path``, with
``SOLARCASE_PVGIS_URL`` on a closed loopback port (so a forgotten fetch fails fast
instead of calling PVGIS), and with sockets refusing any host but the loopback.
The ``fake_pvgis`` fixture gives a local PVGIS stand-in (``pvgis_server.py``).
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

CLOSED_URL = "http://127.0.0.1:9/api/v5_3/"  # port 9 (discard): nothing listens


def load_pvgis_server() -> ModuleType:
    """Import ``pvgis_server.py`` beside this file (tests are not a package)."""
    name = "solarcase_tests_pvgis_server"
    if name not in sys.modules:
        path = Path(__file__).with_name("pvgis_server.py")
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture(autouse=True)
def _no_internet_no_user_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SOLARCASE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("SOLARCASE_PVGIS_URL", CLOSED_URL)
    monkeypatch.delenv("SOLARCASE_OFFLINE", raising=False)
    monkeypatch.delenv("SOLARCASE_PVGIS_TIMEOUT_S", raising=False)
    load_pvgis_server().guard_network(monkeypatch)


@pytest.fixture
def pvgis_server() -> ModuleType:
    """The helper module: FakePvgis, Reply, synthesised_hourly_answer, paths."""
    return load_pvgis_server()


@pytest.fixture
def fake_pvgis(pvgis_server: ModuleType) -> Iterator:
    """A running local PVGIS stand-in answering the TMY tool with the real fixture."""
    with pvgis_server.FakePvgis() as server:
        server.replies["tmy"] = pvgis_server.Reply(
            pvgis_server.PVGIS_TMY_JSON.read_bytes()
        )
        yield server
