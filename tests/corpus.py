"""A corpus of submission files with ONE defect each, for every rule of `rekap.contract.rules` a file
can trigger.

Each `Case` knows the rule it must trigger and the cells (sheet, Excel row, column letter) the finding
must point at. Files are written from a valid base (`base_submission`) into a folder the test gives,
as xlsx (xlsxwriter; openpyxl for the formula case), CSV, or raw bytes for hostile files. Identity
fields can be overridden per file (e.g. a different Kode SKPD for each defective OPD of a mixed run).
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import openpyxl
import xlsxwriter

from rekap.contract.fields import COLUMNS
from rekap.settings import Limits

PEMDA = "36.02"
TAHUN = 2024
TRIWULAN = 3
SKPD = "1.06.0.00.0.00.01.0000"

# The canonical headers, in template order: A No ... P Keterangan.
HEADER = [f.label for f in COLUMNS]
LETTER = {f.name: chr(ord("A") + i) for i, f in enumerate(COLUMNS)}

IDENTITY_LABELS = {
    "kode_pemda": "Kode Pemda", "nama_pemda": "Nama Pemda", "tahun": "Tahun Anggaran",
    "triwulan": "Triwulan", "kode_skpd": "Kode SKPD", "nama_skpd": "Nama SKPD", "revisi": "Revisi",
    "tanggal_laporan": "Tanggal Laporan", "penanggung_jawab": "Penanggung Jawab", "nip": "NIP",
}  # fmt: skip
IDENTITY_ROW = {name: i + 1 for i, name in enumerate(IDENTITY_LABELS)}  # Excel row in sheet Identitas

# TW III rows; row 4 repeats the code of row 2 with another sumber dana (allowed).
BASE_ROWS: list[list[object]] = [
    [1, "1.06.04.2.01.0001", "Penyaluran Bantuan Sosial bagi Keluarga Miskin Ekstrem",
     "Pengurangan Beban Pengeluaran", "DAU", 1_250_000_000, 1_250_000_000, 300_000_000, 900_000_000,
     "Jumlah KK penerima bantuan", "KK", 500, 380, 500, "36.02.01;36.02.02", None],
    [2, "1.06.05.2.01.0002", "Pelatihan Usaha Ekonomi Produktif", "Peningkatan Pendapatan",
     "Pendapatan Asli Daerah (PAD)", 500_000_000, 450_000_000, 100_000_000, 250_000_000,
     "Jumlah peserta pelatihan", "Orang", 120, 60, 120, "36.02.03.2001", "Sesuai jadwal"],
    [3, "1.06.04.2.01.0001", "Penyaluran Bantuan Sosial bagi Keluarga Miskin Ekstrem",
     "Pengurangan Beban Pengeluaran", "DAK Fisik", "750.000.000,50", None, 0, "Rp125.000.000,25",
     "Jumlah KK penerima bantuan", "KK", 200, 100, 200, "SEMUA", None],
]  # fmt: skip

# The same OPD's TW II: the cumulative figures TW III builds on (TW III kumulatif = TW II + TW III).
TW2_ROWS: list[list[object]] = copy.deepcopy(BASE_ROWS)
for _row, (_tw, _kum) in zip(TW2_ROWS, [(200_000_000, 600_000_000), (50_000_000, 150_000_000),
                                        (25_000_000, "125.000.000,25")], strict=True):  # fmt: skip
    _row[7], _row[8] = _tw, _kum


@dataclass
class Submission:
    """What one file says, before it is written: identity, data sheet and layout."""

    identity: dict[str, object]
    header: list[str | None]
    rows: list[list[object]]
    sheet: str = "Realisasi"
    above: list[list[object]] = field(default_factory=list)  # rows above the header (titles)
    extra_sheets: dict[str, list[list[object]]] = field(default_factory=dict)
    identity_sheet: bool = True
    file_name: str | None = None  # default: the naming convention of the sample

    def name(self, suffix: str) -> str:
        """The file name: explicit, else `<pemda>_<tahun>_TW<q>_<skpd>_<nama>.<suffix>`."""
        if self.file_name:
            return self.file_name
        i = self.identity
        slug = re.sub(r"[^A-Za-z0-9]+", "-", str(i.get("nama_skpd") or "OPD")).strip("-")
        stem = f"{i.get('kode_pemda')}_{i.get('tahun')}_TW{i.get('triwulan')}_{i.get('kode_skpd')}"
        return f"{stem}_{slug}.{suffix}"

    def set(self, excel_row: int, letter: str, value: object) -> None:
        """Set one data cell by Excel row (header is row 1 + len(above)) and column letter."""
        r = excel_row - 2 - len(self.above)
        c = ord(letter) - ord("A")
        row = self.rows[r]
        row.extend([None] * (c + 1 - len(row)))
        row[c] = value

    def drop_column(self, label: str) -> None:
        """Remove a column from the header and every row."""
        c = self.header.index(label)
        del self.header[c]
        for row in self.rows:
            del row[c]


def base_identity(**overrides: object) -> dict[str, object]:
    """The identity of the valid base file (Dinas Sosial, Lebak, TW III 2024), overridable."""
    values: dict[str, object] = {
        "kode_pemda": PEMDA, "nama_pemda": "Kabupaten Lebak", "tahun": TAHUN, "triwulan": TRIWULAN,
        "kode_skpd": SKPD, "nama_skpd": "Dinas Sosial", "revisi": 0, "tanggal_laporan": "2024-10-08",
        "penanggung_jawab": "Drs. Contoh, M.Si", "nip": "197001011990031001",
    }  # fmt: skip
    values.update(overrides)
    return values


def base_submission(**identity: object) -> Submission:
    """The valid base: template headers in row 1, three data rows (Excel rows 2-4)."""
    return Submission(base_identity(**identity), list(HEADER), copy.deepcopy(BASE_ROWS))


# --- writers ---------------------------------------------------------------------------------------


def _write_cell(ws, r: int, c: int, value: object) -> None:  # type: ignore[no-untyped-def]
    """Strings as strings (never formulas), numbers as numbers."""
    if value is None:
        return
    if isinstance(value, bool | int | float):
        ws.write_number(r, c, value)
    else:
        ws.write_string(r, c, str(value))


def xlsx_bytes(sub: Submission) -> bytes:
    """The submission as an xlsx workbook."""
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
    wb.set_properties({"created": dt.datetime(2024, 10, 8)})  # same submission, same bytes
    if sub.identity_sheet:
        ws = wb.add_worksheet("Identitas")
        for r, (name, label) in enumerate(IDENTITY_LABELS.items()):
            ws.write_string(r, 0, label)
            _write_cell(ws, r, 1, sub.identity.get(name))
    sheets = {sub.sheet: [*sub.above, sub.header, *sub.rows], **sub.extra_sheets}
    for name, grid in sheets.items():
        ws = wb.add_worksheet(name)
        for r, values in enumerate(grid):
            for c, value in enumerate(values):
                _write_cell(ws, r, c, value)
    wb.close()
    return buffer.getvalue()


def write_xlsx(sub: Submission, path: Path) -> Path:
    """Write the submission as an xlsx workbook at `path`."""
    return write_bytes(path, xlsx_bytes(sub))


CSV_IDENTITY = ("kode_pemda", "nama_pemda", "tahun", "triwulan", "kode_skpd", "nama_skpd", "revisi")


def csv_text(sub: Submission, delimiter: str = ",", identity_rows: list[dict] | None = None) -> str:
    """The submission as a CSV export: identity columns first, on every row; amounts as typed."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    header = [h for h in sub.header if h != "No"]
    no = sub.header.index("No") if "No" in sub.header else None
    writer.writerow([*CSV_IDENTITY, *header])
    for i, row in enumerate(sub.rows):
        ident = (identity_rows or [{}] * len(sub.rows))[i]
        values = [{**sub.identity, **ident}.get(k) for k in CSV_IDENTITY]
        cells = [v for c, v in enumerate(row) if c != no]
        writer.writerow(["" if v is None else v for v in [*values, *cells]])
    return out.getvalue()


