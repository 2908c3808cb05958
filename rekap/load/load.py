"""The steps of a quarter as plain functions: pull, parse, validate, load and roll up, report.
The Prefect tasks in `tasks/` wrap these; tests call them directly."""

from __future__ import annotations

import uuid
from concurrent.futures import Future
from dataclasses import replace
from pathlib import Path

import pandas as pd

from rekap.faults import fault_point
from rekap.intake.folder import PassedOver
from rekap.load.summary import RunSummary
from rekap.reading.parsed import ParsedFile, identity_triwulan
from rekap.reading.values import clean_code
from rekap.validation.batch import Checked
from rekap.validation.crossrules import cross_findings
from rekap.validation.findings import findings_frame
from rekap.warehouse.daftar import load_daftar_opd
from rekap.warehouse.sql import run_sql
from rekap.warehouse.store import connect, rebuild_marts, recorded_for_good
from rekap.warehouse.wilayah import load_wilayah
from rekap.warehouse.writer import WorkingCopy, writing


def _without_loaded(con, checked: Checked, reread: set[str]) -> tuple[Checked, bool]:
    """The run without the files another run recorded for good while this one waited for the writer's
    lock (files read again on purpose, `reread`, stay); and whether the warehouse recorded any of the rest
    before (then read again: their old records are replaced)."""
    hashes = list(checked.berkas["file_hash"])
    loaded = recorded_for_good(con, hashes) - reread
    recorded = {h for (h,) in run_sql(con, "core/recorded", hashes=hashes)} - loaded
    if not loaded:
        return checked, bool(recorded)
    return replace(
        checked,
        files=[f for f in checked.files if f.file_hash not in loaded],
        berkas=checked.berkas[~checked.berkas["file_hash"].isin(loaded)],
        rows=checked.rows[~checked.rows["file_hash"].isin(loaded)],
        findings=checked.findings[~checked.findings["file_hash"].isin(loaded)],
    ), bool(recorded)


def load_and_roll_up(
    checked: Checked,
    warehouse: Path,
    daftar_opd: Path | None,
    run_id: str,
    reread: set[str] = frozenset(),
    passed_over: list[PassedOver] = (),
    working_copy: Future[WorkingCopy] | None = None,
) -> RunSummary:
    """Load the run into a working copy quarter by quarter (so each quarter is checked against the
    previous one), rebuild the marts it touched, check the row accounting, and publish atomically; the
    working copy is `working_copy`'s if it was made ahead and is still current."""
    summary = RunSummary(
        run_id,
        checked.tahun,
        checked.triwulan,
        files_new=len(checked.files),
        files_deferred=len(checked.deferred),
    )
    # No enclosing transaction: the working copy is what makes the run all or nothing (published whole, or
    # discarded), and inside an explicit transaction DuckDB 2.0.0 loses the rows of a parallel INSERT that
    # follows an INSERT of no rows (docs/skala.md), which autocommit does not.
    with writing(warehouse, working_copy) as con:
        checked, read_again = _without_loaded(con, checked, reread)
        summary.files_new = len(checked.berkas)
        load_daftar_opd(con, daftar_opd)
        load_wilayah(con)
        con.register("new_files", checked.berkas)
        con.register("new_rows", checked.rows)
        con.register("new_findings", checked.findings)
        run_sql(con, "staging/load")
        fault_point("muat")
        for name in ("new_files", "new_rows", "new_findings"):
            con.unregister(name)
        if read_again:
            run_sql(con, "core/forget_reread")
        skipped = _skipped_rows_frame(checked.files)
        if len(skipped):
            con.register("baris_dilewati_baru", skipped)
            run_sql(con, "core/insert_baris_dilewati")
            con.unregister("baris_dilewati_baru")
        summary.rows_skipped = len(skipped)
        dilewati = _passed_over_frame([*passed_over, *checked.passed_over], checked)
        if len(dilewati):
            con.register("dilewati_baru", dilewati)
            run_sql(con, "core/insert_berkas_dilewati", run_id=run_id)
            con.unregister("dilewati_baru")
        summary.passed_over = list(zip(dilewati["source_path"], dilewati["alasan"], strict=True))
        # Files whose quarter could not be read go first, as quarter NULL; the pass is skipped when there
        # are none (its steps would all select nothing, and a rerun of one file pays for each statement).
        quarters = sorted({int(q) for q in checked.berkas["triwulan"].dropna()})
        unknown = [None] if checked.berkas["triwulan"].isna().any() else []
        for q in [*unknown, *quarters]:
            if q is not None:
                files = {f.file_hash: f for f in checked.files}
                extra = cross_findings(con, files, checked.rows.set_index("row_id"), q)
                if extra:
                    con.register("extra_findings", findings_frame(extra))
                    run_sql(con, "staging/insert_temuan_tambahan")
                    con.unregister("extra_findings")
            for step in (
                "insert_submission",
                "insert_validation_issue",
                "insert_realisasi",
                "insert_baris_ditolak",
                "refresh_status",
            ):
                run_sql(con, f"core/{step}", triwulan=q, run_id=run_id)
            run_sql(con, "staging/rekap_ulang", triwulan=q)
            roll_up(con)
        fault_point("rekap")
        accounting = run_sql(con, "core/row_accounting", run_id=run_id)
        if accounting:
            raise RuntimeError(
                f"Akuntansi baris tidak cocok (berkas, dibaca, diterima+ditolak): {accounting}"
            )
        twice = run_sql(con, "core/duplicate_submissions")
        if twice:
            raise RuntimeError(f"Berkas tercatat lebih dari sekali (berkas, kali): {twice}")
        totals = run_sql(con, "core/run_totals", run_id=run_id)[0]
        expected_read = int(checked.berkas["rows_read"].sum()) if len(checked.berkas) else 0
        if int(totals[2] or 0) != expected_read or len(checked.rows) != expected_read:
            raise RuntimeError(f"Baris dibaca {expected_read} tidak sama dengan yang tercatat {totals[2]}")
        (
            summary.accepted,
            summary.rejected,
            summary.rows_read,
            summary.rows_accepted,
            summary.rows_rejected,
        ) = (int(v or 0) for v in totals)
        run_sql(
            con,
            "core/insert_run",
            run_id=run_id,
            tahun=checked.tahun,
            triwulan=checked.triwulan,
            kode_pemda=checked.pemda,
            files_new=summary.files_new,
            files_deferred=summary.files_deferred,
        )
        summary.pemda = [
            p for (p,) in run_sql(con, "report/pemda", tahun=checked.tahun, kode_pemda=checked.pemda)
        ]
    return summary


