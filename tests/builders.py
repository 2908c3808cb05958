"""What tests build their cases from: real submission files (xlsx template, csv), one run of a quarter
with the plain pipeline functions, and the bundled sample with hostile text in one accepted file."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import openpyxl
import xlsxwriter

from rekap.intake.folder import pull_local
from rekap.load.load import load_and_roll_up, new_run_id
from rekap.load.summary import RunSummary
from rekap.runtime.ahead import copy_ahead
from rekap.settings import SAMPLE_DIR, raw_dir_for
from rekap.validation.batch import parse_all, validate_run
from rekap.warehouse.store import seen_hashes

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


def run_quarter(source: Path, warehouse: Path, tahun: int, triwulan: int, daftar: Path | None = None):
    """One run of the quarter with the plain pipeline functions (what the flow's tasks call), the working
    copy made ahead as the flow makes it for a small run."""
    incoming = pull_local(source, warehouse.parent / "mentah", seen_hashes(warehouse))
    with copy_ahead(warehouse) as working_copy:
        parsed = parse_all(incoming)
        checked = validate_run(parsed, incoming, tahun, triwulan, "36.02")
        return load_and_roll_up(checked, warehouse, daftar, new_run_id(), working_copy=working_copy)


HOSTILE_FILE = "tw3/KE_Diskominfo_TW3_2024.csv"
PROVINCE_SOURCE = "tw3/realisasi_ke_diskan_tw3.csv"  # copied as a file of the province (kode 36)
PROVINCE_FILE = "provinsi/36_2024_TW3_Dinas-Sosial-Provinsi-Banten.csv"
TITLE_IF_HACKED = "DIRETAS"


def hostile_texts(port: int) -> dict[str, str]:
    """Text an OPD could type that a spreadsheet or a browser would act on, aimed at a local listener."""
    base = f"http://127.0.0.1:{port}"
    return {
        "formula": f'=HYPERLINK("{base}/xlsx","klik")',
        "script": f"<script>document.title='{TITLE_IF_HACKED}';fetch('{base}/script')</script>",
        "img": f'<img src="{base}/img" onerror="document.title=\'{TITLE_IF_HACKED}\'">',
        "plus": "+SUM(1,2)",
        "at": "@SUM(A1)",
        "minus": f"-1+<link rel=stylesheet href={base}/css>",
    }


def inject(path: Path, texts: dict[str, str]) -> None:
    """Put the hostile texts into the free-text columns of a submitted CSV, keeping it valid."""
    raw = path.read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(raw)))
    assert len(rows) >= 3, "the sample file changed shape"
    rows[0].update(nama_sub_kegiatan=texts["formula"], keterangan=texts["plus"])
    rows[1].update(nama_sub_kegiatan=texts["script"], indikator_keluaran=texts["at"])
    rows[2].update(nama_sub_kegiatan=texts["img"], keterangan=texts["minus"])
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def as_province_file(source: Path, target: Path) -> None:
    """A submission of an OPD of Provinsi Banten (kode 36), made from a Lebak file (its lokasi stay valid),
    whose first row is placed by kab/kota, as a province's OPDs do (`36.02`)."""
    text = source.read_text(encoding="utf-8-sig")
    rows = list(
        csv.DictReader(io.StringIO(text), delimiter=";" if text.count(";") > text.count(",") else ",")
    )
    for row in rows:
        row.update(kode_pemda="36", nama_pemda="Provinsi Banten", kode_skpd="1.06.0.00.0.00.01.0000",
                   nama_skpd="Dinas Sosial Provinsi Banten")  # fmt: skip
    rows[0]["lokasi"] = "36.02"
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def load_hostile_sample(root: Path, port: int) -> tuple[Path, dict[str, str], RunSummary]:
    """The bundled sample with hostile text (aimed at `port`) in one accepted file and a file of the province,
    loaded by one run of TW III for every pemda in the files: (warehouse, the texts, the run's summary)."""
    source = root / "berkas"
    shutil.copytree(SAMPLE_DIR, source)
    texts = hostile_texts(port)
    inject(source / HOSTILE_FILE, texts)
    as_province_file(SAMPLE_DIR / PROVINCE_SOURCE, source / PROVINCE_FILE)
    warehouse, daftar = root / "gudang" / "gudang-ke.duckdb", source / "daftar_opd.csv"
    incoming = pull_local(source, raw_dir_for(warehouse), set(), {daftar.resolve()})
    parsed = parse_all(incoming)
    checked = validate_run(parsed, incoming, 2024, 3, None)  # every pemda in the files
    return warehouse, texts, load_and_roll_up(checked, warehouse, daftar, new_run_id())
