"""`rekap sasaran FILE --tahun YYYY`: load the KE households in need per desa (a table of kode desa and jumlah
KK miskin ekstrem, e.g. aggregated from P3KE), so that report T5 and the dashboard show the households
reached against the households in need.

It stores counts only. A file with a column that looks like personal data (NIK, nomor KK, a person's name,
an address, a birth date) or a cell holding a 16-digit number (a NIK or nomor KK) is refused as a whole
(rule R20) before anything else is read from it, and nothing of it is kept: no copy in the raw store, no row
in the warehouse, and no cell value in any message. A file that passes is validated like a submission
(the `sasaran` suite in `expectations/`, codes against the region reference) and, when it has no error,
replaces the counts of its year for every kab/kota it covers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from python_calamine import CalamineWorkbook

from rekap.contract.codes import header_key
from rekap.contract.rules import RULES
from rekap.files import sha256_of
from rekap.reading.parsed import FileRejected, ParsedFile, Problem
from rekap.reading.reader import _check_zip, _read_bytes, _sniff_kind
from rekap.reading.scan import column_letter
from rekap.reading.values import cell_text, clean_code
from rekap.settings import Limits
from rekap.validation.findings import Finding, finding_from_problem, one_per_cell
from rekap.validation.gx import run_suite
from rekap.warehouse.sql import run_sql
from rekap.warehouse.store import connect, create_schema
from rekap.warehouse.wilayah import load_wilayah
from rekap.warehouse.writer import writing

SHEET_CSV = "CSV"
HEADER_ROWS = 30  # rows searched for the header, in every sheet
# The rules of a household-count file (the file-level F rules of the reader apply too).
SASARAN_RULES = ("R20", "R21", "R22", "R23", "R24")

# Headers that name personal data: an identity number, a person's name (not a place's), an address, a
# birth date. Matched on the header in lower case with punctuation as spaces.
_PERSONAL = re.compile(
    r"\bnik\b|\bnomor induk\b|\bno induk\b|\b(no|nomor|nmr)\s?kk\b|\bkartu keluarga\b"
    r"|\bid (keluarga|individu|art)\b"
    r"|^nama\b(?!.*\b(desa|kelurahan|kel|kecamatan|kec|kabupaten|kab|kota|provinsi|prov|wilayah|daerah)\b)"
    r"|^(kepala keluarga|kepala rumah tangga|krt|penerima|penerima manfaat)$"
    r"|\balamat\b|\b(tanggal|tgl|tempat) lahir\b"
)
_SIXTEEN_DIGITS = re.compile(r"(?<!\d)\d{16}(?!\d)")
_THOUSANDS = re.compile(r"\d{1,3}(\.\d{3})+")


def _words(text: object) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", str(text or "").lower()).split())


def is_personal_header(text: object) -> bool:
    """Whether a column header names personal data (NIK, nomor KK, a person's name, address, birth)."""
    return bool(_PERSONAL.search(_words(text)))


def _is_kode(key: str) -> bool:
    return key in ("kode", "kodewilayah", "kodekemendagri", "kddesa", "kodewil") or (
        key.startswith(("kode", "kd")) and any(w in key for w in ("desa", "kel", "wilayah"))
    )


def _is_jumlah(key: str) -> bool:
    if "anggota" in key:
        return False
    counted = "kk" in key or "keluarga" in key or "rumahtangga" in key
    return (key.startswith(("jumlah", "jml", "total", "banyak")) and counted) or key in (
        "kk", "kkmiskinekstrem", "kkmiskinekstrim", "kkke", "kkp3ke",
    )  # fmt: skip


def _looks_like_nik(value: object) -> bool:
    """A cell that holds a 16-digit number, as a NIK or a nomor KK is written."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return 10**15 <= abs(value) < 10**16 and float(value).is_integer()
    return isinstance(value, str) and bool(_SIXTEEN_DIGITS.search(value.replace(" ", "")))


def _count_text(value: object) -> str | None:
    """A household count as canonical digits, or the cell as typed when it is not one (rule R23)."""
    text = cell_text(value)
    if text and _THOUSANDS.fullmatch(text):  # Indonesian thousands: 1.234
        return text.replace(".", "")
    return text


def _grids(data: bytes, kind: str, limits: Limits) -> dict[str, list[list[object]]]:
    """Every sheet of the file as rows of cells (a CSV is one sheet)."""
    if kind == "csv":
        text = data.removeprefix(b"\xef\xbb\xbf")
        try:
            decoded = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise FileRejected(Problem("F10", detail=f"byte tidak sah di posisi {exc.start}")) from exc
        if decoded.count("\n") > limits.max_rows + 200:
            raise FileRejected(Problem("F04", detail=f"lebih dari {limits.max_rows} baris"))
        # The delimiter (of the two a CSV may use) under which the header is found.
        by_delimiter = [{SHEET_CSV: list(csv.reader(io.StringIO(decoded), delimiter=d))} for d in (",", ";")]
        return next((g for g in by_delimiter if _header_of(g)), by_delimiter[0])
    _check_zip(data, limits)
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    grids = {}
    for name in workbook.sheet_names:
        sheet = workbook.get_sheet_by_name(name)
        if sheet.total_height > limits.max_rows + 200:
            raise FileRejected(Problem("F04", sheet=name, detail=f"lebih dari {limits.max_rows} baris"))
        grids[name] = sheet.to_python(skip_empty_area=False)
    return grids


def _refuse_personal_data(grids: dict[str, list[list[object]]]) -> None:
    """Stop at the first sign of personal data, naming where (never what) it is."""
    for sheet, grid in grids.items():
        for r, cells in enumerate(grid[:HEADER_ROWS]):
            for c, cell in enumerate(cells):
                if isinstance(cell, str) and is_personal_header(cell):
                    where = Problem("R20", sheet, r + 1, column_letter(c), cell.strip()[:60])
                    where.detail = f"kolom {column_letter(c)} '{cell.strip()[:60]}'"
                    raise FileRejected(where)
        for r, cells in enumerate(grid):
            for c, cell in enumerate(cells):
                if _looks_like_nik(cell):
                    detail = f"sel {column_letter(c)}{r + 1} berisi 16 angka seperti NIK atau nomor KK"
                    raise FileRejected(Problem("R20", sheet, r + 1, column_letter(c), detail=detail))


def _header_of(grids: dict[str, list[list[object]]]) -> tuple[str, int, int, int] | None:
    """(sheet, header row index, kode column, jumlah column) of the first sheet with both headers."""
    for sheet, grid in grids.items():
        for r, cells in enumerate(grid[:HEADER_ROWS]):
            keys = [header_key(c) if isinstance(c, str) else "" for c in cells]
            kode = next((c for c, k in enumerate(keys) if _is_kode(k)), None)
            jumlah = next((c for c, k in enumerate(keys) if _is_jumlah(k)), None)
            if kode is not None and jumlah is not None:
                return sheet, r, kode, jumlah
    return None


def read_sasaran(path: Path, limits: Limits | None = None) -> ParsedFile:
    """Read a household-count file: its rows (kode_desa, jumlah_kk as text, `_baris`), or the one problem
    that stopped reading it. Personal data stops it first, with no cell value kept."""
    limits = limits or Limits.from_env()
    parsed = ParsedFile(sha256_of(path), str(path), path.name, path.suffix.lower().lstrip("."))
    try:
        data = _read_bytes(path, limits)
        parsed.size = len(data)
        parsed.format = _sniff_kind(path, data)
        grids = _grids(data, parsed.format, limits)
        del data
        _refuse_personal_data(grids)
        found = _header_of(grids)
        if found is None:
            raise FileRejected(Problem("R21", detail="judul kolom Kode Desa dan Jumlah KK tidak ditemukan"))
        sheet, header, kode, jumlah = found
        grid = grids[sheet]
        parsed.sheet = sheet
        parsed.columns = {
            "kode_desa": (column_letter(kode), str(grid[header][kode])),
            "jumlah_kk": (column_letter(jumlah), str(grid[header][jumlah])),
        }
        for r in range(header + 1, len(grid)):
            cells = grid[r]
            raw_kode = cells[kode] if kode < len(cells) else None
            raw_jumlah = cells[jumlah] if jumlah < len(cells) else None
            if all(v is None or str(v).strip() == "" for v in cells):
                continue
            if header_key(raw_kode) in ("jumlah", "total", "jumlahtotal") or any(
                isinstance(v, str) and header_key(v) in ("jumlah", "total") for v in cells[:kode]
            ):
                break  # the total row; a signature block may follow
            parsed.rows.append(
                {
                    "kode_desa": clean_code(raw_kode) or None,
                    "jumlah_kk": _count_text(raw_jumlah),
                    "_baris": r + 1,
                }
            )
        if not parsed.rows:
            raise FileRejected(Problem("F09", sheet=sheet))
    except FileRejected as rejected:
        parsed.rows = []
        parsed.problems.append(rejected.problem)
    except Exception as exc:  # a reader library choking on a malformed file must not crash the command
        parsed.rows = []
        parsed.problems.append(Problem("F02", detail=f"isi berkas tidak dapat dibaca ({type(exc).__name__})"))
    return parsed


def sasaran_frame(parsed: ParsedFile) -> pd.DataFrame:
    """The rows as the `sasaran` suite and the load see them."""
    return pd.DataFrame(
        {
            "row_id": range(len(parsed.rows)),
            "kode_desa": pd.array([r["kode_desa"] for r in parsed.rows], dtype="str"),
            "jumlah_kk": pd.array([r["jumlah_kk"] for r in parsed.rows], dtype="str"),
            "baris": [int(r["_baris"]) for r in parsed.rows],
        }
    )


def check_sasaran(parsed: ParsedFile, frame: pd.DataFrame) -> list[Finding]:
    """Every problem of a household-count file: the reader's, then the `sasaran` suite's (R22 code form,
    R23 counts, R24 one row per desa) and the desa codes the region reference does not list (R22)."""
    findings = [finding_from_problem(parsed.file_hash, p) for p in parsed.problems]
    if parsed.problems:  # every problem the reader reports stops the file
        return findings

    def at(rule: str, row_id: int, name: str, detail: str = "") -> Finding:
        letter, header = parsed.columns[name]
        baris, value = int(frame.at[row_id, "baris"]), frame.at[row_id, name]
        nilai = None if pd.isna(value) else str(value)
        return Finding(parsed.file_hash, rule, parsed.sheet, baris, letter, header, nilai, detail)

    for rule, row_id, columns in run_suite("sasaran", frame):
        findings.append(at(rule, row_id, columns[0]))
    con = connect(":memory:")
    try:
        create_schema(con)
        load_wilayah(con)
        con.register("sasaran_baru", frame)
        for row_id, _ in run_sql(con, "sasaran/kode_desa_tidak_dikenal"):
            findings.append(at("R22", row_id, "kode_desa", "kode tidak dikenal"))
    finally:
        con.close()
    return one_per_cell(findings)


@dataclass
class Hasil:
    """What `rekap sasaran` did with one file."""

    parsed: ParsedFile
    findings: list[Finding]
    loaded: list[tuple[str, str, int, int]]  # (kode kab/kota, nama, desa, KK) when loaded

    @property
    def diterima(self) -> bool:
        """True when the file has no error (its counts are then loaded)."""
        return not any(RULES[f.aturan].tingkat == "error" for f in self.findings)


def load_sasaran(path: Path, tahun: int, warehouse: Path, limits: Limits | None = None) -> Hasil:
    """Read and check a household-count file and, when it has no error, load its counts for `tahun` into
    the warehouse (replacing that year's counts of the kab/kota it covers) and publish."""
    parsed = read_sasaran(path, limits)
    frame = sasaran_frame(parsed)
    findings = check_sasaran(parsed, frame)
    result = Hasil(parsed, findings, [])
    if not result.diterima:
        return result
    with writing(warehouse) as con:
        load_wilayah(con)
        con.register("sasaran_baru", frame)
        params = {"tahun": tahun, "file_hash": parsed.file_hash, "nama_berkas": parsed.file_name}
        run_sql(con, "sasaran/replace_sasaran_desa", dimuat_pada=dt.datetime.now(), **params)
        con.unregister("sasaran_baru")
        result.loaded = [tuple(r) for r in run_sql(con, "sasaran/ringkasan", **params)]
    return result


def ringkasan_text(hasil: Hasil, tahun: int) -> str:
    """The steward's one-paragraph summary of a load, in Bahasa Indonesia."""
    from rekap.contract.format import format_angka

    lines = [f"Sasaran KK miskin ekstrem TA {tahun} dimuat dari {hasil.parsed.file_name}:"]
    for kode, nama, desa, kk in hasil.loaded:
        lines.append(
            f"  {nama} ({kode}): {format_angka(int(desa))} desa/kelurahan, {format_angka(int(kk))} KK"
        )
    return "\n".join(lines)
