"""Given/expect tests of the models in sql/marts: core rows in, each mart's file run, exact rows out."""

from __future__ import annotations

import pytest

from rekap.warehouse.sql import run_sql
from tests.sql.given import (
    DINKES,
    DINSOS,
    PEMDA,
    TAHUN,
    WAKTU,
    build_marts,
    insert,
    opd_terdaftar,
    realisasi,
    rows,
    rp,
    run,
    submission,
    temuan,
    warehouse,
)

DISDIK = "1.01.0.00.0.00.01.0000"
LAIN = "9.99.0.00.0.00.01.0000"
S1, S2, S9 = "1.06.02.1.01.0001", "1.06.02.1.01.0002", "7.01.02.1.01.0001"


def lebak(con):
    """Lebak 2024 up to TW II: three expected OPDs, DINSOS with a superseded and a later rejected revision,
    DINKES rejected, an OPD not on the list; Pandeglang's marts built before; a 2023 file never marked."""
    submission(con, "pdg", 3, kode_pemda="36.03")
    realisasi(con, "pdg", S1, "50.00", kumulatif="5.00")
    build_marts(con, ("36.03", TAHUN))
    for kode, nama in [(DINSOS, None), (DINKES, None), (DISDIK, "Dinas Pendidikan")]:
        opd_terdaftar(con, kode, nama)
    submission(con, "sos1", 1)
    realisasi(con, "sos1", S1, "1000.00", kumulatif="100.00")
    submission(con, "sos2lama", 2, revisi=0, status="digantikan")
    realisasi(con, "sos2lama", S1, "1000.00", kumulatif="999.00")
    submission(con, "sos2", 2, revisi=1)
    realisasi(con, "sos2", S1, "1000.00", kumulatif="300.00")
    realisasi(
        con, "sos2", S2, "500.00", triwulan_ini="50.00", sumber_dana="DAU", strategi="PPD", sasaran_kk=7
    )
    submission(con, "sos2x", 2, revisi=2, lolos=False)
    submission(con, "kes2", 2, DINKES, lolos=False)
    submission(con, "lain1", 1, LAIN)
    realisasi(con, "lain1", S9, "200.00", kumulatif="20.00", strategi="PKK")
    submission(con, "lama", 3, tahun=2023)
    realisasi(con, "lama", S1, "1.00", kumulatif="1.00")
    build_marts(con)
    build_marts(con)  # a rerun replaces, never adds


def test_realisasi_rinci_uses_the_revision_in_force_and_derives_the_missing_realisasi():
    con = warehouse()
    lebak(con)
    columns = ("kode_pemda", "triwulan", "kode_skpd", "kode_program", "kode_kegiatan", "kode_sub_kegiatan",
               "sumber_dana", "pagu", "realisasi_triwulan", "realisasi_kumulatif", "tw1", "tw2", "tw3", "tw4",
               "persen_serapan", "file_hash", "revisi", "baris")  # fmt: skip
    program, kegiatan = "1.06.02", "1.06.02.1.01"
    d = rp
    # fmt: off
    assert rows(con, "mart.realisasi_rinci", *columns) == [
        (PEMDA, 1, DINSOS, program, kegiatan, S1, "PAD", d("1000.00"), d("100.00"), d("100.00"),
         d("100.00"), None, None, None, d("10.00"), "sos1", None, 7),
        (PEMDA, 1, LAIN, "7.01.02", "7.01.02.1.01", S9, "PAD", d("200.00"), d("20.00"), d("20.00"),
         d("20.00"), None, None, None, d("10.00"), "lain1", None, 7),
        # TW II: S1 gave only its cumulative, S2 only its quarter; revision 0 (999) counts nowhere.
        (PEMDA, 2, DINSOS, program, kegiatan, S1, "PAD", d("1000.00"), d("200.00"), d("300.00"),
         d("100.00"), d("200.00"), None, None, d("30.00"), "sos2", 1, 7),
        (PEMDA, 2, DINSOS, program, kegiatan, S2, "DAU", d("500.00"), d("50.00"), d("50.00"),
         d("0.00"), d("50.00"), None, None, d("10.00"), "sos2", 1, 8),
        ("36.03", 3, DINSOS, program, kegiatan, S1, "PAD", d("50.00"), d("5.00"), d("5.00"),
         d("0.00"), d("0.00"), d("5.00"), None, d("10.00"), "pdg", None, 7),
    ]
    # fmt: on
    assert {r[0] for r in rows(con, "mart.realisasi_rinci", "tahun")} == {TAHUN}


