"""The parameters of a run, checked before anything is recorded: the same checks for `rekap run`, a
deployment's run and a backfill, each failing with one line in Bahasa Indonesia (`RunError`)."""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rekap.contract.calendar import TAHUN_PERTAMA, TAHUN_TERAKHIR, resolve_period
from rekap.contract.codes import PEMDA_RE
from rekap.contract.errors import RunError
from rekap.settings import default_daftar_opd, default_out_dir, default_source, default_warehouse, setting

_FILE_HASH = re.compile(r"[0-9a-f]{8,64}")


@dataclass(frozen=True)
class RunParameters:
    """A run's parameters once defaults are filled in and every one is checked."""

    source: str
    tahun: int
    triwulan: int
    pemda: str | None
    daftar_opd: Path | None
    warehouse: Path
    out: Path
    batch: int | None = None
    baca_ulang: tuple[str, ...] = ()


def run_parameters(
    source: str | None = None,
    tahun: int | None = None,
    triwulan: int | None = None,
    pemda: object = None,
    daftar_opd: str | Path | None = None,
    warehouse: str | Path | None = None,
    out: str | Path | None = None,
    batch: int | None = None,
    baca_ulang: list[str] | tuple[str, ...] | None = None,
) -> RunParameters:
    """The run's parameters with the settings' defaults for the empty ones; `RunError` naming the first
    that is wrong (a typo in `--pemda` or a Variable stored as a number would otherwise reject every
    file of the quarter)."""
    _check_int("tahun", tahun)
    _check_int("triwulan", triwulan)
    _check_int("batch", batch)
    if triwulan is not None and not 1 <= triwulan <= 4:
        raise RunError(f"Triwulan {triwulan} tidak sah: gunakan 1, 2, 3, atau 4.")
    if tahun is not None and not TAHUN_PERTAMA <= tahun <= TAHUN_TERAKHIR:
        raise RunError(f"Tahun {tahun} di luar rentang {TAHUN_PERTAMA}-{TAHUN_TERAKHIR}.")
    if batch is not None and batch < 1:
        raise RunError(f"batch {batch} tidak sah: jumlah berkas per tugas paling sedikit 1.")
    tahun, triwulan = resolve_period(tahun, triwulan)
    kode_pemda = pemda if pemda is not None else setting("REKAP_PEMDA")
    if kode_pemda is not None and not isinstance(kode_pemda, str):
        raise RunError(
            f'Kode pemda {kode_pemda!r} tersimpan sebagai angka: tulis sebagai teks, misalnya "36.10" '
            "(di Prefect: -p pemda='\"36.10\"', atau Variable rekap_pemda berisi teks)."
        )
    kode_pemda = (kode_pemda or "").strip() or None
    if kode_pemda is not None and not PEMDA_RE.match(kode_pemda):
        raise RunError(
            f"Kode pemda tidak sah: {kode_pemda!r} (contoh: 36 untuk provinsi, 36.02 untuk kab/kota; "
            'di Prefect tulis sebagai teks: -p pemda=\'"36.10"\', Variable rekap_pemda "36.10").'
        )
    hashes = tuple(h.strip().lower() for h in baca_ulang or ())
    for h in hashes:
        if not _FILE_HASH.fullmatch(h):
            raise RunError(f"Hash berkas tidak sah: {h!r} (8-64 huruf 0-9a-f, seperti pada `rekap asal`).")
    source = source or default_source()
    _check_source(source)
    daftar = Path(daftar_opd) if daftar_opd else default_daftar_opd()
    if daftar is not None and not daftar.is_file():
        raise RunError(f"Berkas daftar OPD tidak ditemukan: {daftar}")
    warehouse_path = writable_warehouse(warehouse)
    out_dir = Path(out) if out else default_out_dir()
    _check_writable(out_dir, "Folder laporan tidak dapat ditulis", out_dir)
    return RunParameters(source, tahun, triwulan, kode_pemda, daftar, warehouse_path, out_dir, batch, hashes)


def writable_warehouse(warehouse: Path | str | None) -> Path:
    """The warehouse a command writes (given, else the setting), checked writable; RunError if not."""
    warehouse_path = Path(warehouse) if warehouse else default_warehouse()
    _check_writable(warehouse_path.parent, "Gudang data tidak dapat ditulis", warehouse_path)
    if warehouse_path.is_dir() or (warehouse_path.exists() and not os.access(warehouse_path, os.W_OK)):
        raise RunError(f"Gudang data tidak dapat ditulis: {warehouse_path}")
    return warehouse_path


def _check_int(name: str, value: object) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise RunError(f"{name} harus bilangan bulat, bukan {value!r}.")


def _check_source(source: str) -> None:
    from rekap.intake.sources import source_kind

    if source_kind(source) == "local" and not Path(source.removeprefix("file://")).exists():
        raise RunError(f"Folder sumber tidak ditemukan: {source}")


def _check_writable(folder: Path, message: str, shown: Path) -> None:
    """The only honest test of writability is to write (root passes every os.access check)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise RunError(f"{message}: {shown}") from exc
