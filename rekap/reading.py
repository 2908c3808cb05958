"""Read one submitted file (xlsx template or csv) into a `ParsedFile`: identity, raw data rows with their
Excel row numbers, and the problems found while reading. Never raises on bad input."""

from __future__ import annotations

import contextlib
import csv
import difflib
import hashlib
import html
import io
import operator
import posixpath
import re
import zipfile
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from itertools import compress
from pathlib import Path

from python_calamine import CalamineWorkbook

from rekap import xlsx_scan
from rekap.normalize import clean_text, header_key, parse_triwulan, visible
from rekap.settings import Limits
from rekap.xlsx_scan import column_letter


@dataclass(frozen=True)
class Field:
    """A column of the Realisasi sheet or a label of the Identitas sheet."""

    name: str
    label: str  # canonical header, as in the spec
    synonyms: tuple[str, ...] = ()
    required: bool = False

    @property
    def keys(self) -> set[str]:
        """Header keys that name this field."""
        return {header_key(s) for s in (self.label, self.name, *self.synonyms)}


COLUMNS: tuple[Field, ...] = (
    Field("no", "No", ("Nomor", "No.", "No Urut")),
    Field("kode_sub_kegiatan", "Kode Sub Kegiatan", ("Kode Sub Giat", "Kode", "Kode Subkegiatan",
          "Kode Rekening Sub Kegiatan"), True),
    Field("nama_sub_kegiatan", "Nama Sub Kegiatan", ("Sub Kegiatan", "Uraian", "Nama Subkegiatan",
          "Uraian Sub Kegiatan"), True),
    Field("strategi", "Strategi", ("Strategi KE", "Strategi Inpres 4/2022", "Strategi Inpres"), True),
    Field("sumber_dana", "Sumber Dana", ("Dana",), True),
    Field("pagu", "Pagu (Rp)", ("Pagu Anggaran", "Anggaran", "Pagu Perubahan", "Pagu"), True),
    Field("pagu_murni", "Pagu Murni (Rp)", ("Pagu APBD Murni", "Pagu Murni")),
    Field("realisasi_triwulan", "Realisasi Triwulan Ini (Rp)", ("Realisasi TW", "Realisasi Triwulan",
          "Realisasi TW Ini", "Realisasi Triwulan Ini")),
    Field("realisasi_kumulatif", "Realisasi s.d. Triwulan Ini (Rp)", ("Realisasi Kumulatif",
          "Realisasi s/d TW", "Realisasi sd Triwulan Ini", "Realisasi s.d. TW", "Realisasi s/d Triwulan Ini",
          "Realisasi s.d Triwulan Ini")),
    Field("indikator", "Indikator Keluaran", ("Indikator", "Output", "Indikator Kinerja")),
    Field("satuan", "Satuan", ()),
    Field("target_volume", "Target Volume", ("Target",)),
    Field("realisasi_volume", "Realisasi Volume", ("Capaian Volume", "Realisasi Fisik")),
    Field("sasaran_kk", "Sasaran KK", ("Jumlah KK", "Penerima Manfaat (KK)", "Penerima Manfaat KK")),
    Field("lokasi", "Lokasi", ("Kode Lokasi", "Kecamatan/Desa", "Lokasi Kecamatan/Desa")),
    Field("keterangan", "Keterangan", ("Catatan", "Permasalahan")),
)  # fmt: skip
COLUMN_BY_NAME = {f.name: f for f in COLUMNS}

IDENTITY: tuple[Field, ...] = (
    Field("kode_pemda", "Kode Pemda", ("Kode Pemerintah Daerah", "Kode Wilayah"), True),
    Field("nama_pemda", "Nama Pemda", ("Nama Pemerintah Daerah", "Pemda"), True),
    Field("tahun", "Tahun Anggaran", ("Tahun", "TA"), True),
    Field("triwulan", "Triwulan", ("TW",), True),
    Field("kode_skpd", "Kode SKPD", ("Kode OPD", "Kode Unit"), True),
    Field("nama_skpd", "Nama SKPD", ("Nama OPD", "SKPD", "OPD", "Nama Unit"), True),
    Field("revisi", "Revisi", ("Revisi Ke",)),
    Field("tanggal_laporan", "Tanggal Laporan", ("Tanggal",)),
    Field("penanggung_jawab", "Penanggung Jawab", ("Nama Penanggung Jawab", "Kepala SKPD")),
    Field("nip", "NIP", ("NIP Penanggung Jawab",)),
)
IDENTITY_BY_NAME = {f.name: f for f in IDENTITY}

_TOTAL_ROW = re.compile(
    r"^\s*(jumlah|total|grand total|jumlah total|sub\s*total|sub\s*jumlah)\b", re.IGNORECASE
)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_OOXML = "EncryptionInfo".encode("utf-16-le")


@dataclass
class Problem:
    """Something wrong (or repaired) in a file, located as Excel shows it."""

    rule: str
    sheet: str | None = None
    row: int | None = None  # Excel row number, 1-based
    column: str | None = None  # Excel column letter
    column_label: str | None = None  # canonical header of the column
    value: str | None = None
    detail: str = ""


@dataclass(frozen=True)
class SkippedRow:
    """A non-empty row below the header of the data table that the reader did not take as data."""

    baris: int  # Excel row number, 1-based
    jenis: str  # one of SKIPPED_KINDS
    teks: str  # the row's non-empty cells, joined with " | ", clipped, invisible characters escaped


