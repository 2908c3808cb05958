"""The data table of a sheet or CSV: its header row found among the first rows, each row below it data or
a row of another kind, and the checks on the cells."""

from __future__ import annotations

import difflib
import operator
import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from itertools import compress

from rekap.contract.codes import header_key
from rekap.contract.fields import COLUMN_BY_NAME, COLUMNS, IDENTITY, IDENTITY_BY_NAME, Field
from rekap.reading.parsed import SKIPPED_TEXT_CHARS, FileRejected, ParsedFile, Problem, SkippedRow
from rekap.reading.scan import column_letter
from rekap.reading.values import clean_text, visible
from rekap.settings import Limits

_TOTAL_ROW = re.compile(
    r"^\s*(jumlah|total|grand total|jumlah total|sub\s*total|sub\s*jumlah)\b", re.IGNORECASE
)


@cache
def _identity_keys() -> dict[str, Field]:
    """Header key -> identity field, for every label and synonym (a key shared by two fields names the
    later one)."""
    return {k: f for f in IDENTITY for k in f.keys}


@dataclass
class _Header:
    row: int  # 0-based index of the last header row
    columns: dict[str, tuple[int, str]]  # name -> (0-based column, header text)
    fuzzy: list[tuple[str, int, str]]  # (name, column, header text) matched by similarity


def _match_labels(labels: list[str]) -> _Header | None:
    """Map header texts to fields: exact key matches first, then close misspellings."""
    by_key = _label_keys()
    columns: dict[str, tuple[int, str]] = {}
    unmatched = []
    for c, text in enumerate(labels):
        key = _label_key(text)
        if not key or (key.isdigit() and not _digits_can_match()):
            continue  # empty, or a number: never a header (see `_close_field`)
        name = by_key.get(key)
        if name and name not in columns:
            columns[name] = (c, text)
        else:
            unmatched.append((c, text, key))
    if "kode_sub_kegiatan" not in columns and not any(_near_code(key) for _c, _t, key in unmatched):
        return None  # no code column, no header: most rows searched are data rows, skip their fuzzing
    fuzzy = []
    for c, text, key in unmatched:
        name = _close_field(key)
        if name is not None and name not in columns:
            columns[name] = (c, text)
            fuzzy.append((name, c, text))
    if "kode_sub_kegiatan" not in columns or len(columns) < 3:
        return None
    return _Header(row=-1, columns=columns, fuzzy=fuzzy)


@cache
def _label_keys() -> dict[str, str]:
    """Header key -> field name, for every label and synonym."""
    return {k: f.name for f in COLUMNS for k in f.keys}


# The header search looks at every cell of the first rows of every file; the same texts (names, units,
# codes) recur across rows and files, so each distinct text is keyed and matched once per process. Only
# texts as short as a label go through the caches, so that what they keep stays small whatever a file
# holds.
_cached_header_key = lru_cache(maxsize=1 << 16)(header_key)


_CACHED_TEXT_CHARS = 120


_LABEL_TEXT_CHARS = 1_000  # a longer text is never taken for a label (the longest is some 40 characters)


def _header_key_of(value: object) -> str:
    """`header_key`, from the cache for a short text. Only texts go through the cache: it would take 1,
    1.0 and True for one key, and `header_key` gives them three. A text too long to be a label keys to
    nothing, without the work (its NFKD form may be many times longer)."""
    if type(value) is str:
        if len(value) <= _CACHED_TEXT_CHARS:
            return _cached_header_key(value)
        if len(value) > _LABEL_TEXT_CHARS:
            return ""
    return header_key(value)


def _label_key(text: str) -> str:
    if text.isascii() and text.replace(".", "").isdigit():
        return text.replace(".", "")  # a number (most cells searched): its key is its digits
    return _cached_header_key(text) if len(text) <= _CACHED_TEXT_CHARS else _header_key_of(text)


def _close_field(key: str) -> str | None:
    """The field a misspelt header key names: the clear winner among close keys, else None."""
    if len(key) * 0.85 > 1.15 * _longest_label_key():
        return None  # too long to be close to any (2 x shorter / total length < 0.85): not cached
    return _cached_close_field(key)


