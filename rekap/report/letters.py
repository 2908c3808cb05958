"""Feedback letters: for every OPD whose submission of the quarter was rejected, a letter (HTML page and
workbook) that lists each problem where the OPD will find it and how to fix it; and one follow-up summary
for the data steward (which OPDs to call, about what).

Everything is read from the published warehouse with the queries in `sql/letters/`. Text typed by an OPD
(file names, cell values) is never trusted: the page escapes it, the workbook stores it as plain strings.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import xlsxwriter

from rekap.contract.calendar import akhir_triwulan, tanggal_panjang, triwulan_romawi
from rekap.contract.codes import SKPD_RE
from rekap.files import output_path, write_atomically
from rekap.report.page import template_environment
from rekap.warehouse.sql import query_rows

LETTER_TEMPLATE = "surat.html.j2"
SUMMARY_TEMPLATE = "ringkasan-tindak-lanjut.html.j2"
LETTERS_SUBDIR = "surat"
JUDUL = "Laporan Realisasi Anggaran Penghapusan Kemiskinan Ekstrem"
PETUNJUK_SURAT = (
    "Setiap baris di bawah menunjukkan satu masalah: buka berkas, sheet dan sel yang disebut, lalu ikuti "
    "kolom Cara Memperbaiki. Baris bertingkat 'error' membuat berkas ditolak; 'peringatan' tidak, tetapi "
    "mohon diperbaiki pada laporan berikutnya."
)
FIRST_ERRORS = 3  # errors quoted per OPD in the steward's summary


@dataclass(frozen=True)
class Masalah:
    """One problem of a submission, as `core.validation_issue` records it."""

    tingkat: str
    sheet: str | None
    baris: int | None
    kolom: str | None
    nama_kolom: str | None
    nilai: str | None
    aturan: str
    pesan: str
    cara_memperbaiki: str

    @property
    def sel(self) -> str:
        """Where to look, as Excel shows it: `I12`, `baris 12`, `kolom I`, or the whole file."""
        if self.kolom and self.baris:
            return f"{self.kolom}{self.baris}"
        if self.baris:
            return f"baris {self.baris}"
        if self.kolom:
            return f"kolom {self.kolom}"
        return "seluruh berkas"

    @property
    def lokasi(self) -> str:
        """Sheet and cell in one phrase, for the summary: `Realisasi!I12`."""
        return f"{self.sheet}!{self.sel}" if self.sheet else self.sel


@dataclass
class BerkasDitolak:
    """A rejected file and its problems."""

    file_hash: str
    nama_berkas: str
    diterima: dt.datetime
    tahun: int | None
    triwulan: int | None
    revisi: int | None
    masalah: list[Masalah] = field(default_factory=list)
    baru: bool = False  # received by the run that writes the letter

    @property
    def kesalahan(self) -> list[Masalah]:
        """The errors: each one alone rejects the file."""
        return [m for m in self.masalah if m.tingkat == "error"]

    @property
    def peringatan(self) -> list[Masalah]:
        """The warnings: to fix in the next report, they do not reject."""
        return [m for m in self.masalah if m.tingkat != "error"]


@dataclass
class Surat:
    """The letter to one OPD about its rejected submission(s) of the quarter."""

    kode_pemda: str
    nama_pemda: str
    tahun: int
    triwulan: int
    kode_skpd: str
    nama_skpd: str
    berkas: list[BerkasDitolak]

    @property
    def baru(self) -> bool:
        """Whether the run that writes the letter received one of its files: a letter to send now."""
        return any(b.baru for b in self.berkas)

    @property
    def file_stem(self) -> str:
        """`surat-<kode_pemda>_<kode_skpd>_<tahun>_tw<q>`: the pemda keeps the letters of several pemda
        apart in one folder (the names contain dots: never use with_suffix on them). A Kode SKPD that is
        not one (it comes from the file, and may hold `../`) is replaced by the file's hash."""
        skpd = self.kode_skpd if SKPD_RE.match(self.kode_skpd) else f"berkas-{self.berkas[0].file_hash[:16]}"
        return f"surat-{self.kode_pemda}_{skpd}_{self.tahun}_tw{self.triwulan}"


