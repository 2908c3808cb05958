"""What an OPD types in each cell: amounts as text in the usual styles, codes and free text as typed, the
Identitas fields; shared by the xlsx and the csv writer."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from rekap.contract.calendar import ROMAWI, tanggal_panjang
from rekap.contract.codes import STRATEGI
from rekap.contract.format import format_angka
from sample.catalogue import STRATEGI_NOMOR, SUMBER_DANA_TEKS, Opd
from sample.mess import SNAKE_LABELS, TEMPLATE_LABELS
from sample.model import Layout, Pemda, SampleFile, SampleRow


def amount_text(value: Decimal, style: str) -> str:
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


def _grouped(value: Decimal) -> tuple[str, str]:
    """Indonesian digit groups of the whole rupiah, and the two sen digits."""
    whole = int(value)
    sen = int((value - whole) * 100)
    return format_angka(whole), f"{sen:02d}"


def plain(value: Decimal) -> str:
    """A number as a formula or a program writes it: '1250000', '1250000.5'."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def volume_text(value: Decimal) -> str:
    """A volume with a decimal comma, as a CSV export writes it."""
    return str(value).replace(".", ",")


def tanggal_text(value: date, style: str) -> str:
    """A date as typed: '2024-10-03', '03/10/2024' or '3 Oktober 2024'."""
    if style == "slash":
        return value.strftime("%d/%m/%Y")
    if style == "words":
        return tanggal_panjang(value)
    return value.isoformat()


def typed_values(row: SampleRow, i: int, layout: Layout) -> dict[str, object]:
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
        "keterangan": "Proses pengadaan/lelang" if row.realisasi_kumulatif == 0 else "",
    }


def _strategi_text(code: str, style: str) -> str:
    if style == "name":
        return STRATEGI[code]
    if style == "number":
        return STRATEGI_NOMOR[code]
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


def header_labels(layout: Layout, columns: tuple[str, ...]) -> list[str]:
    """The header label of each column as the file writes it."""
    if layout.fmt == "csv" and layout.csv_snake_headers:
        return [SNAKE_LABELS[c] for c in columns]
    overrides = dict(layout.labels)
    return [overrides.get(c, TEMPLATE_LABELS[c]) for c in columns]


def identitas(f: SampleFile, pemda: Pemda, tahun: int, opd: Opd) -> list[tuple[str, object]]:
    """Label/value pairs of the Identitas sheet as the OPD filled it in."""
    layout = f.layout
    pairs: list[tuple[str, object]] = [
        ("Kode Pemda", pemda.kode),
        ("Nama Pemda", pemda.nama),
        ("Tahun Anggaran", tahun),
        ("Triwulan", _triwulan_value(f.triwulan, layout.triwulan_style)),
        ("Kode SKPD", f" {f.kode_skpd} " if layout.kode_skpd_padded else f.kode_skpd),
        ("Nama SKPD", f.nama_skpd),
    ]
    if f.revisi is not None:
        pairs.append(("Revisi", f.revisi))
    if f.tanggal_laporan is not None:
        tanggal = f.tanggal_laporan
        pairs.append(
            (
                "Tanggal Laporan",
                tanggal if layout.tanggal_style == "date" else tanggal_text(tanggal, layout.tanggal_style),
            )
        )
    pairs += [("Penanggung Jawab", opd.kepala), ("NIP", opd.nip)]
    if layout.identitas_upper:
        pairs = [(label.upper(), value) for label, value in pairs]
    return pairs


def _triwulan_value(q: int, style: str) -> int | str:
    if style == "tw":
        return f"TW {ROMAWI[q]}"
    if style == "triwulan":
        return f"Triwulan {q}"
    if style == "romawi":
        return ROMAWI[q]
    return q
