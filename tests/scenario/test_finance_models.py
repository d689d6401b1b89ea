"""The scenario's finance section (scenario/finance.py) and its translation
into the engine's inputs (scenario/to_finance.py)."""

from __future__ import annotations

import copy
import re
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from solarcase.errors import SolarcaseWarning
from solarcase.finance.cashflow import cash_flow
from solarcase.finance.metrics import metrics
from solarcase.scenario.errors_text import clean_loc
from solarcase.scenario.finance import Finance
from solarcase.scenario.to_finance import (
    capex_breakdown,
    cash_flow_inputs,
    discount_rate_nominal,
    exchange_rate_paths,
)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "finance.md"
BASE = (
    Path(__file__).resolve().parents[2] / "scenarios" / "base" / "south-khorasan.yaml"
)


def minimal() -> dict[str, Any]:
    return {
        "currency": "IRR",
        "analysis_years": 25,
        "inflation_rate": "40%",
        "discount_rate_nominal": "45%",
        "capex": {"modules": {"per_kwp": 125_000_000}},
        "revenue": {
            "scheme": "escalating_tariff",
            "price_per_kwh": 38_500,
            "escalation_rate": "20%",
            "contract_years": 20,
            "price_after_contract_per_kwh": 60_000,
        },
    }


def full() -> dict[str, Any]:
    data = minimal()
    data.update(
        capex={
            "modules": {"per_kwp": 100.0},
            "inverters": {"per_kw_ac": 50.0},
            "grid_connection": {"amount": 7_000.0},
            "land": {"amount": 3_000.0, "depreciable": False},
        },
        operating_costs={
            "fixed_om": {"per_kwp_year": 2.0, "escalation_rate": "10%"},
            "variable_om": {"per_kwh": 0.01},
            "insurance": {"capex_fraction_per_year": "0.5%"},
            "land_lease": {"per_year": 400.0, "escalation_rate": 0.3},
        },
        debt={
            "type": "annuity",
            "capex_fraction": "70%",
            "interest_rate": "14%",
            "tenor_years": 5,
        },
        tax={
            "rate": "25%",
            "depreciation": {"method": "straight_line", "life_years": 20},
        },
        inverter_replacement={"year": 12, "per_kw_ac": 10.0},
        end_of_life={
            "salvage": {"capex_fraction": "5%"},
            "decommissioning": {"per_kwp": 1.0, "escalation_rate": 0.0},
        },
    )
    return data


def errors_of(data: dict[str, Any]) -> list[tuple[tuple[Any, ...], str]]:
    """(loc, type) of each error; loc without pydantic's union tags (as users see
    it, e.g. ("debt", "tenor_years") rather than ("debt", "annuity", ...))."""
    with pytest.raises(ValidationError) as info:
        Finance.model_validate(data)
    return [
        (clean_loc(Finance, tuple(e["loc"]))[0], e["type"])
        for e in info.value.errors(include_url=False)
    ]


def with_change(path: str, value: Any, base: dict[str, Any] | None = None) -> dict:
    """Copy of ``base`` (default: full()) with the dotted key set (or deleted)."""
    data = copy.deepcopy(full() if base is None else base)
    *parents, last = path.split(".")
    node = data
    for key in parents:
        node = node.setdefault(key, {})
    if value is _DELETE:
        del node[last]
    else:
        node[last] = value
    return data


_DELETE = object()


# --- valid input --------------------------------------------------------------------


def test_minimal_and_full_sections_validate():
    Finance.model_validate(minimal())
    model = Finance.model_validate(full())
    assert model.debt is not None and model.debt.capex_fraction == 0.7


def test_fraction_fields_accept_a_fraction_or_a_percent_string():
    a = Finance.model_validate(with_change("inflation_rate", 0.4))
    b = Finance.model_validate(with_change("inflation_rate", "40%"))
    assert a.inflation_rate == b.inflation_rate == pytest.approx(0.4)


def test_model_is_frozen():
    model = Finance.model_validate(full())
    with pytest.raises(ValidationError):
        model.analysis_years = 10  # type: ignore[misc]