# The kinds of rows below the header that are not data; every other non-empty row there is data (and is
# validated) or a finding.
SKIPPED_KINDS: dict[str, str] = {
    "nomor_kolom": "the row of column numbers (1, 2, 3, ...) that templates print under the header",
    "jumlah": "a total or subtotal row (JUMLAH, TOTAL, SUB TOTAL, ...) without a sub kegiatan code, "
    "wherever it is in the table: the rows below it are read on",
    "catatan": "a row inside the table with neither a sub kegiatan code nor an amount: a group heading, "
    "a note",
    "tanda_tangan": "a row below the table's last total row and below its last row with a sub kegiatan "
    "code, without such a code: the signature block and notes under the table",
}
SKIPPED_TEXT_CHARS = 200


@dataclass
class ParsedFile:
    """What the reader found in one file."""

    file_hash: str
    source_path: str
    file_name: str
    format: str
    size: int = 0
    identity: dict[str, object] = field(default_factory=dict)
    identity_where: dict[str, tuple[str, int, str]] = field(default_factory=dict)
    sheet: str | None = None
    columns: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (letter, header as written)
    rows: list[dict[str, object]] = field(default_factory=list)  # name -> raw cell, plus "_baris"
    problems: list[Problem] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)  # rows below the header that are not data

    @property
    def readable(self) -> bool:
        """True when the reader could reach the data rows (no file-level error)."""
        from rekap.rules import RULES

        return not any(RULES[p.rule].tingkat == "error" and p.rule.startswith("F") for p in self.problems)


class FileRejected(Exception):
    """Internal: stop reading this file with one file-level problem."""

    def __init__(self, problem: Problem):
        super().__init__(problem.rule)
        self.problem = problem


