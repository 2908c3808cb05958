"""Writing output files: through a temporary name, and only inside the folder they belong to."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path


def output_path(folder: Path, name: str) -> Path:
    """`folder / name`, refusing a name that would put the file anywhere else (a separator, `..`, a
    leading dot, a control character): names are built from codes that may come from a submitted file."""
    if (
        not name
        or name.startswith(".")
        or any(c in name for c in "/\\")
        or any(ord(c) < 32 for c in name)
        or (folder / name).resolve().parent != folder.resolve()
    ):
        raise ValueError(f"nama berkas keluaran tidak sah: {name!r}")
    return folder / name


def write_atomically(path: Path, write: Callable[[Path], None]) -> Path:
    """Write through a temporary file beside `path`, so no reader sees half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
