"""Given/expect tests of the models in sql/report: core rows in, the marts built, each report query run for
Lebak 2024 TW III, exact rows out (amounts to the sen). A report query runs for a list of pemda ($pemda) and
gives each row's pemda first: run for several pemda, it gives each the rows it gives that pemda alone."""

from __future__ import annotations

import pytest

from rekap.settings import SQL_DIR
from rekap.warehouse.sql import query_rows, run_sql
from tests.sql.given import (
    DINKES,
    DINSOS,
    PEMDA,
    TAHUN,
    build_marts,
    copy_of,
    insert,
    opd_terdaftar,
    realisasi,
    rp,
    run,
    staged_file,
    submission,
    temuan,
    warehouse,
    wilayah,
)

DISDIK = "1.01.0.00.0.00.01.0000"
S1, S2, S3 = "1.06.02.1.01.0001", "1.06.02.1.01.0002", "1.02.02.1.01.0001"


def report_rows(con, name, kode_pemda=PEMDA, tahun=TAHUN, triwulan=3):
    """The rows a report query gives one pemda (run for the list of that pemda alone), without their first
    column, which must name it."""
    rows = run_sql(con, name, pemda=[kode_pemda], tahun=tahun, triwulan=triwulan)
    assert {row[0] for row in rows} <= {kode_pemda}
    return [row[1:] for row in rows]


def lebak(con):
    """Lebak 2024, TW II and TW III.

    Expected OPDs DINSOS, DINKES and DISDIK (never sends). DINSOS: TW II S1 (PAD, PBP, pagu 1000, realisasi
    100, desa 36.02.01.2001, 10 KK) and S2 (DAU, PPD, pagu 2000, nothing spent, kecamatan 36.02.02); TW III
    revision 1: S1 150.50 more (250.50 in all), S2 with its pagu raised to 2500 and 1500 spent; a superseded
    TW III revision 0 that must count nowhere. DINKES: TW II S3 (PAD, PKK, pagu 4000, 400 spent, SEMUA),
    TW III rejected in run r3. Beside Lebak: the province (36), Pandeglang (36.03) and Lebak 2023."""
    for kode, nama in [(DINSOS, None), (DINKES, None), (DISDIK, "Dinas Pendidikan")]:
        opd_terdaftar(con, kode, nama)
    submission(con, "sos2", 2)
    realisasi(con, "sos2", S1, "1000.00", "100.00", "100.00", lokasi="36.02.01.2001", sasaran_kk=10)
    realisasi(
        con, "sos2", S2, "2000.00", "0.00", "0.00", sumber_dana="DAU", strategi="PPD", lokasi="36.02.02"
    )
    submission(con, "kes2", 2, DINKES)
    realisasi(con, "kes2", S3, "4000.00", "400.00", "400.00", strategi="PKK", lokasi="SEMUA")
    submission(con, "sos3lama", 3, revisi=0, status="digantikan")
    realisasi(con, "sos3lama", S1, "1000.00", "9999.00", "9999.00", lokasi="36.02.01.2001", sasaran_kk=99)
    submission(con, "sos3", 3, revisi=1, run_id="r3")
    realisasi(con, "sos3", S1, "1000.00", "150.50", "250.50", lokasi="36.02.01.2001", sasaran_kk=10)
    realisasi(
        con, "sos3", S2, "2500.00", "1500.00", "1500.00", sumber_dana="DAU", strategi="PPD", lokasi="36.02.02"
    )
    submission(con, "kes3", 3, DINKES, lolos=False, run_id="r3")
    temuan(con, "kes3", "R02")
    submission(con, "prov", 3, kode_pemda="36", nama_pemda="Provinsi Banten")
    realisasi(con, "prov", S1, "100.00", kumulatif="50.00")
    submission(con, "pdg", 3, kode_pemda="36.03", nama_pemda="Kabupaten Pandeglang")
    realisasi(con, "pdg", S1, "7777.00", kumulatif="777.70", lokasi="36.03.01")
    submission(con, "lama", 3, tahun=2023)
    realisasi(con, "lama", S1, "5555.00", kumulatif="555.50", lokasi="36.02.01")
    run(con, "r3")
    build_marts(con, (PEMDA, TAHUN), ("36", TAHUN), ("36.03", TAHUN), (PEMDA, 2023))


