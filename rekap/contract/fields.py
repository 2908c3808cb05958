"""The fields of a submission (spec/submission-format.md): the columns of its data table and the labels
of its identity, each with its synonyms."""

from __future__ import annotations

from dataclasses import dataclass

from rekap.contract.codes import header_key


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


# The columns of the CSV of expected OPDs (`--daftar-opd`), which also tell such a file from a report.
DAFTAR_OPD_COLUMNS = ("kode_pemda", "tahun", "kode_skpd", "nama_skpd")
