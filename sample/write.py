"""Writing a generated sample: each file's bytes (xlsx or csv), the daftar OPD, the correction and the
household counts. The same sample gives the same bytes on every run."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from sample.catalogue import Opd
from sample.cells import amount_text, header_labels, typed_values, volume_text
from sample.mess import AMOUNT_KEYS, TEMPLATE_COLUMNS
from sample.model import Pemda, Sample, SampleFile
from sample.xlsx import xlsx_bytes

_CSV_IDENTITY = ("kode_pemda", "nama_pemda", "tahun", "triwulan", "kode_skpd", "nama_skpd", "revisi")


def file_bytes(sample: Sample, f: SampleFile) -> bytes:
    """The bytes of one file of the sample (or of its correction)."""
    if f.layout.fmt == "csv":
        return _csv_bytes(f, sample.pemda, sample.tahun)
    opd = next(o for o in sample.opd if o.kode == f.kode_skpd)
    return xlsx_bytes(f, sample.pemda, sample.tahun, opd)


def _csv_bytes(f: SampleFile, pemda: Pemda, tahun: int) -> bytes:
    """A CSV export: identity fields as columns on every row, amounts as Indonesian text."""
    layout = f.layout
    columns = tuple(c for c in (layout.columns or TEMPLATE_COLUMNS) if c != "no")
    out = io.StringIO()
    writer = csv.writer(out, delimiter=layout.csv_delimiter, lineterminator="\r\n")
    writer.writerow([*_CSV_IDENTITY, *header_labels(layout, columns)])
    revisi = "" if f.revisi is None else f.revisi
    identity = [pemda.kode, pemda.nama, tahun, f.triwulan, f.kode_skpd, f.nama_skpd, revisi]
    for i, row in enumerate(f.rows):
        values = typed_values(row, i, layout)
        cells = []
        for key in columns:
            value = values[key]
            if key in AMOUNT_KEYS:
                assert isinstance(value, Decimal)
                style = layout.amounts[i % len(layout.amounts)]
                # A CSV holds only text: a plain number is written the way the export writes amounts.
                cells.append(amount_text(value, "id_decimal" if style == "number" else style))
            elif isinstance(value, Decimal):
                cells.append(volume_text(value))
            else:
                cells.append(value)
        writer.writerow([*identity, *cells])
    text = out.getvalue()
    return (("\ufeff" + text) if layout.csv_bom else text).encode("utf-8")


def write_submissions(sample: Sample, out_dir: Path) -> None:
    """Write every file of the sample under out_dir, at its relpath; files already there are left alone."""
    written: dict[str, bytes] = {}
    for f in sample.files:
        data = written[f.layout.same_bytes_as] if f.layout.same_bytes_as else file_bytes(sample, f)
        written[f.relpath] = data
        path = out_dir / f.relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def daftar_opd_csv(pemda: Iterable[Pemda], opd: Iterable[Opd], tahun: int) -> bytes:
    """The daftar OPD: every OPD expected from every pemda."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["kode_pemda", "tahun", "kode_skpd", "nama_skpd"])
    expected = tuple(opd)
    for p in pemda:
        writer.writerows([p.kode, tahun, o.kode, o.nama] for o in expected)
    return out.getvalue().encode("utf-8")


def write_sample(sample: Sample, out_dir: Path) -> None:
    """Write every file of the sample and its daftar_opd.csv under out_dir."""
    write_submissions(sample, out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "daftar_opd.csv").write_bytes(daftar_opd_csv([sample.pemda], sample.opd, sample.tahun))


def write_correction(sample: Sample, out_dir: Path) -> Path:
    """Write the sample's correction (its rejected file as sent back) into out_dir; its path."""
    if sample.correction is None:
        raise ValueError(
            "the sample has no correction: its recipe has no 'rejected' or no 'correction' event"
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / sample.correction.relpath
    path.write_bytes(file_bytes(sample, sample.correction))
    return path


def household_counts_csv(sample: Sample) -> bytes:
    """The household counts as a steward hands them to `rekap sasaran`: one row per desa."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Kode Desa", "Nama Desa/Kelurahan", "Jumlah KK Miskin Ekstrem"])
    writer.writerows(sample.households)
    return out.getvalue().encode("utf-8")


def write_household_counts(sample: Sample, out_dir: Path) -> Path:
    """Write the household counts into out_dir as `sasaran-kk_<pemda>_<tahun>.csv`; its path."""
    if not sample.households:
        raise ValueError("the sample has no household counts: its recipe has no 'household_counts' event")
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"sasaran-kk_{sample.pemda.kode}_{sample.tahun}.csv"
    path.write_bytes(household_counts_csv(sample))
    return path
