"""Seeded generator of the bundled sample: Kabupaten Lebak, tahun anggaran 2024, triwulan I-III.

The sample is what the pipeline's tests and demos run on: 18 OPDs that carry extreme-poverty (KE)
budget, each sending one file per quarter, written the way real OPD files arrive (see
`spec/submission-format.md`, section 6): title rows, merged headers, synonyms, amounts typed as text,
a formula, a CSV or three. `build_sample` returns the truth (canonical values, expected verdicts);
`write_sample` renders it into files. Run `python -m rekap.sample [OUT_DIR]` to regenerate
`sample/lebak-2024/`; the tests check that the committed folder equals a fresh write.

Every file is valid (a correct tolerant reader accepts it) except the one deliberately defective
TW III file. The quarter's events: a TW II revision, a late TW II file in the `tw3/` batch, an OPD that
never sends TW III, and the same TW I bytes sent twice under two names.
"""

from __future__ import annotations

import csv
import io
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import ROUND_DOWN, Decimal
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

KODE_PEMDA = "36.02"
NAMA_PEMDA = "Kabupaten Lebak"
TAHUN = 2024
TRIWULAN_SAMPLE = (1, 2, 3)
ROMAWI = {1: "I", 2: "II", 3: "III", 4: "IV"}

# Every workbook carries this creation time, so that a rewrite is byte-identical (xlsxwriter already
# stamps the zip members with a fixed 1980 date; the document properties are the only clock it reads).
_FIXED_CREATED = datetime(2024, 1, 2, 8, 0, 0)


# --------------------------------------------------------------------------------------------
# The public API: the truth of the sample
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SampleRow:
    """The truth of one row (sub kegiatan x sumber dana) of one file, in canonical values."""

    kode_sub_kegiatan: str  # canonical 'U.BB.PP.K.KK.SSSS'
    nama_sub_kegiatan: str
    strategi: str  # 'PBP' | 'PPD' | 'PKK'
    sumber_dana: str  # canonical code, e.g. 'DAU'
    pagu: Decimal
    pagu_murni: Decimal | None  # None when the file has no Pagu Murni column
    realisasi_triwulan: Decimal  # spent in this quarter alone (true value even if the file omits it)
    realisasi_kumulatif: Decimal  # 1 Jan .. end of quarter (true value even if the file omits it)
    indikator: str
    satuan: str
    target_volume: Decimal
    realisasi_volume: Decimal  # achieved volume from 1 January to the end of the quarter
    sasaran_kk: int  # households reached from 1 January to the end of the quarter
    lokasi: str  # ';'-separated Kemendagri codes, or 'SEMUA'


@dataclass(frozen=True)
class Layout:
    """How one file is written: the clean template, or the template with some real-world mess.

    The defaults are the template. Each field switches on one kind of mess of spec section 6.
    """

    fmt: str = "xlsx"  # 'xlsx' | 'csv'
    sheet_name: str = "Realisasi"
    columns: tuple[str, ...] = ()  # column keys in order; () = the template's columns
    labels: tuple[tuple[str, str], ...] = ()  # header label overrides (synonyms, case, line breaks)
    title: bool = False  # title rows (merged across the table) above the header
    blank_rows: bool = False  # a blank row above the header and one inside the data
    column_numbers: bool = False  # a row 1, 2, 3, ... under the header
    merged_header: bool = False  # two header rows, "Realisasi (Rp)" merged over the two realisasi columns
    total_label: str = ""  # 'JUMLAH' or 'TOTAL' row under the data
    signature: bool = False  # "Lebak, <tanggal>", jabatan, name, NIP under the table
    amounts: tuple[str, ...] = ("number",)  # amount styles, cycled by row, see _amount_text
    numbers_as_text: bool = False  # volumes, sasaran KK and No stored as text
    messy_codes: bool = False  # kode sub kegiatan with stray spaces or a trailing dot
    formulas: bool = False  # formula cells with cached values (kumulatif, changed pagu, total row)
    hidden_column: str = ""  # key of a column hidden in the sheet
    strategi_style: str = "code"  # 'code' (PBP) | 'name' (Pengurangan Beban Pengeluaran) | 'number' (1)
    sumber_style: str = "code"  # 'code' (DAU) | 'sipd' (Dana Transfer Umum-Dana Alokasi Umum)
    volume_with_unit: bool = False  # one target volume typed as '150 Orang/bulan' (a reader warning)
    triwulan_label: str = ""  # Triwulan as written in Identitas; '' = the bare number
    tanggal_style: str = "iso"  # 'iso' | 'slash' | 'words' | 'date' (a real date cell)
    identitas_upper: bool = False  # Identitas labels in capitals
    kode_skpd_written: str = ""  # Kode SKPD as written when it differs from the canonical one
    csv_delimiter: str = ","
    csv_bom: bool = False
    csv_snake_headers: bool = False  # data headers like 'realisasi_kumulatif' instead of the labels
    same_bytes_as: str = ""  # relpath of the file whose bytes this one repeats


@dataclass(frozen=True)
class SampleFile:
    """One submitted file: what it says (rows), where it sits, and what the pipeline must decide."""

    relpath: str  # path under the sample folder, e.g. 'tw2/...xlsx'
    kode_skpd: str
    nama_skpd: str
    triwulan: int
    revisi: int | None  # None when the file does not state it
    rows: tuple[SampleRow, ...]
    expected_status: str  # 'diterima' | 'ditolak' | 'digantikan' | 'duplikat' (same bytes as another file)
    defect: str  # '' or a one-line description of the deliberate error
    # Beyond the truth: what the writer needs to render the file as the OPD sent it.
    tanggal_laporan: date | None = None
    layout: Layout = field(default_factory=Layout)


@dataclass(frozen=True)
class Sample:
    """The whole bundled sample: the pemda, its expected OPDs and every file received."""

    kode_pemda: str
    nama_pemda: str
    tahun: int
    opd: tuple[tuple[str, str], ...]  # (kode_skpd, nama_skpd) of the expected OPDs
    files: tuple[SampleFile, ...]


# --------------------------------------------------------------------------------------------
# Reference data: OPDs, their KE sub kegiatan, sumber dana as SIPD writes them
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _SubKegiatan:
    kode: str
    nama: str
    strategi: str
    indikator: str
    satuan: str
    volume: tuple[int, int]  # range of the target volume
    sumber: tuple[str, ...]  # one row per sumber dana


@dataclass(frozen=True)
class _Opd:
    key: str
    kode: str
    nama: str
    singkatan: str
    pagu_total: int  # APBD murni, rupiah
    kepala: str
    nip: str
    sub_kegiatan: tuple[_SubKegiatan, ...]


_SK = _SubKegiatan