@pytest.fixture(scope="module")
def lebak_file(tmp_path_factory):
    """The Lebak warehouse above, marts built, in a file (built once for the module)."""
    path = tmp_path_factory.mktemp("lebak") / "gudang.duckdb"
    connection = warehouse(path)
    lebak(connection)
    connection.close()
    return path


@pytest.fixture
def con(lebak_file, tmp_path):
    """A copy of the Lebak warehouse of its own for each test."""
    connection = copy_of(lebak_file, tmp_path / "gudang.duckdb")
    yield connection
    connection.close()


def test_berkas_ditolak_run_lists_the_runs_rejected_files(con):
    submission(con, "kes2x", 2, DINKES, lolos=False, run_id="r2")
    build_marts(con)
    assert run_sql(con, "report/berkas_ditolak_run", run_id="r3") == [
        ("kes3.xlsx", DINKES, "Dinas Kesehatan", 3, 1, "Realisasi F7: Pesan R02")
    ]


def test_chart_lokasi_sums_per_kecamatan_named_as_the_reference_names_it(con):
    wilayah(con, "36.02.02", "Kecamatan Bayah")
    assert report_rows(con, "report/chart_lokasi") == [
        ("Kecamatan Bayah", rp("1500.00")),
        ("Kecamatan 36.02.01", rp("250.50")),
    ]


def test_chart_serapan_opd_has_the_opds_with_figures(con):
    assert report_rows(con, "report/chart_serapan_opd") == [("Dinas Sosial", rp("50.01"))]


def test_chart_strategi_has_every_strategy(con):
    assert report_rows(con, "report/chart_strategi") == [
        ("Pengurangan Beban Pengeluaran", rp("1000.00"), rp("250.50")),
        ("Penurunan Kantong Kemiskinan", rp("0.00"), rp("0.00")),
        ("Peningkatan Pendapatan", rp("2500.00"), rp("1500.00")),
    ]


def test_chart_triwulan_has_each_quarters_own_realisasi(con):
    assert report_rows(con, "report/chart_triwulan") == [
        (1, rp("0.00")),
        (2, rp("500.00")),
        (3, rp("1650.50")),
    ]


@pytest.mark.parametrize(
    ("reference", "expected"),
    [(None, "Kab. Lebak"), ("Kabupaten Lebak", "Kabupaten Lebak"), ("tanpa berkas", PEMDA)],
)
def test_identitas_names_the_pemda_by_reference_else_its_accepted_files(reference, expected):
    con = warehouse()
    if reference != "tanpa berkas":
        submission(con, "a", nama_pemda="Kab. Lebak")
    for i in range(2):
        submission(con, f"tolak{i}", lolos=False, nama_pemda="Salah")
        submission(con, f"lama{i}", tahun=2023, nama_pemda="Lama")
        submission(con, f"pdg{i}", kode_pemda="36.03", nama_pemda="Kabupaten Pandeglang")
    if reference and reference != "tanpa berkas":
        wilayah(con, PEMDA, reference, "kabupaten/kota")
    wilayah(con, "36.03", "Kabupaten Pandeglang", "kabupaten/kota")
    build_marts(con, (PEMDA, TAHUN))
    assert report_rows(con, "report/identitas") == [(expected,)]