def write_csv(sub: Submission, path: Path, delimiter: str = ",", encoding: str = "utf-8") -> Path:
    """The submission as a CSV file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(csv_text(sub, delimiter).encode(encoding))
    return path


# CSV column letters: identity columns A-G, then the data columns without No.
CSV_LETTER = {
    **{name: chr(ord("A") + i) for i, name in enumerate(CSV_IDENTITY)},
    **{f.name: chr(ord("A") + len(CSV_IDENTITY) + i) for i, f in enumerate(COLUMNS[1:])},
}


# --- hostile bytes ---------------------------------------------------------------------------------

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def ole_bytes(encrypted: bool) -> bytes:
    """An OLE2 compound file: an old .xls, or (with the EncryptionInfo stream name) an encrypted xlsx."""
    body = bytearray(_OLE_MAGIC + b"\x00" * 504)
    if encrypted:
        body += "EncryptionInfo".encode("utf-16-le") + b"\x00" * 64
        body += "EncryptedPackage".encode("utf-16-le") + b"\x00" * 64
    else:
        body += "Workbook".encode("utf-16-le") + b"\x00" * 64
    return bytes(body + b"\x00" * 512)


def ods_bytes() -> bytes:
    """An OpenDocument spreadsheet: a zip whose first member is the stored mimetype."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>", zipfile.ZIP_DEFLATED)
    return out.getvalue()


