"""`rekap template`: the blank workbook of the submission spec (section 2) for one OPD and quarter, with
its identity filled in, written with xlsxwriter.

Sheets: `Petunjuk` (how to fill it in, in Bahasa Indonesia), `Identitas` (label in A, value in B) and
`Realisasi` (the canonical headers of `rekap.reading.COLUMNS` in row 1, frozen and locked; the data cells
unlocked, with dropdowns for Strategi and Sumber Dana and Rupiah formats on the amounts). What the
template produces is exactly what the reader expects, so a filled-in template passes `rekap periksa`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import xlsxwriter

from rekap.contract.codes import STRATEGI, SUMBER_DANA
from rekap.contract.fields import COLUMNS, IDENTITY

DATA_ROWS = 1000  # rows prepared with dropdowns and checks under the header
AMOUNTS = ("pagu", "pagu_murni", "realisasi_triwulan", "realisasi_kumulatif")
TEXT_COLUMNS = ("kode_sub_kegiatan", "nama_sub_kegiatan", "strategi", "sumber_dana", "indikator", "satuan",
                "lokasi", "keterangan")  # fmt: skip
WIDTHS = {"no": 5, "kode_sub_kegiatan": 20, "nama_sub_kegiatan": 40, "strategi": 30, "sumber_dana": 16,
          "indikator": 32, "satuan": 10, "lokasi": 24, "keterangan": 28}  # fmt: skip

CATATAN_IDENTITAS = {
    "kode_pemda": "Diisi oleh Bappeda; jangan diubah.",
    "nama_pemda": "Nama kabupaten/kota atau provinsi.",
    "tahun": "Diisi oleh Bappeda; jangan diubah.",
    "triwulan": "Diisi oleh Bappeda; jangan diubah (1-4).",
    "kode_skpd": "Diisi oleh Bappeda; jangan diubah.",
    "nama_skpd": "Nama OPD.",
    "revisi": "0 untuk kiriman pertama; naikkan (1, 2, ...) setiap mengirim perbaikan.",
    "tanggal_laporan": "Tanggal laporan, pada atau setelah awal triwulan, mis. 2024-10-08.",
    "penanggung_jawab": "Nama kepala OPD atau pejabat yang bertanggung jawab.",
    "nip": "18 angka tanpa spasi.",
}
LOCKED_IDENTITY = ("kode_pemda", "tahun", "triwulan", "kode_skpd")  # the key of the submission

PETUNJUK = (
    "Petunjuk Pengisian Laporan Realisasi Anggaran Penghapusan Kemiskinan Ekstrem (KE)",
    "",
    "1. Satu berkas untuk satu OPD dan satu triwulan. Jangan mengganti nama sheet Identitas dan Realisasi.",
    "2. Sheet Identitas: kode pemda, tahun, triwulan dan kode SKPD sudah diisi; lengkapi isian lain di "
    "kolom B.",
    "3. Sheet Realisasi: isi satu baris untuk setiap sub kegiatan x sumber dana, mulai baris 2. Jangan "
    "menambah baris judul atau baris kosong di atas judul kolom; baris JUMLAH tidak perlu.",
    "4. Kode Sub Kegiatan ditulis 6 segmen U.BB.PP.K.KK.SSSS, misalnya 1.06.04.2.01.0001.",
    "5. Strategi dan Sumber Dana dipilih dari daftar pilihan di selnya.",
    "6. Pagu dan realisasi ditulis sebagai angka Rupiah tanpa 'Rp' dan tanpa titik ribuan (Excel "
    "menampilkannya sendiri), paling banyak 2 angka di belakang koma; tidak boleh negatif.",
    "7. Pagu adalah pagu saat laporan dibuat (pagu perubahan bila sudah APBD-P). Realisasi s.d. Triwulan "
    "Ini tidak boleh melebihi pagu, dan tidak boleh lebih kecil dari Realisasi Triwulan Ini.",
    "8. Realisasi s.d. Triwulan Ini = realisasi s.d. triwulan lalu + Realisasi Triwulan Ini.",
    "9. Target Volume dan Realisasi Volume berupa angka; satuannya di kolom Satuan. Sasaran KK bilangan "
    "bulat.",
    "10. Lokasi: kode kecamatan (36.02.01) atau desa (36.02.01.2001) di wilayah pemda, dipisah titik koma; "
    "atau SEMUA.",
    "11. Jangan memakai rumus yang belum dihitung; simpan berkas sebagai Excel Workbook (.xlsx) tanpa kata "
    "sandi, lalu kirim.",
    "",
    "Strategi (Inpres 4/2022):",
    *[f"  {kode} - {nama}" for kode, nama in STRATEGI.items()],
    "",
    "Sumber Dana:",
    *[f"  {kode} - {nama}" for kode, nama in SUMBER_DANA.items()],
)


def template_file_name(kode_pemda: str, tahun: int, triwulan: int, kode_skpd: str) -> str:
    """`<pemda>_<tahun>_TW<q>_<skpd>.xlsx`: the quarter in the name agrees with the sheet (rule I09)."""
    return f"{kode_pemda}_{tahun}_TW{triwulan}_{kode_skpd}.xlsx"


def write_template(
    path: Path,
    kode_pemda: str,
    tahun: int,
    triwulan: int,
    kode_skpd: str,
    nama_skpd: str | None = None,
    nama_pemda: str | None = None,
) -> Path:
    """Write the blank template for one OPD and quarter at `path` (atomically) and return `path`."""
    if not 1 <= triwulan <= 4:
        raise ValueError("triwulan harus 1-4")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        _write(tmp, kode_pemda, tahun, triwulan, kode_skpd, nama_skpd, nama_pemda)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _write(
    path: Path,
    kode_pemda: str,
    tahun: int,
    triwulan: int,
    kode_skpd: str,
    nama_skpd: str | None,
    nama_pemda: str | None,
) -> None:
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({"title": "Template Laporan Realisasi KE", "author": "rekap-ke",
                       "created": dt.datetime(tahun, 1, 1)})  # fmt: skip
    head = wb.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DCE3ED",
                          "border": 1, "locked": True})  # fmt: skip
    label = wb.add_format({"bold": True, "locked": True})
    note = wb.add_format({"italic": True, "font_color": "#52606D", "locked": True})
    locked_text = wb.add_format({"num_format": "@", "locked": True, "bg_color": "#F3F6F9"})
    open_text = wb.add_format({"num_format": "@", "locked": False})
    open_date = wb.add_format({"num_format": "yyyy-mm-dd", "locked": False})
    formats = {
        "text": open_text,
        "rupiah": wb.add_format({"num_format": "#,##0", "locked": False}),
        "angka": wb.add_format({"num_format": "General", "locked": False}),
        "bulat": wb.add_format({"num_format": "#,##0", "locked": False}),
    }

    petunjuk = wb.add_worksheet("Petunjuk")
    petunjuk.set_column(0, 0, 120)
    for r, line in enumerate(PETUNJUK):
        petunjuk.write_string(r, 0, line, label if r == 0 else None)

    identitas = wb.add_worksheet("Identitas")
    identitas.set_column(0, 0, 20)
    identitas.set_column(1, 1, 40)
    identitas.set_column(2, 2, 60)
    values: dict[str, object] = {"kode_pemda": kode_pemda, "nama_pemda": nama_pemda, "tahun": tahun,
                                 "triwulan": triwulan, "kode_skpd": kode_skpd, "nama_skpd": nama_skpd,
                                 "revisi": 0}  # fmt: skip
    for r, spec in enumerate(IDENTITY):
        identitas.write_string(r, 0, spec.label, label)
        value = values.get(spec.name)
        fmt = locked_text if spec.name in LOCKED_IDENTITY else open_text
        if spec.name == "tanggal_laporan":
            fmt = open_date
        if isinstance(value, int):
            identitas.write_number(r, 1, value, fmt)
        elif value:
            identitas.write_string(r, 1, str(value), fmt)
        else:
            identitas.write_blank(r, 1, None, fmt)
        identitas.write_string(r, 2, CATATAN_IDENTITAS[spec.name], note)
    identitas.protect("", {"select_locked_cells": True, "select_unlocked_cells": True})

    data = wb.add_worksheet("Realisasi")
    for c, spec in enumerate(COLUMNS):
        data.write_string(0, c, spec.label, head)
        kind = ("rupiah" if spec.name in AMOUNTS else "bulat" if spec.name == "sasaran_kk"
                else "text" if spec.name in TEXT_COLUMNS else "angka")  # fmt: skip
        data.set_column(c, c, WIDTHS.get(spec.name, 18), formats[kind])
    data.set_row(0, 45)
    data.freeze_panes(1, 0)
    col = {spec.name: c for c, spec in enumerate(COLUMNS)}
    last = DATA_ROWS
    data.data_validation(1, col["strategi"], last, col["strategi"], {
        "validate": "list", "source": list(STRATEGI.values()),
        "input_title": "Strategi", "input_message": "Pilih strategi Inpres 4/2022 dari daftar.",
        "error_title": "Strategi tidak dikenal", "error_message": "Pilih salah satu strategi dari daftar.",
    })  # fmt: skip
    data.data_validation(1, col["sumber_dana"], last, col["sumber_dana"], {
        "validate": "list", "source": list(SUMBER_DANA),
        "input_title": "Sumber Dana", "input_message": "Pilih kode sumber dana dari daftar.",
        "error_title": "Sumber dana tidak dikenal", "error_message": "Pilih salah satu kode dari daftar.",
    })  # fmt: skip
    for name in AMOUNTS:
        data.data_validation(1, col[name], last, col[name], {
            "validate": "decimal", "criteria": ">=", "value": 0,
            "error_title": "Nilai tidak sah", "error_message": "Tulis angka Rupiah 0 atau lebih.",
        })  # fmt: skip
    data.data_validation(1, col["sasaran_kk"], last, col["sasaran_kk"], {
        "validate": "integer", "criteria": ">=", "value": 0,
        "error_title": "Nilai tidak sah", "error_message": "Tulis bilangan bulat 0 atau lebih.",
    })  # fmt: skip
    data.protect("", {"format_columns": True, "format_rows": True, "insert_rows": True, "delete_rows": True,
                      "sort": True, "autofilter": True, "select_locked_cells": True,
                      "select_unlocked_cells": True})  # fmt: skip
    wb.worksheets()[1].activate()  # open on Identitas
    wb.close()


def default_template_path(kode_pemda: str, tahun: int, triwulan: int, kode_skpd: str) -> Path:
    """Where `rekap template` writes when no --out is given: the current folder."""
    name = template_file_name(kode_pemda, tahun, triwulan, kode_skpd)
    return Path(re.sub(r"[^\w.\-]", "_", name))