def _skipped_rows_frame(files: list[ParsedFile]) -> pd.DataFrame:
    """The rows of the files that are not data (`ParsedFile.skipped`), as `core.baris_dilewati` keeps them."""
    records = [(f.file_hash, f.sheet, s.baris, s.jenis, s.teks) for f in files for s in f.skipped]
    frame = pd.DataFrame.from_records(records, columns=["file_hash", "sheet", "baris", "jenis", "teks"])
    return frame.astype({"file_hash": "str", "sheet": "str", "baris": "Int64", "jenis": "str", "teks": "str"})


def _passed_over_frame(passed_over: list[PassedOver], checked: Checked) -> pd.DataFrame:
    """The files found and not loaded, as `core.berkas_dilewati` records them: no submission, or set
    aside for the run of a later quarter or another year."""
    records = [
        {"source_path": p.source_path, "nama_berkas": Path(p.source_path).name, "file_hash": None,
         "jenis": "bukan laporan", "alasan": p.alasan}
        for p in passed_over
    ]  # fmt: skip
    for f in checked.deferred:
        tahun = clean_code(f.identity.get("tahun")) or "?"
        records.append(
            {"source_path": f.source_path, "nama_berkas": f.file_name, "file_hash": f.file_hash,
             "jenis": "ditunda",
             "alasan": f"laporan triwulan {identity_triwulan(f) or '?'} tahun {tahun}: dibaca pada rekap "
             "triwulan itu"}
        )  # fmt: skip
    columns = ["source_path", "nama_berkas", "file_hash", "jenis", "alasan"]
    return pd.DataFrame.from_records(records, columns=columns).astype("str")


def roll_up(con) -> None:
    """Rebuild the marts of every pemda and year marked in `staging.rekap_ulang`, one set-based statement
    per mart whatever the number of pemda (delete, then insert: reruns are safe)."""
    rebuild_marts(con)


def new_run_id() -> str:
    """An id for a run outside Prefect."""
    return uuid.uuid4().hex


def open_published(warehouse: Path):
    """Read-only connection to the published warehouse."""
    return connect(warehouse, read_only=True)