def sha256_of(path: Path) -> str:
    """Content hash of a file: the identity of a submission."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


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


# --- xlsx ----------------------------------------------------------------------------------------


def _inspect_workbook(archive: zipfile.ZipFile, limits: Limits) -> dict[str, bytes]:
    """Sheet name -> worksheet XML, read before any spreadsheet library sees the file. Check there every
    bound that loading the workbook could exceed (`rekap.xlsx_scan`): the extent, columns and cells of
    each worksheet and of all of them together, its merged ranges, and the text its shared strings
    expand to. A file over a bound is rejected (F04) at the cell that makes it so, before calamine
    allocates anything for it."""
    infos = archive.infolist()
    by_lower = {i.filename.lower(): i.filename for i in infos}
    paths = _sheet_paths(archive.read("xl/workbook.xml"), archive.read("xl/_rels/workbook.xml.rels"))
    # Every member a sheet may be loaded from: the worksheets folder, and each relationship's target as
    # written and resolved (a writer may point anywhere inside the archive).
    members = {
        n: n for n in by_lower.values() if n.lower().startswith("xl/worksheets/") and n.endswith(".xml")
    }
    for name, target in paths.items():
        for candidate in (target, posixpath.normpath(target)):
            if candidate.lower() in by_lower:
                members[by_lower[candidate.lower()]] = name
    xml_of = {member: archive.read(member) for member in members}
    extents = {}
    for member, xml in xml_of.items():
        extent = xlsx_scan.sheet_extent(xml)
        if not extent.exact and (
            max(extent.area, extent.cells) > limits.max_cells or extent.last_column >= limits.max_columns
        ):
            extent = xlsx_scan.walk_cells(xml, formulas=False)
        sheet = members[member] if members[member] != member else _sheet_name_of(member, paths)
        _check_extent(sheet, extent, limits)
        merges = xlsx_scan.merge_count(xml, limits.max_merged_ranges)
        if merges > limits.max_merged_ranges:
            detail = f"{merges} sel gabungan (merge) > batas {limits.max_merged_ranges}"
            raise FileRejected(Problem("F04", sheet=sheet, detail=detail))
        extents[member] = extent
    if sum(e.area for e in extents.values()) > limits.max_cells:
        # The bounds of the sheets together exceed the limit: count exactly before saying so.
        exact = [
            e if e.exact else xlsx_scan.walk_cells(xml_of[m], formulas=False) for m, e in extents.items()
        ]
        total = sum(e.area for e in exact)
        if total > limits.max_cells:
            raise FileRejected(
                Problem("F04", detail=f"semua sheet bersama {total} sel > batas {limits.max_cells}")
            )
    # calamine may find the shared strings under another case: bound with the largest such member. Its
    # declared size bounds what the zip readers inflate.
    tables = [i for i in infos if i.filename.lower().endswith("sharedstrings.xml")]
    budget = limits.max_shared_string_chars
    sheets = list(xml_of.values())
    if tables and xlsx_scan.shared_string_bound(max(i.file_size for i in tables), sheets) > budget:
        shared = max((archive.read(i) for i in tables), key=len)
        chars = xlsx_scan.shared_string_expansion(shared, sheets, budget)
        if chars > budget:
            detail = f"teks bersama (shared strings) yang dipakai berulang: {chars} karakter > batas {budget}"
            raise FileRejected(Problem("F04", detail=detail))
    return {name: xml_of[path] for name, path in paths.items() if path in xml_of}


def _sheet_name_of(member: str, paths: dict[str, str]) -> str:
    """The sheet name of a worksheet member, else the member's own name (a sheet the workbook does not
    list: still loaded by nothing, but checked all the same)."""
    return next((name for name, path in paths.items() if path == member), member.rsplit("/", 1)[-1])


def _check_extent(sheet: str, extent: xlsx_scan.SheetExtent, limits: Limits) -> None:
    """Reject a worksheet whose dense grid would exceed a bound, at the cell that makes it so."""

    def at(cell: tuple[int, int], detail: str) -> FileRejected:
        r, c = cell
        name = xlsx_scan.cell_name(r, c)
        return FileRejected(Problem("F04", sheet, r + 1, column_letter(c), value=name, detail=detail))

    if extent.bad_reference is not None:
        detail = "alamat sel (atribut r) tidak sah"
        raise FileRejected(Problem("F02", sheet=sheet, value=extent.bad_reference, detail=detail))
    if extent.cells > limits.max_cells:
        detail = f"{extent.cells} sel berisi > batas {limits.max_cells}"
        raise FileRejected(Problem("F04", sheet=sheet, detail=detail))
    columns, rows = extent.last_column + 1, extent.last_row + 1
    if columns > limits.max_columns:
        raise at(extent.widest, f"sel terisi di kolom ke-{columns} > batas {limits.max_columns} kolom")
    if extent.exact and rows > limits.max_rows + 200:
        raise at(extent.deepest, f"{rows} baris > batas {limits.max_rows}")
    if extent.area > limits.max_cells:
        # At the cell that reaches further: the rightmost one, or the lowest one.
        (wr, wc), (dr, dc) = extent.widest, extent.deepest
        far = extent.widest if (wr + 1) * (wc + 1) >= (dr + 1) * (dc + 1) else extent.deepest
        detail = f"sel terisi sampai baris {rows} dan kolom ke-{columns}: {extent.area} sel > batas "
        raise at(far, detail + str(limits.max_cells))


_XML_ELEMENT = {
    name: re.compile(rf"<{name}\b([^>]*)>".encode()) for name in ("Relationship", "sheet")
}  # fmt: skip
_XML_ATTRIBUTE = re.compile(rb'(?:^|\s)(Id|Target|name|r:id)="([^"]*)"')


def _sheet_paths(workbook_xml: bytes, rels_xml: bytes) -> dict[str, str]:
    """Sheet name -> worksheet XML path inside the xlsx, from `xl/workbook.xml` and its relationships."""
    targets = {}
    for attrs in _XML_ELEMENT["Relationship"].findall(rels_xml):
        found = dict(_XML_ATTRIBUTE.findall(attrs))
        targets[found.get(b"Id")] = found.get(b"Target", b"")
    paths = {}
    for attrs in _XML_ELEMENT["sheet"].findall(workbook_xml):
        found = dict(_XML_ATTRIBUTE.findall(attrs))
        if b"name" not in found or b"r:id" not in found:
            continue
        target = html.unescape(targets.get(found[b"r:id"], b"").decode("utf-8", "replace")).lstrip("/")
        name = html.unescape(found[b"name"].decode("utf-8", "replace"))
        paths[name] = target if target.startswith("xl/") else f"xl/{target}"
    return paths


def _read_workbook(parsed: ParsedFile, data: bytes, archive: zipfile.ZipFile, limits: Limits) -> None:
    worksheets = _inspect_workbook(archive, limits)
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    sheets, merged = {}, {}
    for name in workbook.sheet_names:
        sheet = workbook.get_sheet_by_name(name)
        merged[name] = sheet.merged_cell_ranges or []
        if sheet.total_height > limits.max_rows + 200:
            raise FileRejected(
                Problem("F04", sheet=name, detail=f"{sheet.total_height} baris > batas {limits.max_rows}")
            )
        sheets[name] = _grid(sheet, name)
    identity_sheet = next((n for n in sheets if header_key(n) == "identitas"), None)
    if identity_sheet is None:
        raise FileRejected(Problem("F06"))
    _read_identity_sheet(parsed, identity_sheet, sheets[identity_sheet])

    candidates = []
    for name, grid in sheets.items():
        if name == identity_sheet:
            continue
        found = _find_header(grid)
        if found:
            candidates.append((name, found))
    if not candidates:
        raise FileRejected(Problem("F07"))
    named = [c for c in candidates if header_key(c[0]) == "realisasi"]
    if named:
        name, found = named[0]
    elif len(candidates) == 1:
        name, found = candidates[0]
        parsed.problems.append(Problem("W04", sheet=name, value=name))
    else:
        raise FileRejected(Problem("F13", detail=", ".join(c[0] for c in candidates)))
    parsed.sheet = name
    money_cells = _fill_merged_data_cells(parsed, name, sheets[name], merged[name], found, limits)
    _extract_rows(parsed, name, sheets[name], found, limits)
    _report_merged_money(parsed, money_cells)
    _check_identity_texts(parsed, {n: v for n, v in parsed.identity.items() if isinstance(v, str)}, limits)
    xml = worksheets.get(name, b"")
    if xlsx_scan.has_formula(xml):
        _flag_formulas(parsed, xlsx_scan.formulas_without_value(xml))


def _grid(sheet, name: str) -> list[list[object]]:  # type: ignore[no-untyped-def]
    """The sheet as rows of cells from A1. A cell calamine cannot turn into a Python value (a duration
    beyond `timedelta`) fails the file at its row."""
    try:
        return sheet.to_python(skip_empty_area=False)
    except (OverflowError, ValueError) as exc:
        row = 0  # rows read before the one that fails
        with contextlib.suppress(OverflowError, ValueError):
            for _values in sheet.iter_rows():
                row += 1
        detail = f"nilai sel tidak dapat dibaca ({type(exc).__name__}: {str(exc)[:100]})"
        raise FileRejected(Problem("F02", sheet=name, row=row + 1, detail=detail)) from exc


# The columns whose cells are amounts of money: a merged cell there is an error (R15), not a repair.
_MONEY = frozenset(("pagu", "pagu_murni", "realisasi_triwulan", "realisasi_kumulatif"))


def _fill_merged_data_cells(
    parsed: ParsedFile, sheet: str, grid: list[list[object]], ranges: list, header: _Header, limits: Limits
) -> list[Problem]:
    """A merged cell below the header holds its value in its first cell only: give every cell of the
    range in a column of the table that value (the OPD meant it for all of them), and say so (W06). In a
    column of money one amount copied into several rows counts it several times, or an amount comes from
    another column: each such cell, the range's first included, is an error (R15), returned to be
    reported once the data rows are known (`_report_merged_money`). Only the part of a range inside the
    grid and the table's columns is visited, and at most `max_cells` cells in all."""
    names = {c: name for name, (c, _text) in header.columns.items()}
    budget = limits.max_cells
    money_cells = []
    for (r0, c0), (r1, c1) in ranges:
        if r0 <= header.row or r0 >= len(grid) or c0 >= len(grid[r0]) or (r0, c0) == (r1, c1):
            continue
        columns = sorted(c for c in names if c0 <= c <= c1)
        last = min(r1, len(grid) - 1)
        budget -= (last - r0 + 1) * len(columns)
        if budget < 0:
            detail = f"sel gabungan (merge) di tabel data meliputi > {limits.max_cells} sel"
            raise FileRejected(Problem("F04", sheet=sheet, detail=detail))
        if not columns:
            continue
        value = grid[r0][c0]
        text = _cell_text(value)
        span = f"{xlsx_scan.cell_name(r0, c0)}:{xlsx_scan.cell_name(r1, c1)}"
        for r in range(r0, last + 1):
            row = grid[r]
            if len(row) <= columns[-1]:
                row.extend([""] * (columns[-1] + 1 - len(row)))
            for c in columns:
                money = names[c] in _MONEY
                if (r, c) == (r0, c0) and not money:
                    continue
                row[c] = value
                label = COLUMN_BY_NAME[names[c]].label
                if money:
                    money_cells.append(
                        Problem("R15", sheet, r + 1, column_letter(c), label, text, f"sel digabung {span}")
                    )
                else:
                    parsed.problems.append(Problem("W06", sheet, r + 1, column_letter(c), label, text))
    return money_cells


