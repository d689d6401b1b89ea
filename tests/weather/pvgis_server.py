"""A local stand-in for the PVGIS API, and a guard that keeps tests off the internet.

:class:`FakePvgis` is an ``http.server`` on 127.0.0.1 (port 0: the system picks a free
one) in a thread. It answers ``.../tmy`` and ``.../seriescalc`` with the bytes it is
given (the recorded PVGIS fixture files), counts and records every request, and can
misbehave on purpose: an HTTP error status, a delay longer than the client's
time-out, or a body cut off after some bytes (with or without a Content-Length that
promises the full body).

:func:`synthesised_hourly_answer` builds a PVGIS ``seriescalc`` JSON answer from the
real PVGIS typical-year fixture; it is SYNTHESISED (no recorded multi-year hourly JSON
was available), see ``tests/data/weather/README.md``.

Imported by the tests through its path (the tests directory is not a package).
"""

from __future__ import annotations

import functools
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import numpy as np
import pandas as pd
import pvlib

DATA = Path(__file__).parents[1] / "data" / "weather"
PVGIS_TMY_JSON = DATA / "tmy_45.000_8.000_2005_2023.json"
PVGIS_TMY_CSV = DATA / "tmy_45.000_8.000_2005_2023.csv"
API_PATH = "/api/v5_3/"
LOOPBACK = {"127.0.0.1", "::1", "localhost"}


@dataclass
class Reply:
    """How the fake server answers one endpoint."""

    body: bytes
    status: int = 200
    content_type: str = "application/json"
    delay_s: float = 0.0
    """Sleep this long before answering (a time-out test)."""
    cut_at: int | None = None
    """Send only this many bytes of the body, then close the connection."""
    promise_full_length: bool = True
    """With ``cut_at``: still announce the full body's Content-Length."""


@dataclass
class FakePvgis:
    """A PVGIS-like HTTP server on 127.0.0.1; use as a context manager."""

    replies: dict[str, Reply] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                parts = urlsplit(self.path)
                owner.requests.append((parts.path, dict(parse_qsl(parts.query))))
                endpoint = parts.path.rsplit("/", 1)[-1]
                reply = owner.replies.get(endpoint) or Reply(
                    b'{"message": "fake PVGIS: no reply set", "status": 404}', 404
                )
                time.sleep(reply.delay_s)
                body = reply.body
                sent = body if reply.cut_at is None else body[: reply.cut_at]
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                if reply.cut_at is None or reply.promise_full_length:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(sent)
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (time-out test)
                self.close_connection = True

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.02},
            daemon=True,
        )

    @property
    def url(self) -> str:
        """Base URL to give as SOLARCASE_PVGIS_URL."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{API_PATH}"

    def __enter__(self) -> FakePvgis:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def guard_network(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Make any connection to a host other than the loopback fail loudly."""
    real_connect = socket.socket.connect

    def connect(self: socket.socket, address: object) -> None:
        host = address[0] if isinstance(address, tuple) else None
        if self.family in (socket.AF_INET, socket.AF_INET6) and host not in LOOPBACK:
            raise AssertionError(f"a test tried to reach the internet: {address!r}")
        real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)


@functools.cache
def synthesised_hourly_answer(years: tuple[int, ...] = (2017, 2018)) -> bytes:
    """A SYNTHESISED PVGIS ``seriescalc`` JSON answer built from the real TMY fixture.

    Each year repeats the PVGIS typical year's values (45.0 N, 8.0 E) on that year's
    calendar, in the layout of PVGIS's hourly JSON for a horizontal plane with the
    radiation components: the sample instants are the TMY's UTC stamps + 10 min (as
    in PVGIS-SARAH hourly files), ``Gb(i) = Gb(n) sin(H_sun)`` with ``H_sun`` from
    pvlib's SPA at that instant, ``Gd(i) = Gd(h)``, ``Gr(i) = 0`` (a horizontal plane
    sees no ground). Years must not be leap years (the TMY has no 29 February).
    """
    source = json.loads(PVGIS_TMY_JSON.read_text())
    tmy = pd.DataFrame(source["outputs"]["tmy_hourly"])
    stamps = pd.to_datetime(tmy["time(UTC)"], format="%Y%m%d:%H%M", utc=True)
    records = []
    for year in years:
        assert not pd.Timestamp(year, 1, 1).is_leap_year, year
        instants = pd.DatetimeIndex(
            [t.replace(year=year) + pd.Timedelta(minutes=10) for t in stamps]
        )
        order = np.argsort(instants.to_numpy())
        position = pvlib.solarposition.spa_python(instants, 45.0, 8.0)
        elevation = position["elevation"].clip(lower=0.0).round(2).to_numpy()
        beam = (tmy["Gb(n)"].to_numpy() * np.sin(np.radians(elevation))).round(2)
        for i in order:
            records.append(
                {
                    "time": f"{instants[i]:%Y%m%d:%H%M}",
                    "Gb(i)": float(beam[i]),
                    "Gd(i)": float(tmy["Gd(h)"].iloc[i]),
                    "Gr(i)": 0.0,
                    "H_sun": float(elevation[i]),
                    "T2m": float(tmy["T2m"].iloc[i]),
                    "WS10m": float(tmy["WS10m"].iloc[i]),
                    "Int": 0.0,
                }
            )
    document = {
        "inputs": {
            "location": {"latitude": 45.0, "longitude": 8.0, "elevation": 250.0},
            "meteo_data": {
                "radiation_db": "PVGIS-SARAH3",
                "meteo_db": "ERA5",
                "year_min": min(years),
                "year_max": max(years),
                "use_horizon": True,
                "horizon_db": "DEM-calculated",
            },
            "mounting_system": {
                "fixed": {
                    "slope": {"value": 0, "optimal": False},
                    "azimuth": {"value": 0, "optimal": False},
                    "type": "free-standing",
                }
            },
        },
        "outputs": {"hourly": records},
        "meta": {"inputs": {}, "outputs": {}},
    }
    return json.dumps(document).encode()
