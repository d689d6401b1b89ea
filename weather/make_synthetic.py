"""Regenerate the SYNTHETIC typical years in this directory (deterministic, seeded).

Run from the repository root: ``python weather/make_synthetic.py``. Each file is
``synthesize_year(load_normals(town), seed=SEED)`` written with ``write_native``; the
test ``tests/weather/test_synth.py`` checks that the shipped files equal a fresh run.
"""

from pathlib import Path

from solarcase.weather.native import write_native
from solarcase.weather.normals import load_normals
from solarcase.weather.synth import synthesize_year

SEED = 2025
TOWNS = (
    "Birjand",
    "Qaen",
    "Ferdows",
    "Tabas",
    "Nehbandan",
    "Khusf",
    "Sarbisheh",
    "Boshruyeh",
)

if __name__ == "__main__":
    for town in TOWNS:
        frame, meta = synthesize_year(load_normals(town), seed=SEED)
        path = Path(__file__).parent / f"{town.lower()}-synthetic.csv"
        write_native(frame, meta, path)
        print(f"{path.name}: annual GHI {frame['ghi'].sum() / 1000:.0f} kWh/m²")
