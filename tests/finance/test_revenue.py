"""Revenue schemes, their streams and late payment (finance/tariff.py, revenue.py).

Each scheme has a 3-year toy case computed by hand in the comments.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from solarcase.errors import FinanceError
from solarcase.finance.cashflow import (
    CashFlowInputs,
    StraightLineDepreciation,
    cash_flow,
)
from solarcase.finance.revenue import LatePayment, collections, revenue_streams
from solarcase.finance.tariff import (
    EscalatingTariff,
    GuaranteedPurchase,
    MarketSale,
    RenewableObligation,
    SelfConsumption,
    indexation_coefficient,
    step_down_factors,
)

ENERGY = np.array([[1000.0, 1000.0, 1000.0]])
ENERGY_ROW = np.array([[0.0, 1000.0, 1000.0, 1000.0]])
EUR = [100.0, 150.0, 225.0, 337.5]  # official EUR rate, +50 %/year


def inputs(scheme, **changes) -> CashFlowInputs:
    """A plant with no costs and no tax: project flows are the revenue."""
    values = {
        "analysis_years": 3,
        "capex": 10_000.0,
        "tariff": scheme,
        "discount_rate_nominal": 0.1,
        "inflation_rate": 0.4,
    }
    values.update(changes)
    return CashFlowInputs(**values)


# --- guaranteed purchase --------------------------------------------------------------


def test_guaranteed_purchase_toy_case():
    # base 10/kWh; alpha 0.3 weights CPI (+40 %/year), 0.7 the EUR rate (+50 %):
    # K1 = 1; K2 = 0.3 x 1.4 + 0.7 x 1.5 = 1.47; K3 = 0.3 x 1.96 + 0.7 x 2.25 = 2.163
    # step-down 0.6 from contract year 3: prices 10, 14.7, 21.63 x 0.6 = 12.978
    # time-of-day factor 1.1: sales 1000 x 1.1 x price = 11,000, 16,170, 14,275.8
    scheme = GuaranteedPurchase(
        10.0,
        0.3,
        EUR,
        0.4,
        step_down_years=(3,),
        step_down_factors=(0.6,),
        time_of_day_factor=1.1,
    )
    table = cash_flow(ENERGY, inputs(scheme))
    assert_allclose(table.price_per_kwh[0], [0, 10, 14.7, 12.978], rtol=1e-12)
    assert_allclose(table.sales_contract[0], [0, 11_000, 16_170, 14_275.8], rtol=1e-12)
    assert_allclose(table.revenue, table.sales_contract, rtol=0)
    assert (table.sales_after_contract == 0).all()
    assert_allclose(table.project_fcf[0], [-10_000, 11_000, 16_170, 14_275.8])


def test_alpha_can_weight_the_eur_term_instead():
    # K2 = 0.7 x 1.4 + 0.3 x 1.5 = 0.98 + 0.45 = 1.43
    # K3 = 0.7 x 1.96 + 0.3 x 2.25 = 1.372 + 0.675 = 2.047
    k = indexation_coefficient(
        0.3, cpi_inflation_rate=0.4, official_eur_path=EUR, alpha_weights="eur",
        n_years=3,
    )  # fmt: skip
    assert_allclose(k, [[0, 1.0, 1.43, 2.047]], rtol=1e-12)


def test_step_downs_cumulative_or_absolute():
    # steps at contract years 2 (0.8) and 3 (0.6)
    # cumulative: 1, 0.8, 0.8 x 0.6 = 0.48; absolute: 1, 0.8, 0.6
    cumulative = step_down_factors((2, 3), (0.8, 0.6), mode="cumulative", n_years=3)
    absolute = step_down_factors((2, 3), (0.8, 0.6), mode="absolute", n_years=3)
    assert_allclose(cumulative, [[1, 1, 0.8, 0.48]], rtol=1e-15)
    assert_allclose(absolute, [[1, 1, 0.8, 0.6]], rtol=1e-15)


def test_guaranteed_purchase_after_the_contract():
    # 2-year contract; then 8/kWh at year-1 prices escalating 25 %: year 3 =
    # 8 x 1.25^2 = 12.5; the time-of-day factor does not apply after the contract
    scheme = GuaranteedPurchase(
        10.0,
        0.3,
        EUR,
        0.4,
        contract_years=2,
        price_after_contract_per_kwh=8.0,
        escalation_after_contract_rate=0.25,
        time_of_day_factor=1.1,
    )
    table = cash_flow(ENERGY, inputs(scheme))
    assert_allclose(table.sales_contract[0], [0, 11_000, 16_170, 0], rtol=1e-12)
    assert_allclose(table.sales_after_contract[0], [0, 0, 0, 12_500], rtol=1e-12)
    assert_allclose(table.price_per_kwh[0], [0, 10, 14.7, 12.5], rtol=1e-12)


def test_flat_official_rate_and_no_inflation_keep_the_base_price():
    scheme = GuaranteedPurchase(38_500.0, 0.15, [7.0] * 4, 0.0)
    table = cash_flow(ENERGY, inputs(scheme))
    assert_allclose(table.price_per_kwh[0, 1:], 38_500.0, rtol=1e-15)


@settings(max_examples=50, deadline=None)
@given(
    alpha=st.floats(0.15, 0.30),
    inflation=st.floats(0.0, 0.6),
    growth=st.floats(-0.2, 0.8),
)
def test_coefficient_is_the_weighted_blend_of_the_two_indices(alpha, inflation, growth):
    eur = 100.0 * (1 + growth) ** np.arange(11)
    k = indexation_coefficient(
        alpha, cpi_inflation_rate=inflation, official_eur_path=eur, n_years=10
    )[0, 1:]
    t = np.arange(1, 11)
    blend = alpha * (1 + inflation) ** (t - 1) + (1 - alpha) * (1 + growth) ** (t - 1)
    assert_allclose(k, blend, rtol=1e-12)
    # the blend lies between the two indices
    low = np.minimum((1 + inflation) ** (t - 1), (1 + growth) ** (t - 1))
    high = np.maximum((1 + inflation) ** (t - 1), (1 + growth) ** (t - 1))
    assert (k >= low * (1 - 1e-12)).all() and (k <= high * (1 + 1e-12)).all()


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"step_down_years": (8,), "step_down_factors": ()}, "one factor per"),
        ({"step_down_years": (12, 8), "step_down_factors": (0.6, 0.6)}, "ascending"),
        ({"alpha_weights": "usd"}, "alpha_weights"),
        ({"step_down_mode": "linear"}, "step_down_mode"),
    ],
)
def test_guaranteed_purchase_rejects_bad_settings(changes, match):
    with pytest.raises(FinanceError, match=match):
        GuaranteedPurchase(1.0, 0.2, EUR, 0.1, **changes)


def test_official_eur_path_of_the_wrong_length_is_an_error():
    with pytest.raises(FinanceError, match="one value for each year 0..3"):
        cash_flow(ENERGY, inputs(GuaranteedPurchase(1.0, 0.2, [1.0, 2.0], 0.1)))


# --- market sale ----------------------------------------------------------------------


def test_market_sale_toy_case():
    # 5/kWh escalating 20 %: 5, 6, 7.2 -> 5,000, 6,000, 7,200
    table = cash_flow(ENERGY, inputs(MarketSale(5.0, 0.2)))
    assert_allclose(table.sales_market[0], [0, 5_000, 6_000, 7_200], rtol=1e-12)
    assert_allclose(table.price_per_kwh[0], [0, 5, 6, 7.2], rtol=1e-12)
    assert_allclose(table.revenue, table.sales_market, rtol=0)


def test_market_price_in_a_foreign_currency_converts_year_by_year():
    # USD 0.05/kWh escalating 2 % in dollars, at 100, 140, 196, 274.4 per dollar:
    # year 1: 0.05 x 140 = 7; year 2: 0.051 x 196 = 9.996; year 3: 0.05202 x
    # 274.4 = 14.274288 (per kWh), times 1000 kWh
    fx = np.array([100.0, 140.0, 196.0, 274.4])
    table = cash_flow(ENERGY, inputs(MarketSale(0.05, 0.02, fx=fx)))
    assert_allclose(table.sales_market[0], [0, 7_000, 9_996, 14_274.288], rtol=1e-12)


# --- self-consumption -----------------------------------------------------------------


def test_self_consumption_toy_case():
    # shares used on site 50, 60, 70 % of 1000 kWh: 500, 600, 700 kWh used, 500,
    # 400, 300 exported. Purchase tariff 10 +10 %: 10, 11, 12.1 -> savings 5,000,
    # 6,600, 8,470. Export at 4 flat: 2,000, 1,600, 1,200.
    # Obligation 5 % rising 5 points to 10 % of 15,000 kWh: 750, 1,500, 1,500 kWh;
    # the plant covers min(obligation, 1000 kWh) = 750, 1000, 1000 at a penalty of
    # 20/kWh: 15,000, 20,000, 20,000 avoided
    scheme = SelfConsumption(
        self_consumed_fraction=[0.5, 0.6, 0.7],
        purchase_price_per_kwh=10.0,
        purchase_escalation_rate=0.1,
        export_price_per_kwh=4.0,
        export_escalation_rate=0.0,
        obligation=RenewableObligation(15_000.0, 0.05, 0.05, 0.10, 20.0, 0.0),
    )
    table = cash_flow(ENERGY, inputs(scheme))
    assert_allclose(table.self_consumed_kwh[0], [0, 500, 600, 700], rtol=1e-12)
    assert_allclose(table.exported_kwh[0], [0, 500, 400, 300], rtol=1e-12)
    assert_allclose(table.savings_purchases[0], [0, 5_000, 6_600, 8_470], rtol=1e-12)
    assert_allclose(table.sales_export[0], [0, 2_000, 1_600, 1_200], rtol=1e-12)
    assert_allclose(
        table.savings_obligation[0], [0, 15_000, 20_000, 20_000], rtol=1e-12
    )
    # revenue: 22,000; 28,200; 29,670
    assert_allclose(table.revenue[0], [0, 22_000, 28_200, 29_670], rtol=1e-12)
    assert_allclose(table.price_per_kwh[0], [0, 10, 11, 12.1], rtol=1e-12)


def test_self_consumption_share_outside_zero_one_is_an_error():
    scheme = SelfConsumption([0.5, 1.5, 0.5], 10.0, 0.0)
    with pytest.raises(FinanceError, match="self_consumed_fraction"):
        cash_flow(ENERGY, inputs(scheme))


def test_price_factor_scales_only_the_main_price():
    # self-consumption: the factor moves the avoided purchases, not the export
    scheme = SelfConsumption([0.5, 0.5, 0.5], 10.0, 0.0, 4.0, 0.0)
    base = revenue_streams(scheme, ENERGY_ROW, n_years=3)
    doubled = revenue_streams(scheme, ENERGY_ROW, n_years=3, price_factor=2.0)
    assert_allclose(doubled.savings_purchases, 2 * base.savings_purchases)
    assert_allclose(doubled.sales_export, base.sales_export)
    # escalating tariff: the contract price, not the price after it
    tariff = EscalatingTariff(1.0, 0.0, 2, 5.0, 0.0)
    base = revenue_streams(tariff, ENERGY_ROW, n_years=3)
    doubled = revenue_streams(tariff, ENERGY_ROW, n_years=3, price_factor=2.0)
    assert_allclose(doubled.sales_contract, 2 * base.sales_contract)
    assert_allclose(doubled.sales_after_contract, base.sales_after_contract)


# --- late payment ---------------------------------------------------------------------


def test_late_payment_collected_at_the_end():
    # invoices 1000 a year; 30 % paid one year late; what is unpaid after year 3
    # is collected in year 3: cash 700, 1000 (700 + 300), 1300 (700 + 300 + 300)
    table = cash_flow(
        ENERGY,
        inputs(EscalatingTariff(1.0, 0.0), late_payment=LatePayment(0.3, 1)),
    )
    assert_allclose(table.receivables_change[0], [0, -300, 0, 300], atol=1e-9)
    assert_allclose(table.receivables_balance[0], [0, 300, 300, 0], atol=1e-9)
    assert_allclose(table.bad_debt[0], 0.0)
    assert_allclose(table.project_fcf[0], [-10_000, 700, 1_000, 1_300], atol=1e-9)
    # revenue is what was invoiced; the cash is 700, 1000, 1300
    assert_allclose(table.revenue[0], [0, 1_000, 1_000, 1_000])
    assert_allclose(table.revenue_received[0], [0, 700, 1_000, 1_300], atol=1e-9)


def test_late_payment_lost_is_written_off_and_deducted():
    # the same, but the 300 unpaid after year 3 is lost: cash 700, 1000, 1000.
    # Tax 25 % on accrued income: 1000, 1000, 1000 - 300 (bad debt) = 700 ->
    # tax 250, 250, 175. CFADS = EBITDA + receivables change + tax:
    # 1000 - 300 - 250 = 450; 1000 - 250 = 750; 1000 + 0 - 175 = 825
    table = cash_flow(
        ENERGY,
        inputs(
            EscalatingTariff(1.0, 0.0),
            late_payment=LatePayment(0.3, 1, "lost"),
            tax_rate=0.25,
        ),
    )
    assert_allclose(table.receivables_change[0], [0, -300, 0, 0], atol=1e-9)
    assert_allclose(table.bad_debt[0], [0, 0, 0, -300], atol=1e-9)
    assert_allclose(table.taxable_income[0], [0, 1_000, 1_000, 700], atol=1e-9)
    assert_allclose(table.tax[0], [0, -250, -250, -175], atol=1e-9)
    assert_allclose(table.cfads[0], [0, 450, 750, 825], atol=1e-9)


def test_late_payment_beyond_the_analysis():
    # 40 % paid 5 years late in a 3-year analysis: nothing late arrives in time;
    # collected: 3 x 400 = 1200 in year 3
    invoiced = np.array([[0.0, 1000, 1000, 1000]])
    collected = collections(invoiced, LatePayment(0.4, 5))
    assert_allclose(collected.change, [[0, -400, -400, 800]])
    lost = collections(invoiced, LatePayment(0.4, 5, "lost"))
    assert_allclose(lost.bad_debt, [[0, 0, 0, -1200]])


@settings(max_examples=60, deadline=None)
@given(
    share=st.floats(0.0, 1.0),
    delay=st.integers(1, 8),
    invoices=st.lists(st.floats(0.0, 1e6), min_size=6, max_size=6),
    end=st.sampled_from(["collected", "lost"]),
)
def test_every_invoice_is_paid_or_written_off_once(share, delay, invoices, end):
    invoiced = np.array([[0.0, *invoices]])
    result = collections(invoiced, LatePayment(share, delay, end))
    cash = invoiced + result.change
    assert (cash >= -1e-6).all()
    # cash received + written off = invoiced, over the analysis
    assert cash.sum() - result.bad_debt.sum() == pytest.approx(
        invoiced.sum(), rel=1e-12, abs=1e-6
    )
    assert result.balance[0, -1] == 0.0
    # the balance is what was invoiced and not yet received
    assert_allclose(
        result.balance[0, :-1],
        np.cumsum(-result.change[0])[:-1],
        rtol=1e-12,
        atol=1e-6,
    )


def test_late_payment_leaves_savings_alone():
    # self-consumption savings are not invoiced, so they are never late
    scheme = SelfConsumption([1.0, 1.0, 1.0], 10.0, 0.0)
    table = cash_flow(ENERGY, inputs(scheme, late_payment=LatePayment(0.5, 1, "lost")))
    assert_allclose(table.receivables_change, 0.0)
    assert_allclose(table.project_fcf[0], [-10_000, 10_000, 10_000, 10_000])


def test_late_payment_with_depreciation_keeps_the_identities():
    table = cash_flow(
        ENERGY,
        inputs(
            MarketSale(5.0, 0.1),
            late_payment=LatePayment(0.25, 2),
            tax_rate=0.2,
            depreciation=StraightLineDepreciation(3),
        ),
    )
    # project FCF = capex + EBITDA + receivables change + project tax
    assert_allclose(
        table.project_fcf,
        table.capex + table.ebitda + table.receivables_change + table.project_tax,
    )
