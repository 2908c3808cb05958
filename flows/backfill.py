"""Backfill: recap several quarters in order, each as a `rekap-triwulan` subflow into the same warehouse."""

from __future__ import annotations

from prefect import flow
from pydantic import BaseModel, Field

from flows.triwulan import rekap_triwulan
from rekap.contract.calendar import TAHUN_PERTAMA, TAHUN_TERAKHIR, in_order
from rekap.load.summary import RunSummary


class Periode(BaseModel):
    """One quarter to recap."""

    tahun: int = Field(ge=TAHUN_PERTAMA, le=TAHUN_TERAKHIR, description="Tahun anggaran, e.g. 2024")
    triwulan: int = Field(ge=1, le=4, description="Triwulan 1-4")


@flow(name="rekap-backfill", log_prints=True)
def rekap_backfill(
    periode: list[Periode],
    source: str | None = None,
    pemda: str | None = None,
    daftar_opd: str | None = None,
    warehouse: str | None = None,
    out: str | None = None,
) -> list[RunSummary]:
    """Recap the given quarters one after the other, earliest first; stop at the first that fails.

    Args:
        periode: The quarters, e.g. [{"tahun": 2024, "triwulan": 1}, {"tahun": 2024, "triwulan": 2}].
        source: Where the OPD files are: a folder, an http(s):// URL or s3://bucket/prefix
            (default: REKAP_SOURCE).
        pemda: Kode pemda, e.g. "36.02" (default: REKAP_PEMDA).
        daftar_opd: CSV of the OPDs expected to report (default: REKAP_DAFTAR_OPD).
        warehouse: The warehouse file (default: REKAP_WAREHOUSE).
        out: Folder of the reports (default: REKAP_OUT).
    """
    summaries = []
    for tahun, triwulan in in_order([(p.tahun, p.triwulan) for p in periode]):
        summary = rekap_triwulan(
            source=source, tahun=tahun, triwulan=triwulan, pemda=pemda,
            daftar_opd=daftar_opd, warehouse=warehouse, out=out,
        )  # fmt: skip
        summaries.append(summary)
    return summaries