def test_opd_belum_diterima_lists_rejected_unsent_and_newly_expected_opds(con):
    opd_terdaftar(con, "1.03.0.00.0.00.01.0000", "Dinas PU")  # expected after the marts were built
    assert report_rows(con, "report/opd_belum_diterima") == [
        (DISDIK, "Dinas Pendidikan", "belum menyampaikan"),
        ("1.03.0.00.0.00.01.0000", "Dinas PU", "belum menyampaikan"),
        (DINKES, "Dinas Kesehatan", "ditolak"),
    ]


@pytest.mark.parametrize(
    ("kode_pemda", "expected"),
    [("99.99", [("99.99",)]), (None, [("36",), ("36.02",), ("36.03",)])],
)
def test_pemda_is_the_one_asked_for_else_every_well_formed_pemda_of_the_year(con, kode_pemda, expected):
    submission(con, "aneh", 3, kode_pemda="36.0X", lolos=False)
    build_marts(con, ("36.0X", TAHUN))
    assert run_sql(con, "report/pemda", kode_pemda=kode_pemda, tahun=TAHUN) == expected


def test_rekonsiliasi_is_empty_when_the_sources_agree_and_names_the_one_that_does_not(con):
    assert report_rows(con, "report/rekonsiliasi") == []
    realisasi(con, "sos3", S3, "0.01")  # in core, not yet in the marts
    assert report_rows(con, "report/rekonsiliasi") == [
        ("core.realisasi (berkas yang dipakai)", "pagu", rp("3500.01"), rp("3500.00"))
    ]


def test_t0_ringkasan_sets_this_quarter_beside_the_last(con):
    def row(uraian, lalu, ini, jenis):
        return (uraian, rp(lalu), rp(ini), rp(ini) - rp(lalu), jenis, 0)

    assert report_rows(con, "report/t0_ringkasan") == [
        row("Total pagu (Rp)", "7000.00", "3500.00", "rupiah"),
        row("Realisasi dalam triwulan (Rp)", "500.00", "1650.50", "rupiah"),
        row("Realisasi s.d. triwulan (Rp)", "500.00", "1750.50", "rupiah"),
        row("Serapan anggaran (%)", "7.14", "50.01", "persen"),
        row("OPD yang wajib melapor", "3", "3", "angka"),
        row("OPD diterima", "2", "1", "angka"),
        row("OPD ditolak", "0", "1", "angka"),
        row("OPD belum menyampaikan", "1", "1", "angka"),
        row("Sub kegiatan", "3", "2", "angka"),
        row("Sasaran KK yang dijangkau", "10", "10", "angka"),
        row("Porsi strategi PBP (% pagu)", "14.29", "28.57", "persen"),
        row("Porsi strategi PPD (% pagu)", "28.57", "71.43", "persen"),
        row("Porsi strategi PKK (% pagu)", "57.14", "0.00", "persen"),
    ]


def test_t1_strategi_counts_an_opd_once_in_the_total(con):
    realisasi(con, "sos3", "1.06.02.1.01.0003", "500.00", "0.00", "0.00", strategi="PKK")  # DINSOS in all 3
    build_marts(con)
    d = rp
    # fmt: off
    assert report_rows(con, "report/t1_strategi") == [
        ("PBP - Pengurangan Beban Pengeluaran", 1, 1, d("1000.00"), d("150.50"), d("250.50"), d("25.05"),
         10, 0),
        ("PPD - Peningkatan Pendapatan", 1, 1, d("2500.00"), d("1500.00"), d("1500.00"), d("60.00"), 0, 0),
        ("PKK - Penurunan Kantong Kemiskinan", 1, 1, d("500.00"), d("0.00"), d("0.00"), d("0.00"), 0, 0),
        ("Jumlah", 1, 3, d("4000.00"), d("1650.50"), d("1750.50"), d("43.76"), 10, 1),
    ]
    # fmt: on


