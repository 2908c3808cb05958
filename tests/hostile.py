"""A seeded corpus of hostile submission files, written by code: one case per class of hostile input.

Each `Hostile` case writes one file (`write(folder) -> Path`) and knows what the reader and the
validation must make of it: the rule (`rule`; None when nothing is wrong with the file), every cell the
rule is reported at (`cells`, as (sheet, Excel row, column letter); `cell` is the first), and whether
the file is rejected (`rejected`). An accepted case also states how many data rows are read (`rows`)
and the exact pagu total in sen (`pagu_sen`). Each case is its own OPD (`kode_skpd`) of Lebak, TW III
2024, built on the valid base of `tests/corpus.py`, so that one run can take all of them beside valid
files. Warnings other than `rule` may come with a case (a W07 beside an I02 on the same cell).

    from tests.hostile import cases
    paths = [case.write(folder) for case in cases()]

`cases(seed)` gives the same bytes for the same seed (the texts at the length limits and the path-like
values are drawn from it). File names are explicit and safe (`hostile_NN_<name>_TW3.xlsx`), except in
the cases about odd names, whose name is the point.
"""

from __future__ import annotations

import copy
import io
import random
import re
import string
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import xlsxwriter

from rekap.reading.scan import cell_name
from rekap.settings import Limits
from tests.corpus import (
    BASE_ROWS,
    CSV_LETTER,
    IDENTITY_LABELS,
    LETTER,
    Submission,
    _cell,
    _ident,
    base_submission,
    csv_text,
    xlsx_bytes,
)

SEED = 2024
LIMITS = Limits()
Where = tuple[str | None, int | None, str | None]  # (sheet, Excel row, column letter)
NOWHERE: Where = (None, None, None)
REALISASI_XML = "xl/worksheets/sheet2.xml"  # the data sheet of `xlsx_bytes` (Identitas is sheet1)
IDENTITAS_XML = "xl/worksheets/sheet1.xml"
BASE_PAGU_SEN = 250_000_000_050  # the base rows' pagu: 1.250.000.000 + 500.000.000 + 750.000.000,50
PATH_LIKE = ("../../x", "/etc/passwd", "..\\..\\laporan")

Content = Callable[[], bytes]
Builder = Callable[[Submission], Content]


@dataclass(frozen=True)
class Hostile:
    """One hostile file and what must be made of it."""

    name: str
    rule: str | None  # the rule reported; None: no finding at all
    cells: tuple[Where, ...]  # where the rule is reported
    rejected: bool
    file_name: str
    kode_skpd: str  # the OPD's code as the base writes it (the case may make the file say otherwise)
    content: Content = field(repr=False)
    rows: int | None = None  # data rows read, when accepted
    pagu_sen: int | None = None  # exact pagu total, when accepted
    skipped: tuple[tuple[int, str], ...] | None = None  # (Excel row, kind) of the rows that are not data

    @property
    def cell(self) -> Where:
        """The (first) cell the rule is reported at."""
        return self.cells[0] if self.cells else NOWHERE

    def write(self, folder: Path) -> Path:
        """Write the file into `folder` (created when missing) and return its path."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / self.file_name
        path.write_bytes(self.content())
        return path


def skpd(n: int) -> str:
    """The Kode SKPD of hostile case number n: a distinct OPD per case."""
    return f"1.06.0.00.0.00.{n:02d}.0000"


# --- building blocks -------------------------------------------------------------------------------


def _xlsx(sub: Submission) -> Content:
    return lambda: xlsx_bytes(sub)


def _csv(sub: Submission) -> Content:
    return lambda: csv_text(sub).encode()


def _patched(content: Content, member: str, change: Callable[[bytes], bytes]) -> Content:
    """An xlsx with one member's bytes changed."""

    def patched() -> bytes:
        source = zipfile.ZipFile(io.BytesIO(content()))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for info in source.infolist():
                data = source.read(info.filename)
                z.writestr(info.filename, change(data) if info.filename == member else data)
        return out.getvalue()

    return patched


def _after_data(xml: bytes, extra: bytes) -> bytes:
    """The worksheet with `extra` rows at the end of its data, or (given from `</sheetData>` on) with
    elements after it."""
    if extra.startswith(b"</sheetData>"):
        return xml.replace(b"</sheetData>", extra, 1)
    return xml.replace(b"</sheetData>", extra + b"</sheetData>", 1)


