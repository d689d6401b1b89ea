"""Weather readers against pvlib's readers called directly and the raw file text.

Every expected value comes from pvlib.iotools, from the raw text of the fixture files
(quoted in the comments) or from solar geometry computed independently with pvlib's
NREL SPA. The time conventions are checked physically: with our labels, ghi equals
dhi + dni cos(zenith at label + 30 min) in every daylight hour, and a one-hour error
breaks that in many hours.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.resources
import json
import math
import shutil
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib
import pytest
from numpy.testing import assert_allclose

from solarcase.errors import WeatherDataError
from solarcase.weather.checks import quality_flags
from solarcase.weather.frame import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, TYPICAL_YEAR
from solarcase.weather.sources import SUPPORTED_FORMATS, read_weather

DATA = Path(__file__).parents[1] / "data" / "weather"
PVGIS_CSV = DATA / "tmy_45.000_8.000_2005_2023.csv"
PVGIS_JSON = DATA / "tmy_45.000_8.000_2005_2023.json"
PVGIS_EPW = DATA / "tmy_45.000_8.000_2005_2023.epw"
PVGIS_HOURLY_POA = (
    DATA / "pvgis_hourly_Timeseries_45.000_8.000_SA_30deg_0deg_2016_2016.csv"
)
PSM3 = DATA / "test_read_psm3.csv"
PVLIB_DATA = importlib.resources.files("pvlib") / "data"
TMY3 = Path(str(PVLIB_DATA / "723170TYA.CSV"))
TMY3_SAND_POINT = Path(str(PVLIB_DATA / "703165TY.csv"))
TMY2 = Path(str(PVLIB_DATA / "12839.tm2"))
UTC_PLUS_1 = dt.timezone(dt.timedelta(hours=1))
COMMON = [
    "ghi",
    "dni",
    "dhi",
    "temp_air",
    "wind_speed",
    "pressure",
    "relative_humidity",
]


def tz(hours: float) -> dt.timezone:
    return dt.timezone(dt.timedelta(hours=hours))


def inconsistent_fraction(frame: pd.DataFrame, latitude: float, longitude: float):
    flags = quality_flags(frame, latitude=latitude, longitude=longitude)
    judged = flags["is_judged"]
    bad = judged & ~(flags["is_closure_ok"] & flags["is_dhi_consistent"])
    return bad.sum() / judged.sum()


def shifted(frame: pd.DataFrame, minutes: int) -> pd.DataFrame:
    return frame.set_axis(frame.index + pd.Timedelta(minutes=minutes))


# -- PVGIS typical year ---------------------------------------------------------------


def test_pvgis_csv_equals_pvlib_shifted_by_41_minutes():
    ours, meta = read_weather(PVGIS_CSV)
    ref, _ = pvlib.iotools.read_pvgis_tmy(PVGIS_CSV, pvgis_format="csv")
    # label = UTC stamp + 0.1761 h (rounded: 11 min) - 30 min, shown in UTC+1
    # (round(8 / 15) = 1): stamp + 41 min. The last UTC record (31 Dec 23:00 UTC)
    # lands on 31 Dec 23:41+01:00, still inside the year: no roll, file order kept.
    expected_index = pd.date_range(
        "1990-01-01 00:41", periods=8760, freq="h", tz=UTC_PLUS_1
    )
    pd.testing.assert_index_equal(ours.index, expected_index, check_freq=False)
    for column in ("ghi", "dni", "dhi", "temp_air", "wind_speed", "pressure"):
        assert_allclose(ours[column].to_numpy(), ref[column].to_numpy(), rtol=0, atol=0)
    assert_allclose(ours["relative_humidity"], ref["relative_humidity"], atol=0)
    assert meta.utc_offset_h == 1.0
    assert meta.is_typical_year and not meta.is_synthetic


def test_pvgis_csv_rows_read_from_the_file_text():
    ours, _ = read_weather(PVGIS_CSV)
    # line 28:   20180101:0900,3.23,99.4,149.0,125.3,117.0,289.1,0.97,238.0,99600.0
    row = ours.loc[pd.Timestamp("1990-01-01 09:41", tz=UTC_PLUS_1)]
    assert (row.temp_air, row.relative_humidity) == (3.23, 99.4)
    assert (row.ghi, row.dni, row.dhi) == (149.0, 125.3, 117.0)
    assert (row.wind_speed, row.pressure) == (0.97, 99600.0)
    # line 4134: 20060621:1100,30.79,34.6,926.0,804.04,180.0,397.9,0.97,191.0,99690.0
    row = ours.loc[pd.Timestamp("1990-06-21 11:41", tz=UTC_PLUS_1)]
    assert (row.ghi, row.dni, row.dhi, row.temp_air) == (926.0, 804.04, 180.0, 30.79)


def test_pvgis_offset_rolls_the_last_hours_to_1_january():
    ours, meta = read_weather(PVGIS_CSV, utc_offset_h=3.5)
    ref, _ = pvlib.iotools.read_pvgis_tmy(PVGIS_CSV, pvgis_format="csv")
    # label = stamp + 3.5 h - 19 min = stamp + 3 h 11 min: the UTC records of 31 Dec
    # 21:00, 22:00 and 23:00 fall on 1 Jan 1991 00:11, 01:11, 02:11 and wrap to the
    # start of 1990, exactly like pvlib's roll_utc_offset (np.roll by 3 rows).
    expected_index = pd.date_range(
        "1990-01-01 00:11", periods=8760, freq="h", tz=tz(3.5)
    )
    pd.testing.assert_index_equal(ours.index, expected_index, check_freq=False)
    assert_allclose(ours["ghi"], np.roll(ref["ghi"].to_numpy(), 3), atol=0)
    assert_allclose(ours["temp_air"], np.roll(ref["temp_air"].to_numpy(), 3), atol=0)
    assert meta.utc_offset_h == 3.5


@pytest.mark.parametrize("offset_h", [-12, -7, 0, 1, 3.5, 5.75, 14])
def test_pvgis_typical_year_rolls_like_pvlib_for_any_offset(offset_h):
    ours, _ = read_weather(PVGIS_CSV, utc_offset_h=offset_h)
    ref, _ = pvlib.iotools.read_pvgis_tmy(PVGIS_CSV, pvgis_format="csv")
    # record i (UTC stamp 1 Jan 00:00 + i h) gets the local label
    # 1 Jan 00:00 + i h + offset - 19 min; the first ceil((19 min - offset) / 1 h)
    # records fall before 1 January and wrap to the end (negative: the last ones
    # wrap to the start), i.e. np.roll by minus that many rows.
    rows = math.ceil((19 - offset_h * 60) / 60)
    assert_allclose(ours["ghi"], np.roll(ref["ghi"].to_numpy(), -rows), atol=0)
    assert ours.index[0].utcoffset() == dt.timedelta(hours=offset_h)
    assert ours.index[0].year == ours.index[-1].year == TYPICAL_YEAR
    assert len(ours) == 8760 and ours.index.is_monotonic_increasing


def test_pvgis_json_metadata_is_complete():
    ours, meta = read_weather(PVGIS_JSON)
    source = json.loads(PVGIS_JSON.read_text())
    assert meta.source == "pvgis-tmy"
    assert (meta.latitude, meta.longitude, meta.altitude) == (45.0, 8.0, 250.0)
    assert meta.sha256 == hashlib.sha256(PVGIS_JSON.read_bytes()).hexdigest()
    assert meta.path == str(PVGIS_JSON)
    assert meta.description.startswith("PVGIS-SARAH3 typical year")
    assert "2005-2023" in meta.description
    months = {m["year"] for m in source["outputs"]["months_selected"]}
    assert meta.years == tuple(sorted(months))
    assert meta.provenance["radiation_db"] == "PVGIS-SARAH3"
    assert meta.provenance["meteo_db"] == "ERA5"
    assert meta.provenance["irradiance_time_offset_h"] == "0.1761"
    assert meta.provenance["months_selected"].startswith("1:2018, 2:2007")
    assert list(ours.columns) == [*REQUIRED_COLUMNS, "pressure", "relative_humidity"]
    assert all(ours.dtypes == "float64")


def test_three_pvgis_formats_of_one_year_agree():
    """Acceptance: CSV, JSON and EPW of the same PVGIS year give the same weather.

    The annual sums must agree within 0.1 %; in fact every hourly value agrees
    exactly except wind speed, which the EPW rounds to 0.1 m/s (0.75 -> 0.7/0.8).
    The EPW also has a dew point and an all-missing albedo (999), dropped.
    """
    frames = {p.suffix: read_weather(p)[0] for p in (PVGIS_CSV, PVGIS_JSON, PVGIS_EPW)}
    reference = frames[".csv"]
    annual = reference[["ghi", "dni", "dhi"]].sum()
    # G(h) summed over the CSV's 8760 rows: 1,435,861 Wh/m² = 1435.9 kWh/m².
    assert annual["ghi"] == pytest.approx(1_435_861.0, abs=0.5)
    for frame in frames.values():
        assert_allclose(frame[["ghi", "dni", "dhi"]].sum(), annual, rtol=1e-3)
        pd.testing.assert_index_equal(frame.index, reference.index)
        exact = [c for c in COMMON if c != "wind_speed"]
        pd.testing.assert_frame_equal(frame[exact], reference[exact], check_exact=True)
        assert_allclose(frame["wind_speed"], reference["wind_speed"], atol=0.05 + 1e-9)
    assert "temp_dew" in frames[".epw"] and "albedo" not in frames[".epw"]


def test_pvgis_epw_rows_are_utc_not_the_time_zone_field(tmp_path):
    text = PVGIS_EPW.read_text()
    # The EPW's LOCATION line says time zone 1, yet its first row
    #   2018,1,1,1,0,...,2.04,1.21,94.38,99870.00,...
    # is the CSV's 00:00 UTC record "20180101:0000,2.04,94.38,...,99870.0":
    assert text.split("\n")[8].startswith("2018,1,1,1,0,")
    assert ",2.04,1.21,94.38,99870.00," in text.split("\n")[8]
    assert PVGIS_CSV.read_text().split("\n")[18].startswith("20180101:0000,2.04,94.38")
    ours, meta = read_weather(PVGIS_EPW)
    ref, ref_meta = pvlib.iotools.read_epw(PVGIS_EPW, coerce_year=TYPICAL_YEAR)
    assert ref_meta["TZ"] == 1.0
    # pvlib labels hour h at (h - 1):00 in UTC+1; PVGIS meant (h - 1):00 UTC, with
    # irradiance at + 0.1761 h (the comment's -0.8239 h from the EPW hour h): our
    # label is 41 min later than pvlib's wall-clock label.
    pd.testing.assert_index_equal(ours.index, ref.index + pd.Timedelta(minutes=41))
    assert_allclose(ours["ghi"], ref["ghi"], atol=0)
    assert meta.source == "epw" and meta.provenance["writer"] == "PVGIS"
    assert "PVGIS" in meta.description
    # A generic EPW (not PVGIS) of the same rows keeps pvlib's labels: hour-ending.
    generic = text.replace(
        "LOCATION,unknown,-,unknown,ECMWF/ERA,unknown",
        "LOCATION,Testville,-,ITA,TMY3,160000",
    ).replace("COMMENTS 2,Irradiance Time Offset (h):-0.8239", "COMMENTS 2,none")
    path = tmp_path / "generic.epw"
    path.write_text(generic)
    plain, plain_meta = read_weather(path)
    pd.testing.assert_index_equal(plain.index, ref.index.as_unit("us"))
    assert_allclose(plain["dni"], ref["dni"], atol=0)
    assert (
        "PVGIS" not in plain_meta.description and "writer" not in plain_meta.provenance
    )


@pytest.mark.parametrize("path", [PVGIS_CSV, PVGIS_EPW, PSM3, TMY3, TMY3_SAND_POINT])
def test_labels_put_the_sun_where_the_irradiance_says(path):
    """ghi = dhi + dni cos(zenith at label + 30 min) holds with our labels only.

    Zero daylight hours fail the 10 % + 20 W/m² closure with our labels; labels one
    hour off fail in more than 5 % of them (the error threshold of check_weather).
    """
    frame, meta = read_weather(path)
    assert inconsistent_fraction(frame, meta.latitude, meta.longitude) == 0.0
    for minutes in (-60, 60):
        moved = shifted(frame, minutes)
        assert inconsistent_fraction(moved, meta.latitude, meta.longitude) > 0.05


# -- TMY3 and TMY2 --------------------------------------------------------------------


def test_tmy3_equals_pvlib_one_hour_earlier():
    ours, meta = read_weather(TMY3)
    ref, ref_meta = pvlib.iotools.read_tmy3(
        TMY3, coerce_year=TYPICAL_YEAR, map_variables=False
    )
    # TMY3 "01/01/1988,01:00" ends the hour 00:00-01:00: our label is stamp - 1 h.
    pd.testing.assert_index_equal(
        ours.index, (ref.index - pd.Timedelta(hours=1)).as_unit("us")
    )
    for ours_name, ref_name in [("ghi", "GHI (W/m^2)"), ("dni", "DNI (W/m^2)"),
                                ("dhi", "DHI (W/m^2)"), ("temp_air", "Dry-bulb (C)"),
                                ("wind_speed", "Wspd (m/s)")]:  # fmt: skip
        assert_allclose(ours[ours_name], ref[ref_name], atol=0)
    assert_allclose(ours["pressure"], ref["Pressure (mbar)"] * 100.0)  # mbar -> Pa
    # raw line "06/21/1989,13:00,1287,1322,745,1,13,380,1,9,374,...,27.2,A,7,21.1,..."
    row = ours.loc[pd.Timestamp("1990-06-21 12:00", tz=tz(-5))]
    assert (row.ghi, row.dni, row.dhi, row.temp_air, row.temp_dew) == (
        745,
        380,
        374,
        27.2,
        21.1,
    )
    assert (meta.latitude, meta.longitude, meta.altitude) == (36.1, -79.95, 273.0)
    assert meta.utc_offset_h == -5.0 and "GREENSBORO" in meta.description
    # albedo is flagged '?' (missing) in 5904 hours: the column is dropped, labelled
    assert "albedo" not in ours and "dropped optional column albedo" in meta.repairs[0]


def test_tmy3_keeps_a_complete_albedo_column():
    ours, meta = read_weather(TMY3_SAND_POINT)
    # raw line 3: "01/01/1997,01:00,...,0.240,F,8,..." (albedo 0.240, source F)
    assert ours["albedo"].iloc[0] == 0.24
    assert meta.repairs == ()


def test_tmy2_equals_pvlib_with_units_converted():
    ours, meta = read_weather(TMY2)
    ref, _ = pvlib.iotools.read_tmy2(str(TMY2))
    # TMY2 keeps tenths of °C and m/s and mbar; pvlib's index is hour - 1, the start.
    for ours_name, ref_name, factor in [("ghi", "GHI", 1), ("dni", "DNI", 1),
                                        ("dhi", "DHI", 1), ("temp_air", "DryBulb", 0.1),
                                        ("wind_speed", "Wspd", 0.1),
                                        ("pressure", "Pressure", 100.0),
                                        ("relative_humidity", "RHum", 1),
                                        ("temp_dew", "DewPoint", 0.1)]:  # fmt: skip
        assert_allclose(ours[ours_name], ref[ref_name] * factor, rtol=1e-12)
    assert (ours.index.strftime("%m%d%H") == ref.index.strftime("%m%d%H")).all()
    assert ours.index[0] == pd.Timestamp("1990-01-01 00:00", tz=tz(-5))
    # raw line 4100: " 70062019019413230071E50139E40050E50076I5..." = 1970-06-20
    # hour 19 (18:00-19:00): ETR 194, ETRN 1323, GHI 71, DNI 139, DHI 50 Wh/m²
    row = ours.loc[pd.Timestamp("1990-06-20 18:00", tz=tz(-5))]
    assert (row.ghi, row.dni, row.dhi) == (71.0, 139.0, 50.0)
    assert meta.latitude == pytest.approx(25 + 48 / 60) and meta.altitude == 2.0
    assert meta.longitude == pytest.approx(-(80 + 16 / 60))
    assert "Miami" in meta.description and meta.source == "tmy2"


# -- PSM3 -----------------------------------------------------------------------------


def test_psm3_half_hour_samples_become_hour_means():
    ours, meta = read_weather(PSM3)
    ref, _ = pvlib.iotools.read_nsrdb_psm4(PSM3)
    # Samples are instantaneous at HH:00 and HH:30; the hour [HH:00, HH+1:00) gets the
    # mean of the straight lines through them: (v00 + 2 v30 + v60) / 4, labelled HH:00.
    v00 = ref[ref.index.minute == 0]
    v30 = ref[ref.index.minute == 30]
    expected_index = v00.index.tz_convert(tz(-7))
    pd.testing.assert_index_equal(ours.index, expected_index)
    for column in ("ghi", "dni", "dhi", "temp_air", "wind_speed", "albedo"):
        v60 = np.append(v00[column].to_numpy()[1:], v30[column].iloc[-1])
        expected = (v00[column].to_numpy() + 2 * v30[column].to_numpy() + v60) / 4
        assert_allclose(ours[column], expected, rtol=1e-12)
    # raw lines 8236-8238 (Year..Minute, DHI, GHI, DNI, ..., Temperature, Pressure):
    #   2017,6,21,12,0,95,1026,976,...,33.6,789
    #   2017,6,21,12,30,511,707,205,...,34,788
    #   2017,6,21,13,0,50,50,0,...,34.3,788
    row = ours.loc[pd.Timestamp("2017-06-21 12:00", tz=tz(-7))]
    assert row.ghi == (1026 + 2 * 707 + 50) / 4  # 622.5 W/m²
    assert row.dni == (976 + 2 * 205 + 0) / 4  # 346.5 W/m²
    assert row.dhi == (95 + 2 * 511 + 50) / 4  # 291.75 W/m²
    assert row.temp_air == pytest.approx((33.6 + 2 * 34 + 34.3) / 4)
    assert row.pressure == pytest.approx((789 + 2 * 788 + 788) / 4 * 100)  # mbar -> Pa
    # the annual sum equals the half-hourly integral SAM would make (sum / 2)
    assert ours["ghi"].sum() == pytest.approx(ref["ghi"].sum() / 2, rel=1e-4)
    assert not meta.is_typical_year and meta.years == (2017,)
    assert (meta.latitude, meta.longitude, meta.altitude) == (40.53, -108.54, 2168.0)
    assert "averaged the 30-minute PSM3 samples" in meta.repairs[0]


def test_hourly_psm3_stamped_at_half_past_is_labelled_on_the_hour(tmp_path):
    # An hourly PSM3 file (stamps HH:30, as the NSRDB serves 60-minute data since
    # 2019): the instant HH:30 is the middle of the hour [HH:00, HH+1:00).
    lines = PSM3.read_text().split("\n")
    hourly = lines[:3] + [line for line in lines[3:] if ",30," in line[:16]]
    path = tmp_path / "hourly.csv"
    path.write_text("\n".join(hourly) + "\n")
    ours, _ = read_weather(path)
    ref, _ = pvlib.iotools.read_nsrdb_psm4(path)
    pd.testing.assert_index_equal(
        ours.index, (ref.index - pd.Timedelta(minutes=30)).tz_convert(tz(-7))
    )
    assert_allclose(ours["ghi"], ref["ghi"], atol=0)
    assert ours.loc[pd.Timestamp("2017-06-21 12:00", tz=tz(-7)), "ghi"] == 707.0


def test_psm3_values_are_instantaneous_at_the_stamp():
    """The file's own zenith column equals NREL SPA at the stamp, not 30 min off."""
    ref, meta = pvlib.iotools.read_nsrdb_psm4(PSM3)
    for minutes, limit in ((0, 0.1), (-30, None), (30, None)):
        times = ref.index + pd.Timedelta(minutes=minutes)
        spa = pvlib.solarposition.spa_python(times, meta["latitude"], meta["longitude"])
        day = spa["zenith"].to_numpy() < 85
        error = np.abs(ref["solar_zenith"].to_numpy() - spa["zenith"].to_numpy())[day]
        if limit is not None:
            assert error.mean() < limit
        else:
            assert error.mean() > 3.0


