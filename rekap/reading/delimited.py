"""Reading a CSV submission: its delimiter, its header, and its identity columns repeated on every row."""

from __future__ import annotations

import csv
import io
import re

from rekap.contract.fields import IDENTITY_BY_NAME
from rekap.reading.parsed import FileRejected, ParsedFile, Problem
from rekap.reading.scan import column_letter
from rekap.reading.table import (
    _check_identity_texts,
    _extract_rows,
    _find_header,
    _Header,
    _header_key_of,
    _identity_keys,
)
from rekap.reading.values import parse_triwulan
from rekap.settings import Limits


def _read_csv(parsed: ParsedFile, data: bytes, limits: Limits) -> None:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FileRejected(Problem("F10", detail=f"byte tidak sah di posisi {exc.start}")) from exc
    if not text.strip():
        raise FileRejected(Problem("F05"))
    if text.count("\n") > limits.max_rows + 200:
        raise FileRejected(Problem("F04", detail=f"{text.count(chr(10))} baris > batas {limits.max_rows}"))
    # A line can hold no more fields than characters: one that could hold more than the columns allowed,
    # each as long as a cell may be, is rejected before it is split.
    longest = (limits.max_cell_chars + 3) * limits.max_columns
    if len(text) > longest and (m := re.search(f"[^\n]{{{longest + 1}}}", text)):
        line = text.count("\n", 0, m.start()) + 1
        raise FileRejected(
            Problem("F04", sheet="CSV", row=line, detail=f"baris {line} lebih dari {longest} karakter")
        )
    sheet = "CSV"
    parsed.sheet = sheet
    # The delimiter is the one (of the two the spec accepts) under which a header row is found; a title
    # line above the header may hold neither, so the first line alone cannot decide.
    best: tuple[list[list[str]], _Header, tuple[int, int] | None] | None = None
    for delimiter in (";", ","):
        grid, wide = _csv_grid(text, delimiter, limits)
        found = _find_header(grid)
        if found and (best is None or len(found.columns) > len(best[1].columns)):
            best = (grid, found, wide)
    if best is None:
        raise FileRejected(Problem("F07", detail=_delimiter_hint(text)))
    grid, header, wide = best
    if wide is not None:
        row, width = wide
        detail = f"{width} kolom > batas {limits.max_columns}"
        raise FileRejected(
            Problem("F04", sheet=sheet, row=row, column=column_letter(limits.max_columns), detail=detail)
        )
    if sum(map(len, grid)) > limits.max_cells:
        raise FileRejected(
            Problem("F04", sheet=sheet, detail=f"{sum(map(len, grid))} sel > batas {limits.max_cells}")
        )
    # Identity fields are columns on every row of a CSV submission.
    id_keys = _identity_keys()
    id_columns = {}
    for c, label in enumerate(grid[header.row]):
        spec = id_keys.get(_header_key_of(label))
        if spec and spec.name not in id_columns:
            id_columns[spec.name] = c
    _extract_rows(parsed, sheet, grid, header, limits)
    for name, c in id_columns.items():
        # The value of the first row that has one (else the first row's blank): a blank cell further
        # down repeats it.
        baris, value = int(parsed.rows[0]["_baris"]), _csv_cell(grid, parsed.rows[0], c)
        if not value:
            for row in parsed.rows:
                text = _csv_cell(grid, row, c)
                if text:
                    baris, value = int(row["_baris"]), text
                    break
        parsed.identity[name] = value or None
        parsed.identity_where[name] = (sheet, baris, column_letter(c))
    if not parsed.identity:
        raise FileRejected(
            Problem(
                "F06",
                sheet=sheet,
                detail="kolom identitas (kode_pemda, tahun, triwulan, kode_skpd, ...) tidak ada",
            )
        )
    _check_identity_columns(parsed, sheet, grid, id_columns)
    raw = {}
    for name, c in id_columns.items():
        cells = grid[parsed.identity_where[name][1] - 1]
        if c < len(cells):
            raw[name] = cells[c]
    _check_identity_texts(parsed, raw, limits)


def _csv_grid(text: str, delimiter: str, limits: Limits) -> tuple[list[list[str]], tuple[int, int] | None]:
    """The CSV's rows under one delimiter, each cut to one field more than the columns allowed, and the
    (line, number of fields) of the first row that had more. A field longer than the csv module takes
    is a cell too long (F12); any other error of the module leaves the file unreadable (F02)."""
    grid, wide = [], None
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for row in reader:
            if len(row) > limits.max_columns:
                wide = wide or (len(grid) + 1, len(row))
                del row[limits.max_columns + 1 :]
            grid.append(row)
    except csv.Error as exc:
        line = reader.line_num
        if "field larger than field limit" in str(exc):
            raise FileRejected(
                Problem("F12", sheet="CSV", row=line, value=f"> {csv.field_size_limit()} karakter")
            ) from exc
        raise FileRejected(
            Problem("F02", sheet="CSV", row=line, detail=f"CSV tidak dapat dibaca: {exc}")
        ) from exc
    return grid, wide


def _check_identity_columns(
    parsed: ParsedFile, sheet: str, grid: list[list[str]], id_columns: dict[str, int]
) -> None:
    """A CSV repeats its identity on every row; a row that says otherwise (another quarter, another
    OPD) would mix two submissions in one file. Report the first differing cell of each column."""
    for name, c in id_columns.items():
        first = parsed.identity.get(name)
        if not first:
            continue  # nothing to differ from
        same: dict[str, bool] = {}  # per value written: rows repeat a few values, compare each once
        for row in parsed.rows:
            value = _csv_cell(grid, row, c)
            if not value:
                continue
            if value not in same:
                same[value] = _same_identity(name, value, str(first))
            if not same[value]:
                parsed.problems.append(
                    Problem(
                        "I12",
                        sheet=sheet,
                        row=int(row["_baris"]),
                        column=column_letter(c),
                        column_label=IDENTITY_BY_NAME[name].label,
                        value=value,
                        detail=f"baris {parsed.identity_where[name][1]} berisi '{first}'",
                    )
                )
                break


def _csv_cell(grid: list[list[str]], row: dict[str, object], c: int) -> str:
    cells = grid[int(row["_baris"]) - 1]
    return " ".join(cells[c].split()) if c < len(cells) else ""  # `_cell_text` of a CSV cell (a text)


def _same_identity(name: str, a: str, b: str) -> bool:
    """Two spellings of one identity value (`3` and `TW III`, `36.02` and `36.02 `) are the same."""
    if name == "triwulan":
        try:
            return parse_triwulan(a) == parse_triwulan(b)
        except ValueError:
            pass
    return _SPACES.sub("", a).casefold() == _SPACES.sub("", b).casefold()


_SPACES = re.compile(r"\s+")


def _delimiter_hint(text: str) -> str:
    """Why no header was found in a CSV: most often a delimiter other than `,` and `;`."""
    line = next((ln for ln in text.splitlines() if ln.strip()), "")
    for delimiter, name in (("\t", "tab"), ("|", "'|'")):
        if line.count(delimiter) > max(line.count(","), line.count(";")):
            return f"pemisah kolom tampaknya {name}; gunakan koma (,) atau titik koma (;)"
    return "baris judul kolom (Kode Sub Kegiatan, Pagu, ...) tidak ditemukan"
