"""Given/expect tests of the models in sql/core: a few rows in an in-memory warehouse, exact rows out."""

from __future__ import annotations

from datetime import timedelta

import pytest

from rekap.warehouse.sql import run_sql
from tests.sql.given import (
    DINKES,
    DINSOS,
    PEMDA,
    TAHUN,
    WAKTU,
    frame,
    insert,
    realisasi,
    rows,
    rp,
    staged_file,
    staged_row,
    submission,
    temuan,
    warehouse,
)


def test_duplicate_submissions_lists_each_hash_recorded_more_than_once():
    con = warehouse()
    for file_hash in ("c", "a", "b", "c", "a", "c"):
        submission(con, file_hash)
    assert run_sql(con, "core/duplicate_submissions") == [("a", 2), ("c", 3)]


def test_forget_reread_keeps_first_arrival_and_removes_only_the_staged_files():
    con = warehouse()
    for file_hash in ("ulang", "tetap"):
        submission(con, file_hash, received_at=WAKTU)
        realisasi(con, file_hash)
        temuan(con, file_hash, "W10", "warning")
        insert(con, "core.baris_ditolak", file_hash=file_hash, baris=8)
        insert(con, "core.baris_dilewati", file_hash=file_hash, baris=9, jenis="jumlah", teks="Jumlah")
    staged_file(con, "ulang")
    staged_file(con, "baru")
    run_sql(con, "core/forget_reread")
    assert rows(con, "staging.berkas", "file_hash", "received_at") == [
        ("baru", WAKTU + timedelta(days=1, minutes=1)),
        ("ulang", WAKTU),
    ]
    for table in ("core.submission", "core.realisasi", "core.validation_issue", "core.baris_ditolak"):
        assert rows(con, table, "file_hash") == [("tetap",)], table
    assert rows(con, "core.baris_dilewati", "file_hash") == [("tetap",)]


def test_insert_baris_dilewati_records_the_registered_rows():
    con = warehouse()
    frame(
        con,
        "baris_dilewati_baru",
        [
            {
                "file_hash": "b",
                "sheet": "Realisasi",
                "baris": 20,
                "jenis": "tanda_tangan",
                "teks": "Kepala Dinas",
            },
            {"file_hash": "a", "sheet": "Realisasi", "baris": 6, "jenis": "nomor_kolom", "teks": "1 | 2 | 3"},
        ],
    )
    run_sql(con, "core/insert_baris_dilewati")
    assert rows(con, "core.baris_dilewati") == [
        ("a", "Realisasi", 6, "nomor_kolom", "1 | 2 | 3"),
        ("b", "Realisasi", 20, "tanda_tangan", "Kepala Dinas"),
    ]


@pytest.mark.parametrize(("triwulan", "kept"), [(3, ["tolak"]), (None, ["tanpa"])])
def test_insert_baris_ditolak_keeps_the_rows_of_the_quarters_rejected_files(triwulan, kept):
    con = warehouse()
    for file_hash, tw, lolos in [
        ("tolak", 3, False),
        ("terima", 3, True),
        ("lalu", 2, False),
        ("tanpa", None, False),
    ]:
        staged_file(con, file_hash, tw)
        staged_row(con, file_hash, 7, pagu="1.000", realisasi_kumulatif="abc")
        submission(con, file_hash, tw, lolos=lolos)
    run_sql(con, "core/insert_baris_ditolak", triwulan=triwulan)
    assert rows(con, "core.baris_ditolak") == [
        (h, "Realisasi", 7, "1.06.02.1.01.0001", "Bantuan sosial", "PBP", "PAD", "1.000", "250.000,50", "abc")
        for h in kept
    ]