def zip_bomb_bytes(member_bytes: int = 4 * 2**20) -> bytes:
    """A small zip that looks like a workbook with one member that inflates far beyond its size."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b" " * member_bytes)
    return out.getvalue()


def forged_zip_bytes(padding: int = 2**20) -> bytes:
    """A valid workbook whose data sheet inflates beyond the size its zip headers declare (a zip bomb
    that lies about its sizes, so that neither the total nor the ratio guard sees it)."""
    original = zipfile.ZipFile(io.BytesIO(xlsx_bytes(base_submission())))
    out = io.BytesIO()
    target = "xl/worksheets/sheet2.xml"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in original.infolist():
            content = original.read(info.filename)
            if info.filename == target:
                content = content.replace(b"<sheetData>", b"<sheetData>" + b" " * padding, 1)
            z.writestr(info.filename, content)
    data = bytearray(out.getvalue())
    name = target.encode()
    # Uncompressed size: offset 22 in a local header, 24 in a central directory entry.
    for signature, name_at, size_at in ((b"PK\x03\x04", 26, 22), (b"PK\x01\x02", 28, 24)):
        i = data.find(signature)
        while i != -1:
            length = int.from_bytes(data[i + name_at : i + name_at + 2], "little")
            start = i + (30 if signature == b"PK\x03\x04" else 46)
            if bytes(data[start : start + length]) == name:
                data[i + size_at : i + size_at + 4] = (1000).to_bytes(4, "little")
            i = data.find(signature, i + 4)
    return bytes(data)


def write_bytes(path: Path, data: bytes) -> Path:
    """Write raw bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# --- the cases -------------------------------------------------------------------------------------

Where = tuple[str | None, int | None, str | None]  # (sheet, Excel row, column letter)
Level = Literal["berkas", "validasi", "gudang"]


@dataclass(frozen=True)
class Case:
    """One defective (or valid) file and what the checks must say about it."""

    id: str
    rule: str | None  # None: the file is valid
    where: tuple[Where, ...]  # every cell the rule must be reported at
    build: Callable[..., Path]  # build(folder, **identity overrides) -> path
    level: Level = "validasi"  # what must run to see it: the reader, validate_files, or the warehouse
    limits: Limits | None = None
    pemda: str | None = PEMDA  # the pemda the run is for


def xlsx_case(id: str, rule: str | None, where: tuple[Where, ...], defect: Callable[[Submission], None],
              **kw: object) -> Case:  # fmt: skip
    """A case written as xlsx from the base with `defect` applied."""

    def build(folder: Path, **identity: object) -> Path:
        sub = base_submission(**identity)
        defect(sub)
        return write_xlsx(sub, folder / sub.name("xlsx"))

    return Case(id, rule, where, build, **kw)  # type: ignore[arg-type]


def csv_case(id: str, rule: str | None, where: tuple[Where, ...], text: Callable[[Submission], str],
             encoding: str = "utf-8", **kw: object) -> Case:  # fmt: skip
    """A case written as CSV from the base, through `text`."""

    def build(folder: Path, **identity: object) -> Path:
        sub = base_submission(**identity)
        path = folder / sub.name("csv")
        return write_bytes(path, text(sub).encode(encoding))

    return Case(id, rule, where, build, **kw)  # type: ignore[arg-type]


