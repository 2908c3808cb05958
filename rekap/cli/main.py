"""The `rekap` command for data stewards. Messages are in Bahasa Indonesia."""

from __future__ import annotations

import argparse
import atexit
import importlib
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from rekap.settings import SAMPLE_DIR, default_out_dir, default_warehouse

if TYPE_CHECKING:
    from rekap.runtime.temporary_server import TemporaryServer

# Nothing phones home, whatever the machine's Prefect profile says.
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


DEMO_OUT = Path("keluaran/demo")  # where `rekap demo` writes, and where `rekap dasbor` looks next


class UsageError(Exception):
    """Bad arguments or environment: reported in one line, exit status 2."""


class _ShownLater:
    """A default named in a help text, looked up only when the help is printed: argparse fills
    `%(bawaan)s` from the argument's attributes then. The lookup may import Prefect and ask its server for
    a Variable (rekap.settings), seconds that every command would spend before it starts otherwise."""

    def __init__(self, lookup: Callable[[], Path]) -> None:
        self._lookup = lookup

    def __str__(self) -> str:
        return str(self._lookup())


def _path_with_default(
    parser: argparse.ArgumentParser, option: str, text: str, lookup: Callable[[], Path]
) -> None:
    """A path option whose help ends with its default, e.g. "(bawaan: keluaran/gudang-ke.duckdb)"."""
    action = parser.add_argument(option, type=Path, help=f"{text} (bawaan: %(bawaan)s)")
    action.bawaan = _ShownLater(lookup)  # type: ignore[attr-defined]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rekap",
        description="Rekap realisasi anggaran penghapusan kemiskinan ekstrem (KE) per triwulan.",
    )
    sub = parser.add_subparsers(dest="perintah", required=True, metavar="PERINTAH")

    demo = sub.add_parser("demo", help="jalankan rekap pada data contoh Kabupaten Lebak 2024 TW III")
    demo.add_argument("--out", type=Path, default=DEMO_OUT, help="folder keluaran")

    run = sub.add_parser("run", help="rekap satu triwulan dari folder berkas OPD")
    run.add_argument(
        "--source", required=True, help="folder berkas OPD, atau URL http(s)://... atau s3://bucket/prefix"
    )
    run.add_argument("--tahun", type=int, required=True, help="tahun anggaran, mis. 2024")
    run.add_argument("--triwulan", type=int, required=True, help="triwulan 1-4")
    run.add_argument("--pemda", help="kode pemda, mis. 36.02 (kosong: semua pemda dalam berkas)")
    run.add_argument("--daftar-opd", type=Path, help="CSV daftar OPD yang wajib melapor")
    _path_with_default(run, "--warehouse", "berkas gudang data", default_warehouse)
    _path_with_default(run, "--out", "folder laporan", default_out_dir)
    run.add_argument(
        "--baca-ulang",
        action="append",
        metavar="HASH",
        help="baca ulang berkas yang sudah tercatat, menurut hash-nya (8 karakter pertama cukup), mis. "
        "setelah batas dinaikkan; boleh diulang",
    )
    asal = sub.add_parser("asal", help="tampilkan baris berkas di balik sebuah angka laporan")
    _path_with_default(asal, "--warehouse", "berkas gudang data", default_warehouse)
    asal.add_argument("--pemda", required=True, help="kode pemda, mis. 36.02")
    asal.add_argument("--tahun", type=int, required=True)
    asal.add_argument("--triwulan", type=int, required=True)
    asal.add_argument("--skpd", help="kode SKPD")
    asal.add_argument("--sub-kegiatan", help="kode sub kegiatan")
    asal.add_argument("--sumber-dana", help="kode sumber dana, mis. DAU")

    ekspor = sub.add_parser("ekspor", help="ekspor mart gudang data ke Parquet")
    _path_with_default(ekspor, "--warehouse", "berkas gudang data", default_warehouse)
    ekspor.add_argument("--out", type=Path, required=True, help="folder tujuan")

    periksa = sub.add_parser("periksa", help="periksa berkas OPD seperti saat rekap, tanpa memuatnya")
    periksa.add_argument("berkas", nargs="+", type=Path, metavar="BERKAS", help="berkas (atau folder) OPD")
    periksa.add_argument("--pemda", help="kode pemda yang direkap, mis. 36.02 (aturan I10)")
    periksa.add_argument("--daftar-opd", type=Path, help="CSV daftar OPD yang wajib melapor (aturan I11)")

    sasaran = sub.add_parser(
        "sasaran",
        help="muat jumlah KK miskin ekstrem per desa (hanya angka; berkas berisi data pribadi ditolak)",
    )
    sasaran.add_argument(
        "berkas", type=Path, metavar="BERKAS", help="berkas .xlsx/.csv: kode desa, jumlah KK"
    )
    sasaran.add_argument("--tahun", type=int, required=True, help="tahun anggaran, mis. 2024")
    _path_with_default(sasaran, "--warehouse", "berkas gudang data", default_warehouse)

    dasbor = sub.add_parser("dasbor", help="sajikan dasbor dari gudang data yang diterbitkan (hanya membaca)")
    _path_with_default(dasbor, "--warehouse", "berkas gudang data", default_warehouse)
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
    return parser