# Codes follow Permendagri 90/2019 (urusan.bidang of the unit, then program/kegiatan/sub kegiatan of
# the same bidang, kegiatan type 2 = kabupaten/kota). Names and numbers are plausible, not copied from
# the Kepmendagri list. Heads of agency and NIPs are fictitious.
# fmt: off
OPD_LEBAK: tuple[_Opd, ...] = (
    _Opd("dindikbud", "1.01.0.00.0.00.01.0000", "Dinas Pendidikan dan Kebudayaan", "Dindikbud",
         71_325_480_000, "Drs. H. Asep Saepulloh, M.Pd", "196807121994031007", (
        _SK("1.01.02.2.01.0009", "Rehabilitasi Sedang/Berat Ruang Kelas Sekolah Dasar", "PKK",
            "Jumlah ruang kelas SD di kantong kemiskinan yang direhabilitasi", "Unit", (20, 60),
            ("DAK_FISIK", "DAU")),
        _SK("1.01.02.2.01.0054", "Penyediaan Biaya Personil Peserta Didik Sekolah Dasar", "PBP",
            "Jumlah peserta didik SD dari keluarga miskin ekstrem penerima bantuan biaya personil",
            "Orang", (2500, 6000), ("DAU",)),
        _SK("1.01.02.2.02.0002", "Pembangunan Ruang Kelas Baru Sekolah Menengah Pertama", "PKK",
            "Jumlah ruang kelas baru SMP yang dibangun", "Unit", (8, 24), ("DAK_FISIK",)),
        _SK("1.01.02.2.02.0032", "Penyediaan Biaya Personil Peserta Didik Sekolah Menengah Pertama", "PBP",
            "Jumlah peserta didik SMP dari keluarga miskin ekstrem penerima bantuan biaya personil",
            "Orang", (1500, 4000), ("DAU", "DID")),
        _SK("1.01.02.2.03.0011", "Rehabilitasi Sedang/Berat Sarana, Prasarana dan Utilitas PAUD", "PKK",
            "Jumlah satuan PAUD yang direhabilitasi", "Unit", (6, 20), ("DAU",)),
        _SK("1.01.02.2.04.0007", "Penyediaan Biaya Personil Peserta Didik Nonformal/Kesetaraan", "PBP",
            "Jumlah warga belajar Paket A/B/C dari keluarga miskin", "Orang", (400, 1200),
            ("DAK_NONFISIK", "PAD")),
        _SK("1.01.02.2.01.0016", "Pengadaan Perlengkapan Peserta Didik dari Keluarga Miskin", "PBP",
            "Jumlah paket seragam dan perlengkapan sekolah yang disalurkan", "Paket", (1000, 3000),
            ("PAD",)),
    )),
    _Opd("dinkes", "1.02.0.00.0.00.01.0000", "Dinas Kesehatan", "Dinkes",
         96_208_935_000, "dr. Rina Marlina, M.K.M", "197403152003122004", (
        _SK("1.02.02.2.02.0020", "Pengelolaan Jaminan Kesehatan Masyarakat", "PBP",
            "Jumlah penduduk miskin yang iuran JKN-nya dibayar Pemda (PBI APBD)", "Jiwa", (30000, 60000),
            ("DAU", "DBH")),
        _SK("1.02.02.2.02.0001", "Pengelolaan Pelayanan Kesehatan Ibu Hamil", "PKK",
            "Jumlah ibu hamil dari keluarga miskin yang mendapat pelayanan sesuai standar", "Orang",
            (1500, 4000), ("DAK_NONFISIK", "DAU")),
        _SK("1.02.02.2.02.0004", "Pengelolaan Pelayanan Kesehatan Balita", "PKK",
            "Jumlah balita dari keluarga miskin yang mendapat pelayanan sesuai standar", "Orang",
            (3000, 8000), ("DAK_NONFISIK",)),
        _SK("1.02.02.2.02.0027", "Pengelolaan Pelayanan Kesehatan Gizi Masyarakat", "PBP",
            "Jumlah balita gizi kurang dari keluarga miskin yang menerima PMT", "Orang", (800, 2500),
            ("DAU",)),
        _SK("1.02.02.2.02.0031", "Pengelolaan Pelayanan Kesehatan Lingkungan", "PKK",
            "Jumlah desa yang melaksanakan STBM", "Desa", (40, 120), ("DAU", "DID")),
        _SK("1.02.02.2.02.0014", "Pengelolaan Pelayanan Kesehatan Orang Terduga Tuberkulosis", "PKK",
            "Jumlah orang terduga TBC dari keluarga miskin yang mendapat pelayanan", "Orang", (600, 1800),
            ("DBH",)),
        _SK("1.02.02.2.01.0009", "Rehabilitasi dan Pemeliharaan Puskesmas", "PKK",
            "Jumlah puskesmas di kecamatan kantong kemiskinan yang direhabilitasi", "Unit", (3, 9),
            ("DAK_FISIK", "DAU")),
        _SK("1.02.02.2.01.0014",
            "Pengadaan Alat Kesehatan/Alat Penunjang Medik Fasilitas Pelayanan Kesehatan", "PKK",
            "Jumlah paket alat kesehatan yang disediakan", "Paket", (10, 40), ("DAK_FISIK",)),
    )),
    _Opd("pupr", "1.03.0.00.0.00.01.0000", "Dinas Pekerjaan Umum dan Penataan Ruang", "PUPR",
         141_486_250_000, "Ir. Deden Supriatna, M.T.", "197009231998031005", (
        _SK("1.03.10.2.01.0017", "Rehabilitasi Jalan", "PKK",
            "Panjang jalan kabupaten di wilayah kantong kemiskinan yang direhabilitasi", "Km", (8, 25),
            ("DAU", "DAK_FISIK")),
        _SK("1.03.10.2.01.0012", "Rekonstruksi Jalan", "PKK",
            "Panjang jalan kabupaten yang direkonstruksi", "Km", (5, 18), ("DAU", "DID", "BANKEU")),
        _SK("1.03.10.2.01.0038", "Pembangunan Jembatan Gantung", "PKK",
            "Jumlah jembatan gantung penghubung desa terisolir yang dibangun", "Unit", (3, 10),
            ("DAK_FISIK", "DAU")),
        _SK("1.03.03.2.01.0003", "Pembangunan SPAM Jaringan Perpipaan di Kawasan Perdesaan", "PKK",
            "Jumlah sambungan rumah SPAM perdesaan yang terbangun", "Unit", (800, 2500),
            ("DAK_FISIK", "DAU")),
        _SK("1.03.05.2.01.0011", "Pembangunan Sistem Pengelolaan Air Limbah Domestik Setempat (SPALD-S)",
            "PKK", "Jumlah tangki septik individual yang dibangun", "Unit", (300, 900), ("DAK_FISIK",)),
        _SK("1.03.02.2.02.0023", "Rehabilitasi Jaringan Irigasi Permukaan", "PPD",
            "Luas daerah irigasi yang direhabilitasi", "Hektare", (150, 600), ("DAU",)),
    )),
    _Opd("perkim", "1.04.0.00.0.00.01.0000", "Dinas Perumahan Rakyat dan Kawasan Permukiman", "Perkim",
         88_412_700_000, "Iwan Kurniawan, S.T., M.Si", "197511072001121002", (
        _SK("1.04.02.2.01.0015", "Rehabilitasi Rumah Tidak Layak Huni bagi Keluarga Miskin", "PKK",
            "Jumlah RTLH keluarga miskin ekstrem yang direhabilitasi", "Rumah", (600, 1800),
            ("DAU", "DID", "BANKEU")),
        _SK("1.04.02.2.01.0014", "Pembangunan Rumah Tidak Layak Huni", "PKK",
            "Jumlah rumah layak huni yang dibangun kembali", "Rumah", (150, 450), ("DAU", "DAK_FISIK")),
        _SK("1.04.03.2.02.0008",
            "Peningkatan Kualitas Kawasan Permukiman Kumuh dengan Luas di Bawah 10 (sepuluh) Ha", "PKK",
            "Luas kawasan permukiman kumuh yang ditangani", "Hektare", (10, 40), ("DAU", "DAK_FISIK")),
        _SK("1.04.04.2.01.0003",
            "Penyediaan Prasarana, Sarana dan Utilitas Umum di Perumahan untuk Menunjang Fungsi Hunian",
            "PKK", "Jumlah unit PSU perumahan yang dibangun", "Unit", (10, 35), ("PAD",)),
        _SK("1.04.02.2.02.0004",
            "Penyediaan dan Rehabilitasi Rumah Korban Bencana atau Relokasi Program Kabupaten/Kota", "PBP",
            "Jumlah rumah korban bencana yang direhabilitasi", "Rumah", (40, 120), ("DAU",)),
    )),
    _Opd("dinsos", "1.06.0.00.0.00.01.0000", "Dinas Sosial", "Dinsos",
         38_617_220_000, "Drs. Eman Suherman, M.Si", "196905141995031003", (
        _SK("1.06.04.2.01.0001", "Penyediaan Permakanan", "PBP",
            "Jumlah lanjut usia terlantar yang mendapat permakanan", "Orang", (120, 400), ("DAU", "PAD")),
        _SK("1.06.05.2.02.0001", "Pengelolaan Data Fakir Miskin Cakupan Daerah Kabupaten/Kota", "PBP",
            "Jumlah dokumen hasil verifikasi dan validasi DTKS/P3KE", "Dokumen", (1, 4), ("DAU",)),
        _SK("1.06.05.2.03.0001", "Pemberian Bantuan Sosial kepada Keluarga Miskin", "PBP",
            "Jumlah keluarga miskin ekstrem penerima bantuan sosial", "KK", (2000, 5000),
            ("DAU", "DID", "BANKEU")),
        _SK("1.06.03.2.01.0004", "Pemberdayaan Sosial Komunitas Adat Terpencil (KAT)", "PPD",
            "Jumlah KK komunitas adat terpencil yang diberdayakan", "KK", (100, 300), ("DAU",)),
        _SK("1.06.03.2.03.0002", "Pemberian Bantuan Usaha Ekonomi Produktif (UEP) bagi Keluarga Miskin",
            "PPD", "Jumlah keluarga penerima manfaat bantuan UEP", "KK", (400, 1200), ("DAU", "PAD")),
        _SK("1.06.03.2.03.0001", "Pembinaan Kelompok Usaha Bersama (KUBE)", "PPD",
            "Jumlah KUBE yang dibina", "Kelompok", (20, 80), ("DAU",)),
        _SK("1.06.04.2.02.0003", "Penyediaan Alat Bantu bagi Penyandang Disabilitas Terlantar", "PBP",
            "Jumlah penyandang disabilitas yang menerima alat bantu", "Orang", (80, 250), ("PAD",)),
        _SK("1.06.06.2.01.0001", "Penyediaan Makanan bagi Korban Bencana Alam", "PBP",
            "Jumlah paket makanan yang disalurkan", "Paket", (1500, 5000), ("DAU",)),
        _SK("1.06.05.2.01.0002", "Fasilitasi Jaminan Sosial Ketenagakerjaan bagi Pekerja Rentan", "PBP",
            "Jumlah pekerja rentan yang didaftarkan BPJS Ketenagakerjaan", "Orang", (3000, 9000), ("DBH",)),
    )),
    _Opd("disnakertrans", "2.07.3.32.0.00.01.0000", "Dinas Tenaga Kerja dan Transmigrasi", "Disnakertrans",
         6_395_000_000, "H. Ujang Hidayat, S.Sos., M.Si", "197112201997031004", (
        _SK("2.07.03.2.01.0001",
            "Proses Pelaksanaan Pendidikan dan Pelatihan Keterampilan bagi Pencari Kerja berdasarkan "
            "Klaster Kompetensi", "PPD", "Jumlah pencari kerja dari keluarga miskin yang dilatih", "Orang",
            (200, 600), ("DAU", "DAK_NONFISIK")),
        _SK("2.07.04.2.01.0002", "Pelayanan Antarkerja di Daerah Kabupaten/Kota", "PPD",
            "Jumlah pencari kerja dari keluarga miskin yang ditempatkan", "Orang", (150, 500), ("DAU",)),
        _SK("2.07.04.2.02.0001", "Perluasan Kesempatan Kerja melalui Padat Karya", "PPD",
            "Jumlah tenaga kerja padat karya", "Orang", (300, 900), ("PAD",)),
        _SK("3.32.03.2.01.0002", "Pengembangan Satuan Permukiman pada Tahap Kemandirian", "PKK",
            "Jumlah KK transmigran lokal yang difasilitasi", "KK", (50, 150), ("DAU",)),
    )),
    _Opd("dp3ap2kb", "2.08.2.14.0.00.01.0000",
         "Dinas Pengendalian Penduduk, Keluarga Berencana, Pemberdayaan Perempuan dan Perlindungan Anak",
         "DP3AP2KB", 4_618_900_000, "Hj. Neneng Nurhasanah, S.Sos., M.Si", "197202181998032006", (
        _SK("2.08.02.2.02.0001", "Pemberdayaan Ekonomi Perempuan Kepala Keluarga", "PPD",
            "Jumlah perempuan kepala keluarga miskin yang dilatih usaha", "Orang", (150, 400), ("DAU",)),
        _SK("2.08.04.2.01.0002", "Penyediaan Layanan Perlindungan Perempuan dan Anak dari Keluarga Miskin",
            "PBP", "Jumlah perempuan dan anak yang mendapat layanan perlindungan", "Orang", (100, 300),
            ("PAD",)),
        _SK("2.14.04.2.01.0003", "Pelaksanaan Pendampingan Keluarga Berisiko Stunting", "PKK",
            "Jumlah keluarga berisiko stunting yang didampingi", "KK", (2000, 6000), ("DAK_NONFISIK", "DAU")),
        _SK("2.14.04.2.02.0002",
            "Pembinaan Kelompok Usaha Peningkatan Pendapatan Keluarga Akseptor (UPPKA)", "PPD",
            "Jumlah kelompok UPPKA yang dibina", "Kelompok", (20, 60), ("DAU",)),
    )),
    _Opd("dkp", "2.09.0.00.0.00.01.0000", "Dinas Ketahanan Pangan", "DKP",
         5_893_125_000, "Ir. Dadang Rukmana, M.P", "196910041996031002", (
        _SK("2.09.03.2.01.0002", "Penyediaan dan Penyaluran Pangan Pokok bagi Keluarga Miskin Ekstrem",
            "PBP", "Jumlah paket pangan pokok yang disalurkan", "Paket", (3000, 8000), ("DAU",)),
        _SK("2.09.03.2.02.0001", "Penyediaan Cadangan Pangan Pemerintah Kabupaten/Kota", "PBP",
            "Jumlah cadangan beras pemerintah daerah", "Ton", (40, 120), ("DAU", "DID")),
        _SK("2.09.04.2.01.0003",
            "Pemberdayaan Masyarakat dalam Penganekaragaman Konsumsi Pangan (Pekarangan Pangan Lestari)",
            "PPD", "Jumlah kelompok pekarangan pangan lestari yang dibina", "Kelompok", (15, 45),
            ("DAK_NONFISIK",)),
        _SK("2.09.05.2.01.0001", "Penanganan Kerawanan Pangan Kewenangan Kabupaten/Kota", "PBP",
            "Jumlah desa rawan pangan yang ditangani", "Desa", (10, 30), ("PAD",)),
    )),
    _Opd("dlh", "2.11.0.00.0.00.01.0000", "Dinas Lingkungan Hidup", "DLH",
         3_704_800_000, "Agus Setiawan, S.Hut., M.Si", "197608162002121003", (
        _SK("2.11.11.2.01.0004",
            "Penanganan Sampah dengan Melakukan Pemilahan, Pengumpulan, Pengangkutan, Pengolahan, dan "
            "Pemrosesan Akhir Sampah", "PKK", "Jumlah desa yang terlayani pengangkutan sampah", "Desa",
            (15, 45), ("DAU",)),
        _SK("2.11.11.2.01.0009", "Pembangunan Tempat Pengolahan Sampah Reduce-Reuse-Recycle (TPS3R)", "PKK",
            "Jumlah TPS3R yang dibangun", "Unit", (2, 6), ("DAK_FISIK", "DAU")),
        _SK("2.11.11.2.01.0007", "Pembinaan Bank Sampah sebagai Sumber Pendapatan Masyarakat", "PPD",
            "Jumlah bank sampah yang dibina", "Kelompok", (20, 60), ("PAD",)),
    )),
    _Opd("disdukcapil", "2.12.0.00.0.00.01.0000", "Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil",
         1_786_350_000, "Yayan Sofyan, S.IP., M.Si", "197303251999031005", (
        _SK("2.12.02.2.01.0001", "Pelayanan Pendaftaran Penduduk", "PBP",
            "Jumlah dokumen kependudukan (KK/KTP-el) keluarga miskin ekstrem yang diterbitkan", "Dokumen",
            (4000, 9000), ("DAU", "PAD")),
        _SK("2.12.03.2.01.0001", "Pelayanan Pencatatan Sipil", "PBP",
            "Jumlah akta kelahiran anak dari keluarga miskin yang diterbitkan", "Dokumen", (2000, 6000),
            ("DAU",)),
    )),
    _Opd("dpmd", "2.13.0.00.0.00.01.0000", "Dinas Pemberdayaan Masyarakat dan Desa", "DPMD",
         14_236_500_000, "Drs. Endang Rachmat, M.Si", "196812301993031008", (
        _SK("2.13.04.2.01.0003", "Fasilitasi Pengembangan Badan Usaha Milik Desa (BUM Desa)", "PPD",
            "Jumlah BUM Desa yang difasilitasi", "Unit", (30, 90), ("DAU",)),
        _SK("2.13.05.2.02.0004", "Fasilitasi Penyaluran Bantuan Langsung Tunai Dana Desa", "PBP",
            "Jumlah keluarga penerima BLT Dana Desa", "KK", (1500, 4000), ("DANA_DESA",)),
        _SK("2.13.03.2.01.0001", "Fasilitasi Penataan dan Pembangunan Kawasan Perdesaan", "PKK",
            "Jumlah desa yang difasilitasi", "Desa", (10, 30), ("DAU",)),
        _SK("2.13.04.2.02.0001", "Pemberdayaan Masyarakat melalui Padat Karya Tunai Desa", "PPD",
            "Jumlah warga miskin yang bekerja pada padat karya tunai desa", "Orang", (500, 1500),
            ("BANKEU",)),
        _SK("2.13.05.2.01.0005", "Fasilitasi Bantuan Keuangan Infrastruktur Desa", "PKK",
            "Jumlah desa penerima bantuan keuangan infrastruktur", "Desa", (20, 60), ("BANKEU", "DAU")),
    )),
    _Opd("diskominfo", "2.16.2.20.2.21.01.0000", "Dinas Komunikasi, Informatika, Statistik dan Persandian",
         "Diskominfo", 862_415_000, "Rudi Hartono, S.Kom., M.M", "197905282005011004", (
        _SK("2.16.03.2.01.0004", "Penyediaan Akses Internet di Desa Blank Spot", "PKK",
            "Jumlah desa blank spot yang mendapat akses internet", "Desa", (5, 15), ("DAU",)),
        _SK("2.20.02.2.01.0001", "Penyelenggaraan Statistik Sektoral: Pemutakhiran Data P3KE", "PBP",
            "Jumlah dokumen data P3KE yang dimutakhirkan", "Dokumen", (1, 3), ("PAD",)),
        _SK("2.16.02.2.01.0003", "Diseminasi Informasi Program Penghapusan Kemiskinan Ekstrem", "PBP",
            "Jumlah kegiatan diseminasi informasi", "Kegiatan", (4, 12), ("PAD",)),
    )),
    _Opd("diskop", "2.17.0.00.0.00.01.0000", "Dinas Koperasi dan Usaha Kecil Menengah", "Diskop UKM",
         5_087_650_000, "Hj. Euis Kurniasih, S.E., M.Si", "197410092000032003", (
        _SK("2.17.05.2.01.0001",
            "Pemberdayaan Usaha Mikro melalui Pendataan, Kemitraan, Kemudahan Perizinan dan Penguatan "
            "Kelembagaan", "PPD", "Jumlah usaha mikro keluarga miskin yang diberdayakan", "Unit Usaha",
            (150, 450), ("DAU",)),
        _SK("2.17.06.2.01.0001",
            "Pengembangan Usaha Mikro dengan Orientasi Peningkatan Skala Usaha Menjadi Usaha Kecil", "PPD",
            "Jumlah usaha mikro yang naik kelas", "Unit Usaha", (50, 150), ("DAU", "PAD")),
        _SK("2.17.04.2.01.0003", "Pelatihan Perkoperasian bagi Anggota Koperasi", "PPD",
            "Jumlah anggota koperasi yang dilatih", "Orang", (100, 300), ("DAK_NONFISIK",)),
        _SK("2.17.05.2.01.0004", "Bantuan Modal Usaha bagi Usaha Mikro Keluarga Miskin", "PPD",
            "Jumlah usaha mikro penerima bantuan modal", "Unit Usaha", (200, 600), ("DID",)),
    )),
    _Opd("diskan", "3.25.0.00.0.00.01.0000", "Dinas Perikanan", "Diskan",
         4_312_400_000, "Ir. Nana Sutisna, M.Si", "197101151997031006", (
        _SK("3.25.03.2.01.0002", "Pemberdayaan Nelayan Kecil dalam Daerah Kabupaten/Kota", "PPD",
            "Jumlah nelayan kecil yang menerima sarana penangkapan ikan", "Orang", (150, 450),
            ("DAU", "DAK_FISIK")),
        _SK("3.25.04.2.01.0003", "Pemberdayaan Pembudi Daya Ikan Kecil", "PPD",
            "Jumlah pembudi daya ikan kecil yang diberdayakan", "Orang", (100, 300), ("DAU",)),
        _SK("3.25.03.2.02.0001", "Pengelolaan dan Penyelenggaraan Tempat Pelelangan Ikan (TPI)", "PKK",
            "Jumlah TPI yang dikelola", "Unit", (2, 5), ("PAD",)),
        _SK("3.25.05.2.01.0002",
            "Pembinaan Mutu dan Keamanan Hasil Perikanan bagi Usaha Pengolahan dan Pemasaran Skala Mikro "
            "dan Kecil", "PPD", "Jumlah usaha pengolahan ikan yang dibina", "Unit Usaha", (30, 90),
            ("DAU",)),
    )),
    _Opd("dispar", "3.26.0.00.0.00.01.0000", "Dinas Pariwisata", "Dispar",
         1_195_500_000, "Cecep Firmansyah, S.STP., M.Si", "198003172000121001", (
        _SK("3.26.03.2.02.0001", "Pengembangan Desa Wisata Berbasis Masyarakat", "PPD",
            "Jumlah desa wisata yang dikembangkan", "Desa", (3, 10), ("DAU",)),
        _SK("3.26.04.2.01.0002", "Pelatihan Pelaku Ekonomi Kreatif", "PPD",
            "Jumlah pelaku ekonomi kreatif dari keluarga miskin yang dilatih", "Orang", (60, 200),
            ("PAD", "DAK_NONFISIK")),
    )),
    _Opd("distan", "3.27.0.00.0.00.01.0000", "Dinas Pertanian", "Distan",
         12_784_310_000, "Ir. Rahmat Hidayat, M.P", "196911201996031004", (
        _SK("3.27.02.2.01.0001", "Penyediaan Benih Tanaman Pangan dan Hortikultura bagi Petani Miskin", "PPD",
            "Jumlah paket benih yang disalurkan", "Paket", (1500, 4000), ("DAU", "DID")),
        _SK("3.27.02.2.01.0002", "Penyediaan Benih/Bibit Ternak dan Hijauan Pakan Ternak", "PPD",
            "Jumlah bibit ternak yang disalurkan", "Ekor", (300, 900), ("DAU",)),
        _SK("3.27.03.2.01.0008", "Pembangunan Jalan Usaha Tani", "PKK",
            "Panjang jalan usaha tani yang dibangun", "Km", (6, 20), ("DAK_FISIK", "DAU")),
        _SK("3.27.03.2.01.0004", "Pembangunan dan Rehabilitasi Jaringan Irigasi Usaha Tani", "PPD",
            "Jumlah unit jaringan irigasi usaha tani yang dibangun", "Unit", (10, 30), ("DAK_FISIK",)),
        _SK("3.27.02.2.03.0001", "Penyediaan Alat dan Mesin Pertanian", "PPD",
            "Jumlah alat dan mesin pertanian yang disalurkan", "Unit", (20, 60), ("DAU",)),
        _SK("3.27.07.2.01.0002", "Penyuluhan dan Pendampingan Petani Miskin", "PPD",
            "Jumlah kelompok tani yang didampingi", "Kelompok", (40, 120), ("PAD",)),
    )),
    _Opd("disperindag", "3.30.3.31.0.00.01.0000", "Dinas Perindustrian dan Perdagangan", "Disperindag",
         2_912_275_000, "H. Tatang Sutarna, S.E., M.M", "197006121996031003", (
        _SK("3.30.02.2.01.0003", "Pelaksanaan Operasi Pasar Murah Bahan Pokok", "PBP",
            "Jumlah paket bahan pokok murah yang disalurkan", "Paket", (3000, 8000), ("PAD",)),
        _SK("3.30.03.2.01.0001",
            "Pembangunan dan Pengelolaan Sarana Distribusi Perdagangan (Pasar Rakyat)", "PKK",
            "Jumlah pasar rakyat yang dibangun atau direvitalisasi", "Unit", (1, 3), ("DAK_FISIK",)),
        _SK("3.31.03.2.01.0001", "Pembinaan Industri Kecil dan Menengah", "PPD",
            "Jumlah IKM yang dibina", "Unit Usaha", (40, 120), ("DAU",)),
        _SK("3.31.04.2.01.0002", "Pelatihan dan Pendampingan Wirausaha Baru Industri Kecil", "PPD",
            "Jumlah wirausaha baru dari keluarga miskin yang dilatih", "Orang", (60, 180), ("DID",)),
    )),
    _Opd("bappeda", "5.01.5.05.0.00.01.0000", "Badan Perencanaan Pembangunan Daerah", "Bappeda",
         1_108_640_000, "Dr. H. Budi Santoso, S.T., M.T.", "197207141998031009", (
        _SK("5.01.02.2.01.0009", "Koordinasi Perencanaan Penanggulangan Kemiskinan Daerah (TKPKD)", "PBP",
            "Jumlah dokumen rencana aksi penanggulangan kemiskinan daerah", "Dokumen", (1, 3),
            ("DAU", "DID")),
        _SK("5.05.02.2.01.0001", "Kajian Kantong Kemiskinan Ekstrem", "PKK",
            "Jumlah dokumen kajian kantong kemiskinan", "Dokumen", (1, 2), ("PAD",)),
    )),
)
# fmt: on

