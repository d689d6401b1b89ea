"""``solarcase schema``: the JSON Schema of a scenario file, for editors."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from solarcase.atomic import write_text_atomically
from solarcase.cli.common import user_errors


@user_errors
def schema(
    out: Annotated[
        Path | None, typer.Option("--out", help="Write to this file, not stdout.")
    ] = None,
) -> None:
    """Print the JSON Schema of scenario files (for editor autocompletion)."""
    from solarcase.scenario.schema import scenario_json_schema

    text = json.dumps(scenario_json_schema(), indent=2, ensure_ascii=False) + "\n"
    if out is None:
        sys.stdout.write(text)
    else:
        write_text_atomically(out, text)