def _published(args: argparse.Namespace) -> Path:
    warehouse = args.warehouse or default_warehouse()
    if not warehouse.is_file():
        raise UsageError(f"Gudang data tidak ditemukan: {warehouse}")
    return warehouse


def _print_lineage(args: argparse.Namespace) -> int:
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


def _periksa(args: argparse.Namespace) -> int:
    from rekap.cli.periksa import periksa

    missing = [str(p) for p in args.berkas if not p.exists()]
    if missing:
        raise UsageError(f"Berkas tidak ditemukan: {', '.join(missing)}")
    if args.daftar_opd and not args.daftar_opd.is_file():
        raise UsageError(f"Berkas daftar OPD tidak ditemukan: {args.daftar_opd}")
    return periksa(args.berkas, args.pemda, args.daftar_opd)


def _template(args: argparse.Namespace) -> int:
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


def _sasaran(args: argparse.Namespace) -> int:
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


def _dasbor(args: argparse.Namespace) -> int:
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


def _check_run_args(args: argparse.Namespace) -> None:
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


def _print_summary(summary, warehouse: Path) -> None:  # type: ignore[no-untyped-def]
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
    baca_ulang: list[str] | None = None,
) -> int:
    from flows.kuartal import rekap_triwulan
    from rekap.contract.errors import RunError
    from rekap.runtime import isolation

    if _temporary is not None:
        _settle_temporary_server(_temporary)
    else:
        _check_prefect_api()
    isolation.start()  # the readers' fork server imports GX while Prefect starts the run
    try:
        summary = rekap_triwulan(
            source=str(source), tahun=tahun, triwulan=triwulan, pemda=pemda,
            daftar_opd=str(daftar_opd) if daftar_opd else None,
            warehouse=str(warehouse) if warehouse else None, out=str(out) if out else None,
            baca_ulang=baca_ulang,
        )  # fmt: skip
    except RunError as exc:
        raise UsageError(str(exc)) from exc
    _print_summary(summary, Path(warehouse) if warehouse else default_warehouse())
    if _temporary is not None:
        print(
            f"  Riwayat run ini tersimpan di {_prefect_home()} (server Prefect sementara; "
            "PREFECT_HOME mengatur tempatnya)."
        )
    return 0


def _prefect_home() -> Path:
    from prefect.settings import get_current_settings

    return Path(get_current_settings().home)