def _report_merged_money(parsed: ParsedFile, money_cells: list[Problem]) -> None:
    """R15 at each merged money cell of a data row. In another row (a total, the signature block) the
    merge holds no figure that is read: there it is the warning it is elsewhere (W06), on the cells the
    range covers beyond its first."""
    data_rows = {row["_baris"] for row in parsed.rows}
    for problem in money_cells:
        if problem.row in data_rows:
            parsed.problems.append(problem)
        elif not problem.detail.startswith(f"sel digabung {problem.column}{problem.row}:"):
            parsed.problems.append(replace(problem, rule="W06", detail=""))


def _read_identity_sheet(parsed: ParsedFile, sheet: str, grid: list[list[object]]) -> None:
    keyed = _identity_keys()
    for r, row in enumerate(grid[:60]):
        if not row:
            continue
        label = _header_key_of(row[0])
        spec = keyed.get(label)
        if spec is None or spec.name in parsed.identity:
            continue
        value = row[1] if len(row) > 1 else None
        parsed.identity[spec.name] = None if value == "" else value
        parsed.identity_where[spec.name] = (sheet, r + 1, "B")


@cache
def _identity_keys() -> dict[str, Field]:
    """Header key -> identity field, for every label and synonym (a key shared by two fields names the
    later one)."""
    return {k: f for f in IDENTITY for k in f.keys}


@dataclass
class _Header:
    row: int  # 0-based index of the last header row
    columns: dict[str, tuple[int, str]]  # name -> (0-based column, header text)
    fuzzy: list[tuple[str, int, str]]  # (name, column, header text) matched by similarity


def _match_labels(labels: list[str]) -> _Header | None:
    """Map header texts to fields: exact key matches first, then close misspellings."""
    by_key = _label_keys()
    columns: dict[str, tuple[int, str]] = {}
    unmatched = []
    for c, text in enumerate(labels):
        key = _label_key(text)
        if not key or (key.isdigit() and not _digits_can_match()):
            continue  # empty, or a number: never a header (see `_close_field`)
        name = by_key.get(key)
        if name and name not in columns:
            columns[name] = (c, text)
        else:
            unmatched.append((c, text, key))
    if "kode_sub_kegiatan" not in columns and not any(_near_code(key) for _c, _t, key in unmatched):
        return None  # no code column, no header: most rows searched are data rows, skip their fuzzing
    fuzzy = []
    for c, text, key in unmatched:
        name = _close_field(key)
        if name is not None and name not in columns:
            columns[name] = (c, text)
            fuzzy.append((name, c, text))
    if "kode_sub_kegiatan" not in columns or len(columns) < 3:
        return None
    return _Header(row=-1, columns=columns, fuzzy=fuzzy)


@cache
def _label_keys() -> dict[str, str]:
    """Header key -> field name, for every label and synonym."""
    return {k: f.name for f in COLUMNS for k in f.keys}


# The header search looks at every cell of the first rows of every file; the same texts (names, units,
# codes) recur across rows and files, so each distinct text is keyed and matched once per process. Only
# texts as short as a label go through the caches, so that what they keep stays small whatever a file
# holds.
_cached_header_key = lru_cache(maxsize=1 << 16)(header_key)
_CACHED_TEXT_CHARS = 120
_LABEL_TEXT_CHARS = 1_000  # a longer text is never taken for a label (the longest is some 40 characters)


def _header_key_of(value: object) -> str:
    """`header_key`, from the cache for a short text. Only texts go through the cache: it would take 1,
    1.0 and True for one key, and `header_key` gives them three. A text too long to be a label keys to
    nothing, without the work (its NFKD form may be many times longer)."""
    if type(value) is str:
        if len(value) <= _CACHED_TEXT_CHARS:
            return _cached_header_key(value)
        if len(value) > _LABEL_TEXT_CHARS:
            return ""
    return header_key(value)


def _label_key(text: str) -> str:
    if text.isascii() and text.replace(".", "").isdigit():
        return text.replace(".", "")  # a number (most cells searched): its key is its digits
    return _cached_header_key(text) if len(text) <= _CACHED_TEXT_CHARS else _header_key_of(text)


