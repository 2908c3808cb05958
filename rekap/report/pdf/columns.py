"""The widths of a PDF table's columns: measured at each font size tried, fitted to the page, and split into
parts side by side when even the smallest font does not fit."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from reportlab.pdfbase import pdfmetrics

from rekap.contract.tables import NUMERIC_KINDS, ReportTable
from rekap.report.pdf.layout import FONT, FONT_BOLD, KEY_COLUMNS, PAD, TEXT_COLUMN_MAX, WIDTH, WORD_MAX

# A column named after a quarter ("TW IV K", "TW IV Rp"): the header names the quarter once over all its
# columns, each column's own name ("K", "Rp") beneath, so that a quarter's name is never broken up.
_QUARTER_COLUMN = re.compile(r"(TW [IV]+) (\S.*)")


def header_names(table: ReportTable) -> list[tuple[str, str]]:
    """Per column: the quarter that heads it ("" for none) and its own name beneath."""
    names = []
    for column in table.columns:
        match = _QUARTER_COLUMN.fullmatch(column.label)
        names.append((match[1], match[2]) if match else ("", column.label))
    return names


def quarter_runs(groups: list[str], columns: Iterable[int]) -> list[list[int]]:
    """`columns` in runs: neighbouring columns headed by one quarter (`groups`, by column) together, any
    other column alone."""
    runs: list[list[int]] = []
    for c in columns:
        if runs and groups[c] and runs[-1][-1] == c - 1 and groups[c - 1] == groups[c]:
            runs[-1].append(c)
        else:
            runs.append([c])
    return runs


@dataclass
class Sizing:
    """The widths a table's columns would like and may shrink to, at one font size."""

    font_size: float
    natural: list[float]  # width each column would like
    minimum: list[float]  # narrowest each column may be


class _Widest:
    """The widest of some strings at each font size tried, measuring every string only at the first size.

    A TrueType string is as wide as the sum of its glyphs' advances (exact binary fractions, so the sum is
    exact) times a factor of the size alone. At any size the widest strings are therefore the same ones:
    those tied widest at the first size, the only ones measured again at the next sizes."""

    def __init__(self, strings: set[tuple[str, str]]) -> None:
        self._strings = strings  # (text, font name)

    def at(self, size: float) -> float:
        widths = {(t, f): pdfmetrics.stringWidth(t, f, size) for t, f in self._strings}
        widest = max(widths.values(), default=0.0)
        self._strings = {key for key, width in widths.items() if width == widest}
        return widest


class Columns:
    """What the widths of a table's columns depend on: per column its header's words, its texts and, for a
    text column, their words; measured at each font size tried."""

    def __init__(self, table: ReportTable, cells: list[list[str]]) -> None:
        self.kinds = [column.kind for column in table.columns]
        names = header_names(table)
        self.groups = [group for group, _ in names]
        self.quarters = {group: _Widest({(group, FONT_BOLD)}) for group in self.groups if group}
        self.header, self.texts, self.words = [], [], []
        for c, (_, own) in enumerate(names):
            texts = {(row[c], FONT_BOLD if table.level(r) else FONT) for r, row in enumerate(cells) if row[c]}
            self.header.append(_Widest({(w, FONT_BOLD) for w in own.split()}))
            self.texts.append(_Widest(texts))
            self.words.append(_Widest({(w, f) for t, f in texts for w in t.split()}))

    def sizing(self, size: float) -> Sizing:
        """The columns' natural and narrowest widths at font `size`."""
        natural, minimum = [], []
        for c, kind in enumerate(self.kinds):
            header, widest = self.header[c].at(size), self.texts[c].at(size)
            if kind in NUMERIC_KINDS:
                natural.append(max(widest, header) + 2 * PAD)
                minimum.append(natural[-1])
                continue
            word = self.words[c].at(size)
            natural.append(max(min(widest, TEXT_COLUMN_MAX), header) + 2 * PAD)
            minimum.append(min(max(min(word, WORD_MAX), header), natural[-1] - 2 * PAD) + 2 * PAD)
        for run in quarter_runs(self.groups, range(len(self.kinds))):
            if self.groups[run[0]]:  # the columns of a quarter are together as wide as its name
                need = self.quarters[self.groups[run[0]]].at(size) + 2 * PAD
                for widths in (natural, minimum):
                    widths[run[-1]] += max(need - sum(widths[c] for c in run), 0.0)
        return Sizing(size, natural, minimum)


def fit_widths(sizing: Sizing, columns: list[int], room: float) -> list[float]:
    """Widths of `columns`: natural when they fit, else text columns shrink toward their minimum."""
    natural = [sizing.natural[c] for c in columns]
    minimum = [sizing.minimum[c] for c in columns]
    if sum(natural) <= room:
        return natural
    spare = room - sum(minimum)
    give = [n - m for n, m in zip(natural, minimum, strict=True)]
    total = sum(give) or 1.0
    return [m + max(spare, 0) * g / total for m, g in zip(minimum, give, strict=True)]


def split_columns(sizing: Sizing, groups: list[str]) -> list[list[int]]:
    """Column groups that each fit the page width, the key columns repeated in each, the columns of one
    quarter (`groups`, by column) kept in one."""
    count = len(groups)
    if sum(sizing.minimum) <= WIDTH or count <= KEY_COLUMNS:
        return [list(range(count))]
    keys = list(range(KEY_COLUMNS))
    room = WIDTH - sum(sizing.minimum[c] for c in keys)
    parts: list[list[int]] = [[]]
    used = 0.0
    for run in quarter_runs(groups, range(KEY_COLUMNS, count)):
        width = sum(sizing.minimum[c] for c in run)
        if parts[-1] and used + width > room:
            parts.append([])
            used = 0.0
        parts[-1] += run
        used += width
    return [keys + part for part in parts]
