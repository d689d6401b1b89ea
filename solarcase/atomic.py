"""Write files atomically: a failure never leaves a half-written file behind.

Every file is rendered in memory first, written to a temporary file in the target
directory, given the permissions the process umask allows, and renamed into place
only when all of them were written. A leaf module (it imports nothing heavy), so the
weather cache, the batch and the reports all use the same writer. A file too large to
render in memory (the batch's tables, written block by block) is streamed to
:func:`atomic_path` instead, which gives it the same permissions and rename.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from solarcase.errors import OutputError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "atomic_path",
    "figure_png",
    "write_files_atomically",
    "write_text_atomically",
]


def write_files_atomically(
    out_dir: Path, contents: Mapping[str, str | bytes]
) -> list[Path]:
    """Write several files (text or bytes) so that either all appear or none do."""
    created = not out_dir.exists()
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(
            f"{out_dir}: exists and is not a directory; choose another --out"
        )
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(
            f"{out_dir}: cannot create the output directory ({err.strerror}); "
            "choose another --out"
        ) from err
    temporary: dict[Path, Path] = {}
    try:
        for name, text in contents.items():
            handle, tmp = tempfile.mkstemp(
                dir=out_dir, prefix=f".{name}.", suffix=".tmp"
            )
            temporary[out_dir / name] = Path(tmp)
            if isinstance(text, bytes):
                with os.fdopen(handle, "wb") as binary:
                    binary.write(text)
            else:
                with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
                    stream.write(text)
        mode = 0o666 & ~_umask()
        for final, staged in temporary.items():
            os.chmod(staged, mode)
            os.replace(staged, final)
    except OSError as err:
        for staged in temporary.values():
            staged.unlink(missing_ok=True)
        if created:
            _remove_if_empty(out_dir)
        raise OutputError(
            f"{out_dir}: cannot write the results ({err.strerror}); check the "
            "permissions and free space, or choose another --out"
        ) from err
    return list(temporary)


def write_text_atomically(path: Path, text: str) -> None:
    """Write one text file atomically (temporary file, then rename)."""
    write_files_atomically(path.parent, {path.name: text})


@contextmanager
def atomic_path(
    path: Path, *, fix: str = "check the permissions and free space of its folder"
) -> Iterator[Path]:
    """A temporary file beside ``path`` for a writer that streams (block by block).

    When the ``with`` block ends normally, the temporary file gets the permissions
    the umask allows (as :func:`write_files_atomically` gives) and is renamed onto
    ``path``; when it raises, the temporary file is removed and ``path`` is left as
    it was. The folder must exist.

    Raises
    ------
    OutputError
        If the temporary file cannot be made, written or renamed (an ``OSError`` in
        the block included); the message names ``path`` and ends with ``fix``.
    """
    try:
        handle, name = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
        )
    except OSError as err:
        raise _cannot_write(path, err, fix) from err
    os.close(handle)
    staged = Path(name)
    try:
        yield staged
        os.chmod(staged, 0o666 & ~_umask())
        os.replace(staged, path)
    except BaseException as err:
        staged.unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise _cannot_write(path, err, fix) from err
        raise


def _cannot_write(path: Path, err: OSError, fix: str) -> OutputError:
    return OutputError(f"{path}: cannot write the file ({err.strerror or err}); {fix}")


def figure_png(figure: Figure, *, dpi: int = 100) -> bytes:
    """A matplotlib figure rendered to PNG bytes (no pyplot state)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def _umask() -> int:
    """The process umask (read by setting and restoring it)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _remove_if_empty(directory: Path) -> None:
    try:
        directory.rmdir()
    except OSError:
        pass