@cache
def _longest_label_key() -> int:
    return max(map(len, _label_keys()))


@lru_cache(maxsize=1 << 16)
def _cached_close_field(key: str) -> str | None:
    by_key = _label_keys()
    if key.isdigit() and not _digits_can_match():
        return None  # a number (amount, volume, row number) is never close to a header
    close = difflib.get_close_matches(key, list(by_key), n=2, cutoff=0.85)
    if not close:
        return None
    name = by_key[close[0]]
    # Two realisasi headers differ by a few letters: only take a clear winner.
    ratios = [difflib.SequenceMatcher(None, key, k).ratio() for k in close]
    if len(close) > 1 and by_key[close[1]] != name and ratios[0] - ratios[1] < 0.05:
        return None
    return name


@cache
def _code_keys() -> tuple[tuple[str, ...], frozenset[str]]:
    """The keys that name the code column, and the characters they use."""
    codes = tuple(k for k, name in _label_keys().items() if name == "kode_sub_kegiatan")
    return codes, frozenset("".join(codes))


def _near_code(key: str) -> bool:
    """Whether a key is close enough to a name of the code column for `_close_field` to pick it."""
    return len(key) * 0.85 <= 1.15 * _longest_label_key() and _cached_near_code(key)


@lru_cache(maxsize=1 << 16)
def _cached_near_code(key: str) -> bool:
    codes, chars = _code_keys()
    # Similarity is at most 2 x shared characters / total length: most keys fail that cheap bound.
    shared = sum(ch in chars for ch in key)
    if not any(2 * min(shared, len(k)) >= 0.85 * (len(key) + len(k)) for k in codes):
        return False
    return bool(difflib.get_close_matches(key, codes, n=1, cutoff=0.85))


@cache
def _digits_can_match() -> bool:
    """Whether an all-digit key could pass the 0.85 similarity cutoff: only against a key that is at
    least 74 % digits (2 x shared / total length >= 0.85 bounds the shared characters by its digits)."""
    return any(sum(ch.isdigit() for ch in k) >= 0.73 * len(k) for k in _label_keys())


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if type(value) in (int, float):
        return str(value)  # no whitespace to fold (the common case: amounts and counts)
    return " ".join(str(value).split())  # runs of whitespace folded to one space, ends stripped


def _row_texts(values: list[object]) -> list[str]:
    """`_cell_text` of every cell of a row, inline for texts and numbers (nearly every cell)."""
    return [
        " ".join(v.split()) if (t := type(v)) is str else str(v) if t is float or t is int else _cell_text(v)
        for v in values
    ]


# A cell can name a field only if its header key has a letter: a text of ASCII digits, dots and other
# punctuation keys to digits or nothing, which `_match_labels` skips (while `_digits_can_match()` is
# false). Letters and non-ASCII characters (which NFKD may turn into letters) are what may name one.
_MAY_NAME = re.compile(r"[A-Za-z\x80-\U0010ffff]").search


_POWERS: tuple[int, ...] = tuple(1 << c for c in range(256))  # 1 << c, for the columns of most rows


def _mask(flags: list) -> int:
    """Bit c set where flags[c] is true (a non-empty text, a match)."""
    if len(flags) <= len(_POWERS):
        return sum(compress(_POWERS, flags))
    # A wider row (the bound is `Limits.max_columns`): built in linear time, and nothing kept.
    return int("".join("1" if f else "0" for f in reversed(flags)), 2)


def _carry(single: list[str], below: list[str]) -> list[str]:
    """A two-row header joined column by column."""
    carried, last = [], ""
    for c in range(max(len(single), len(below))):
        top = single[c] if c < len(single) else ""
        bottom = below[c] if c < len(below) else ""
        # A merged group label sits in its first cell only: carry it right over its sub-labels.
        last = top or (last if bottom else "")
        carried.append(f"{last} {bottom}".strip() if bottom else (top or last))
    return carried