def raw_case(id: str, rule: str, name: str, data: Callable[[], bytes], **kw: object) -> Case:
    """A hostile file: raw bytes, no identity."""

    def build(folder: Path, **_identity: object) -> Path:
        return write_bytes(folder / name, data())

    return Case(id, rule, ((None, None, None),), build, level="berkas", **kw)  # type: ignore[arg-type]


def _ident(name: str) -> Where:
    return ("Identitas", IDENTITY_ROW[name], "B")


def _cell(row: int, name: str, sheet: str = "Realisasi") -> Where:
    return (sheet, row, LETTER[name])


def _set_identity(name: str, value: object) -> Callable[[Submission], None]:
    def defect(sub: Submission) -> None:
        sub.identity[name] = value

    return defect


def _set_cell(row: int, name: str, value: object) -> Callable[[Submission], None]:
    def defect(sub: Submission) -> None:
        sub.set(row, LETTER[name], value)

    return defect


def _no_header(sub: Submission) -> None:
    sub.header = [None] * len(sub.header)


def _two_data_sheets(sub: Submission) -> None:
    sub.sheet = "Sheet1"
    sub.extra_sheets["Sheet2"] = [list(sub.header), *copy.deepcopy(sub.rows)]


def _only_triwulan_column(sub: Submission) -> None:
    sub.drop_column("Realisasi s.d. Triwulan Ini (Rp)")
    sub.rows[1][7] = 600_000_000  # realisasi triwulan above the pagu of 500.000.000, now column H


def _duplicate_key(sub: Submission) -> None:
    sub.rows[2][4] = "Dana Transfer Umum-Dana Alokasi Umum"  # row 4 becomes DAU, like row 2


def _title_rows_then_overspend(sub: Submission) -> None:
    sub.above = [["LAPORAN REALISASI ANGGARAN PENGHAPUSAN KEMISKINAN EKSTREM TRIWULAN III TAHUN 2024"], []]
    sub.set(5, LETTER["realisasi_kumulatif"], 600_000_000)  # header in row 3: data rows are 4-6


def _too_many_rows(sub: Submission) -> None:
    template = sub.rows[1]
    sub.rows = [[i + 1, f"1.06.05.2.01.{i + 1:04d}", *template[2:]] for i in range(260)]


def _formula_without_value(folder: Path, **identity: object) -> Path:
    """openpyxl writes a formula without its cached value, as a script-generated file does."""
    sub = base_submission(**identity)
    path = write_xlsx(sub, folder / sub.name("xlsx"))
    wb = openpyxl.load_workbook(path)
    wb["Realisasi"]["F3"] = "=400000000+100000000"
    wb.save(path)
    return path


def _merged_rows_2_3(name: str) -> Callable[..., Path]:
    """Rows 2 and 3 share one merged cell of a column, as a hand-made table does."""

    def build(folder: Path, **identity: object) -> Path:
        sub = base_submission(**identity)
        path = write_xlsx(sub, folder / sub.name("xlsx"))
        wb = openpyxl.load_workbook(path)
        letter = LETTER[name]
        wb["Realisasi"].merge_cells(f"{letter}2:{letter}3")
        wb.save(path)
        return path

    return build


