"""What to generate for one pemda (a Recipe), and the generator itself (`build`): seeded and pure."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from rekap.contract.calendar import ROMAWI
from sample.catalogue import CATALOGUE, Opd
from sample.events import EVENTS, corrected_submission, household_counts
from sample.mess import MESS
from sample.model import LEBAK, Pemda, Sample
from sample.script import Script
from sample.shares import Shares
from sample.year import LOKASI_CODES, catalogue_lines, package_lines


@dataclass(frozen=True)
class Recipe:
    """Whose files, which quarters, which mess and events, and who meets them. The defaults are the bundled
    sample: Kabupaten Lebak's 18 OPDs, TW I-III 2024, every kind of mess and every event, as scripted."""

    pemda: Pemda = LEBAK
    tahun: int = 2024
    quarters: tuple[int, ...] = (1, 2, 3)  # the quarters whose files are sent; the truth runs from TW I
    opd: tuple[Opd, ...] = CATALOGUE  # the expected OPDs, each sending its files
    seed: int | str = 2024
    mess: frozenset[str] = frozenset(MESS)  # the kinds of mess kept (sample.mess.MESS); the rest: template
    events: frozenset[str] = frozenset(EVENTS)  # the events that happen (sample.events.EVENTS)
    cast: Script | Shares = field(default_factory=Script)  # who meets which mess and event: named, or drawn
    rows: tuple[int, int] | None = None  # rows per file drawn in this range; None: every catalogue row once
    lokasi: str = "synthetic"  # lokasi codes (sample.year.LOKASI_CODES): the sample's, or the reference's
    folders: str = "tw{q}"  # where a quarter's files sit; '{kode_pemda}' names the pemda's folder

    def __post_init__(self) -> None:
        if (
            not self.quarters
            or list(self.quarters) != sorted(set(self.quarters))
            or set(self.quarters) - set(ROMAWI)
        ):
            raise ValueError(f"quarters must be distinct and ascending among 1-4: {self.quarters}")
        if self.mess - set(MESS) or self.events - set(EVENTS) or self.lokasi not in LOKASI_CODES:
            unknown = sorted(self.mess - set(MESS)) + sorted(self.events - set(EVENTS))
            raise ValueError(f"unknown mess, event or lokasi: {unknown or self.lokasi}")

    def folder(self, q: int) -> str:
        """The folder of quarter q's files, relative to the output folder."""
        return self.folders.format(q=q, kode_pemda=self.pemda.kode)


def build(recipe: Recipe) -> Sample:
    """The truth of every file the recipe's OPDs send, with follow-ups: same recipe, same sample."""
    rng = random.Random(recipe.seed)
    last = recipe.quarters[-1]
    files = []
    for index, opd in enumerate(recipe.opd):
        if recipe.rows is None:
            lines = catalogue_lines(opd, recipe.pemda, last, recipe.lokasi, rng)
        else:
            lines = package_lines(opd, recipe.pemda, last, recipe.rows, recipe.lokasi, rng)
        files += recipe.cast.files(recipe, opd, index, lines, rng)
    rejected = [f for f in files if f.expected_status == "ditolak"]
    return Sample(
        pemda=recipe.pemda,
        tahun=recipe.tahun,
        opd=recipe.opd,
        files=tuple(files),
        correction=corrected_submission(rejected[0]) if rejected and "correction" in recipe.events else None,
        households=household_counts(recipe.pemda, recipe.seed) if "household_counts" in recipe.events else (),
    )
