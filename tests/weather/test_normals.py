"""Tests of the monthly climate normals (solarcase.weather.normals)."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pvlib
import pytest

from solarcase.errors import WeatherDataError
from solarcase.weather.normals import (
    MonthlyNormals,
    list_towns,
    load_normals,
    nearest_normals,
    read_normals_csv,
    read_normals_table,
)
from solarcase.weather.pvgis import PvgisRequest

DAYS_IN_MONTH = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
SHIPPED_TOWNS = (
    "Birjand",
    "Qaen",
    "Ferdows",
    "Tabas",
    "Nehbandan",
    "Khusf",
    "Sarbisheh",
    "Boshruyeh",
)


def test_bundled_birjand_matches_the_published_table() -> None:
    # Numbers from climate-normals.md table 4.1 (Birjand, WMO 40809, 1991-2018).
    birjand = load_normals("Birjand")
    assert birjand.ghi_kwh_per_m2_day[5] == 8.32  # June, measured
    assert birjand.temp_max[6] == 35.7  # July
    assert birjand.temp_min[0] == -2.6  # January
    assert birjand.temp_mean[11] == 5.7  # December
    assert (birjand.latitude, birjand.longitude, birjand.elevation_m) == (
        32.8905,
        59.2836,
        1491.0,
    )
    # Table 4.1: year 5.89 kWh/m²/day, "2152 kWh/m²/yr" (5.89 x 365.25). From the
    # months: 3.47*31 + 4.00*28 + 5.63*31 + 6.47*30 + 7.43*31 + 8.32*30 + 8.25*31
    # + 7.50*31 + 6.76*30 + 5.20*31 + 4.05*30 + 3.49*31 = 2150.07 = 5.8906 * 365.
    annual = float(np.dot(birjand.ghi_kwh_per_m2_day, DAYS_IN_MONTH))
    assert annual == pytest.approx(2150.07, abs=1e-9)
    assert round(annual / 365, 2) == 5.89
    assert "MEASURED" in birjand.sources and "IRIMO" in birjand.sources
    assert birjand.utc_offset_h == 3.5
    assert birjand.sunshine_h_per_day is not None
    assert birjand.sunshine_h_per_day[0] == 6.71


def test_list_towns_covers_the_shipped_towns_and_is_sorted() -> None:
    towns = list_towns()
    assert set(SHIPPED_TOWNS) <= set(towns)
    assert "Sarayan" in towns  # from the site table only
    assert list(towns) == sorted(towns)


def test_load_normals_ignores_case_and_spaces() -> None:
    assert load_normals("  tabas ") == load_normals("Tabas")


def test_unknown_town_lists_known_towns_and_suggests() -> None:
    with pytest.raises(WeatherDataError) as info:
        load_normals("Birjnd")
    message = str(info.value)
    assert "unknown town 'Birjnd'" in message
    assert "did you mean 'Birjand'?" in message
    assert all(town in message for town in SHIPPED_TOWNS)


def test_proxy_towns_repeat_birjand_with_their_own_place() -> None:
    birjand, qaen = load_normals("Birjand"), load_normals("Qaen")
    assert qaen.ghi_kwh_per_m2_day == birjand.ghi_kwh_per_m2_day
    assert qaen.temp_min == birjand.temp_min
    assert (qaen.latitude, qaen.longitude, qaen.elevation_m) == (33.717, 59.183, 1440)
    assert "ESTIMATE-PROXY" in qaen.sources


def test_missing_place_data_comes_from_the_site_table() -> None:
    # Sarbisheh's normals row has no coordinates; the site table has them.
    sarbisheh = load_normals("Sarbisheh")
    assert (sarbisheh.latitude, sarbisheh.longitude) == (32.575, 59.7867)
    assert sarbisheh.elevation_m == 1550  # the row's own (visitiran.ir) elevation
    # Boshruyeh's elevation was filled in the site table from pvlib's altitude map.
    boshruyeh = load_normals("Boshruyeh")
    assert boshruyeh.elevation_m == pvlib.location.lookup_altitude(33.8536, 57.4288)
    assert (boshruyeh.latitude, boshruyeh.longitude) == (33.868, 57.429)


def test_site_only_town_borrows_its_normals_row() -> None:
    sarayan, ferdows = load_normals("Sarayan"), load_normals("Ferdows")
    assert sarayan.ghi_kwh_per_m2_day == ferdows.ghi_kwh_per_m2_day
    assert sarayan.latitude == 33.8592
    assert sarayan.sources.startswith("ESTIMATE-PROXY: values of the Ferdows")


def test_town_without_coordinates_keeps_none() -> None:
    darmian = load_normals("Darmian")
    assert darmian.latitude is None and darmian.longitude is None


def test_nearest_normals_distance_is_great_circle() -> None:
    # One degree of latitude due south of Nehbandan station: the great-circle
    # distance is R * pi / 180 = 6371.0088 * 0.0174533 = 111.195 km, and every other
    # bundled town is farther (Zahedan ~145 km, Zabol ~156 km).
    normals, distance_km = nearest_normals(31.5419 - 1.0, 60.0347)
    assert normals.town == "Nehbandan"
    assert distance_km == pytest.approx(6371.0088 * math.pi / 180, rel=1e-9)


def test_nearest_normals_on_a_town_is_that_town() -> None:
    for town in ("Tabas", "Ferdows", "Birjand"):
        normals = load_normals(town)
        found, distance_km = nearest_normals(normals.latitude, normals.longitude)
        assert found.town == town and distance_km == pytest.approx(0.0, abs=1e-9)


def test_nearest_normals_with_candidates_and_errors() -> None:
    tabas = load_normals("Tabas")
    found, _ = nearest_normals(32.0, 59.0, candidates=[tabas])
    assert found is tabas
    with pytest.raises(WeatherDataError, match="no.*coordinates|none of the"):
        nearest_normals(32.0, 59.0, candidates=[load_normals("Darmian")])
    with pytest.raises(WeatherDataError, match="latitude must be in"):
        nearest_normals(132.0, 59.0)


HEADER = (
    "town,lat,lon,elevation_m,month,temp_mean_c,temp_max_c,temp_min_c,"
    "sunshine_h_per_day,ghi_kwh_m2_day,wind_m_s,source"
)


def _rows(town: str = "Testville", ghi: float = 5.0, lat: str = "30.0") -> list[str]:
    return [
        f"{town},{lat},50.0,1000,{m},{10 + m},{18 + m},{3 + m},8.0,{ghi},2.5,"
        f'"my station, 2001-2020"'
        for m in range(1, 13)
    ]


def _write(tmp_path: Path, lines: list[str], name: str = "normals.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_read_normals_csv_reads_one_town(tmp_path: Path) -> None:
    normals = read_normals_csv(_write(tmp_path, [HEADER, *_rows()]))
    assert normals.town == "Testville"
    assert normals.temp_max == tuple(float(18 + m) for m in range(1, 13))
    assert normals.ghi_kwh_per_m2_day == (5.0,) * 12
    assert (normals.latitude, normals.longitude, normals.elevation_m) == (30, 50, 1000)
    assert normals.sources == "my station, 2001-2020"
    assert normals.utc_offset_h is None


def test_read_normals_csv_minimal_columns_any_order(tmp_path: Path) -> None:
    lines = ["wind_m_s,ghi_kwh_m2_day,temp_min_c,temp_max_c,temp_mean_c,month,town"]
    lines += [f"3,4.5,1,12,6,{m},X" for m in range(12, 0, -1)]
    normals = read_normals_csv(_write(tmp_path, lines))
    assert normals.latitude is None and normals.sunshine_h_per_day is None
    assert normals.wind_speed == (3.0,) * 12


def test_read_normals_csv_several_towns_needs_a_name(tmp_path: Path) -> None:
    path = _write(tmp_path, [HEADER, *_rows("A"), *_rows("B", ghi=6.0)])
    with pytest.raises(WeatherDataError, match="holds 2 towns \\(A, B\\)"):
        read_normals_csv(path)
    assert read_normals_csv(path, town="b").ghi_kwh_per_m2_day == (6.0,) * 12
    with pytest.raises(WeatherDataError, match="unknown town 'C'"):
        read_normals_csv(path, town="C")


def test_read_normals_table_reads_every_town_in_file_order(tmp_path: Path) -> None:
    path = _write(tmp_path, [HEADER, *_rows("B", ghi=6.0), *_rows("A")])
    table = read_normals_table(path)
    assert list(table) == ["B", "A"]
    assert table["B"] == read_normals_csv(path, town="B")
    assert table["A"] == read_normals_csv(path, town="A")
    assert table["B"].ghi_kwh_per_m2_day == (6.0,) * 12


def _error(tmp_path: Path, lines: list[str]) -> str:
    path = _write(tmp_path, lines)
    with pytest.raises(WeatherDataError) as info:
        read_normals_csv(path)
    message = str(info.value)
    assert message.startswith(str(path))
    return message


def test_read_normals_csv_errors_name_line_and_fix(tmp_path: Path) -> None:
    rows = _rows()
    message = _error(tmp_path, [HEADER.replace("wind_m_s", "wind"), *rows])
    assert "line 1: missing column(s) wind_m_s" in message
    message = _error(tmp_path, [HEADER + ",cloud", *[r + ",3" for r in rows]])
    assert "unknown column(s) cloud" in message
    message = _error(tmp_path, [HEADER, *rows[:11]])
    assert "no row for month(s) 12" in message
    message = _error(tmp_path, [HEADER, *rows, rows[3]])
    assert "line 14: Testville month 4 appears twice (first on line 5)" in message
    message = _error(tmp_path, [HEADER, *rows[:2], rows[2].replace(",3,", ",13,")])
    assert "line 4: month must be an integer 1-12, got '13'" in message
    bad = rows[4].replace(",5.0,", ",hot,")
    message = _error(tmp_path, [HEADER, *rows[:4], bad, *rows[5:]])
    assert "line 6: ghi_kwh_m2_day must be a number, got 'hot'" in message


def test_read_normals_csv_catches_unit_slips(tmp_path: Path) -> None:
    # 18 MJ/m²/day written as if it were kWh: 18 / 3.6 = 5.00 kWh/m²/day.
    message = _error(tmp_path, [HEADER, *_rows(ghi=18.0)])
    assert "line 2" in message and "divide by 3.6 to get 5.00" in message
    swapped = [
        f"T,30,50,1000,{m},20,10,3,8,5,2.5,s" for m in range(1, 13)
    ]  # mean above max
    assert "temp_min_c < temp_mean_c < temp_max_c" in _error(
        tmp_path, [HEADER, *swapped]
    )
    fahrenheit = [f"T,30,50,1000,{m},70,90,50,8,5,2.5,s" for m in range(1, 13)]
    assert "convert °F" in _error(tmp_path, [HEADER, *fahrenheit])
    message = _error(tmp_path, [HEADER, *_rows(lat="95")])
    assert "latitude must be in [-90, 90]" in message


def test_read_normals_csv_inconsistent_place_and_empty_values(tmp_path: Path) -> None:
    rows = _rows()
    rows[6] = rows[6].replace("Testville,30.0,", "Testville,31.0,")
    assert "lat of Testville is 31.0 here but 30.0" in _error(tmp_path, [HEADER, *rows])
    rows = _rows()
    rows[0] = rows[0].replace(",2.5,", ",,")
    assert "wind_m_s is empty for Testville month 1" in _error(
        tmp_path, [HEADER, *rows]
    )


def test_read_normals_csv_missing_file(tmp_path: Path) -> None:
    with pytest.raises(WeatherDataError, match="cannot read the normals table"):
        read_normals_csv(tmp_path / "absent.csv")


def test_monthly_normals_validates_direct_construction() -> None:
    birjand = load_normals("Birjand")
    with pytest.raises(WeatherDataError, match="12 finite monthly values"):
        replace(birjand, wind_speed=birjand.wind_speed[:11])
    with pytest.raises(WeatherDataError, match="month 3"):
        replace(birjand, temp_min=(0.0, 0.0, 30.0, *birjand.temp_min[3:]))
    assert isinstance(replace(birjand, town="Copy"), MonthlyNormals)


def test_coordinates_off_the_globe_are_one_error_wherever_they_come_from() -> None:
    for where, make in (
        ("nearest_normals", lambda: nearest_normals(95.0, 59.0)),
        ("PVGIS request", lambda: PvgisRequest(95.0, 59.0)),
    ):
        with pytest.raises(WeatherDataError) as info:
            make()
        assert str(info.value) == (
            f"{where}: latitude must be in [-90, 90] degrees north, got 95.0; check "
            "the coordinates (latitude in [-90, 90] degrees north, longitude in "
            "[-180, 180] degrees east, not swapped)"
        )
    with pytest.raises(WeatherDataError, match="longitude must be in"):
        nearest_normals(32.0, float("nan"))