def test_asal_traces_each_figure_to_the_file_rows_of_its_own_series():
    con = warehouse()
    lebak(con)
    columns = ("kode_pemda", "triwulan", "kode_skpd", "kode_sub_kegiatan", "sumber_dana", "peran",
               "triwulan_berkas", "file_hash", "nama_berkas", "baris", "revisi", "pagu",
               "realisasi_kumulatif")  # fmt: skip
    ini, lalu = "triwulan ini", "triwulan sebelumnya"
    # fmt: off
    assert rows(con, "mart.asal", *columns) == [
        (PEMDA, 1, DINSOS, S1, "PAD", ini, 1, "sos1", "sos1.xlsx", 7, None, rp("1000.00"), rp("100.00")),
        (PEMDA, 1, LAIN, S9, "PAD", ini, 1, "lain1", "lain1.xlsx", 7, None, rp("200.00"), rp("20.00")),
        (PEMDA, 2, DINSOS, S1, "PAD", ini, 2, "sos2", "sos2.xlsx", 7, 1, rp("1000.00"), rp("300.00")),
        (PEMDA, 2, DINSOS, S1, "PAD", lalu, 1, "sos1", "sos1.xlsx", 7, None, rp("1000.00"), rp("100.00")),
        (PEMDA, 2, DINSOS, S2, "DAU", ini, 2, "sos2", "sos2.xlsx", 8, 1, rp("500.00"), None),
        ("36.03", 3, DINSOS, S1, "PAD", ini, 3, "pdg", "pdg.xlsx", 7, None, rp("50.00"), rp("5.00")),
    ]
    # fmt: on


def test_rekap_opd_has_every_expected_or_submitting_opd_on_every_quarter():
    con = warehouse()
    lebak(con)
    columns = ("kode_pemda", "triwulan", "kode_skpd", "nama_skpd", "strategi", "pagu", "realisasi_triwulan",
               "realisasi_kumulatif", "tw1", "tw2", "persen_serapan", "jumlah_sub_kegiatan", "sasaran_kk",
               "status", "terdaftar", "file_hash", "nama_berkas", "revisi", "ada_revisi_ditolak")  # fmt: skip
    d = rp

    def tanpa_angka(kode_pemda, triwulan, kode_skpd, nama, status, terdaftar):
        return (kode_pemda, triwulan, kode_skpd, nama, *(None,) * 7, 0, None, status, terdaftar,
                None, None, None, False)  # fmt: skip

    belum = "belum menyampaikan"
    # fmt: off
    assert rows(con, "mart.rekap_opd", *columns) == [
        tanpa_angka(PEMDA, 1, DISDIK, "Dinas Pendidikan", belum, True),
        tanpa_angka(PEMDA, 1, DINKES, "Dinas Kesehatan", belum, True),
        (PEMDA, 1, DINSOS, "Dinas Sosial", "PBP", d("1000.00"), d("100.00"), d("100.00"), d("100.00"), None,
         d("10.00"), 1, None, "diterima", True, "sos1", "sos1.xlsx", None, False),
        (PEMDA, 1, LAIN, "OPD Lain", "PKK", d("200.00"), d("20.00"), d("20.00"), d("20.00"), None,
         d("10.00"), 1, None, "diterima", False, "lain1", "lain1.xlsx", None, False),
        tanpa_angka(PEMDA, 2, DISDIK, "Dinas Pendidikan", belum, True),
        tanpa_angka(PEMDA, 2, DINKES, "Dinas Kesehatan", "ditolak", True),
        # Revision 1 in force, a later revision rejected.
        (PEMDA, 2, DINSOS, "Dinas Sosial", "PBP, PPD", d("1500.00"), d("250.00"), d("350.00"),
         d("100.00"), d("250.00"), d("23.33"), 2, 7, "diterima", True, "sos2", "sos2.xlsx", 1, True),
        tanpa_angka(PEMDA, 2, LAIN, "OPD Lain", belum, False),
        tanpa_angka("36.03", 1, DINSOS, "Dinas Sosial", belum, False),
        tanpa_angka("36.03", 2, DINSOS, "Dinas Sosial", belum, False),
        ("36.03", 3, DINSOS, "Dinas Sosial", "PBP", d("50.00"), d("5.00"), d("5.00"), d("0.00"), d("0.00"),
         d("10.00"), 1, None, "diterima", False, "pdg", "pdg.xlsx", None, False),
    ]
    # fmt: on


