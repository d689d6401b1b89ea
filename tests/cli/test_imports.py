"""Starting the command line loads no scientific library until a command needs it."""

from __future__ import annotations

import subprocess
import sys

#: Libraries that only the command bodies may import.
HEAVY = ("pandas", "matplotlib", "openpyxl", "pvlib", "scipy", "pydantic", "yaml")

# cli/batch.py is stubbed: it imports the batch machinery at module level (its own
# change is under way); every other command module is imported for real.
_PROBE = """
import sys, types
stub = types.ModuleType("solarcase.cli.batch")
stub.batch = lambda: None
sys.modules["solarcase.cli.batch"] = stub
import solarcase.cli
print(" ".join(sorted(m for m in {heavy!r} if m in sys.modules)))
"""


def test_importing_the_command_line_loads_no_scientific_library() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE.format(heavy=HEAVY)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.split() == []