def test_insert_berkas_dilewati_records_the_registered_files_under_the_run():
    con = warehouse()
    frame(
        con,
        "dilewati_baru",
        [
            {
                "source_path": "masuk/~$a.xlsx",
                "nama_berkas": "~$a.xlsx",
                "file_hash": None,
                "jenis": "bukan laporan",
                "alasan": "Berkas kunci Office",
            },
            {
                "source_path": "masuk/tw4.xlsx",
                "nama_berkas": "tw4.xlsx",
                "file_hash": "h4",
                "jenis": "ditunda",
                "alasan": "Triwulan 4",
            },
        ],
    )
    run_sql(con, "core/insert_berkas_dilewati", run_id="r9")
    assert rows(con, "core.berkas_dilewati") == [
        ("r9", "masuk/tw4.xlsx", "tw4.xlsx", "h4", "ditunda", "Triwulan 4"),
        ("r9", "masuk/~$a.xlsx", "~$a.xlsx", None, "bukan laporan", "Berkas kunci Office"),
    ]


def test_insert_realisasi_loads_the_accepted_rows_of_the_quarter_exact_to_the_sen():
    con = warehouse()
    for file_hash, tw, lolos in [("a", 3, True), ("tolak", 3, False), ("lalu", 2, True)]:
        staged_file(con, file_hash, tw)
        staged_row(con, file_hash, 7)
        submission(con, file_hash, tw, lolos=lolos)
    staged_row(
        con,
        "a",
        8,
        pagu_sen=123_456_789_012,
        pagu_murni_sen=1,
        realisasi_triwulan_ada=False,
        realisasi_volume="2.5",
        sasaran_kk="12",
    )
    run_sql(con, "core/insert_realisasi", triwulan=3)
    columns = (
        "file_hash",
        "kode_pemda",
        "tahun",
        "triwulan",
        "kode_skpd",
        "baris",
        "pagu",
        "pagu_murni",
        "realisasi_triwulan",
        "realisasi_kumulatif",
        "realisasi_volume",
        "sasaran_kk",
        "source_path",
    )
    assert rows(con, "core.realisasi", *columns) == [
        (
            "a",
            PEMDA,
            TAHUN,
            3,
            DINSOS,
            7,
            rp("1000000.00"),
            None,
            rp("250000.50"),
            rp("400000.75"),
            None,
            None,
            "masuk/a.xlsx",
        ),
        (
            "a",
            PEMDA,
            TAHUN,
            3,
            DINSOS,
            8,
            rp("1234567890.12"),
            rp("0.01"),
            None,
            rp("400000.75"),
            rp("2.5"),
            12,
            "masuk/a.xlsx",
        ),
    ]


def test_insert_run_totals_the_runs_own_files():
    con = warehouse()
    submission(con, "a", run_id="r1", rows_read=3, received_at=WAKTU + timedelta(minutes=5))
    submission(con, "b", run_id="r1", rows_read=2, lolos=False, received_at=WAKTU + timedelta(minutes=2))
    submission(con, "lama", run_id="r0", rows_read=10, received_at=WAKTU)
    params = {"tahun": TAHUN, "triwulan": 3, "kode_pemda": PEMDA, "files_new": 2, "files_deferred": 1}
    run_sql(con, "core/insert_run", run_id="r1", **params)
    run_sql(con, "core/insert_run", run_id="kosong", **params)
    # A run that recorded no file starts now; one that did, when its first file arrived.
    assert rows(
        con,
        "core.run",
        "run_id",
        "tahun",
        "triwulan",
        "kode_pemda",
        "files_new",
        "files_deferred",
        "rows_read",
        "rows_accepted",
        "rows_rejected",
    ) == [
        ("kosong", TAHUN, 3, PEMDA, 2, 1, 0, 0, 0),
        ("r1", TAHUN, 3, PEMDA, 2, 1, 5, 3, 2),
    ]
    assert rows(con, "core.run", "run_id", "started_at")[1] == ("r1", WAKTU + timedelta(minutes=2))


