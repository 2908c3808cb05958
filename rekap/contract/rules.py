"""The catalogue of validation rules: one stable id per rule, its severity, and its words for the OPD.

Row rules are enforced by the Great Expectations suites in `expectations/` (their `meta.aturan` names
the id here); rules across rows, files and quarters by the SQL in `sql/checks/`; file rules by the
reader. `docs/aturan.md` lists the same table, and a test keeps the two in agreement.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from rekap.contract.calendar import TAHUN_PERTAMA, TAHUN_TERAKHIR
from rekap.contract.codes import STRATEGI, SUMBER_DANA

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Rule:
    """One validation rule."""

    id: str
    tingkat: Severity
    pesan: str  # what is wrong, in Bahasa Indonesia
    cara_memperbaiki: str  # how to fix it, in Bahasa Indonesia
    where: Literal["berkas", "identitas", "baris", "lintas"]  # which layer enforces it


def _rules(*rules: Rule) -> dict[str, Rule]:
    return {r.id: r for r in rules}


RULES: dict[str, Rule] = _rules(
    # --- the file as a whole (reader) ---
    Rule("F01", "error", "Jenis berkas tidak didukung", "Kirim berkas .xlsx (template) atau .csv UTF-8; "
         "buka berkas .xls/.ods di Excel lalu Simpan Sebagai 'Excel Workbook (.xlsx)'.", "berkas"),
    Rule("F02", "error", "Berkas rusak atau bukan Excel yang sah", "Buka berkas di Excel, pastikan isinya "
         "tampil, lalu simpan ulang sebagai .xlsx dan kirim kembali.", "berkas"),
    Rule("F03", "error", "Berkas dilindungi kata sandi", "Hapus kata sandi (File > Info > Protect Workbook) "
         "lalu kirim ulang.", "berkas"),
    Rule("F04", "error", "Berkas melebihi batas ukuran yang aman", "Hapus sheet, gambar, dan baris kosong "
         "yang tidak perlu; satu berkas cukup berisi sheet Identitas dan Realisasi.", "berkas"),
    Rule("F05", "error", "Berkas kosong", "Isi template lalu kirim ulang.", "berkas"),
    Rule("F06", "error", "Sheet Identitas tidak ditemukan", "Gunakan template resmi: sheet 'Identitas' "
         "berisi label di kolom A dan isian di kolom B.", "berkas"),
    Rule("F07", "error", "Sheet data realisasi atau baris judul kolomnya tidak ditemukan", "Gunakan "
         "template resmi: sheet 'Realisasi' dengan satu baris judul kolom (Kode Sub Kegiatan, Pagu, ...).",
         "berkas"),
    Rule("F08", "error", "Kolom wajib tidak ada", "Tambahkan kolom tersebut dengan judul seperti di "
         "template; untuk realisasi cukup salah satu: Triwulan Ini atau s.d. Triwulan Ini.", "berkas"),
    Rule("F09", "error", "Tidak ada baris data", "Isi minimal satu baris sub kegiatan.", "berkas"),
    Rule("F10", "error", "Berkas CSV bukan UTF-8", "Simpan ulang sebagai 'CSV UTF-8 (Comma delimited)'.",
         "berkas"),
    Rule("F11", "error", "Rumus tanpa nilai tersimpan", "Buka berkas di Excel, biarkan rumus dihitung, "
         "simpan, lalu kirim ulang (atau ganti rumus dengan nilainya).", "berkas"),
    Rule("F12", "error", "Isi sel terlalu panjang", "Persingkat isi sel tersebut.", "berkas"),
    Rule("F13", "error", "Lebih dari satu sheet berisi tabel realisasi", "Sisakan satu sheet 'Realisasi'; "
         "hapus atau ganti nama sheet lain.", "berkas"),
    Rule("F14", "error", "Berkas tidak selesai dibaca dalam batas waktu atau memori", "Periksa berkas di "
         "Excel: hapus sheet, baris dan kolom kosong yang diformat, simpan ulang sebagai .xlsx, lalu kirim "
         "kembali. Bila berkas memang besar, minta Bappeda menaikkan batasnya.", "berkas"),
    # --- identity (GX suite identitas.json) ---
    Rule("I01", "error", "Isian identitas wajib kosong", "Isi kolom B di sheet Identitas untuk label "
         "tersebut.", "identitas"),
    Rule("I02", "error", "Kode Pemda tidak sah", "Tulis kode wilayah Kemendagri: NN untuk provinsi atau "
         "NN.NN untuk kabupaten/kota, misalnya 36.02.", "identitas"),
    Rule("I03", "error", "Tahun Anggaran tidak sah",
         f"Tulis tahun empat angka antara {TAHUN_PERTAMA} dan {TAHUN_TERAKHIR}.", "identitas"),
    Rule("I04", "error", "Triwulan tidak sah", "Tulis 1, 2, 3, atau 4 (boleh I-IV).", "identitas"),
    Rule("I05", "error", "Kode SKPD tidak sah", "Tulis kode unit SIPD 8 segmen, misalnya "
         "1.06.0.00.0.00.01.0000.", "identitas"),
    Rule("I06", "error", "Revisi tidak sah", "Tulis bilangan bulat 0, 1, 2, ... atau kosongkan.",
         "identitas"),
    Rule("I07", "error", "Tanggal Laporan tidak sah", "Tulis tanggal pada atau setelah awal triwulan, "
         "misalnya 2024-10-08 atau 8 Oktober 2024.", "identitas"),
    Rule("I08", "warning", "NIP tidak 18 angka", "Tulis NIP 18 angka tanpa spasi.", "identitas"),
    Rule("I09", "error", "Triwulan di sheet berbeda dengan triwulan pada nama berkas", "Samakan isian "
         "Triwulan dengan nama berkas, atau ganti nama berkas.", "identitas"),
    Rule("I10", "error", "Kode Pemda berbeda dengan pemda yang direkap", "Periksa Kode Pemda; berkas ini "
         "mungkin dikirim ke pemda yang salah.", "identitas"),
    Rule("I11", "warning", "OPD tidak terdaftar", "Periksa Kode SKPD; bila benar, minta Bappeda "
         "menambahkan OPD ke daftar OPD.", "identitas"),
    Rule("I12", "error", "Isian identitas berbeda antarbaris CSV", "Satu berkas hanya untuk satu OPD dan "
         "satu triwulan: samakan kolom identitas di setiap baris, atau pisahkan menjadi beberapa berkas.",
         "identitas"),
    # --- rows (GX suite realisasi.json; R15 from the reader) ---
    # R15 comes first: a cell has at most one error, the first in this order, and a merged money cell
    # explains the others there (an amount copied from another column is also "not a number").
    Rule("R15", "error", "Sel angka Rupiah digabung (merge)", "Pisahkan sel gabungan (Unmerge) di kolom Pagu "
         "dan Realisasi, lalu tulis nilai Rupiah masing-masing baris di barisnya sendiri.", "baris"),
    Rule("R01", "error", "Sel wajib kosong", "Isi sel tersebut.", "baris"),
    Rule("R02", "error", "Kode Sub Kegiatan tidak sah", "Tulis kode 6 segmen U.BB.PP.K.KK.SSSS, misalnya "
         "1.06.04.2.01.0001.", "baris"),
    Rule("R03", "error", "Strategi tidak dikenal", f"Pilih salah satu: {', '.join(STRATEGI.values())} "
         f"(atau {', '.join(str(n) for n in range(1, len(STRATEGI) + 1))}).", "baris"),
    Rule("R04", "error", "Sumber dana tidak dikenal", f"Pilih salah satu: {', '.join(SUMBER_DANA)}.",
         "baris"),
    Rule("R05", "error", "Nilai bukan angka", "Tulis angka saja, misalnya 1250000 atau 1.250.000,00.",
         "baris"),
    Rule("R06", "error", "Nilai negatif", "Nilai tidak boleh negatif; periksa tanda kurung atau minus.",
         "baris"),
    Rule("R07", "error", "Lebih dari 2 angka desimal", "Bulatkan ke sen (2 angka di belakang koma).",
         "baris"),
    Rule("R08", "error", "Realisasi s.d. triwulan melebihi pagu", "SP2D tidak boleh melebihi DPA: periksa "
         "realisasi kumulatif dan pagu (pakai pagu perubahan bila sudah APBD-P).", "baris"),
    Rule("R09", "error", "Realisasi triwulan melebihi pagu", "Periksa realisasi triwulan dan pagu.",
         "baris"),
    Rule("R10", "error", "Realisasi s.d. triwulan lebih kecil dari realisasi triwulan ini",
         "Realisasi kumulatif mencakup triwulan ini: periksa kedua kolom realisasi.", "baris"),
    Rule("R11", "error", "Kode sub kegiatan dan sumber dana tercatat lebih dari sekali",
         "Gabungkan baris kembar menjadi satu baris per sub kegiatan dan sumber dana.", "baris"),
    Rule("R12", "error", "Kode lokasi tidak sah atau di luar wilayah pemda", "Tulis kode kecamatan "
         "(36.02.01) atau desa (36.02.01.2001) di wilayah pemda, dipisah titik koma, atau SEMUA; OPD "
         "provinsi boleh juga menulis kode kabupaten/kota (36.02).", "lintas"),
    Rule("R13", "error", "Volume atau jumlah KK tidak sah", "Tulis angka 0 atau lebih; Sasaran KK bilangan "
         "bulat.", "baris"),
    Rule("R14", "error", "Angka terlalu besar", "Periksa angka tersebut (salah ketik, atau sel berisi angka "
         "lain): nilai Rupiah harus di bawah 1.000.000.000.000.000, volume di bawah 100.000.000.000.000, dan "
         "Sasaran KK di bawah 1.000.000.000.", "baris"),
    # --- a household-count file of `rekap sasaran` (rekap/sasaran.py, suite sasaran.json) ---
    Rule("R20", "error", "Berkas sasaran memuat data pribadi (NIK, nomor KK, nama orang, alamat atau "
         "tanggal lahir); berkas tidak disimpan", "Kirim hanya kode desa dan jumlah KK miskin ekstrem per "
         "desa: hapus kolom dan sel data pribadi, lalu muat ulang.", "berkas"),
    Rule("R21", "error", "Kolom Kode Desa atau Jumlah KK tidak ditemukan", "Beri judul kolom 'Kode Desa' "
         "(kode Kemendagri, misalnya 36.02.01.2001) dan 'Jumlah KK Miskin Ekstrem'.", "berkas"),
    Rule("R22", "error", "Kode desa tidak sah atau tidak ada dalam daftar wilayah Kemendagri", "Tulis kode "
         "desa/kelurahan Kemendagri 4 segmen seperti pada daftar wilayah, misalnya 36.02.01.2001.", "baris"),
    Rule("R23", "error", "Jumlah KK bukan bilangan bulat 0 atau lebih", "Tulis jumlah KK sebagai bilangan "
         "bulat, misalnya 125.", "baris"),
    Rule("R24", "error", "Desa tercatat lebih dari sekali", "Satu baris untuk setiap desa: gabungkan baris "
         "desa yang sama.", "baris"),
    # --- across quarters (SQL in sql/checks) ---
    Rule("X01", "error", "Realisasi kumulatif turun dibanding triwulan lalu", "Realisasi s.d. triwulan "
         "tidak boleh berkurang; periksa angka triwulan ini dan laporan triwulan lalu.", "lintas"),
    Rule("X02", "error", "Realisasi tidak cocok dengan laporan triwulan lalu", "Kumulatif triwulan ini "
         "harus = kumulatif triwulan lalu + realisasi triwulan ini.", "lintas"),
    # --- repairs the reader made on its own (warnings) ---
    Rule("W01", "warning", "Judul kolom tidak persis seperti template", "Gunakan judul kolom template.",
         "berkas"),
    Rule("W02", "warning", "Kode ditulis dengan spasi atau titik berlebih", "Tulis kode tanpa spasi dan "
         "tanpa titik di akhir.", "baris"),
    Rule("W03", "warning", "Kode sub kegiatan format lama", "Gunakan kode format baru U.BB.PP.K.KK.SSSS "
         "(sufiks 4 angka).", "baris"),
    Rule("W04", "warning", "Sheet data tidak bernama 'Realisasi'", "Ganti nama sheet menjadi 'Realisasi'.",
         "berkas"),
    Rule("W05", "warning", "Volume ditulis bersama teks", "Tulis angka saja; satuan di kolom Satuan.",
         "baris"),
    Rule("W06", "warning", "Sel data digabung (merge); nilainya dipakai untuk setiap baris gabungan",
         "Jangan menggabungkan sel di tabel data: tulis nilainya di setiap baris.", "berkas"),
    Rule("W07", "warning", "Isian identitas berisi baris baru atau karakter tersembunyi; sudah dirapikan",
         "Tulis isian identitas dalam satu baris, tanpa Alt+Enter; ketik ulang bila teksnya disalin dari "
         "aplikasi lain.", "identitas"),
    Rule("W08", "warning", "Sel berisi karakter tersembunyi (karakter kendali); sudah dihapus",
         "Ketik ulang isi sel tersebut; karakter tersembunyi biasanya terbawa saat menyalin dari aplikasi "
         "lain.", "baris"),
    # --- against the Kemendagri region reference (SQL in sql/checks; rekap/wilayah.py) ---
    Rule("W10", "warning", "Kode lokasi tidak ada dalam daftar wilayah Kemendagri", "Periksa kode "
         "kecamatan/desa pada daftar kode wilayah Kemendagri; bila kode itu benar dan baru, beri tahu "
         "Bappeda agar daftar wilayah diperbarui.", "baris"),
    Rule("W11", "warning", "Nama Pemda berbeda dengan daftar wilayah Kemendagri", "Tulis Nama Pemda "
         "seperti pada daftar wilayah Kemendagri untuk Kode Pemda itu, misalnya Kabupaten Lebak atau "
         "Provinsi Banten.", "identitas"),
)  # fmt: skip

# Rules whose verdict depends on the run's own settings rather than on the file alone: the pemda asked for
# (I10) and the limits an operator can raise (F04 size, F14 time and memory). A file rejected by these
# alone is read again by the next run, which may have other settings.
SETTINGS_RULES: frozenset[str] = frozenset({"I10", "F04", "F14"})
