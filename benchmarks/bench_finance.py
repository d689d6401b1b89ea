"""Time the vectorised cash flow and metrics on 10,000 cases x 25 operating years.

Builds 10,000 Monte Carlo-like cases of a 1 MW plant in rials (capex, tariff
escalation, inflation, energy drawn from a seeded generator; 70 % annuity loan over
10 years; 25 % tax; straight-line depreciation) and prints the median time of:

- ``cash_flow`` (the whole table, 26 columns: year 0 and 25 operating years);
- ``metrics`` (NPV, equity NPV, project and equity IRR, real and nominal LCOE, both
  paybacks, min and average DSCR, notes);
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

import numpy as np
import numpy_financial as npf

from solarcase.errors import SolarcaseWarning
from solarcase.finance.cashflow import (
    AnnuityLoan,
    CashFlowInputs,
    StraightLineDepreciation,
    cash_flow,
)
from solarcase.finance.metrics import irr, metrics
from solarcase.finance.tariff import EscalatingTariff

N_YEARS = 25


def median_time(function: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``repeat`` calls [s]."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def make_cases(n_cases: int, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    """Energy (n_cases, N) and inputs for n_cases draws of a 1 MW rial plant."""
    inputs = CashFlowInputs(
        analysis_years=N_YEARS,
        capex=rng.normal(350e9, 35e9, n_cases),  # about 350 m IRR/kW x 1 MW
        tariff=EscalatingTariff(
            38_500.0, rng.uniform(0.15, 0.35, n_cases), 20, 60_000.0, 0.35
        ),
        discount_rate_nominal=0.45,
        inflation_rate=rng.uniform(0.30, 0.45, n_cases),
        fixed_om_per_year=3.5e9,
        insurance_rate=0.005,
        debt=AnnuityLoan(0.7, 0.23, 10),
        tax_rate=0.25,
        depreciation=StraightLineDepreciation(20),
    )
    first_year_kwh = rng.normal(1.85e6, 0.1e6, (n_cases, 1))
    energy = first_year_kwh * (1.0 - 0.005 * np.arange(N_YEARS))
    return energy, inputs


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

    energy, inputs = make_cases(args.cases, np.random.default_rng(args.seed))
    table = cash_flow(energy, inputs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SolarcaseWarning)
        metrics(table, inputs)  # warm-up
        t_table = median_time(lambda: cash_flow(energy, inputs), args.repeat)
        t_metrics = median_time(lambda: metrics(table, inputs), args.repeat)
        t_all = median_time(
            lambda: metrics(cash_flow(energy, inputs), inputs), args.repeat
        )
        result = metrics(table, inputs)
    print(
        f"{args.cases} cases x {N_YEARS + 1} years (median of {args.repeat}): "
        f"cash_flow {t_table * 1e3:.1f} ms | metrics {t_metrics * 1e3:.1f} ms | "
        f"both {t_all * 1e3:.1f} ms"
    )
    print(
        "  median project IRR "
        f"{np.nanmedian(result.project_irr):.3f}, equity IRR "
        f"{np.nanmedian(result.equity_irr):.3f}, min DSCR "
        f"{np.nanmedian(result.min_dscr):.2f}; rows with several sign changes: "
        f"{sum(any('several' in n for n in notes) for notes in result.notes)}"
    )
    time_irr(table.project_fcf, args.repeat, "project flows    ")
    dipped = table.project_fcf.copy()
    dipped[:, 12] -= 3.0 * np.abs(dipped[:, 12])  # every row changes sign 3 times
    time_irr(dipped, args.repeat, "3 sign changes   ")


if __name__ == "__main__":
    main()
