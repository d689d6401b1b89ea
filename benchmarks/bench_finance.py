"""Time the vectorised cash flow and metrics on 10,000 cases x 25 operating years.

Builds 10,000 Monte Carlo-like cases of a 1 MW plant in rials with every money
feature switched on (capex, inflation, CPI and the rial's fall drawn from a seeded
generator; the SATBA indexed guaranteed purchase with step-downs and a time-of-day
factor; 30 % of invoices paid two years late; fixed O&M and an inverter priced in
dollars on a per-case exchange-rate path; module replacement; a grant; a 70 %
annuity loan with a grace year, fee and construction interest; 25 % tax with
declining-balance depreciation, a 3-year holiday and loss carry-forward) and prints
the median time of:

- ``cash_flow`` (the whole table, 26 columns: year 0 and 25 operating years);
- ``metrics`` (NPV, equity NPV, project and equity IRR nominal and real, MIRR, real
  and nominal LCOE, both paybacks, min and average DSCR, LLCR, notes), also for the
  plant without its loan (equity flow = project flow, so each IRR is solved once),
  and ``reference_metrics`` (the same in US dollars, nominal and real);
- the solved values (``solve_targets``: breakeven price, capex for a target equity
  IRR, debt for a target DSCR, given the table as the pipeline does), also
  vectorised, and a sculpted loan;
- the vectorised ``irr`` on the project flows alone, against a Python loop of
  ``numpy_financial.irr`` over the same rows (and the largest difference);
- the same two IRR timings when every row changes sign several times (an inverter
  replacement that makes year 12 negative), the hard case for the solver.

    python benchmarks/bench_finance.py                 # 10,000 cases, 5 repeats
    python benchmarks/bench_finance.py --cases 2000 --repeat 3
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings
from collections.abc import Callable
from dataclasses import replace

import numpy as np
import numpy_financial as npf

from solarcase.errors import SolarcaseWarning
from solarcase.finance.cashflow import (
    AnnuityLoan,
    CashFlowInputs,
    DecliningBalanceDepreciation,
    ModuleReplacement,
    SculptedLoan,
    cash_flow,
)
from solarcase.finance.currency import exchange_rate_path
from solarcase.finance.metrics import irr, metrics
from solarcase.finance.reference import ReferenceCurrency, reference_metrics
from solarcase.finance.revenue import LatePayment
from solarcase.finance.solve import solve_targets
from solarcase.finance.tariff import GuaranteedPurchase

N_YEARS = 25


def median_time(function: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``repeat`` calls [s]."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def make_cases(
    n_cases: int, rng: np.random.Generator
) -> tuple[np.ndarray, CashFlowInputs, ReferenceCurrency]:
    """Energy (n_cases, N), inputs and the dollar path for n_cases draws of a 1 MW
    rial plant."""
    fall = rng.uniform(0.30, 0.50, n_cases)  # yearly rise of IRR per USD
    usd = exchange_rate_path(720_000.0, escalation_rate=fall, n_years=N_YEARS)
    inputs = CashFlowInputs(
        analysis_years=N_YEARS,
        capex=rng.normal(350e9, 35e9, n_cases),  # about 350 m IRR/kW x 1 MW
        tariff=GuaranteedPurchase(
            38_500.0,
            0.15,
            usd * 1.16,  # official EUR rate moving with the dollar
            rng.uniform(0.30, 0.45, n_cases),
            step_down_years=(8, 12, 16),
            step_down_factors=(0.6, 0.6, 0.6),
            step_down_mode="absolute",
            contract_years=20,
            price_after_contract_per_kwh=60_000.0,
            escalation_after_contract_rate=0.4,
            time_of_day_factor=rng.uniform(0.95, 1.05, n_cases),
        ),
        discount_rate_nominal=0.47,
        inflation_rate=rng.uniform(0.30, 0.45, n_cases),
        fixed_om_per_year=4_860.0,  # USD a year
        fixed_om_escalation_rate=0.02,
        fixed_om_fx=usd,
        insurance_rate=0.003,
        replacement_year=12,
        replacement_cost=41_650.0,  # USD at year-0 prices
        replacement_escalation_rate=0.02,
        replacement_fx=usd,
        module_replacement=ModuleReplacement(295.2e9, 0.002),
        grants=20e9,
        late_payment=LatePayment(0.3, 2),
        debt=AnnuityLoan(
            0.7, 0.23, 8, grace_years=1, upfront_fee_fraction=0.01,
            construction_interest_years=0.25,
        ),
        tax_rate=0.25,
        depreciation=DecliningBalanceDepreciation(10),
        tax_holiday_years=3,
        loss_carry_forward=True,
    )  # fmt: skip
    first_year_kwh = rng.normal(1.85e6, 0.1e6, (n_cases, 1))
    energy = first_year_kwh * (1.0 - 0.005 * np.arange(N_YEARS))
    return energy, inputs, ReferenceCurrency(fx=usd, inflation_rate=0.02)


def time_irr(flows: np.ndarray, repeat: int, label: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SolarcaseWarning)
        ours = median_time(lambda: irr(flows), repeat)
        got = irr(flows)
    loop_repeat = max(1, repeat // 3)
    theirs = median_time(lambda: [npf.irr(row) for row in flows], loop_repeat)
    want = np.array([npf.irr(row) for row in flows])
    both = np.isfinite(got) & np.isfinite(want)
    diff = np.max(np.abs(got[both] - want[both])) if both.any() else float("nan")
    same_nan = bool(np.array_equal(np.isnan(got), np.isnan(want)))
    print(
        f"{label}: vectorised irr {ours * 1e3:8.1f} ms | npf.irr loop "
        f"{theirs * 1e3:8.1f} ms | loop / vectorised {theirs / ours:5.1f}x | "
        f"max |diff| {diff:.1e} | same NaNs {same_nan}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20251)
    args = parser.parse_args()

    energy, inputs, usd = make_cases(args.cases, np.random.default_rng(args.seed))
    table = cash_flow(energy, inputs)

    def everything() -> None:
        full = cash_flow(energy, inputs)
        metrics(full, inputs)
        reference_metrics(full, inputs, usd)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SolarcaseWarning)
        everything()  # warm-up
        t_table = median_time(lambda: cash_flow(energy, inputs), args.repeat)
        t_metrics = median_time(lambda: metrics(table, inputs), args.repeat)
        equity_only = replace(inputs, debt=None)  # project flow = equity flow
        equity_table = cash_flow(energy, equity_only)
        t_equity = median_time(lambda: metrics(equity_table, equity_only), args.repeat)
        t_ref = median_time(lambda: reference_metrics(table, inputs, usd), args.repeat)
        t_all = median_time(everything, args.repeat)
        result = metrics(table, inputs)
        t_solve = median_time(
            lambda: solve_targets(
                energy, inputs, target_equity_irr=0.5, target_dscr=1.3, table=table
            ),
            max(1, args.repeat // 2),
        )
        solved = solve_targets(
            energy, inputs, target_equity_irr=0.5, target_dscr=1.3, table=table
        )
        sculpted = replace(inputs, debt=SculptedLoan(1.3, 0.7, 0.23, 8, grace_years=1))
        t_sculpt = median_time(lambda: cash_flow(energy, sculpted), args.repeat)
    print(
        f"{args.cases} cases x {N_YEARS + 1} years, every feature on (median of "
        f"{args.repeat}): cash_flow {t_table * 1e3:.1f} ms | metrics "
        f"{t_metrics * 1e3:.1f} ms | reference_metrics {t_ref * 1e3:.1f} ms | "
        f"all three {t_all * 1e3:.1f} ms"
    )
    print(f"  metrics of the same plant without a loan {t_equity * 1e3:.1f} ms")
    print(
        f"  solved values (breakeven price, capex for 50 % equity IRR, debt for "
        f"DSCR 1.3): {t_solve * 1e3:.0f} ms | cash_flow with a sculpted loan "
        f"{t_sculpt * 1e3:.1f} ms"
    )
    print(
        "  median project IRR "
        f"{np.nanmedian(result.project_irr):.3f}, equity IRR "
        f"{np.nanmedian(result.equity_irr):.3f}, min DSCR "
        f"{np.nanmedian(result.min_dscr):.2f}, LLCR {np.nanmedian(result.llcr):.2f}; "
        f"breakeven price {np.nanmedian(solved.breakeven_price_per_kwh):,.0f} IRR/kWh; "
        "rows with several sign changes: "
        f"{sum(any('several' in n for n in notes) for notes in result.notes)}"
    )
    time_irr(table.project_fcf, args.repeat, "project flows    ")
    dipped = table.project_fcf.copy()
    dipped[:, 12] -= 3.0 * np.abs(dipped[:, 12])  # every row changes sign 3 times
    time_irr(dipped, args.repeat, "3 sign changes   ")


if __name__ == "__main__":
    main()
