"""PVGIS downloads against a local stand-in server that answers with real PVGIS files.

The server (``pvgis_server.FakePvgis``) answers the TMY tool with the real PVGIS
typical-year JSON from pvlib's test data, and the hourly tool with a SYNTHESISED
answer built from that year (see ``tests/data/weather/README.md``). Expected frames
come from :func:`read_weather` on the same bytes saved to disk, never from the code
under test; expected queries come from pvlib's documented PVGIS parameters.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pandas as pd
import pytest
from numpy.testing import assert_allclose
from pydantic import ValidationError

from solarcase.errors import WeatherDataError
from solarcase.scenario.models import Site, WeatherPvgis
from solarcase.settings import Settings
from solarcase.weather.native import DECIMALS
from solarcase.weather.pvgis import PvgisRequest, fetch_pvgis, pvgis_weather
from solarcase.weather.site import load_site_weather
from solarcase.weather.sources import read_weather

TMY = PvgisRequest(45.0, 8.0)
HOURLY = PvgisRequest(45.0, 8.0, kind="hourly", start_year=2017, end_year=2018)


def settings_for(server, tmp_path: Path, **changes) -> Settings:  # type: ignore[no-untyped-def]
    values = {
        "cache_dir": tmp_path / "cache",
        "pvgis_url": server.url,
        "pvgis_timeout_s": 5.0,
        "offline": False,
    }
    return Settings(**{**values, **changes})


def cached_files(tmp_path: Path) -> list[Path]:
    """Every file under the cache directory, temporary files included."""
    root = tmp_path / "cache"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


# -- the download equals the file -----------------------------------------------------


@pytest.mark.parametrize("offset_h", [None, 3.5])
def test_fetched_typical_year_equals_reading_the_same_file(
    pvgis_server, fake_pvgis, offset_h
):
    frame, meta = fetch_pvgis(TMY, url=fake_pvgis.url, utc_offset_h=offset_h)
    expected, expected_meta = read_weather(
        pvgis_server.PVGIS_TMY_JSON, utc_offset_h=offset_h
    )
    pd.testing.assert_frame_equal(frame, expected, check_exact=True)
    for field in ("source", "latitude", "longitude", "altitude", "utc_offset_h"):
        assert getattr(meta, field) == getattr(expected_meta, field), field
    assert meta.description == expected_meta.description
    assert meta.years == expected_meta.years and meta.path is None
    assert meta.provenance["radiation_db"] == "PVGIS-SARAH3"
    assert meta.provenance["request_url"] == fake_pvgis.url + (
        "tmy?lat=45.0&lon=8.0&outputformat=json"
    )
    assert meta.provenance["fetched_at"].endswith("Z")
    assert "get_pvgis_tmy" in meta.provenance["fetched_with"]
    # pvlib's get_pvgis_tmy sent exactly the recorded query to the TMY endpoint
    assert fake_pvgis.requests == [("/api/v5_3/tmy", TMY.query())]


def test_fetched_hourly_series_equals_the_answer_saved_to_disk(pvgis_server, tmp_path):
    answer = pvgis_server.synthesised_hourly_answer((2017, 2018))
    saved = tmp_path / "synthesised_seriescalc.json"
    saved.write_bytes(answer)
    with pvgis_server.FakePvgis() as server:
        server.replies["seriescalc"] = pvgis_server.Reply(answer)
        frame, meta = fetch_pvgis(HOURLY, url=server.url)
        ((path, query),) = server.requests
    expected, expected_meta = read_weather(saved)
    pd.testing.assert_frame_equal(frame, expected, check_exact=True)
    assert meta.source == "pvgis-hourly" and not meta.is_typical_year
    assert meta.years == (2017, 2018) == expected_meta.years
    assert len(frame) == 2 * 8760
    # a horizontal plane with the radiation components, no PV calculation, whole years
    # (pvlib: angle = surface_tilt, aspect = surface_azimuth - 180)
    assert path == "/api/v5_3/seriescalc"
    assert query["angle"] == "0" and query["aspect"] == "0"
    assert query["components"] == "1" and query["pvcalculation"] == "0"
    assert (query["startyear"], query["endyear"]) == ("2017", "2018")
    assert query == HOURLY.query()


def test_query_of_every_option_is_what_pvlib_sends(pvgis_server, tmp_path):
    tmy = PvgisRequest(32.87, 59.22, start_year=2005, end_year=2020, use_horizon=False)
    hourly = PvgisRequest(
        32.87, 59.22, kind="hourly", start_year=2010, end_year=2010,
        database="PVGIS-ERA5", use_horizon=False,
    )  # fmt: skip
    with pvgis_server.FakePvgis() as server:  # answers 404: only the query matters
        for request in (tmy, hourly):
            with pytest.raises(WeatherDataError):
                fetch_pvgis(request, url=server.url)
        seen = server.requests
    assert seen[0] == ("/api/v5_3/tmy", tmy.query())
    assert seen[0][1] == {
        "lat": "32.87", "lon": "59.22", "outputformat": "json", "usehorizon": "0",
        "startyear": "2005", "endyear": "2020",
    }  # fmt: skip
    assert seen[1] == ("/api/v5_3/seriescalc", hourly.query())
    assert seen[1][1]["raddatabase"] == "PVGIS-ERA5"
    assert seen[1][1]["usehorizon"] == "0"


# -- the cache ------------------------------------------------------------------------


def test_second_call_is_served_from_the_cache_without_a_request(fake_pvgis, tmp_path):
    settings = settings_for(fake_pvgis, tmp_path)
    first, first_meta = pvgis_weather(TMY, settings=settings, utc_offset_h=3.5)
    assert len(fake_pvgis.requests) == 1
    second, second_meta = pvgis_weather(TMY, settings=settings, utc_offset_h=3.5)
    assert len(fake_pvgis.requests) == 1  # no second request
    pd.testing.assert_frame_equal(first, second, check_exact=True)
    expected_file = (
        tmp_path / "cache" / "pvgis"
        / "pvgis_tmy_+45.00_+8.00_all-years_default-db_horizon_v5_3.csv"
    )  # fmt: skip
    assert cached_files(tmp_path) == [expected_file]
    assert first_meta.path == second_meta.path == str(expected_file)
    assert second_meta.provenance["request_url"].endswith(
        "tmy?lat=45.0&lon=8.0&outputformat=json"
    )
    assert first_meta.provenance["fetched_at"] == second_meta.provenance["fetched_at"]
    # the cache is a native file with the provenance in its header
    header = expected_file.read_text().splitlines()[:40]
    assert header[0] == "# solarcase-weather v1"
    assert any(line.startswith("# provenance.fetched_at: ") for line in header)
    assert any(line.startswith("# provenance.radiation_db: PVGIS-") for line in header)


def test_cached_data_needs_no_server_at_all(fake_pvgis, tmp_path):
    pvgis_weather(TMY, settings=settings_for(fake_pvgis, tmp_path))
    closed = settings_for(fake_pvgis, tmp_path, pvgis_url=fake_pvgis.url, offline=True)
    frame, meta = pvgis_weather(TMY, settings=closed)
    assert len(frame) == 8760 and meta.source == "pvgis-tmy"
    assert len(fake_pvgis.requests) == 1


def test_cached_year_equals_the_file_within_the_native_rounding(
    pvgis_server, fake_pvgis, tmp_path
):
    frame, _ = pvgis_weather(
        TMY, settings=settings_for(fake_pvgis, tmp_path), utc_offset_h=3.5
    )
    expected, _ = read_weather(pvgis_server.PVGIS_TMY_JSON, utc_offset_h=3.5)
    pd.testing.assert_index_equal(frame.index, expected.index)
    assert list(frame.columns) == list(expected.columns)
    for column in expected.columns:
        # the native CSV keeps DECIMALS[column] places: half a unit of the last one
        atol = 0.5 * 10.0 ** -DECIMALS[column] + 1e-9
        assert_allclose(frame[column], expected[column], rtol=0, atol=atol)


def test_refresh_downloads_again_and_replaces_the_file(fake_pvgis, tmp_path):
    settings = settings_for(fake_pvgis, tmp_path)
    pvgis_weather(TMY, settings=settings)
    pvgis_weather(TMY, settings=settings, refresh=True)
    assert len(fake_pvgis.requests) == 2
    assert len(cached_files(tmp_path)) == 1


def test_file_keeps_the_data_where_the_scenario_says(fake_pvgis, tmp_path):
    target = tmp_path / "project" / "weather" / "site-pvgis.csv"
    settings = settings_for(fake_pvgis, tmp_path)
    frame, meta = pvgis_weather(TMY, settings=settings, file=target)
    assert target.is_file() and meta.path == str(target)
    assert cached_files(tmp_path) == []  # nothing in the user cache
    again, _ = pvgis_weather(TMY, settings=settings, file=target)
    assert len(fake_pvgis.requests) == 1
    pd.testing.assert_frame_equal(frame, again)


def test_answer_saved_by_hand_is_used_offline(pvgis_server, tmp_path):
    # as the offline error says: save the PVGIS JSON answer as <cache name>.json
    cache = tmp_path / "cache" / "pvgis"
    cache.mkdir(parents=True)
    name = TMY.cache_name(pvgis_server.FakePvgis().url)
    shutil.copyfile(pvgis_server.PVGIS_TMY_JSON, cache / (name + ".json"))
    settings = Settings(
        cache_dir=tmp_path / "cache",
        pvgis_url="http://127.0.0.1:9/api/v5_3/",
        pvgis_timeout_s=1.0,
        offline=True,
    )
    frame, meta = pvgis_weather(TMY, settings=settings)
    expected, _ = read_weather(pvgis_server.PVGIS_TMY_JSON)
    pd.testing.assert_frame_equal(frame, expected, check_exact=True)
    assert meta.provenance["obtained"] == "saved by hand (no download record)"
    # ... or as the scenario's site.weather.file, whatever its extension
    target = tmp_path / "weather" / "birjand-pvgis-tmy.csv"
    target.parent.mkdir()
    shutil.copyfile(pvgis_server.PVGIS_TMY_JSON, target)
    from_file, _ = pvgis_weather(TMY, settings=settings, file=target)
    pd.testing.assert_frame_equal(from_file, expected, check_exact=True)


def test_a_file_that_is_not_pvgis_data_is_refused(fake_pvgis, tmp_path):
    # e.g. --set site.weather.source=pvgis on a scenario whose file is a synthetic year
    synthetic = Path(__file__).parents[2] / "weather" / "birjand-synthetic.csv"
    settings = settings_for(fake_pvgis, tmp_path)
    with pytest.raises(WeatherDataError) as err:
        pvgis_weather(TMY, settings=settings, file=synthetic)
    text = str(err.value)
    assert text.startswith(str(synthetic)) and "holds synthetic data, not PVGIS" in text
    assert "use source: file" in text
    assert fake_pvgis.requests == []


def test_cached_file_of_the_wrong_kind_is_refused(fake_pvgis, tmp_path):
    settings = settings_for(fake_pvgis, tmp_path)
    target = tmp_path / "w.csv"
    pvgis_weather(TMY, settings=settings, file=target)
    with pytest.raises(WeatherDataError) as err:
        pvgis_weather(HOURLY, settings=settings, file=target)
    text = str(err.value)
    assert text.startswith(str(target)) and "holds a typical year" in text
    assert "site.weather.kind" in text


# -- failures: a clear error and no cache file ----------------------------------------

FAILURES = {
    # name: (reply settings, words the message must hold)
    "HTTP 500": (
        {"body": b"Internal Server Error", "status": 500, "content_type": "text/plain"},
        ["HTTP 500", "try again later"],
    ),
    # SYNTHESISED error answer in PVGIS's JSON error layout ({"message": ...})
    "HTTP 400 with PVGIS's message": (
        {
            "body": b'{"message": "Location over the sea. Please, select another '
            b'location", "status": 400}',
            "status": 400,
        },
        ["refused the request", "Location over the sea", "on land"],
    ),
    "time-out": ({"delay_s": 1.5}, ["did not answer within 0.3 s"]),
    "cut off, Content-Length promised": (
        {"cut_at": 600_000},
        ["cut off before its end", "nothing was saved"],
    ),
    "cut off, no Content-Length": (
        {"cut_at": 600_000, "promise_full_length": False},
        ["not a complete PVGIS answer", "JSONDecodeError", "nothing was saved"],
    ),
    "a login page": (
        {"body": b"<!DOCTYPE html><html><body>Sign in</body></html>"},
        ["a web page, not PVGIS data"],
    ),
    "JSON without the data": (
        {"body": b'{"inputs": {}, "meta": {}}'},
        ["not a complete PVGIS answer", "KeyError"],
    ),
}


@pytest.mark.parametrize("case", list(FAILURES))
def test_each_failure_is_a_clear_error_and_leaves_no_cache_file(
    pvgis_server, tmp_path, case
):
    reply_settings, words = FAILURES[case]
    reply = pvgis_server.Reply(
        **{"body": pvgis_server.PVGIS_TMY_JSON.read_bytes(), **reply_settings}
    )
    with pvgis_server.FakePvgis() as server:
        server.replies["tmy"] = reply
        settings = settings_for(server, tmp_path, pvgis_timeout_s=0.3)
        started = time.perf_counter()
        with pytest.raises(WeatherDataError) as err:
            pvgis_weather(TMY, settings=settings)
        elapsed_s = time.perf_counter() - started
    text = str(err.value)
    assert text.startswith("PVGIS typical year at 45.00 N, 8.00 E: ")
    for word in words:
        assert word in text, (word, text)
    # ... and says how to get the file by hand and where to put it
    assert "To get it by hand, open " + server.url + "tmy?lat=45.0&lon=8.0" in text
    assert "re.jrc.ec.europa.eu/pvg_tools" in text
    assert (
        str(tmp_path / "cache" / "pvgis" / TMY.cache_name(server.url)) + ".json" in text
    )
    assert cached_files(tmp_path) == []
    assert elapsed_s < 1.2  # the time-out cut the wait short


def test_truncated_typical_year_is_refused(pvgis_server, tmp_path):
    # a well-formed answer with 100 of the 8760 hours: cut by a proxy, say
    import json

    document = json.loads(pvgis_server.PVGIS_TMY_JSON.read_text())
    document["outputs"]["tmy_hourly"] = document["outputs"]["tmy_hourly"][:100]
    with pvgis_server.FakePvgis() as server:
        server.replies["tmy"] = pvgis_server.Reply(json.dumps(document).encode())
        with pytest.raises(WeatherDataError, match="has 100 hourly rows"):
            pvgis_weather(TMY, settings=settings_for(server, tmp_path))
    assert cached_files(tmp_path) == []


def test_data_that_fail_the_checks_are_not_cached(pvgis_server, tmp_path):
    # a corrupted copy of the real answer: irradiance x 10 (Wh per 6 min, say)
    import json

    document = json.loads(pvgis_server.PVGIS_TMY_JSON.read_text())
    for record in document["outputs"]["tmy_hourly"]:
        for key in ("G(h)", "Gb(n)", "Gd(h)"):
            record[key] *= 10.0
    with pvgis_server.FakePvgis() as server:
        server.replies["tmy"] = pvgis_server.Reply(json.dumps(document).encode())
        with pytest.raises(WeatherDataError, match="above 1.2 x the extraterrestrial"):
            pvgis_weather(TMY, settings=settings_for(server, tmp_path))
    assert cached_files(tmp_path) == []


def test_no_connection_says_how_to_get_the_file_by_hand(tmp_path):
    settings = Settings(
        cache_dir=tmp_path / "cache",
        pvgis_url="http://127.0.0.1:9/api/v5_3/",
        pvgis_timeout_s=2.0,
        offline=False,
    )
    with pytest.raises(WeatherDataError) as err:
        pvgis_weather(PvgisRequest(32.8731, 59.2163), settings=settings)
    text = str(err.value)
    assert "cannot reach PVGIS at http://127.0.0.1:9/api/v5_3/" in text
    assert "tmy?lat=32.87&lon=59.22&outputformat=json" in text
    assert "pvgis_tmy_+32.87_+59.22_all-years_default-db_horizon_v5_3.json" in text
    assert cached_files(tmp_path) == []


def test_offline_cache_miss_is_an_error_without_any_request(fake_pvgis, tmp_path):
    settings = settings_for(fake_pvgis, tmp_path, offline=True)
    with pytest.raises(WeatherDataError) as err:
        pvgis_weather(HOURLY, settings=settings)
    text = str(err.value)
    assert fake_pvgis.requests == []
    assert "SOLARCASE_OFFLINE" in text and "not in the cache" in text
    assert "seriescalc?lat=45.0&lon=8.0" in text and "Radiation components" in text


# -- the request ----------------------------------------------------------------------


def test_request_rounds_coordinates_to_a_hundredth_of_a_degree():
    request = PvgisRequest(32.87349, -59.21651)
    assert (request.latitude, request.longitude) == (32.87, -59.22)
    assert request.describe() == "PVGIS typical year at 32.87 N, 59.22 W"
    assert request.cache_name("https://mirror.example/pvgis/api/v5_3/") == (
        "pvgis_tmy_+32.87_-59.22_all-years_default-db_horizon_v5_3"
    )
    other = PvgisRequest(
        1.0, 2.0, kind="hourly", start_year=2005, end_year=2023,
        database="PVGIS-SARAH3", use_horizon=False,
    )  # fmt: skip
    assert other.cache_name() == (
        "pvgis_hourly_+1.00_+2.00_2005-2023_PVGIS-SARAH3_no-horizon_v5_3"
    )


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        ({"latitude": 95.0}, "latitude in [-90, 90]"),
        ({"kind": "daily"}, "kind must be 'tmy' or 'hourly'"),
        ({"start_year": 2005}, "give both the first and the last year"),
        ({"start_year": 2020, "end_year": 2010}, "years must run forward"),
        ({"start_year": 2015, "end_year": 2020}, "at least 10 years"),
        ({"database": "PVGIS-SARAH3"}, "hourly series only"),
        ({"kind": "hourly", "database": "SARAH3"}, "must look like PVGIS-SARAH3"),
    ],
)
def test_request_rules(arguments, words):
    values = {"latitude": 45.0, "longitude": 8.0, **arguments}
    with pytest.raises(WeatherDataError, match="PVGIS request") as err:
        PvgisRequest(**values)
    assert words in str(err.value)


# -- the scenario ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weather", "loc", "kind"),
    [
        ({"source": "pvgis", "kind": "daily"}, ("pvgis", "kind"), "literal_error"),
        ({"source": "pvgis", "years": "2005/2023"}, ("pvgis", "years"), "value_error"),
        ({"source": "pvgis", "years": "2015-2020"}, ("pvgis",), "value_error"),
        ({"source": "pvgis", "database": "PVGIS-ERA5"}, ("pvgis",), "value_error"),
        (
            {"source": "pvgis", "kind": "hourly", "database": "era5"},
            ("pvgis", "database"),
            "string_pattern_mismatch",
        ),
        ({"source": "pvgis", "lat": 3}, ("pvgis", "lat"), "extra_forbidden"),
    ],
)
def test_scenario_weather_pvgis_rules(weather, loc, kind):
    site = {"name": "x", "latitude": 45.0, "longitude": 8.0, "weather": weather}
    with pytest.raises(ValidationError) as err:
        Site.model_validate(site)
    errors = [(e["loc"], e["type"]) for e in err.value.errors(include_url=False)]
    assert (("weather", *loc), kind) in errors


def test_scenario_defaults_to_the_typical_year_of_all_years():
    weather = WeatherPvgis.model_validate({"source": "pvgis"})
    assert (weather.kind, weather.year_range, weather.database) == ("tmy", None, None)
    assert weather.use_horizon and weather.file is None
    hourly = WeatherPvgis.model_validate(
        {"source": "pvgis", "kind": "hourly", "years": 2020}
    )
    assert hourly.year_range == (2020, 2020)


def test_site_weather_from_pvgis_is_checked_against_the_site(fake_pvgis, tmp_path):
    site = Site.model_validate(
        {
            "name": "Fixture site",
            "latitude": 45.0,
            "longitude": 8.0,
            "timezone": "+01:00",
            "weather": {"source": "pvgis"},
        }
    )
    settings = settings_for(fake_pvgis, tmp_path)
    frame, meta = load_site_weather(site, where="s.yaml", settings=settings)
    assert "quality_checks" in meta.provenance and meta.source == "pvgis-tmy"
    assert frame.index[0].utcoffset() == pd.Timedelta(hours=1)
    load_site_weather(site, where="s.yaml", settings=settings)
    assert len(fake_pvgis.requests) == 1
    far = site.model_copy(update={"latitude": 47.0})  # 2 deg (222 km) north
    with pytest.raises(WeatherDataError) as err:
        load_site_weather(far, where="s.yaml", settings=settings)
    assert str(err.value).startswith("s.yaml: site.weather (")
    assert "222 km apart" in str(err.value)


def test_site_offline_error_names_the_scenario_key(tmp_path):
    site = Site.model_validate(
        {
            "name": "B",
            "latitude": 32.87,
            "longitude": 59.22,
            "weather": {"source": "pvgis"},
        }
    )
    settings = Settings.from_env(
        {"SOLARCASE_CACHE_DIR": str(tmp_path), "SOLARCASE_OFFLINE": "1"}
    )
    with pytest.raises(WeatherDataError) as err:
        load_site_weather(site, where="birjand.yaml", settings=settings)
    text = str(err.value)
    assert text.startswith("birjand.yaml: site.weather (source: pvgis): PVGIS typical")
    assert "https://re.jrc.ec.europa.eu/api/v5_3/tmy?lat=32.87&lon=59.22" in text
