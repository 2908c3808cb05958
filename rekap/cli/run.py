"""The subcommands that run a quarter: `run` (the steward's files) and `demo` (the bundled sample)."""

from __future__ import annotations

import argparse
import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

from rekap.cli.common import DEMO_OUT, UsageError, path_with_default
from rekap.settings import SAMPLE_DIR, default_out_dir, default_warehouse

if TYPE_CHECKING:
    from rekap.load.summary import RunSummary
    from rekap.runtime.command import Command


def add_demo(sub: argparse._SubParsersAction) -> None:
    """The `demo` subcommand's options."""
    demo = sub.add_parser("demo", help="jalankan rekap pada data contoh Kabupaten Lebak 2024 TW III")
    demo.add_argument("--out", type=Path, default=DEMO_OUT, help="folder keluaran")


def add_run(sub: argparse._SubParsersAction) -> None:
    """The `run` subcommand's options."""
    run = sub.add_parser("run", help="rekap satu triwulan dari folder berkas OPD")
    run.add_argument(
        "--source", required=True, help="folder berkas OPD, atau URL http(s)://... atau s3://bucket/prefix"
    )
    run.add_argument("--tahun", type=int, required=True, help="tahun anggaran, mis. 2024")
    run.add_argument("--triwulan", type=int, required=True, help="triwulan 1-4")
    run.add_argument("--pemda", help="kode pemda, mis. 36.02 (kosong: semua pemda dalam berkas)")
    run.add_argument("--daftar-opd", type=Path, help="CSV daftar OPD yang wajib melapor")
    path_with_default(run, "--warehouse", "berkas gudang data", default_warehouse)
    path_with_default(run, "--out", "folder laporan", default_out_dir)
    run.add_argument(
        "--baca-ulang",
        action="append",
        metavar="HASH",
        help="baca ulang berkas yang sudah tercatat, menurut hash-nya (8 karakter pertama cukup), mis. "
        "setelah batas dinaikkan; boleh diulang",
    )


def demo(args: argparse.Namespace, started: Command | None = None) -> int:
    """`rekap demo`: the quarter of the bundled sample (TW III 2024, Kabupaten Lebak)."""
    return _run(
        str(SAMPLE_DIR),
        2024,
        3,
        "36.02",
        SAMPLE_DIR / "daftar_opd.csv",
        args.out / "gudang-ke.duckdb",
        args.out / "laporan",
        started=started,
    )


def run(args: argparse.Namespace, started: Command | None = None) -> int:
    """`rekap run`: one quarter of the files under `--source` (its arguments checked by `main` before the
    temporary server starts: checked again here, the settings would be asked of a server not yet up)."""
    return _run(
        args.source, args.tahun, args.triwulan, args.pemda, args.daftar_opd, args.warehouse, args.out,
        args.baca_ulang, started=started,
    )  # fmt: skip


def check_run_args(args: argparse.Namespace) -> None:
    """The checks of every run's parameters (`rekap.parameters`), before anything starts."""
    from rekap.contract.errors import RunError
    from rekap.parameters import run_parameters

    try:
        run_parameters(
            args.source, args.tahun, args.triwulan, args.pemda, args.daftar_opd, args.warehouse, args.out,
            baca_ulang=args.baca_ulang,
        )  # fmt: skip
    except RunError as exc:
        raise UsageError(str(exc)) from exc


def _check_prefect_api() -> None:
    """A configured Prefect server must answer before a run starts: else one line saying which and how
    to run without it, instead of Prefect's traceback when the run reaches for it."""
    import urllib.request

    from prefect.settings import get_current_settings

    url = get_current_settings().api.url
    if not url:
        return
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # a local server, never a proxy
    try:
        with direct.open(f"{url.rstrip('/')}/health", timeout=5) as response:
            if response.status == 200:
                return
    except OSError:
        pass
    raise UsageError(
        f"Server Prefect di {url} (PREFECT_API_URL) tidak dapat dihubungi. Jalankan servernya "
        "(docs/operasi.md), atau jalankan rekap tanpa server itu: PREFECT_API_URL= rekap ..."
    )


def print_summary(summary: RunSummary, warehouse: Path) -> None:
    """The closing lines of a run: files and rows, what was not read, where the reports are."""
    print()
    print(f"Rekap TA {summary.tahun} triwulan {summary.triwulan} selesai.")
    print(
        f"  Berkas baru: {summary.files_new} ({summary.accepted} diterima, {summary.rejected} ditolak); "
        f"{summary.files_deferred} berkas untuk triwulan/tahun lain disimpan untuk nanti; "
        f"{len(summary.passed_over) - summary.files_deferred} berkas bukan laporan."
    )
    print(
        f"  Baris dibaca: {summary.rows_read} = {summary.rows_accepted} diterima + "
        f"{summary.rows_rejected} ditolak; {summary.rows_skipped} baris bukan data dilewati "
        "(nomor kolom, jumlah, catatan, tanda tangan; tercatat di gudang data)."
    )
    for source_path, reason in summary.pull_failures:
        print(f"  GAGAL diambil dari sumber: {source_path}: {reason}")
    shown = 20  # a national run may pass over many: the steward's list has them all
    for source_path, reason in summary.passed_over[:shown]:
        print(f"  Tidak dibaca: {source_path}: {reason}")
    if len(summary.passed_over) > shown:
        more = len(summary.passed_over) - shown
        print(f"  ... dan {more} berkas lain tidak dibaca (semuanya di ringkasan-tindak-lanjut).")
    print(f"  Gudang data: {warehouse}")
    for kode_pemda, paths in summary.reports.items():
        current = kode_pemda in summary.reports_current
        print(
            f"  Laporan pemda {kode_pemda}"
            + (" (masukannya tidak berubah, tidak ditulis ulang):" if current else ":")
        )
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
    baca_ulang: list[str] | None = None,
    started: Command | None = None,
) -> int:
    from flows.triwulan import rekap_triwulan
    from rekap import runtime
    from rekap.contract.errors import RunError

    temporary = started is not None and started.temporary
    if temporary:
        started.settle()
    else:
        _check_prefect_api()
    runtime.start_readers()  # started already by `main` for a command typed at a prompt
    try:
        with started.flow_settings() if started is not None else contextlib.nullcontext():
            summary = rekap_triwulan(
                source=str(source), tahun=tahun, triwulan=triwulan, pemda=pemda,
                daftar_opd=str(daftar_opd) if daftar_opd else None,
                warehouse=str(warehouse) if warehouse else None, out=str(out) if out else None,
                baca_ulang=baca_ulang,
            )  # fmt: skip
    except RunError as exc:
        raise UsageError(str(exc)) from exc
    print_summary(summary, Path(warehouse) if warehouse else default_warehouse())
    if temporary:
        print(
            f"  Riwayat run ini tersimpan di {_prefect_home()} (server Prefect sementara; "
            "PREFECT_HOME mengatur tempatnya)."
        )
    return 0


def _prefect_home() -> Path:
    from prefect.settings import get_current_settings

    return Path(get_current_settings().home)
