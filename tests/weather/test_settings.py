"""App settings (``solarcase.settings``) from SOLARCASE_* environment variables."""

from __future__ import annotations

from pathlib import Path

import pytest

from solarcase.errors import SolarcaseError
from solarcase.settings import DEFAULT_PVGIS_URL, Settings


def test_defaults_follow_the_xdg_cache_convention():
    settings = Settings.from_env({"HOME": "/home/ali"})
    assert settings.cache_dir == Path("/home/ali/.cache/solarcase")
    assert (
        settings.pvgis_url
        == DEFAULT_PVGIS_URL
        == "https://re.jrc.ec.europa.eu/api/v5_3/"
    )
    assert settings.pvgis_timeout_s == 60.0 and settings.offline is False
    xdg = Settings.from_env({"HOME": "/home/ali", "XDG_CACHE_HOME": "/var/cache/ali"})
    assert xdg.cache_dir == Path("/var/cache/ali/solarcase")
    # the XDG spec says a relative XDG_CACHE_HOME is invalid and must be ignored
    relative = Settings.from_env({"HOME": "/home/ali", "XDG_CACHE_HOME": "cache"})
    assert relative.cache_dir == Path("/home/ali/.cache/solarcase")


def test_every_setting_can_be_overridden():
    settings = Settings.from_env(
        {
            "XDG_CACHE_HOME": "/var/cache/ali",
            "SOLARCASE_CACHE_DIR": "/data/solarcase-cache",
            "SOLARCASE_PVGIS_URL": "http://127.0.0.1:8080/api/v5_3",
            "SOLARCASE_PVGIS_TIMEOUT_S": "120",
            "SOLARCASE_OFFLINE": "Yes",
        }
    )
    assert settings.cache_dir == Path("/data/solarcase-cache")
    assert settings.pvgis_url == "http://127.0.0.1:8080/api/v5_3/"  # "/" added
    assert settings.pvgis_timeout_s == 120.0 and settings.offline is True


def test_the_process_environment_is_read(monkeypatch, tmp_path):
    monkeypatch.setenv("SOLARCASE_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("SOLARCASE_OFFLINE", "0")
    settings = Settings.from_env()
    assert settings.cache_dir == tmp_path and settings.offline is False


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("SOLARCASE_PVGIS_URL", "re.jrc.ec.europa.eu/api", "must be an http(s) URL"),
        ("SOLARCASE_PVGIS_TIMEOUT_S", "soon", "positive number of seconds"),
        ("SOLARCASE_PVGIS_TIMEOUT_S", "-5", "positive number of seconds"),
        ("SOLARCASE_OFFLINE", "maybe", "must be 1/true/yes or 0/false/no"),
    ],
)
def test_a_bad_value_names_the_variable_and_the_fix(name, value, words):
    with pytest.raises(SolarcaseError) as err:
        Settings.from_env({"HOME": "/h", name: value})
    text = str(err.value)
    assert text.startswith(f"{name}: ") and words in text and repr(value) in text
