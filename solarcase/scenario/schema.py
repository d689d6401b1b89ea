"""The JSON Schema of scenario files, for editors' autocompletion and validation.

Point an editor at it with a first line such as
``# yaml-language-server: $schema=../docs/scenario.schema.json``.
"""

from __future__ import annotations

from typing import Any

from solarcase.scenario.models import Scenario


def scenario_json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of a scenario file, ``extends`` included."""
    schema = Scenario.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "solarcase scenario"
    properties = schema.setdefault("properties", {})
    properties["extends"] = {
        "type": "string",
        "description": "Base scenario file to deep-merge under this one; a relative "
        "path resolves against this file.",
    }
    # A variant may state only what differs, so nothing is required by the schema
    # of a single file; the merged scenario is validated by solarcase itself.
    schema.pop("required", None)
    return schema