def test_rekap_strategi_has_all_three_strategies_on_every_quarter():
    con = warehouse()
    lebak(con)
    columns = ("kode_pemda", "triwulan", "strategi", "nama_strategi", "jumlah_opd", "jumlah_sub_kegiatan",
               "pagu", "realisasi_triwulan", "realisasi_kumulatif", "persen_serapan",
               "sasaran_kk")  # fmt: skip
    pbp, ppd, pkk = "Pengurangan Beban Pengeluaran", "Peningkatan Pendapatan", "Penurunan Kantong Kemiskinan"
    nol = (0, 0, rp("0.00"), rp("0.00"), rp("0.00"), None, 0)
    got = [r for r in rows(con, "mart.rekap_strategi", *columns) if r[0] == PEMDA]
    # fmt: off
    assert got == [
        (PEMDA, 1, "PBP", pbp, 1, 1, rp("1000.00"), rp("100.00"), rp("100.00"), rp("10.00"), 0),
        (PEMDA, 1, "PKK", pkk, 1, 1, rp("200.00"), rp("20.00"), rp("20.00"), rp("10.00"), 0),
        (PEMDA, 1, "PPD", ppd, *nol),
        (PEMDA, 2, "PBP", pbp, 1, 1, rp("1000.00"), rp("200.00"), rp("300.00"), rp("30.00"), 0),
        (PEMDA, 2, "PKK", pkk, *nol),
        (PEMDA, 2, "PPD", ppd, 1, 1, rp("500.00"), rp("50.00"), rp("50.00"), rp("10.00"), 7),
    ]
    # fmt: on
    assert len(rows(con, "mart.rekap_strategi")) == 6 + 9  # Pandeglang: three quarters, three strategies


def test_rekap_provinsi_puts_the_provinces_own_opds_beside_each_kab_kota():
    con = warehouse()
    for file_hash, kode_pemda, pagu, kumulatif in [
        ("prov", "36", "100.00", "10.00"),
        ("lbk", "36.02", "200.00", "50.00"),
        ("jabar", "32.01", "300.00", "30.00"),
    ]:
        submission(con, file_hash, 1, kode_pemda=kode_pemda)
        realisasi(con, file_hash, S1, pagu, kumulatif=kumulatif)
    opd_terdaftar(con, DINSOS)
    opd_terdaftar(con, DINKES)
    build_marts(con, ("36", TAHUN), ("36.02", TAHUN), ("32.01", TAHUN))
    kab = "kabupaten/kota"
    assert rows(con, "mart.rekap_provinsi") == [
        ("32", TAHUN, 1, "32.01", kab, 1, 1, 0, rp("300.00"), rp("30.00"), rp("30.00"), rp("10.00")),
        ("36", TAHUN, 1, "36", "provinsi", 1, 1, 0, rp("100.00"), rp("10.00"), rp("10.00"), rp("10.00")),
        ("36", TAHUN, 1, "36.02", kab, 2, 1, 1, rp("200.00"), rp("50.00"), rp("50.00"), rp("25.00")),
    ]