def _find_header(grid: list[list[object]]) -> _Header | None:
    """The header row among the first rows: the one naming most fields; a two-row header (a merged
    group label over sub-labels) is joined column by column.

    The first option (a row, or a row joined with the next) naming the most fields wins, so an option
    that cannot name more fields than the best so far (nor 3, the least a header names) need not be
    matched, and once an option names every field the search is over. Each field `_match_labels`
    takes comes from its own cell, and only from a cell that may name one (`_MAY_NAME`), so the count
    of such cells bounds it. In a joined row, a column's cell is the top cell when the bottom one is
    empty, else the top cell (or the group label carried from the left, when the top is empty) followed
    by the bottom one: it may name a field only if the top or bottom cell may, or if the top is empty
    and the bottom is not. Data rows are most of the rows searched and hold fewer such cells than a
    header names fields, so they are skipped without keying their texts."""
    best: _Header | None = None
    bounded = not _digits_can_match()  # else an all-digit cell may name a field: match every option
    every_field = len(COLUMNS)
    texts: list[list[str]] = []  # `_cell_text` of the rows, as far as the search needs them
    naming: list[int] = []  # per row, bit c set when the cell of column c may name a field
    filled: list[int] = []  # per row, bit c set when the cell of column c is not empty

    def beaten(r: int, joined: bool) -> bool:
        """Whether the option at row r (joined with the next, or not) cannot name more fields than the
        best so far."""
        least = len(best.columns) if best else 2
        if least >= every_field:
            return True
        if not bounded:
            return False
        while len(naming) <= r + joined:
            row = texts[len(naming)]
            naming.append(_mask(list(map(_MAY_NAME, row))))
            filled.append(_mask(row))
        may = naming[r] | naming[r + 1] | (filled[r + 1] & ~filled[r]) if joined else naming[r]
        return may.bit_count() <= least

    for r in range(min(len(grid), 40)):
        while len(texts) <= r + 1 and len(texts) < len(grid):
            texts.append(_row_texts(grid[len(texts)]))
        if not beaten(r, False):
            header = _match_labels(texts[r])
            if header and (best is None or len(header.columns) > len(best.columns)):
                header.row = r
                best = header
        if r + 1 < len(grid) and not beaten(r, True):
            header = _match_labels(_carry(texts[r], texts[r + 1]))
            if header and (best is None or len(header.columns) > len(best.columns)):
                header.row = r + 1
                best = header
        if best is not None and len(best.columns) >= every_field:
            break  # nothing below can name more
    return best


def _is_number_row(texts: list[str]) -> bool:
    """The row of column numbers (1, 2, 3, ...) that templates print under the header (given the
    `_cell_text` of its cells)."""
    cells = [t for t in texts if t]
    if len(cells) < 3:
        return False
    numbers = _numbers(cells)
    return numbers is not None and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def _numbers(cells: list[str]) -> list[int] | None:
    """The cells read as whole numbers (`int(float(...))`, in order), or None at the first that is not
    a finite number."""
    numbers = []
    for cell in cells:
        cell = cell.strip("()")
        if cell.count(".") > 1:
            return None  # float() takes one decimal point at most; codes (1.02.02...) have more
        try:
            numbers.append(int(float(cell)))
        except (ValueError, OverflowError):  # not a number; nan, inf
            return None
    return numbers