# -- PVGIS hourly series --------------------------------------------------------------


def test_pvgis_hourly_plane_of_array_is_refused_with_the_fix():
    with pytest.raises(WeatherDataError) as err:
        read_weather(PVGIS_HOURLY_POA)
    text = str(err.value)
    assert text.startswith(str(PVGIS_HOURLY_POA))
    assert "plane-of-array" in text and "30 deg slope" in text
    assert "components=1" in text and "Radiation components" in text


def test_pvgis_hourly_slope_without_an_angle_is_named(tmp_path):
    # An edited header whose Slope line holds no number used to surface as
    # "'NoneType' object has no attribute 'group'" inside the generic message.
    text = PVGIS_HOURLY_POA.read_text().replace("Slope: 30 deg.", "Slope: flat")
    assert "Slope: flat" in text
    path = tmp_path / PVGIS_HOURLY_POA.name
    path.write_text(text)
    with pytest.raises(WeatherDataError) as err:
        read_weather(path)
    message = str(err.value)
    assert message.startswith(f"{path}: the header line 'Slope: flat' gives no angle")
    assert "NoneType" not in message


def test_pvgis_hourly_horizontal_components_give_ghi_dni_dhi(tmp_path):
    # A horizontal-plane series written in PVGIS's hourly CSV layout from the TMY's
    # values for 20-21 June: Gb(i) = dni sin(H_sun) at the sample instant HH:10.
    tmy, _ = pvlib.iotools.read_pvgis_tmy(PVGIS_CSV, pvgis_format="csv")
    days = tmy[(tmy.index.month == 6) & tmy.index.day.isin([20, 21])]
    instants = pd.DatetimeIndex(
        [t.replace(year=2016) + pd.Timedelta(minutes=10) for t in days.index]
    )
    elevation = pvlib.solarposition.spa_python(instants, 45.0, 8.0)["elevation"]
    elevation = elevation.clip(lower=0.0).round(2).to_numpy()
    beam = (days["dni"].to_numpy() * np.sin(np.radians(elevation))).round(2)
    lines = [
        "Latitude (decimal degrees):\t45.000",
        "Longitude (decimal degrees):\t8.000",
        "Elevation (m):\t250",
        "Radiation database:\tPVGIS-SARAH3",
        "",
        "",
        "Slope: 0 deg. ",
        "Azimuth: 0 deg. ",
        "time,Gb(i),Gd(i),Gr(i),H_sun,T2m,WS10m,Int",
    ]
    columns = (
        instants,
        beam,
        days["dhi"],
        elevation,
        days["temp_air"],
        days["wind_speed"],
    )
    for t, b, d, h, temp, wind in zip(*columns, strict=True):
        lines.append(f"{t:%Y%m%d:%H%M},{b},{d},0.0,{h},{temp},{wind},0.0")
    path = tmp_path / "Timeseries_45.000_8.000_SA3_0deg_0deg_2016_2016.csv"
    path.write_text("\n".join([*lines, "", "PVGIS (c) European Union, 2001-2024", ""]))
    ours, meta = read_weather(path)
    # label = instant (UTC) - 30 min, shown in UTC+1: 20 June 00:10 UTC -> 00:40+01:00
    assert ours.index[0] == pd.Timestamp("2016-06-20 00:40", tz=UTC_PLUS_1)
    assert_allclose(ours["ghi"], beam + days["dhi"].to_numpy(), atol=1e-9)
    assert_allclose(ours["dhi"], days["dhi"], atol=0)
    day = elevation > 5  # 0.005 W/m² rounding of Gb(i), divided by sin(H_sun)
    assert_allclose(ours["dni"].to_numpy()[day], days["dni"].to_numpy()[day], atol=0.1)
    assert meta.source == "pvgis-hourly" and not meta.is_typical_year
    assert meta.description == "PVGIS-SARAH3 hourly series 2016"
    # the same series in PVGIS's JSON layout reads to the same frame
    names = ["time", "Gb(i)", "Gd(i)", "Gr(i)", "H_sun", "T2m", "WS10m", "Int"]
    records = [dict(zip(names, line.split(","), strict=True)) for line in lines[9:]]
    for record in records:
        for key in names[1:]:
            record[key] = float(record[key])
    document = {
        "inputs": {
            "location": {"latitude": 45.0, "longitude": 8.0, "elevation": 250.0},
            "meteo_data": {"radiation_db": "PVGIS-SARAH3", "meteo_db": "ERA5"},
            "mounting_system": {"fixed": {"slope": {"value": 0, "optimal": False}}},
        },
        "outputs": {"hourly": records},
        "meta": {"inputs": {}, "outputs": {}},
    }
    json_path = tmp_path / "series.json"
    json_path.write_text(json.dumps(document))
    from_json, json_meta = read_weather(json_path)
    pd.testing.assert_frame_equal(from_json, ours)
    assert json_meta.description == meta.description


