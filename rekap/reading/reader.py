"""Read one submitted file (xlsx template or csv) into a `ParsedFile`: identity, raw data rows with their
Excel row numbers, and the problems found while reading. Never raises on bad input."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from rekap.files import sha256_of
from rekap.reading.delimited import _read_csv
from rekap.reading.parsed import FileRejected, ParsedFile, Problem
from rekap.reading.workbook import _read_workbook
from rekap.settings import Limits

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


_ENCRYPTED_OOXML = "EncryptionInfo".encode("utf-16-le")


def read_submission(
    path: Path, source_path: str | None = None, file_hash: str | None = None, limits: Limits | None = None
) -> ParsedFile:
    """Read one file. Every failure becomes a `Problem` in the result; nothing is raised."""
    limits = limits or Limits()
    parsed = ParsedFile(
        file_hash=file_hash or sha256_of(path),
        source_path=source_path or str(path),
        file_name=Path(source_path or path).name,
        format=path.suffix.lower().lstrip("."),
    )
    try:
        data = _read_bytes(path, limits)
        parsed.size = len(data)
        kind = _sniff_kind(path, data)
        parsed.format = kind
        if kind == "csv":
            _read_csv(parsed, data, limits)
        else:
            archive = _check_zip(data, limits)
            _read_workbook(parsed, data, archive, limits)
    except FileRejected as rejected:
        parsed.rows, parsed.skipped = [], []
        parsed.problems.append(rejected.problem)
    except Exception as exc:  # a reader library choking on a malformed file must not stop the run
        _unreadable(parsed, exc)
    except BaseException as exc:
        # A panic in the Rust of python-calamine arrives as pyo3's PanicException, a BaseException.
        if type(exc).__name__ != "PanicException":
            raise
        _unreadable(parsed, exc)
    return parsed


def _unreadable(parsed: ParsedFile, exc: BaseException) -> None:
    parsed.rows, parsed.skipped = [], []
    detail = f"isi workbook tidak dapat dibaca ({type(exc).__name__}: {str(exc)[:200]})"
    parsed.problems.append(Problem("F02", detail=detail))


def _read_bytes(path: Path, limits: Limits) -> bytes:
    size = path.stat().st_size
    if size == 0:
        raise FileRejected(Problem("F05"))
    if size > limits.max_file_bytes:
        raise FileRejected(Problem("F04", detail=f"ukuran {size} byte > batas {limits.max_file_bytes}"))
    return path.read_bytes()


def _sniff_kind(path: Path, data: bytes) -> str:
    """Decide the format from the content, not only the name: an `.xlsx` may be anything."""
    suffix = path.suffix.lower()
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTED_OOXML in data:
            raise FileRejected(Problem("F03"))
        raise FileRejected(Problem("F01", detail="format Excel lama (.xls)"))
    if data.startswith(b"PK"):
        if b"mimetypeapplication/vnd.oasis.opendocument" in data[:200]:
            raise FileRejected(Problem("F01", detail="format OpenDocument (.ods)"))
        if suffix == ".csv":
            raise FileRejected(Problem("F01", detail="berkas bernama .csv tetapi isinya arsip zip"))
        return "xlsx"
    if suffix == ".csv":
        return "csv"
    if suffix in (".xlsx", ".xlsm"):
        raise FileRejected(Problem("F02", detail="bukan arsip zip (berkas terpotong atau bukan xlsx)"))
    label = suffix or "tanpa ekstensi"
    raise FileRejected(Problem("F01", detail=f"jenis berkas {label}"))


def _check_zip(data: bytes, limits: Limits) -> zipfile.ZipFile:
    """Reject archives that are not a workbook or are built to exhaust memory; the opened archive is
    returned so that the later look-ups in it do not parse its directory again."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
        names = {m.filename for m in members}
    except zipfile.BadZipFile as exc:
        raise FileRejected(Problem("F02", detail="arsip zip rusak atau terpotong")) from exc
    if "EncryptedPackage" in names:
        raise FileRejected(Problem("F03"))
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/worksheets/") for n in names):
        raise FileRejected(Problem("F02", detail="arsip zip tanpa isi workbook Excel"))
    total = sum(m.file_size for m in members)
    if total > limits.max_uncompressed_bytes:
        raise FileRejected(
            Problem("F04", detail=f"isi terurai {total} byte > batas {limits.max_uncompressed_bytes}")
        )
    for m in members:
        if m.compress_size and m.file_size / m.compress_size > limits.max_compression_ratio:
            raise FileRejected(Problem("F04", detail=f"rasio kompresi {m.filename} terlalu besar"))
    return archive