def test_t2_opd_shows_each_quarters_own_figure_and_the_revision_used(con):
    d = rp
    # fmt: off
    assert report_rows(con, "report/t2_opd") == [
        (DISDIK, "Dinas Pendidikan", *(None,) * 8, "belum menyampaikan", None, 0),
        # Rejected this quarter: its TW II figure still shows.
        (DINKES, "Dinas Kesehatan", None, None, None, d("400.00"), *(None,) * 4, "ditolak", None, 0),
        (DINSOS, "Dinas Sosial", "PBP, PPD", d("3500.00"), None, d("100.00"), d("1650.50"), None,
         d("1750.50"), d("50.01"), "diterima", "revisi 1: sos3.xlsx", 0),
        (None, "Jumlah", None, d("3500.00"), None, d("500.00"), d("1650.50"), None, d("1750.50"), d("50.01"),
         "1 dari 3 OPD diterima", None, 1),
    ]
    # fmt: on


def test_t3_matriks_puts_each_level_above_its_rows(con):
    shown = ("kode", "uraian", "strategi", "sumber_dana", "pagu", "tw1", "tw2", "tw3", "tw4",
             "realisasi_kumulatif", "persen_serapan", "tingkat")  # fmt: skip
    columns, found = query_rows(con, "report/t3_matriks", pemda=[PEMDA], tahun=TAHUN, triwulan=3)
    got = [tuple(r[columns.index(c)] for c in shown) for r in found]
    d = rp
    jumlah = (
        "PBP, PPD",
        None,
        d("3500.00"),
        d("0.00"),
        d("100.00"),
        d("1650.50"),
        None,
        d("1750.50"),
        d("50.01"),
    )
    # fmt: off
    assert got == [
        (DINSOS, "Dinas Sosial", *jumlah, 2),
        ("1.06.02", "Program 1.06.02", *jumlah, 3),
        ("1.06.02.1.01", "Kegiatan 1.06.02.1.01", *jumlah, 4),
        (S1, f"Sub kegiatan {S1}", "PBP", "PAD", d("1000.00"), d("0.00"), d("100.00"), d("150.50"), None,
         d("250.50"), d("25.05"), 0),
        (S2, f"Sub kegiatan {S2}", "PPD", "DAU", d("2500.00"), d("0.00"), d("0.00"), d("1500.00"), None,
         d("1500.00"), d("60.00"), 0),
        (None, "Jumlah", *jumlah, 1),
    ]
    # fmt: on


def test_t4_sumber_dana_splits_each_source_by_strategy(con):
    d = rp
    nol = (d("0.00"), d("0.00"))
    pbp, ppd = (d("1000.00"), d("250.50")), (d("2500.00"), d("1500.00"))
    # fmt: off
    assert report_rows(con, "report/t4_sumber_dana") == [
        ("Pendapatan Asli Daerah (PAD)", *pbp, *nol, *nol, *pbp, d("25.05"), d("28.57"), 0),
        ("Dana Alokasi Umum (DAU)", *nol, *ppd, *nol, *ppd, d("60.00"), d("71.43"), 0),
        ("Jumlah", *pbp, *ppd, *nol, d("3500.00"), d("1750.50"), d("50.01"), d("100.00"), 1),
    ]
    # fmt: on


def test_t5_lokasi_counts_each_row_once_with_the_households_in_need(con):
    wilayah(con, "36.02.02", "Kecamatan Bayah")
    wilayah(con, "36.02.01.2001", "Desa Sukamaju", "desa")
    for tahun, kode_desa, kk in [(TAHUN, "36.02.01.2001", 40), (TAHUN, "36.02.02.2005", 20),
                                 (TAHUN, "36.03.01.2001", 99), (2023, "36.02.01.2001", 500)]:  # fmt: skip
        insert(
            con, "core.sasaran_desa", tahun=tahun, kode_desa=kode_desa, kk_miskin_ekstrem=kk, file_hash="s"
        )
    d = rp
    nol = (d("0.00"), d("0.00"), 0)
    pbp, ppd = (d("1000.00"), d("250.50"), 10), (d("2500.00"), d("1500.00"), 0)
    s1 = (*pbp, *nol, *nol, d("1000.00"), d("250.50"), d("25.05"), 10, 40, d("25.00"))
    # fmt: off
    assert report_rows(con, "report/t5_lokasi") == [
        ("36.02.01", "Kecamatan 36.02.01", *s1, 2),
        ("36.02.01.2001", "Desa Sukamaju", *s1, 0),
        ("36.02.02", "Kecamatan Bayah", *nol, *ppd, *nol, d("2500.00"), d("1500.00"), d("60.00"), 0, 20,
         d("0.00"), 0),
        (None, "Jumlah", *pbp, *ppd, *nol, d("3500.00"), d("1750.50"), d("50.01"), 10, 60, d("16.67"), 1),
    ]
    # fmt: on