def test_berkas_names_the_first_three_errors_of_a_rejected_file():
    con = warehouse()
    submission(con, "lain", kode_pemda="36.03", lolos=False)
    temuan(con, "lain", "R02")
    build_marts(con, ("36.03", TAHUN))
    submission(con, "terima", nama_skpd="Dinas Sosial Baru")
    temuan(con, "terima", "W10", "warning")
    submission(con, "tolak", 3, DINKES, lolos=False, revisi=2, jumlah_error=4, jumlah_peringatan=1)
    temuan(con, "tolak", "R05", baris=9, kolom="A", pesan="Keempat")
    temuan(con, "tolak", "R05", baris=7, kolom="H", pesan="Kumulatif turun", nilai="5")
    temuan(con, "tolak", "I01", sheet=None, baris=None, kolom=None, pesan="Kode pemda salah", nilai="99")
    temuan(con, "tolak", "W10", "warning", baris=1, pesan="Peringatan")
    temuan(con, "tolak", "R02", baris=7, kolom="F", pesan="Pagu kosong")
    submission(con, "lain_baru", kode_pemda="36.03", lolos=False)  # neither staged nor marked: not rebuilt
    build_marts(con)
    tolak = "Kode pemda salah [99]; Realisasi F7: Pagu kosong; Realisasi H7: Kumulatif turun [5]"
    # fmt: off
    assert rows(con, "mart.berkas") == [
        ("lain", "lain.xlsx", "masuk/lain.xlsx", "36.03", "Kabupaten Lebak", TAHUN, 3, DINSOS,
         "Dinas Sosial", None, WAKTU, "r1", 1, 0, False, "ditolak", "Realisasi F7: Pesan R02"),
        ("terima", "terima.xlsx", "masuk/terima.xlsx", PEMDA, "Kabupaten Lebak", TAHUN, 3, DINSOS,
         "Dinas Sosial Baru", None, WAKTU.replace(minute=1), "r1", 0, 0, True, "diterima", None),
        ("tolak", "tolak.xlsx", "masuk/tolak.xlsx", PEMDA, "Kabupaten Lebak", TAHUN, 3, DINKES,
         "Dinas Kesehatan", 2, WAKTU.replace(minute=2), "r1", 4, 1, False, "ditolak", tolak),
    ]
    # fmt: on


@pytest.mark.parametrize(
    ("mart", "given", "expected"),
    [
        (
            "mart.run",
            lambda con: run(con, "r5", 2, rows_read=4, rows_accepted=3, rows_rejected=1),
            [("r5", WAKTU, TAHUN, 2, PEMDA, 1, 0, 4, 3, 1)],
        ),
        (
            "mart.temuan",
            lambda con: temuan(con, "h", "W10", "warning", nilai="36.99"),
            [("h", "Realisasi", 7, "F", "Pagu (Rp)", "36.99", "W10", "warning", "Pesan W10", "Perbaiki W10")],
        ),
        (
            "mart.berkas_dilewati",
            lambda con: insert(
                con,
                "core.berkas_dilewati",
                run_id="r1",
                source_path="masuk/daftar_opd.csv",
                nama_berkas="daftar_opd.csv",
                jenis="bukan laporan",
                alasan="Daftar OPD",
            ),
            [("r1", "masuk/daftar_opd.csv", "daftar_opd.csv", None, "bukan laporan", "Daftar OPD")],
        ),
        (
            "mart.opd_terdaftar",
            lambda con: opd_terdaftar(con, DINKES, kode_pemda="36"),
            [("36", TAHUN, DINKES, "Dinas Kesehatan")],
        ),
        (
            "mart.sasaran_desa",
            lambda con: insert(
                con,
                "core.sasaran_desa",
                tahun=TAHUN,
                kode_desa="36.02.01.2001",
                kk_miskin_ekstrem=40,
                file_hash="s",
                nama_berkas="sasaran.csv",
                baris=2,
                dimuat_pada=WAKTU,
            ),
            [(TAHUN, "36.02.01.2001", 40, "s", "sasaran.csv", 2, WAKTU)],
        ),
    ],
)
def test_views_of_core_show_its_rows_column_for_column(mart, given, expected):
    con = warehouse()
    given(con)
    run_sql(con, "marts/" + mart.removeprefix("mart."))
    assert rows(con, mart) == expected