def _extract_rows(
    parsed: ParsedFile, sheet: str, grid: list[list[object]], header: _Header, limits: Limits
) -> None:
    """The rows below the header: each non-empty one is a data row, or a row of another kind recorded in
    `parsed.skipped` (`SKIPPED_KINDS`). A total row does not end the table (a subtotal may stand in its
    middle): rows are read to the end of the sheet, and below the last total only a row with a sub
    kegiatan code is data (what else is there is the signature block)."""
    parsed.columns = {n: (column_letter(c), text) for n, (c, text) in header.columns.items()}
    for name, c, text in header.fuzzy:
        parsed.problems.append(
            Problem(
                "W01",
                sheet=sheet,
                row=header.row + 1,
                column=column_letter(c),
                column_label=COLUMN_BY_NAME[name].label,
                value=text,
            )
        )
    _check_required_columns(parsed, sheet, header.row + 1)
    names = list(header.columns)
    places = [c for c, _text in header.columns.values()]
    take = operator.itemgetter(*places)  # the header names at least 3 columns: a tuple of cells
    # The cells of the columns that make a row a data row (the code and pagu at least, both required);
    # a row where all are None is no data row.
    evidence_of = operator.itemgetter(*[i for i, name in enumerate(names) if name in _DATA_EVIDENCE])
    no_evidence = evidence_of([None] * len(names))
    last_place = max(places)
    skipped = parsed.skipped
    last_total = 0  # Excel row of the last total row
    for r in range(header.row + 1, len(grid)):
        values = grid[r]
        # The first three cells tell most rows apart: all filled, and one of them not a number (converted
        # in the order `_is_number_row` converts them), is a row neither empty nor of column numbers, and
        # the first is its first text. Else the whole row decides, as it always did.
        head = _row_texts(values[:3])
        if len(head) < 3 or "" in head or _numbers(head) is not None:
            texts = _row_texts(values)
            if not any(texts):
                continue
            if _is_number_row(texts):
                skipped.append(_skipped(r, "nomor_kolom", texts))
                continue
            first_text = next((t for t in texts[:6] if t), "")
        else:
            first_text = head[0]
        if first_text and _TOTAL_ROW.match(first_text) and not _code_like(values, header):
            skipped.append(_skipped(r, "jumlah", _row_texts(values)))
            last_total = r + 1
            continue
        if len(values) > last_place:
            cells = [None if v == "" else v for v in take(values)]
        else:  # a short row (CSV): the missing cells are empty
            width = len(values)
            cells = [None if c >= width or values[c] == "" else values[c] for c in places]
        if evidence_of(cells) == no_evidence:
            skipped.append(_skipped(r, "catatan", _row_texts(values)))
            continue
        row: dict[str, object] = {"_baris": r + 1}
        row.update(zip(names, cells, strict=False))  # one cell per name (`take`, `places`)
        parsed.rows.append(row)
    _end_of_table(parsed, grid, last_total)
    if not parsed.rows:
        raise FileRejected(Problem("F09", sheet=sheet))
    # Only a text longer than the limit can fail `_check_cell_lengths`: when the sheet has none below the
    # header, no row needs the check.
    max_chars = limits.max_cell_chars
    texts_below = [v for row in grid[header.row + 1 :] for v in row if isinstance(v, str)]
    if max(map(len, texts_below), default=0) > max_chars:
        for row in parsed.rows:
            if any(isinstance(row[n], str) and len(row[n]) > max_chars for n in names):
                _check_cell_lengths(parsed, sheet, row, header, limits)


def _end_of_table(parsed: ParsedFile, grid: list[list[object]], last_total: int) -> None:
    """Below the last total row (Excel row `last_total`, 0 without one) and below the last row with a sub
    kegiatan code, the table has ended: a row there is the signature block or a note under the table,
    even with a number in an amount column (a NIP, a date), and is no data. Without a total row every
    row with a code or an amount stays data, to be validated."""
    rows = parsed.rows
    if last_total:
        cut = len(rows)
        while cut and rows[cut - 1]["_baris"] > last_total:
            if _SUB_KEGIATAN_START.match(_cell_text(rows[cut - 1]["kode_sub_kegiatan"])):
                break
            cut -= 1
        for row in rows[cut:]:
            r = int(row["_baris"]) - 1
            parsed.skipped.append(_skipped(r, "tanda_tangan", _row_texts(grid[r])))
        del rows[cut:]
    end = max(last_total, int(rows[-1]["_baris"]) if rows else 0)
    if not parsed.skipped or (parsed.skipped[-1].baris <= end and not last_total):
        return  # in order already, and nothing below the table
    parsed.skipped = sorted(
        (
            replace(s, jenis="tanda_tangan") if s.baris > end and s.jenis == "catatan" else s
            for s in parsed.skipped
        ),
        key=operator.attrgetter("baris"),
    )