def _with_cell(xml: bytes, ref: str, cell: bytes) -> bytes:
    """The worksheet with its cell at `ref` replaced by `cell` (a whole `<c .../>` or `<c>...</c>`)."""
    pattern = re.compile(rb'<c r="' + ref.encode() + rb'"(?:[^>]*/>|[^>]*>.*?</c>)')
    assert pattern.search(xml), ref
    return pattern.sub(lambda _m: cell, xml, count=1)


def _number_cell(ref: str, stored: bytes) -> Builder:
    """A numeric cell of the data sheet whose stored text is `stored` (NaN, INF: what no writer emits
    but a file can hold, and calamine reads as a float)."""
    cell = b'<c r="' + ref.encode() + b'"><v>' + stored + b"</v></c>"
    return lambda sub: _patched(_xlsx(sub), REALISASI_XML, lambda x: _with_cell(x, ref, cell))


def _sheet_rows(xml_rows: bytes, member: str = REALISASI_XML) -> Builder:
    return lambda sub: _patched(_xlsx(sub), member, lambda x: _after_data(x, xml_rows))


def _merged(ranges: str) -> Builder:
    """The data sheet with these merged ranges (written into the XML: openpyxl would make a cell object
    for every cell of a large range)."""
    element = "".join(f'<mergeCell ref="{r}"/>' for r in ranges.split())
    extra = f'</sheetData><mergeCells count="{len(ranges.split())}">{element}</mergeCells>'.encode()
    return _sheet_rows(extra)


def _words(rng: random.Random, length: int) -> str:
    """Words of lower-case letters, exactly `length` characters."""
    words: list[str] = []
    while sum(map(len, words)) + len(words) < length:
        words.append("".join(rng.choices(string.ascii_lowercase, k=rng.randint(3, 10))))
    return " ".join(words)[:length].rstrip().ljust(length, "x")


def _with_xlsxwriter(sub: Submission, fill: Callable[[xlsxwriter.Workbook, object], None]) -> Content:
    """The submission's Identitas sheet, then a Realisasi sheet with its header, filled by `fill(wb, ws)`
    (for what `xlsx_bytes` does not write: formats, dropdowns)."""

    def content() -> bytes:
        out = io.BytesIO()
        wb = xlsxwriter.Workbook(out, {"in_memory": True})
        ws = wb.add_worksheet("Identitas")
        for r, (name, label) in enumerate(IDENTITY_LABELS.items()):
            ws.write_string(r, 0, label)
            if sub.identity.get(name) is not None:
                ws.write(r, 1, sub.identity[name])
        data = wb.add_worksheet("Realisasi")
        data.write_row(0, 0, sub.header)
        fill(wb, data)
        wb.close()
        return out.getvalue()

    return content


# --- unbounded work --------------------------------------------------------------------------------


def _prefixed_far_cell(sub: Submission) -> Content:
    """The data sheet with its cell elements in a namespace prefix (`x:c`), as some libraries write it
    (calamine reads it), and a value at ZZ30000."""

    def change(xml: bytes) -> bytes:
        xml = re.sub(rb"<(/?)(sheetData|row|c|v|f|is|t)([\s/>])", rb"<\1x:\2\3", xml)
        namespace = b'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        xml = xml.replace(b"<worksheet ", b"<worksheet " + namespace, 1)
        far = b'<x:row r="30000"><x:c r="ZZ30000"><x:v>1</x:v></x:c></x:row>'
        return xml.replace(b"</x:sheetData>", far + b"</x:sheetData>", 1)

    return _patched(_xlsx(sub), REALISASI_XML, change)


def _wide_csv(separators: int) -> Builder:
    """The CSV with one more line: `separators` commas."""
    return lambda sub: lambda: (csv_text(sub) + "," * separators + "\r\n").encode()