# -- plain CSV and native -------------------------------------------------------------


def test_plain_csv_with_a_column_map(tmp_path):
    tmy3, _ = read_weather(TMY3)
    table = pd.DataFrame(
        {
            "Timestamp": tmy3.index.tz_localize(None).strftime("%Y-%m-%d %H:%M"),
            "GHI": tmy3["ghi"],
            "DNI": tmy3["dni"],
            "DHI": tmy3["dhi"],
            "Tamb": tmy3["temp_air"],
            "WS": tmy3["wind_speed"],
        }  # fmt: skip
    )
    path = tmp_path / "station.csv"
    table.to_csv(path, index=False)
    column_map = {"Timestamp": "time", "GHI": "ghi", "DNI": "dni", "DHI": "dhi",
                  "Tamb": "temp_air", "WS": "wind_speed"}  # fmt: skip
    ours, meta = read_weather(
        path, column_map=column_map, utc_offset_h=-5, latitude=36.1, longitude=-79.95
    )
    pd.testing.assert_frame_equal(ours, tmy3[list(REQUIRED_COLUMNS)], check_freq=False)
    assert meta.source == "csv" and (meta.latitude, meta.longitude) == (36.1, -79.95)
    assert not meta.is_typical_year  # one increasing year: kept as a real year
    with pytest.raises(WeatherDataError, match="no coordinates"):
        read_weather(path, column_map=column_map, utc_offset_h=-5)
    with pytest.raises(WeatherDataError, match="no UTC offset"):
        read_weather(path, column_map=column_map, latitude=36.1, longitude=-79.95)
    with pytest.raises(WeatherDataError, match="unknown names"):
        read_weather(path, column_map={"GHI": "global"}, latitude=1, longitude=1)