_OPD_BY_KODE = {opd.kode: opd for opd in OPD_LEBAK}

STRATEGI_NAMA = {
    "PBP": "Pengurangan Beban Pengeluaran",
    "PPD": "Peningkatan Pendapatan",
    "PKK": "Penurunan Kantong Kemiskinan",
}
_STRATEGI_NOMOR = {"PBP": "1", "PPD": "2", "PKK": "3"}

# Sumber dana as SIPD and OPDs write it in free text; every one must map back to its code.
SUMBER_DANA_TEKS: dict[str, tuple[str, ...]] = {
    "PAD": ("PENDAPATAN ASLI DAERAH (PAD)", "Pendapatan Asli Daerah"),
    "DAU": ("Dana Transfer Umum-Dana Alokasi Umum", "DAU"),
    "DBH": ("Dana Transfer Umum-Dana Bagi Hasil", "Dana Bagi Hasil"),
    "DAK_FISIK": ("DAK Fisik", "Dana Transfer Khusus-Dana Alokasi Khusus Fisik"),
    "DAK_NONFISIK": ("DAK Non Fisik", "Dana Transfer Khusus-Dana Alokasi Khusus Non Fisik"),
    "DID": ("Insentif Fiskal", "Dana Insentif Daerah (DID)"),
    "BANKEU": ("Bantuan Keuangan Provinsi", "Bantuan Keuangan Provinsi Banten"),
    "DANA_DESA": ("Dana Desa",),
}