@dataclass
class Ringkasan:
    """The steward's follow-up list for one pemda and quarter."""

    kode_pemda: str
    nama_pemda: str
    tahun: int
    triwulan: int
    ditolak: list[Surat]
    belum: list[tuple[str, str]]  # (kode_skpd, nama_skpd)
    tanpa_opd: list[BerkasDitolak]
    diarsipkan: list[str] = field(default_factory=list)  # letters no longer current, moved to the archive
    dilewati: list[dict[str, Any]] = field(default_factory=list)  # files the run found and did not load

    @property
    def file_name(self) -> str:
        """`ringkasan-tindak-lanjut_<pemda>_<tahun>_tw<q>.html`."""
        return f"ringkasan-tindak-lanjut_{self.kode_pemda}_{self.tahun}_tw{self.triwulan}.html"


# --- reading the warehouse -----------------------------------------------------------------------


def _records(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> list[dict[str, Any]]:
    names, rows = query_rows(con, f"letters/{name}", **params)
    return [dict(zip(names, row, strict=True)) for row in rows]


def _records_by(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> dict[str, list[dict[str, Any]]]:
    """The records of a query for many pemda or files, grouped by its first column (which they keep)."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    names, rows = query_rows(con, f"letters/{name}", **params)
    for row in rows:
        grouped.setdefault(row[0], []).append(dict(zip(names, row, strict=True)))
    return grouped


def _problems(con: duckdb.DuckDBPyConnection, file_hashes: list[str]) -> dict[str, list[Masalah]]:
    """The problems of each file, read with one query for all."""
    found: dict[str, list[Masalah]] = {}
    if file_hashes:
        _, rows = query_rows(con, "letters/masalah", hashes=list(dict.fromkeys(file_hashes)))
        for file_hash, *fields in rows:
            found.setdefault(file_hash, []).append(Masalah(*fields))
    return found


def _names(con: duckdb.DuckDBPyConnection, pemda: list[str], tahun: int) -> dict[str, str]:
    """The name of each pemda for its letters."""
    return dict(query_rows(con, "letters/nama_pemda", pemda=pemda, tahun=tahun)[1])


def build_letters(
    con: duckdb.DuckDBPyConnection, kode_pemda: str, tahun: int, triwulan: int, run_id: str | None = None
) -> list[Surat]:
    """One letter per OPD with a rejected submission of the quarter, each listing its files' problems
    (a file received by the run `run_id` marked new)."""
    return build_letters_of(con, [kode_pemda], tahun, triwulan, run_id)[kode_pemda]


def build_letters_of(
    con: duckdb.DuckDBPyConnection, pemda: list[str], tahun: int, triwulan: int, run_id: str | None = None
) -> dict[str, list[Surat]]:
    """The letters of each pemda of `pemda` (as `build_letters` makes them), each query run once for all."""
    pemda = list(dict.fromkeys(pemda))
    params = {"pemda": pemda, "tahun": tahun, "triwulan": triwulan}
    names = _names(con, pemda, tahun)
    ditolak = _records_by(con, "berkas_ditolak", **params)
    problems = _problems(con, [r["file_hash"] for rows in ditolak.values() for r in rows])
    result = {}
    for kode_pemda in pemda:
        letters: dict[str, Surat] = {}
        for r in ditolak.get(kode_pemda, []):
            surat = letters.setdefault(
                r["kode_skpd"],
                Surat(kode_pemda, names[kode_pemda], tahun, triwulan, r["kode_skpd"], r["nama_skpd"], []),
            )
            surat.nama_skpd = r["nama_skpd"]  # the latest file's spelling
            surat.berkas.append(
                BerkasDitolak(
                    r["file_hash"],
                    r["nama_berkas"],
                    r["received_at"],
                    r["tahun"],
                    r["triwulan"],
                    r["revisi"],
                    list(problems.get(r["file_hash"], [])),
                    baru=run_id is not None and r["run_id"] == run_id,
                )
            )
        result[kode_pemda] = list(letters.values())
    return result


def build_summary(
    con: duckdb.DuckDBPyConnection,
    kode_pemda: str,
    tahun: int,
    triwulan: int,
    letters: list[Surat],
    run_id: str | None = None,
) -> Ringkasan:
    """The steward's follow-up list: rejected OPDs (from the letters), OPDs that sent nothing, rejected
    files that name no OPD, and the files the run `run_id` found and did not load."""
    return build_summaries(con, tahun, triwulan, {kode_pemda: letters}, run_id)[kode_pemda]


def build_summaries(
    con: duckdb.DuckDBPyConnection,
    tahun: int,
    triwulan: int,
    letters: dict[str, list[Surat]],
    run_id: str | None = None,
) -> dict[str, Ringkasan]:
    """The follow-up list of each pemda of `letters` (pemda -> its letters), as `build_summary` makes it,
    each query run once for all."""
    pemda = list(letters)
    params = {"pemda": pemda, "tahun": tahun, "triwulan": triwulan}
    names = _names(con, pemda, tahun)
    belum = _records_by(con, "belum_menyampaikan", **params)
    tanpa_opd = _records_by(con, "berkas_tanpa_opd", **params)
    problems = _problems(con, [r["file_hash"] for rows in tanpa_opd.values() for r in rows])
    dilewati = _records(con, "berkas_dilewati", run_id=run_id) if run_id else []
    return {
        kode_pemda: Ringkasan(
            kode_pemda,
            names[kode_pemda],
            tahun,
            triwulan,
            letters[kode_pemda],
            [(r["kode_skpd"], r["nama_skpd"]) for r in belum.get(kode_pemda, [])],
            [
                BerkasDitolak(
                    r["file_hash"],
                    r["nama_berkas"],
                    r["received_at"],
                    None,
                    None,
                    None,
                    list(problems.get(r["file_hash"], [])),
                )
                for r in tanpa_opd.get(kode_pemda, [])
            ],
            dilewati=[dict(r) for r in dilewati],
        )
        for kode_pemda in pemda
    }


# --- rendering -----------------------------------------------------------------------------------


def _context(kode_pemda: str, nama_pemda: str, tahun: int, triwulan: int) -> dict[str, Any]:
    return {
        "judul": JUDUL,
        "kode_pemda": kode_pemda,
        "nama_pemda": nama_pemda,
        "tahun": tahun,
        "triwulan": triwulan_romawi(triwulan),
        "keadaan": tanggal_panjang(akhir_triwulan(tahun, triwulan)),
        "romawi": triwulan_romawi,
        "tanggal": lambda t: tanggal_panjang(t) if t else "",
    }


def render_letter_html(surat: Surat) -> str:
    """The letter as one self-contained HTML page in Bahasa Indonesia."""
    context = _context(surat.kode_pemda, surat.nama_pemda, surat.tahun, surat.triwulan)
    return template_environment().get_template(LETTER_TEMPLATE).render(surat=surat, **context)


def render_summary_html(ringkasan: Ringkasan, letter_files: dict[str, str]) -> str:
    """The steward's follow-up list as one self-contained HTML page; `letter_files` maps kode_skpd to the
    letter's file name."""
    context = _context(ringkasan.kode_pemda, ringkasan.nama_pemda, ringkasan.tahun, ringkasan.triwulan)
    return (
        template_environment()
        .get_template(SUMMARY_TEMPLATE)
        .render(r=ringkasan, surat_berkas=letter_files, pertama=FIRST_ERRORS, **context)
    )


LETTER_COLUMNS = (  # (header, width)
    ("No", 5), ("Berkas", 30), ("Tingkat", 11), ("Sheet", 12), ("Sel", 10), ("Kolom", 24),
    ("Isi Sel", 24), ("Aturan", 8), ("Masalah", 48), ("Cara Memperbaiki", 60),
)  # fmt: skip


def render_letter_workbook(surat: Surat, path: Path) -> Path:
    """The letter as a workbook: the same problems as a filterable table. Every text is written with
    write_string, so a value like `=HYPERLINK(...)` typed by an OPD stays inert text."""

    def write(target: Path) -> None:
        wb = xlsxwriter.Workbook(str(target), {"strings_to_formulas": False, "strings_to_urls": False})
        moment = dt.datetime.combine(akhir_triwulan(surat.tahun, surat.triwulan), dt.time())
        wb.set_properties({"title": f"Perbaikan {JUDUL}", "created": moment, "author": "rekap-ke"})
        bold = wb.add_format({"bold": True, "font_size": 12})
        head = wb.add_format({"bold": True, "bg_color": "#DCE3ED", "border": 1, "text_wrap": True})
        cell = wb.add_format({"text_wrap": True, "valign": "top", "border": 1})
        error = wb.add_format({"text_wrap": True, "valign": "top", "border": 1, "font_color": "#9B1C1C"})
        ws = wb.add_worksheet("Perbaikan")
        romawi = triwulan_romawi(surat.triwulan)
        lines = [
            (f"Perbaikan {JUDUL} Triwulan {romawi} Tahun {surat.tahun}", bold),
            (f"Kepada: Kepala {surat.nama_skpd} ({surat.kode_skpd})", None),
            (f"Pemda: {surat.nama_pemda} ({surat.kode_pemda})", None),
            (PETUNJUK_SURAT, None),
        ]
        for r, (text, fmt) in enumerate(lines):
            ws.write_string(r, 0, text, fmt)
        top = len(lines) + 1
        for c, (label, width) in enumerate(LETTER_COLUMNS):
            ws.write_string(top, c, label, head)
            ws.set_column(c, c, width)
        r = top
        for berkas in surat.berkas:
            for m in [*berkas.kesalahan, *berkas.peringatan]:
                r += 1
                fmt = error if m.tingkat == "error" else cell
                ws.write_number(r, 0, r - top, fmt)
                texts = (
                    berkas.nama_berkas,
                    "error" if m.tingkat == "error" else "peringatan",
                    m.sheet or "",
                    m.sel,
                    m.nama_kolom or "",
                    m.nilai or "",
                    m.aturan,
                    m.pesan,
                    m.cara_memperbaiki,
                )
                for c, text in enumerate(texts, start=1):
                    ws.write_string(r, c, text, fmt)
        ws.freeze_panes(top + 1, 0)
        ws.autofilter(top, 0, max(r, top), len(LETTER_COLUMNS) - 1)
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(top)
        wb.close()

    return write_atomically(path, write)


def _write_text(path: Path, text: str) -> Path:
    def write(target: Path) -> None:
        with open(target, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)

    return write_atomically(path, write)


def write_letters(
    con: duckdb.DuckDBPyConnection,
    kode_pemda: str,
    tahun: int,
    triwulan: int,
    out_dir: Path,
    run_id: str | None = None,
) -> list[Path]:
    """Write the letters of the quarter (`surat/surat-<kode_pemda>_<kode_skpd>_<tahun>_tw<q>.html` and
    `.xlsx`) and the steward's summary (`surat/ringkasan-tindak-lanjut_<pemda>_<tahun>_tw<q>.html`);
    return their paths. Letters of the quarter written earlier that are no longer current (the OPD's
    latest file was accepted since) move to a dated folder under `surat/arsip/`: `surat/` holds exactly
    the letters to send."""
    letters = build_letters(con, kode_pemda, tahun, triwulan, run_id)
    return write_built_letters(build_summary(con, kode_pemda, tahun, triwulan, letters, run_id), out_dir)


def write_built_letters(ringkasan: Ringkasan, out_dir: Path) -> list[Path]:
    """`write_letters` for letters already built: those of `ringkasan` (`ringkasan.ditolak`) and the
    summary itself (from `build_letters_of` and `build_summaries` for many pemda)."""
    folder = out_dir / LETTERS_SUBDIR
    paths, letter_files = [], {}
    for surat in ringkasan.ditolak:
        html = _write_text(output_path(folder, f"{surat.file_stem}.html"), render_letter_html(surat))
        paths += [html, render_letter_workbook(surat, output_path(folder, f"{surat.file_stem}.xlsx"))]
        letter_files[surat.kode_skpd] = html.name
    ringkasan.diarsipkan = archive_stale_letters(
        folder, ringkasan.kode_pemda, ringkasan.tahun, ringkasan.triwulan, set(paths)
    )
    summary = output_path(folder, ringkasan.file_name)
    paths.append(_write_text(summary, render_summary_html(ringkasan, letter_files)))
    return paths


ARCHIVE_SUBDIR = "arsip"


def archive_stale_letters(
    folder: Path, kode_pemda: str, tahun: int, triwulan: int, current: set[Path]
) -> list[str]:
    """Move the letters of this pemda and quarter in `folder` that are not among `current` to
    `arsip/<date and time>/` beside them (never deleted: one may have been sent); their names."""
    pattern = f"surat-{kode_pemda}_*_{tahun}_tw{triwulan}.*"
    stale = sorted(p for p in folder.glob(pattern) if p not in current and p.is_file())
    if not stale:
        return []
    archive = folder / ARCHIVE_SUBDIR / dt.datetime.now().strftime("%Y-%m-%d_%H%M%S")
    archive.mkdir(parents=True, exist_ok=True)
    for path in stale:
        os.replace(path, archive / path.name)
    return [p.name for p in stale]