def test_t6_kelengkapan_shows_each_opds_latest_file_then_the_unattributed(con):
    for file_hash, run_id in [("tanpa", "r3"), ("tanpa_lama", "r0")]:
        submission(con, file_hash, None, None, lolos=False, kode_pemda=None, run_id=run_id)
        staged_file(con, file_hash, None, None, kode_pemda=None)  # mart.berkas takes this run's files
    run(con, "r0", tahun=2023)
    build_marts(con)
    tanggal = "2024-10-07"
    # fmt: off
    assert report_rows(con, "report/t6_kelengkapan") == [
        (DISDIK, "Dinas Pendidikan", "belum", None, None, None, "belum menyampaikan", None, None, None, 0),
        (DINKES, "Dinas Kesehatan", "ya", tanggal, "kes3.xlsx", 0, "ditolak", 1, 0, "Realisasi F7: Pesan R02",
         0),
        (DINSOS, "Dinas Sosial", "ya", tanggal, "sos3.xlsx", 1, "diterima", 0, 0, None, 0),
        (None, "Berkas tanpa identitas yang terbaca", "ya", tanggal, "tanpa.xlsx", None, "ditolak", 1, 0,
         None, 0),
    ]
    # fmt: on


def _belum(kode_skpd, nama_skpd, status):
    """T7's flag 7 for one OPD."""
    return ("OPD belum punya laporan yang diterima untuk triwulan ini", kode_skpd, nama_skpd, *(None,) * 9,
            f"Status: {status}", 0)  # fmt: skip


S2_TW3 = (DINSOS, "Dinas Sosial", S2, f"Sub kegiatan {S2}", "DAU", rp("2500.00"), rp("1500.00"),
          rp("1500.00"), rp("60.00"))  # fmt: skip
# fmt: off
CATATAN_TW3 = [
    ("Pagu berubah sejak triwulan lalu (APBD-P)", *S2_TW3, rp("2000.00"), None,
     "Pembanding: pagu triwulan lalu", 0),
    ("Lonjakan: realisasi dalam triwulan lebih dari separuh pagu", *S2_TW3, None, rp("60.00"),
     "Pembanding: realisasi dalam triwulan terhadap pagu", 0),
    _belum(DISDIK, "Dinas Pendidikan", "belum menyampaikan"),
    _belum(DINKES, "Dinas Kesehatan", "ditolak"),
]
CATATAN_TW2 = [
    ("Serapan OPD kurang dari separuh serapan pemda", DINSOS, "Dinas Sosial", None, None, None, rp("3000.00"),
     rp("100.00"), rp("100.00"), rp("3.33"), None, rp("7.14"), "Pembanding: serapan pemda", 0),
    ("Ada pagu, realisasi kumulatif masih nol", DINSOS, "Dinas Sosial", S2, f"Sub kegiatan {S2}", "DAU",
     rp("2000.00"), rp("0.00"), rp("0.00"), rp("0.00"), None, None, None, 0),
    _belum(DISDIK, "Dinas Pendidikan", "belum menyampaikan"),
]
# fmt: on


