"""Read one submitted file (xlsx template or csv) into a `ParsedFile`: identity, raw data rows with their
Excel row numbers, and the problems found while reading. Never raises on bad input."""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from python_calamine import CalamineWorkbook

from rekap.normalize import header_key, parse_triwulan
from rekap.settings import Limits


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

_TOTAL_ROW = re.compile(r"^\s*(jumlah|total|grand total|jumlah total)\b", re.IGNORECASE)
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


def column_letter(index: int) -> str:
    """Excel column letter for a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


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
            _check_zip(data, limits)
            _read_xlsx(parsed, data, limits)
    except FileRejected as rejected:
        parsed.rows = []
        parsed.problems.append(rejected.problem)
    except Exception as exc:  # a reader library choking on a malformed file must not stop the run
        parsed.rows = []
        parsed.problems.append(Problem("F02", detail=f"{type(exc).__name__}: {str(exc)[:200]}"))
    return parsed


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


def _check_zip(data: bytes, limits: Limits) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
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


def _formula_cells_without_value(data: bytes) -> dict[str, set[str]]:
    """Per worksheet XML path, the cells holding a formula but no cached value."""
    found: dict[str, set[str]] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            xml = archive.read(name).decode("utf-8", "replace")
            for m in re.finditer(r"<c\b([^>]*)>(.*?)</c>", xml, re.DOTALL):
                body = m.group(2)
                if "<f" in body and not re.search(r"<v>[^<]+</v>|<is>", body):
                    ref = re.search(r'\br="([A-Z]+\d+)"', m.group(1))
                    if ref:
                        found.setdefault(name, set()).add(ref.group(1))
    return found


def _sheet_paths(data: bytes) -> dict[str, str]:
    """Sheet name -> worksheet XML path inside the xlsx."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        workbook = archive.read("xl/workbook.xml").decode("utf-8", "replace")
        rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    targets = {
        m.group(1): m.group(2)
        for m in re.finditer(r'<Relationship\b[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels)
    }
    targets.update(
        {
            m.group(2): m.group(1)
            for m in re.finditer(r'<Relationship\b[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)
        }
    )
    paths = {}
    for m in re.finditer(r'<sheet\b[^>]*?name="([^"]+)"[^>]*?r:id="([^"]+)"', workbook):
        target = targets.get(m.group(2), "")
        target = target.lstrip("/")
        paths[_xml_unescape(m.group(1))] = target if target.startswith("xl/") else f"xl/{target}"
    return paths


def _xml_unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")


# --- xlsx ----------------------------------------------------------------------------------------


def _read_xlsx(parsed: ParsedFile, data: bytes, limits: Limits) -> None:
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    sheets = {}
    for name in workbook.sheet_names:
        sheet = workbook.get_sheet_by_name(name)
        if sheet.total_height > limits.max_rows + 200:
            raise FileRejected(
                Problem("F04", sheet=name, detail=f"{sheet.total_height} baris > batas {limits.max_rows}")
            )
        sheets[name] = sheet.to_python(skip_empty_area=False)
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
    _extract_rows(parsed, name, sheets[name], found, limits)
    missing_formulas = _formula_cells_without_value(data).get(_sheet_paths(data).get(name, ""), set())
    _flag_formulas(parsed, missing_formulas)


def _read_identity_sheet(parsed: ParsedFile, sheet: str, grid: list[list[object]]) -> None:
    keyed = {k: f for f in IDENTITY for k in f.keys}
    for r, row in enumerate(grid[:60]):
        if not row:
            continue
        label = header_key(row[0])
        spec = keyed.get(label)
        if spec is None or spec.name in parsed.identity:
            continue
        value = row[1] if len(row) > 1 else None
        parsed.identity[spec.name] = None if value == "" else value
        parsed.identity_where[spec.name] = (sheet, r + 1, "B")


@dataclass
class _Header:
    row: int  # 0-based index of the last header row
    columns: dict[str, tuple[int, str]]  # name -> (0-based column, header text)
    fuzzy: list[tuple[str, int, str]]  # (name, column, header text) matched by similarity


def _match_labels(labels: list[str]) -> _Header | None:
    """Map header texts to fields: exact key matches first, then close misspellings."""
    by_key = {k: f.name for f in COLUMNS for k in f.keys}
    columns: dict[str, tuple[int, str]] = {}
    unmatched = []
    for c, text in enumerate(labels):
        key = header_key(text)
        if not key:
            continue
        name = by_key.get(key)
        if name and name not in columns:
            columns[name] = (c, text)
        else:
            unmatched.append((c, text, key))
    fuzzy = []
    all_keys = list(by_key)
    for c, text, key in unmatched:
        close = difflib.get_close_matches(key, all_keys, n=2, cutoff=0.85)
        if not close:
            continue
        name = by_key[close[0]]
        # Two realisasi headers differ by a few letters: only take a clear winner.
        ratios = [difflib.SequenceMatcher(None, key, k).ratio() for k in close]
        if len(close) > 1 and by_key[close[1]] != name and ratios[0] - ratios[1] < 0.05:
            continue
        if name not in columns:
            columns[name] = (c, text)
            fuzzy.append((name, c, text))
    if "kode_sub_kegiatan" not in columns or len(columns) < 3:
        return None
    return _Header(row=-1, columns=columns, fuzzy=fuzzy)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    return re.sub(r"\s+", " ", str(value)).strip()


def _find_header(grid: list[list[object]]) -> _Header | None:
    """The header row among the first rows: the one naming most fields; a two-row header (a merged
    group label over sub-labels) is joined column by column."""
    best: _Header | None = None
    for r in range(min(len(grid), 40)):
        single = [_cell_text(v) for v in grid[r]]
        options = [single]
        if r + 1 < len(grid):
            below = [_cell_text(v) for v in grid[r + 1]]
            carried, last = [], ""
            for c in range(max(len(single), len(below))):
                top = single[c] if c < len(single) else ""
                bottom = below[c] if c < len(below) else ""
                # A merged group label sits in its first cell only: carry it right over its sub-labels.
                last = top or (last if bottom else "")
                carried.append(f"{last} {bottom}".strip() if bottom else (top or last))
            options.append(carried)
        for i, labels in enumerate(options):
            header = _match_labels(labels)
            if header and (best is None or len(header.columns) > len(best.columns)):
                header.row = r + i
                best = header
    return best


def _is_number_row(values: list[object]) -> bool:
    """The row of column numbers (1, 2, 3, ...) that templates print under the header."""
    cells = [_cell_text(v) for v in values if _cell_text(v)]
    if len(cells) < 3:
        return False
    try:
        numbers = [int(float(c.strip("()"))) for c in cells]
    except ValueError:
        return False
    return numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def _extract_rows(
    parsed: ParsedFile, sheet: str, grid: list[list[object]], header: _Header, limits: Limits
) -> None:
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
    for r in range(header.row + 1, len(grid)):
        values = grid[r]
        texts = [_cell_text(v) for v in values]
        if not any(texts) or _is_number_row(values):
            continue
        first_texts = [t for t in texts[:6] if t]
        if first_texts and _TOTAL_ROW.match(first_texts[0]) and not _code_like(values, header):
            break  # total row: what follows is the signature block
        row: dict[str, object] = {"_baris": r + 1}
        for name, (c, _text) in header.columns.items():
            value = values[c] if c < len(values) else None
            row[name] = None if value == "" else value
        if row.get("kode_sub_kegiatan") is None and row.get("pagu") is None:
            continue  # a note or signature line, not a data row
        _check_cell_lengths(parsed, sheet, row, header, limits)
        parsed.rows.append(row)
    if not parsed.rows:
        raise FileRejected(Problem("F09", sheet=sheet))


def _code_like(values: list[object], header: _Header) -> bool:
    c = header.columns["kode_sub_kegiatan"][0]
    return c < len(values) and bool(re.match(r"^\s*\d+\.\d", _cell_text(values[c])))


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


def _flag_formulas(parsed: ParsedFile, refs: set[str]) -> None:
    if not refs:
        return
    letters = {letter: name for name, (letter, _t) in parsed.columns.items()}
    for ref in sorted(refs):
        m = re.match(r"([A-Z]+)(\d+)", ref)
        letter, number = m.group(1), int(m.group(2))
        if letter in letters and any(r["_baris"] == number for r in parsed.rows):
            parsed.problems.append(
                Problem(
                    "F11",
                    sheet=parsed.sheet,
                    row=number,
                    column=letter,
                    column_label=COLUMN_BY_NAME[letters[letter]].label,
                    value="(rumus)",
                )
            )
    if any(p.rule == "F11" for p in parsed.problems):
        parsed.rows = []


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
    first_line = text.splitlines()[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    grid = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if len(grid) > limits.max_rows + 200:
        raise FileRejected(Problem("F04", detail=f"{len(grid)} baris > batas {limits.max_rows}"))
    sheet = "CSV"
    parsed.sheet = sheet
    header = _find_header(grid)
    if header is None:
        raise FileRejected(Problem("F07", detail=f"pemisah kolom yang terbaca: '{delimiter}'"))
    # Identity fields are columns on every row of a CSV submission.
    id_keys = {k: f for f in IDENTITY for k in f.keys}
    id_columns = {}
    for c, text in enumerate(grid[header.row]):
        spec = id_keys.get(header_key(text))
        if spec and spec.name not in id_columns:
            id_columns[spec.name] = c
    _extract_rows(parsed, sheet, grid, header, limits)
    first = parsed.rows[0]["_baris"] - 1
    for name, c in id_columns.items():
        value = grid[first][c] if c < len(grid[first]) else ""
        parsed.identity[name] = value or None
        parsed.identity_where[name] = (sheet, first + 1, column_letter(c))
    if not parsed.identity:
        raise FileRejected(
            Problem(
                "F06",
                sheet=sheet,
                detail="kolom identitas (kode_pemda, tahun, triwulan, kode_skpd, ...) tidak ada",
            )
        )


def identity_triwulan(parsed: ParsedFile) -> int | None:
    """The quarter the file says it reports, when readable."""
    try:
        return parse_triwulan(parsed.identity.get("triwulan"))
    except ValueError:
        return None
