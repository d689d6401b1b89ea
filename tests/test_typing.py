"""mypy passes on solarcase/ with the project's configuration (STYLE.md, "Tooling").

The configuration is ``[tool.mypy]`` in pyproject.toml: every module checked, the
flags of ``--strict`` for ``solarcase.scenario`` and ``solarcase.finance``. The cache
goes under ``tmp_path``, so each run starts cold (about 20 s on two cores).
"""

from __future__ import annotations

from pathlib import Path

from mypy import api

REPO = Path(__file__).resolve().parent.parent


def test_mypy_reports_no_errors_in_solarcase(tmp_path: Path) -> None:
    stdout, stderr, status = api.run(
        [
            "--config-file",
            str(REPO / "pyproject.toml"),
            "--cache-dir",
            str(tmp_path / "mypy_cache"),
            str(REPO / "solarcase"),
        ]
    )
    assert status == 0, f"mypy exit status {status}\n{stdout}{stderr}"
    assert stdout.startswith("Success: no issues found"), stdout