def _truncated_xlsx() -> bytes:
    data = xlsx_bytes(base_submission())
    return data[: len(data) * 2 // 3]


def _csv_differing_identity(sub: Submission) -> str:
    return csv_text(sub, identity_rows=[{}, {"triwulan": 2}, {}])


def _csv_too_many_rows(sub: Submission) -> str:
    _too_many_rows(sub)
    return csv_text(sub)


def _csv_without_identity(sub: Submission) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in [sub.header, *sub.rows]:
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue()


def _prev_quarter(kumulatif_tw3: object) -> Callable[..., Path]:
    """Two files of one OPD: its accepted TW II, and a TW III whose row 2 has this kumulatif."""

    def build(folder: Path, **identity: object) -> Path:
        prev = base_submission(**{**identity, "triwulan": 2, "tanggal_laporan": "2024-07-08"})
        prev.rows = copy.deepcopy(TW2_ROWS)
        write_xlsx(prev, folder / prev.name("xlsx"))
        sub = base_submission(**identity)
        sub.set(2, LETTER["realisasi_kumulatif"], kumulatif_tw3)
        return write_xlsx(sub, folder / sub.name("xlsx"))

    return build


def _named_tw2(sub: Submission) -> None:
    sub.file_name = "Laporan KE Dinsos TW II 2024.xlsx"
    sub.identity["penanggung_jawab"] = "Dra. Contoh Lain"  # not a defect: only so the bytes differ


def _nothing(sub: Submission) -> None:
    pass


# fmt: off
CASES: tuple[Case, ...] = (
    # --- valid -----------------------------------------------------------------------------------
    xlsx_case("valid-xlsx", None, (), _nothing),
    csv_case("valid-csv", None, (), lambda s: csv_text(s, ";")),
    # --- the file as a whole (reader) ------------------------------------------------------------
    raw_case("F01-xls", "F01", "laporan_TW3.xls", lambda: ole_bytes(encrypted=False)),
    raw_case("F01-ods", "F01", "laporan_TW3.ods", ods_bytes),
    raw_case("F01-pdf", "F01", "laporan_TW3.pdf", lambda: b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"),
    raw_case("F01-zip-named-csv", "F01", "laporan_TW3.csv", lambda: zip_bomb_bytes(100)),
    raw_case("F02-not-a-zip", "F02", "laporan_TW3.xlsx", lambda: b"<html>bukan excel</html>\n" * 20),
    raw_case("F02-truncated-zip", "F02", "terpotong_TW3.xlsx", _truncated_xlsx),
    raw_case("F03-password", "F03", "berpassword_TW3.xlsx", lambda: ole_bytes(encrypted=True)),
    raw_case("F04-zip-bomb-ratio", "F04", "bom_TW3.xlsx", zip_bomb_bytes),
    raw_case("F02-zip-bomb-forged-sizes", "F02", "bom-palsu_TW3.xlsx", forged_zip_bytes),
    raw_case("F04-zip-bomb-total", "F04", "besar_TW3.xlsx", lambda: zip_bomb_bytes(60_000),
             limits=Limits(max_uncompressed_bytes=50_000, max_compression_ratio=10**6)),
    raw_case("F05-empty", "F05", "kosong_TW3.xlsx", lambda: b""),
    raw_case("F05-empty-csv", "F05", "kosong_TW3.csv", lambda: b"\xef\xbb\xbf \r\n\r\n"),
    Case("F04-file-too-big", "F04", ((None, None, None),),
         lambda folder, **i: write_xlsx(base_submission(**{"penanggung_jawab": "Besar", **i}),
                                        folder / "besar-sekali_TW3.xlsx"),
         level="berkas", limits=Limits(max_file_bytes=2_000)),
    xlsx_case("F04-too-many-rows", "F04", (("Realisasi", None, None),), _too_many_rows, level="berkas",
              limits=Limits(max_rows=20)),
    csv_case("F04-csv-too-many-rows", "F04", ((None, None, None),), _csv_too_many_rows, level="berkas",
             limits=Limits(max_rows=20)),
    xlsx_case("F06-no-identitas", "F06", ((None, None, None),),
              lambda s: setattr(s, "identity_sheet", False), level="berkas"),
    csv_case("F06-csv-without-identity", "F06", (("CSV", None, None),), _csv_without_identity,
             level="berkas"),
    xlsx_case("F07-no-header", "F07", ((None, None, None),), _no_header, level="berkas"),
    csv_case("F07-csv-tab", "F07", ((None, None, None),), lambda s: csv_text(s, "\t"), level="berkas"),
    csv_case("F07-csv-pipe", "F07", ((None, None, None),), lambda s: csv_text(s, "|"), level="berkas"),
    xlsx_case("F08-missing-column", "F08", (("Realisasi", 1, None),),
              lambda s: s.drop_column("Sumber Dana"), level="berkas"),
    xlsx_case("F09-no-rows", "F09", (("Realisasi", None, None),), lambda s: setattr(s, "rows", []),
              level="berkas"),
    csv_case("F10-csv-latin1", "F10", ((None, None, None),),
             lambda s: csv_text(s).replace("Pelatihan", "Pélatihan"), encoding="latin-1", level="berkas"),
    Case("F11-formula-without-value", "F11", (_cell(3, "pagu"),), _formula_without_value, level="berkas"),
    xlsx_case("F12-cell-too-long", "F12", (_cell(3, "nama_sub_kegiatan"),),
              _set_cell(3, "nama_sub_kegiatan", "Pelatihan " * 20), level="berkas",
              limits=Limits(max_cell_chars=150)),
    xlsx_case("F13-two-data-sheets", "F13", ((None, None, None),), _two_data_sheets, level="berkas"),
    # --- identity --------------------------------------------------------------------------------
    xlsx_case("I01-nama-skpd-empty", "I01", (_ident("nama_skpd"),), _set_identity("nama_skpd", None)),
    xlsx_case("I02-kode-pemda-malformed", "I02", (_ident("kode_pemda"),),
              _set_identity("kode_pemda", "36-02")),
    xlsx_case("I03-tahun", "I03", (_ident("tahun"),), _set_identity("tahun", "2O24")),
    xlsx_case("I04-triwulan", "I04", (_ident("triwulan"),), _set_identity("triwulan", "V")),
    xlsx_case("I05-kode-skpd", "I05", (_ident("kode_skpd"),), _set_identity("kode_skpd", "1.06.01")),
    xlsx_case("I06-revisi", "I06", (_ident("revisi"),), _set_identity("revisi", "satu")),
    xlsx_case("I07-tanggal-unreadable", "I07", (_ident("tanggal_laporan"),),
              _set_identity("tanggal_laporan", "31/02/2024")),
    xlsx_case("I07-tanggal-before-quarter", "I07", (_ident("tanggal_laporan"),),
              _set_identity("tanggal_laporan", "2024-05-02")),
    xlsx_case("I08-nip-17-digits", "I08", (_ident("nip"),), _set_identity("nip", "19700101199003100")),
    xlsx_case("I09-name-says-tw2", "I09", (_ident("triwulan"),),
              _named_tw2),
    xlsx_case("I10-other-pemda", "I10", (_ident("kode_pemda"),), _set_identity("kode_pemda", "36.03")),
    csv_case("I12-csv-identity-differs", "I12", (("CSV", 3, CSV_LETTER["triwulan"]),),
             _csv_differing_identity),
    # --- rows ------------------------------------------------------------------------------------
    xlsx_case("R01-nama-empty", "R01", (_cell(3, "nama_sub_kegiatan"),),
              _set_cell(3, "nama_sub_kegiatan", None)),
    xlsx_case("R02-kode-5-segments", "R02", (_cell(2, "kode_sub_kegiatan"),),
              _set_cell(2, "kode_sub_kegiatan", "1.06.04.2.01")),
    xlsx_case("R03-strategi", "R03", (_cell(3, "strategi"),), _set_cell(3, "strategi", "Bantuan Sosial")),
    xlsx_case("R04-sumber-dana", "R04", (_cell(4, "sumber_dana"),), _set_cell(4, "sumber_dana", "APBN")),
    xlsx_case("R05-pagu-words", "R05", (_cell(2, "pagu"),), _set_cell(2, "pagu", "satu miliar")),
    xlsx_case("R06-negative-in-brackets", "R06", (_cell(3, "realisasi_triwulan"),),
              _set_cell(3, "realisasi_triwulan", "(1.000)")),
    xlsx_case("R06-negative-rp", "R06", (_cell(2, "pagu_murni"),),
              _set_cell(2, "pagu_murni", "Rp -1.000.000")),
    xlsx_case("R07-three-decimals", "R07", (_cell(2, "pagu"),), _set_cell(2, "pagu", "1.250.000.000,555")),
    xlsx_case("R08-kumulatif-over-pagu", "R08", (_cell(3, "realisasi_kumulatif"),),
              _set_cell(3, "realisasi_kumulatif", "Rp600.000.000,-")),
    xlsx_case("R08-below-title-rows", "R08", (_cell(5, "realisasi_kumulatif"),), _title_rows_then_overspend),
    xlsx_case("R09-triwulan-over-pagu", "R09", (("Realisasi", 3, "H"),), _only_triwulan_column),
    xlsx_case("R10-kumulatif-below-triwulan", "R10", (_cell(2, "realisasi_triwulan"),),
              _set_cell(2, "realisasi_triwulan", 950_000_000)),
    xlsx_case("R11-duplicate-key", "R11", (_cell(2, "kode_sub_kegiatan"), _cell(4, "kode_sub_kegiatan")),
              _duplicate_key),
    xlsx_case("R12-lokasi-malformed", "R12", (_cell(2, "lokasi"),), _set_cell(2, "lokasi", "Kec. Cibeber")),
    xlsx_case("R13-sasaran-kk-fraction", "R13", (_cell(2, "sasaran_kk"),),
              _set_cell(2, "sasaran_kk", "12,5")),
    xlsx_case("R13-volume-negative", "R13", (_cell(3, "target_volume"),), _set_cell(3, "target_volume", -5)),
    xlsx_case("R14-pagu-1e300", "R14", (_cell(2, "pagu"),), _set_cell(2, "pagu", 1e300)),
    xlsx_case("R14-kumulatif-23-digits", "R14", (_cell(3, "realisasi_kumulatif"),),
              _set_cell(3, "realisasi_kumulatif", "12345678901234567890123")),
    xlsx_case("R14-volume-huge", "R14", (_cell(4, "realisasi_volume"),),
              _set_cell(4, "realisasi_volume", "1.000.000.000.000.000")),
    Case("R15-merged-pagu", "R15", (_cell(2, "pagu"), _cell(3, "pagu")), _merged_rows_2_3("pagu")),
    # --- repairs (warnings) ----------------------------------------------------------------------
    xlsx_case("W01-header-typo", "W01", (("Realisasi", 1, "E"),),
              lambda s: s.header.__setitem__(4, "Sumber Dan")),
    xlsx_case("W02-code-trailing-dot", "W02", (_cell(2, "kode_sub_kegiatan"),),
              _set_cell(2, "kode_sub_kegiatan", " 1.06.04.2.01.0001.")),
    xlsx_case("W03-code-old-style", "W03", (_cell(3, "kode_sub_kegiatan"),),
              _set_cell(3, "kode_sub_kegiatan", "1.06.05.2.01.02")),
    xlsx_case("W04-sheet-sheet1", "W04", (("Sheet1", None, None),), lambda s: setattr(s, "sheet", "Sheet1")),
    xlsx_case("W05-volume-with-unit", "W05", (_cell(2, "target_volume"),),
              _set_cell(2, "target_volume", "500 KK/tahun")),
    Case("W06-merged-data-cell", "W06", (_cell(3, "sumber_dana"),), _merged_rows_2_3("sumber_dana")),
    xlsx_case("W07-nama-skpd-line-break", "W07", (_ident("nama_skpd"),),
              _set_identity("nama_skpd", "Dinas\nSosial")),
    xlsx_case("W08-control-character", "W08", (_cell(3, "keterangan"),),
              _set_cell(3, "keterangan", "Sesuai\x07 jadwal")),
    # --- rules that need the warehouse (SQL in sql/checks) ---------------------------------------
    xlsx_case("R12-lokasi-other-pemda", "R12", (_cell(3, "lokasi"),), _set_cell(3, "lokasi", "36.03.01"),
              level="gudang"),
    xlsx_case("R12-lokasi-malformed-in-run", "R12", (_cell(2, "lokasi"),),
              _set_cell(2, "lokasi", "36.02.01;Cibeber"), level="gudang"),
    xlsx_case("I11-opd-not-listed", "I11", (_ident("kode_skpd"),), _nothing, level="gudang"),
    xlsx_case("W10-lokasi-not-in-reference", "W10", (_cell(3, "lokasi"),),
              _set_cell(3, "lokasi", "36.02.01;36.02.03.2999"), level="gudang"),
    xlsx_case("W11-nama-pemda-not-the-reference", "W11", (_ident("nama_pemda"),),
              _set_identity("nama_pemda", "Kabupaten Lebak Selatan"), level="gudang"),
    Case("X01-kumulatif-decreases", "X01", (_cell(2, "realisasi_kumulatif"),), _prev_quarter(500_000_000),
         level="gudang"),
    Case("X02-kumulatif-disagrees", "X02", (_cell(2, "realisasi_kumulatif"),), _prev_quarter(950_000_000),
         level="gudang"),
    # A sound file whose reader process is killed (fault injection: READER_DIES below).
    xlsx_case("F14-reader-dies", "F14", ((None, None, None),), _nothing, level="gudang"),
)
# fmt: on

CASE_BY_ID = {c.id: c for c in CASES}

# The fault-injection setting that kills the reader of the F14 case's file (rekap.warehouse.fault_point).
READER_DIES = "baca:F14-reader-dies"
