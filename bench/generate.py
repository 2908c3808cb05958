"""Seeded generator of a national quarter for the benchmark: 38 provinces and 514 kabupaten/kota, 18 OPDs
each, one file per OPD per quarter for TW I (the history) and TW II (the quarter measured).

    python -m bench.generate --scale 1.0 --out /tmp/rekap-bench

writes `<out>/scale-<s>/{tw1,tw2}/<kode_pemda>/*.xlsx|csv` and `daftar_opd.csv`: about 10,000 files and
250,000 data rows per quarter at scale 1.0 (a deterministic subset of the pemda below that). The files are
written the way OPDs send them, with the writers of `rekap.sample` and the same mess (title rows, merged
headers, synonyms, amounts typed as text, formulas, CSV with `;` or a BOM, hidden columns, upper-case
Identitas, ...), plus the events of a real quarter: a few rejected files, revisions, OPDs that never
send. Same seed and scale, same bytes, however many processes write them. Output stays outside the repo.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import re
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import ROUND_DOWN, Decimal
from functools import cache
from pathlib import Path

from rekap.sample import (
    _CSV_IDENTITY,
    _LAYOUTS,
    _OPD_BY_KODE,
    OPD_LEBAK,
    ROMAWI,
    TEMPLATE_COLUMNS,
    Layout,
    SampleFile,
    SampleRow,
    _amount_text,
    _identitas,
    _Line,
    _Opd,
    _revisi0_rows,
    _split_pagu,
    _SubKegiatan,
    _tanggal_text,
    _target_volume,
    _typed_values,
    _volume_text,
    _XlsxWriter,
)
from rekap.sample import _kk_total as _kk_target
from rekap.sample import _labels as _header_labels
from rekap.settings import REF_DIR

TAHUN = 2024
SEED = 2024
QUARTERS = (1, 2)
DEFAULT_OUT = Path(os.environ.get("REKAP_BENCH_DIR", "/tmp/rekap-bench"))
GENERATOR_VERSION = 2  # bump when the output for a given seed changes

# The pemda, their names and the kecamatan and desa of the lokasi come from the Kemendagri region reference
# shipped in ref/ (38 provinces, 514 kabupaten/kota), so that a generated quarter raises no warning against
# it (W10, W11) that a real one would not.

# Shares of the quarter's events, per file (or per OPD for the format).
_CSV_SHARE = 0.12
_MESSY_SHARE = 0.45
_REJECTED_SHARE = 0.015
_REVISED_SHARE = 0.01
_MISSING_SHARE = 0.01
_ROWS_PER_FILE = (15, 35)  # uniform: 25 on average


@dataclass(frozen=True)
class Pemda:
    """A regional government: province (`NN`) or kabupaten/kota (`NN.NN`)."""

    kode: str
    nama: str

    @property
    def provinsi(self) -> bool:
        """True for a province."""
        return "." not in self.kode

    @property
    def kota(self) -> str:
        """Where its reports are signed (the seat, for the signature line)."""
        return self.nama.split(" ", 1)[1]


@cache
def _reference() -> dict[str, list[tuple[str, str]]]:
    """Code -> the (code, name) of the regions directly below it, in code order ("" -> the provinces)."""
    below: dict[str, list[tuple[str, str]]] = {}
    with open(REF_DIR / "wilayah.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            parent = row["kode"].rpartition(".")[0]
            below.setdefault(parent, []).append((row["kode"], row["nama"]))
    return {k: sorted(v) for k, v in below.items()}


def all_pemda(seed: int = SEED) -> list[Pemda]:
    """The 552 pemda: every province followed by its kabupaten and kota (names of the reference)."""
    ref = _reference()
    out = []
    for kode, nama in ref[""]:
        out.append(Pemda(kode, f"Provinsi {nama}"))
        out += [Pemda(k, n) for k, n in ref[kode]]
    assert len(out) == 38 + 514, len(out)
    return out


def pemda_for_scale(scale: float, seed: int = SEED) -> list[Pemda]:
    """A deterministic subset of round(552 x scale) pemda (all of them at scale 1), in code order."""
    pemda = all_pemda(seed)
    n = max(1, min(len(pemda), round(len(pemda) * scale)))
    if n == len(pemda):
        return pemda
    chosen = set(random.Random(f"{seed}:skala").sample(range(len(pemda)), n))
    return [p for i, p in enumerate(pemda) if i in chosen]


# --- the truth of one pemda's quarters -------------------------------------------------------------


def _variant(sk: _SubKegiatan, j: int, provinsi: bool) -> _SubKegiatan:
    """The j-th package of a sub kegiatan: same program and kegiatan, its own sub kegiatan number."""
    parts = sk.kode.split(".")
    parts[3] = "1" if provinsi else "2"  # kegiatan type: 1 = provinsi, 2 = kabupaten/kota
    parts[5] = f"{int(parts[5]) + 100 * j:04d}"
    nama = sk.nama if j == 0 else f"{sk.nama} (Paket {j + 1})"
    return replace(sk, kode=".".join(parts), nama=nama)


def _lokasi(pemda: Pemda, rng: random.Random) -> str:
    """`SEMUA`, a few kecamatan, or a few desa, all inside the pemda (a province: inside its kab/kota), each
    an existing code of the reference: the n-th drawn is the n-th below its parent, wrapping around."""

    def nth(parent: str, n: int) -> str:
        codes = _reference()[parent]
        return codes[(n - 1) % len(codes)][0]

    base = nth(pemda.kode, rng.randint(1, 12)) if pemda.provinsi else pemda.kode
    kind = rng.randint(1, 20)
    if kind <= 5:
        return "SEMUA"
    if kind <= 14:
        kecamatan = sorted({nth(base, k) for k in rng.sample(range(1, 29), rng.randint(1, 4))})
        return ";".join(kecamatan)
    kec = nth(base, rng.randint(1, 28))
    desa = sorted({nth(kec, d - 2000) for d in rng.sample(range(2001, 2016), rng.randint(1, 3))})
    return ";".join(desa)


def _plan_lines(pemda: Pemda, opd: _Opd, rng: random.Random) -> list[_Line]:
    """The rows of one OPD of one pemda over TW I-II: packages of its sub kegiatan until the row count
    drawn for it, pagu split over them, realisation growing by quarter."""
    pairs, j = [], 0
    want = rng.randint(*_ROWS_PER_FILE)
    while len(pairs) < want:
        for sk in opd.sub_kegiatan:
            variant = _variant(sk, j, pemda.provinsi)
            pairs += [(variant, sumber) for sumber in sk.sumber]
        j += 1
    pairs = pairs[:want]
    factor = rng.uniform(1.5, 4.0) if pemda.provinsi else rng.uniform(0.3, 2.5)
    total = int(opd.pagu_total * factor * want / 8) // 1000 * 1000
    serapan = {1: rng.randint(80, 150), 2: rng.randint(300, 450)}
    lines = []
    for (sk, sumber), pagu in zip(pairs, _split_pagu(total, len(pairs), rng), strict=True):
        tri, kum, done = [], [], Decimal(0)
        for q in QUARTERS:
            permil = 0 if (sumber == "DAK_FISIK" and q == 1) else serapan[q] * rng.randint(80, 120) // 100
            amount = max(Decimal(0), (pagu * min(permil, 960) / 1000).quantize(Decimal(1), ROUND_DOWN) - done)
            if amount > 0 and rng.randint(1, 8) == 1:
                amount += Decimal("0.50")  # an SP2D with sen
            done += amount
            tri.append(amount)
            kum.append(done)
        target = _target_volume(sk, rng)
        places = {"Km": 2, "Hektare": 1, "Ton": 1}.get(sk.satuan, 0)
        exp = Decimal(1).scaleb(-places)
        volume = tuple((target * k / pagu).quantize(exp, ROUND_DOWN) for k in kum)
        kk_total = _kk_target(sk, target, rng)
        kk = tuple(int(kk_total * k / pagu) for k in kum)
        lines.append(_Line(sk, sumber, (pagu, pagu), tuple(tri), tuple(kum), target, volume, kk,
                           _lokasi(pemda, rng)))  # fmt: skip
    return lines


_CSV_LAYOUTS = tuple(dict.fromkeys(v for v in _LAYOUTS.values() if v.fmt == "csv"))
_XLSX_LAYOUTS = tuple(dict.fromkeys(v for v in _LAYOUTS.values() if v.fmt == "xlsx"))


def _for_quarter(layout: Layout, opd: _Opd, q: int) -> Layout:
    """A layout of the Lebak sample made to fit another OPD and quarter (labels that name a quarter
    name this one; a padded Kode SKPD pads this OPD's code)."""
    label = layout.triwulan_label
    if label:
        label = f"TW {ROMAWI[q]}" if label.startswith("TW") else (
            f"Triwulan {q}" if label.startswith("Triwulan") else ROMAWI[q])  # fmt: skip
    written = f" {opd.kode} " if layout.kode_skpd_written else ""
    sheet = layout.sheet_name if layout.sheet_name == "Realisasi" else f"REALISASI TW {ROMAWI[q]}"
    return replace(layout, triwulan_label=label, kode_skpd_written=written, sheet_name=sheet)


_NAME_STYLES = (
    lambda p, o, q, ext: f"{p.kode}_{TAHUN}_TW{q}_{o.kode}_{'-'.join(o.nama.replace(',', '').split())}.{ext}",
    lambda p, o, q, ext: f"{p.kode}_{TAHUN}_TW{q}_{o.kode}_{'-'.join(o.nama.replace(',', '').split())}.{ext}",
    lambda p, o, q, ext: f"Laporan KE {o.singkatan} TW {ROMAWI[q]}.{ext}",
    lambda p, o, q, ext: f"realisasi_ke_{o.key}_triwulan{q}.{ext}",
    lambda p, o, q, ext: f"LAPORAN KE {o.singkatan.upper()} TRIWULAN {ROMAWI[q]}.{ext}",
    lambda p, o, q, ext: f"Realisasi KE {o.singkatan}.{ext}",  # no quarter in the name
)


def _rejected(rows: tuple[SampleRow, ...], rng: random.Random) -> tuple[SampleRow, ...]:
    """One row reports more realisation than its pagu (rule R08): the file is rejected."""
    i = rng.randrange(len(rows))
    row = rows[i]
    excess = row.pagu + Decimal(1_000_000) - row.realisasi_kumulatif
    wrong = replace(row, realisasi_triwulan=row.realisasi_triwulan + excess,
                    realisasi_kumulatif=row.realisasi_kumulatif + excess)  # fmt: skip
    return (*rows[:i], wrong, *rows[i + 1 :])


def plan_pemda(pemda: Pemda, seed: int = SEED) -> list[SampleFile]:
    """Every file one pemda's OPDs send for TW I and TW II: pure and deterministic."""
    rng = random.Random(f"{seed}:{pemda.kode}")
    files: list[SampleFile] = []
    for index, opd in enumerate(OPD_LEBAK):
        lines = _plan_lines(pemda, opd, rng)
        as_csv = rng.random() < _CSV_SHARE
        csv_layout = rng.choice(_CSV_LAYOUTS)
        name = rng.choice(_NAME_STYLES)
        revisi = None if rng.random() < 0.1 else 0
        for q in QUARTERS:
            if q == 2 and rng.random() < _MISSING_SHARE:
                continue
            if as_csv:
                layout = csv_layout
            elif rng.random() < _MESSY_SHARE:
                layout = _for_quarter(rng.choice(_XLSX_LAYOUTS), opd, q)
            else:
                layout = Layout()
            columns = layout.columns or ()
            with_murni = not columns or "pagu_murni" in columns
            rows = tuple(line.row(q, with_murni) for line in lines)
            folder = f"tw{q}/{pemda.kode}"
            base = SampleFile(
                relpath=f"{folder}/{name(pemda, opd, q, layout.fmt)}",
                kode_skpd=opd.kode,
                nama_skpd=opd.nama,
                triwulan=q,
                revisi=revisi,
                rows=rows,
                expected_status="diterima",
                defect="",
                tanggal_laporan=date(TAHUN, 3 * q + 1, 2 + index % 12),
                layout=layout,
            )
            if q == 2 and rng.random() < _REVISED_SHARE:
                # Revisi 0 stays in history as superseded; Revisi 1 corrects it.
                files.append(replace(base, rows=_revisi0_rows(rows), revisi=0, expected_status="digantikan"))
                stem, suffix = base.relpath.rsplit(".", 1)
                base = replace(base, relpath=f"{stem} revisi 1.{suffix}", revisi=1)
            elif rng.random() < _REJECTED_SHARE:
                base = replace(base, rows=_rejected(rows, rng), expected_status="ditolak", defect="R08")
            files.append(base)
    return files


# --- writing ---------------------------------------------------------------------------------------


class _PemdaXlsxWriter(_XlsxWriter):
    """The sample's workbook writer, for any pemda (identity, title and signature name it)."""

    def __init__(self, f: SampleFile, pemda: Pemda):
        super().__init__(f)
        self.pemda = pemda

    def _write_identitas(self) -> None:
        ws = self.identitas
        ws.set_column(0, 0, 20)
        ws.set_column(1, 1, 60)
        for r, (label, value) in enumerate(_identitas(self.f, self.pemda.kode, self.pemda.nama)):
            ws.write_string(r, 0, label, self.bold)
            if isinstance(value, date):
                ws.write_datetime(r, 1, datetime(value.year, value.month, value.day), self.tanggal)
            elif isinstance(value, int):
                ws.write_number(r, 1, value)
            else:
                ws.write_string(r, 1, str(value))

    def _write_title(self, r: int) -> int:
        lines = (
            "LAPORAN REALISASI ANGGARAN PENGHAPUSAN KEMISKINAN EKSTREM",
            f"{self.f.nama_skpd.upper()} {self.pemda.nama.upper()}",
            f"TRIWULAN {ROMAWI[self.f.triwulan]} TAHUN ANGGARAN {TAHUN}",
        )
        for line in lines:
            self.ws.merge_range(r, 0, r, len(self.columns) - 1, line, self.bold)
            r += 1
        return r

    def _write_signature(self, r: int) -> None:
        opd = _OPD_BY_KODE[self.f.kode_skpd]
        c = max(len(self.columns) - 5, 0)
        tanggal = self.f.tanggal_laporan or date(TAHUN, 3 * self.f.triwulan + 1, 2)
        lines = (f"{self.pemda.kota}, {_tanggal_text(tanggal, 'words')}", f"Kepala {self.f.nama_skpd}",
                 self.pemda.nama, "", "", opd.kepala, f"NIP. {opd.nip}")  # fmt: skip
        for k, line in enumerate(lines):
            if line:
                self.ws.write_string(r + k, c, line)


def _csv_bytes(f: SampleFile, pemda: Pemda) -> bytes:
    """A CSV export (as `rekap.sample`, for any pemda): identity columns on every row."""
    layout = f.layout
    columns = tuple(c for c in (layout.columns or TEMPLATE_COLUMNS) if c != "no")
    out = io.StringIO()
    writer = csv.writer(out, delimiter=layout.csv_delimiter, lineterminator="\r\n")
    writer.writerow([*_CSV_IDENTITY, *_header_labels(layout, columns)])
    revisi = "" if f.revisi is None else f.revisi
    identity = [pemda.kode, pemda.nama, TAHUN, f.triwulan, f.kode_skpd, f.nama_skpd, revisi]
    for i, row in enumerate(f.rows):
        values = _typed_values(row, i, layout)
        cells = []
        for key in columns:
            value = values[key]
            if key in ("pagu", "pagu_murni", "real_tw", "real_kum"):
                cells.append(_amount_text(value, layout.amounts[i % len(layout.amounts)]))  # type: ignore[arg-type]
            elif isinstance(value, Decimal):
                cells.append(_volume_text(value))
            else:
                cells.append(value)
        writer.writerow([*identity, *cells])
    text = out.getvalue()
    return (("\ufeff" + text) if layout.csv_bom else text).encode("utf-8")


def file_bytes(f: SampleFile, pemda: Pemda) -> bytes:
    """The bytes of one submitted file."""
    return _csv_bytes(f, pemda) if f.layout.fmt == "csv" else _PemdaXlsxWriter(f, pemda).write()


def _write_pemda(args: tuple[Pemda, int, Path]) -> dict[str, int]:
    pemda, seed, out_dir = args
    counts = {"files": 0, "rows": 0, "csv": 0, "ditolak": 0, "digantikan": 0}
    for q in QUARTERS:
        counts |= {f"files_tw{q}": 0, f"rows_tw{q}": 0}
    for f in plan_pemda(pemda, seed):
        path = out_dir / f.relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(file_bytes(f, pemda))
        counts["files"] += 1
        counts["rows"] += len(f.rows)
        counts[f"files_tw{f.triwulan}"] += 1
        counts[f"rows_tw{f.triwulan}"] += len(f.rows)
        counts["csv"] += f.layout.fmt == "csv"
        counts[f.expected_status] = counts.get(f.expected_status, 0) + 1
    return counts


def daftar_opd_csv(pemda: list[Pemda]) -> bytes:
    """The expected OPDs of every pemda (all 18 of the catalogue)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["kode_pemda", "tahun", "kode_skpd", "nama_skpd"])
    for p in pemda:
        for opd in OPD_LEBAK:
            writer.writerow([p.kode, TAHUN, opd.kode, opd.nama])
    return out.getvalue().encode("utf-8")


def data_dir(out: Path, scale: float) -> Path:
    """Where the data of one scale lives."""
    return out / f"scale-{scale:g}"


def generate(
    scale: float = 1.0, out: Path = DEFAULT_OUT, seed: int = SEED, workers: int | None = None
) -> Path:
    """Write the data for a scale (skipped when the same data is already there); return its folder."""
    folder = data_dir(out, scale)
    manifest_path = folder / "manifest.json"
    key = {"scale": scale, "seed": seed, "version": GENERATOR_VERSION, "tahun": TAHUN}
    if manifest_path.exists() and json.loads(manifest_path.read_text())["key"] == key:
        return folder
    manifest_path.unlink(missing_ok=True)
    pemda = pemda_for_scale(scale, seed)
    started = time.perf_counter()
    workers = workers or os.cpu_count() or 1
    jobs = [(p, seed, folder) for p in pemda]
    if workers == 1:
        results = [_write_pemda(job) for job in jobs]
    else:
        with ProcessPoolExecutor(workers) as pool:
            results = list(pool.map(_write_pemda, jobs, chunksize=4))
    totals: dict[str, int] = {}
    for counts in results:
        for k, v in counts.items():
            totals[k] = totals.get(k, 0) + v
    (folder / "daftar_opd.csv").write_bytes(daftar_opd_csv(pemda))
    manifest = {"key": key, "pemda": len(pemda), **totals, "seconds": round(time.perf_counter() - started, 1)}
    manifest_path.write_text(json.dumps(manifest, indent=2))
    return folder


def resubmission(folder: Path, kode_pemda: str, seed: int = SEED) -> Path:
    """A new revision of one OPD's TW II file (one SP2D moved out of the quarter), written beside the
    data in `tw2-revisi/`: what an OPD sends after the steward's letter."""
    pemda = next(p for p in all_pemda(seed) if p.kode == kode_pemda)
    files = [f for f in plan_pemda(pemda, seed) if f.triwulan == 2 and f.expected_status == "diterima"]
    f = files[0]
    i = max(range(len(f.rows)), key=lambda k: f.rows[k].realisasi_triwulan)
    row = f.rows[i]
    moved = (row.realisasi_triwulan / 10 / 1000).quantize(Decimal(1), ROUND_DOWN) * 1000
    fixed = replace(row, realisasi_triwulan=row.realisasi_triwulan - moved,
                    realisasi_kumulatif=row.realisasi_kumulatif - moved)  # fmt: skip
    revised = replace(
        f,
        rows=(*f.rows[:i], fixed, *f.rows[i + 1 :]),
        revisi=(f.revisi or 0) + 1,
        relpath=re.sub(r"^tw2/", "tw2-revisi/", f.relpath.rsplit(".", 1)[0]) + f" revisi.{f.layout.fmt}",
    )
    path = folder / revised.relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(file_bytes(revised, pemda))
    return path


def main(argv: list[str] | None = None) -> None:
    """`python -m bench.generate --scale S --out DIR`."""
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="share of the 552 pemda (default 1.0)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"root folder (default {DEFAULT_OUT})")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--workers", type=int, help="processes (default: all cores)")
    args = parser.parse_args(argv)
    folder = generate(args.scale, args.out, args.seed, args.workers)
    manifest = json.loads((folder / "manifest.json").read_text())
    print(f"{folder}: {manifest['pemda']} pemda, {manifest['files']} files, {manifest['rows']} rows "
          f"({manifest['seconds']} s)")  # fmt: skip


if __name__ == "__main__":
    main()
