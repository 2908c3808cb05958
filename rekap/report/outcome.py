"""What a run leaves for the steward to act on: the files it rejected and why, the OPDs whose quarter is
not in, and the files that could not be fetched. Read from the published warehouse; written out in
Bahasa Indonesia for the run's log and its notification."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rekap.contract.calendar import ROMAWI
from rekap.load.load import open_published
from rekap.load.summary import RunSummary
from rekap.report.build import pemda_names
from rekap.warehouse.sql import query_rows


@dataclass(frozen=True)
class RejectedFile:
    """A file the run rejected, with the OPD it names (when readable) and its first errors."""

    nama_berkas: str
    kode_skpd: str | None
    nama_skpd: str | None
    triwulan: int | None
    jumlah_error: int
    kesalahan_utama: str | None


@dataclass(frozen=True)
class OpenOpd:
    """An OPD whose report for the quarter is not in: `status` is 'ditolak' or 'belum menyampaikan'."""

    kode_pemda: str
    kode_skpd: str
    nama_skpd: str
    status: str


@dataclass
class Outcome:
    """A run's loose ends, for the steward."""

    tahun: int
    triwulan: int
    pemda: dict[str, str]  # kode -> nama
    rejected_files: list[RejectedFile] = field(default_factory=list)
    open_opd: list[OpenOpd] = field(default_factory=list)
    pull_failures: list[tuple[str, str]] = field(default_factory=list)

    @property
    def opd_ditolak(self) -> list[OpenOpd]:
        """OPDs whose latest file for the quarter was rejected (and no earlier one accepted)."""
        return [o for o in self.open_opd if o.status == "ditolak"]

    @property
    def opd_belum(self) -> list[OpenOpd]:
        """OPDs expected to report that sent nothing for the quarter."""
        return [o for o in self.open_opd if o.status == "belum menyampaikan"]

    @property
    def needs_attention(self) -> bool:
        """Whether anything is left for the steward to chase."""
        return bool(self.rejected_files or self.open_opd or self.pull_failures)


def read_outcome(warehouse: Path, summary: RunSummary, pemda: list[str]) -> Outcome:
    """The loose ends of a finished run, from the published warehouse, for the pemda it reported on."""
    outcome = Outcome(summary.tahun, summary.triwulan, {}, pull_failures=list(summary.pull_failures))
    if not warehouse.exists():
        return outcome
    con = open_published(warehouse)
    try:
        _, rows = query_rows(con, "report/berkas_ditolak_run", run_id=summary.run_id)
        outcome.rejected_files = [RejectedFile(*r) for r in rows]
        names = pemda_names(con, pemda, summary.tahun)
        params = {"pemda": pemda, "tahun": summary.tahun, "triwulan": summary.triwulan}
        _, rows = query_rows(con, "report/opd_belum_diterima", **params)
        open_opd: dict[str, list[OpenOpd]] = {kode: [] for kode in pemda}
        for row in rows:
            open_opd[row[0]].append(OpenOpd(*row))
        for kode in pemda:
            outcome.pemda[kode] = names[kode]
            outcome.open_opd += open_opd[kode]
    finally:
        con.close()
    return outcome


def tw(triwulan: int | None) -> str:
    """`TW II` for 2; `TW ?` when unknown."""
    return f"TW {ROMAWI.get(triwulan, '?')}" if triwulan else "TW ?"


def headline(outcome: Outcome) -> str:
    """One line: which quarter, and what is left to chase."""
    pemda = ", ".join(f"{nama} ({kode})" for kode, nama in outcome.pemda.items()) or "semua pemda"
    parts = []
    if outcome.rejected_files:
        parts.append(f"{len(outcome.rejected_files)} berkas ditolak")
    if outcome.opd_ditolak:
        parts.append(f"{len(outcome.opd_ditolak)} OPD laporannya ditolak")
    if outcome.opd_belum:
        parts.append(f"{len(outcome.opd_belum)} OPD belum menyampaikan")
    if outcome.pull_failures:
        parts.append(f"{len(outcome.pull_failures)} berkas gagal diambil dari sumber")
    state = f"selesai dengan catatan: {', '.join(parts)}" if parts else "selesai tanpa catatan"
    return f"Rekap KE {pemda} TA {outcome.tahun} {tw(outcome.triwulan)} {state}."


def describe(outcome: Outcome) -> list[str]:
    """The loose ends as lines a steward can act on, one per file or OPD."""
    lines = []
    for f in outcome.rejected_files:
        opd = f.nama_skpd or f.kode_skpd or "OPD tidak terbaca"
        why = f.kesalahan_utama or "lihat lampiran kesalahan"
        lines.append(
            f"Berkas DITOLAK: {f.nama_berkas} ({opd}, {tw(f.triwulan)}): {f.jumlah_error} kesalahan. {why}"
        )
    for o in outcome.opd_ditolak:
        lines.append(f"OPD laporannya ditolak {tw(outcome.triwulan)}: {o.nama_skpd} ({o.kode_skpd})")
    for o in outcome.opd_belum:
        lines.append(f"OPD belum menyampaikan {tw(outcome.triwulan)}: {o.nama_skpd} ({o.kode_skpd})")
    for source_path, reason in outcome.pull_failures:
        lines.append(f"Berkas GAGAL diambil dari sumber: {source_path}: {reason}")
    return lines
