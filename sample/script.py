"""Mess and events named in advance, per OPD and quarter: the bundled sample's cast, which the tests and
the stewards' guide point at (Dinkes revises TW II, Disperindag's TW III is rejected, ...)."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import ROUND_DOWN, Decimal
from typing import TYPE_CHECKING

from sample.catalogue import Opd
from sample.cells import amount_text
from sample.events import overstated, revision
from sample.mess import LEBAK_LAYOUTS, TEMPLATE_COLUMNS, file_name, keep_mess
from sample.model import Layout, SampleFile, SampleRow, after_quarter
from sample.year import Line

if TYPE_CHECKING:
    from sample.recipe import Recipe

# File names as the bundled sample's OPDs send them (NAME_STYLES); the others use the template's name.
LEBAK_NAMES = {
    "dinkes": "laporan",
    "dp3ap2kb": "template_singkatan",
    "pupr": "snake",
    "dindikbud": "no_quarter",
    "dpmd": "underscored",
    "distan": "upper",
    "diskan": "snake_tw",
    "diskominfo": "ke_first",
}


@dataclass(frozen=True)
class Script:
    """Who meets which mess and event, by OPD key and quarter; an event whose OPD or quarter is not in
    the recipe does not happen."""

    layouts: Mapping[tuple[str, int], Layout] = field(default_factory=lambda: LEBAK_LAYOUTS)
    names: Mapping[str, str] = field(default_factory=lambda: LEBAK_NAMES)
    revision: tuple[str, int] = ("dinkes", 2)  # Revisi 0, then Revisi 1 a week later
    late: tuple[str, int] = ("dlh", 2)  # arrives with the next quarter's batch
    missing: tuple[str, int] = ("dispar", 3)
    rejected: tuple[str, int] = ("disperindag", 3)  # needs a realisation before that quarter
    duplicate: tuple[str, int] = ("diskop", 1)
    no_revisi: tuple[str, ...] = ("bappeda",)  # leave the optional Revisi field out

    def files(
        self, recipe: Recipe, opd: Opd, index: int, lines: list[Line], rng: random.Random
    ) -> list[SampleFile]:
        """Every file one OPD sends over the recipe's quarters (no draw: the script names everything)."""
        out: list[SampleFile] = []
        for q in recipe.quarters:
            happens = {event for event, at in self._named().items() if at == (opd.key, q)} & recipe.events
            if "missing" in happens:
                continue
            layout = keep_mess(self.layouts.get((opd.key, q), Layout()), recipe.mess)
            columns = layout.columns or TEMPLATE_COLUMNS
            rows = tuple(line.row(q, "pagu_murni" in columns) for line in lines)
            name = file_name(
                self.names.get(opd.key, "template"), recipe.pemda, recipe.tahun, opd, q, layout.fmt
            )
            folder = recipe.folder(q)
            tanggal = after_quarter(recipe.tahun, q, 2 + index % 12)
            if "late" in happens:  # in the next quarter's folder, dated in that batch
                folder, tanggal = recipe.folder(q + 1), after_quarter(recipe.tahun, q + 1, 3)
            base = SampleFile(
                relpath=f"{folder}/{name}",
                kode_skpd=opd.kode,
                nama_skpd=opd.nama,
                triwulan=q,
                revisi=None if opd.key in self.no_revisi else 0,
                rows=rows,
                expected_status="diterima",
                defect="",
                tanggal_laporan=tanggal,
                layout=layout,
            )
            if "revision" in happens:
                superseded, base = revision(base, " revisi", days=7)
                out.append(superseded)
            if "rejected" in happens:
                bad_rows, defect = _over_pagu(rows)
                base = replace(base, rows=bad_rows, expected_status="ditolak", defect=defect)
            out.append(base)
            if "duplicate" in happens:
                # The copy's name sorts after the template's name, so the original counts as first seen.
                copy = file_name("lap", recipe.pemda, recipe.tahun, opd, q, layout.fmt)
                twin = replace(layout, same_bytes_as=base.relpath)
                out.append(replace(base, relpath=f"{folder}/{copy}", expected_status="duplikat", layout=twin))
        return out

    def _named(self) -> dict[str, tuple[str, int]]:
        return {
            "revision": self.revision,
            "late": self.late,
            "missing": self.missing,
            "rejected": self.rejected,
            "duplicate": self.duplicate,
        }


def _over_pagu(rows: tuple[SampleRow, ...]) -> tuple[tuple[SampleRow, ...], str]:
    """Over-report the row with the most realisation before the quarter, by at most half of it (so that the
    quarter's own amount stays within pagu): the file's only error, and its description."""
    i = max(range(len(rows)), key=lambda k: rows[k].realisasi_kumulatif - rows[k].realisasi_triwulan)
    row = rows[i]
    before = row.realisasi_kumulatif - row.realisasi_triwulan
    excess = (min(before / 2, row.pagu / 10) / 1000).quantize(Decimal(1), ROUND_DOWN) * 1000
    assert excess > 0, "the defective row needs a realisation before its quarter"
    defect = (
        f"{row.kode_sub_kegiatan} / {row.sumber_dana}: realisasi s.d. triwulan "
        f"{amount_text(row.pagu + excess, 'rp')} exceeds pagu {amount_text(row.pagu, 'rp')}"
    )
    return overstated(rows, i, excess), defect
