"""Assemble the report of one pemda and quarter from the marts (every figure comes from `sql/report/`)
and write its files."""

from __future__ import annotations

from pathlib import Path

import duckdb

from rekap.render import render_html, render_workbook
from rekap.tables import Column, Report, ReportTable
from rekap.warehouse import query_rows

C = Column
TABLES: tuple[tuple[str, str, str, list[Column]], ...] = (
    ("t0", "T0 Ringkasan", "Angka dalam Rupiah; persen terhadap pagu", [
        C("uraian", "Uraian"), C("pagu", "Pagu (Rp)", "rupiah"),
        C("realisasi_kumulatif", "Realisasi s.d. Triwulan (Rp)", "rupiah"),
        C("persen_serapan", "Serapan (%)", "persen"), C("opd_diharapkan", "OPD Diharapkan", "angka"),
        C("opd_diterima", "OPD Diterima", "angka"), C("opd_ditolak", "OPD Ditolak", "angka"),
        C("opd_belum", "OPD Belum Menyampaikan", "angka"), C("sub_kegiatan", "Sub Kegiatan", "angka"),
        C("sasaran_kk", "Sasaran KK", "angka"), C("porsi_pbp", "Porsi PBP (% pagu)", "persen"),
        C("porsi_ppd", "Porsi PPD (% pagu)", "persen"), C("porsi_pkk", "Porsi PKK (% pagu)", "persen"),
    ]),
    ("t1", "T1 Rekap per Strategi", "Strategi Inpres 4/2022; angka dalam Rupiah", [
        C("strategi", "Strategi"), C("jumlah_opd", "Jumlah OPD", "angka"),
        C("jumlah_sub_kegiatan", "Jumlah Sub Kegiatan", "angka"), C("pagu", "Pagu (Rp)", "rupiah"),
        C("realisasi_triwulan", "Realisasi Triwulan Ini (Rp)", "rupiah"),
        C("realisasi_kumulatif", "Realisasi s.d. Triwulan Ini (Rp)", "rupiah"),
        C("persen_serapan", "Serapan (%)", "persen"), C("sasaran_kk", "Sasaran KK", "angka"),
    ]),
    ("t2", "T2 Rekap per OPD", "Realisasi per triwulan dalam Rupiah", [
        C("kode_skpd", "Kode SKPD"), C("nama_skpd", "Nama SKPD"), C("strategi", "Strategi"),
        C("pagu", "Pagu (Rp)", "rupiah"), C("tw1", "Realisasi TW I (Rp)", "rupiah"),
        C("tw2", "Realisasi TW II (Rp)", "rupiah"), C("tw3", "Realisasi TW III (Rp)", "rupiah"),
        C("tw4", "Realisasi TW IV (Rp)", "rupiah"),
        C("realisasi_kumulatif", "Realisasi Kumulatif (Rp)", "rupiah"),
        C("persen_serapan", "Serapan (%)", "persen"), C("status", "Status Triwulan Ini"),
        C("dipakai", "Berkas yang Dipakai"),
    ]),
    ("t6", "T6 Kelengkapan dan Validasi", "Berkas terakhir tiap OPD pada triwulan ini", [
        C("kode_skpd", "Kode SKPD"), C("nama_skpd", "Nama SKPD"), C("menyampaikan", "Menyampaikan"),
        C("tanggal_diterima", "Tanggal Diterima", "tanggal"), C("nama_berkas", "Nama Berkas"),
        C("revisi", "Revisi", "angka"), C("status_berkas", "Status"), C("jumlah_error", "Error", "angka"),
        C("jumlah_peringatan", "Peringatan", "angka"), C("kesalahan_utama", "Kesalahan Utama"),
    ]),
)  # fmt: skip
SQL_OF = {"t0": "t0_ringkasan", "t1": "t1_strategi", "t2": "t2_opd", "t6": "t6_kelengkapan"}


def build_report(con: duckdb.DuckDBPyConnection, kode_pemda: str, tahun: int, triwulan: int) -> Report:
    """The report of one pemda and quarter, read from the marts."""
    params = {"kode_pemda": kode_pemda, "tahun": tahun, "triwulan": triwulan}
    tables = []
    for key, title, note, columns in TABLES:
        names, rows = query_rows(con, f"report/{SQL_OF[key]}", **params)
        if names[: len(columns)] != [c.name for c in columns] or names[-1] != "tingkat":
            raise RuntimeError(f"report/{SQL_OF[key]} returns {names}, expected {[c.name for c in columns]}")
        tables.append(
            ReportTable(key, title, columns, [r[:-1] for r in rows], [int(r[-1]) for r in rows], note)
        )
    (nama_pemda,) = query_rows(con, "report/identitas", **params)[1][0]
    charts = {name: query_rows(con, f"report/chart_{name}", **params)[1]
              for name in ("serapan_opd", "strategi", "triwulan")}  # fmt: skip
    return Report(kode_pemda, nama_pemda, tahun, triwulan, tables, charts)


def write_report(report: Report, out_dir: Path) -> list[Path]:
    """Write the workbook and the web page of a report; return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = report.file_stem  # contains dots (36.02): never use with_suffix on it
    return [render_workbook(report, out_dir / f"{stem}.xlsx"), render_html(report, out_dir / f"{stem}.html")]