@pytest.mark.parametrize(
    ("triwulan", "expected"),
    [
        (3, [("a", "r7", 4, 4, 0, 0, 2, True, "diterima"), ("b", "r7", 3, 0, 3, 1, 1, False, "ditolak")]),
        (None, [("tanpa", "r7", 1, 0, 1, 1, 0, False, "ditolak")]),
    ],
)
def test_insert_submission_counts_findings_per_file_of_the_quarter(triwulan, expected):
    con = warehouse()
    staged_file(con, "a", 3, rows_read=4)
    staged_file(con, "b", 3, rows_read=3)
    staged_file(con, "lalu", 2)
    staged_file(con, "tanpa", None)
    for file_hash, aturan, tingkat in [
        ("a", "W10", "warning"),
        ("a", "W11", "warning"),
        ("b", "R02", "error"),
        ("b", "W10", "warning"),
        ("lalu", "R02", "error"),
        ("tanpa", "I01", "error"),
    ]:
        temuan(con, file_hash, aturan, tingkat, table="staging.temuan")
    run_sql(con, "core/insert_submission", triwulan=triwulan, run_id="r7")
    columns = (
        "file_hash",
        "run_id",
        "rows_read",
        "rows_accepted",
        "rows_rejected",
        "jumlah_error",
        "jumlah_peringatan",
        "lolos",
        "status",
    )
    assert rows(con, "core.submission", *columns) == expected


def test_insert_validation_issue_keeps_the_findings_of_the_quarters_files():
    con = warehouse()
    staged_file(con, "ini", 3)
    staged_file(con, "lalu", 2)
    temuan(con, "ini", "R02", table="staging.temuan", baris=9, nilai="x")
    temuan(con, "ini", "W10", "warning", table="staging.temuan")
    temuan(con, "lalu", "R02", table="staging.temuan")
    run_sql(con, "core/insert_validation_issue", triwulan=3)
    assert rows(con, "core.validation_issue") == [
        ("ini", "Realisasi", 7, "F", "Pagu (Rp)", None, "W10", "warning", "Pesan W10", "Perbaiki W10"),
        ("ini", "Realisasi", 9, "F", "Pagu (Rp)", "x", "R02", "error", "Pesan R02", "Perbaiki R02"),
    ]


def test_recorded_finds_which_hashes_are_in_the_warehouse():
    con = warehouse()
    submission(con, "a")
    submission(con, "b", lolos=False)
    assert sorted(run_sql(con, "core/recorded", hashes=["b", "x", "a"])) == [("a",), ("b",)]
    assert run_sql(con, "core/recorded", hashes=["x"]) == []


def test_recorded_by_prefix_matches_the_start_of_the_hash_only():
    con = warehouse()
    for file_hash in ("ab12", "ba34", "ab56", "cab7"):
        submission(con, file_hash, received_at=WAKTU)
    assert run_sql(con, "core/recorded_by_prefix", awalan="ab") == [
        ("ab12", "masuk/ab12.xlsx", WAKTU),
        ("ab56", "masuk/ab56.xlsx", WAKTU),
    ]


@pytest.mark.parametrize(
    ("hashes", "expected"),
    [(None, ["baik", "campur", "rusak"]), (["baik", "pengaturan", "x"], ["baik"])],
)
def test_recorded_for_good_leaves_out_files_rejected_only_by_the_runs_settings(hashes, expected):
    con = warehouse()
    submission(con, "baik")
    for file_hash, aturan in [("pengaturan", ["I10"]), ("rusak", ["R02"]), ("campur", ["I10", "R02"])]:
        submission(con, file_hash, lolos=False)
        for a in aturan:
            temuan(con, file_hash, a)
    temuan(con, "pengaturan", "W10", "warning")
    found = run_sql(con, "core/recorded_for_good", hashes=hashes, aturan_pengaturan=["I10", "F04"])
    assert sorted(h for (h,) in found) == expected


