"""Assemble the report of one pemda and quarter from the marts (every figure comes from `sql/report/`),
check that its tables add up, and write its files."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from rekap.contract.calendar import triwulan_romawi
from rekap.contract.tables import NUMERIC_KINDS, Column, Report, ReportTable
from rekap.files import output_path
from rekap.report.page import render_html
from rekap.report.workbook import render_workbook
from rekap.warehouse.sql import query_rows

C = Column
# (key, title, note, columns, SQL file). Labels may name the quarter: {ini} is this quarter, {lalu} the one
# before, in Roman numerals.
TABLES: tuple[tuple[str, str, str, list[Column], str], ...] = (
    ("t0", "T0 Ringkasan", "Triwulan ini dibanding triwulan lalu; perubahan persen dalam poin persen", [
        C("uraian", "Uraian"), C("triwulan_lalu", "Triwulan {lalu}", "rupiah"),
        C("triwulan_ini", "Triwulan {ini}", "rupiah"), C("perubahan", "Perubahan", "rupiah"),
    ], "t0_ringkasan"),
    ("t1", "T1 Rekap per Strategi", "Strategi Inpres 4/2022; angka dalam Rupiah", [
        C("strategi", "Strategi"), C("jumlah_opd", "Jumlah OPD", "angka"),
        C("jumlah_sub_kegiatan", "Jumlah Sub Kegiatan", "angka"), C("pagu", "Pagu (Rp)", "rupiah"),
        C("realisasi_triwulan", "Realisasi Triwulan Ini (Rp)", "rupiah"),
        C("realisasi_kumulatif", "Realisasi s.d. Triwulan Ini (Rp)", "rupiah"),
        C("persen_serapan", "Serapan (%)", "persen"), C("sasaran_kk", "Sasaran KK", "angka"),
    ], "t1_strategi"),
    ("t2", "T2 Rekap per OPD",
     "Realisasi dalam tiap triwulan (Rp) menurut laporan OPD yang diterima untuk triwulan itu; realisasi "
     "kumulatif dan serapan menurut laporan triwulan ini", [
        C("kode_skpd", "Kode SKPD"), C("nama_skpd", "Nama SKPD"), C("strategi", "Strategi"),
        C("pagu", "Pagu (Rp)", "rupiah"), C("tw1", "Realisasi TW I (Rp)", "rupiah"),
        C("tw2", "Realisasi TW II (Rp)", "rupiah"), C("tw3", "Realisasi TW III (Rp)", "rupiah"),
        C("tw4", "Realisasi TW IV (Rp)", "rupiah"),
        C("realisasi_kumulatif", "Realisasi Kumulatif (Rp)", "rupiah"),
        C("persen_serapan", "Serapan (%)", "persen"), C("status", "Status Triwulan Ini"),
        C("dipakai", "Berkas yang Dipakai"),
    ], "t2_opd"),
    ("t3", "T3 Matriks 2 (rincian)",
     "OPD > program > kegiatan > sub kegiatan x sumber dana, subtotal di atas rinciannya; program dan "
     "kegiatan disebut dengan kodenya. K = realisasi volume s.d. triwulan itu menurut laporan triwulan itu; "
     "Rp = realisasi dalam triwulan itu. Hanya OPD yang laporan triwulan ini diterima; realisasi tiap "
     "triwulan semua OPD ada di T2", [
        C("kode", "Kode"), C("uraian", "Program / Kegiatan / Sub Kegiatan"), C("strategi", "Strategi"),
        C("sumber_dana", "Sumber Dana"), C("indikator", "Indikator Keluaran"), C("satuan", "Satuan"),
        C("target_volume", "Target Volume", "angka"), C("pagu", "Pagu (Rp)", "rupiah"),
        C("k1", "TW I K", "angka"), C("tw1", "TW I Rp", "rupiah"),
        C("k2", "TW II K", "angka"), C("tw2", "TW II Rp", "rupiah"),
        C("k3", "TW III K", "angka"), C("tw3", "TW III Rp", "rupiah"),
        C("k4", "TW IV K", "angka"), C("tw4", "TW IV Rp", "rupiah"),
        C("realisasi_kumulatif", "Realisasi Kumulatif (Rp)", "rupiah"),
        C("persen_serapan", "Serapan Anggaran (%)", "persen"),
        C("persen_capaian_volume", "Capaian Volume (%)", "persen"), C("sasaran_kk", "Sasaran KK", "angka"),
        C("lokasi", "Lokasi"), C("keterangan", "Keterangan"),
    ], "t3_matriks"),
    ("t4", "T4 Sumber Dana x Strategi", "Pagu dan realisasi kumulatif dalam Rupiah", [
        C("sumber_dana", "Sumber Dana"),
        C("pagu_pbp", "PBP Pagu (Rp)", "rupiah"), C("realisasi_pbp", "PBP Realisasi (Rp)", "rupiah"),
        C("pagu_ppd", "PPD Pagu (Rp)", "rupiah"), C("realisasi_ppd", "PPD Realisasi (Rp)", "rupiah"),
        C("pagu_pkk", "PKK Pagu (Rp)", "rupiah"), C("realisasi_pkk", "PKK Realisasi (Rp)", "rupiah"),
        C("pagu", "Jumlah Pagu (Rp)", "rupiah"),
        C("realisasi_kumulatif", "Jumlah Realisasi (Rp)", "rupiah"),
        C("persen_serapan", "Serapan (%)", "persen"), C("porsi_pagu", "Porsi Pagu (%)", "persen"),
    ], "t4_sumber_dana"),
    ("t5", "T5 Lokasi",
     "Pagu, realisasi kumulatif (Rp) dan sasaran KK per wilayah; baris yang menyebut beberapa wilayah "
     "dihitung sekali. Cakupan = sasaran KK / KK miskin ekstrem menurut data sasaran (rekap sasaran), bila "
     "dimuat; satu KK yang dijangkau dua program terhitung dua kali", [
        C("kode_wilayah", "Kode Wilayah"), C("wilayah", "Wilayah"),
        C("pagu_pbp", "PBP Pagu (Rp)", "rupiah"), C("realisasi_pbp", "PBP Realisasi (Rp)", "rupiah"),
        C("kk_pbp", "PBP Sasaran KK", "angka"),
        C("pagu_ppd", "PPD Pagu (Rp)", "rupiah"), C("realisasi_ppd", "PPD Realisasi (Rp)", "rupiah"),
        C("kk_ppd", "PPD Sasaran KK", "angka"),
        C("pagu_pkk", "PKK Pagu (Rp)", "rupiah"), C("realisasi_pkk", "PKK Realisasi (Rp)", "rupiah"),
        C("kk_pkk", "PKK Sasaran KK", "angka"),
        C("pagu", "Jumlah Pagu (Rp)", "rupiah"),
        C("realisasi_kumulatif", "Jumlah Realisasi (Rp)", "rupiah"),
        C("persen_serapan", "Serapan (%)", "persen"), C("sasaran_kk", "Jumlah Sasaran KK", "angka"),
        C("kk_miskin_ekstrem", "KK Miskin Ekstrem (Data Sasaran)", "angka"),
        C("persen_cakupan", "Cakupan KK (%)", "persen"),
    ], "t5_lokasi"),
    ("t6", "T6 Kelengkapan dan Validasi", "Berkas terakhir tiap OPD pada triwulan ini", [
        C("kode_skpd", "Kode SKPD"), C("nama_skpd", "Nama SKPD"), C("menyampaikan", "Menyampaikan"),
        C("tanggal_diterima", "Tanggal Diterima", "tanggal"), C("nama_berkas", "Nama Berkas"),
        C("revisi", "Revisi", "angka"), C("status_berkas", "Status"), C("jumlah_error", "Error", "angka"),
        C("jumlah_peringatan", "Peringatan", "angka"), C("kesalahan_utama", "Kesalahan Utama"),
    ], "t6_kelengkapan"),
    ("t7", "T7 Catatan",
     "Catatan otomatis untuk rapat triwulanan, masing-masing dengan angka yang memicunya", [
        C("catatan", "Catatan"), C("kode_skpd", "Kode SKPD"), C("nama_skpd", "Nama SKPD"),
        C("kode_sub_kegiatan", "Kode Sub Kegiatan"), C("nama_sub_kegiatan", "Nama Sub Kegiatan"),
        C("sumber_dana", "Sumber Dana"), C("pagu", "Pagu (Rp)", "rupiah"),
        C("realisasi_triwulan", "Realisasi Triwulan Ini (Rp)", "rupiah"),
        C("realisasi_kumulatif", "Realisasi Kumulatif (Rp)", "rupiah"),
        C("persen_serapan", "Serapan (%)", "persen"), C("pembanding_rp", "Pembanding (Rp)", "rupiah"),
        C("pembanding_persen", "Pembanding (%)", "persen"), C("keterangan", "Keterangan"),
    ], "t7_catatan"),
)  # fmt: skip
# Only in the report of a province (kode `NN`): its kab/kota in the warehouse rolled up beside its own OPDs.
PROVINCE_TABLES: tuple[tuple[str, str, str, list[Column], str], ...] = (
    ("t8", "T8 Provinsi dan Kabupaten/Kota",
     "OPD provinsi (sama dengan T0) dan setiap kabupaten/kota yang laporannya ada di gudang data ini", [
        C("kode_pemda", "Kode Pemda"), C("nama_pemda", "Pemda"),
        C("opd_diharapkan", "OPD Wajib Melapor", "angka"), C("opd_diterima", "OPD Diterima", "angka"),
        C("opd_ditolak", "OPD Ditolak", "angka"), C("opd_belum", "OPD Belum Menyampaikan", "angka"),
        C("pagu", "Pagu (Rp)", "rupiah"), C("realisasi_triwulan", "Realisasi Triwulan Ini (Rp)", "rupiah"),
        C("realisasi_kumulatif", "Realisasi Kumulatif (Rp)", "rupiah"),
        C("persen_serapan", "Serapan (%)", "persen"), C("sasaran_kk", "Sasaran KK", "angka"),
    ], "t8_kabupaten_kota"),
)  # fmt: skip
CHARTS = ("serapan_opd", "strategi", "triwulan", "lokasi")

# The T0 rows every other table must agree with (labels as t0_ringkasan.sql writes them).
T0_PAGU = "Total pagu (Rp)"
T0_REALISASI = "Realisasi s.d. triwulan (Rp)"
T0_REALISASI_TRIWULAN = "Realisasi dalam triwulan (Rp)"
RECONCILED = ("t1", "t2", "t3", "t4", "t5")  # tables with `pagu` and `realisasi_kumulatif` columns
ANGKA = {"pagu": "pagu", "realisasi_kumulatif": "realisasi kumulatif"}


class RekonsiliasiError(RuntimeError):
    """The report's tables do not add up: the run must stop rather than publish wrong totals."""


