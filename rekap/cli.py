"""The `rekap` command for data stewards. Messages are in Bahasa Indonesia."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from rekap.settings import SAMPLE_DIR, default_out_dir, default_warehouse

# Nothing phones home, whatever the machine's Prefect profile says.
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


class UsageError(Exception):
    """Bad arguments or environment: reported in one line, exit status 2."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rekap",
        description="Rekap realisasi anggaran penghapusan kemiskinan ekstrem (KE) per triwulan.",
    )
    sub = parser.add_subparsers(dest="perintah", required=True, metavar="PERINTAH")

    demo = sub.add_parser("demo", help="jalankan rekap pada data contoh Kabupaten Lebak 2024 TW III")
    demo.add_argument("--out", type=Path, default=Path("keluaran/demo"), help="folder keluaran")

    run = sub.add_parser("run", help="rekap satu triwulan dari folder berkas OPD")
    run.add_argument("--source", required=True, help="folder berisi berkas OPD")
    run.add_argument("--tahun", type=int, required=True, help="tahun anggaran, mis. 2024")
    run.add_argument("--triwulan", type=int, required=True, help="triwulan 1-4")
    run.add_argument("--pemda", help="kode pemda, mis. 36.02 (kosong: semua pemda dalam berkas)")
    run.add_argument("--daftar-opd", type=Path, help="CSV daftar OPD yang wajib melapor")
    run.add_argument("--warehouse", type=Path, help=f"berkas gudang data (bawaan: {default_warehouse()})")
    run.add_argument("--out", type=Path, help=f"folder laporan (bawaan: {default_out_dir()})")
    return parser


def _check_run_args(args: argparse.Namespace) -> None:
    if not 2020 <= args.tahun <= 2035:
        raise UsageError(f"Tahun {args.tahun} di luar rentang 2020-2035.")
    if not 1 <= args.triwulan <= 4:
        raise UsageError(f"Triwulan {args.triwulan} tidak sah: gunakan 1, 2, 3, atau 4.")
    if not Path(args.source).exists():
        raise UsageError(f"Folder sumber tidak ditemukan: {args.source}")
    if args.daftar_opd and not args.daftar_opd.is_file():
        raise UsageError(f"Berkas daftar OPD tidak ditemukan: {args.daftar_opd}")
    warehouse = args.warehouse or default_warehouse()
    try:  # the only honest test of writability is to write (root passes every os.access check)
        warehouse.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=warehouse.parent):
            pass
        if warehouse.exists() and not os.access(warehouse, os.W_OK):
            raise PermissionError(warehouse)
    except OSError as exc:
        raise UsageError(f"Gudang data tidak dapat ditulis: {warehouse}") from exc


def _print_summary(summary) -> None:  # type: ignore[no-untyped-def]
    print()
    print(f"Rekap TA {summary.tahun} triwulan {summary.triwulan} selesai.")
    print(
        f"  Berkas baru: {summary.files_new} ({summary.accepted} diterima, {summary.rejected} ditolak); "
        f"{summary.files_deferred} berkas untuk triwulan/tahun lain disimpan untuk nanti."
    )
    print(
        f"  Baris dibaca: {summary.rows_read} = {summary.rows_accepted} diterima + "
        f"{summary.rows_rejected} ditolak."
    )
    for kode_pemda, paths in summary.reports.items():
        print(f"  Laporan pemda {kode_pemda}:")
        for path in paths:
            print(f"    {path}")


def _run(
    source: str,
    tahun: int,
    triwulan: int,
    pemda: str | None,
    daftar_opd: Path | None,
    warehouse: Path | None,
    out: Path | None,
) -> int:
    from flows.kuartal import rekap_triwulan

    summary = rekap_triwulan(
        source=str(source), tahun=tahun, triwulan=triwulan, pemda=pemda,
        daftar_opd=str(daftar_opd) if daftar_opd else None,
        warehouse=str(warehouse) if warehouse else None, out=str(out) if out else None,
    )  # fmt: skip
    _print_summary(summary)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `rekap` console script."""
    args = _parser().parse_args(argv)
    try:
        if args.perintah == "demo":
            return _run(
                str(SAMPLE_DIR),
                2024,
                3,
                "36.02",
                SAMPLE_DIR / "daftar_opd.csv",
                args.out / "gudang-ke.duckdb",
                args.out / "laporan",
            )
        if args.perintah == "run":
            _check_run_args(args)
            return _run(
                args.source, args.tahun, args.triwulan, args.pemda, args.daftar_opd, args.warehouse, args.out
            )
    except UsageError as exc:
        print(f"rekap: {exc}", file=sys.stderr)
        return 2
    return 1


if __name__ == "__main__":
    sys.exit(main())