def test_example_block_in_the_docs_validates():
    text = DOCS.read_text(encoding="utf-8")
    marker = text.index("<!-- example-finance-block")
    block = re.search(r"```yaml\n(.*?)```", text[marker:], re.DOTALL)
    assert block is not None
    model = Finance.model_validate(yaml.safe_load(block.group(1))["finance"])
    assert model.revenue.base_price_per_kwh == 38_500
    assert model.revenue.contract_years == 20
    # the block is the finance of the shipped South Khorasan base, value for value
    base = yaml.safe_load(BASE.read_text(encoding="utf-8"))["finance"]
    assert model == Finance.model_validate(base)


def test_every_field_has_a_description_for_editors():
    missing = []

    def walk(model: type[BaseModel]) -> None:
        for name, field in model.model_fields.items():
            if not field.description:
                missing.append(f"{model.__name__}.{name}")
            for arg in _model_args(field.annotation):
                walk(arg)

    walk(Finance)
    assert missing == []


def _model_args(annotation: Any) -> list[type[BaseModel]]:
    found: list[type[BaseModel]] = []
    stack = [annotation]
    while stack:
        item = stack.pop()
        if isinstance(item, type) and issubclass(item, BaseModel):
            found.append(item)
        stack.extend(getattr(item, "__args__", ()))
    return found


def test_json_schema_is_generated():
    schema = Finance.model_json_schema()
    assert "discount_rate_real" in schema["properties"]
    assert schema["properties"]["currency"]["pattern"] == "^[A-Z]{3}$"


# --- one failing case per rule (loc and type, not the English text) -----------------