Rows = dict[str, list[tuple]]  # a query's rows by the pemda whose report they belong to


def _rows_by_pemda(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> tuple[list[str], Rows]:
    """Run a report query for the pemda `params["pemda"]`: its column names after the first, and its rows
    without their first column (the pemda of the report), grouped by it in the order the query gives."""
    names, rows = query_rows(con, name, **params)
    by_pemda: Rows = {}
    for row in rows:
        by_pemda.setdefault(row[0], []).append(row[1:])
    return names[1:], by_pemda


def _table(
    key: str, title: str, note: str, columns: list[Column], sql: str, names: list[str], rows: list[tuple],
    labels: dict[str, str],
) -> ReportTable:  # fmt: skip
    """One table from the rows of its SQL file: the declared columns, an optional per-row `jenis`, then
    `tingkat`."""
    wanted = [c.name for c in columns]
    has_kinds = names[-2:] == ["jenis", "tingkat"]
    if names[: len(columns)] != wanted or names[-1] != "tingkat" or len(names) != len(wanted) + 1 + has_kinds:
        raise RuntimeError(f"report/{sql} returns {names}, expected {wanted} + [jenis,] tingkat")
    kinds = [r[-2] for r in rows] if has_kinds else []
    if not set(kinds) <= {*NUMERIC_KINDS, None}:
        raise RuntimeError(f"report/{sql} returns unknown kinds {set(kinds) - NUMERIC_KINDS}")
    return ReportTable(
        key,
        title,
        [Column(c.name, c.label.format_map(labels), c.kind) for c in columns],
        [r[: len(columns)] for r in rows],
        [int(r[-1]) for r in rows],
        note,
        kinds,
    )


@contextmanager
def one_thread(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Run DuckDB on one thread meanwhile, then back on its default, every core (rekap-ke sets the
    number of threads nowhere else; it is a setting of the whole database).

    Each report query reads the rows of one batch of pemda, a few hundred each: a second thread has little
    work to share, yet costs CPU time to start and synchronise on every operator; and reports are built in
    parallel processes (the report pool of a run of many pemda, the bench's pool), each better off with its
    core to itself.
    """
    con.execute("SET threads = 1")
    try:
        yield
    finally:
        con.execute("RESET threads")


def _quarter_labels(triwulan: int) -> dict[str, str]:
    """What {ini} and {lalu} in a column label stand for."""
    lalu = triwulan_romawi(triwulan - 1) if triwulan > 1 else "Lalu"
    return {"ini": triwulan_romawi(triwulan), "lalu": lalu}


def build_table(
    con: duckdb.DuckDBPyConnection, key: str, kode_pemda: str, tahun: int, triwulan: int
) -> ReportTable:
    """One table of the report (`t0`..`t8`) of one pemda and quarter, exactly as `build_report` makes it, for
    readers that show a few tables at a time (the dashboard)."""
    key, title, note, columns, sql = next(s for s in TABLES + PROVINCE_TABLES if s[0] == key)
    names, rows = _rows_by_pemda(con, f"report/{sql}", pemda=[kode_pemda], tahun=tahun, triwulan=triwulan)
    return _table(key, title, note, columns, sql, names, rows.get(kode_pemda, []), _quarter_labels(triwulan))


def pemda_names(con: duckdb.DuckDBPyConnection, pemda: list[str], tahun: int) -> dict[str, str]:
    """The name of each pemda as the headers of its report give it (`report/identitas`)."""
    _, rows = _rows_by_pemda(con, "report/identitas", pemda=list(dict.fromkeys(pemda)), tahun=tahun)
    return {kode_pemda: nama for kode_pemda, ((nama,),) in rows.items()}


def build_chart(
    con: duckdb.DuckDBPyConnection, name: str, kode_pemda: str, tahun: int, triwulan: int
) -> list[tuple]:
    """The data of one chart (`CHARTS`) of the report of one pemda and quarter, as `build_report` reads it."""
    _, rows = _rows_by_pemda(con, f"report/chart_{name}", pemda=[kode_pemda], tahun=tahun, triwulan=triwulan)
    return rows.get(kode_pemda, [])


def build_report(con: duckdb.DuckDBPyConnection, kode_pemda: str, tahun: int, triwulan: int) -> Report:
    """The report of one pemda and quarter, read from the marts; raises if its tables do not add up."""
    return next(build_reports(con, [kode_pemda], tahun, triwulan))


# Pemda whose reports are read from the marts together: each report query is planned once per batch, and
# a batch's rows are held until its last report is yielded.
BATCH = 64


def build_reports(
    con: duckdb.DuckDBPyConnection, pemda: list[str], tahun: int, triwulan: int, batch: int = BATCH
) -> Iterator[Report]:
    """The report of each pemda of `pemda` for one quarter, in that order, each equal to what
    `build_report` gives: every report query runs once for `batch` pemda, its rows split by pemda. Raises
    at the first report whose tables do not add up, once the reports before it are yielded."""
    for start in range(0, len(pemda), batch):
        part = pemda[start : start + batch]
        built = _build_batch(con, list(dict.fromkeys(part)), tahun, triwulan)
        for kode_pemda in part:
            report, sources = built[kode_pemda]
            check_reconciliation(report, sources)
            yield report


def _build_batch(
    con: duckdb.DuckDBPyConnection, pemda: list[str], tahun: int, triwulan: int
) -> dict[str, tuple[Report, list[tuple]]]:
    """The reports of distinct pemda, each with the rows of `rekonsiliasi.sql` that concern it, unchecked."""
    params = {"pemda": pemda, "tahun": tahun, "triwulan": triwulan}
    provinces = [kode_pemda for kode_pemda in pemda if is_province(kode_pemda)]
    with one_thread(con):
        results = {key: _rows_by_pemda(con, f"report/{sql}", **params) for key, *_, sql in TABLES}
        if provinces:
            for key, *_, sql in PROVINCE_TABLES:
                results[key] = _rows_by_pemda(con, f"report/{sql}", **{**params, "pemda": provinces})
        names = pemda_names(con, pemda, tahun)
        charts = {name: _rows_by_pemda(con, f"report/chart_{name}", **params)[1] for name in CHARTS}
        sources = _rows_by_pemda(con, "report/rekonsiliasi", **params)[1]
    labels = _quarter_labels(triwulan)
    built = {}
    for kode_pemda in pemda:
        specs = TABLES + (PROVINCE_TABLES if is_province(kode_pemda) else ())
        tables = []
        for spec in specs:
            names_of, rows = results[spec[0]]
            tables.append(_table(*spec, names_of, rows.get(kode_pemda, []), labels))
        chart_rows = {name: rows.get(kode_pemda, []) for name, rows in charts.items()}
        report = Report(kode_pemda, names[kode_pemda], tahun, triwulan, tables, chart_rows)
        built[kode_pemda] = (report, sources.get(kode_pemda, []))
    return built


def is_province(kode_pemda: str) -> bool:
    """A province has a one-segment code (`36`); a kab/kota has two (`36.02`)."""
    return "." not in kode_pemda


def _sum(values: list[Any]) -> Decimal:
    return sum((Decimal(v) for v in values if v is not None), Decimal(0))


def _sums(table: ReportTable, name: str, what: str) -> list[tuple[str, Decimal]]:
    """Column `name` of `table` added up over its detail rows, then the value of each total row, each with
    what it is ("<title>: jumlah baris rincian <what>", "<title>: baris Jumlah <what>")."""
    i = [c.name for c in table.columns].index(name)
    detail = _sum([row[i] for r, row in enumerate(table.rows) if table.level(r) == 0])
    totals = [_sum([row[i]]) for r, row in enumerate(table.rows) if table.level(r) == 1]
    return [(f"{table.title}: jumlah baris rincian {what}", detail),
            *((f"{table.title}: baris Jumlah {what}", total) for total in totals)]  # fmt: skip


def reconciliation_mismatches(report: Report) -> list[str]:
    """Where the tables disagree: T0's total pagu and cumulative realization against the detail rows and the
    total row of T1..T5 (and the province's own row of T8, whose total must add up). Empty when all agree."""
    t0 = report.table("t0")
    ini = [c.name for c in t0.columns].index("triwulan_ini")
    by_label = {row[0]: row[ini] for row in t0.rows}
    problems = []
    for name, t0_label in (("pagu", T0_PAGU), ("realisasi_kumulatif", T0_REALISASI)):
        acuan = _sum([by_label.get(t0_label)])
        for key in RECONCILED:
            for what, value in _sums(report.table(key), name, ANGKA[name]):
                if value != acuan:
                    problems.append(f"{what} {value} ≠ T0 {acuan}")
        if any(t.key == "t8" for t in report.tables):
            t8 = report.table("t8")
            i = [c.name for c in t8.columns].index(name)
            own = _sum([row[i] for row in t8.rows if row[0] == report.kode_pemda])
            if own != acuan:
                problems.append(f"{t8.title}: OPD provinsi {ANGKA[name]} {own} ≠ T0 {acuan}")
            detail = _sum([row[i] for r, row in enumerate(t8.rows) if t8.level(r) == 0])
            if [_sum([row[i]]) for r, row in enumerate(t8.rows) if t8.level(r) == 1] != [detail]:
                problems.append(f"{t8.title}: baris Jumlah {ANGKA[name]} ≠ jumlah baris rincian {detail}")
    return problems


def quarter_mismatches(report: Report) -> list[str]:
    """Where the realization within a quarter has two values: T2's TW I..IV columns (detail rows and Jumlah
    row), the chart of realization per quarter, T0 (this quarter and the one before) and T1 (this quarter).
    Each quarter is measured against T0 where T0 shows it, else against the chart. Empty when all agree."""
    t0 = report.table("t0")
    names = [c.name for c in t0.columns]
    row = next((r for r in t0.rows if r[0] == T0_REALISASI_TRIWULAN), None)
    t0_of: dict[int, tuple[str, Decimal]] = {}
    if row is not None:
        t0_of[report.triwulan] = ("T0 triwulan ini", _sum([row[names.index("triwulan_ini")]]))
        if report.triwulan > 1:
            t0_of[report.triwulan - 1] = ("T0 triwulan lalu", _sum([row[names.index("triwulan_lalu")]]))
    chart = {int(q): _sum([v]) for q, v in report.charts.get("triwulan", [])}
    problems = []
    for q in range(1, report.triwulan + 1):
        romawi = triwulan_romawi(q)
        values = [(f"grafik realisasi per triwulan TW {romawi}", chart.get(q, Decimal(0)))] if chart else []
        values += _sums(report.table("t2"), f"tw{q}", f"TW {romawi}")
        if q == report.triwulan:
            values += _sums(report.table("t1"), "realisasi_triwulan", "realisasi triwulan ini")
        acuan_name, acuan = t0_of.get(q) or values[0]
        problems += [f"{what} {value} ≠ {acuan_name} {acuan}" for what, value in values if value != acuan]
    return problems


def check_reconciliation(report: Report, sources: list[tuple]) -> None:
    """Stop loudly when the report does not add up: its sources in the warehouse (`sources`, the rows of
    `rekonsiliasi.sql` for its pemda), its tables (T0 = T1 = T2 = T3 = T4 = T5 in pagu and cumulative
    realization) or the realization of each quarter (T0 = T1 = T2 = the chart, `quarter_mismatches`)."""
    problems = [
        f"{sumber}: {ANGKA.get(angka, angka)} {nilai} ≠ mart.realisasi_rinci {acuan}"
        for sumber, angka, nilai, acuan in sources
    ]
    problems += reconciliation_mismatches(report) + quarter_mismatches(report)
    if problems:
        raise RekonsiliasiError(
            f"Rekonsiliasi laporan {report.kode_pemda} {report.tahun} triwulan {report.triwulan} gagal; "
            "laporan tidak diterbitkan: " + "; ".join(problems)
        )


def write_report(report: Report, out_dir: Path) -> list[Path]:
    """Write the workbook, the web page and the PDF of a report; return their paths."""
    from rekap.report.pdf import render_pdf  # reportlab is imported only by a process that renders a PDF

    out_dir.mkdir(parents=True, exist_ok=True)
    stem = report.file_stem  # contains dots (36.02): never use with_suffix on it
    return [
        render_workbook(report, output_path(out_dir, f"{stem}.xlsx")),
        render_html(report, output_path(out_dir, f"{stem}.html")),
        render_pdf(report, output_path(out_dir, f"{stem}.pdf")),
    ]