def _repeated_shared_string(rng: random.Random) -> Builder:
    """A 10,000-character shared string used by 100,000 cells of the Identitas sheet (columns D-W of
    rows 20-5019): a few hundred KB of XML that expand to a billion characters."""
    long = _words(rng, 10_000)

    def build(sub: Submission) -> Content:
        def content() -> bytes:
            table = zipfile.ZipFile(io.BytesIO(xlsx_bytes(sub))).read("xl/sharedStrings.xml")
            index = table.count(b"<si>")
            letters = [cell_name(0, c)[:-1] for c in range(3, 23)]
            rows = b"".join(
                f'<row r="{r}">'.encode()
                + b"".join(f'<c r="{col}{r}" t="s"><v>{index}</v></c>'.encode() for col in letters)
                + b"</row>"
                for r in range(20, 5020)
            )
            added = f"<si><t>{long}</t></si></sst>".encode()
            with_string = _patched(_xlsx(sub), "xl/sharedStrings.xml", lambda x: x.replace(b"</sst>", added))
            return _patched(with_string, IDENTITAS_XML, lambda x: _after_data(x, rows))()

        return content

    return build


def _formatted_blank_rows(blank_rows: int) -> Builder:
    """The data sheet as our template makes it (dropdowns on Strategi and Sumber Dana down the sheet,
    whose `<formula1>` once set off the formula scan), with `blank_rows` formatted blank rows under the
    data, as an OPD that draws borders over a whole range saves it."""

    def build(sub: Submission) -> Content:
        def fill(wb: xlsxwriter.Workbook, ws) -> None:
            border = wb.add_format({"border": 1})
            for r, row in enumerate(sub.rows, start=1):
                for c, value in enumerate(row):
                    if value is None:
                        ws.write_blank(r, c, None, border)
                    else:
                        (ws.write_string if isinstance(value, str) else ws.write_number)(r, c, value, border)
            last = len(sub.rows) + blank_rows
            for r in range(len(sub.rows) + 1, last + 1):
                for c in range(len(sub.header)):
                    ws.write_blank(r, c, None, border)
            for name, source in (("strategi", ["Pengurangan Beban Pengeluaran", "Peningkatan Pendapatan"]),
                                 ("sumber_dana", ["DAU", "PAD", "DAK_FISIK"])):  # fmt: skip
                column = list(LETTER).index(name)
                ws.data_validation(1, column, last, column, {"validate": "list", "source": source})

        return _with_xlsxwriter(sub, fill)

    return build


def _formula_after_blank(sub: Submission) -> Content:
    """Row 3: a formatted blank in Pagu Murni (G3), then in Realisasi Triwulan Ini (H3) a formula without
    a cached value, as a script writes it; and a dropdown, so that the sheet holds `<formula1>` too."""

    def change(xml: bytes) -> bytes:
        xml = _with_cell(xml, "G3", b'<c r="G3" s="0"/>')
        xml = _with_cell(xml, "H3", b'<c r="H3"><f>F3/5</f></c>')
        return _after_data(xml, b'</sheetData><dataValidations count="1"><dataValidation type="list" '
                                b'sqref="D2:D4"><formula1>"PBP,PPD,PKK"</formula1></dataValidation>'
                                b"</dataValidations>")  # fmt: skip

    return _patched(_xlsx(sub), REALISASI_XML, change)


def _duration_overflow(sub: Submission) -> Content:
    """Pagu of row 2 formatted as a duration ([h]:mm:ss) holding 1e300: no Python timedelta holds it."""

    def fill(wb: xlsxwriter.Workbook, ws) -> None:
        for r, row in enumerate(sub.rows, start=1):
            for c, value in enumerate(row):
                if value is not None:
                    ws.write(r, c, value)
        ws.write_number(1, list(LETTER).index("pagu"), 1e300, wb.add_format({"num_format": "[h]:mm:ss"}))

    return _with_xlsxwriter(sub, fill)


# --- rows that vanish ------------------------------------------------------------------------------

STRATEGY_GROUPS = (("PBP", "Pengurangan Beban Pengeluaran", 5), ("PPD", "Peningkatan Pendapatan", 6),
                   ("PKK", "Penurunan Kantong Kemiskinan", 5))  # fmt: skip