def _close_field(key: str) -> str | None:
    """The field a misspelt header key names: the clear winner among close keys, else None."""
    if len(key) * 0.85 > 1.15 * _longest_label_key():
        return None  # too long to be close to any (2 x shorter / total length < 0.85): not cached
    return _cached_close_field(key)


@cache
def _longest_label_key() -> int:
    return max(map(len, _label_keys()))


@lru_cache(maxsize=1 << 16)
def _cached_close_field(key: str) -> str | None:
    by_key = _label_keys()
    if key.isdigit() and not _digits_can_match():
        return None  # a number (amount, volume, row number) is never close to a header
    close = difflib.get_close_matches(key, list(by_key), n=2, cutoff=0.85)
    if not close:
        return None
    name = by_key[close[0]]
    # Two realisasi headers differ by a few letters: only take a clear winner.
    ratios = [difflib.SequenceMatcher(None, key, k).ratio() for k in close]
    if len(close) > 1 and by_key[close[1]] != name and ratios[0] - ratios[1] < 0.05:
        return None
    return name


@cache
def _code_keys() -> tuple[tuple[str, ...], frozenset[str]]:
    """The keys that name the code column, and the characters they use."""
    codes = tuple(k for k, name in _label_keys().items() if name == "kode_sub_kegiatan")
    return codes, frozenset("".join(codes))


def _near_code(key: str) -> bool:
    """Whether a key is close enough to a name of the code column for `_close_field` to pick it."""
    return len(key) * 0.85 <= 1.15 * _longest_label_key() and _cached_near_code(key)


@lru_cache(maxsize=1 << 16)
def _cached_near_code(key: str) -> bool:
    codes, chars = _code_keys()
    # Similarity is at most 2 x shared characters / total length: most keys fail that cheap bound.
    shared = sum(ch in chars for ch in key)
    if not any(2 * min(shared, len(k)) >= 0.85 * (len(key) + len(k)) for k in codes):
        return False
    return bool(difflib.get_close_matches(key, codes, n=1, cutoff=0.85))


@cache
def _digits_can_match() -> bool:
    """Whether an all-digit key could pass the 0.85 similarity cutoff: only against a key that is at
    least 74 % digits (2 x shared / total length >= 0.85 bounds the shared characters by its digits)."""
    return any(sum(ch.isdigit() for ch in k) >= 0.73 * len(k) for k in _label_keys())


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if type(value) in (int, float):
        return str(value)  # no whitespace to fold (the common case: amounts and counts)
    return " ".join(str(value).split())  # runs of whitespace folded to one space, ends stripped


def _row_texts(values: list[object]) -> list[str]:
    """`_cell_text` of every cell of a row, inline for texts and numbers (nearly every cell)."""
    return [
        " ".join(v.split()) if (t := type(v)) is str else str(v) if t is float or t is int else _cell_text(v)
        for v in values
    ]


# A cell can name a field only if its header key has a letter: a text of ASCII digits, dots and other
# punctuation keys to digits or nothing, which `_match_labels` skips (while `_digits_can_match()` is
# false). Letters and non-ASCII characters (which NFKD may turn into letters) are what may name one.
_MAY_NAME = re.compile(r"[A-Za-z\x80-\U0010ffff]").search


_POWERS: tuple[int, ...] = tuple(1 << c for c in range(256))  # 1 << c, for the columns of most rows


def _mask(flags: list) -> int:
    """Bit c set where flags[c] is true (a non-empty text, a match)."""
    if len(flags) <= len(_POWERS):
        return sum(compress(_POWERS, flags))
    # A wider row (the bound is `Limits.max_columns`): built in linear time, and nothing kept.
    return int("".join("1" if f else "0" for f in reversed(flags)), 2)


def _carry(single: list[str], below: list[str]) -> list[str]:
    """A two-row header joined column by column."""
    carried, last = [], ""
    for c in range(max(len(single), len(below))):
        top = single[c] if c < len(single) else ""
        bottom = below[c] if c < len(below) else ""
        # A merged group label sits in its first cell only: carry it right over its sub-labels.
        last = top or (last if bottom else "")
        carried.append(f"{last} {bottom}".strip() if bottom else (top or last))
    return carried


def _find_header(grid: list[list[object]]) -> _Header | None:
    """The header row among the first rows: the one naming most fields; a two-row header (a merged
    group label over sub-labels) is joined column by column.

    The first option (a row, or a row joined with the next) naming the most fields wins, so an option
    that cannot name more fields than the best so far (nor 3, the least a header names) need not be
    matched, and once an option names every field the search is over. Each field `_match_labels`
    takes comes from its own cell, and only from a cell that may name one (`_MAY_NAME`), so the count
    of such cells bounds it. In a joined row, a column's cell is the top cell when the bottom one is
    empty, else the top cell (or the group label carried from the left, when the top is empty) followed
    by the bottom one: it may name a field only if the top or bottom cell may, or if the top is empty
    and the bottom is not. Data rows are most of the rows searched and hold fewer such cells than a
    header names fields, so they are skipped without keying their texts."""
    best: _Header | None = None
    bounded = not _digits_can_match()  # else an all-digit cell may name a field: match every option
    every_field = len(COLUMNS)
    texts: list[list[str]] = []  # `_cell_text` of the rows, as far as the search needs them
    naming: list[int] = []  # per row, bit c set when the cell of column c may name a field
    filled: list[int] = []  # per row, bit c set when the cell of column c is not empty

    def beaten(r: int, joined: bool) -> bool:
        """Whether the option at row r (joined with the next, or not) cannot name more fields than the
        best so far."""
        least = len(best.columns) if best else 2
        if least >= every_field:
            return True
        if not bounded:
            return False
        while len(naming) <= r + joined:
            row = texts[len(naming)]
            naming.append(_mask(list(map(_MAY_NAME, row))))
            filled.append(_mask(row))
        may = naming[r] | naming[r + 1] | (filled[r + 1] & ~filled[r]) if joined else naming[r]
        return may.bit_count() <= least

    for r in range(min(len(grid), 40)):
        while len(texts) <= r + 1 and len(texts) < len(grid):
            texts.append(_row_texts(grid[len(texts)]))
        if not beaten(r, False):
            header = _match_labels(texts[r])
            if header and (best is None or len(header.columns) > len(best.columns)):
                header.row = r
                best = header
        if r + 1 < len(grid) and not beaten(r, True):
            header = _match_labels(_carry(texts[r], texts[r + 1]))
            if header and (best is None or len(header.columns) > len(best.columns)):
                header.row = r + 1
                best = header
        if best is not None and len(best.columns) >= every_field:
            break  # nothing below can name more
    return best


