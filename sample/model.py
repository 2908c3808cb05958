"""What the generator produces: the truth of every row and file (canonical values, expected verdicts) and how
each file is laid out, for one pemda."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sample.catalogue import Opd


@dataclass(frozen=True)
class Pemda:
    """A regional government: province (`NN`) or kabupaten/kota (`NN.NN`)."""

    kode: str
    nama: str

    @property
    def provinsi(self) -> bool:
        """True for a province."""
        return "." not in self.kode

    @property
    def kota(self) -> str:
        """Where its reports are signed (the seat, for the signature line)."""
        return self.nama.split(" ", 1)[1]


LEBAK = Pemda("36.02", "Kabupaten Lebak")


def after_quarter(tahun: int, q: int, day: int) -> date:
    """That day of the month after quarter q (TW IV: January of the next year)."""
    year, month = divmod(3 * q, 12)
    return date(tahun + year, month + 1, day)


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

    The defaults are the template. Each field but `same_bytes_as` belongs to one kind of mess
    (`sample.mess.MESS`); a layout names styles, and the writers render them for the file's quarter.
    """

    fmt: str = "xlsx"  # 'xlsx' | 'csv'
    sheet_name: str = "Realisasi"  # '{romawi}' in it stands for the quarter: 'REALISASI TW {romawi}'
    columns: tuple[str, ...] = ()  # column keys in order; () = the template's columns
    labels: tuple[tuple[str, str], ...] = ()  # header label overrides (synonyms, case, line breaks)
    title: bool = False  # title rows (merged across the table) above the header
    blank_rows: bool = False  # a blank row above the header and one inside the data
    column_numbers: bool = False  # a row 1, 2, 3, ... under the header
    merged_header: bool = False  # two header rows, "Realisasi (Rp)" merged over the two realisasi columns
    total_label: str = ""  # 'JUMLAH' or 'TOTAL' row under the data
    signature: bool = False  # "Lebak, <tanggal>", jabatan, name, NIP under the table
    amounts: tuple[str, ...] = ("number",)  # amount styles, cycled by row, see cells.amount_text
    numbers_as_text: bool = False  # volumes, sasaran KK and No stored as text
    messy_codes: bool = False  # kode sub kegiatan with stray spaces or a trailing dot
    formulas: bool = False  # formula cells with cached values (kumulatif, changed pagu, total row)
    hidden_column: str = ""  # key of a column hidden in the sheet
    strategi_style: str = "code"  # 'code' (PBP) | 'name' (Pengurangan Beban Pengeluaran) | 'number' (1)
    sumber_style: str = "code"  # 'code' (DAU) | 'sipd' (Dana Transfer Umum-Dana Alokasi Umum)
    volume_with_unit: bool = False  # one target volume typed as '150 Orang/bulan' (a reader warning)
    triwulan_style: str = ""  # Triwulan in Identitas: '' (3) or 'tw' (TW III), 'triwulan', 'romawi' (III)
    tanggal_style: str = "iso"  # 'iso' | 'slash' | 'words' | 'date' (a real date cell)
    identitas_upper: bool = False  # Identitas labels in capitals
    kode_skpd_padded: bool = False  # Kode SKPD typed with a space on either side
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
    """Everything generated for one pemda: its expected OPDs, every file received, and the follow-ups."""

    pemda: Pemda
    tahun: int
    opd: tuple[Opd, ...]  # the expected OPDs (daftar OPD)
    files: tuple[SampleFile, ...]
    correction: SampleFile | None = None  # the rejected file as its OPD sends it back (event 'correction')
    households: tuple[tuple[str, str, int], ...] = ()  # (kode desa, nama, KE households) ('household_counts')


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
    return {opd.kode: best[opd.kode].rows for opd in sample.opd if opd.kode in best}
