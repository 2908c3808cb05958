"""The warehouse's subcommands: `asal` (the rows behind a figure), `ekspor` (marts to Parquet), `sasaran`
(households in need per desa) and `dasbor` (the dashboard, or one pemda's pages as a folder)."""

from __future__ import annotations

import argparse
from pathlib import Path

from rekap.cli.common import DEMO_OUT, UsageError, path_with_default
from rekap.settings import default_warehouse


def add_asal(sub: argparse._SubParsersAction) -> None:
    """The `asal` subcommand's options."""
    asal = sub.add_parser("asal", help="tampilkan baris berkas di balik sebuah angka laporan")
    path_with_default(asal, "--warehouse", "berkas gudang data", default_warehouse)
    asal.add_argument("--pemda", required=True, help="kode pemda, mis. 36.02")
    asal.add_argument("--tahun", type=int, required=True)
    asal.add_argument("--triwulan", type=int, required=True)
    asal.add_argument("--skpd", help="kode SKPD")
    asal.add_argument("--sub-kegiatan", help="kode sub kegiatan")
    asal.add_argument("--sumber-dana", help="kode sumber dana, mis. DAU")


def add_ekspor(sub: argparse._SubParsersAction) -> None:
    """The `ekspor` subcommand's options."""
    ekspor = sub.add_parser("ekspor", help="ekspor mart gudang data ke Parquet")
    path_with_default(ekspor, "--warehouse", "berkas gudang data", default_warehouse)
    ekspor.add_argument("--out", type=Path, required=True, help="folder tujuan")


def add_sasaran(sub: argparse._SubParsersAction) -> None:
    """The `sasaran` subcommand's options."""
    sasaran = sub.add_parser(
        "sasaran",
        help="muat jumlah KK miskin ekstrem per desa (hanya angka; berkas berisi data pribadi ditolak)",
    )
    sasaran.add_argument(
        "berkas", type=Path, metavar="BERKAS", help="berkas .xlsx/.csv: kode desa, jumlah KK"
    )
    sasaran.add_argument("--tahun", type=int, required=True, help="tahun anggaran, mis. 2024")
    path_with_default(sasaran, "--warehouse", "berkas gudang data", default_warehouse)


def add_dasbor(sub: argparse._SubParsersAction) -> None:
    """The `dasbor` subcommand's options."""
    dasbor = sub.add_parser("dasbor", help="sajikan dasbor dari gudang data yang diterbitkan (hanya membaca)")
    path_with_default(dasbor, "--warehouse", "berkas gudang data", default_warehouse)
    dasbor.add_argument("--host", default="127.0.0.1", help="alamat yang dilayani (bawaan: 127.0.0.1)")
    dasbor.add_argument("--port", type=int, default=8765, help="port (bawaan: 8765)")
    dasbor.add_argument(
        "--jaringan",
        action="store_true",
        help="izinkan alamat selain 127.0.0.1; wajib token REKAP_DASBOR_TOKEN",
    )
    dasbor.add_argument(
        "--unduh-berkas", action="store_true", help="izinkan unduhan berkas asli OPD (selalu dengan token)"
    )
    dasbor.add_argument(
        "--ekspor", type=Path, metavar="FOLDER", help="tulis halaman satu pemda sebagai folder"
    )
    dasbor.add_argument("--pemda", help="kode pemda yang diekspor, mis. 36.02")
    dasbor.add_argument("--tahun", type=int, help="hanya tahun ini (ekspor)")
    dasbor.add_argument("--triwulan", type=int, help="hanya triwulan ini (ekspor)")


def _published(args: argparse.Namespace) -> Path:
    warehouse = args.warehouse or default_warehouse()
    if not warehouse.is_file():
        raise UsageError(f"Gudang data tidak ditemukan: {warehouse}")
    return warehouse


def asal(args: argparse.Namespace) -> int:
    from rekap.contract.format import format_rupiah
    from rekap.report.lineage import lineage
    from rekap.warehouse.store import connect

    con = connect(_published(args), read_only=True)
    try:
        names, rows = lineage(con, args.pemda, args.tahun, args.triwulan, args.skpd, args.sub_kegiatan,
                              args.sumber_dana)  # fmt: skip
    finally:
        con.close()
    if not rows:
        print("Tidak ada baris untuk angka tersebut.")
        return 1
    for r in rows:
        rec = dict(zip(names, r, strict=True))
        amounts = ", ".join(
            f"{label} Rp{format_rupiah(rec[key])}"
            for key, label in (("pagu", "pagu"), ("realisasi_triwulan", "triwulan"),
                               ("realisasi_kumulatif", "s.d. triwulan"))
            if rec[key] is not None
        )  # fmt: skip
        print(f"{rec['kode_skpd']} {rec['kode_sub_kegiatan']} {rec['sumber_dana']} ({rec['peran']}): "
              f"{rec['nama_berkas']} [{rec['sheet']} baris {rec['baris']}, revisi {rec['revisi'] or 0}, "
              f"TW {rec['triwulan_berkas']}] {amounts}; hash {rec['file_hash'][:12]}")  # fmt: skip
    print(f"{len(rows)} baris.")
    return 0


