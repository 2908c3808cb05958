"""The catalogue: the 18 OPDs that carry KE budget, their sub kegiatan, and how OPDs write strategi and
sumber dana. Every generated pemda has these OPDs (the bundled sample is Kabupaten Lebak's)."""

from __future__ import annotations

from dataclasses import dataclass

from rekap.contract.codes import STRATEGI


@dataclass(frozen=True)
class SubKegiatan:
    """A sub kegiatan an OPD tags for KE, with the range its target volume is drawn from."""

    kode: str
    nama: str
    strategi: str
    indikator: str
    satuan: str
    volume: tuple[int, int]  # range of the target volume
    sumber: tuple[str, ...]  # one row per sumber dana


@dataclass(frozen=True)
class Opd:
    """An OPD: its codes, its APBD murni pagu for KE, its head, and its sub kegiatan."""

    key: str
    kode: str
    nama: str
    singkatan: str
    pagu_total: int  # APBD murni, rupiah
    kepala: str
    nip: str
    sub_kegiatan: tuple[SubKegiatan, ...]


_SK = SubKegiatan

# Codes follow Permendagri 90/2019 (urusan.bidang of the unit, then program/kegiatan/sub kegiatan of
# the same bidang, kegiatan type 2 = kabupaten/kota). Names and numbers are plausible, not copied from
# the Kepmendagri list. Heads of agency and NIPs are fictitious.
# fmt: off
CATALOGUE: tuple[Opd, ...] = (
    Opd("dindikbud", "1.01.0.00.0.00.01.0000", "Dinas Pendidikan dan Kebudayaan", "Dindikbud",
        71_325_480_000, "Drs. H. Asep Saepulloh, M.Pd", "196807121994031007", (
        _SK("1.01.02.2.01.0009", "Rehabilitasi Sedang/Berat Ruang Kelas Sekolah Dasar", "PKK",
            "Jumlah ruang kelas SD di kantong kemiskinan yang direhabilitasi", "Unit", (20, 60),
            ("DAK_FISIK", "DAU")),
        _SK("1.01.02.2.01.0054", "Penyediaan Biaya Personil Peserta Didik Sekolah Dasar", "PBP",
            "Jumlah peserta didik SD dari keluarga miskin ekstrem penerima bantuan biaya personil",
            "Orang", (2500, 6000), ("DAU",)),
        _SK("1.01.02.2.02.0002", "Pembangunan Ruang Kelas Baru Sekolah Menengah Pertama", "PKK",
            "Jumlah ruang kelas baru SMP yang dibangun", "Unit", (8, 24), ("DAK_FISIK",)),
        _SK("1.01.02.2.02.0032", "Penyediaan Biaya Personil Peserta Didik Sekolah Menengah Pertama", "PBP",
            "Jumlah peserta didik SMP dari keluarga miskin ekstrem penerima bantuan biaya personil",
            "Orang", (1500, 4000), ("DAU", "DID")),
        _SK("1.01.02.2.03.0011", "Rehabilitasi Sedang/Berat Sarana, Prasarana dan Utilitas PAUD", "PKK",
            "Jumlah satuan PAUD yang direhabilitasi", "Unit", (6, 20), ("DAU",)),
        _SK("1.01.02.2.04.0007", "Penyediaan Biaya Personil Peserta Didik Nonformal/Kesetaraan", "PBP",
            "Jumlah warga belajar Paket A/B/C dari keluarga miskin", "Orang", (400, 1200),
            ("DAK_NONFISIK", "PAD")),
        _SK("1.01.02.2.01.0016", "Pengadaan Perlengkapan Peserta Didik dari Keluarga Miskin", "PBP",
            "Jumlah paket seragam dan perlengkapan sekolah yang disalurkan", "Paket", (1000, 3000),
            ("PAD",)),
    )),
    Opd("dinkes", "1.02.0.00.0.00.01.0000", "Dinas Kesehatan", "Dinkes",
        96_208_935_000, "dr. Rina Marlina, M.K.M", "197403152003122004", (
        _SK("1.02.02.2.02.0020", "Pengelolaan Jaminan Kesehatan Masyarakat", "PBP",
            "Jumlah penduduk miskin yang iuran JKN-nya dibayar Pemda (PBI APBD)", "Jiwa", (30000, 60000),
            ("DAU", "DBH")),
        _SK("1.02.02.2.02.0001", "Pengelolaan Pelayanan Kesehatan Ibu Hamil", "PKK",
            "Jumlah ibu hamil dari keluarga miskin yang mendapat pelayanan sesuai standar", "Orang",
            (1500, 4000), ("DAK_NONFISIK", "DAU")),
        _SK("1.02.02.2.02.0004", "Pengelolaan Pelayanan Kesehatan Balita", "PKK",
            "Jumlah balita dari keluarga miskin yang mendapat pelayanan sesuai standar", "Orang",
            (3000, 8000), ("DAK_NONFISIK",)),
        _SK("1.02.02.2.02.0027", "Pengelolaan Pelayanan Kesehatan Gizi Masyarakat", "PBP",
            "Jumlah balita gizi kurang dari keluarga miskin yang menerima PMT", "Orang", (800, 2500),
            ("DAU",)),
        _SK("1.02.02.2.02.0031", "Pengelolaan Pelayanan Kesehatan Lingkungan", "PKK",
            "Jumlah desa yang melaksanakan STBM", "Desa", (40, 120), ("DAU", "DID")),
        _SK("1.02.02.2.02.0014", "Pengelolaan Pelayanan Kesehatan Orang Terduga Tuberkulosis", "PKK",
            "Jumlah orang terduga TBC dari keluarga miskin yang mendapat pelayanan", "Orang", (600, 1800),
            ("DBH",)),
        _SK("1.02.02.2.01.0009", "Rehabilitasi dan Pemeliharaan Puskesmas", "PKK",
            "Jumlah puskesmas di kecamatan kantong kemiskinan yang direhabilitasi", "Unit", (3, 9),
            ("DAK_FISIK", "DAU")),
        _SK("1.02.02.2.01.0014",
            "Pengadaan Alat Kesehatan/Alat Penunjang Medik Fasilitas Pelayanan Kesehatan", "PKK",
            "Jumlah paket alat kesehatan yang disediakan", "Paket", (10, 40), ("DAK_FISIK",)),
    )),
    Opd("pupr", "1.03.0.00.0.00.01.0000", "Dinas Pekerjaan Umum dan Penataan Ruang", "PUPR",
        141_486_250_000, "Ir. Deden Supriatna, M.T.", "197009231998031005", (
        _SK("1.03.10.2.01.0017", "Rehabilitasi Jalan", "PKK",
            "Panjang jalan kabupaten di wilayah kantong kemiskinan yang direhabilitasi", "Km", (8, 25),
            ("DAU", "DAK_FISIK")),
        _SK("1.03.10.2.01.0012", "Rekonstruksi Jalan", "PKK",
            "Panjang jalan kabupaten yang direkonstruksi", "Km", (5, 18), ("DAU", "DID", "BANKEU")),
        _SK("1.03.10.2.01.0038", "Pembangunan Jembatan Gantung", "PKK",
            "Jumlah jembatan gantung penghubung desa terisolir yang dibangun", "Unit", (3, 10),
            ("DAK_FISIK", "DAU")),
        _SK("1.03.03.2.01.0003", "Pembangunan SPAM Jaringan Perpipaan di Kawasan Perdesaan", "PKK",
            "Jumlah sambungan rumah SPAM perdesaan yang terbangun", "Unit", (800, 2500),
            ("DAK_FISIK", "DAU")),
        _SK("1.03.05.2.01.0011", "Pembangunan Sistem Pengelolaan Air Limbah Domestik Setempat (SPALD-S)",
            "PKK", "Jumlah tangki septik individual yang dibangun", "Unit", (300, 900), ("DAK_FISIK",)),
        _SK("1.03.02.2.02.0023", "Rehabilitasi Jaringan Irigasi Permukaan", "PPD",
            "Luas daerah irigasi yang direhabilitasi", "Hektare", (150, 600), ("DAU",)),
    )),
    Opd("perkim", "1.04.0.00.0.00.01.0000", "Dinas Perumahan Rakyat dan Kawasan Permukiman", "Perkim",
        88_412_700_000, "Iwan Kurniawan, S.T., M.Si", "197511072001121002", (
        _SK("1.04.02.2.01.0015", "Rehabilitasi Rumah Tidak Layak Huni bagi Keluarga Miskin", "PKK",
            "Jumlah RTLH keluarga miskin ekstrem yang direhabilitasi", "Rumah", (600, 1800),
            ("DAU", "DID", "BANKEU")),
        _SK("1.04.02.2.01.0014", "Pembangunan Rumah Tidak Layak Huni", "PKK",
            "Jumlah rumah layak huni yang dibangun kembali", "Rumah", (150, 450), ("DAU", "DAK_FISIK")),
        _SK("1.04.03.2.02.0008",
            "Peningkatan Kualitas Kawasan Permukiman Kumuh dengan Luas di Bawah 10 (sepuluh) Ha", "PKK",
            "Luas kawasan permukiman kumuh yang ditangani", "Hektare", (10, 40), ("DAU", "DAK_FISIK")),
        _SK("1.04.04.2.01.0003",
            "Penyediaan Prasarana, Sarana dan Utilitas Umum di Perumahan untuk Menunjang Fungsi Hunian",
            "PKK", "Jumlah unit PSU perumahan yang dibangun", "Unit", (10, 35), ("PAD",)),
        _SK("1.04.02.2.02.0004",
            "Penyediaan dan Rehabilitasi Rumah Korban Bencana atau Relokasi Program Kabupaten/Kota", "PBP",
            "Jumlah rumah korban bencana yang direhabilitasi", "Rumah", (40, 120), ("DAU",)),
    )),
    Opd("dinsos", "1.06.0.00.0.00.01.0000", "Dinas Sosial", "Dinsos",
        38_617_220_000, "Drs. Eman Suherman, M.Si", "196905141995031003", (
        _SK("1.06.04.2.01.0001", "Penyediaan Permakanan", "PBP",
            "Jumlah lanjut usia terlantar yang mendapat permakanan", "Orang", (120, 400), ("DAU", "PAD")),
        _SK("1.06.05.2.02.0001", "Pengelolaan Data Fakir Miskin Cakupan Daerah Kabupaten/Kota", "PBP",
            "Jumlah dokumen hasil verifikasi dan validasi DTKS/P3KE", "Dokumen", (1, 4), ("DAU",)),
        _SK("1.06.05.2.03.0001", "Pemberian Bantuan Sosial kepada Keluarga Miskin", "PBP",
            "Jumlah keluarga miskin ekstrem penerima bantuan sosial", "KK", (2000, 5000),
            ("DAU", "DID", "BANKEU")),
        _SK("1.06.03.2.01.0004", "Pemberdayaan Sosial Komunitas Adat Terpencil (KAT)", "PPD",
            "Jumlah KK komunitas adat terpencil yang diberdayakan", "KK", (100, 300), ("DAU",)),
        _SK("1.06.03.2.03.0002", "Pemberian Bantuan Usaha Ekonomi Produktif (UEP) bagi Keluarga Miskin",
            "PPD", "Jumlah keluarga penerima manfaat bantuan UEP", "KK", (400, 1200), ("DAU", "PAD")),
        _SK("1.06.03.2.03.0001", "Pembinaan Kelompok Usaha Bersama (KUBE)", "PPD",
            "Jumlah KUBE yang dibina", "Kelompok", (20, 80), ("DAU",)),
        _SK("1.06.04.2.02.0003", "Penyediaan Alat Bantu bagi Penyandang Disabilitas Terlantar", "PBP",
            "Jumlah penyandang disabilitas yang menerima alat bantu", "Orang", (80, 250), ("PAD",)),
        _SK("1.06.06.2.01.0001", "Penyediaan Makanan bagi Korban Bencana Alam", "PBP",
            "Jumlah paket makanan yang disalurkan", "Paket", (1500, 5000), ("DAU",)),
        _SK("1.06.05.2.01.0002", "Fasilitasi Jaminan Sosial Ketenagakerjaan bagi Pekerja Rentan", "PBP",
            "Jumlah pekerja rentan yang didaftarkan BPJS Ketenagakerjaan", "Orang", (3000, 9000), ("DBH",)),
    )),
    Opd("disnakertrans", "2.07.3.32.0.00.01.0000", "Dinas Tenaga Kerja dan Transmigrasi", "Disnakertrans",
        6_395_000_000, "H. Ujang Hidayat, S.Sos., M.Si", "197112201997031004", (
        _SK("2.07.03.2.01.0001",
            "Proses Pelaksanaan Pendidikan dan Pelatihan Keterampilan bagi Pencari Kerja berdasarkan "
            "Klaster Kompetensi", "PPD", "Jumlah pencari kerja dari keluarga miskin yang dilatih", "Orang",
            (200, 600), ("DAU", "DAK_NONFISIK")),
        _SK("2.07.04.2.01.0002", "Pelayanan Antarkerja di Daerah Kabupaten/Kota", "PPD",
            "Jumlah pencari kerja dari keluarga miskin yang ditempatkan", "Orang", (150, 500), ("DAU",)),
        _SK("2.07.04.2.02.0001", "Perluasan Kesempatan Kerja melalui Padat Karya", "PPD",
            "Jumlah tenaga kerja padat karya", "Orang", (300, 900), ("PAD",)),
        _SK("3.32.03.2.01.0002", "Pengembangan Satuan Permukiman pada Tahap Kemandirian", "PKK",
            "Jumlah KK transmigran lokal yang difasilitasi", "KK", (50, 150), ("DAU",)),
    )),
    Opd("dp3ap2kb", "2.08.2.14.0.00.01.0000",
        "Dinas Pengendalian Penduduk, Keluarga Berencana, Pemberdayaan Perempuan dan Perlindungan Anak",
        "DP3AP2KB", 4_618_900_000, "Hj. Neneng Nurhasanah, S.Sos., M.Si", "197202181998032006", (
        _SK("2.08.02.2.02.0001", "Pemberdayaan Ekonomi Perempuan Kepala Keluarga", "PPD",
            "Jumlah perempuan kepala keluarga miskin yang dilatih usaha", "Orang", (150, 400), ("DAU",)),
        _SK("2.08.04.2.01.0002", "Penyediaan Layanan Perlindungan Perempuan dan Anak dari Keluarga Miskin",
            "PBP", "Jumlah perempuan dan anak yang mendapat layanan perlindungan", "Orang", (100, 300),
            ("PAD",)),
        _SK("2.14.04.2.01.0003", "Pelaksanaan Pendampingan Keluarga Berisiko Stunting", "PKK",
            "Jumlah keluarga berisiko stunting yang didampingi", "KK", (2000, 6000), ("DAK_NONFISIK", "DAU")),
        _SK("2.14.04.2.02.0002",
            "Pembinaan Kelompok Usaha Peningkatan Pendapatan Keluarga Akseptor (UPPKA)", "PPD",
            "Jumlah kelompok UPPKA yang dibina", "Kelompok", (20, 60), ("DAU",)),
    )),
    Opd("dkp", "2.09.0.00.0.00.01.0000", "Dinas Ketahanan Pangan", "DKP",
        5_893_125_000, "Ir. Dadang Rukmana, M.P", "196910041996031002", (
        _SK("2.09.03.2.01.0002", "Penyediaan dan Penyaluran Pangan Pokok bagi Keluarga Miskin Ekstrem",
            "PBP", "Jumlah paket pangan pokok yang disalurkan", "Paket", (3000, 8000), ("DAU",)),
        _SK("2.09.03.2.02.0001", "Penyediaan Cadangan Pangan Pemerintah Kabupaten/Kota", "PBP",
            "Jumlah cadangan beras pemerintah daerah", "Ton", (40, 120), ("DAU", "DID")),
        _SK("2.09.04.2.01.0003",
            "Pemberdayaan Masyarakat dalam Penganekaragaman Konsumsi Pangan (Pekarangan Pangan Lestari)",
            "PPD", "Jumlah kelompok pekarangan pangan lestari yang dibina", "Kelompok", (15, 45),
            ("DAK_NONFISIK",)),
        _SK("2.09.05.2.01.0001", "Penanganan Kerawanan Pangan Kewenangan Kabupaten/Kota", "PBP",
            "Jumlah desa rawan pangan yang ditangani", "Desa", (10, 30), ("PAD",)),
    )),
    Opd("dlh", "2.11.0.00.0.00.01.0000", "Dinas Lingkungan Hidup", "DLH",
        3_704_800_000, "Agus Setiawan, S.Hut., M.Si", "197608162002121003", (
        _SK("2.11.11.2.01.0004",
            "Penanganan Sampah dengan Melakukan Pemilahan, Pengumpulan, Pengangkutan, Pengolahan, dan "
            "Pemrosesan Akhir Sampah", "PKK", "Jumlah desa yang terlayani pengangkutan sampah", "Desa",
            (15, 45), ("DAU",)),
        _SK("2.11.11.2.01.0009", "Pembangunan Tempat Pengolahan Sampah Reduce-Reuse-Recycle (TPS3R)", "PKK",
            "Jumlah TPS3R yang dibangun", "Unit", (2, 6), ("DAK_FISIK", "DAU")),
        _SK("2.11.11.2.01.0007", "Pembinaan Bank Sampah sebagai Sumber Pendapatan Masyarakat", "PPD",
            "Jumlah bank sampah yang dibina", "Kelompok", (20, 60), ("PAD",)),
    )),
    Opd("disdukcapil", "2.12.0.00.0.00.01.0000", "Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil",
        1_786_350_000, "Yayan Sofyan, S.IP., M.Si", "197303251999031005", (
        _SK("2.12.02.2.01.0001", "Pelayanan Pendaftaran Penduduk", "PBP",
            "Jumlah dokumen kependudukan (KK/KTP-el) keluarga miskin ekstrem yang diterbitkan", "Dokumen",
            (4000, 9000), ("DAU", "PAD")),
        _SK("2.12.03.2.01.0001", "Pelayanan Pencatatan Sipil", "PBP",
            "Jumlah akta kelahiran anak dari keluarga miskin yang diterbitkan", "Dokumen", (2000, 6000),
            ("DAU",)),
    )),
    Opd("dpmd", "2.13.0.00.0.00.01.0000", "Dinas Pemberdayaan Masyarakat dan Desa", "DPMD",
        14_236_500_000, "Drs. Endang Rachmat, M.Si", "196812301993031008", (
        _SK("2.13.04.2.01.0003", "Fasilitasi Pengembangan Badan Usaha Milik Desa (BUM Desa)", "PPD",
            "Jumlah BUM Desa yang difasilitasi", "Unit", (30, 90), ("DAU",)),
        _SK("2.13.05.2.02.0004", "Fasilitasi Penyaluran Bantuan Langsung Tunai Dana Desa", "PBP",
            "Jumlah keluarga penerima BLT Dana Desa", "KK", (1500, 4000), ("DANA_DESA",)),
        _SK("2.13.03.2.01.0001", "Fasilitasi Penataan dan Pembangunan Kawasan Perdesaan", "PKK",
            "Jumlah desa yang difasilitasi", "Desa", (10, 30), ("DAU",)),
        _SK("2.13.04.2.02.0001", "Pemberdayaan Masyarakat melalui Padat Karya Tunai Desa", "PPD",
            "Jumlah warga miskin yang bekerja pada padat karya tunai desa", "Orang", (500, 1500),
            ("BANKEU",)),
        _SK("2.13.05.2.01.0005", "Fasilitasi Bantuan Keuangan Infrastruktur Desa", "PKK",
            "Jumlah desa penerima bantuan keuangan infrastruktur", "Desa", (20, 60), ("BANKEU", "DAU")),
    )),
    Opd("diskominfo", "2.16.2.20.2.21.01.0000", "Dinas Komunikasi, Informatika, Statistik dan Persandian",
        "Diskominfo", 862_415_000, "Rudi Hartono, S.Kom., M.M", "197905282005011004", (
        _SK("2.16.03.2.01.0004", "Penyediaan Akses Internet di Desa Blank Spot", "PKK",
            "Jumlah desa blank spot yang mendapat akses internet", "Desa", (5, 15), ("DAU",)),
        _SK("2.20.02.2.01.0001", "Penyelenggaraan Statistik Sektoral: Pemutakhiran Data P3KE", "PBP",
            "Jumlah dokumen data P3KE yang dimutakhirkan", "Dokumen", (1, 3), ("PAD",)),
        _SK("2.16.02.2.01.0003", "Diseminasi Informasi Program Penghapusan Kemiskinan Ekstrem", "PBP",
            "Jumlah kegiatan diseminasi informasi", "Kegiatan", (4, 12), ("PAD",)),
    )),
    Opd("diskop", "2.17.0.00.0.00.01.0000", "Dinas Koperasi dan Usaha Kecil Menengah", "Diskop UKM",
        5_087_650_000, "Hj. Euis Kurniasih, S.E., M.Si", "197410092000032003", (
        _SK("2.17.05.2.01.0001",
            "Pemberdayaan Usaha Mikro melalui Pendataan, Kemitraan, Kemudahan Perizinan dan Penguatan "
            "Kelembagaan", "PPD", "Jumlah usaha mikro keluarga miskin yang diberdayakan", "Unit Usaha",
            (150, 450), ("DAU",)),
        _SK("2.17.06.2.01.0001",
            "Pengembangan Usaha Mikro dengan Orientasi Peningkatan Skala Usaha Menjadi Usaha Kecil", "PPD",
            "Jumlah usaha mikro yang naik kelas", "Unit Usaha", (50, 150), ("DAU", "PAD")),
        _SK("2.17.04.2.01.0003", "Pelatihan Perkoperasian bagi Anggota Koperasi", "PPD",
            "Jumlah anggota koperasi yang dilatih", "Orang", (100, 300), ("DAK_NONFISIK",)),
        _SK("2.17.05.2.01.0004", "Bantuan Modal Usaha bagi Usaha Mikro Keluarga Miskin", "PPD",
            "Jumlah usaha mikro penerima bantuan modal", "Unit Usaha", (200, 600), ("DID",)),
    )),
    Opd("diskan", "3.25.0.00.0.00.01.0000", "Dinas Perikanan", "Diskan",
        4_312_400_000, "Ir. Nana Sutisna, M.Si", "197101151997031006", (
        _SK("3.25.03.2.01.0002", "Pemberdayaan Nelayan Kecil dalam Daerah Kabupaten/Kota", "PPD",
            "Jumlah nelayan kecil yang menerima sarana penangkapan ikan", "Orang", (150, 450),
            ("DAU", "DAK_FISIK")),
        _SK("3.25.04.2.01.0003", "Pemberdayaan Pembudi Daya Ikan Kecil", "PPD",
            "Jumlah pembudi daya ikan kecil yang diberdayakan", "Orang", (100, 300), ("DAU",)),
        _SK("3.25.03.2.02.0001", "Pengelolaan dan Penyelenggaraan Tempat Pelelangan Ikan (TPI)", "PKK",
            "Jumlah TPI yang dikelola", "Unit", (2, 5), ("PAD",)),
        _SK("3.25.05.2.01.0002",
            "Pembinaan Mutu dan Keamanan Hasil Perikanan bagi Usaha Pengolahan dan Pemasaran Skala Mikro "
            "dan Kecil", "PPD", "Jumlah usaha pengolahan ikan yang dibina", "Unit Usaha", (30, 90),
            ("DAU",)),
    )),
    Opd("dispar", "3.26.0.00.0.00.01.0000", "Dinas Pariwisata", "Dispar",
        1_195_500_000, "Cecep Firmansyah, S.STP., M.Si", "198003172000121001", (
        _SK("3.26.03.2.02.0001", "Pengembangan Desa Wisata Berbasis Masyarakat", "PPD",
            "Jumlah desa wisata yang dikembangkan", "Desa", (3, 10), ("DAU",)),
        _SK("3.26.04.2.01.0002", "Pelatihan Pelaku Ekonomi Kreatif", "PPD",
            "Jumlah pelaku ekonomi kreatif dari keluarga miskin yang dilatih", "Orang", (60, 200),
            ("PAD", "DAK_NONFISIK")),
    )),
    Opd("distan", "3.27.0.00.0.00.01.0000", "Dinas Pertanian", "Distan",
        12_784_310_000, "Ir. Rahmat Hidayat, M.P", "196911201996031004", (
        _SK("3.27.02.2.01.0001", "Penyediaan Benih Tanaman Pangan dan Hortikultura bagi Petani Miskin", "PPD",
            "Jumlah paket benih yang disalurkan", "Paket", (1500, 4000), ("DAU", "DID")),
        _SK("3.27.02.2.01.0002", "Penyediaan Benih/Bibit Ternak dan Hijauan Pakan Ternak", "PPD",
            "Jumlah bibit ternak yang disalurkan", "Ekor", (300, 900), ("DAU",)),
        _SK("3.27.03.2.01.0008", "Pembangunan Jalan Usaha Tani", "PKK",
            "Panjang jalan usaha tani yang dibangun", "Km", (6, 20), ("DAK_FISIK", "DAU")),
        _SK("3.27.03.2.01.0004", "Pembangunan dan Rehabilitasi Jaringan Irigasi Usaha Tani", "PPD",
            "Jumlah unit jaringan irigasi usaha tani yang dibangun", "Unit", (10, 30), ("DAK_FISIK",)),
        _SK("3.27.02.2.03.0001", "Penyediaan Alat dan Mesin Pertanian", "PPD",
            "Jumlah alat dan mesin pertanian yang disalurkan", "Unit", (20, 60), ("DAU",)),
        _SK("3.27.07.2.01.0002", "Penyuluhan dan Pendampingan Petani Miskin", "PPD",
            "Jumlah kelompok tani yang didampingi", "Kelompok", (40, 120), ("PAD",)),
    )),
    Opd("disperindag", "3.30.3.31.0.00.01.0000", "Dinas Perindustrian dan Perdagangan", "Disperindag",
        2_912_275_000, "H. Tatang Sutarna, S.E., M.M", "197006121996031003", (
        _SK("3.30.02.2.01.0003", "Pelaksanaan Operasi Pasar Murah Bahan Pokok", "PBP",
            "Jumlah paket bahan pokok murah yang disalurkan", "Paket", (3000, 8000), ("PAD",)),
        _SK("3.30.03.2.01.0001",
            "Pembangunan dan Pengelolaan Sarana Distribusi Perdagangan (Pasar Rakyat)", "PKK",
            "Jumlah pasar rakyat yang dibangun atau direvitalisasi", "Unit", (1, 3), ("DAK_FISIK",)),
        _SK("3.31.03.2.01.0001", "Pembinaan Industri Kecil dan Menengah", "PPD",
            "Jumlah IKM yang dibina", "Unit Usaha", (40, 120), ("DAU",)),
        _SK("3.31.04.2.01.0002", "Pelatihan dan Pendampingan Wirausaha Baru Industri Kecil", "PPD",
            "Jumlah wirausaha baru dari keluarga miskin yang dilatih", "Orang", (60, 180), ("DID",)),
    )),
    Opd("bappeda", "5.01.5.05.0.00.01.0000", "Badan Perencanaan Pembangunan Daerah", "Bappeda",
        1_108_640_000, "Dr. H. Budi Santoso, S.T., M.T.", "197207141998031009", (
        _SK("5.01.02.2.01.0009", "Koordinasi Perencanaan Penanggulangan Kemiskinan Daerah (TKPKD)", "PBP",
            "Jumlah dokumen rencana aksi penanggulangan kemiskinan daerah", "Dokumen", (1, 3),
            ("DAU", "DID")),
        _SK("5.05.02.2.01.0001", "Kajian Kantong Kemiskinan Ekstrem", "PKK",
            "Jumlah dokumen kajian kantong kemiskinan", "Dokumen", (1, 2), ("PAD",)),
    )),
)
# fmt: on

