"""solarcase: appraise solar PV power plants as investments.

A typed YAML scenario goes in; pvlib simulates the plant's hourly yield; a vectorised
cash-flow engine turns the energy into NPV, IRR, LCOE, payback and DSCR.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