RULES = [
    # a bare 12 in a fraction field (the classic percent slip)
    ("inflation_rate", 12, ("inflation_rate",), "value_error"),
    # inflation of -100 % makes every deflator infinite
    ("inflation_rate", "-100%", ("inflation_rate",), "greater_than"),
    ("discount_rate_nominal", -1.0, ("discount_rate_nominal",), "greater_than"),
    ("currency", "irr", ("currency",), "string_pattern_mismatch"),
    ("currency", "RIAL", ("currency",), "string_pattern_mismatch"),
    ("analysis_years", 0, ("analysis_years",), "greater_than_equal"),
    ("analysis_years", 51, ("analysis_years",), "less_than_equal"),
    ("analysis_years", 2.5, ("analysis_years",), "int_from_float"),
    ("capex", {}, ("capex",), "too_short"),
    ("capex.modules", {"per_kwp": -1.0}, ("capex", "modules", "per_kwp"),
     "greater_than_equal"),
    ("capex.modules", {"per_kwp": 1.0, "amount": 2.0}, ("capex", "modules"),
     "cost_basis"),
    ("capex.modules", {"depreciable": True}, ("capex", "modules"), "cost_basis"),
    ("capex.modules", {"per_kwh": 1.0}, ("capex", "modules", "per_kwh"),
     "extra_forbidden"),
    ("operating_costs.fixed_om", {"per_kwp_year": 1.0, "per_year": 1.0},
     ("operating_costs", "fixed_om"), "cost_basis"),
    ("operating_costs.variable_om.per_kwh", -0.1,
     ("operating_costs", "variable_om", "per_kwh"), "greater_than_equal"),
    ("operating_costs.insurance.capex_fraction_per_year", 5,
     ("operating_costs", "insurance", "capex_fraction_per_year"), "value_error"),
    ("operating_costs.land_lease.escalation_rate", "150%",
     ("operating_costs", "land_lease", "escalation_rate"), "less_than_equal"),
    ("revenue.scheme", "feed_in", ("revenue",), "union_tag_invalid"),
    ("revenue.escalation_rate", _DELETE, ("revenue", "escalation_rate"), "missing"),
    ("revenue.price_per_kwh", -5, ("revenue", "price_per_kwh"), "greater_than_equal"),
    ("revenue.contract_years", 30, ("revenue",), "contract_too_long"),
    ("revenue.contract_years", 0, ("revenue", "contract_years"), "greater_than_equal"),
    ("revenue.price_after_contract_per_kwh", _DELETE, ("revenue",),
     "price_after_contract_missing"),
    ("debt.type", _DELETE, ("debt",), "union_tag_not_found"),
    ("debt.type", "balloon", ("debt",), "union_tag_invalid"),
    ("debt.capex_fraction", 0, ("debt", "capex_fraction"), "greater_than"),
    ("debt.capex_fraction", "120%", ("debt", "capex_fraction"), "less_than_equal"),
    ("debt.interest_rate", "-2%", ("debt", "interest_rate"), "greater_than_equal"),
    ("debt.tenor_years", 30, ("debt",), "tenor_too_long"),
    ("tax.rate", "130%", ("tax", "rate"), "less_than_equal"),
    ("tax.depreciation", _DELETE, ("tax", "depreciation"), "missing"),
    ("tax.depreciation.method", "sum_of_years_digits",
     ("tax", "depreciation"), "union_tag_invalid"),
    ("tax.depreciation.life_years", 0,
     ("tax", "depreciation", "life_years"), "greater_than_equal"),
    ("inverter_replacement.year", 26, ("inverter_replacement",),
     "replacement_year_out_of_range"),
    ("inverter_replacement.year", 0, ("inverter_replacement", "year"),
     "greater_than_equal"),
    ("inverter_replacement.amount", 5.0, ("inverter_replacement",), "cost_basis"),
    ("end_of_life.salvage", {"amount": 1.0, "capex_fraction": 0.1},
     ("end_of_life", "salvage"), "cost_basis"),
    ("end_of_life.decommissioning.per_kwp", -1.0,
     ("end_of_life", "decommissioning", "per_kwp"), "greater_than_equal"),
    ("npv", 3, ("npv",), "extra_forbidden"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("path", "value", "loc", "kind"), RULES, ids=[f"{r[0]}={r[1]!r}" for r in RULES]
)
def test_each_rule_rejects_its_failing_case(path, value, loc, kind):
    assert (loc, kind) in errors_of(with_change(path, value))


def test_both_discount_rates_is_an_error():
    data = with_change("discount_rate_real", "5%")
    assert errors_of(data) == [((), "discount_rate_choice")]


def test_neither_discount_rate_is_an_error():
    data = with_change("discount_rate_nominal", _DELETE)
    assert errors_of(data) == [((), "discount_rate_choice")]


def test_rule_messages_name_the_key_and_the_fix():
    with pytest.raises(ValidationError) as info:
        Finance.model_validate(with_change("debt.tenor_years", 30))
    message = info.value.errors(include_url=False)[0]["msg"]
    assert "debt.tenor_years 30" in message and "analysis_years 25" in message


# --- translation into the engine's inputs --------------------------------------------


def test_costs_per_kwp_and_per_kw_become_amounts():
    model = Finance.model_validate(full())
    items = capex_breakdown(model, dc_capacity_kwp=1000.0, ac_capacity_kw=800.0)
    # modules 100 x 1000 kWp; inverters 50 x 800 kW; lump sums as given
    assert items == {
        "modules": 100_000.0,
        "inverters": 40_000.0,
        "grid_connection": 7_000.0,
        "land": 3_000.0,
    }
    inputs = cash_flow_inputs(model, dc_capacity_kwp=1000.0, ac_capacity_kw=800.0)
    assert inputs.capex == 150_000.0  # 100,000 + 40,000 + 7,000 + 3,000
    # land is not depreciable: 147,000 / 150,000 = 0.98
    assert inputs.depreciation is not None
    assert inputs.depreciation.basis_fraction == pytest.approx(0.98)
    assert inputs.fixed_om_per_year == 2_000.0  # 2 per kWp-year x 1000 kWp
    assert inputs.replacement_cost == 8_000.0  # 10 per kW AC x 800 kW
    assert inputs.salvage_value == pytest.approx(7_500.0)  # 5 % of 150,000
    assert inputs.decommissioning_cost == 1_000.0  # 1 per kWp x 1000 kWp
    assert inputs.land_lease_per_year == 400.0
    assert inputs.insurance_rate == pytest.approx(0.005)


def test_escalations_left_out_default_to_inflation():
    inputs = cash_flow_inputs(
        Finance.model_validate(full()), dc_capacity_kwp=1.0, ac_capacity_kw=1.0
    )
    assert inputs.fixed_om_escalation_rate == pytest.approx(0.10)  # stated
    assert inputs.land_lease_escalation_rate == pytest.approx(0.30)  # stated
    assert inputs.decommissioning_escalation_rate == 0.0  # stated
    for name in (
        "variable_om_escalation_rate",
        "insurance_escalation_rate",
        "replacement_escalation_rate",
        "salvage_escalation_rate",
    ):
        assert getattr(inputs, name) == pytest.approx(0.40), name
    assert inputs.tariff.escalation_after_contract_rate == pytest.approx(0.40)


def test_real_discount_rate_becomes_nominal_by_fisher():
    data = with_change("discount_rate_nominal", _DELETE)
    data["discount_rate_real"] = "5%"
    # (1 + 0.05)(1 + 0.40) - 1 = 0.47
    assert discount_rate_nominal(Finance.model_validate(data)) == pytest.approx(0.47)


def test_no_tax_and_no_debt_sections_mean_none():
    inputs = cash_flow_inputs(
        Finance.model_validate(minimal()), dc_capacity_kwp=1.0, ac_capacity_kw=1.0
    )
    assert inputs.debt is None and inputs.depreciation is None
    assert inputs.tax_rate == 0.0


def test_capacities_must_be_positive():
    with pytest.raises(ValueError, match="must be > 0"):
        cash_flow_inputs(
            Finance.model_validate(minimal()), dc_capacity_kwp=0.0, ac_capacity_kw=1.0
        )


@settings(max_examples=40, deadline=None)
# kept so that the nominal rate (1 + r)(1 + i) - 1 stays within a Rate's 100 %
@given(real=st.floats(-0.05, 0.25), inflation=st.floats(0.0, 0.55))
def test_real_and_nominal_scenarios_give_the_same_npv(real, inflation):
    as_real = with_change("discount_rate_nominal", _DELETE)
    as_real["discount_rate_real"] = real
    as_real["inflation_rate"] = inflation
    as_nominal = copy.deepcopy(as_real)
    del as_nominal["discount_rate_real"]
    as_nominal["discount_rate_nominal"] = (1 + real) * (1 + inflation) - 1
    energy = np.full((1, 25), 1_800_000.0)
    results = []
    for data in (as_real, as_nominal):
        inputs = cash_flow_inputs(
            Finance.model_validate(data), dc_capacity_kwp=1000.0, ac_capacity_kw=800.0
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SolarcaseWarning)
            results.append(metrics(cash_flow(energy, inputs), inputs))
    assert results[0].npv[0] == pytest.approx(results[1].npv[0], rel=1e-9)


# --- issue 3: currencies, revenue schemes, debt, tax, costs --------------------------

GP = {
    "scheme": "guaranteed_purchase",
    "base_price_per_kwh": 38_500,
    "alpha": "30%",
    "step_downs": {8: 0.6, 12: 0.6, 16: 0.6},
    "step_down_mode": "absolute",
    "contract_years": 20,
    "price_after_contract_per_kwh": 60_000,
}
SELF = {
    "scheme": "self_consumption",
    "load": {"annual_consumption_kwh": 1_500_000, "profile": "office"},
    "purchase_price_per_kwh": 43_000,
    "export_price_per_kwh": 20_000,
    "obligation": {
        "first_share": "15%",
        "yearly_step": "5%",
        "max_share": "20%",
        "penalty_price_per_kwh": 43_000,
    },
}
USD_PATH = {"start_rate": 1_050_000, "escalation_rate": "41%"}
EUR_PATH = {"start_rate": 1_220_000, "escalation_rate": "41%"}


def money() -> dict[str, Any]:
    """full() with exchange rates, a guaranteed purchase and the new sections."""
    data = full()
    data["exchange_rates"] = {"USD": dict(USD_PATH), "EUR": dict(EUR_PATH)}
    data["reference_currency"] = "USD"
    data["capex"]["modules"] = {"per_kwp": 410, "currency": "USD"}
    data["revenue"] = copy.deepcopy(GP)
    data["late_payment"] = {"share": "30%", "delay_years": 2}
    data["grants"] = {"province": {"amount": 1_000.0}}
    data["in_kind"] = {"land": {"per_year": 100.0}}
    data["module_replacement"] = {"capex_item": "modules", "fraction_per_year": 0.005}
    return data


def test_new_sections_validate():
    model = Finance.model_validate(money())
    assert model.revenue.scheme == "guaranteed_purchase"
    assert model.revenue.alpha == pytest.approx(0.3)
    self_use = with_change("revenue", copy.deepcopy(SELF), money())
    assert Finance.model_validate(self_use).revenue.load.profile == "office"
    market = with_change("revenue", {"scheme": "market", "price_per_kwh": 60_000},
                         money())  # fmt: skip
    assert Finance.model_validate(market).revenue.scheme == "market"
    sculpted = with_change(
        "debt",
        {"type": "sculpted", "target_dscr": 1.3, "max_gearing": "70%",
         "interest_rate": "23%", "tenor_years": 8, "grace_years": 1},
        money(),
    )  # fmt: skip
    assert Finance.model_validate(sculpted).debt.type == "sculpted"


def test_time_of_day_periods_give_24_coefficients():
    periods = [
        {"start_hour": 23, "end_hour": 7, "coefficient": 0.5},
        {"start_hour": 7, "end_hour": 19, "coefficient": 1.0},
        {"start_hour": 19, "end_hour": 23, "coefficient": 1.5},
    ]
    data = with_change("revenue.time_of_day", {"periods": periods}, money())
    table = Finance.model_validate(data).revenue.time_of_day.by_hour()
    assert table == [0.5] * 7 + [1.0] * 12 + [1.5] * 4 + [0.5]


def test_load_file_is_read_at_validation(tmp_path):
    path = tmp_path / "load.csv"
    path.write_text("kwh\n" + "\n".join(["12.5"] * 8760) + "\n")
    load = {"profile": "file", "file": str(path), "annual_consumption_kwh": 1e5}
    data = with_change("revenue", {**SELF, "load": load}, money())
    model = Finance.model_validate(data)
    assert len(model.revenue.load.hourly_kwh) == 8760
    assert model.revenue.load.hourly_kwh[0] == 12.5


def test_a_load_file_is_read_once_per_version_of_it(tmp_path, monkeypatch):
    path = tmp_path / "load.csv"
    path.write_text("kwh\n" + "1.5\n" * 8760)
    reads = []
    read_text = Path.read_text

    def counted(self, *args, **kwargs):
        if self.name == "load.csv":
            reads.append(self)
        return read_text(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", counted)
    data = with_change(
        "revenue", {**SELF, "load": {"profile": "file", "file": str(path)}}, money()
    )
    for _ in range(3):  # a batch or a sensitivity validates the scenario again
        assert Finance.model_validate(data).revenue.load.hourly_kwh[0] == 1.5
    assert len(reads) == 1
    path.write_text("kwh\n" + "2.25\n" * 8760)  # edited: read again
    assert Finance.model_validate(data).revenue.load.hourly_kwh[-1] == 2.25
    assert len(reads) == 2


def test_a_missing_load_file_says_where_relative_paths_start(tmp_path):
    load = {"profile": "file", "file": str(tmp_path / "gone.csv")}
    data = with_change("revenue", {**SELF, "load": load}, money())
    with pytest.raises(ValidationError) as info:
        Finance.model_validate(data)
    (error,) = info.value.errors(include_url=False)
    assert error["type"] == "load_file_unreadable"
    assert "gone.csv" in error["msg"]
    assert "folder of the scenario file" in error["msg"]


def test_load_file_errors_name_the_file_and_line(tmp_path):
    path = tmp_path / "short.csv"
    path.write_text("1\n2\nthree\n")
    load = {"profile": "file", "file": str(path)}
    data = with_change("revenue", {**SELF, "load": load}, money())
    with pytest.raises(ValidationError) as info:
        Finance.model_validate(data)
    message = info.value.errors(include_url=False)[0]["msg"]
    assert "short.csv line 3" in message and "'three'" in message
    path.write_text("1\n" * 100)
    with pytest.raises(ValidationError, match="100 hourly values, expected 8760"):
        Finance.model_validate(data)


def _money_rules() -> list[tuple[str, Any, tuple[Any, ...], str]]:
    return [
        ("exchange_rates.USD", {"start_rate": 1.0}, ("exchange_rates", "USD"),
         "fx_path_form"),
        ("exchange_rates.USD", {"values": [1.0, 2.0]}, ("exchange_rates",),
         "fx_path_short"),
        ("exchange_rates.CNY", {"start_rate": 1.0, "escalation_rate": 0.0},
         ("exchange_rates",), "fx_inflation_missing"),
        ("exchange_rates.IRR", dict(USD_PATH), ("exchange_rates",),
         "fx_for_model_currency"),
        ("capex.inverters.currency", "GBP", ("capex",), "unknown_currency"),
        ("capex.inverters.currency", "usd", ("capex", "inverters", "currency"),
         "string_pattern_mismatch"),
        ("operating_costs.fixed_om.currency", "GBP", ("operating_costs",),
         "unknown_currency"),
        ("reference_currency", "GBP", ("reference_currency",),
         "reference_without_path"),
        ("currency", "IRT", ("currency",), "toman_model_currency"),
        ("revenue.alpha", "50%", ("revenue", "alpha"), "less_than_equal"),
        ("revenue.alpha", 0.1, ("revenue", "alpha"), "greater_than_equal"),
        ("revenue.step_down_mode", _DELETE, ("revenue",), "step_down_mode_missing"),
        ("revenue.step_downs", {0: 0.5}, ("revenue",), "step_down_year"),
        ("revenue.step_downs", {8: 1.5}, ("revenue", "step_downs", 8),
         "value_error"),  # a bare 1.5 is the percent slip: "1.5%" or 0.015
        ("revenue.step_downs", {8: 0}, ("revenue", "step_downs", 8),
         "greater_than"),
        ("exchange_rates.EUR", _DELETE, ("revenue",), "eur_path_missing"),
        ("revenue.official_eur_rate", {"values": [1.0, 2.0]}, ("revenue",),
         "fx_path_short"),
        ("revenue.time_of_day", {"periods": [{"start_hour": 0, "end_hour": 12,
                                              "coefficient": 1.0}]},
         ("revenue", "time_of_day"), "periods_cover"),
        ("revenue.time_of_day", {"coefficients": [1.0] * 23},
         ("revenue", "time_of_day", "coefficients"), "too_short"),
        ("revenue.contract_years", 30, ("revenue",), "contract_too_long"),
        ("late_payment.share", 30, ("late_payment", "share"), "value_error"),
        ("late_payment.delay_years", 0, ("late_payment", "delay_years"),
         "greater_than_equal"),
        ("late_payment.unpaid_at_end", "forgiven", ("late_payment", "unpaid_at_end"),
         "literal_error"),
        ("debt.grace_years", 21, ("debt", "grace_years"), "less_than_equal"),
        ("debt", {"type": "equal_principal", "capex_fraction": 0.5,
                  "interest_rate": 0.1, "tenor_years": 24, "grace_years": 2},
         ("debt",), "tenor_too_long"),
        ("debt.upfront_fee", 2, ("debt", "upfront_fee"), "value_error"),
        ("tax.loss_expiry_years", 5, ("tax",), "expiry_without_carry"),
        ("tax.depreciation", {"method": "declining_balance", "life_years": 10,
                              "factor": 5}, ("tax", "depreciation", "factor"),
         "less_than_equal"),
        ("tax.holiday_years", -1, ("tax", "holiday_years"), "greater_than_equal"),
        ("module_replacement.capex_item", "panels", ("module_replacement",),
         "unknown_capex_item"),
        ("module_replacement.years", [30], ("module_replacement",),
         "replacement_year_out_of_range"),
        ("end_of_life.salvage", {"capex_fraction": 0.05, "currency": "USD"},
         ("end_of_life", "salvage"), "currency_with_fraction"),
        ("in_kind.land", {"per_year": 1.0, "amount": 2.0}, ("in_kind", "land"),
         "cost_basis"),
        ("grants.province.amount", -1, ("grants", "province", "amount"),
         "greater_than_equal"),
        ("targets.min_dscr", 0, ("targets", "min_dscr"), "greater_than"),
    ]  # fmt: skip


MONEY_RULES = _money_rules()


@pytest.mark.parametrize(
    ("path", "value", "loc", "kind"),
    MONEY_RULES,
    ids=[f"{r[0]}={r[1]!r}"[:60] for r in MONEY_RULES],
)
def test_each_money_rule_rejects_its_failing_case(path, value, loc, kind):
    assert (loc, kind) in errors_of(with_change(path, value, money()))


@pytest.mark.parametrize(
    ("path", "value", "loc", "kind"),
    [
        ("revenue.load", {"profile": "file"}, ("revenue", "load"), "load_file"),
        ("revenue.load", {"profile": "flat"}, ("revenue", "load"),
         "load_total_missing"),
        ("revenue.load", {"profile": "file", "file": "/no/such/load.csv"},
         ("revenue", "load"), "load_file_unreadable"),
        ("revenue.obligation.max_share", 2, ("revenue", "obligation", "max_share"),
         "value_error"),
    ],
)  # fmt: skip
def test_each_self_consumption_rule_rejects_its_failing_case(path, value, loc, kind):
    base = with_change("revenue", copy.deepcopy(SELF), money())
    assert (loc, kind) in errors_of(with_change(path, value, base))


def test_sculpted_debt_rules():
    sculpted = {"type": "sculpted", "target_dscr": 0, "max_gearing": "70%",
                "interest_rate": "23%", "tenor_years": 8}  # fmt: skip
    assert (("debt", "target_dscr"), "greater_than") in errors_of(
        with_change("debt", sculpted, money())
    )
    del sculpted["max_gearing"]
    assert (("debt", "max_gearing"), "missing") in errors_of(
        with_change("debt", sculpted, money())
    )


def test_unknown_currency_message_names_the_item_and_the_fix():
    with pytest.raises(ValidationError) as info:
        Finance.model_validate(with_change("capex.inverters.currency", "GBP", money()))
    message = info.value.errors(include_url=False)[0]["msg"]
    assert "capex.inverters.currency GBP" in message
    assert "finance.exchange_rates.GBP" in message


def test_exchange_rate_translation_and_toman_capex():
    data = money()
    data["capex"]["inverters"] = {"per_kw_ac": 5_000_000, "currency": "IRT"}
    model = Finance.model_validate(data)
    items = capex_breakdown(model, dc_capacity_kwp=1000.0, ac_capacity_kw=800.0)
    # modules 410 USD/kWp x 1000 x 1,050,000; inverters 5 million toman/kW x 800 kW
    # = 50 million rials/kW x 800
    assert items["modules"] == pytest.approx(410 * 1000 * 1_050_000)
    assert items["inverters"] == pytest.approx(50_000_000 * 800)


BIRJAND = BASE.parents[1] / "birjand-1mw.yaml"


def test_loader_messages_name_file_line_key_and_fix(tmp_path):
    from solarcase.errors import ScenarioError
    from solarcase.scenario.load import load_scenario

    path = tmp_path / "variant.yaml"
    path.write_text(
        f"extends: {BIRJAND}\n"
        "name: bad\n"
        "finance:\n"
        "  capex:\n"
        "    equipment: {per_kwp: 410, currency: GBP}\n"
        "  revenue:\n"
        "    alpha: 0.5\n"
    )
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    text = str(info.value)
    # the line of the section; the message names the item
    assert "variant.yaml:4: finance.capex: capex.equipment.currency GBP" in text
    assert "add finance.exchange_rates.GBP" in text
    assert "variant.yaml:7: finance.revenue.alpha: must be <= 0.3, got 0.5" in text


def test_a_variant_replaces_a_base_rate_path_by_values_with_nulls(tmp_path):
    from solarcase.scenario.load import load_scenario

    path = tmp_path / "variant.yaml"
    path.write_text(
        f"extends: {BIRJAND}\n"
        "name: own dollar path\n"
        "finance:\n"
        "  analysis_years: 3\n"
        "  revenue: {contract_years: 3}\n"
        "  inverter_replacement: {year: 2}\n"
        "  exchange_rates:\n"
        "    USD: {start_rate: null, escalation_rate: null,\n"
        "          values: [720000, 1000000, 1400000, 2000000]}\n"
    )
    finance = load_scenario(path).finance
    assert exchange_rate_paths(finance)["USD"].tolist() == [
        720_000,
        1_000_000,
        1_400_000,
        2_000_000,
    ]
