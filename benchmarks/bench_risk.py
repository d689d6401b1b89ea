"""Time the Monte Carlo of the Birjand risk example: 10,000 and 100,000 draws.

Loads ``scenarios/birjand-1mw-risk.yaml`` (eight correlated variables on inflation,
both exchange-rate rises, both capex items, the market price after the contract, O&M,
degradation and the share paid late; a model/data and a per-year weather factor on
the energy), appraises it once (one yield simulation, as ``solarcase risk`` does) and
prints the median time of:

- sampling: the correlated draws (Gaussian copula) and the (draws, years) energy
  factors;
- translation: every draw's scenario keys -> the engine's inputs
  (``CaseEvaluator.cases``: an array translation when the translator allows it,
  else one translation per distinct draw, stacked);
- engine: the full cash flow and every metric (``cash_flow`` + ``metrics``: NPV,
  equity NPV, project and equity IRR nominal and real, MIRR, both LCOEs, both
  paybacks, min and average DSCR, LLCR) on all draws at once;
- end to end: ``solarcase.risk.run_risk`` (all of the above, P-values and
  probabilities);

then runs 100,000 draws end to end in a child process and reports its wall time
and peak resident memory (``ru_maxrss``) beside the process's size before the run.
Draws are evaluated in blocks of 25,000 (``montecarlo.CHUNK_DRAWS``), which bounds
the memory whatever the number of draws.

    python benchmarks/bench_risk.py                    # 10,000 draws, 3 repeats
    python benchmarks/bench_risk.py --draws 2000 --repeat 5 --big 0
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np

from solarcase.analysis.sampling import energy_factors, sample
from solarcase.cases import CaseEvaluator
from solarcase.errors import SolarcaseWarning
from solarcase.finance.cashflow import cash_flow
from solarcase.finance.metrics import metrics
from solarcase.pipeline import run_scenario
from solarcase.risk import _correlation, _key_owners, core_distribution, run_risk
from solarcase.scenario.keys import applied
from solarcase.scenario.load import load_scenario
from solarcase.weather.site import load_site_weather

ROOT = Path(__file__).parents[1]
SCENARIO = ROOT / "scenarios" / "birjand-1mw-risk.yaml"


def median_time(function: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``repeat`` calls [s]."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def appraise(path: Path):  # type: ignore[no-untyped-def]
    scenario = load_scenario(path)
    weather, meta = load_site_weather(scenario.site, where=str(path))
    return run_scenario(scenario, weather, meta), weather, meta


def parts(result, weather, n: int, repeat: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Median times of sampling, translation, engine and end to end [s]."""
    risk = result.scenario.risk
    laws = [core_distribution(v.distribution) for v in risk.variables.values()]
    correlation = _correlation(risk)
    years = result.scenario.finance.analysis_years

    def draw():  # type: ignore[no-untyped-def]
        rng = np.random.default_rng(1)
        values = sample(laws, n, rng=rng, rank_correlation=correlation)
        factors = energy_factors(
            n,
            years,
            model_sd=risk.energy.model_uncertainty,
            interannual_sd=risk.energy.interannual_variability,
            rng=rng,
        )
        return values, factors

    values, factors = draw()
    owners = _key_owners(risk)
    names = list(risk.variables)
    evaluator = CaseEvaluator(result, list(owners), weather=weather)
    cases = {
        key: applied(
            evaluator.infos[key],
            risk.variables[name].apply,
            values[:, names.index(name)],
        )
        for key, name in owners.items()
    }
    groups = list(evaluator.cases(cases, factors))

    def engine() -> None:
        for _rows, energy, inputs in groups:
            metrics(cash_flow(energy, inputs), inputs)

    def translate() -> None:
        fresh = CaseEvaluator(result, list(owners), weather=weather)
        list(fresh.cases(cases, factors))

    return {
        "sampling": median_time(draw, repeat),
        "translation": median_time(translate, repeat),
        "engine": median_time(engine, repeat),
        "end_to_end": median_time(lambda: run_risk(result, n_draws=n), repeat),
        "groups": float(len(groups)),
        "array_translations": float(evaluator.translations["array"]),
        "per_value_translations": float(evaluator.translations["per_value"]),
    }


def big_run(n: int) -> dict[str, float]:
    """Run in this process (the child): end-to-end time and resident memory."""
    result, weather, meta = appraise(SCENARIO)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    start = time.perf_counter()
    run_risk(result, n_draws=n, weather=weather, weather_meta=meta)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {"seconds": seconds, "rss_before_bytes": before, "max_rss_bytes": peak}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--big", type=int, default=100_000, help="0: skip")
    parser.add_argument("--child", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    warnings.simplefilter("ignore", SolarcaseWarning)
    if args.child:
        print(json.dumps(big_run(args.child)))
        return
    result, weather, _meta = appraise(SCENARIO)
    found = parts(result, weather, args.draws, args.repeat)
    print(f"{SCENARIO.name}: {args.draws:,} draws x 25 years, median of {args.repeat}")
    print(
        f"  translation path: {int(found['array_translations'])} array "
        f"translation(s), {int(found['per_value_translations']):,} per-value "
        f"translations, {int(found['groups'])} cash-flow pass(es)"
    )
    for name in ("sampling", "translation", "engine", "end_to_end"):
        print(f"  {name:<12} {found[name] * 1000:9.1f} ms")
    if args.big:
        child = subprocess.run(
            [sys.executable, __file__, "--child", str(args.big)],
            capture_output=True,
            text=True,
            check=True,
        )
        big = json.loads(child.stdout.strip().splitlines()[-1])
        print(
            f"{args.big:,} draws end to end: {big['seconds']:.1f} s, peak resident "
            f"memory {big['max_rss_bytes'] / 2**30:.2f} GiB (process after loading "
            f"and one appraisal: {big['rss_before_bytes'] / 2**30:.2f} GiB)"
        )


if __name__ == "__main__":
    main()
