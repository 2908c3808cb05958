"""The subcommands for the files of the OPDs: `periksa` (check files without loading them) and `template`
(the blank workbook of one OPD and quarter)."""

from __future__ import annotations

import argparse
from pathlib import Path

from rekap.cli.common import UsageError


def add_periksa(sub: argparse._SubParsersAction) -> None:
    """The `periksa` subcommand's options."""
    periksa = sub.add_parser("periksa", help="periksa berkas OPD seperti saat rekap, tanpa memuatnya")
    periksa.add_argument("berkas", nargs="+", type=Path, metavar="BERKAS", help="berkas (atau folder) OPD")
    periksa.add_argument("--pemda", help="kode pemda yang direkap, mis. 36.02 (aturan I10)")
    periksa.add_argument("--daftar-opd", type=Path, help="CSV daftar OPD yang wajib melapor (aturan I11)")


def add_template(sub: argparse._SubParsersAction) -> None:
    """The `template` subcommand's options."""
    template = sub.add_parser("template", help="tulis template .xlsx kosong untuk satu OPD dan triwulan")
    template.add_argument("--pemda", required=True, help="kode pemda, mis. 36.02")
    template.add_argument("--tahun", type=int, required=True, help="tahun anggaran, mis. 2024")
    template.add_argument("--triwulan", type=int, required=True, help="triwulan 1-4")
    template.add_argument("--skpd", required=True, help="kode SKPD, mis. 1.06.0.00.0.00.01.0000")
    template.add_argument("--nama-skpd", help="nama OPD")
    template.add_argument("--nama-pemda", help="nama pemda, mis. Kabupaten Lebak")
    template.add_argument(
        "--out", type=Path, help="berkas tujuan (bawaan: <pemda>_<tahun>_TW<q>_<skpd>.xlsx)"
    )


def periksa(args: argparse.Namespace) -> int:
    from rekap.cli.periksa import periksa as check

    missing = [str(p) for p in args.berkas if not p.exists()]
    if missing:
        raise UsageError(f"Berkas tidak ditemukan: {', '.join(missing)}")
    if args.daftar_opd and not args.daftar_opd.is_file():
        raise UsageError(f"Berkas daftar OPD tidak ditemukan: {args.daftar_opd}")
    return check(args.berkas, args.pemda, args.daftar_opd)


def template(args: argparse.Namespace) -> int:
    from rekap.contract.codes import PEMDA_RE, SKPD_RE
    from rekap.report.template import default_template_path, write_template
    from rekap.warehouse.wilayah import nama_wilayah

    if not PEMDA_RE.match(args.pemda):
        raise UsageError(f"Kode pemda tidak sah: {args.pemda} (contoh: 36.02)")
    if not SKPD_RE.match(args.skpd):
        raise UsageError(f"Kode SKPD tidak sah: {args.skpd} (contoh: 1.06.0.00.0.00.01.0000)")
    if not 2020 <= args.tahun <= 2035:
        raise UsageError(f"Tahun {args.tahun} di luar rentang 2020-2035.")
    if not 1 <= args.triwulan <= 4:
        raise UsageError(f"Triwulan {args.triwulan} tidak sah: gunakan 1, 2, 3, atau 4.")
    out = args.out or default_template_path(args.pemda, args.tahun, args.triwulan, args.skpd)
    nama_pemda = args.nama_pemda or nama_wilayah(args.pemda)  # the reference's name: no W11 to come
    path = write_template(out, args.pemda, args.tahun, args.triwulan, args.skpd, args.nama_skpd, nama_pemda)
    print(f"Template ditulis: {path}")
    return 0
