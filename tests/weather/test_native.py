"""Tests of the native solarcase weather CSV (solarcase.weather.native)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import stat
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from solarcase.errors import OutputError, WeatherDataError
from solarcase.weather.frame import WeatherMeta
from solarcase.weather.native import MAGIC_LINE, read_native, write_native


def _frame(utc_offset_h: float = 3.5, hours: int = 48) -> pd.DataFrame:
    """A small frame whose values already sit on the file's rounding grid."""
    tz = dt.timezone(dt.timedelta(minutes=round(utc_offset_h * 60)))
    index = pd.date_range(dt.datetime(1990, 1, 1), periods=hours, freq="h").tz_localize(
        tz
    )
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "ghi": np.round(rng.uniform(0, 1000, hours), 1),
            "dni": np.round(rng.uniform(0, 900, hours), 1),
            "dhi": np.round(rng.uniform(0, 300, hours), 1),
            "temp_air": np.round(rng.uniform(-20, 45, hours), 1),
            "wind_speed": np.round(rng.uniform(0, 12, hours), 2),
            "relative_humidity": np.round(rng.uniform(5, 100, hours), 1),
        },
        index=index,
    )


def _meta(utc_offset_h: float = 3.5) -> WeatherMeta:
    return WeatherMeta(
        source="synthetic",
        latitude=32.8905,
        longitude=59.2836,
        altitude=1491.0,
        utc_offset_h=utc_offset_h,
        is_synthetic=True,
        is_typical_year=True,
        description="SYNTHETIC test year, with: colons, commas",
        provenance={
            "seed": "7",
            "note": "two\nlines and a back\\slash",
            "normals_sources": "IRIMO; a, b",
        },
        years=(2005, 2006),
        repairs=("clipped 3 negative ghi values to 0", "filled 1 gap"),
    )


def test_round_trip_preserves_frame_and_metadata(tmp_path: Path) -> None:
    frame, meta = _frame(), _meta()
    path = tmp_path / "w.csv"
    write_native(frame, meta, path)
    got_frame, got_meta = read_native(path)
    pd.testing.assert_frame_equal(got_frame, frame, check_freq=False)
    assert got_frame.index.tz.utcoffset(None) == dt.timedelta(hours=3.5)
    assert replace(got_meta, path=None, sha256=None) == meta
    assert got_meta.path == str(path)
    assert got_meta.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_round_trip_without_optional_metadata_and_negative_offset(
    tmp_path: Path,
) -> None:
    frame = _frame(-3.5).drop(columns="relative_humidity")
    meta = replace(
        _meta(-3.5), altitude=None, description="", years=(), repairs=(), provenance={}
    )
    path = tmp_path / "w.csv"
    write_native(frame, meta, path)
    text = path.read_text(encoding="utf-8")
    assert "1990-01-01T00:00:00-03:30," in text
    assert "# altitude" not in text and "# years" not in text
    got_frame, got_meta = read_native(path)
    pd.testing.assert_frame_equal(got_frame, frame, check_freq=False)
    assert replace(got_meta, path=None, sha256=None) == meta


def test_written_text_follows_the_format(tmp_path: Path) -> None:
    frame = _frame(hours=2)
    frame.iloc[0] = [123.456, 0.04, -0.04, -0.04, 1.2371, 55.54]
    frame.iloc[1, 3] = np.nan  # a gap in temp_air
    path = tmp_path / "w.csv"
    write_native(frame, _meta(), path)
    lines = path.read_bytes().decode("utf-8").split("\n")
    assert lines[0] == MAGIC_LINE == "# solarcase-weather v1"
    assert lines[1:9] == [
        "# source: synthetic",
        "# latitude: 32.8905",
        "# longitude: 59.2836",
        "# altitude: 1491.0",
        "# utc_offset_h: 3.5",
        "# is_synthetic: true",
        "# is_typical_year: true",
        "# description: SYNTHETIC test year, with: colons, commas",
    ]
    assert "# years: 2005,2006" in lines
    assert "# repair: filled 1 gap" in lines
    assert "# provenance.note: two\\nlines and a back\\\\slash" in lines
    header = lines.index("time,ghi,dni,dhi,temp_air,wind_speed,relative_humidity")
    # 123.456 -> 123.5 (0.1 W/m²); -0.04 -> 0.0, never "-0.0"; 1.2371 m/s -> 1.24
    assert lines[header + 1] == "1990-01-01T00:00:00+03:30,123.5,0.0,0.0,0.0,1.24,55.5"
    assert lines[header + 2].split(",")[4] == ""  # the gap stays empty
    assert lines[-1] == ""  # text ends with one newline
    got, _ = read_native(path)
    assert np.isnan(got["temp_air"].iloc[1])


