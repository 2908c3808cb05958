"""How files are written: the template's columns, the kinds of real-world mess a layout can carry (spec
`submission-format.md`, section 6, and the CSV exports and free text beside it), the layouts of the bundled
sample, and file names as OPDs send them."""

from __future__ import annotations

from dataclasses import replace

from rekap.contract.calendar import ROMAWI
from sample.catalogue import Opd
from sample.model import Layout, Pemda

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
SNAKE_LABELS = {
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

AMOUNT_KEYS = ("pagu", "pagu_murni", "real_tw", "real_kum")

# Each kind of mess, and the Layout fields that write it.
MESS: dict[str, tuple[str, ...]] = {
    "title_rows": ("title",),
    "blank_rows": ("blank_rows",),
    "column_numbers": ("column_numbers",),
    "merged_header": ("merged_header",),
    "total_row": ("total_label",),
    "signature": ("signature",),
    "header_labels": ("labels",),  # synonyms, case, extra spaces, line breaks, '(Rp)' or not
    "codes_as_typed": ("messy_codes",),  # stray spaces, a trailing dot
    "numbers_as_text": ("amounts", "numbers_as_text", "volume_with_unit"),
    "formulas": ("formulas",),
    "hidden_column": ("hidden_column",),
    "sheet_name": ("sheet_name",),
    "columns_left_out": ("columns",),  # optional columns missing, one of the two realisasi columns
    "free_text": ("strategi_style", "sumber_style"),  # strategi and sumber dana as words
    "identitas_as_typed": ("triwulan_style", "tanggal_style", "identitas_upper", "kode_skpd_padded"),
    "csv": ("fmt", "csv_delimiter", "csv_bom", "csv_snake_headers"),
}


def keep_mess(layout: Layout, kinds: frozenset[str]) -> Layout:
    """The layout with only these kinds of mess: every other kind back to the template."""
    template = Layout()
    dropped = {
        name: getattr(template, name) for kind, names in MESS.items() if kind not in kinds for name in names
    }
    return replace(layout, **dropped) if dropped else layout


def mess_of(layout: Layout) -> frozenset[str]:
    """The kinds of mess a layout carries."""
    template = Layout()
    return frozenset(
        kind for kind, names in MESS.items() if any(getattr(layout, n) != getattr(template, n) for n in names)
    )


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

# The bundled sample's layouts: (OPD key, triwulan) -> layout; absent = the clean template. Each kind of
# mess appears at least once. The benchmark draws its messy files from these too (CSV_LAYOUTS, XLSX_LAYOUTS).
LEBAK_LAYOUTS: dict[tuple[str, int], Layout] = {
    ("dindikbud", 2): Layout(messy_codes=True, triwulan_style="tw", amounts=("dots",)),
    ("dindikbud", 3): Layout(columns=_without("real_tw", "pagu_murni"), tanggal_style="words"),
    ("dinkes", 1): Layout(labels=_SYNONYM_LABELS, sumber_style="sipd"),
    ("dinkes", 2): Layout(sumber_style="sipd", tanggal_style="slash"),
    ("dinkes", 3): Layout(
        sumber_style="sipd",
        triwulan_style="triwulan",
        labels=(("pagu", "Pagu Perubahan"), ("pagu_murni", "Pagu APBD Murni")),
    ),
    ("pupr", 1): Layout(title=True, amounts=("dots",)),
    ("pupr", 2): Layout(column_numbers=True, amounts=("rp", "rp_dash")),
    ("pupr", 3): Layout(formulas=True, total_label="TOTAL", triwulan_style="romawi"),
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
    ("dpmd", 2): Layout(identitas_upper=True, kode_skpd_padded=True),
    ("dpmd", 3): Layout(sheet_name="REALISASI TW {romawi}", title=True),
    ("diskop", 2): Layout(blank_rows=True, columns=_without("pagu_murni")),
    ("distan", 1): Layout(strategi_style="number"),
    ("distan", 3): Layout(sumber_style="sipd", triwulan_style="tw"),
    ("disperindag", 1): Layout(amounts=("rp_dash",)),
    ("dispar", 2): Layout(labels=_LINE_BREAK_LABELS, tanggal_style="slash"),
    **{("disdukcapil", q): _CSV_DISDUKCAPIL for q in ROMAWI},
    **{("diskan", q): _CSV_DISKAN for q in ROMAWI},
    **{("diskominfo", q): _CSV_DISKOMINFO for q in ROMAWI},
}

CSV_LAYOUTS = tuple(dict.fromkeys(v for v in LEBAK_LAYOUTS.values() if v.fmt == "csv"))
XLSX_LAYOUTS = tuple(dict.fromkeys(v for v in LEBAK_LAYOUTS.values() if v.fmt == "xlsx"))

# File names as OPDs really send them; 'template' is the name the template suggests.
NAME_STYLES = {
    "template": "{kode_pemda}_{tahun}_TW{q}_{kode_skpd}_{slug}.{ext}",
    "template_singkatan": "{kode_pemda}_{tahun}_TW{q}_{kode_skpd}_{SINGKATAN}.{ext}",
    "laporan": "Laporan KE {singkatan} TW {romawi}.{ext}",
    "lap": "Lap Realisasi KE {singkatan} TW{q}.{ext}",
    "upper": "LAPORAN KE {SINGKATAN} TRIWULAN {romawi}.{ext}",
    "snake": "realisasi_ke_{key}_triwulan{q}.{ext}",
    "snake_tw": "realisasi_ke_{key}_tw{q}.{ext}",
    "underscored": "{SINGKATAN}_Laporan_KE_TW{q}_{tahun}.{ext}",
    "ke_first": "KE_{singkatan}_TW{q}_{tahun}.{ext}",
    "no_quarter": "Realisasi KE {singkatan}.{ext}",
}


def file_name(style: str, pemda: Pemda, tahun: int, opd: Opd, q: int, ext: str) -> str:
    """The name of one OPD's file for quarter q in one of the NAME_STYLES."""
    return NAME_STYLES[style].format(
        kode_pemda=pemda.kode, tahun=tahun, q=q, romawi=ROMAWI[q], kode_skpd=opd.kode, key=opd.key,
        slug="-".join(opd.nama.replace(",", "").split()), singkatan=opd.singkatan,
        SINGKATAN=opd.singkatan.upper(), ext=ext,
    )  # fmt: skip
