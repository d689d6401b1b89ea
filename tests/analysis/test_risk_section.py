"""The scenario's risk section: one failing case per rule (loc and type)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from solarcase.scenario.risk import Risk

DIST = {"type": "uniform", "low": 0.3, "high": 0.5}


def _errors(data):
    with pytest.raises(ValidationError) as info:
        Risk.model_validate(data)
    return [(e["loc"], e["type"]) for e in info.value.errors(include_url=False)]


def test_a_complete_section_reads_percentages() -> None:
    risk = Risk.model_validate(
        {
            "energy": {"model_uncertainty": "6%", "interannual_variability": "2.5%"},
            "variables": {
                "inflation": {
                    "keys": ["finance.inflation_rate"],
                    "distribution": {"type": "normal", "mean": "40%", "sd": "6%"},
                },
                "fx": {
                    "keys": ["finance.exchange_rates.USD.escalation_rate"],
                    "distribution": DIST,
                },
            },
            "correlations": [["inflation", "fx", 0.7]],
        }
    )
    assert risk.energy.model_uncertainty == 0.06
    assert risk.variables["inflation"].distribution.mean == 0.4
    assert risk.px == [90.0, 50.0, 10.0]


@pytest.mark.parametrize(
    ("data", "loc", "kind"),
    [
        (
            {"energy": {"model_uncertainty": 5}},
            ("energy", "model_uncertainty"),
            "value_error",
        ),
        (
            {"variables": {"a": {"keys": ["finance..x"], "distribution": DIST}}},
            ("variables", "a", "keys", 0),
            "value_error",
        ),
        (
            {"variables": {"a": {"keys": [], "distribution": DIST}}},
            ("variables", "a", "keys"),
            "too_short",
        ),
        (
            {"variables": {"a": {"keys": ["x.y"], "distribution": {"type": "beta"}}}},
            ("variables", "a", "distribution"),
            "union_tag_invalid",
        ),
        (
            {
                "variables": {
                    "a": {
                        "keys": ["x.y"],
                        "distribution": {
                            "type": "triangular",
                            "low": 1,
                            "mode": 0,
                            "high": 2,
                        },
                    }
                }
            },
            ("variables", "a", "distribution", "triangular"),
            "value_error",
        ),
        (
            {
                "variables": {
                    "a": {
                        "keys": ["x.y"],
                        "distribution": {
                            "type": "discrete",
                            "values": [1, 2],
                            "probabilities": [0.5, 0.6],
                        },
                    }
                }
            },
            ("variables", "a", "distribution", "discrete"),
            "value_error",
        ),
        (
            {
                "variables": {
                    "a": {
                        "keys": ["x.y"],
                        "distribution": {"type": "lognormal", "mean": 0, "sd": 1},
                    }
                }
            },
            ("variables", "a", "distribution", "lognormal", "mean"),
            "greater_than",
        ),
        ({"correlations": [["a", "b", 0.5]]}, (), "value_error"),
        (
            {
                "variables": {"a": {"keys": ["x.y"], "distribution": DIST}},
                "correlations": [["a", "a", 0.5]],
            },
            (),
            "value_error",
        ),
        (
            {"correlations": [["a", "b", 1.5]]},
            ("correlations", 0, 2),
            "less_than_equal",
        ),
        ({"px": [100]}, ("px", 0), "less_than"),
        ({"draws": 0}, ("draws",), "greater_than_equal"),
        (
            {"energy": {"weather_years": "yes"}},
            ("energy", "weather_years"),
            "literal_error",
        ),
        (
            {
                "variables": {
                    "a": {"keys": ["x.y"], "apply": "scale", "distribution": DIST}
                }
            },
            ("variables", "a", "apply"),
            "literal_error",
        ),
    ],
)
def test_each_rule_fails_on_its_own(data, loc, kind) -> None:
    assert (loc, kind) in _errors(data)