def test_write_is_atomic_and_replaces_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "w.csv"
    path.write_text("old content")
    write_native(_frame(), _meta(), path)
    assert path.read_text(encoding="utf-8").startswith(MAGIC_LINE)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.csv"]  # no temp left
    mask = os.umask(0o022)
    os.umask(mask)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o666 & ~mask  # not mkstemp's 0600


def test_write_to_missing_directory_is_an_output_error(tmp_path: Path) -> None:
    path = tmp_path / "missing" / "w.csv"
    with pytest.raises(OutputError, match="missing/w.csv: cannot write"):
        write_native(_frame(), _meta(), path)


def test_writer_rejects_frames_that_break_the_contract(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="UTC offset"):
        write_native(_frame(4.5), _meta(3.5), tmp_path / "a.csv")
    with pytest.raises(ValueError, match="tz-aware"):
        write_native(_frame().tz_localize(None), _meta(), tmp_path / "b.csv")
    with pytest.raises(ValueError, match="missing"):
        write_native(_frame().drop(columns="dni"), _meta(), tmp_path / "c.csv")
    assert not list(tmp_path.iterdir())


def test_reader_accepts_crlf_and_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "w.csv"
    write_native(_frame(), _meta(), path)
    crlf = tmp_path / "crlf.csv"
    crlf.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    a, meta_a = read_native(path)
    b, meta_b = read_native(crlf)
    pd.testing.assert_frame_equal(a, b)
    assert meta_a.provenance == meta_b.provenance
    assert meta_b.sha256 == hashlib.sha256(crlf.read_bytes()).hexdigest()


GOOD = [
    "# solarcase-weather v1",
    "# source: synthetic",
    "# latitude: 32.89",
    "# longitude: 59.28",
    "# utc_offset_h: 3.5",
    "# is_synthetic: true",
    "# is_typical_year: true",
    "time,ghi,dni,dhi,temp_air,wind_speed",
    "1990-01-01T00:00:00+03:30,0.0,0.0,0.0,1.0,2.00",
    "1990-01-01T01:00:00+03:30,0.0,0.0,0.0,0.5,2.10",
]


def _edit(index: int, text: str | None) -> list[str]:
    lines = list(GOOD)
    if text is None:
        del lines[index]
    else:
        lines[index] = text
    return lines


MALFORMED = {
    "magic": (_edit(0, "# solarcase-weather v2"), 1, "line 1 must be"),
    "header shape": (_edit(1, "# source=synthetic"), 2, "'# key: value'"),
    "unknown key": (_edit(1, "# sauce: synthetic"), 2, "unknown header key"),
    "missing key": (_edit(2, None), 7, "header lacks latitude"),
    "latitude": (_edit(2, "# latitude: north"), 3, "latitude must be a number"),
    "bool": (_edit(5, "# is_synthetic: yes"), 6, "true or false"),
    "columns": (_edit(7, "time,ghi,dhi,dni,temp_air,wind_speed"), 8, "column header"),
    "unknown column": (_edit(7, GOOD[7] + ",cloud"), 8, "column header"),
    "fields": (_edit(8, "1990-01-01T00:00:00+03:30,0.0,0.0,1.0,2.00"), 9, "6 fields"),
    "number": (_edit(9, GOOD[9].replace("0.5", "warm")), 10, "temp_air must be"),
    "infinite": (_edit(9, GOOD[9].replace("0.5", "inf")), 10, "temp_air must be"),
    "time": (_edit(8, GOOD[8].replace("1990-01-01T00", "1990-13-01T00")), 9, "ISO"),
    "offset": (_edit(9, GOOD[9].replace("+03:30", "+00:00")), 10, "+03:30"),
    "naive time": (_edit(9, GOOD[9].replace("+03:30", "")), 10, "UTC offset"),
    "order": (_edit(9, GOOD[8]), 10, "does not come after"),
    "no rows": (GOOD[:8], 9, "no data rows"),
    "no column header": (GOOD[:7], 8, "no column header"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_files_name_file_line_and_fix(tmp_path: Path, case: str) -> None:
    lines, line_no, fragment = MALFORMED[case]
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(WeatherDataError) as info:
        read_native(path)
    message = str(info.value)
    assert message.startswith(f"{path}: line {line_no}: "), message
    assert fragment in message
    assert "; " in message  # a fix follows the problem


def test_good_template_reads(tmp_path: Path) -> None:
    path = tmp_path / "good.csv"
    path.write_text("\n".join(GOOD) + "\n", encoding="utf-8")
    frame, meta = read_native(path)
    assert frame["temp_air"].tolist() == [1.0, 0.5]
    assert meta.altitude is None and meta.years == () and meta.provenance == {}


def test_unreadable_files_are_weather_data_errors(tmp_path: Path) -> None:
    with pytest.raises(WeatherDataError, match="cannot read"):
        read_native(tmp_path / "absent.csv")
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"# solarcase-weather v1\n\xff\xfe\x00")
    with pytest.raises(WeatherDataError, match="not UTF-8"):
        read_native(binary)
