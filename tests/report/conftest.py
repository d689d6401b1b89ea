"""LibreOffice headless as a spreadsheet engine for the workbook tests.

:func:`recalculate` opens workbooks in ``soffice --headless --calc``, recalculates
every formula and saves them as .xlsx again, so openpyxl can read the values
(``data_only=True``). Several files go through one soffice call. LibreOffice runs
with its own user profile under the test's temporary directory (HOME included), set
to recalculate OOXML files on load, so nothing is written outside ``tmp_path`` and
parallel runs do not share a profile.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

INSTALL_HINT = (
    "LibreOffice (soffice) not found: install Debian's libreoffice-calc-nogui "
    "(sudo apt-get install --no-install-recommends libreoffice-calc-nogui) to "
    "recalculate the workbooks"
)

#: LibreOffice setting: recalculate OOXML files on load (0 = always).
_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""

Recalculate = Callable[[Sequence[Path], Path], dict[Path, Path]]


def soffice() -> str | None:
    """The LibreOffice executable, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="session")
def recalculate(tmp_path_factory: pytest.TempPathFactory) -> Recalculate:
    """``recalculate(files, out_dir)``: recalculated copies, by input file.

    Skips the test when LibreOffice is not installed.
    """
    executable = soffice()
    if executable is None:
        pytest.skip(INSTALL_HINT)
    home = tmp_path_factory.mktemp("libreoffice-home")
    profile = home / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(
        _PROFILE, encoding="utf-8"
    )
    env = {**os.environ, "HOME": str(home)}

    def run(files: Sequence[Path], out_dir: Path) -> dict[Path, Path]:
        out_dir.mkdir(parents=True, exist_ok=True)
        command = [
            executable,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--calc",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out_dir),
            *(str(path) for path in files),
        ]
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=900, env=env, check=False
        )
        outputs = {path: out_dir / path.name for path in files}
        missing = [path.name for path, out in outputs.items() if not out.exists()]
        assert done.returncode == 0 and not missing, (
            f"soffice failed (exit {done.returncode}) for {missing}:\n"
            f"{done.stdout}\n{done.stderr}"
        )
        return outputs

    return run