def _skipped(r: int, kind: str, texts: list[str]) -> SkippedRow:
    """The skipped row of 0-based index r, with its texts as a message shows them (`visible`)."""
    return SkippedRow(r + 1, kind, visible(" | ".join(t for t in texts if t), SKIPPED_TEXT_CHARS))


# A row with any of these filled is a data row (and is validated, so nothing it holds is lost).
_DATA_EVIDENCE = ("kode_sub_kegiatan", "pagu", "pagu_murni", "realisasi_triwulan", "realisasi_kumulatif")


_CODE_START = re.compile(r"^\s*\d+\.\d")


# How a sub kegiatan code begins (`1.06.`, also with stray spaces): below the last total row, what tells a
# data row from the signature block (where a date like 08.10.2024 may stand in the code column).
_SUB_KEGIATAN_START = re.compile(r"^\s*\d\s*\.\s*\d\d\s*\.")


def _code_like(values: list[object], header: _Header) -> bool:
    c = header.columns["kode_sub_kegiatan"][0]
    return c < len(values) and bool(_CODE_START.match(_cell_text(values[c])))


def _check_required_columns(parsed: ParsedFile, sheet: str | None, row: int | None) -> None:
    missing = [f.label for f in COLUMNS if f.required and f.name not in parsed.columns]
    if "realisasi_triwulan" not in parsed.columns and "realisasi_kumulatif" not in parsed.columns:
        missing.append("Realisasi Triwulan Ini (Rp) / Realisasi s.d. Triwulan Ini (Rp)")
    if missing:
        raise FileRejected(Problem("F08", sheet=sheet, row=row, value="; ".join(missing)))


def _check_cell_lengths(
    parsed: ParsedFile, sheet: str, row: dict[str, object], header: _Header, limits: Limits
) -> None:
    for name, (c, _t) in header.columns.items():
        value = row.get(name)
        if isinstance(value, str) and len(value) > limits.max_cell_chars:
            raise FileRejected(
                Problem(
                    "F12",
                    sheet=sheet,
                    row=int(row["_baris"]),
                    column=column_letter(c),
                    column_label=COLUMN_BY_NAME[name].label,
                    value=f"{len(value)} karakter",
                )
            )


def _flag_formulas(parsed: ParsedFile, cells: list[tuple[int, int]]) -> None:
    """F11 at each cell of a data row in a column of the table that holds a formula without a cached
    value (calamine would give it as empty: read as nothing spent)."""
    if not cells:
        return
    letters = {letter: name for name, (letter, _t) in parsed.columns.items()}
    data_rows = {r["_baris"] for r in parsed.rows}
    for r, c in sorted(set(cells)):
        letter = column_letter(c)
        if letter in letters and r + 1 in data_rows:
            parsed.problems.append(
                Problem(
                    "F11",
                    sheet=parsed.sheet,
                    row=r + 1,
                    column=letter,
                    column_label=COLUMN_BY_NAME[letters[letter]].label,
                    value="(rumus)",
                )
            )
    if any(p.rule == "F11" for p in parsed.problems):
        parsed.rows = []


def _check_identity_texts(parsed: ParsedFile, raw: dict[str, str], limits: Limits) -> None:
    """The identity texts as written (`raw`, by field): one longer than the cell limit rejects the file
    (F12), as a data cell would (they are printed in the report and the letters); a line break or an
    invisible character is taken out of it (`rekap.validation`) and reported (W07): a name goes into an
    e-mail subject and a letter's heading, a code must not differ from its look."""
    for name, text in raw.items():
        sheet, row, column = parsed.identity_where[name]
        label = IDENTITY_BY_NAME[name].label
        if len(text) > limits.max_cell_chars:
            raise FileRejected(Problem("F12", sheet, row, column, label, value=f"{len(text)} karakter"))
        if clean_text(text, one_line=True)[1]:
            parsed.problems.append(Problem("W07", sheet, row, column, label, value=text))
