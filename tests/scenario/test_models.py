"""Validation rules of the site and system sections: one failing case per rule."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from solarcase.scenario.models import Scenario, parse_utc_offset_h

VALID: dict[str, Any] = {
    "schema_version": 1,
    "name": "Test",
    "site": {
        "name": "Birjand",
        "latitude": 32.89,
        "longitude": 59.28,
        "weather": {"file": "w.csv"},
    },
    "system": {
        "dc_capacity_kwp": 1000,
        "dc_ac_ratio": 1.2,
        "mount": {"type": "fixed", "surface_tilt": 30},
        "degradation": {"rate": 0.005, "mode": "linear"},
    },
    "finance": {
        "currency": "IRR",
        "analysis_years": 25,
        "inflation_rate": "40%",
        "discount_rate_real": "5%",
        "capex": {"turnkey": {"per_kwp": 350e6}},
        "revenue": {
            "scheme": "escalating_tariff",
            "price_per_kwh": 38500,
            "escalation_rate": "30%",
        },
    },
}


def _with(path: str, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(VALID)
    node = data
    *parents, last = path.split(".")
    for part in parents:
        node = node[part]
    if value is _DELETE:
        del node[last]
    else:
        node[last] = value
    return data


_DELETE = object()


def _errors(data: dict[str, Any]) -> list[tuple[tuple, str]]:
    with pytest.raises(ValidationError) as err:
        Scenario.model_validate(data)
    return [(e["loc"], e["type"]) for e in err.value.errors(include_url=False)]


def test_the_valid_scenario_validates_and_is_frozen() -> None:
    scenario = Scenario.model_validate(VALID)
    assert scenario.system.ac_kw == pytest.approx(1000 / 1.2)
    assert scenario.site.weather.source == "file"
    with pytest.raises(ValidationError):
        scenario.system.dc_capacity_kwp = 5  # type: ignore[misc]


@pytest.mark.parametrize(
    ("path", "value", "loc", "kind"),
    [
        ("site.latitude", 95, ("site", "latitude"), "less_than_equal"),
        ("site.longitude", -181, ("site", "longitude"), "greater_than_equal"),
        ("site.albedo", 2, ("site", "albedo"), "value_error"),
        ("site.timezone", "Mars/Base", ("site", "timezone"), "value_error"),
        (
            "site.weather",
            {"source": "radio"},
            ("site", "weather"),
            "invalid_weather_source",
        ),
        (
            "site.weather",
            {"file": "w.csv", "max_distance_km": 0},
            ("site", "weather", "file", "max_distance_km"),
            "greater_than",
        ),
        ("system.dc_capacity_kwp", 0, ("system", "dc_capacity_kwp"), "greater_than"),
        ("system.dc_ac_ratio", 5, ("system", "dc_ac_ratio"), "less_than_equal"),
        ("system.ac_capacity_kw", 800, ("system",), "value_error"),
        (
            "system.mount",
            {"type": "fixed", "surface_tilt": 120},
            ("system", "mount", "fixed", "surface_tilt"),
            "less_than_equal",
        ),
        (
            "system.mount",
            {"type": "fixed", "surface_tilt": 30, "surface_azimuth": 360},
            ("system", "mount", "fixed", "surface_azimuth"),
            "less_than",
        ),
        (
            "system.mount",
            {"type": "fixed", "surface_tilt": 30, "gcr": 1.0},
            ("system", "mount", "fixed", "gcr"),
            "less_than",
        ),
        (
            "system.mount",
            {"type": "single_axis", "max_angle": 0},
            ("system", "mount", "single_axis", "max_angle"),
            "greater_than",
        ),
        (
            "system.mount",
            {"type": "carousel"},
            ("system", "mount"),
            "union_tag_invalid",
        ),
        (
            "system.module",
            {"model": "pvwatts", "gamma_pdc": 0.004},
            ("system", "module", "pvwatts", "gamma_pdc"),
            "less_than_equal",
        ),
        (
            "system.module",
            {"model": "cec"},
            ("system", "module", "cec", "name"),
            "missing",
        ),
        (
            "system.inverter",
            {"model": "pvwatts", "eta_inv_nom": 96},
            ("system", "inverter", "pvwatts", "eta_inv_nom"),
            "value_error",
        ),
        (
            "system.losses",
            {"soiling": -0.1},
            ("system", "losses", "soiling"),
            "greater_than_equal",
        ),
        (
            "system.degradation",
            {"rate": 0.005},
            ("system", "degradation", "mode"),
            "missing",
        ),
        (
            "system.degradation",
            {"rate": 0.005, "mode": "exponential"},
            ("system", "degradation", "mode"),
            "literal_error",
        ),
        (
            "system.transposition_model",
            "klucher",
            ("system", "transposition_model"),
            "literal_error",
        ),
        ("schema_version", 2, ("schema_version",), "literal_error"),
        ("name", "", ("name",), "string_too_short"),
        (
            "system.mount.tilt",
            5,
            ("system", "mount", "fixed", "tilt"),
            "extra_forbidden",
        ),
    ],
)
def test_each_rule_rejects_its_bad_value(
    path: str, value: Any, loc: tuple, kind: str
) -> None:
    assert (loc, kind) in _errors(_with(path, value))


def test_neither_ac_size_is_an_error() -> None:
    assert (("system",), "value_error") in _errors(_with("system.dc_ac_ratio", _DELETE))


def test_missing_section_is_reported_by_name() -> None:
    assert (("finance",), "missing") in _errors(_with("finance", _DELETE))


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("+03:30", 3.5),
        ("UTC-05:00", -5.0),
        ("+0545", 5.75),
        (3.5, 3.5),
        ("Asia/Tehran", 3.5),
        ("Europe/Rome", 1.0),
        ("America/New_York", -5.0),
    ],
)
def test_utc_offsets_are_standard_time(text: str | float, hours: float) -> None:
    assert parse_utc_offset_h(text) == hours


def test_default_loss_budget_is_pvwatts_v8s_14_08_percent() -> None:
    from solarcase.energy.simulate import PVWATTS_DEFAULT_LOSSES
    from solarcase.scenario.models import Losses

    defaults = Losses().model_dump()
    # PVWatts v8 defaults: 1 - (0.98)(0.97)(1)(0.98)(0.98)(0.995)(0.985)(0.99)(0.97)
    # = 1 - 0.85924 = 14.08 %
    total = 1.0
    for value in defaults.values():
        total *= 1.0 - value
    assert 1.0 - total == pytest.approx(0.1408, abs=5e-5)
    assert 1.0 - total == pytest.approx(PVWATTS_DEFAULT_LOSSES.total_loss_fraction)


@pytest.mark.parametrize(
    ("latitude", "azimuth"), [(32.9, 180.0), (-33.9, 0.0), (0.0, 180.0)]
)
def test_fixed_arrays_face_the_equator_by_default(
    latitude: float, azimuth: float
) -> None:
    data = _with("site.latitude", latitude)
    assert Scenario.model_validate(data).system.mount.surface_azimuth == azimuth


def test_availability_above_half_is_read_as_a_slip() -> None:
    with pytest.raises(ValidationError, match='write "2%"'):
        Scenario.model_validate(_with("system.losses", {"availability": "98%"}))


@pytest.mark.parametrize(
    ("value", "fragment"),
    [(210, 'quote it: "+03:30"'), (-210, 'quote it: "-03:30"'), (True, "true/false")],
)
def test_timezone_slips_are_explained(value: object, fragment: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(fragment)):
        Scenario.model_validate(_with("site.timezone", value))


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False))
def test_a_percentage_means_the_same_in_fractions_and_risk_numbers(x: float) -> None:
    from pydantic import TypeAdapter

    from solarcase.scenario.risk import Number
    from solarcase.units import parse_fraction, parse_percent

    text = f"{x!r} %"
    assert parse_percent(text) == x / 100.0
    assert parse_fraction(text) == x / 100.0
    assert TypeAdapter(Number).validate_python(text) == x / 100.0
    assert parse_percent(repr(x)) is None  # no "%": not a percentage
