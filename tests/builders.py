"""Write real submission files (xlsx template, csv) for tests."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import xlsxwriter

HEADER = [
    "No", "Kode Sub Kegiatan", "Nama Sub Kegiatan", "Strategi", "Sumber Dana", "Pagu (Rp)",
    "Realisasi Triwulan Ini (Rp)", "Realisasi s.d. Triwulan Ini (Rp)", "Lokasi",
]  # fmt: skip
DINSOS = "1.06.0.00.0.00.01.0000"


def identity(triwulan: object = 1, skpd: str = DINSOS, revisi: object = 0, **extra: object) -> dict:
    """Identity of a Lebak 2024 submission, overridable field by field."""
    values = {
        "Kode Pemda": "36.02", "Nama Pemda": "Kabupaten Lebak", "Tahun Anggaran": 2024,
        "Triwulan": triwulan, "Kode SKPD": skpd, "Nama SKPD": "Dinas Sosial", "Revisi": revisi,
    }  # fmt: skip
    values.update(extra)
    return {k: v for k, v in values.items() if v is not None}


def add_identity_sheet(workbook: xlsxwriter.Workbook, ident: dict) -> None:
    """The Identitas sheet (label in A, value in B) of a workbook built with xlsxwriter."""
    sheet = workbook.add_worksheet("Identitas")
    for r, (label, value) in enumerate(ident.items()):
        sheet.write_string(r, 0, label)
        sheet.write(r, 1, value)


def write_xlsx(
    path: Path,
    ident: dict,
    rows: list[list],
    header: list[str] | None = None,
    above: list[list] = (),
    below: list[list] = (),
    sheet: str = "Realisasi",
) -> Path:
    """A template-like workbook: Identitas sheet, then the data sheet with optional rows above the
    header (titles, blank) and below the data (total, signature)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Identitas"
    for label, value in ident.items():
        ws.append([label, value])
    data = wb.create_sheet(sheet)
    for row in above:
        data.append(row)
    data.append(header or HEADER)
    for i, row in enumerate(rows, start=1):
        data.append([i, *row])
    for row in below:
        data.append(row)
    wb.save(path)
    return path


def row(
    kode: str = "1.06.04.2.01.0001",
    pagu: object = 1_000_000,
    tw: object = 100_000,
    kum: object = 100_000,
    strategi: str = "PBP",
    dana: str = "DAU",
    lokasi: str = "36.02.01",
    nama: str = "Bantuan sosial",
) -> list:
    """One data row in HEADER order (without No)."""
    return [kode, nama, strategi, dana, pagu, tw, kum, lokasi]