def ekspor(args: argparse.Namespace) -> int:
    from rekap.report.lineage import export_parquet

    for path in export_parquet(_published(args), args.out):
        print(path)
    return 0


def sasaran(args: argparse.Namespace) -> int:
    from rekap.cli.periksa import Verdict, print_verdicts
    from rekap.contract.errors import RunError
    from rekap.load.sasaran import load_sasaran, ringkasan_text
    from rekap.parameters import writable_warehouse
    from rekap.validation.findings import findings_frame

    if not 2020 <= args.tahun <= 2035:
        raise UsageError(f"Tahun {args.tahun} di luar rentang 2020-2035.")
    if not args.berkas.is_file():
        raise UsageError(f"Berkas tidak ditemukan: {args.berkas}")
    try:
        warehouse = writable_warehouse(args.warehouse)
    except RunError as exc:
        raise UsageError(str(exc)) from exc
    hasil = load_sasaran(args.berkas, args.tahun, warehouse)
    print_verdicts([Verdict(args.berkas, hasil.parsed, findings_frame(hasil.findings))])
    if not hasil.diterima:
        print("Berkas sasaran TIDAK dimuat; tidak ada isinya yang disimpan.")
        return 1
    print(ringkasan_text(hasil, args.tahun))
    return 0


# A token must be long enough that guessing it over the network is hopeless.
TOKEN_MIN_CHARS = 16


def dasbor(args: argparse.Namespace) -> int:
    from rekap.dasbor.app import LOOPBACK, serve
    from rekap.settings import raw_dir_for, setting

    warehouse = args.warehouse or default_warehouse()
    demo = DEMO_OUT / "gudang-ke.duckdb"
    if args.warehouse is None and not warehouse.exists() and demo.is_file():
        # A steward who has just run `rekap demo` sees its warehouse without having to name it.
        print(f"Gudang data {warehouse} belum ada; memakai gudang data demo {demo}.")
        warehouse = demo
    if args.ekspor is not None:
        return _ekspor(args, warehouse)
    token = setting("REKAP_DASBOR_TOKEN")
    if args.host not in LOOPBACK and not args.jaringan:
        raise UsageError(f"Alamat {args.host} melayani jaringan: tambahkan --jaringan (dan tetapkan token).")
    if (args.jaringan or args.unduh_berkas) and not token:
        raise UsageError(
            "Dasbor di jaringan atau dengan unduhan berkas butuh token: REKAP_DASBOR_TOKEN di environment "
            "atau Secret block rekap-dasbor-token."
        )
    if args.jaringan and len(token or "") < TOKEN_MIN_CHARS:
        raise UsageError(f"Token dasbor terlalu pendek: paling sedikit {TOKEN_MIN_CHARS} karakter.")
    if not warehouse.is_file():
        print(f"Gudang data belum ada: {warehouse}; dasbor menunggu rekap pertama yang menerbitkannya.")
    shown = f"[{args.host}]" if ":" in args.host else args.host
    print(f"Dasbor: http://{shown}:{args.port}/  (hanya membaca {warehouse}; Ctrl+C untuk berhenti)")
    serve(warehouse, args.host, args.port, token, args.unduh_berkas, raw_dir_for(warehouse))
    return 0


def _ekspor(args: argparse.Namespace, warehouse: Path) -> int:
    from rekap.contract.codes import PEMDA_RE
    from rekap.dasbor.ekspor import export_pemda
    from rekap.dasbor.halaman import TidakAda

    if not args.pemda or not PEMDA_RE.match(args.pemda):
        raise UsageError("Ekspor dasbor butuh --pemda, mis. --pemda 36.02.")
    if not warehouse.is_file():
        raise UsageError(f"Gudang data tidak ditemukan: {warehouse}")
    try:
        written = export_pemda(warehouse, args.ekspor, args.pemda, args.tahun, args.triwulan)
    except (TidakAda, FileExistsError) as exc:
        raise UsageError(str(exc)) from exc
    index = args.ekspor / "index.html"
    print(f"Dasbor pemda {args.pemda}: {len(written)} halaman di {args.ekspor} (buka {index}).")
    return 0
