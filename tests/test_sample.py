"""The bundled sample (`python -m sample`): deterministic, consistent, and as messy as the spec promises."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from rekap.contract.codes import STRATEGI
from rekap.settings import SAMPLE_DIR
from sample import (
    SUMBER_DANA_TEKS,
    Layout,
    Recipe,
    Sample,
    SampleFile,
    accepted_rows,
    build,
    write_correction,
    write_household_counts,
    write_sample,
)

KODE_SKPD = re.compile(r"^\d\.\d{2}\.\d\.\d{2}\.\d\.\d{2}\.\d{2}\.\d{4}$")
KODE_SUB_KEGIATAN = re.compile(r"^\d\.\d{2}\.\d{2}\.\d\.\d{2}\.\d{4}$")
# A sub kegiatan code as typed in a cell, stray spaces and trailing dot allowed.
KODE_IN_CELL = re.compile(r"^\s*\d\.\d{2}\.\d{2}\.\d\.\d{2}\.\d{4}\.?\s*$")
LOKASI = re.compile(r"^36\.02\.(0[1-9]|1\d|2[0-8])(\.2\d{3})?$")
QUARTER_IN_NAME = re.compile(r"(?:TW|triwulan)\s*(IV|III|II|I|[1-4])(?![A-Za-z0-9])", re.IGNORECASE)
ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}

TW_LABELS = {"realisasi triwulan ini", "realisasi tw", "realisasi triwulan"}
KUM_LABELS = {"realisasi s.d. triwulan ini", "realisasi kumulatif", "realisasi s/d tw"}
CODE_LABELS = {"kode sub kegiatan", "kode sub giat", "kode"}


@pytest.fixture(scope="module")
def sample() -> Sample:
    return build(Recipe())


@pytest.fixture(scope="module")
def written(sample: Sample, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("lebak-2024")
    write_sample(sample, out)
    return out


@pytest.fixture(scope="module")
def workbooks(written: Path) -> dict[str, openpyxl.Workbook]:
    """Every written workbook, formulas as written (not cached values), keyed by relpath."""
    return {
        p.relative_to(written).as_posix(): openpyxl.load_workbook(p) for p in sorted(written.rglob("*.xlsx"))
    }


@pytest.fixture(scope="module")
def csv_files(written: Path) -> dict[str, bytes]:
    return {p.relative_to(written).as_posix(): p.read_bytes() for p in sorted(written.glob("tw*/*.csv"))}


@pytest.fixture(scope="module")
def data_cells_list(workbooks, csv_files) -> list[tuple[str, object]]:
    """Every cell of every data sheet and every CSV field, with the file it comes from."""
    cells = [(relpath, v) for relpath, wb in workbooks.items() for row in sheet_rows(wb) for v in row]
    for relpath, data in csv_files.items():
        cells += [(relpath, v) for record in csv_records(data) for v in record.values()]
    return cells


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def csv_records(data: bytes) -> list[dict[str, str]]:
    """The records of a sample CSV, whichever delimiter and BOM it uses."""
    text = data.decode("utf-8-sig")
    delimiter = ";" if text.splitlines()[0].count(";") > 3 else ","
    return list(csv.DictReader(io.StringIO(text), delimiter=delimiter))


def data_sheet(wb: openpyxl.Workbook):
    return next(ws for ws in wb.worksheets if ws.title != "Identitas")


def sheet_rows(wb: openpyxl.Workbook) -> list[tuple]:
    return list(data_sheet(wb).iter_rows(values_only=True))


def norm(label: object) -> str:
    """A header label as a tolerant reader compares it: lower case, one space, no '(Rp)'."""
    text = " ".join(str(label).lower().split())
    return text.replace("(rp)", "").strip()


def header_labels(wb: openpyxl.Workbook) -> set[str]:
    for row in sheet_rows(wb):
        labels = {norm(v) for v in row if isinstance(v, str)}
        if labels & CODE_LABELS:
            return labels
    return set()


def identitas(wb: openpyxl.Workbook) -> dict[str, object]:
    return {norm(a): b for a, b, *_ in wb["Identitas"].iter_rows(values_only=True) if a}


def file_by_status(sample: Sample, status: str) -> list[SampleFile]:
    return [f for f in sample.files if f.expected_status == status]


# --- determinism and the committed folder ---------------------------------------------------


def test_build_is_deterministic_and_seeded():
    assert build(Recipe()) == build(Recipe())
    assert build(Recipe(seed=7)) != build(Recipe())


def test_two_writes_are_byte_identical(sample: Sample, written: Path, tmp_path: Path):
    write_sample(sample, tmp_path)
    assert tree(tmp_path) == tree(written)


def test_committed_sample_equals_a_fresh_write(written: Path):
    committed, fresh = tree(SAMPLE_DIR), tree(written)
    assert sorted(committed) == sorted(fresh), "regenerate with: python -m sample"
    changed = [name for name in fresh if committed[name] != fresh[name]]
    assert changed == [], "regenerate with: python -m sample"


def test_committed_correction_equals_a_fresh_write(sample: Sample, tmp_path: Path):
    """The corrected Disperindag file of docs/panduan.md, beside the sample: Revisi 1, the defective row's
    pagu raised above its realisasi, everything else as in the rejected file."""
    fresh = write_correction(sample, tmp_path)
    committed = SAMPLE_DIR.parent / "perbaikan"
    assert tree(committed) == tree(tmp_path), "regenerate with: python -m sample"
    correction, (rejected,) = sample.correction, [f for f in sample.files if f.defect]
    assert correction is not None
    assert (correction.revisi, correction.kode_skpd, correction.triwulan) == (1, rejected.kode_skpd, 3)
    changed = [(a, b) for a, b in zip(rejected.rows, correction.rows, strict=True) if a != b]
    assert len(changed) == 1 and changed[0][1].pagu >= changed[0][1].realisasi_kumulatif > changed[0][0].pagu
    assert fresh.name.endswith("revisi 1.xlsx")


def test_committed_household_counts_equal_a_fresh_write(sample: Sample, tmp_path: Path):
    """The counts of the guide's `rekap sasaran` example: one row per desa of the pemda, counts only."""
    fresh = write_household_counts(sample, tmp_path)
    committed = SAMPLE_DIR.parent / "sasaran" / fresh.name
    assert tree(committed.parent) == tree(tmp_path), "regenerate with: python -m sample"
    rows = list(csv.reader(io.StringIO(committed.read_text(encoding="utf-8"))))
    assert rows[0] == ["Kode Desa", "Nama Desa/Kelurahan", "Jumlah KK Miskin Ekstrem"]
    assert len(rows) > 300 and all(r[0].startswith("36.02.") and r[2].isdigit() for r in rows[1:])