def subtotal_table(sub: Submission) -> tuple[int, tuple[tuple[int, str], ...]]:
    """Make the submission's table 16 rows in three strategy groups, each under a heading (in Nama Sub
    Kegiatan) and closed by its subtotal ("JUMLAH STRATEGI PBP", in the code column), then the grand
    total and the signature block (in the Realisasi s.d. column, as a merged block often lands): (pagu
    in sen, the rows that are not data as (Excel row, kind))."""
    rows: list[list[object]] = []
    skipped: list[tuple[int, str]] = []
    pagu = n = 0
    for code, label, count in STRATEGY_GROUPS:
        rows.append([None, None, f"STRATEGI {label.upper()}"])
        skipped.append((len(rows) + 1, "catatan"))
        group = 0
        for _ in range(count):
            n += 1
            row = copy.deepcopy(BASE_ROWS[0])
            row[0], row[1], row[3] = n, f"1.06.04.2.01.{n:04d}", label
            row[5] = row[6] = 100_000_000 * n
            row[7], row[8] = 10_000_000 * n, 40_000_000 * n
            rows.append(row)
            group += 100_000_000 * n
        rows.append([None, f"JUMLAH STRATEGI {code}", None, None, None, group])
        skipped.append((len(rows) + 1, "jumlah"))
        pagu += group
    rows.append([None, "JUMLAH TOTAL", None, None, None, pagu])
    skipped.append((len(rows) + 1, "jumlah"))
    for line in ("", "Lebak, 8 Oktober 2024", "Kepala Dinas", "", "NIP. 197001011990031001"):
        rows.append([None] * 8 + [line or None])
        if line:
            skipped.append((len(rows) + 1, "tanda_tangan"))
    sub.rows = rows
    return pagu * 100, tuple(skipped)


def _merged_money(sub: Submission) -> Content:
    """Realisasi s.d. Triwulan Ini merged over the three data rows: one amount counted three times."""
    letter = LETTER["realisasi_kumulatif"]

    def content() -> bytes:
        wb = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(sub)))
        wb["Realisasi"].merge_cells(f"{letter}2:{letter}4")
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()

    return content


# --- the cases -------------------------------------------------------------------------------------