@pytest.mark.parametrize(("triwulan", "expected"), [(3, CATATAN_TW3), (2, CATATAN_TW2)])
def test_t7_catatan_raises_each_flag_with_its_figures(con, triwulan, expected):
    assert report_rows(con, "report/t7_catatan", triwulan=triwulan) == expected


def test_t7_catatan_flags_a_stalled_realisasi_and_a_row_dropped_since_last_quarter():
    con = warehouse()
    submission(con, "tw2", 2)
    realisasi(con, "tw2", S1, "1000.00", "300.00", "300.00")
    realisasi(con, "tw2", S2, "1000.00", "0.00", "0.00")
    submission(con, "tw3", 3)
    realisasi(con, "tw3", S1, "1000.00", "0.00", "300.00")
    build_marts(con)
    got = [(r[0], r[3], r[10], r[12]) for r in report_rows(con, "report/t7_catatan")]
    assert got == [
        ("Realisasi kumulatif tidak bertambah sejak triwulan lalu", S1, rp("300.00"),
         "Pembanding: realisasi kumulatif triwulan lalu"),
        ("Baris triwulan lalu tidak ada lagi di laporan triwulan ini", S2, None, "Angka triwulan lalu"),
    ]  # fmt: skip


def test_t8_kabupaten_kota_rolls_the_province_and_each_kab_kota_up(con):
    d = rp
    # fmt: off
    assert report_rows(con, "report/t8_kabupaten_kota", "36") == [
        ("36", "Provinsi Banten (OPD provinsi)", 1, 1, 0, 0, d("100.00"), d("50.00"), d("50.00"), d("50.00"),
         0, 0),
        ("36.02", "Kabupaten Lebak", 3, 1, 1, 1, d("3500.00"), d("1650.50"), d("1750.50"), d("50.01"), 10, 0),
        ("36.03", "Kabupaten Pandeglang", 1, 1, 0, 0, d("7777.00"), d("777.70"), d("777.70"), d("10.00"),
         0, 0),
        (None, "Jumlah provinsi dan kabupaten/kota", 3, 3, 1, 1, d("11377.00"), d("2478.20"), d("2578.20"),
         d("22.66"), 10, 1),
    ]
    # fmt: on


# The report queries, which run for a list of pemda: (model, what a pemda without any figure gets).
# fmt: off
UNTUK_BANYAK_PEMDA = [
    ("report/chart_lokasi", []),
    ("report/chart_serapan_opd", []),
    ("report/chart_strategi", []),
    ("report/chart_triwulan", []),
    ("report/identitas", [("99.99",)]),
    ("report/rekonsiliasi", []),
    ("report/opd_belum_diterima", []),
    ("report/t0_ringkasan", []),
    ("report/t1_strategi", [("Jumlah", 0, *(None,) * 6, 1)]),
    ("report/t2_opd", [(None, "Jumlah", *(None,) * 8, "0 dari 0 OPD diterima", None, 1)]),
    ("report/t3_matriks", [(None, "Jumlah", *(None,) * 20, 1)]),
    ("report/t4_sumber_dana", [("Jumlah", *(rp("0.00"),) * 8, None, None, 1)]),
    ("report/t5_lokasi", [(None, "Jumlah", *(rp("0.00"), rp("0.00"), 0) * 3, rp("0.00"), rp("0.00"), None, 0,
                           None, None, 1)]),
    ("report/t6_kelengkapan", []),
    ("report/t7_catatan", []),
    ("report/t8_kabupaten_kota", [(None, "Jumlah provinsi dan kabupaten/kota", 0, 0, 0, 0, *(rp("0.00"),) * 3,
                                   None, 0, 1)]),
]
# fmt: on


@pytest.mark.parametrize(("name", "empty"), UNTUK_BANYAK_PEMDA)
def test_a_pemda_without_figures_gets_the_rows_of_an_empty_quarter(con, name, empty):
    assert report_rows(con, name, "99.99") == empty