def test_refresh_status_uses_the_latest_revision_of_each_staged_key():
    con = warehouse()
    submission(con, "sos_r0", revisi=0)
    submission(con, "sos_r2", revisi=2)
    submission(con, "sos_r1", revisi=1)  # arrives last, but an earlier revision
    submission(con, "sos_r3", revisi=3, lolos=False)  # a rejected revision never displaces
    submission(con, "kes_tanpa", kode_skpd=DINKES)  # no Revisi field: revision 0, arrived first
    submission(con, "kes_r0", kode_skpd=DINKES, revisi=0)
    submission(con, "sos_tw2_a", triwulan=2)  # keys no staged file touches keep their status
    submission(con, "sos_tw2_b", triwulan=2)
    submission(con, "lain_pemda", kode_pemda="36.03")
    staged_file(con, "sos_r3")
    staged_file(con, "kes_r0", kode_skpd=DINKES)
    run_sql(con, "core/refresh_status")
    assert rows(con, "core.submission", "file_hash", "status") == [
        ("kes_r0", "diterima"),
        ("kes_tanpa", "digantikan"),
        ("lain_pemda", "diterima"),
        ("sos_r0", "digantikan"),
        ("sos_r1", "digantikan"),
        ("sos_r2", "diterima"),
        ("sos_r3", "ditolak"),
        ("sos_tw2_a", "diterima"),
        ("sos_tw2_b", "diterima"),
    ]


def test_replace_opd_terdaftar_replaces_only_the_pemda_years_given():
    con = warehouse()
    for kode_pemda, tahun, kode, nama in [
        (PEMDA, TAHUN, "A", "Dinas A"),
        (PEMDA, TAHUN, "B", "Dinas B"),
        (PEMDA, TAHUN, "D", "Dinas D"),
        ("36.03", TAHUN, "A", "Dinas X"),
        (PEMDA, 2023, "D", "Dinas D"),
    ]:
        insert(con, "core.opd_terdaftar", kode_pemda=kode_pemda, tahun=tahun, kode_skpd=kode, nama_skpd=nama)
    frame(
        con,
        "daftar_baru",
        [
            {"kode_pemda": PEMDA, "tahun": TAHUN, "kode_skpd": k, "nama_skpd": n}
            for k, n in [("C", "Dinas C"), ("A", "Dinas A"), ("B", "Dinas B Baru"), ("C", "Dinas C")]
        ],
    )
    run_sql(con, "core/replace_opd_terdaftar")
    assert rows(con, "core.opd_terdaftar") == [
        (PEMDA, 2023, "D", "Dinas D"),
        (PEMDA, TAHUN, "A", "Dinas A"),
        (PEMDA, TAHUN, "B", "Dinas B Baru"),
        (PEMDA, TAHUN, "C", "Dinas C"),
        ("36.03", TAHUN, "A", "Dinas X"),
    ]


def test_row_accounting_lists_the_runs_files_whose_rows_do_not_add_up():
    con = warehouse()
    submission(con, "pas", rows_read=2)
    submission(con, "kurang", rows_read=3)
    submission(con, "salah", rows_read=2, rows_accepted=1)
    submission(con, "tolak", rows_read=1, lolos=False)
    submission(con, "lama", rows_read=5, run_id="r0")
    for file_hash, n in [("pas", 2), ("kurang", 2), ("salah", 1)]:
        for _ in range(n):
            realisasi(con, file_hash)
    for file_hash in ("salah", "tolak"):
        insert(con, "core.baris_ditolak", file_hash=file_hash, baris=9)
    assert run_sql(con, "core/row_accounting", run_id="r1") == [("kurang", 3, 3, 2), ("salah", 2, 1, 2)]


def test_run_totals_sum_one_run():
    con = warehouse()
    submission(con, "a", rows_read=3)
    submission(con, "b", rows_read=4)
    submission(con, "c", rows_read=2, lolos=False)
    submission(con, "lama", rows_read=10, run_id="r0")
    assert run_sql(con, "core/run_totals", run_id="r1") == [(2, 1, 9, 7, 2)]
    assert run_sql(con, "core/run_totals", run_id="tidak ada") == [(0, 0, 0, 0, 0)]