# APBD perubahan adopted before TW III: (OPD, sub kegiatan, sumber dana) -> change of pagu in percent.
_PAGU_PERUBAHAN: dict[tuple[str, str, str], int] = {
    ("dinsos", "1.06.05.2.03.0001", "DAU"): 15,
    ("pupr", "1.03.10.2.01.0012", "BANKEU"): 20,
    ("dinkes", "1.02.02.2.02.0020", "DAU"): 10,
    ("distan", "3.27.03.2.01.0008", "DAU"): -20,
}

# Cumulative absorption after each quarter, in per mille, drawn per OPD from these ranges.
_SERAPAN_PERMIL = {1: (80, 150), 2: (300, 450), 3: (550, 700)}

_BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember")  # fmt: skip


# --------------------------------------------------------------------------------------------
# The year of one row: pagu, realisasi and volumes quarter by quarter
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    """One sub kegiatan x sumber dana of one OPD across TW I-III (index 0..2)."""

    sk: _SubKegiatan
    sumber: str
    pagu: tuple[Decimal, ...]  # per quarter: APBD murni in TW I-II, after APBD-P in TW III
    triwulan: tuple[Decimal, ...]
    kumulatif: tuple[Decimal, ...]
    target_volume: Decimal
    volume: tuple[Decimal, ...]  # cumulative
    kk: tuple[int, ...]  # cumulative
    lokasi: str

    def row(self, q: int, with_murni: bool) -> SampleRow:
        """The truth of this line in the file of quarter q."""
        i = q - 1
        return SampleRow(
            kode_sub_kegiatan=self.sk.kode,
            nama_sub_kegiatan=self.sk.nama,
            strategi=self.sk.strategi,
            sumber_dana=self.sumber,
            pagu=self.pagu[i],
            pagu_murni=self.pagu[0] if with_murni else None,
            realisasi_triwulan=self.triwulan[i],
            realisasi_kumulatif=self.kumulatif[i],
            indikator=self.sk.indikator,
            satuan=self.sk.satuan,
            target_volume=self.target_volume,
            realisasi_volume=self.volume[i],
            sasaran_kk=self.kk[i],
            lokasi=self.lokasi,
        )


