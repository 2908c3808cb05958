"""Every file under the source is accounted for: read (accepted or rejected with its reason), already
recorded, set aside for another quarter, or not a submission, listed with why in the run's summary, the
warehouse and the steward's follow-up list. Nothing is skipped silently."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from rekap.settings import SAMPLE_DIR
from rekap.warehouse import connect

DINSOS_TW1 = "36.02_2024_TW1_1.06.0.00.0.00.01.0000_Dinas-Sosial.xlsx"
DINSOS_TW2 = "36.02_2024_TW2_1.06.0.00.0.00.01.0000_Dinas-Sosial.xlsx"
DINKES_TW1 = "Laporan KE Dinkes TW I.xlsx"


@pytest.fixture(scope="module")
def run(prefect_api, tmp_path_factory: pytest.TempPathFactory):
    """One TW I run over a folder holding a little of everything a shared folder collects."""
    from flows.kuartal import rekap_triwulan

    root = tmp_path_factory.mktemp("sumber")
    src = root / "berkas"
    (src / "tw1").mkdir(parents=True)
    shutil.copy(SAMPLE_DIR / "tw1" / DINSOS_TW1, src / "tw1" / DINSOS_TW1)
    # A real report whose name arrived mangled from a Windows upload: it starts with a dot.
    shutil.copy(SAMPLE_DIR / "tw1" / DINKES_TW1, src / "tw1" / "..\\..\\laporan_tw1.xlsx")
    shutil.copy(SAMPLE_DIR / "tw2" / DINSOS_TW2, src / "tw1" / DINSOS_TW2)  # a later quarter, early
    (src / "tw1" / "~$Laporan KE Dinkes TW I.xlsx").write_bytes(b"\x00" * 165)
    (src / "tw1" / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (src / "tw1" / "foto kegiatan.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 64)
    shutil.copy(SAMPLE_DIR / "daftar_opd.csv", src / "daftar_opd.csv")  # the OPD list, not a report
    (src / ".git").mkdir()
    (src / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    outside = root / "rahasia.txt"
    outside.write_text("bukan untuk dibaca\n")
    os.symlink(outside, src / "tw1" / "tautan.xlsx")
    os.symlink(root, src / "folder-tautan")
    summary = rekap_triwulan(
        source=str(src), tahun=2024, triwulan=1, pemda="36.02",
        warehouse=str(root / "gudang.duckdb"), out=str(root / "laporan"),
    )  # fmt: skip
    return src, root, summary


def test_every_file_is_read_set_aside_or_listed_with_why(run) -> None:
    src, root, summary = run
    reasons = {Path(p).name: why for p, why in summary.passed_over}
    assert reasons == {
        "~$Laporan KE Dinkes TW I.xlsx": (
            "berkas kunci Office (dokumen sedang terbuka di Excel), bukan laporan"
        ),
        ".DS_Store": "berkas sistem operasi, bukan laporan",
        "daftar_opd.csv": "daftar OPD (kolom kode_pemda, tahun, kode_skpd, nama_skpd), bukan laporan",
        ".git": "folder tersembunyi, tidak dibaca",
        "tautan.xlsx": "tautan ke luar folder sumber, tidak dibaca",
        "folder-tautan": "tautan ke luar folder sumber, tidak dibaca",
        DINSOS_TW2: "laporan triwulan 2 tahun 2024: dibaca pada rekap triwulan itu",
    }
    con = connect(root / "gudang.duckdb", read_only=True)
    try:
        loaded = dict(con.execute("SELECT nama_berkas, status FROM core.submission").fetchall())
        recorded = con.execute("SELECT nama_berkas, jenis FROM core.berkas_dilewati ORDER BY 1").fetchall()
    finally:
        con.close()
    assert loaded == {DINSOS_TW1: "diterima", "..\\..\\laporan_tw1.xlsx": "diterima",
                      "foto kegiatan.jpg": "ditolak"}  # fmt: skip
    assert len(recorded) == len(reasons) and ("daftar_opd.csv", "bukan laporan") in recorded
    on_disk = {p.name for p in src.rglob("*") if p.is_file() or p.is_symlink()} | {".git", "folder-tautan"}
    assert on_disk - {"HEAD"} == set(loaded) | set(reasons)
    assert summary.files_deferred == 1


def test_the_steward_list_names_the_files_not_read(run) -> None:
    _src, root, _summary = run
    page = (root / "laporan" / "surat" / "ringkasan-tindak-lanjut_36.02_2024_tw1.html").read_text("utf-8")
    assert "Berkas yang tidak dibaca pada rekap ini" in page
    for text in ("daftar_opd.csv", "tautan ke luar folder sumber", "berkas kunci Office", DINSOS_TW2):
        assert text in page
    assert "foto kegiatan.jpg" in page  # read, rejected: among the files without an OPD


def test_nothing_outside_the_source_was_copied_into_the_raw_store(run) -> None:
    _src, root, _summary = run
    secret = b"bukan untuk dibaca"
    assert not any(secret in p.read_bytes() for p in (root / "mentah").rglob("*") if p.is_file())