def _is_number_row(texts: list[str]) -> bool:
    """The row of column numbers (1, 2, 3, ...) that templates print under the header (given the
    `_cell_text` of its cells)."""
    cells = [t for t in texts if t]
    if len(cells) < 3:
        return False
    numbers = _numbers(cells)
    return numbers is not None and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def _numbers(cells: list[str]) -> list[int] | None:
    """The cells read as whole numbers (`int(float(...))`, in order), or None at the first that is not
    a finite number."""
    numbers = []
    for cell in cells:
        cell = cell.strip("()")
        if cell.count(".") > 1:
            return None  # float() takes one decimal point at most; codes (1.02.02...) have more
        try:
            numbers.append(int(float(cell)))
        except (ValueError, OverflowError):  # not a number; nan, inf
            return None
    return numbers


def _extract_rows(
    parsed: ParsedFile, sheet: str, grid: list[list[object]], header: _Header, limits: Limits
) -> None:
    """The rows below the header: each non-empty one is a data row, or a row of another kind recorded in
    `parsed.skipped` (`SKIPPED_KINDS`). A total row does not end the table (a subtotal may stand in its
    middle): rows are read to the end of the sheet, and below the last total only a row with a sub
    kegiatan code is data (what else is there is the signature block)."""
    parsed.columns = {n: (column_letter(c), text) for n, (c, text) in header.columns.items()}
    for name, c, text in header.fuzzy:
        parsed.problems.append(
            Problem(
                "W01",
                sheet=sheet,
                row=header.row + 1,
                column=column_letter(c),
                column_label=COLUMN_BY_NAME[name].label,
                value=text,
            )
        )
    _check_required_columns(parsed, sheet, header.row + 1)
    names = list(header.columns)
    places = [c for c, _text in header.columns.values()]
    take = operator.itemgetter(*places)  # the header names at least 3 columns: a tuple of cells
    # The cells of the columns that make a row a data row (the code and pagu at least, both required);
    # a row where all are None is no data row.
    evidence_of = operator.itemgetter(*[i for i, name in enumerate(names) if name in _DATA_EVIDENCE])
    no_evidence = evidence_of([None] * len(names))
    last_place = max(places)
    skipped = parsed.skipped
    last_total = 0  # Excel row of the last total row
    for r in range(header.row + 1, len(grid)):
        values = grid[r]
        # The first three cells tell most rows apart: all filled, and one of them not a number (converted
        # in the order `_is_number_row` converts them), is a row neither empty nor of column numbers, and
        # the first is its first text. Else the whole row decides, as it always did.
        head = _row_texts(values[:3])
        if len(head) < 3 or "" in head or _numbers(head) is not None:
            texts = _row_texts(values)
            if not any(texts):
                continue
            if _is_number_row(texts):
                skipped.append(_skipped(r, "nomor_kolom", texts))
                continue
            first_text = next((t for t in texts[:6] if t), "")
        else:
            first_text = head[0]
        if first_text and _TOTAL_ROW.match(first_text) and not _code_like(values, header):
            skipped.append(_skipped(r, "jumlah", _row_texts(values)))
            last_total = r + 1
            continue
        if len(values) > last_place:
            cells = [None if v == "" else v for v in take(values)]
        else:  # a short row (CSV): the missing cells are empty
            width = len(values)
            cells = [None if c >= width or values[c] == "" else values[c] for c in places]
        if evidence_of(cells) == no_evidence:
            skipped.append(_skipped(r, "catatan", _row_texts(values)))
            continue
        row: dict[str, object] = {"_baris": r + 1}
        row.update(zip(names, cells, strict=False))  # one cell per name (`take`, `places`)
        parsed.rows.append(row)
    _end_of_table(parsed, grid, last_total)
    if not parsed.rows:
        raise FileRejected(Problem("F09", sheet=sheet))
    # Only a text longer than the limit can fail `_check_cell_lengths`: when the sheet has none below the
    # header, no row needs the check.
    max_chars = limits.max_cell_chars
    texts_below = [v for row in grid[header.row + 1 :] for v in row if isinstance(v, str)]
    if max(map(len, texts_below), default=0) > max_chars:
        for row in parsed.rows:
            if any(isinstance(row[n], str) and len(row[n]) > max_chars for n in names):
                _check_cell_lengths(parsed, sheet, row, header, limits)


def _end_of_table(parsed: ParsedFile, grid: list[list[object]], last_total: int) -> None:
    """Below the last total row (Excel row `last_total`, 0 without one) and below the last row with a sub
    kegiatan code, the table has ended: a row there is the signature block or a note under the table,
    even with a number in an amount column (a NIP, a date), and is no data. Without a total row every
    row with a code or an amount stays data, to be validated."""
    rows = parsed.rows
    if last_total:
        cut = len(rows)
        while cut and rows[cut - 1]["_baris"] > last_total:
            if _SUB_KEGIATAN_START.match(_cell_text(rows[cut - 1]["kode_sub_kegiatan"])):
                break
            cut -= 1
        for row in rows[cut:]:
            r = int(row["_baris"]) - 1  # type: ignore[call-overload]
            parsed.skipped.append(_skipped(r, "tanda_tangan", _row_texts(grid[r])))
        del rows[cut:]
    end = max(last_total, int(rows[-1]["_baris"]) if rows else 0)  # type: ignore[call-overload]
    if not parsed.skipped or (parsed.skipped[-1].baris <= end and not last_total):
        return  # in order already, and nothing below the table
    parsed.skipped = sorted(
        (
            replace(s, jenis="tanda_tangan") if s.baris > end and s.jenis == "catatan" else s
            for s in parsed.skipped
        ),
        key=operator.attrgetter("baris"),
    )