def _split_pagu(total: int, n: int, rng: random.Random) -> list[Decimal]:
    """Split an OPD's pagu over n rows in whole thousands of rupiah; the last row takes the rest."""
    weights = [rng.randint(20, 200) for _ in range(n)]
    parts = [total * w // sum(weights) // 1000 * 1000 for w in weights[:-1]]
    return [Decimal(p) for p in [*parts, total - sum(parts)]]


def _volume_places(satuan: str) -> int:
    return {"Km": 2, "Hektare": 1, "Ton": 1}.get(satuan, 0)


def _target_volume(sk: _SubKegiatan, rng: random.Random) -> Decimal:
    places = _volume_places(sk.satuan)
    scale = 10**places
    return Decimal(rng.randint(sk.volume[0] * scale, sk.volume[1] * scale)) / scale


def _kk_total(sk: _SubKegiatan, target: Decimal, rng: random.Random) -> int:
    """Households from the P3KE list a row reaches by year end, judged from its output."""
    if sk.satuan in ("KK", "Rumah"):
        return int(target)
    if sk.satuan == "Orang":
        return int(target) * 85 // 100
    if sk.satuan == "Jiwa":
        return int(target) // 4
    if sk.satuan == "Dokumen" and target > 50:
        return int(target) // 3  # KK, KTP-el and akta: about three documents per household
    return rng.randint(60, 1200)


def _lokasi(rng: random.Random) -> str:
    """`SEMUA`, or a few kecamatan of Lebak (36.02.01..28), or a few desa inside one kecamatan."""
    kind = rng.randint(1, 20)
    if kind <= 5:
        return "SEMUA"
    if kind <= 14:
        kecamatan = sorted(rng.sample(range(1, 29), rng.randint(1, 4)))
        return ";".join(f"{KODE_PEMDA}.{k:02d}" for k in kecamatan)
    kec = rng.randint(1, 28)
    desa = sorted(rng.sample(range(2001, 2016), rng.randint(1, 3)))
    return ";".join(f"{KODE_PEMDA}.{kec:02d}.{d}" for d in desa)


def _pagu_perubahan(murni: Decimal, percent: int) -> Decimal:
    return (murni * (100 + percent) / 100 / 1000).quantize(Decimal(1), ROUND_DOWN) * 1000


def _plan_line(
    opd: _Opd, sk: _SubKegiatan, sumber: str, murni: Decimal, serapan: dict[int, int], rng: random.Random
) -> _Line:
    """Draw the year of one row: realisation grows by quarter, never negative, never above pagu."""
    change = _PAGU_PERUBAHAN.get((opd.key, sk.kode, sumber))
    pagu_tw3 = _pagu_perubahan(murni, change) if change else murni
    # Physical works (DAK fisik) are tendered first: nothing is paid in TW I.
    slow_start = sumber == "DAK_FISIK"
    tri: list[Decimal] = []
    kum: list[Decimal] = []
    done = Decimal(0)
    for q in TRIWULAN_SAMPLE:
        pagu_q = pagu_tw3 if q == 3 else murni
        permil = serapan[q] * rng.randint(80, 120) // 100
        if slow_start and q == 1:
            permil = 0
        target = (pagu_q * min(permil, 960) / 1000).quantize(Decimal(1), ROUND_DOWN)
        amount = max(Decimal(0), target - done)
        if amount > 0 and rng.randint(1, 8) == 1:
            amount += Decimal("0.50")  # an SP2D with sen
        done += amount
        tri.append(amount)
        kum.append(done)
    if change and change < 0:
        # APBD-P cannot cut a pagu below what has already been spent.
        pagu_tw3 = max(pagu_tw3, (kum[2] / 1000).quantize(Decimal(1), ROUND_DOWN) * 1000 + 1000)
    pagu = (murni, murni, pagu_tw3)
    target_volume = _target_volume(sk, rng)
    exp = Decimal(1).scaleb(-_volume_places(sk.satuan))
    volume = tuple((target_volume * k / p).quantize(exp, ROUND_DOWN) for k, p in zip(kum, pagu, strict=True))
    kk_total = _kk_total(sk, target_volume, rng)
    kk = tuple(int(kk_total * k / p) for k, p in zip(kum, pagu, strict=True))
    return _Line(sk, sumber, pagu, tuple(tri), tuple(kum), target_volume, volume, kk, _lokasi(rng))


def _plan_opd(opd: _Opd, rng: random.Random) -> list[_Line]:
    pairs = [(sk, sumber) for sk in opd.sub_kegiatan for sumber in sk.sumber]
    pagu = _split_pagu(opd.pagu_total, len(pairs), rng)
    serapan = {q: rng.randint(*_SERAPAN_PERMIL[q]) for q in TRIWULAN_SAMPLE}
    return [
        _plan_line(opd, sk, sumber, murni, serapan, rng)
        for (sk, sumber), murni in zip(pairs, pagu, strict=True)
    ]


# --------------------------------------------------------------------------------------------
# Which file carries which mess, and the quarter's events
# --------------------------------------------------------------------------------------------

TEMPLATE_COLUMNS = (
    "no", "kode", "nama", "strategi", "sumber", "pagu", "pagu_murni", "real_tw", "real_kum",
    "indikator", "satuan", "target", "real_vol", "sasaran_kk", "lokasi", "keterangan",
)  # fmt: skip

TEMPLATE_LABELS = {
    "no": "No",
    "kode": "Kode Sub Kegiatan",
    "nama": "Nama Sub Kegiatan",
    "strategi": "Strategi",
    "sumber": "Sumber Dana",
    "pagu": "Pagu (Rp)",
    "pagu_murni": "Pagu Murni (Rp)",
    "real_tw": "Realisasi Triwulan Ini (Rp)",
    "real_kum": "Realisasi s.d. Triwulan Ini (Rp)",
    "indikator": "Indikator Keluaran",
    "satuan": "Satuan",
    "target": "Target Volume",
    "real_vol": "Realisasi Volume",
    "sasaran_kk": "Sasaran KK",
    "lokasi": "Lokasi",
    "keterangan": "Keterangan",
}

# CSV exports name the data columns in snake case, like the identity columns.
_SNAKE_LABELS = {
    "kode": "kode_sub_kegiatan",
    "nama": "nama_sub_kegiatan",
    "strategi": "strategi",
    "sumber": "sumber_dana",
    "pagu": "pagu",
    "pagu_murni": "pagu_murni",
    "real_tw": "realisasi_triwulan",
    "real_kum": "realisasi_kumulatif",
    "indikator": "indikator_keluaran",
    "satuan": "satuan",
    "target": "target_volume",
    "real_vol": "realisasi_volume",
    "sasaran_kk": "sasaran_kk",
    "lokasi": "lokasi",
    "keterangan": "keterangan",
}

_AMOUNT_KEYS = ("pagu", "pagu_murni", "real_tw", "real_kum")


def _without(*keys: str) -> tuple[str, ...]:
    return tuple(c for c in TEMPLATE_COLUMNS if c not in keys)


_SYNONYM_LABELS = (
    ("no", "No."),
    ("kode", "KODE SUB GIAT"),
    ("nama", "Uraian"),
    ("strategi", "Strategi KE"),
    ("sumber", "  Sumber   Dana "),
    ("pagu", "Pagu Anggaran"),
    ("pagu_murni", "pagu apbd murni"),
    ("real_tw", "Realisasi\nTriwulan Ini"),
    ("real_kum", "Realisasi s/d TW"),
    ("indikator", "Indikator"),
    ("target", "Target"),
    ("real_vol", "Capaian Volume"),
    ("sasaran_kk", "Jumlah KK"),
    ("lokasi", "Kecamatan/Desa"),
    ("keterangan", "Catatan"),
)

_LINE_BREAK_LABELS = (
    ("kode", "Kode Sub\nKegiatan"),
    ("nama", "Nama Sub\nKegiatan"),
    ("pagu", "Pagu\n(Rp)"),
    ("real_tw", "Realisasi Triwulan\nIni (Rp)"),
    ("real_kum", "Realisasi s.d.\nTriwulan Ini (Rp)"),
    ("sasaran_kk", "Sasaran\nKK"),
)

_CSV_DISDUKCAPIL = Layout(fmt="csv", csv_bom=True, amounts=("id_decimal",))
_CSV_DISKAN = Layout(fmt="csv", csv_delimiter=";", csv_snake_headers=True, amounts=("id_decimal",))
_CSV_DISKOMINFO = Layout(fmt="csv", csv_snake_headers=True, amounts=("id_decimal",), sumber_style="sipd")

# (OPD, triwulan) -> layout; absent = the clean template. Each mess of spec section 6 appears at least once.
_LAYOUTS: dict[tuple[str, int], Layout] = {
    ("dindikbud", 2): Layout(messy_codes=True, triwulan_label="TW II", amounts=("dots",)),
    ("dindikbud", 3): Layout(columns=_without("real_tw", "pagu_murni"), tanggal_style="words"),
    ("dinkes", 1): Layout(labels=_SYNONYM_LABELS, sumber_style="sipd"),
    ("dinkes", 2): Layout(sumber_style="sipd", tanggal_style="slash"),
    ("dinkes", 3): Layout(
        sumber_style="sipd",
        triwulan_label="Triwulan 3",
        labels=(("pagu", "Pagu Perubahan"), ("pagu_murni", "Pagu APBD Murni")),
    ),
    ("pupr", 1): Layout(title=True, amounts=("dots",)),
    ("pupr", 2): Layout(column_numbers=True, amounts=("rp", "rp_dash")),
    ("pupr", 3): Layout(formulas=True, total_label="TOTAL", triwulan_label="III"),
    ("perkim", 1): Layout(tanggal_style="date"),
    ("perkim", 2): Layout(columns=_without("real_kum")),
    ("perkim", 3): Layout(
        title=True, blank_rows=True, column_numbers=True, total_label="JUMLAH", signature=True
    ),
    ("dinsos", 2): Layout(title=True, blank_rows=True, column_numbers=True, volume_with_unit=True),
    ("dinsos", 3): Layout(merged_header=True, title=True, total_label="JUMLAH", signature=True),
    ("disnakertrans", 2): Layout(hidden_column="keterangan"),
    ("disnakertrans", 3): Layout(strategi_style="name", tanggal_style="words"),
    ("dp3ap2kb", 1): Layout(tanggal_style="date"),
    ("dp3ap2kb", 3): Layout(total_label="TOTAL", columns=_without("no", "keterangan")),
    ("dkp", 2): Layout(title=True, total_label="JUMLAH", signature=True, tanggal_style="words"),
    ("dpmd", 1): Layout(numbers_as_text=True, amounts=("digits", "number")),
    ("dpmd", 2): Layout(identitas_upper=True, kode_skpd_written=" 2.13.0.00.0.00.01.0000 "),
    ("dpmd", 3): Layout(sheet_name="REALISASI TW III", title=True),
    ("diskop", 2): Layout(blank_rows=True, columns=_without("pagu_murni")),
    ("distan", 1): Layout(strategi_style="number"),
    ("distan", 3): Layout(sumber_style="sipd", triwulan_label="TW III"),
    ("disperindag", 1): Layout(amounts=("rp_dash",)),
    ("dispar", 2): Layout(labels=_LINE_BREAK_LABELS, tanggal_style="slash"),
    **{("disdukcapil", q): _CSV_DISDUKCAPIL for q in TRIWULAN_SAMPLE},
    **{("diskan", q): _CSV_DISKAN for q in TRIWULAN_SAMPLE},
    **{("diskominfo", q): _CSV_DISKOMINFO for q in TRIWULAN_SAMPLE},
}

# File names as OPDs really send them; the default is the name the template suggests.
_NAMES: dict[str, Callable[[int], str]] = {
    "dinkes": lambda q: f"Laporan KE Dinkes TW {ROMAWI[q]}.xlsx",
    "dp3ap2kb": lambda q: f"{KODE_PEMDA}_{TAHUN}_TW{q}_2.08.2.14.0.00.01.0000_DP3AP2KB.xlsx",
    "pupr": lambda q: f"realisasi_ke_pupr_triwulan{q}.xlsx",
    "dindikbud": lambda q: "Realisasi KE Dindikbud.xlsx",  # no quarter in the name
    "dpmd": lambda q: f"DPMD_Laporan_KE_TW{q}_2024.xlsx",
    "distan": lambda q: f"LAPORAN KE DISTAN TRIWULAN {ROMAWI[q]}.xlsx",
    "diskan": lambda q: f"realisasi_ke_diskan_tw{q}.csv",
    "diskominfo": lambda q: f"KE_Diskominfo_TW{q}_{TAHUN}.csv",
}

_REVISED_TW2 = "dinkes"  # sends TW II twice: Revisi 0, then Revisi 1 with corrected amounts
_LATE_TW2 = "dlh"  # its TW II file arrives with the TW III batch
_MISSING_TW3 = "dispar"  # never sends TW III
_DEFECTIVE_TW3 = "disperindag"  # TW III rejected: one row's realisasi s.d. triwulan exceeds pagu
_DUPLICATE_TW1 = "diskop"  # the same TW I bytes sent twice under two names
_NO_REVISI = ("bappeda",)  # leave the optional Revisi field out


def _default_name(opd: _Opd, q: int, ext: str) -> str:
    slug = "-".join(opd.nama.replace(",", "").split())
    return f"{KODE_PEMDA}_{TAHUN}_TW{q}_{opd.kode}_{slug}.{ext}"


def _file_name(opd: _Opd, q: int, layout: Layout) -> str:
    name = _NAMES.get(opd.key)
    return name(q) if name else _default_name(opd, q, layout.fmt)


def _tanggal(opd_index: int, q: int) -> date:
    """Report date: early in the month after the quarter, spread over the OPDs."""
    return date(TAHUN, 3 * q + 1, 2 + opd_index % 12)


# --------------------------------------------------------------------------------------------
# Building the sample
# --------------------------------------------------------------------------------------------


def _revisi0_rows(rows: tuple[SampleRow, ...]) -> tuple[SampleRow, ...]:
    """The first TW II version of the revised OPD: one SP2D of the biggest row was left out."""
    i = max(range(len(rows)), key=lambda k: rows[k].realisasi_triwulan)
    missing = (rows[i].realisasi_triwulan * 3 / 10 / 1000).quantize(Decimal(1), ROUND_DOWN) * 1000
    wrong = replace(
        rows[i],
        realisasi_triwulan=rows[i].realisasi_triwulan - missing,
        realisasi_kumulatif=rows[i].realisasi_kumulatif - missing,
    )
    return (*rows[:i], wrong, *rows[i + 1 :])


def _defective_rows(rows: tuple[SampleRow, ...]) -> tuple[tuple[SampleRow, ...], str]:
    """Over-report one row so that realisasi s.d. triwulan exceeds its pagu (the only error)."""
    i = max(range(len(rows)), key=lambda k: rows[k].realisasi_kumulatif - rows[k].realisasi_triwulan)
    row = rows[i]
    before = row.realisasi_kumulatif - row.realisasi_triwulan
    excess = (min(before / 2, row.pagu / 10) / 1000).quantize(Decimal(1), ROUND_DOWN) * 1000
    assert excess > 0, "the defective row needs a realisation in TW II"
    # The quarter's amount stays <= pagu and consistent with TW II: only kumulatif <= pagu breaks.
    tri = row.pagu - before + excess
    wrong = replace(row, realisasi_triwulan=tri, realisasi_kumulatif=before + tri)
    defect = (
        f"{row.kode_sub_kegiatan} / {row.sumber_dana}: realisasi s.d. triwulan "
        f"{_amount_text(before + tri, 'rp')} exceeds pagu {_amount_text(row.pagu, 'rp')}"
    )
    return (*rows[:i], wrong, *rows[i + 1 :]), defect


def _opd_files(opd: _Opd, opd_index: int, lines: list[_Line]) -> list[SampleFile]:
    files: list[SampleFile] = []
    for q in TRIWULAN_SAMPLE:
        if opd.key == _MISSING_TW3 and q == 3:
            continue
        layout = _LAYOUTS.get((opd.key, q), Layout())
        columns = layout.columns or TEMPLATE_COLUMNS
        rows = tuple(line.row(q, "pagu_murni" in columns) for line in lines)
        folder = "tw3" if (opd.key == _LATE_TW2 and q == 2) else f"tw{q}"
        base = SampleFile(
            relpath=f"{folder}/{_file_name(opd, q, layout)}",
            kode_skpd=opd.kode,
            nama_skpd=opd.nama,
            triwulan=q,
            revisi=None if opd.key in _NO_REVISI else 0,
            rows=rows,
            expected_status="diterima",
            defect="",
            tanggal_laporan=_tanggal(opd_index, q),
            layout=layout,
        )
        if opd.key == _LATE_TW2 and q == 2:
            base = replace(base, tanggal_laporan=date(TAHUN, 10, 3))
        if opd.key == _REVISED_TW2 and q == 2:
            # Revisi 0 stays in history; Revisi 1, a week later, corrects the amounts and counts.
            files.append(replace(base, rows=_revisi0_rows(rows), expected_status="digantikan"))
            name = Path(base.relpath)
            base = replace(
                base,
                relpath=f"{folder}/{name.stem} revisi{name.suffix}",
                revisi=1,
                tanggal_laporan=_tanggal(opd_index, q) + timedelta(days=7),
            )
        if opd.key == _DEFECTIVE_TW3 and q == 3:
            bad_rows, defect = _defective_rows(rows)
            base = replace(base, rows=bad_rows, expected_status="ditolak", defect=defect)
        files.append(base)
        if opd.key == _DUPLICATE_TW1 and q == 1:
            # The copy's name sorts after the original, so the original counts as first seen.
            copy = f"tw1/Lap Realisasi KE {opd.singkatan} TW1.xlsx"
            files.append(
                replace(
                    base,
                    relpath=copy,
                    expected_status="duplikat",
                    layout=replace(layout, same_bytes_as=base.relpath),
                )
            )
    return files


def build_sample(seed: int = 2024) -> Sample:
    """The sample's truth for this seed: pure and deterministic."""
    rng = random.Random(seed)
    files: list[SampleFile] = []
    for index, opd in enumerate(OPD_LEBAK):
        files.extend(_opd_files(opd, index, _plan_opd(opd, rng)))
    return Sample(
        kode_pemda=KODE_PEMDA,
        nama_pemda=NAMA_PEMDA,
        tahun=TAHUN,
        opd=tuple((opd.kode, opd.nama) for opd in OPD_LEBAK),
        files=tuple(files),
    )


def corrected_submission(sample: Sample) -> SampleFile:
    """The file the OPD sends back once told of the sample's one defect: a week later, Revisi 1, the
    row's pagu raised to its APBD-P amount (above the realisasi it reported), nothing else changed. It is
    not part of the sample (the demo shows the rejection): `docs/panduan.md` walks through it."""
    (bad,) = [f for f in sample.files if f.expected_status == "ditolak"]
    rows = tuple(
        replace(
            r, pagu=(r.realisasi_kumulatif * Decimal("1.1") / 1000).quantize(Decimal(1), ROUND_DOWN) * 1000
        )
        if r.realisasi_kumulatif > r.pagu
        else r
        for r in bad.rows
    )
    name = Path(bad.relpath)
    return replace(
        bad,
        relpath=f"{name.stem} revisi 1{name.suffix}",
        revisi=1,
        rows=rows,
        expected_status="diterima",
        defect="",
        tanggal_laporan=bad.tanggal_laporan + timedelta(days=7) if bad.tanggal_laporan else None,
    )


def accepted_rows(sample: Sample, triwulan: int) -> dict[str, tuple[SampleRow, ...]]:
    """Per kode_skpd, the rows of the file that should count for that quarter (latest accepted revision);
    OPDs with no accepted file for the quarter are absent."""
    best: dict[str, SampleFile] = {}
    for f in sample.files:
        if f.triwulan != triwulan or f.expected_status != "diterima":
            continue
        current = best.get(f.kode_skpd)
        if current is None or (f.revisi or 0) > (current.revisi or 0):
            best[f.kode_skpd] = f
    return {kode: best[kode].rows for kode, _ in sample.opd if kode in best}


# --------------------------------------------------------------------------------------------
# Rendering cells
# --------------------------------------------------------------------------------------------


def _grouped(value: Decimal) -> tuple[str, str]:
    """Indonesian digit groups of the whole rupiah, and the two sen digits."""
    whole = int(value)
    sen = int((value - whole) * 100)
    return f"{whole:,}".replace(",", "."), f"{sen:02d}"


def _amount_text(value: Decimal, style: str) -> str:
    """An amount typed as text, the way OPDs type it: '1.250.000', 'Rp 1.250.000', 'Rp1.250.000,-'."""
    grouped, sen = _grouped(value)
    has_sen = sen != "00"
    if style == "dots":
        return grouped + (f",{sen}" if has_sen else "")
    if style == "rp":
        return f"Rp {grouped}" + (f",{sen}" if has_sen else "")
    if style == "rp_dash":
        return f"Rp{grouped}" + (f",{sen}" if has_sen else ",-")
    if style == "digits":
        return str(int(value)) + (f",{sen}" if has_sen else "")
    if style == "id_decimal":
        return f"{grouped},{sen}"
    raise ValueError(f"unknown amount style {style!r}")


def _plain(value: Decimal) -> str:
    """A number as a formula or a program writes it: '1250000', '1250000.5'."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _volume_text(value: Decimal) -> str:
    return str(value).replace(".", ",")


def _strategi_text(code: str, style: str) -> str:
    if style == "name":
        return STRATEGI_NAMA[code]
    if style == "number":
        return _STRATEGI_NOMOR[code]
    return code


def _sumber_text(code: str, style: str, row_index: int) -> str:
    if style == "sipd":
        variants = SUMBER_DANA_TEKS[code]
        return variants[row_index % len(variants)]
    return code


def _kode_text(kode: str, messy: bool, row_index: int) -> str:
    """Codes as typed by hand: stray spaces around them, or a trailing dot."""
    if not messy or row_index % 3 == 2:
        return kode
    return f" {kode}  " if row_index % 3 == 0 else f"{kode}."


def _keterangan(row: SampleRow) -> str:
    return "Proses pengadaan/lelang" if row.realisasi_kumulatif == 0 else ""


def _typed_values(row: SampleRow, i: int, layout: Layout) -> dict[str, object]:
    """What the OPD typed in each column of its i-th row: text as typed (codes, strategi, sumber dana
    in the file's style); amounts, volumes and counts as values, formatted by the xlsx or csv writer."""
    target: object = row.target_volume
    if layout.volume_with_unit and i == 0:
        target = f"{int(row.target_volume)} {row.satuan}/bulan"
    return {
        "no": i + 1,
        "kode": _kode_text(row.kode_sub_kegiatan, layout.messy_codes, i),
        "nama": row.nama_sub_kegiatan,
        "strategi": _strategi_text(row.strategi, layout.strategi_style),
        "sumber": _sumber_text(row.sumber_dana, layout.sumber_style, i),
        "pagu": row.pagu,
        "pagu_murni": row.pagu_murni,
        "real_tw": row.realisasi_triwulan,
        "real_kum": row.realisasi_kumulatif,
        "indikator": row.indikator,
        "satuan": row.satuan,
        "target": target,
        "real_vol": row.realisasi_volume,
        "sasaran_kk": row.sasaran_kk,
        "lokasi": row.lokasi,
        "keterangan": _keterangan(row),
    }


def _tanggal_value(value: date, style: str) -> date | str:
    """Tanggal Laporan as the OPD wrote it: a real date cell, or text in one of the usual styles."""
    return value if style == "date" else _tanggal_text(value, style)


def _tanggal_text(value: date, style: str) -> str:
    if style == "slash":
        return value.strftime("%d/%m/%Y")
    if style == "words":
        return f"{value.day} {_BULAN[value.month - 1]} {value.year}"
    return value.isoformat()


def _labels(layout: Layout, columns: tuple[str, ...]) -> list[str]:
    if layout.fmt == "csv" and layout.csv_snake_headers:
        return [_SNAKE_LABELS[c] for c in columns]
    overrides = dict(layout.labels)
    return [overrides.get(c, TEMPLATE_LABELS[c]) for c in columns]


def _identitas(
    f: SampleFile, kode_pemda: str = KODE_PEMDA, nama_pemda: str = NAMA_PEMDA
) -> list[tuple[str, object]]:
    """Label/value pairs of the Identitas sheet (of Lebak unless another pemda is named)."""
    opd = _OPD_BY_KODE[f.kode_skpd]
    layout = f.layout
    pairs: list[tuple[str, object]] = [
        ("Kode Pemda", kode_pemda),
        ("Nama Pemda", nama_pemda),
        ("Tahun Anggaran", TAHUN),
        ("Triwulan", layout.triwulan_label or f.triwulan),
        ("Kode SKPD", layout.kode_skpd_written or f.kode_skpd),
        ("Nama SKPD", f.nama_skpd),
    ]
    if f.revisi is not None:
        pairs.append(("Revisi", f.revisi))
    if f.tanggal_laporan is not None:
        pairs.append(("Tanggal Laporan", _tanggal_value(f.tanggal_laporan, layout.tanggal_style)))
    pairs += [("Penanggung Jawab", opd.kepala), ("NIP", opd.nip)]
    if layout.identitas_upper:
        pairs = [(label.upper(), value) for label, value in pairs]
    return pairs


# --------------------------------------------------------------------------------------------
# Writing xlsx
# --------------------------------------------------------------------------------------------


class _XlsxWriter:
    """Writes one SampleFile as a workbook with sheets Identitas and the data sheet."""

    def __init__(self, f: SampleFile):
        self.f = f
        self.layout = f.layout
        self.columns = self.layout.columns or TEMPLATE_COLUMNS
        self.col = {key: i for i, key in enumerate(self.columns)}
        self.buffer = io.BytesIO()
        self.wb = xlsxwriter.Workbook(self.buffer, {"in_memory": True})
        author = _OPD_BY_KODE[f.kode_skpd].singkatan
        self.wb.set_properties({"created": _FIXED_CREATED, "author": author})
        self.bold = self.wb.add_format({"bold": True})
        self.head = self.wb.add_format(
            {"bold": True, "border": 1, "align": "center", "valign": "vcenter", "text_wrap": True}
        )
        self.rupiah = self.wb.add_format({"num_format": "#,##0.00"})
        self.tanggal = self.wb.add_format({"num_format": "dd/mm/yyyy"})
        self.identitas = self.wb.add_worksheet("Identitas")
        self.ws = self.wb.add_worksheet(self.layout.sheet_name)

    def write(self) -> bytes:
        self._write_identitas()
        self._write_realisasi()
        self.wb.close()
        return self.buffer.getvalue()

    def _write_identitas(self) -> None:
        ws = self.identitas
        ws.set_column(0, 0, 20)
        ws.set_column(1, 1, 60)
        for r, (label, value) in enumerate(_identitas(self.f)):
            ws.write_string(r, 0, label, self.bold)
            if isinstance(value, date):
                ws.write_datetime(r, 1, datetime(value.year, value.month, value.day), self.tanggal)
            elif isinstance(value, int):
                ws.write_number(r, 1, value)
            else:
                ws.write_string(r, 1, str(value))  # codes and NIP stay text

    def _write_realisasi(self) -> None:
        layout = self.layout
        self.ws.set_column(0, len(self.columns) - 1, 16)
        r = 0
        if layout.title:
            r = self._write_title(r)
        if layout.blank_rows:
            r += 1  # a blank row between the title (or the top) and the header
        r = self._write_header(r)
        first_data = r
        for i, row in enumerate(self.f.rows):
            if layout.blank_rows and i == 2:
                r += 1  # a blank row inside the data
            self._write_row(r, i, row)
            r += 1
        if layout.total_label:
            self._write_total(r, first_data, r - 1)
            r += 1
        if layout.signature:
            self._write_signature(r + 1)
        if layout.hidden_column:
            c = self.col[layout.hidden_column]
            self.ws.set_column(c, c, 16, None, {"hidden": True})

    def _write_title(self, r: int) -> int:
        lines = (
            "LAPORAN REALISASI ANGGARAN PENGHAPUSAN KEMISKINAN EKSTREM",
            f"{self.f.nama_skpd.upper()} {NAMA_PEMDA.upper()}",
            f"TRIWULAN {ROMAWI[self.f.triwulan]} TAHUN ANGGARAN {TAHUN}",
        )
        for line in lines:
            self.ws.merge_range(r, 0, r, len(self.columns) - 1, line, self.bold)
            r += 1
        return r

    def _write_header(self, r: int) -> int:
        labels = _labels(self.layout, self.columns)
        if self.layout.merged_header:
            # Two header rows: "Realisasi (Rp)" over "Triwulan Ini" | "s.d. Triwulan Ini";
            # every other label is merged down over both rows.
            tw, kum = self.col["real_tw"], self.col["real_kum"]
            for c, label in enumerate(labels):
                if c not in (tw, kum):
                    self.ws.merge_range(r, c, r + 1, c, label, self.head)
            self.ws.merge_range(r, tw, r, kum, "Realisasi (Rp)", self.head)
            self.ws.write_string(r + 1, tw, "Triwulan Ini", self.head)
            self.ws.write_string(r + 1, kum, "s.d. Triwulan Ini", self.head)
            r += 2
        else:
            for c, label in enumerate(labels):
                self.ws.write_string(r, c, label, self.head)
            r += 1
        if self.layout.column_numbers:
            for c in range(len(self.columns)):
                self.ws.write_number(r, c, c + 1, self.head)
            r += 1
        return r

    def _write_row(self, r: int, i: int, row: SampleRow) -> None:
        values = _typed_values(row, i, self.layout)
        for key, c in self.col.items():
            value = values[key]
            if key in _AMOUNT_KEYS:
                assert isinstance(value, Decimal)
                if not (self.layout.formulas and self._write_amount_formula(r, c, key, row)):
                    self._write_amount(r, c, value, i)
            elif isinstance(value, (Decimal, int)):
                self._write_count(r, c, value)
            elif value:
                self.ws.write_string(r, c, str(value))

    def _write_amount(self, r: int, c: int, value: Decimal, row_index: int) -> None:
        style = self.layout.amounts[row_index % len(self.layout.amounts)]
        if style == "number":
            # xlsx stores numbers as doubles; whole rupiah and ,50 sen are exact there.
            self.ws.write_number(r, c, float(value), self.rupiah)
        else:
            self.ws.write_string(r, c, _amount_text(value, style))

    def _write_count(self, r: int, c: int, value: Decimal | int) -> None:
        """Volumes, KK and No: numbers, or text when the OPD's sheet stores them as text."""
        if value != int(value):
            self.ws.write_number(r, c, float(value))
        elif self.layout.numbers_as_text:
            self.ws.write_string(r, c, str(int(value)))
        else:
            self.ws.write_number(r, c, int(value))

    def _write_amount_formula(self, r: int, c: int, key: str, row: SampleRow) -> bool:
        """Formulas as OPDs type them, each with its cached value: kumulatif = this quarter's cell +
        last quarter's figure, and a pagu changed by APBD-P as murni + tambahan."""
        previous = row.realisasi_kumulatif - row.realisasi_triwulan
        if key == "real_kum" and previous > 0 and "real_tw" in self.col:
            cell = xl_rowcol_to_cell(r, self.col["real_tw"])
            formula = f"={cell}+{_plain(previous)}"
            self.ws.write_formula(r, c, formula, self.rupiah, float(row.realisasi_kumulatif))
            return True
        if key == "pagu" and row.pagu_murni is not None and row.pagu != row.pagu_murni:
            delta = row.pagu - row.pagu_murni
            formula = f"={_plain(row.pagu_murni)}{'+' if delta > 0 else '-'}{_plain(abs(delta))}"
            self.ws.write_formula(r, c, formula, self.rupiah, float(row.pagu))
            return True
        return False

    def _write_total(self, r: int, first: int, last: int) -> None:
        self.ws.merge_range(r, 0, r, self.col["pagu"] - 1, self.layout.total_label, self.head)
        typed = [_typed_values(row, i, self.layout) for i, row in enumerate(self.f.rows)]
        for key in _AMOUNT_KEYS:
            if key not in self.col:
                continue
            c = self.col[key]
            total = sum((values[key] for values in typed), Decimal(0))
            if self.layout.formulas:
                top, bottom = xl_rowcol_to_cell(first, c), xl_rowcol_to_cell(last, c)
                self.ws.write_formula(r, c, f"=SUM({top}:{bottom})", self.rupiah, float(total))
            else:
                self.ws.write_number(r, c, float(total), self.rupiah)

    def _write_signature(self, r: int) -> None:
        opd = _OPD_BY_KODE[self.f.kode_skpd]
        c = max(len(self.columns) - 5, 0)
        tanggal = self.f.tanggal_laporan or _tanggal(0, self.f.triwulan)
        lines = (
            f"Lebak, {_tanggal_text(tanggal, 'words')}",
            f"Kepala {self.f.nama_skpd}",
            NAMA_PEMDA,
            "",
            "",
            opd.kepala,
            f"NIP. {opd.nip}",
        )
        for k, line in enumerate(lines):
            if line:
                self.ws.write_string(r + k, c, line)


# --------------------------------------------------------------------------------------------
# Writing csv
# --------------------------------------------------------------------------------------------

_CSV_IDENTITY = ("kode_pemda", "nama_pemda", "tahun", "triwulan", "kode_skpd", "nama_skpd", "revisi")


def _csv_bytes(f: SampleFile) -> bytes:
    """A CSV export: identity fields as columns on every row, amounts as Indonesian text."""
    layout = f.layout
    columns = tuple(c for c in (layout.columns or TEMPLATE_COLUMNS) if c != "no")
    out = io.StringIO()
    writer = csv.writer(out, delimiter=layout.csv_delimiter, lineterminator="\r\n")
    writer.writerow([*_CSV_IDENTITY, *_labels(layout, columns)])
    revisi = "" if f.revisi is None else f.revisi
    identity = [KODE_PEMDA, NAMA_PEMDA, TAHUN, f.triwulan, f.kode_skpd, f.nama_skpd, revisi]
    for i, row in enumerate(f.rows):
        values = _typed_values(row, i, layout)
        cells = []
        for key in columns:
            value = values[key]
            if key in _AMOUNT_KEYS:
                assert isinstance(value, Decimal)
                cells.append(_amount_text(value, layout.amounts[i % len(layout.amounts)]))
            elif isinstance(value, Decimal):
                cells.append(_volume_text(value))
            else:
                cells.append(value)
        writer.writerow([*identity, *cells])
    text = out.getvalue()
    return (("\ufeff" + text) if layout.csv_bom else text).encode("utf-8")


# --------------------------------------------------------------------------------------------
# Writing the folder
# --------------------------------------------------------------------------------------------


def _file_bytes(f: SampleFile) -> bytes:
    return _csv_bytes(f) if f.layout.fmt == "csv" else _XlsxWriter(f).write()


def _daftar_opd_csv(sample: Sample) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["kode_pemda", "tahun", "kode_skpd", "nama_skpd"])
    for kode, nama in sample.opd:
        writer.writerow([sample.kode_pemda, sample.tahun, kode, nama])
    return out.getvalue().encode("utf-8")


def write_sample(sample: Sample, out_dir: Path) -> None:
    """Write every file of the sample and daftar_opd.csv under out_dir; byte-identical across runs.

    Files already in out_dir are left alone (the tests compare the committed folder with a fresh write).
    """
    written: dict[str, bytes] = {}
    for f in sample.files:
        data = written[f.layout.same_bytes_as] if f.layout.same_bytes_as else _file_bytes(f)
        written[f.relpath] = data
        path = out_dir / f.relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "daftar_opd.csv").write_bytes(_daftar_opd_csv(sample))


