"""Stacking single-case inputs: the engine on the stack equals the engine per case."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from numpy.testing import assert_allclose

from solarcase.analysis.stacking import case_of, same_inputs, stack_inputs, structure
from solarcase.finance.cashflow import cash_flow
from solarcase.finance.debt import AnnuityLoan
from solarcase.finance.metrics import metrics


def _variants(inputs):
    tariff = inputs.tariff
    return [
        inputs,
        dataclasses.replace(inputs, capex=inputs.capex * 1.1, inflation_rate=0.3),
        dataclasses.replace(
            inputs,
            discount_rate_nominal=0.5,
            tariff=dataclasses.replace(
                tariff,
                official_eur_path=np.asarray(tariff.official_eur_path) * 1.2,
                base_price_per_kwh=30_000.0,
            ),
        ),
    ]


@pytest.mark.filterwarnings("ignore::solarcase.errors.SolarcaseWarning")
def test_stacked_cash_flow_equals_each_case_alone(birjand) -> None:
    result, _, _ = birjand
    items = _variants(result.finance_inputs)
    stacked = stack_inputs(items)
    energy = np.broadcast_to(result.energy_by_year_kwh, (3, 25))
    together = metrics(cash_flow(energy, stacked), stacked)
    for case, item in enumerate(items):
        alone = metrics(cash_flow(energy[:1], item), item)
        assert_allclose(together.npv[case], alone.npv[0], rtol=1e-12)
        assert_allclose(together.project_irr[case], alone.project_irr[0], rtol=1e-10)
        assert_allclose(
            together.lcoe_real_per_kwh[case], alone.lcoe_real_per_kwh[0], rtol=1e-12
        )


def test_fields_equal_in_all_cases_stay_shared(birjand) -> None:
    result, _, _ = birjand
    stacked = stack_inputs(_variants(result.finance_inputs))
    assert np.shape(stacked.capex) == (3,)
    assert stacked.fixed_om_per_year == result.finance_inputs.fixed_om_per_year
    # the EUR path runs over years: one row per case
    assert np.shape(stacked.tariff.official_eur_path) == (3, 26)


def test_case_of_gives_back_each_input(birjand) -> None:
    result, _, _ = birjand
    items = _variants(result.finance_inputs)
    stacked = stack_inputs(items)
    for case, item in enumerate(items):
        assert same_inputs(case_of(stacked, case, 3), item)
    assert not same_inputs(case_of(stacked, 1, 3), items[0])


def test_inputs_of_different_structure_are_not_stacked(birjand) -> None:
    result, _, _ = birjand
    inputs = result.finance_inputs
    loan = AnnuityLoan(capex_fraction=0.5, interest_rate=0.2, tenor_years=5)
    other = dataclasses.replace(inputs, debt=loan)
    assert structure(inputs) != structure(other)
    with pytest.raises(ValueError, match="structure"):
        stack_inputs([inputs, other])
