"""Seeded generator of the files OPDs send: the bundled sample in this folder, the tests' data and the
national benchmark's quarter (`bench/generate.py`), through one API.

    from sample import Recipe, build, write_sample

    lebak = build(Recipe())                              # the bundled sample: Kabupaten Lebak, TW I-III 2024
    clean = build(Recipe(mess=frozenset(), events=frozenset({"missing"})))    # the template, one OPD silent
    aceh = build(Recipe(pemda=Pemda("11.01", "Kabupaten Aceh Selatan"), quarters=(1, 2), seed="2024:11.01",
                        cast=Shares(), rows=(15, 35), lokasi="reference"))  # mess and events drawn
    write_sample(lebak, out_dir)

A `Recipe` names the pemda, the year, the quarters, the OPDs (of `CATALOGUE`), the seed, the kinds of mess
kept (`MESS`, spec `submission-format.md` section 6) and the events that happen (`EVENTS`: revisions, late
files, rejected files, missing OPDs, duplicates, the correction of a rejected file, household counts), and
who meets them: `Script` names them per OPD and quarter (the bundled sample), `Shares` draws them.
`build` returns the truth (every row in canonical values, every file's expected verdict); the `write_*`
functions render it as files. `python -m sample` regenerates the bundled sample (`lebak-2024/`,
`perbaikan/`, `sasaran/`); the tests check that the committed files equal a fresh write. rekap itself
never imports this package: `rekap demo` reads the committed files.
"""

from rekap.contract.calendar import ROMAWI
from sample.catalogue import CATALOGUE, SUMBER_DANA_TEKS, Opd, SubKegiatan
from sample.events import EVENTS, corrected_submission, next_revision, renamed
from sample.mess import MESS, NAME_STYLES, TEMPLATE_COLUMNS, TEMPLATE_LABELS, keep_mess, mess_of
from sample.model import LEBAK, Layout, Pemda, Sample, SampleFile, SampleRow, accepted_rows
from sample.recipe import Recipe, build
from sample.reference import every_pemda
from sample.script import Script
from sample.shares import Shares
from sample.write import (
    daftar_opd_csv,
    file_bytes,
    household_counts_csv,
    write_correction,
    write_household_counts,
    write_sample,
    write_submissions,
)

__all__ = [
    "CATALOGUE",
    "EVENTS",
    "LEBAK",
    "MESS",
    "NAME_STYLES",
    "ROMAWI",
    "SUMBER_DANA_TEKS",
    "TEMPLATE_COLUMNS",
    "TEMPLATE_LABELS",
    "Layout",
    "Opd",
    "Pemda",
    "Recipe",
    "Sample",
    "SampleFile",
    "SampleRow",
    "Script",
    "Shares",
    "SubKegiatan",
    "accepted_rows",
    "build",
    "corrected_submission",
    "daftar_opd_csv",
    "every_pemda",
    "file_bytes",
    "household_counts_csv",
    "keep_mess",
    "mess_of",
    "next_revision",
    "renamed",
    "write_correction",
    "write_household_counts",
    "write_sample",
    "write_submissions",
]