def write_correction(sample: Sample, out_dir: Path) -> Path:
    """Write `corrected_submission` into out_dir; its path."""
    correction = corrected_submission(sample)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / correction.relpath
    path.write_bytes(_file_bytes(correction))
    return path


SASARAN_FILE = "sasaran-kk_36.02_2024.csv"


def sasaran_csv(seed: int = 2024) -> bytes:
    """Household counts of the guide's `rekap sasaran` example: KE households per desa of the sample's pemda,
    for every desa the region reference lists under it, as a steward aggregates them from P3KE (counts only,
    no person). Synthetic, seeded: about 16 a desa, near the 5,698 KK Lebak reported for 2024."""
    from rekap.settings import REF_DIR

    rng = random.Random(f"{seed}:sasaran")
    with open(REF_DIR / "wilayah.csv", encoding="utf-8", newline="") as fh:
        desa = [r for r in csv.DictReader(fh) if r["tingkat"] == "desa/kelurahan"
                and r["kode"].startswith(KODE_PEMDA + ".")]  # fmt: skip
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Kode Desa", "Nama Desa/Kelurahan", "Jumlah KK Miskin Ekstrem"])
    writer.writerows([r["kode"], r["nama"], rng.randint(0, 33)] for r in desa)
    return out.getvalue().encode("utf-8")


def default_out_dir() -> Path:
    """`<repo>/sample/lebak-2024`, where the committed sample lives (its correction beside it, in
    `sample/perbaikan`)."""
    return Path(__file__).resolve().parents[1] / "sample" / "lebak-2024"


def main() -> None:
    """`python -m rekap.sample [OUT_DIR]`: regenerate the bundled sample (and its correction in
    OUT_DIR/../perbaikan, the household counts in OUT_DIR/../sasaran)."""
    out_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else default_out_dir()
    sample = build_sample()
    write_sample(sample, out_dir)
    correction = write_correction(sample, out_dir.parent / "perbaikan")
    counts = out_dir.parent / "sasaran" / SASARAN_FILE
    counts.parent.mkdir(parents=True, exist_ok=True)
    counts.write_bytes(sasaran_csv())
    print(f"{len(sample.files)} files written to {out_dir}; the correction: {correction}; counts: {counts}")


if __name__ == "__main__":
    main()
