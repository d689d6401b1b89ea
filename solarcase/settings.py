"""Application settings: where solarcase caches data and how it reaches PVGIS.

Settings are not part of a scenario: they describe the machine, not the plant. They
come from environment variables with the ``SOLARCASE_`` prefix, read once per call of
:meth:`Settings.from_env` (plain :data:`os.environ`, no extra dependency):

- ``SOLARCASE_CACHE_DIR``: the cache directory (default
  ``$XDG_CACHE_HOME/solarcase``, else ``~/.cache/solarcase``);
- ``SOLARCASE_PVGIS_URL``: base URL of the PVGIS API, ending in ``/``; a mirror or a
  local test server stands in here (default :data:`DEFAULT_PVGIS_URL`);
- ``SOLARCASE_PVGIS_TIMEOUT_S``: seconds to wait for PVGIS's answer (default 60);
- ``SOLARCASE_OFFLINE``: ``1``/``true``/``yes`` to never use the network; a cache miss
  is then an error that says how to get the file by hand (default off).

Nothing here touches the network or the disk: the cache directory is created only when
something is written to it.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from solarcase.errors import SolarcaseError

ENV_PREFIX = "SOLARCASE_"
#: PVGIS 5.3 API. Pinned (not pvlib's unversioned URL) so that a cached year and a
#: fresh one come from the same PVGIS version and databases (PVGIS-SARAH3, ERA5).
DEFAULT_PVGIS_URL = "https://re.jrc.ec.europa.eu/api/v5_3/"
DEFAULT_PVGIS_TIMEOUT_S = 60.0
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}


@dataclass(frozen=True, slots=True)
class Settings:
    """Machine settings for data downloads and caching."""

    cache_dir: Path
    """Directory of cached downloads (PVGIS answers go to ``cache_dir / "pvgis"``)."""
    pvgis_url: str
    """Base URL of the PVGIS API, ending in ``/`` (``tmy`` or ``seriescalc`` is
    appended)."""
    pvgis_timeout_s: float
    """Time to wait for PVGIS to connect and to send each part of its answer [s]."""
    offline: bool
    """True: never use the network."""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from ``SOLARCASE_*`` environment variables, with defaults.

        Parameters
        ----------
        environ : mapping, optional
            Environment to read; default :data:`os.environ`.

        Returns
        -------
        settings : Settings

        Raises
        ------
        SolarcaseError
            A variable with a value that cannot be used; the message names the
            variable, the value and the fix.

        Examples
        --------
        >>> s = Settings.from_env({"HOME": "/home/ali", "SOLARCASE_OFFLINE": "1"})
        >>> str(s.cache_dir), s.offline
        ('/home/ali/.cache/solarcase', True)
        """
        env = os.environ if environ is None else environ
        return cls(
            cache_dir=_cache_dir(env),
            pvgis_url=_url(env.get(ENV_PREFIX + "PVGIS_URL", DEFAULT_PVGIS_URL)),
            pvgis_timeout_s=_timeout_s(env.get(ENV_PREFIX + "PVGIS_TIMEOUT_S")),
            offline=_flag(ENV_PREFIX + "OFFLINE", env.get(ENV_PREFIX + "OFFLINE", "")),
        )


def _cache_dir(env: Mapping[str, str]) -> Path:
    """SOLARCASE_CACHE_DIR, else the XDG cache directory, else ~/.cache/solarcase."""
    explicit = env.get(ENV_PREFIX + "CACHE_DIR", "").strip()
    if explicit:
        return Path(explicit).expanduser()
    xdg = env.get("XDG_CACHE_HOME", "").strip()
    if xdg and Path(xdg).is_absolute():  # the XDG spec ignores relative paths
        return Path(xdg) / "solarcase"
    home = env.get("HOME", "").strip()
    base = Path(home) if home else Path.home()
    return base / ".cache" / "solarcase"


def _url(value: str) -> str:
    url = value.strip()
    if not url.startswith(("http://", "https://")):
        raise SolarcaseError(
            f"{ENV_PREFIX}PVGIS_URL: must be an http(s) URL, got {value!r}; unset it "
            f"for PVGIS itself ({DEFAULT_PVGIS_URL})"
        )
    return url if url.endswith("/") else url + "/"


def _timeout_s(value: str | None) -> float:
    if value is None or not value.strip():
        return DEFAULT_PVGIS_TIMEOUT_S
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and seconds > 0):
        raise SolarcaseError(
            f"{ENV_PREFIX}PVGIS_TIMEOUT_S: must be a positive number of seconds, got "
            f"{value!r}; e.g. {ENV_PREFIX}PVGIS_TIMEOUT_S=120"
        )
    return seconds


def _flag(name: str, value: str) -> bool:
    text = value.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise SolarcaseError(
        f"{name}: must be 1/true/yes or 0/false/no, got {value!r}; e.g. {name}=1"
    )