def test_native_file_is_dispatched_on_its_first_line(tmp_path):
    native = pytest.importorskip("solarcase.weather.native")
    frame, meta = read_weather(PVGIS_CSV)
    path = tmp_path / "weather.dat"  # the extension says nothing
    native.write_native(frame, meta, path)
    assert path.read_text().startswith("# solarcase-weather v1\n")
    back, back_meta = read_weather(path)
    pd.testing.assert_frame_equal(back, frame, check_freq=False, atol=0.051)
    assert back_meta.description == meta.description
    moved, moved_meta = read_weather(path, utc_offset_h=3.5)
    assert moved_meta.utc_offset_h == 3.5 and moved.index.is_monotonic_increasing
    assert moved.index[0] == pd.Timestamp("1990-01-01 00:11", tz=tz(3.5))


# -- content, not extension -----------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "name"),
    [(PVGIS_CSV, "weather.txt"), (PVGIS_JSON, "weather.csv"), (PVGIS_EPW, "w.dat"),
     (TMY3, "weather.epw"), (TMY2, "tmy.csv"), (PSM3, "nsrdb.json")],
)  # fmt: skip
def test_wrong_extension_but_right_content_is_read(tmp_path, source, name):
    copy = tmp_path / name
    shutil.copyfile(source, copy)
    expected, expected_meta = read_weather(source)
    ours, meta = read_weather(copy)
    pd.testing.assert_frame_equal(ours, expected)
    assert meta.source == expected_meta.source and meta.sha256 == expected_meta.sha256