def test_every_report_query_runs_for_a_list_of_pemda():
    listed = {f"report/{p.stem}" for p in SQL_DIR.glob("report/*.sql") if "$pemda" in p.read_text()}
    # sidik fingerprints the inputs of each pemda's report (one row per pemda, tested above).
    assert listed - {"report/sidik"} == {name for name, _ in UNTUK_BANYAK_PEMDA}


@pytest.mark.parametrize(("name", "empty"), UNTUK_BANYAK_PEMDA)
def test_a_report_query_gives_each_pemda_of_a_list_the_rows_it_gives_that_pemda_alone(con, name, empty):
    # Two kab/kota with eleven kecamatan each (a chart shows each pemda's ten largest), a T7 flag and an OPD
    # that never sends; a province beside them, a pemda without figures; and pagu in core that the marts do
    # not have yet, for the reconciliation.
    for file_hash, kode in [("sos3", PEMDA), ("pdg", "36.03")]:
        for k in range(1, 12):
            realisasi(con, file_hash, f"1.06.02.1.02.{k:04}", f"{k}00.00", f"{k}0.00", f"{k}0.00",
                      lokasi=f"{kode}.{k:02}", strategi=("PBP", "PPD", "PKK")[k % 3])  # fmt: skip
        realisasi(con, file_hash, "1.06.02.1.03.0001", "100.00", "90.00", "90.00", lokasi=f"{kode}.01")
    opd_terdaftar(con, DISDIK, "Dinas Pendidikan", kode_pemda="36.03")  # never sends, as in Lebak
    build_marts(con, (PEMDA, TAHUN), ("36", TAHUN), ("36.03", TAHUN))
    realisasi(con, "sos3", S3, "0.01")
    realisasi(con, "pdg", S3, "0.02")
    pemda = ["36.03", "99.99", PEMDA, "36"]
    for triwulan in (2, 3):
        together = run_sql(con, name, pemda=pemda, tahun=TAHUN, triwulan=triwulan)
        alone = [row for kode in sorted(pemda) for row in run_sql(con, name, pemda=[kode], tahun=TAHUN,
                                                                   triwulan=triwulan)]  # fmt: skip
        assert together == alone
    assert len({row[0] for row in together}) >= 2  # of TW III: the rows of several pemda were told apart


def test_sidik_changes_for_the_pemda_whose_rows_changed_and_its_province(con):
    def fingerprints(run_id="r3"):
        names, rows = query_rows(con, "report/sidik", pemda=["36", "36.02", "36.03"], tahun=TAHUN, triwulan=3,
                                 run_id=run_id)  # fmt: skip
        assert names == ["kode_pemda", "sidik_laporan", "sidik_surat"]
        return {kode: (laporan, surat) for kode, laporan, surat in rows}

    before = fingerprints()
    assert fingerprints() == before and len({v for pair in before.values() for v in pair}) >= 3
    realisasi(con, "pdg", S2, "10.00", kumulatif="1.00", lokasi="36.03.01")  # Pandeglang's file, one row more
    build_marts(con, ("36.03", TAHUN))
    after = fingerprints()
    assert after["36.02"] == before["36.02"]
    assert after["36.03"][0] != before["36.03"][0] and after["36"][0] != before["36"][0]

    temuan(
        con, "kes3", "W10", "warning"
    )  # a warning more on Lebak's rejected file: its letter, not its report
    build_marts(con)
    lagi = fingerprints()
    assert lagi["36.02"][0] == after["36.02"][0] and lagi["36.02"][1] != after["36.02"][1]
    # Another run that received nothing: the letter no longer marks Lebak's rejected file new.
    assert fingerprints("r4")["36.02"] == (lagi["36.02"][0], fingerprints("r4")["36.02"][1])
    assert fingerprints("r4")["36.02"][1] != lagi["36.02"][1] and fingerprints("r4")["36.03"] == lagi["36.03"]
