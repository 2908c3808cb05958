"""Mess and events drawn at random, at given shares per OPD or per file: the national benchmark's quarter,
where no file is named in advance."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING

from sample.catalogue import Opd
from sample.events import overstated, revision
from sample.mess import CSV_LAYOUTS, TEMPLATE_COLUMNS, XLSX_LAYOUTS, file_name, keep_mess
from sample.model import Layout, SampleFile, after_quarter
from sample.year import Line

if TYPE_CHECKING:
    from sample.recipe import Recipe


@dataclass(frozen=True)
class Shares:
    """Who meets which mess and event, drawn: each share is a probability. Revisions and missing files
    happen in the recipe's last quarter (the quarter being run); no file is late or sent twice.

    Every draw is made whether or not the recipe keeps its event or kind of mess, so that leaving one out
    leaves every other file as it was."""

    csv: float = 0.12  # per OPD: sends CSV exports, in one of CSV_LAYOUTS
    messy: float = 0.45  # per xlsx file: one of XLSX_LAYOUTS instead of the template
    no_revisi: float = 0.1  # per OPD: files without the Revisi field
    missing: float = 0.01  # per OPD, in the last quarter
    revision: float = 0.01  # per file of the last quarter
    rejected: float = 0.015  # per file not revised
    names: tuple[str, ...] = ("template", "template", "laporan", "snake", "upper", "no_quarter")  # per OPD

    def files(
        self, recipe: Recipe, opd: Opd, index: int, lines: list[Line], rng: random.Random
    ) -> list[SampleFile]:
        """Every file one OPD sends over the recipe's quarters, its mess and events drawn from `rng`."""
        as_csv = rng.random() < self.csv
        csv_layout = rng.choice(CSV_LAYOUTS)
        name = rng.choice(self.names)
        revisi = None if rng.random() < self.no_revisi else 0
        last = recipe.quarters[-1]
        out: list[SampleFile] = []
        for q in recipe.quarters:
            if q == last and rng.random() < self.missing and "missing" in recipe.events:
                continue
            if as_csv:
                layout = csv_layout
            elif rng.random() < self.messy:
                layout = rng.choice(XLSX_LAYOUTS)
            else:
                layout = Layout()
            layout = keep_mess(layout, recipe.mess)
            columns = layout.columns or TEMPLATE_COLUMNS
            rows = tuple(line.row(q, "pagu_murni" in columns) for line in lines)
            named = file_name(name, recipe.pemda, recipe.tahun, opd, q, layout.fmt)
            base = SampleFile(
                relpath=f"{recipe.folder(q)}/{named}",
                kode_skpd=opd.kode,
                nama_skpd=opd.nama,
                triwulan=q,
                revisi=revisi,
                rows=rows,
                expected_status="diterima",
                defect="",
                tanggal_laporan=after_quarter(recipe.tahun, q, 2 + index % 12),
                layout=layout,
            )
            if q == last and rng.random() < self.revision:
                if "revision" in recipe.events:
                    superseded, base = revision(base, " revisi 1", days=0)
                    out.append(superseded)
            elif rng.random() < self.rejected:
                i = rng.randrange(len(rows))
                if "rejected" in recipe.events:
                    bad_rows = overstated(rows, i, Decimal(1_000_000))
                    base = replace(base, rows=bad_rows, expected_status="ditolak", defect="R08")
            out.append(base)
        return out