def _skipped(r: int, kind: str, texts: list[str]) -> SkippedRow:
    """The skipped row of 0-based index r, with its texts as a message shows them (`visible`)."""
    return SkippedRow(r + 1, kind, visible(" | ".join(t for t in texts if t), SKIPPED_TEXT_CHARS))


# A row with any of these filled is a data row (and is validated, so nothing it holds is lost).
_DATA_EVIDENCE = ("kode_sub_kegiatan", "pagu", "pagu_murni", "realisasi_triwulan", "realisasi_kumulatif")
_CODE_START = re.compile(r"^\s*\d+\.\d")
# How a sub kegiatan code begins (`1.06.`, also with stray spaces): below the last total row, what tells a
# data row from the signature block (where a date like 08.10.2024 may stand in the code column).
_SUB_KEGIATAN_START = re.compile(r"^\s*\d\s*\.\s*\d\d\s*\.")


def _code_like(values: list[object], header: _Header) -> bool:
    c = header.columns["kode_sub_kegiatan"][0]
    return c < len(values) and bool(_CODE_START.match(_cell_text(values[c])))


def _check_required_columns(parsed: ParsedFile, sheet: str | None, row: int | None) -> None:
    missing = [f.label for f in COLUMNS if f.required and f.name not in parsed.columns]
    if "realisasi_triwulan" not in parsed.columns and "realisasi_kumulatif" not in parsed.columns:
        missing.append("Realisasi Triwulan Ini (Rp) / Realisasi s.d. Triwulan Ini (Rp)")
    if missing:
        raise FileRejected(Problem("F08", sheet=sheet, row=row, value="; ".join(missing)))


def _check_cell_lengths(
    parsed: ParsedFile, sheet: str, row: dict[str, object], header: _Header, limits: Limits
) -> None:
    for name, (c, _t) in header.columns.items():
        value = row.get(name)
        if isinstance(value, str) and len(value) > limits.max_cell_chars:
            raise FileRejected(
                Problem(
                    "F12",
                    sheet=sheet,
                    row=int(row["_baris"]),
                    column=column_letter(c),
                    column_label=COLUMN_BY_NAME[name].label,
                    value=f"{len(value)} karakter",
                )
            )


def _flag_formulas(parsed: ParsedFile, cells: list[tuple[int, int]]) -> None:
    """F11 at each cell of a data row in a column of the table that holds a formula without a cached
    value (calamine would give it as empty: read as nothing spent)."""
    if not cells:
        return
    letters = {letter: name for name, (letter, _t) in parsed.columns.items()}
    data_rows = {r["_baris"] for r in parsed.rows}
    for r, c in sorted(set(cells)):
        letter = column_letter(c)
        if letter in letters and r + 1 in data_rows:
            parsed.problems.append(
                Problem(
                    "F11",
                    sheet=parsed.sheet,
                    row=r + 1,
                    column=letter,
                    column_label=COLUMN_BY_NAME[letters[letter]].label,
                    value="(rumus)",
                )
            )
    if any(p.rule == "F11" for p in parsed.problems):
        parsed.rows = []


def _check_identity_texts(parsed: ParsedFile, raw: dict[str, str], limits: Limits) -> None:
    """The identity texts as written (`raw`, by field): one longer than the cell limit rejects the file
    (F12), as a data cell would (they are printed in the report and the letters); a line break or an
    invisible character is taken out of it (`rekap.validation`) and reported (W07): a name goes into an
    e-mail subject and a letter's heading, a code must not differ from its look."""
    for name, text in raw.items():
        sheet, row, column = parsed.identity_where[name]
        label = IDENTITY_BY_NAME[name].label
        if len(text) > limits.max_cell_chars:
            raise FileRejected(Problem("F12", sheet, row, column, label, value=f"{len(text)} karakter"))
        if clean_text(text, one_line=True)[1]:
            parsed.problems.append(Problem("W07", sheet, row, column, label, value=text))


# --- csv -----------------------------------------------------------------------------------------