def test_time_zone_conversion_of_a_typical_year_wraps_it():
    local, _ = read_weather(TMY3)
    utc, meta = read_weather(TMY3, utc_offset_h=0)
    assert meta.utc_offset_h == 0.0 and utc.index[0] == pd.Timestamp(
        "1990-01-01", tz="UTC"
    )
    # 1 Jan 00:00 UTC is 31 Dec 19:00 at UTC-5 (the hour wraps around the year)
    pd.testing.assert_series_equal(
        utc.loc[pd.Timestamp("1990-01-01", tz="UTC")],
        local.loc[pd.Timestamp("1990-12-31 19:00", tz=tz(-5))],
        check_names=False,
    )
    assert_allclose(utc.sum(), local.sum(), rtol=1e-12)


# -- errors ---------------------------------------------------------------------------


def read_error(path: Path, **kwargs) -> str:
    with pytest.raises(WeatherDataError) as err:
        read_weather(path, **kwargs)
    message = str(err.value)
    assert message.startswith(str(path)), message
    return message


def test_missing_file_and_directory(tmp_path):
    assert "not found" in read_error(tmp_path / "nope.epw")
    assert "is a directory" in read_error(tmp_path)


def test_empty_file(tmp_path):
    for content in (b"", b"\n  \n"):
        path = tmp_path / "empty.csv"
        path.write_bytes(content)
        assert "empty" in read_error(path)