STRATEGI_NOMOR = {code: str(nomor) for nomor, code in enumerate(STRATEGI, start=1)}

# Sumber dana as SIPD and OPDs write it in free text; every one must map back to its code.
SUMBER_DANA_TEKS: dict[str, tuple[str, ...]] = {
    "PAD": ("PENDAPATAN ASLI DAERAH (PAD)", "Pendapatan Asli Daerah"),
    "DAU": ("Dana Transfer Umum-Dana Alokasi Umum", "DAU"),
    "DBH": ("Dana Transfer Umum-Dana Bagi Hasil", "Dana Bagi Hasil"),
    "DAK_FISIK": ("DAK Fisik", "Dana Transfer Khusus-Dana Alokasi Khusus Fisik"),
    "DAK_NONFISIK": ("DAK Non Fisik", "Dana Transfer Khusus-Dana Alokasi Khusus Non Fisik"),
    "DID": ("Insentif Fiskal", "Dana Insentif Daerah (DID)"),
    "BANKEU": ("Bantuan Keuangan Provinsi", "Bantuan Keuangan Provinsi Banten"),
    "DANA_DESA": ("Dana Desa",),
}

# APBD perubahan adopted before TW III: (OPD, sub kegiatan, sumber dana) -> change of pagu in percent.
PAGU_PERUBAHAN: dict[tuple[str, str, str], int] = {
    ("dinsos", "1.06.05.2.03.0001", "DAU"): 15,
    ("pupr", "1.03.10.2.01.0012", "BANKEU"): 20,
    ("dinkes", "1.02.02.2.02.0020", "DAU"): 10,
    ("distan", "3.27.03.2.01.0008", "DAU"): -20,
}