def _read_csv(parsed: ParsedFile, data: bytes, limits: Limits) -> None:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FileRejected(Problem("F10", detail=f"byte tidak sah di posisi {exc.start}")) from exc
    if not text.strip():
        raise FileRejected(Problem("F05"))
    if text.count("\n") > limits.max_rows + 200:
        raise FileRejected(Problem("F04", detail=f"{text.count(chr(10))} baris > batas {limits.max_rows}"))
    # A line can hold no more fields than characters: one that could hold more than the columns allowed,
    # each as long as a cell may be, is rejected before it is split.
    longest = (limits.max_cell_chars + 3) * limits.max_columns
    if len(text) > longest and (m := re.search(f"[^\n]{{{longest + 1}}}", text)):
        line = text.count("\n", 0, m.start()) + 1
        raise FileRejected(
            Problem("F04", sheet="CSV", row=line, detail=f"baris {line} lebih dari {longest} karakter")
        )
    sheet = "CSV"
    parsed.sheet = sheet
    # The delimiter is the one (of the two the spec accepts) under which a header row is found; a title
    # line above the header may hold neither, so the first line alone cannot decide.
    best: tuple[list[list[str]], _Header, tuple[int, int] | None] | None = None
    for delimiter in (";", ","):
        grid, wide = _csv_grid(text, delimiter, limits)
        found = _find_header(grid)
        if found and (best is None or len(found.columns) > len(best[1].columns)):
            best = (grid, found, wide)
    if best is None:
        raise FileRejected(Problem("F07", detail=_delimiter_hint(text)))
    grid, header, wide = best
    if wide is not None:
        row, width = wide
        detail = f"{width} kolom > batas {limits.max_columns}"
        raise FileRejected(
            Problem("F04", sheet=sheet, row=row, column=column_letter(limits.max_columns), detail=detail)
        )
    if sum(map(len, grid)) > limits.max_cells:
        raise FileRejected(
            Problem("F04", sheet=sheet, detail=f"{sum(map(len, grid))} sel > batas {limits.max_cells}")
        )
    # Identity fields are columns on every row of a CSV submission.
    id_keys = _identity_keys()
    id_columns = {}
    for c, label in enumerate(grid[header.row]):
        spec = id_keys.get(_header_key_of(label))
        if spec and spec.name not in id_columns:
            id_columns[spec.name] = c
    _extract_rows(parsed, sheet, grid, header, limits)
    for name, c in id_columns.items():
        # The value of the first row that has one (else the first row's blank): a blank cell further
        # down repeats it.
        baris, value = int(parsed.rows[0]["_baris"]), _csv_cell(grid, parsed.rows[0], c)
        if not value:
            for row in parsed.rows:
                text = _csv_cell(grid, row, c)
                if text:
                    baris, value = int(row["_baris"]), text
                    break
        parsed.identity[name] = value or None
        parsed.identity_where[name] = (sheet, baris, column_letter(c))
    if not parsed.identity:
        raise FileRejected(
            Problem(
                "F06",
                sheet=sheet,
                detail="kolom identitas (kode_pemda, tahun, triwulan, kode_skpd, ...) tidak ada",
            )
        )
    _check_identity_columns(parsed, sheet, grid, id_columns)
    raw = {}
    for name, c in id_columns.items():
        cells = grid[parsed.identity_where[name][1] - 1]
        if c < len(cells):
            raw[name] = cells[c]
    _check_identity_texts(parsed, raw, limits)


def _csv_grid(text: str, delimiter: str, limits: Limits) -> tuple[list[list[str]], tuple[int, int] | None]:
    """The CSV's rows under one delimiter, each cut to one field more than the columns allowed, and the
    (line, number of fields) of the first row that had more. A field longer than the csv module takes
    is a cell too long (F12); any other error of the module leaves the file unreadable (F02)."""
    grid, wide = [], None
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for row in reader:
            if len(row) > limits.max_columns:
                wide = wide or (len(grid) + 1, len(row))
                del row[limits.max_columns + 1 :]
            grid.append(row)
    except csv.Error as exc:
        line = reader.line_num
        if "field larger than field limit" in str(exc):
            raise FileRejected(
                Problem("F12", sheet="CSV", row=line, value=f"> {csv.field_size_limit()} karakter")
            ) from exc
        raise FileRejected(
            Problem("F02", sheet="CSV", row=line, detail=f"CSV tidak dapat dibaca: {exc}")
        ) from exc
    return grid, wide


def _check_identity_columns(
    parsed: ParsedFile, sheet: str, grid: list[list[str]], id_columns: dict[str, int]
) -> None:
    """A CSV repeats its identity on every row; a row that says otherwise (another quarter, another
    OPD) would mix two submissions in one file. Report the first differing cell of each column."""
    for name, c in id_columns.items():
        first = parsed.identity.get(name)
        if not first:
            continue  # nothing to differ from
        same: dict[str, bool] = {}  # per value written: rows repeat a few values, compare each once
        for row in parsed.rows:
            value = _csv_cell(grid, row, c)
            if not value:
                continue
            if value not in same:
                same[value] = _same_identity(name, value, str(first))
            if not same[value]:
                parsed.problems.append(
                    Problem(
                        "I12",
                        sheet=sheet,
                        row=int(row["_baris"]),
                        column=column_letter(c),
                        column_label=IDENTITY_BY_NAME[name].label,
                        value=value,
                        detail=f"baris {parsed.identity_where[name][1]} berisi '{first}'",
                    )
                )
                break


def _csv_cell(grid: list[list[str]], row: dict[str, object], c: int) -> str:
    cells = grid[int(row["_baris"]) - 1]
    return " ".join(cells[c].split()) if c < len(cells) else ""  # `_cell_text` of a CSV cell (a text)


def _same_identity(name: str, a: str, b: str) -> bool:
    """Two spellings of one identity value (`3` and `TW III`, `36.02` and `36.02 `) are the same."""
    if name == "triwulan":
        try:
            return parse_triwulan(a) == parse_triwulan(b)
        except ValueError:
            pass
    return _SPACES.sub("", a).casefold() == _SPACES.sub("", b).casefold()


_SPACES = re.compile(r"\s+")


def _delimiter_hint(text: str) -> str:
    """Why no header was found in a CSV: most often a delimiter other than `,` and `;`."""
    line = next((ln for ln in text.splitlines() if ln.strip()), "")
    for delimiter, name in (("\t", "tab"), ("|", "'|'")):
        if line.count(delimiter) > max(line.count(","), line.count(";")):
            return f"pemisah kolom tampaknya {name}; gunakan koma (,) atau titik koma (;)"
    return "baris judul kolom (Kode Sub Kegiatan, Pagu, ...) tidak ditemukan"


def identity_triwulan(parsed: ParsedFile) -> int | None:
    """The quarter the file says it reports, when readable."""
    try:
        return parse_triwulan(parsed.identity.get("triwulan"))
    except ValueError:
        return None
