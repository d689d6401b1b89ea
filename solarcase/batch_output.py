"""Batch state on disk: one record per item, and the batch log.

State is one small JSON file per item, ``records/<key>.json``, written atomically
(temporary file, then rename) as soon as the item's record arrives. A batch killed
at any moment leaves only complete records (and perhaps a stray ``.tmp`` file, which
is ignored), so re-running the same command picks up where it stopped.

A record is reused when its item's description is unchanged (the file name is the
description's key: scenario file, overrides, weather choice, seed), it succeeded, it
was made by this solarcase version, and every file it depended on (the scenario file
and its ``extends`` bases, the weather file, the normals table) still has the
SHA-256 recorded then. Failed items are always run again (a weather fetch may work
now). The tables are built from the records by :mod:`solarcase.batch_tables`.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

from solarcase import __version__
from solarcase.atomic import write_text_atomically
from solarcase.batch_items import BatchItem
from solarcase.batch_worker import item_dir
from solarcase.errors import OutputError
from solarcase.report.serialise import json_clean


class RecordStore:
    """The ``records/`` folder of a batch: one JSON file per item, atomically."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.directory = out_dir / "records"
        self._digests: dict[str, str | None] = {}
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise OutputError(
                f"{out_dir}: cannot create the batch folder ({err.strerror}); choose "
                "another --out"
            ) from err

    def path(self, key: str) -> Path:
        """The record file of an item key."""
        return self.directory / f"{key}.json"

    def read(self, key: str) -> dict | None:
        """The record of a key, or None if there is none (or it is unreadable)."""
        try:
            data = json.loads(self.path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def read_item(self, item: BatchItem) -> dict | None:
        """The record of an item (see :meth:`read`)."""
        return self.read(item.key)

    def write(self, record: dict) -> None:
        """Write a record atomically: complete or absent, never half-written."""
        text = json.dumps(json_clean(record), ensure_ascii=False, allow_nan=False)
        write_text_atomically(self.path(record["key"]), text)

    def digest(self, path: str) -> str | None:
        """SHA-256 of a file's bytes now (memoised for this run); None if gone."""
        if path not in self._digests:
            try:
                self._digests[path] = hashlib.sha256(
                    Path(path).read_bytes()
                ).hexdigest()
            except OSError:
                self._digests[path] = None
        return self._digests[path]

    def reusable(
        self, item: BatchItem, *, outputs: tuple[str, ...] = ()
    ) -> dict | None:
        """The item's earlier record if nothing it depends on has changed.

        ``outputs`` names files that must exist in the item's folder (e.g.
        ``("result.json", "hourly.csv")`` when the run asks for them).
        """
        record = self.read(item.key)
        if record is None or record.get("status") != "ok":
            return None
        if record.get("version") != __version__ or record.get("key") != item.key:
            return None
        dependencies = record.get("dependencies") or {}
        if not dependencies or any(
            self.digest(path) != digest for path, digest in dependencies.items()
        ):
            return None
        folder = item_dir(self.out_dir, item)
        if outputs and not (
            record.get("item_id") == item.item_id
            and all((folder / name).is_file() for name in outputs)
        ):
            return None
        return record


class BatchLog:
    """``batch.log``: one header per run, failures, errors with their traceback."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def write(self, text: str) -> None:
        """Append lines to the log (append-only; each call flushes)."""
        try:
            with self.path.open("a", encoding="utf-8") as stream:
                stream.write(text if text.endswith("\n") else text + "\n")
        except OSError as err:
            raise OutputError(
                f"{self.path}: cannot write the batch log ({err.strerror})"
            ) from err

    def start(self, description: str) -> None:
        """Log the start of a run."""
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        self.write(f"== {stamp} solarcase {__version__} batch: {description}")

    def record(self, item: BatchItem, record: dict) -> None:
        """Log a failed or errored item (successes are in the tables)."""
        status = record.get("status")
        if status == "failed":
            self.write(f"failed {item.item_id}: {record.get('error')}")
        elif status == "error":
            self.write(f"error {item.item_id}: {record.get('error')}")
            if record.get("traceback"):
                self.write(record["traceback"])
