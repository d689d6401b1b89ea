"""Breakeven search core: every sign change, the root nearest the base."""

from __future__ import annotations

import numpy as np
import pytest

from solarcase.analysis.breakeven import breakeven


def test_finds_the_root_of_a_monotone_function() -> None:
    # NPV of -100 now and x in a year at 10 %: zero at x = 110
    found = breakeven(lambda x: -100.0 + x / 1.1, base=50.0, low=0.0, high=100.0)
    assert found.value == pytest.approx(110.0, rel=1e-12)  # after widening
    assert found.high > 110.0


def test_reports_every_root_and_picks_the_nearest_to_the_base() -> None:
    # (x - 1)(x - 2)(x - 3) has three roots
    found = breakeven(
        lambda x: (x - 1) * (x - 2) * (x - 3), base=2.9, low=0.0, high=4.0
    )
    assert np.allclose(found.roots, [1.0, 2.0, 3.0])
    assert found.value == pytest.approx(3.0)


def test_points_without_a_value_are_skipped() -> None:
    def g(x):
        out = x - 0.7
        return np.where(x < 0.3, np.nan, out)

    found = breakeven(g, base=0.5, low=0.0, high=1.0)
    assert found.value == pytest.approx(0.7)


def test_no_sign_change_within_the_hard_limits_gives_nan() -> None:
    found = breakeven(
        lambda x: x**2 + 1.0, base=0.0, low=-1.0, high=1.0, floor=-5.0, ceiling=5.0
    )
    assert np.isnan(found.value) and found.roots == ()
    assert (found.low, found.high) == (-5.0, 5.0)
