"""A file may bring down the process that reads it (a crash, a hang, a memory blow-up): the quarter still
gets its warehouse, its report and its letters; that file is rejected with rule F14 and what happened,
within the bounds of `Limits`; and, since those bounds are the operator's settings, the next run reads
it again."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from rekap.settings import SAMPLE_DIR
from rekap.warehouse.store import connect
from tests.measure import peak_memory_of_descendants

DINKES = "Laporan KE Dinkes TW I.xlsx"


def tables(warehouse: Path) -> dict[str, list[tuple]]:
    """The warehouse's data, without the columns that name a run or a time."""
    con = connect(warehouse, read_only=True)
    try:
        return {
            name: con.execute(f"SELECT {cols} FROM core.{name} ORDER BY ALL").fetchall()
            for name, cols in {
                "submission": "file_hash, nama_berkas, kode_skpd, triwulan, status, jumlah_error",
                "validation_issue": "file_hash, aturan, baris, kolom",
                "realisasi": "file_hash, kode_sub_kegiatan, sumber_dana, pagu, realisasi_kumulatif",
            }.items()
        }
    finally:
        con.close()


@pytest.fixture
def quarter(prefect_api, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Run TW I of the sample with a fault injected in the reader of the Dinkes file."""
    from flows.triwulan import rekap_triwulan

    source = tmp_path / "berkas"
    shutil.copytree(SAMPLE_DIR / "tw1", source)
    monkeypatch.setenv("REKAP_MAX_SECONDS_PER_FILE", "3")
    monkeypatch.setenv("REKAP_MAX_MEMORY_PER_FILE", str(300 * 2**20))

    def run(fault: str | None, name: str = "gudang"):
        if fault:
            monkeypatch.setenv("REKAP_UJI_MATI_DI", fault)
        else:
            monkeypatch.delenv("REKAP_UJI_MATI_DI", raising=False)
        began = time.monotonic()
        summary = rekap_triwulan(
            source=str(source), tahun=2024, triwulan=1, pemda="36.02",
            daftar_opd=str(SAMPLE_DIR / "daftar_opd.csv"),
            warehouse=str(tmp_path / f"{name}.duckdb"), out=str(tmp_path / name),
        )  # fmt: skip
        return summary, time.monotonic() - began

    return run, tmp_path


@pytest.mark.parametrize(
    ("fault", "why"),
    [
        ("baca:Dinkes", "proses pembaca mati (SIGKILL"),
        ("lambat@baca:Dinkes", "tidak selesai dalam batas waktu (3 detik)"),
        ("memori@baca:Dinkes", "melebihi batas memori (300 MiB"),
    ],
)
def test_a_reader_that_dies_hangs_or_blows_up_rejects_only_its_file(quarter, fault: str, why: str) -> None:
    run, root = quarter
    with peak_memory_of_descendants() as peak:
        summary, seconds = run(fault)
    assert (summary.accepted, summary.rejected) == (17, 1)
    con = connect(root / "gudang.duckdb", read_only=True)
    try:
        ((aturan, pesan),) = con.execute(
            "SELECT i.aturan, i.pesan FROM core.validation_issue i JOIN core.submission s USING (file_hash) "
            "WHERE s.nama_berkas = ?",
            [DINKES],
        ).fetchall()
    finally:
        con.close()
    assert aturan == "F14" and why in pesan
    for suffix in ("xlsx", "html", "pdf"):
        assert (root / "gudang" / f"laporan-ke_36.02_2024_tw1.{suffix}").stat().st_size > 0
    steward = (root / "gudang" / "surat" / "ringkasan-tindak-lanjut_36.02_2024_tw1.html").read_text("utf-8")
    assert DINKES in steward and "Berkas tidak selesai dibaca" in steward
    assert seconds < 60  # the hang is cut at its deadline, not waited out
    # Every process stayed small: the reader that blew up was stopped 300 MiB above what it held.
    assert 0 < peak[0] < 2**30


def test_a_file_rejected_by_a_bound_is_read_again_by_the_next_run(quarter) -> None:
    """F14 depends on the run's settings: once the cause is gone (here, the injected fault; in life, a
    bound the operator raised), the next run reads the file again, and the warehouse is the one a clean
    run makes."""
    run, root = quarter
    run("baca:Dinkes")
    summary, _ = run(None)
    assert (summary.files_new, summary.accepted, summary.rejected) == (1, 1, 0)
    run(None, name="bersih")
    assert tables(root / "gudang.duckdb") == tables(root / "bersih.duckdb")