def test_every_sample_file_is_written(sample: Sample, written: Path):
    assert set(tree(written)) == {f.relpath for f in sample.files} | {"daftar_opd.csv"}


# --- the OPDs and the quarter's events ---------------------------------------------------------


def test_eighteen_expected_opds_in_daftar(sample: Sample, written: Path):
    assert len(sample.opd) == 18
    assert len({opd.kode for opd in sample.opd}) == 18
    assert all(KODE_SKPD.match(opd.kode) for opd in sample.opd)
    with (written / "daftar_opd.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["kode_skpd"], r["nama_skpd"]) for r in rows] == [(opd.kode, opd.nama) for opd in sample.opd]
    assert {(r["kode_pemda"], r["tahun"]) for r in rows} == {("36.02", "2024")}


def test_every_opd_has_tw1_and_tw2(sample: Sample):
    expected = {opd.kode for opd in sample.opd}
    assert set(accepted_rows(sample, 1)) == expected
    assert set(accepted_rows(sample, 2)) == expected


def test_exactly_one_opd_never_sends_tw3(sample: Sample):
    sent = {f.kode_skpd for f in sample.files if f.triwulan == 3}
    assert len({opd.kode for opd in sample.opd} - sent) == 1
    # One missing and one rejected: 16 OPDs count for TW III.
    assert len(accepted_rows(sample, 3)) == 16


def test_one_rejected_tw3_file_with_a_stated_defect(sample: Sample):
    (rejected,) = file_by_status(sample, "ditolak")
    assert rejected.triwulan == 3 and rejected.defect
    assert rejected.kode_skpd not in accepted_rows(sample, 3)
    assert all(f.defect == "" for f in sample.files if f is not rejected)


def test_tw2_revision_supersedes_revisi_0(sample: Sample):
    (old,) = file_by_status(sample, "digantikan")
    (new,) = [
        f for f in file_by_status(sample, "diterima") if (f.kode_skpd, f.triwulan) == (old.kode_skpd, 2)
    ]
    assert (old.triwulan, old.revisi, new.revisi) == (2, 0, 1)
    assert old.rows != new.rows
    assert accepted_rows(sample, 2)[new.kode_skpd] == new.rows


def test_late_tw2_file_sits_in_tw3_folder(sample: Sample):
    late = [f for f in sample.files if f.triwulan == 2 and f.relpath.startswith("tw3/")]
    assert len(late) == 1 and late[0].expected_status == "diterima"


def test_duplicate_tw1_has_the_same_bytes_as_its_original(sample: Sample, written: Path):
    (dup,) = file_by_status(sample, "duplikat")
    data = {f.relpath: (written / f.relpath).read_bytes() for f in sample.files}
    originals = [f for f in sample.files if f is not dup and data[f.relpath] == data[dup.relpath]]
    assert dup.triwulan == 1 and len(originals) == 1
    assert originals[0].expected_status == "diterima" and originals[0].relpath < dup.relpath


def test_quarter_in_file_name_agrees_with_the_file(sample: Sample):
    unnamed = 0
    for f in sample.files:
        found = QUARTER_IN_NAME.search(Path(f.relpath).name)
        if found is None:
            unnamed += 1
            continue
        q = found.group(1).upper()
        assert int(ROMAN.get(q, q)) == f.triwulan, f.relpath
    assert unnamed >= 1  # some OPDs do not name the quarter at all


# --- the truth is consistent ------------------------------------------------------------------


def test_cumulative_is_previous_cumulative_plus_quarter(sample: Sample):
    previous: dict[tuple[str, str, str], Decimal] = {}
    for q in (1, 2, 3):
        current = {}
        for kode_skpd, rows in accepted_rows(sample, q).items():
            for r in rows:
                key = (kode_skpd, r.kode_sub_kegiatan, r.sumber_dana)
                before = previous.get(key, Decimal(0))
                assert r.realisasi_kumulatif == before + r.realisasi_triwulan, (q, key)
                current[key] = r.realisasi_kumulatif
        previous |= current


def test_realisasi_within_pagu_except_in_the_defective_file(sample: Sample):
    for f in sample.files:
        over = [r for r in f.rows if r.realisasi_kumulatif > r.pagu]
        assert len(over) == (1 if f.expected_status == "ditolak" else 0), f.relpath
        for r in f.rows:
            assert Decimal(0) <= r.realisasi_triwulan <= r.pagu
            assert r.realisasi_triwulan <= r.realisasi_kumulatif
            assert r.realisasi_volume <= r.target_volume


def test_amounts_are_exact_rupiah_with_at_most_two_decimals(sample: Sample):
    amounts = [
        a for f in sample.files for r in f.rows for a in (r.pagu, r.realisasi_triwulan, r.realisasi_kumulatif)
    ]
    assert all(isinstance(a, Decimal) and a == a.quantize(Decimal("0.01")) for a in amounts)
    assert any(a != a.to_integral_value() for a in amounts)  # some amounts carry sen


def test_rows_are_well_formed(sample: Sample):
    for f in sample.files:
        assert 3 <= len(f.rows) <= 15, f.relpath
        assert len({(r.kode_sub_kegiatan, r.sumber_dana) for r in f.rows}) == len(f.rows)
        segments = f.kode_skpd.split(".")
        bidang = {f"{segments[i]}.{segments[i + 1]}" for i in (0, 2, 4)} - {"0.00"}
        for r in f.rows:
            assert KODE_SUB_KEGIATAN.match(r.kode_sub_kegiatan)
            assert r.kode_sub_kegiatan[:4] in bidang, (f.kode_skpd, r.kode_sub_kegiatan)
            assert r.strategi in STRATEGI
            assert r.sumber_dana in SUMBER_DANA_TEKS
            assert r.lokasi == "SEMUA" or all(LOKASI.match(code) for code in r.lokasi.split(";"))


def test_total_pagu_and_absorption_are_realistic(sample: Sample):
    serapan = {}
    for q in (1, 2, 3):
        rows = [r for rows in accepted_rows(sample, q).values() for r in rows]
        serapan[q] = sum(r.realisasi_kumulatif for r in rows) / sum(r.pagu for r in rows)
    tw1_pagu = sum(r.pagu for rows in accepted_rows(sample, 1).values() for r in rows)
    assert Decimal("500.5e9") < tw1_pagu < Decimal("501.5e9")
    assert Decimal("0.08") < serapan[1] < Decimal("0.15")
    assert Decimal("0.30") < serapan[2] < Decimal("0.45")
    assert Decimal("0.55") < serapan[3] < Decimal("0.70")


def test_apbd_perubahan_changes_some_pagu_in_tw3(sample: Sample):
    changed = [
        r for f in sample.files if f.triwulan == 3 for r in f.rows if r.pagu_murni not in (None, r.pagu)
    ]
    assert 2 <= len(changed) <= 6
    for f in sample.files:
        if f.triwulan < 3:
            assert all(r.pagu_murni in (None, r.pagu) for r in f.rows)


# --- the written files match the truth --------------------------------------------------------


def test_written_files_carry_identity_and_every_row(sample: Sample, workbooks, csv_files):
    for f in sample.files:
        if f.relpath in workbooks:
            wb = workbooks[f.relpath]
            ident = identitas(wb)
            assert str(ident["kode skpd"]).strip() == f.kode_skpd
            assert ident["kode pemda"] == "36.02"
            assert ("revisi" in ident) == (f.revisi is not None)
            codes = [v for row in sheet_rows(wb) for v in row if isinstance(v, str) and KODE_IN_CELL.match(v)]
        else:
            records = csv_records(csv_files[f.relpath])
            identity = {(r["kode_pemda"], r["kode_skpd"], r["triwulan"]) for r in records}
            assert identity == {("36.02", f.kode_skpd, str(f.triwulan))}
            codes = [r["kode_pemda"] for r in records]
        assert len(codes) == len(f.rows), f.relpath


def test_template_files_hold_the_true_values(sample: Sample, workbooks):
    template = [f for f in sample.files if f.layout == Layout() and f.expected_status != "duplikat"]
    assert len(template) >= 10
    for f in template:
        header, *rows = sheet_rows(workbooks[f.relpath])
        col = {label: i for i, label in enumerate(header)}
        for cells, truth in zip(rows, f.rows, strict=True):
            assert cells[col["Kode Sub Kegiatan"]] == truth.kode_sub_kegiatan
            assert cells[col["Sumber Dana"]] == truth.sumber_dana
            assert Decimal(str(cells[col["Pagu (Rp)"]])) == truth.pagu
            assert Decimal(str(cells[col["Realisasi Triwulan Ini (Rp)"]])) == truth.realisasi_triwulan
            assert Decimal(str(cells[col["Realisasi s.d. Triwulan Ini (Rp)"]])) == truth.realisasi_kumulatif


# --- every kind of real-world mess appears in at least one file --------------------------------


def test_mess_title_rows_and_blank_rows(workbooks):
    titled = [p for p, wb in workbooks.items() if str(sheet_rows(wb)[0][0]).startswith("LAPORAN REALISASI")]
    assert titled
    blank_inside = []
    for relpath, wb in workbooks.items():
        filled = [any(v is not None for v in row) for row in sheet_rows(wb)]
        first, last = filled.index(True), len(filled) - filled[::-1].index(True)
        if not all(filled[first:last]):
            blank_inside.append(relpath)
    assert blank_inside


def test_mess_column_numbers_under_header(workbooks):
    def numbered(row: tuple) -> bool:
        values = [v for v in row if v is not None]
        return len(values) >= 10 and values == list(range(1, len(values) + 1))

    assert any(numbered(row) for wb in workbooks.values() for row in sheet_rows(wb))


def test_mess_two_row_merged_header(workbooks):
    found = False
    for wb in workbooks.values():
        ws = data_sheet(wb)
        for rng in ws.merged_cells.ranges:
            top = ws.cell(rng.min_row, rng.min_col).value
            if top == "Realisasi (Rp)" and rng.size == {"rows": 1, "columns": 2}:
                below = [ws.cell(rng.min_row + 1, c).value for c in (rng.min_col, rng.max_col)]
                found = found or below == ["Triwulan Ini", "s.d. Triwulan Ini"]
    assert found


def test_mess_total_row_and_signature(workbooks):
    firsts = {
        str(next(v for v in row if v is not None)).strip()
        for wb in workbooks.values()
        for row in sheet_rows(wb)
        if any(v is not None for v in row)
    }
    assert {"JUMLAH", "TOTAL"} <= firsts
    assert any(v.startswith("Lebak, ") for v in firsts)
    assert any(v.startswith("NIP. ") for v in firsts)


def test_mess_header_synonyms_case_spaces_line_breaks(workbooks):
    raw = {v for wb in workbooks.values() for row in sheet_rows(wb)[:8] for v in row if isinstance(v, str)}
    assert any("\n" in v for v in raw)
    assert any("  " in v.strip() or v != v.strip() for v in raw)
    assert {"KODE SUB GIAT", "Uraian", "Pagu Anggaran", "Realisasi s/d TW", "Pagu Perubahan"} <= raw
    assert any(norm(v) in TW_LABELS and "(rp)" not in v.lower() for v in raw)


def test_mess_codes_with_spaces_or_trailing_dot(data_cells_list):
    codes = [v for _, v in data_cells_list if isinstance(v, str) and KODE_IN_CELL.match(v)]
    assert any(v != v.strip() for v in codes)
    assert any(v.strip().endswith(".") for v in codes)


def test_mess_amounts_and_numbers_as_text(data_cells_list):
    texts = [v for _, v in data_cells_list if isinstance(v, str)]
    assert any(re.fullmatch(r"\d{1,3}(\.\d{3}){2,}", v) for v in texts)  # 1.250.000.000
    assert any(re.fullmatch(r"Rp \d{1,3}(\.\d{3})+", v) for v in texts)  # Rp 1.250.000
    assert any(re.fullmatch(r"Rp\d{1,3}(\.\d{3})+,-", v) for v in texts)  # Rp1.250.000,-
    assert any(re.fullmatch(r"\d{4,}", v) for v in texts)  # a number stored as text
    assert any(re.fullmatch(r"\d+ \w+/bulan", v) for v in texts)  # target volume with its unit


def test_mess_formula_with_cached_value(workbooks, written: Path):
    with_formula = [
        (p, cell.coordinate)
        for p, wb in workbooks.items()
        for row in data_sheet(wb).iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith("=")
    ]
    assert with_formula
    relpath, coordinate = with_formula[0]
    cached = data_sheet(openpyxl.load_workbook(written / relpath, data_only=True))[coordinate].value
    assert isinstance(cached, (int, float)) and cached > 0


def test_mess_data_sheet_named_differently(workbooks):
    assert any(wb.sheetnames == ["Identitas", "REALISASI TW III"] for wb in workbooks.values())


def test_mess_hidden_column(workbooks):
    assert any(dim.hidden for wb in workbooks.values() for dim in data_sheet(wb).column_dimensions.values())


def test_mess_only_one_realisasi_column(workbooks):
    labels = [header_labels(wb) for wb in workbooks.values()]
    assert any(ls & TW_LABELS and not ls & KUM_LABELS for ls in labels)  # quarterly only
    assert any(ls & KUM_LABELS and not ls & TW_LABELS for ls in labels)  # cumulative only


def test_mess_triwulan_written_as_words(workbooks):
    written_as = {str(identitas(wb)["triwulan"]) for wb in workbooks.values()}
    assert {"TW II", "Triwulan 3", "III"} <= written_as


def test_mess_strategi_and_sumber_dana_as_free_text(data_cells_list):
    values = {v for _, v in data_cells_list if isinstance(v, str)}
    assert "Dana Transfer Umum-Dana Alokasi Umum" in values
    assert "PENDAPATAN ASLI DAERAH (PAD)" in values or "DAK Fisik" in values
    assert set(STRATEGI.values()) & values


def test_mess_csv_variants(sample: Sample, csv_files):
    assert 2 <= len({f.kode_skpd for f in sample.files if f.relpath in csv_files}) <= 3
    assert any(data.startswith(b"\xef\xbb\xbf") for data in csv_files.values())
    assert any(
        data.decode("utf-8-sig").splitlines()[0].startswith("kode_pemda;") for data in csv_files.values()
    )
    amount = re.compile(r"\d{1,3}(\.\d{3})+,\d{2}")
    assert all(amount.search(data.decode("utf-8-sig")) for data in csv_files.values())