def cases(seed: int = SEED) -> list[Hostile]:
    """Every hostile case, numbered from 1 (its OPD is `skpd(n)`); the same bytes for the same seed."""
    rng = random.Random(seed)
    made: list[Hostile] = []
    # fmt: off

    def add(name: str, rule: str | None, cells: tuple[Where, ...], build: Builder, *, suffix: str = "xlsx",
            edit: Callable[[Submission], object] | None = None, identity: dict | None = None,
            file_name: str | None = None, **kw: object) -> None:
        """Case number n: the base submission as OPD n with `identity` and `edit` applied, written by
        `build`; accepted (with the base's rows and pagu unless said otherwise) when `rule` is None or
        a warning."""
        n = len(made) + 1
        sub = base_submission(**{"kode_skpd": skpd(n), "nama_skpd": f"OPD Uji {n}", **(identity or {})})
        if edit:
            edit(sub)
        rejected = rule is not None and not rule.startswith(("W", "I08"))
        if not rejected:
            kw = {"rows": 3, "pagu_sen": BASE_PAGU_SEN, **kw}
        made.append(Hostile(name, rule, cells, rejected, file_name or f"hostile_{n:02d}_{name}_TW3.{suffix}",
                            skpd(n), build(sub), **kw))

    def cell(row: int, name: str, value: object) -> Callable[[Submission], None]:
        return lambda sub: sub.set(row, LETTER[name], value)

    longest = _words(rng, LIMITS.max_cell_chars)
    text_columns = ("nama_sub_kegiatan", "indikator", "satuan", "keterangan")
    pagu_sen, skipped = subtotal_table(base_submission())
    rules = {"kode_pemda": "I02", "tahun": "I03", "triwulan": "I04", "kode_skpd": "I05", "revisi": "I06",
             "tanggal_laporan": "I07", "nip": "I08"}
    odd_names = {
        "nama-diawali-titik": ".laporan_dinsos_TW3.xlsx",
        "nama-spasi": "  Laporan   KE  Dinsos  TW3 .xlsx",
        "nama-unicode": "Laporan_KE_Dinsos_TW3_ñü_日本語_🙂.xlsx",
        "nama-255-byte": "L" * (255 - len("_TW3.xlsx")) + "_TW3.xlsx",
        "nama-jalur-windows": "..\\..\\laporan_tw3.xlsx",
        "nama-baris-baru": "laporan\nTW3.xlsx",
        "nama-tanpa-ekstensi": "laporan_dinsos_TW3",
    }
    owner = "Nama Pegawai"
    lock_file = b"\x0b" + owner.encode() + b" " * 42 + b"\x0b\x00" + owner.encode("utf-16-le") + b" \x00" * 40
    wide_column = cell_name(0, LIMITS.max_columns)[:-1]

    # --- unbounded work: a far cell, wide rows, expanding strings, formatted blanks, the formula scan
    add("sel-jauh-XFD20000", "F04", (("Realisasi", 20000, "XFD"),),
        _sheet_rows(b'<row r="20000"><c r="XFD20000"><v>1</v></c></row>'))
    add("sel-jauh-baris-terakhir", "F04", (("Realisasi", 1048576, "A"),),
        _sheet_rows(b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'))
    add("sel-jauh-di-identitas", "F04", (("Identitas", 40000, "AAA"),),
        _sheet_rows(b'<row r="40000"><c r="AAA40000"><v>7</v></c></row>', IDENTITAS_XML))
    add("sel-jauh-prefiks-namespace", "F04", (("Realisasi", 30000, "ZZ"),), _prefixed_far_cell)
    add("sel-tanpa-alamat-300-kolom", "F04", (("Realisasi", 6, cell_name(0, 299)[:-1]),),
        _sheet_rows(b'<row r="6">' + b"<c><v>1</v></c>" * 300 + b"</row>"))
    add("csv-baris-100000-pemisah", "F04", (("CSV", 5, wide_column),), _wide_csv(100_000), suffix="csv")
    add("csv-baris-2000000-pemisah", "F04", (("CSV", 5, None),), _wide_csv(2_000_000), suffix="csv")
    add("teks-bersama-berulang", "F04", (NOWHERE,), _repeated_shared_string(rng))
    add("baris-kosong-berformat-dropdown", None, (), _formatted_blank_rows(2_000))
    add("baris-kosong-berformat-20000", None, (), _formatted_blank_rows(20_000))
    add("rumus-tanpa-nilai-setelah-sel-kosong", "F11", (_cell(3, "realisasi_triwulan"),),
        _formula_after_blank)
    add("sel-gabungan-sampai-XFD1048576", None, (), _merged("Q2:XFD1048576"))
    add("sel-gabungan-20000", "F04", (("Realisasi", None, None),),
        _merged(" ".join(f"{cell_name(r, 20)}:{cell_name(r, 21)}" for r in range(20_000))))
    # --- rows that vanish
    add("subtotal-di-tengah-tabel", None, (), _xlsx, edit=subtotal_table, rows=16, pagu_sen=pagu_sen,
        skipped=skipped)
    add("sel-uang-digabung", "R15", tuple(_cell(r, "realisasi_kumulatif") for r in (2, 3, 4)), _merged_money)
    # --- nothing from a file is a path: path-like values in every identity field
    for name in IDENTITY_LABELS:
        rule = rules.get(name)
        add(f"jalur-di-{name.replace('_', '-')}", rule, (_ident(name),) if rule else (), _xlsx,
            identity={name: rng.choice(PATH_LIKE)})
    # --- hidden and odd file names, the content valid (under the name of an Office lock file, its content)
    for name, file_name in odd_names.items():
        add(name, None, (), _xlsx, file_name=file_name)
    add("nama-kunci-office", "F02", (NOWHERE,), lambda sub: lambda: lock_file,
        file_name="~$laporan_dinsos_TW3.xlsx")
    # --- amounts beyond DECIMAL(18,2), NaN and Infinity
    add("pagu-1e300-angka", "R14", (_cell(2, "pagu"),), _xlsx, edit=cell(2, "pagu", 1e300))
    add("realisasi-23-digit-teks", "R14", (_cell(3, "realisasi_kumulatif"),), _xlsx,
        edit=cell(3, "realisasi_kumulatif", "12345678901234567890123"))
    add("pagu-teks-1E+300", "R05", (_cell(4, "pagu"),), _xlsx, edit=cell(4, "pagu", "1E+300"))
    add("pagu-10-pangkat-16", "R14", (_cell(2, "pagu"),), _xlsx,
        edit=cell(2, "pagu", "10.000.000.000.000.000"))
    add("pagu-terbesar-yang-muat", None, (), _xlsx, edit=cell(2, "pagu", "999.999.999.999.999,99"),
        pagu_sen=99_999_999_999_999_999 + BASE_PAGU_SEN - 125_000_000_000)
    add("pagu-1000-triliun", "R14", (_cell(2, "pagu"),), _xlsx, edit=cell(2, "pagu", "1.000.000.000.000.000"))
    add("sasaran-kk-semiliar", "R14", (_cell(2, "sasaran_kk"),), _xlsx, edit=cell(2, "sasaran_kk", 10**9))
    add("volume-1e20", "R14", (_cell(2, "target_volume"),), _xlsx, edit=cell(2, "target_volume", 1e20))
    add("sasaran-kk-1e300", "R14", (_cell(3, "sasaran_kk"),), _xlsx, edit=cell(3, "sasaran_kk", 1e300))
    add("csv-pagu-23-digit", "R14", (("CSV", 2, CSV_LETTER["pagu"]),), _csv,
        edit=cell(2, "pagu", "99999999999999999999999"), suffix="csv")
    add("pagu-NaN-angka", "R05", (_cell(2, "pagu"),), _number_cell("F2", b"NaN"))
    add("realisasi-INF-angka", "R05", (_cell(3, "realisasi_triwulan"),), _number_cell("H3", b"INF"))
    add("pagu-murni-teks-Infinity", "R05", (_cell(2, "pagu_murni"),), _xlsx,
        edit=cell(2, "pagu_murni", "Infinity"))
    add("volume-teks-NaN", "R13", (_cell(3, "realisasi_volume"),), _xlsx,
        edit=cell(3, "realisasi_volume", "NaN"))
    add("nomor-tak-hingga", None, (), _number_cell("A2", b"INF"))
    add("csv-pagu-minus-Infinity", "R05", (("CSV", 3, CSV_LETTER["pagu"]),), _csv,
        edit=cell(3, "pagu", "-Infinity"), suffix="csv")
    add("durasi-di-luar-jangkauan", "F02", (("Realisasi", 2, None),), _duration_overflow)
    # --- texts at the length limits
    add("teks-sepanjang-batas-di-setiap-kolom", None, (), _xlsx,
        edit=lambda sub: [sub.set(r, LETTER[c], longest) for r in (2, 3, 4) for c in text_columns],
        identity={"nama_pemda": longest, "nama_skpd": longest, "penanggung_jawab": longest})
    add("teks-melebihi-batas", "F12", (_cell(3, "nama_sub_kegiatan"),), _xlsx,
        edit=cell(3, "nama_sub_kegiatan", longest + "x"))
    add("identitas-melebihi-batas", "F12", (_ident("nama_skpd"),), _xlsx,
        identity={"nama_skpd": longest + "x"})
    add("csv-teks-melebihi-batas", "F12", (("CSV", 4, CSV_LETTER["keterangan"]),), _csv,
        edit=cell(4, "keterangan", longest + "x"), suffix="csv")
    add("csv-sel-200000-karakter", "F12", (("CSV", 3, None),), _csv,
        edit=cell(3, "keterangan", "y" * 200_000), suffix="csv")
    # --- control characters and line breaks
    add("baris-baru-di-nama-pemda", "W07", (_ident("nama_pemda"),), _xlsx,
        identity={"nama_pemda": "Kabupaten\r\nLebak"})
    add("karakter-kendali-di-nama-skpd", "W07", (_ident("nama_skpd"),), _xlsx,
        identity={"nama_skpd": "Dinas\x00 Sosial\u202e\x1b[31m"})
    add("baris-baru-di-kode-skpd", "W07", (_ident("kode_skpd"),), _xlsx,
        edit=lambda sub: sub.identity.update(kode_skpd=f"{sub.identity['kode_skpd'][:-5]}.\n0000"))
    add("karakter-kendali-di-kode-pemda", "I02", (_ident("kode_pemda"),), _xlsx,
        identity={"kode_pemda": "36.02\x00"})
    add("csv-baris-baru-di-nama-skpd", "W07", (("CSV", 2, CSV_LETTER["nama_skpd"]),), _csv,
        identity={"nama_skpd": "Dinas\nSosial"}, suffix="csv")
    add("karakter-kendali-di-data", "W08", (_cell(2, "keterangan"),), _xlsx,
        edit=cell(2, "keterangan", "Sesuai\x07 jadwal\u200b"))
    # fmt: on
    assert len({c.file_name for c in made}) == len(made) < 100
    return made