def _end_quickly() -> list[int]:
    """Make the `rekap` command end as soon as everything it started has finished, with the status put in
    the list returned (left empty, by an error, the process ends as usual).

    Tearing down the interpreter after a run (freeing Prefect, pandas, GX and the rest module by module)
    takes seconds and does nothing a process that ends needs. Exit handlers run last registered first: this
    one, registered before the run, runs after Prefect's (which send the last logs and events and stop a
    temporary server), flushes the logs and the output, and ends the process there."""
    status: list[int] = []

    def end() -> None:
        if status:
            try:
                logging.shutdown()
                sys.stdout.flush()
                sys.stderr.flush()
            finally:
                os._exit(status[0])

    atexit.register(end)
    return status


def _settle_temporary_server(server: TemporaryServer) -> None:
    """Now that Prefect is imported: keep the temporary server started with the command, or start the
    command again without it when Prefect's settings do not want one or it did not come up."""
    from rekap.runtime import temporary_server, warm

    warm.release()
    # The server takes seconds more to start: meanwhile, what Prefect imports at the first call of a flow
    # (its engines, and fastapi's encoder of the flow's parameters), instead of after the server is up.
    for module in (
        "prefect.flow_engine",
        "prefect.task_engine",
        "prefect.utilities.visualization",
        "fastapi.encoders",
    ):
        importlib.import_module(module)

    if not temporary_server.confirm(server):
        warm.stop_worker()
        temporary_server.start_again_without(server)


_temporary: TemporaryServer | None = None


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `rekap` console script (`argv` None: the command line)."""
    try:
        return _main(argv)
    except BrokenPipeError:
        # The reader of the output has gone (`rekap asal ... | head`): the rest is not wanted. Python
        # would still complain about the unflushed output when it exits: point it at nowhere.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def _main(argv: list[str] | None) -> int:
    global _temporary
    args = _parser().parse_args(argv)
    if argv is not None or args.perintah not in ("demo", "run"):
        return _command(args)
    if args.perintah == "run":
        try:
            _check_run_args(args)  # before a server or a worker is started for nothing
        except UsageError as exc:
            print(f"rekap: {exc}", file=sys.stderr)
            return 2
    # A run typed at a prompt. Before anything else, while this process has a single thread: a temporary
    # Prefect server if no API is configured, and the warm worker (rekap.temporary_server, rekap.warm).
    from rekap.runtime import temporary_server, warm

    status = _end_quickly()
    _temporary = temporary_server.start_early()
    if _temporary is not None:
        atexit.register(_temporary.stop)  # after Prefect's own exit handlers, registered later
    # Pandas, DuckDB and our own modules, which both processes need, are imported once, before the fork:
    # the worker inherits them and imports only GX and the PDF's reportlab (a second of work less on a
    # machine with two cores, at about the same time for GX to be ready).
    import rekap.load.load  # noqa: F401

    # With a temporary server starting, the run waits for it first: until this process has imported Prefect
    # the server has one core and this process the other, and only then the worker begins its imports.
    warm.start_worker(hold=_temporary is not None)
    try:
        code = _command(args)
    finally:
        warm.stop_worker()
    status.append(code)
    return code


def _command(args: argparse.Namespace) -> int:
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
        if args.perintah == "asal":
            return _print_lineage(args)
        if args.perintah == "ekspor":
            from rekap.report.lineage import export_parquet

            for path in export_parquet(_published(args), args.out):
                print(path)
            return 0
        if args.perintah == "periksa":
            return _periksa(args)
        if args.perintah == "template":
            return _template(args)
        if args.perintah == "sasaran":
            return _sasaran(args)
        if args.perintah == "dasbor":
            return _dasbor(args)
        if args.perintah == "run":
            _check_run_args(args)
            return _run(
                args.source, args.tahun, args.triwulan, args.pemda, args.daftar_opd, args.warehouse, args.out,
                args.baca_ulang,
            )  # fmt: skip
    except UsageError as exc:
        print(f"rekap: {exc}", file=sys.stderr)
        return 2
    return 1


if __name__ == "__main__":
    sys.exit(main())