def test_binary_junk(tmp_path):
    path = tmp_path / "weather.epw"
    path.write_bytes(np.random.default_rng(0).bytes(4096))
    message = read_error(path)
    assert "not a text weather file" in message and "epw" in message
    path.write_bytes(b"PK\x03\x04" + bytes(100))
    assert "ZIP/XLSX" in read_error(path)


def test_truncated_files(tmp_path):
    raw = PVGIS_CSV.read_bytes()
    cut = tmp_path / "cut.csv"
    cut.write_bytes(raw[: len(raw) // 2])  # ends mid-line
    assert "truncated" in read_error(cut)
    lines = PVGIS_CSV.read_text().split("\n")
    cut.write_text("\n".join(lines[:5000]) + "\n")  # 18 header lines, 4982 rows
    assert "has 4982 hourly rows" in read_error(cut)
    tmy3 = tmp_path / "tmy3.csv"
    tmy3.write_text("\n".join(TMY3.read_text().split("\n")[:8000]) + "\n")
    assert "has 7998 hourly rows" in read_error(tmy3)
    json_cut = tmp_path / "cut.json"
    json_cut.write_bytes(PVGIS_JSON.read_bytes()[:100_000])
    assert "looks truncated" in read_error(json_cut)
    epw = tmp_path / "cut.epw"
    epw.write_text("\n".join(PVGIS_EPW.read_text().split("\n")[:4000]) + "\n")
    assert "has 3992 hourly rows" in read_error(epw)


def test_unknown_format_lists_the_supported_ones(tmp_path):
    path = tmp_path / "mystery.csv"
    path.write_text("a,b\n1,2\n")
    message = read_error(path)
    assert "unknown weather file format" in message and "'a,b'" in message
    assert all(name in message for name in SUPPORTED_FORMATS)
    assert "unknown weather format 'xls'" in read_error(PVGIS_CSV, format="xls")
    assert "unknown weather file format" in read_error(TMY3, format="pvgis")
    path.write_text("<!DOCTYPE html>\n<html><body>502 Bad Gateway</body></html>\n")
    assert "is a web page (HTML)" in read_error(path)
    path.write_text('{"message": "Location over the sea. Please, check your input."}')
    assert "'Location over the sea. Please, check your input.'" in read_error(path)


def test_missing_required_column(tmp_path):
    lines = PSM3.read_text().split("\n")
    header = lines[2].split(",")
    drop = header.index("Wind Speed")
    kept = [",".join(c for i, c in enumerate(line.split(",")) if i != drop)
            for line in lines[2:]]  # fmt: skip
    path = tmp_path / "no_wind.csv"
    path.write_text("\n".join(lines[:2] + kept))
    message = read_error(path)
    assert "wind_speed (wind speed)" in message and "column_map" in message


def test_corrupt_rows_raise_not_a_pandas_traceback(tmp_path):
    path = tmp_path / "bad.csv"
    text = PVGIS_CSV.read_text().replace("20180101:0900,3.23,", "20180101:0900,n/a,")
    path.write_text(text)
    message = read_error(path)
    assert "cannot be read as PVGIS typical year" in message
    assert "download it again" in message


def test_offset_must_be_a_quarter_hour_within_range():
    assert "multiple of 15 min" in read_error(TMY3, utc_offset_h=3.3)
    assert "multiple of 15 min" in read_error(TMY3, utc_offset_h=15)


# -- speed ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", [PVGIS_CSV, PVGIS_JSON, PVGIS_EPW, PSM3, TMY3, TMY2])
def test_reading_a_year_takes_under_100_ms(path):
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        frame, _ = read_weather(path)
        timings.append(time.perf_counter() - start)
    assert len(frame) == 8760
    assert set(frame.columns) <= {*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS}
    assert min(timings) < 0.1, timings
