"""Reading a workbook: its XML checked against the limits before anything is built, its sheets as grids,
its Identitas sheet, its data sheet and its merged cells."""

from __future__ import annotations

import contextlib
import html
import io
import posixpath
import re
import zipfile
from dataclasses import replace

from python_calamine import CalamineWorkbook

from rekap.contract.codes import header_key
from rekap.contract.fields import COLUMN_BY_NAME
from rekap.reading import scan as xlsx_scan
from rekap.reading.parsed import FileRejected, ParsedFile, Problem
from rekap.reading.scan import column_letter
from rekap.reading.table import (
    _cell_text,
    _check_identity_texts,
    _extract_rows,
    _find_header,
    _flag_formulas,
    _Header,
    _header_key_of,
    _identity_keys,
)
from rekap.settings import Limits


def _inspect_workbook(archive: zipfile.ZipFile, limits: Limits) -> dict[str, bytes]:
    """Sheet name -> worksheet XML, read before any spreadsheet library sees the file. Check there every
    bound that loading the workbook could exceed (`rekap.reading.scan`): the extent, columns and cells of
    each worksheet and of all of them together, its merged ranges, and the text its shared strings
    expand to. A file over a bound is rejected (F04) at the cell that makes it so, before calamine
    allocates anything for it."""
    infos = archive.infolist()
    by_lower = {i.filename.lower(): i.filename for i in infos}
    paths = _sheet_paths(archive.read("xl/workbook.xml"), archive.read("xl/_rels/workbook.xml.rels"))
    # Every member a sheet may be loaded from: the worksheets folder, and each relationship's target as
    # written and resolved (a writer may point anywhere inside the archive).
    members = {
        n: n for n in by_lower.values() if n.lower().startswith("xl/worksheets/") and n.endswith(".xml")
    }
    for name, target in paths.items():
        for candidate in (target, posixpath.normpath(target)):
            if candidate.lower() in by_lower:
                members[by_lower[candidate.lower()]] = name
    xml_of = {member: archive.read(member) for member in members}
    extents = {}
    for member, xml in xml_of.items():
        extent = xlsx_scan.sheet_extent(xml)
        if not extent.exact and (
            max(extent.area, extent.cells) > limits.max_cells or extent.last_column >= limits.max_columns
        ):
            extent = xlsx_scan.walk_cells(xml, formulas=False)
        sheet = members[member] if members[member] != member else _sheet_name_of(member, paths)
        _check_extent(sheet, extent, limits)
        merges = xlsx_scan.merge_count(xml, limits.max_merged_ranges)
        if merges > limits.max_merged_ranges:
            detail = f"{merges} sel gabungan (merge) > batas {limits.max_merged_ranges}"
            raise FileRejected(Problem("F04", sheet=sheet, detail=detail))
        extents[member] = extent
    if sum(e.area for e in extents.values()) > limits.max_cells:
        # The bounds of the sheets together exceed the limit: count exactly before saying so.
        exact = [
            e if e.exact else xlsx_scan.walk_cells(xml_of[m], formulas=False) for m, e in extents.items()
        ]
        total = sum(e.area for e in exact)
        if total > limits.max_cells:
            raise FileRejected(
                Problem("F04", detail=f"semua sheet bersama {total} sel > batas {limits.max_cells}")
            )
    # calamine may find the shared strings under another case: bound with the largest such member. Its
    # declared size bounds what the zip readers inflate.
    tables = [i for i in infos if i.filename.lower().endswith("sharedstrings.xml")]
    budget = limits.max_shared_string_chars
    sheets = list(xml_of.values())
    if tables and xlsx_scan.shared_string_bound(max(i.file_size for i in tables), sheets) > budget:
        shared = max((archive.read(i) for i in tables), key=len)
        chars = xlsx_scan.shared_string_expansion(shared, sheets, budget)
        if chars > budget:
            detail = f"teks bersama (shared strings) yang dipakai berulang: {chars} karakter > batas {budget}"
            raise FileRejected(Problem("F04", detail=detail))
    return {name: xml_of[path] for name, path in paths.items() if path in xml_of}


def _sheet_name_of(member: str, paths: dict[str, str]) -> str:
    """The sheet name of a worksheet member, else the member's own name (a sheet the workbook does not
    list: still loaded by nothing, but checked all the same)."""
    return next((name for name, path in paths.items() if path == member), member.rsplit("/", 1)[-1])


def _check_extent(sheet: str, extent: xlsx_scan.SheetExtent, limits: Limits) -> None:
    """Reject a worksheet whose dense grid would exceed a bound, at the cell that makes it so."""

    def at(cell: tuple[int, int], detail: str) -> FileRejected:
        r, c = cell
        name = xlsx_scan.cell_name(r, c)
        return FileRejected(Problem("F04", sheet, r + 1, column_letter(c), value=name, detail=detail))

    if extent.bad_reference is not None:
        detail = "alamat sel (atribut r) tidak sah"
        raise FileRejected(Problem("F02", sheet=sheet, value=extent.bad_reference, detail=detail))
    if extent.cells > limits.max_cells:
        detail = f"{extent.cells} sel berisi > batas {limits.max_cells}"
        raise FileRejected(Problem("F04", sheet=sheet, detail=detail))
    columns, rows = extent.last_column + 1, extent.last_row + 1
    if columns > limits.max_columns:
        raise at(extent.widest, f"sel terisi di kolom ke-{columns} > batas {limits.max_columns} kolom")
    if extent.exact and rows > limits.max_rows + 200:
        raise at(extent.deepest, f"{rows} baris > batas {limits.max_rows}")
    if extent.area > limits.max_cells:
        # At the cell that reaches further: the rightmost one, or the lowest one.
        (wr, wc), (dr, dc) = extent.widest, extent.deepest
        far = extent.widest if (wr + 1) * (wc + 1) >= (dr + 1) * (dc + 1) else extent.deepest
        detail = f"sel terisi sampai baris {rows} dan kolom ke-{columns}: {extent.area} sel > batas "
        raise at(far, detail + str(limits.max_cells))


_XML_ELEMENT = {
    name: re.compile(rf"<{name}\b([^>]*)>".encode()) for name in ("Relationship", "sheet")
}  # fmt: skip


_XML_ATTRIBUTE = re.compile(rb'(?:^|\s)(Id|Target|name|r:id)="([^"]*)"')


def _sheet_paths(workbook_xml: bytes, rels_xml: bytes) -> dict[str, str]:
    """Sheet name -> worksheet XML path inside the xlsx, from `xl/workbook.xml` and its relationships."""
    targets = {}
    for attrs in _XML_ELEMENT["Relationship"].findall(rels_xml):
        found = dict(_XML_ATTRIBUTE.findall(attrs))
        targets[found.get(b"Id")] = found.get(b"Target", b"")
    paths = {}
    for attrs in _XML_ELEMENT["sheet"].findall(workbook_xml):
        found = dict(_XML_ATTRIBUTE.findall(attrs))
        if b"name" not in found or b"r:id" not in found:
            continue
        target = html.unescape(targets.get(found[b"r:id"], b"").decode("utf-8", "replace")).lstrip("/")
        name = html.unescape(found[b"name"].decode("utf-8", "replace"))
        paths[name] = target if target.startswith("xl/") else f"xl/{target}"
    return paths


def _read_workbook(parsed: ParsedFile, data: bytes, archive: zipfile.ZipFile, limits: Limits) -> None:
    worksheets = _inspect_workbook(archive, limits)
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    sheets, merged = {}, {}
    for name in workbook.sheet_names:
        sheet = workbook.get_sheet_by_name(name)
        merged[name] = sheet.merged_cell_ranges or []
        if sheet.total_height > limits.max_rows + 200:
            raise FileRejected(
                Problem("F04", sheet=name, detail=f"{sheet.total_height} baris > batas {limits.max_rows}")
            )
        sheets[name] = _grid(sheet, name)
    identity_sheet = next((n for n in sheets if header_key(n) == "identitas"), None)
    if identity_sheet is None:
        raise FileRejected(Problem("F06"))
    _read_identity_sheet(parsed, identity_sheet, sheets[identity_sheet])

    candidates = []
    for name, grid in sheets.items():
        if name == identity_sheet:
            continue
        found = _find_header(grid)
        if found:
            candidates.append((name, found))
    if not candidates:
        raise FileRejected(Problem("F07"))
    named = [c for c in candidates if header_key(c[0]) == "realisasi"]
    if named:
        name, found = named[0]
    elif len(candidates) == 1:
        name, found = candidates[0]
        parsed.problems.append(Problem("W04", sheet=name, value=name))
    else:
        raise FileRejected(Problem("F13", detail=", ".join(c[0] for c in candidates)))
    parsed.sheet = name
    money_cells = _fill_merged_data_cells(parsed, name, sheets[name], merged[name], found, limits)
    _extract_rows(parsed, name, sheets[name], found, limits)
    _report_merged_money(parsed, money_cells)
    _check_identity_texts(parsed, {n: v for n, v in parsed.identity.items() if isinstance(v, str)}, limits)
    xml = worksheets.get(name, b"")
    if xlsx_scan.has_formula(xml):
        _flag_formulas(parsed, xlsx_scan.formulas_without_value(xml))


def _grid(sheet, name: str) -> list[list[object]]:  # type: ignore[no-untyped-def]
    """The sheet as rows of cells from A1. A cell calamine cannot turn into a Python value (a duration
    beyond `timedelta`) fails the file at its row."""
    try:
        return sheet.to_python(skip_empty_area=False)
    except (OverflowError, ValueError) as exc:
        row = 0  # rows read before the one that fails
        with contextlib.suppress(OverflowError, ValueError):
            for _values in sheet.iter_rows():
                row += 1
        detail = f"nilai sel tidak dapat dibaca ({type(exc).__name__}: {str(exc)[:100]})"
        raise FileRejected(Problem("F02", sheet=name, row=row + 1, detail=detail)) from exc


# The columns whose cells are amounts of money: a merged cell there is an error (R15), not a repair.
_MONEY = frozenset(("pagu", "pagu_murni", "realisasi_triwulan", "realisasi_kumulatif"))


def _fill_merged_data_cells(
    parsed: ParsedFile, sheet: str, grid: list[list[object]], ranges: list, header: _Header, limits: Limits
) -> list[Problem]:
    """A merged cell below the header holds its value in its first cell only: give every cell of the
    range in a column of the table that value (the OPD meant it for all of them), and say so (W06). In a
    column of money one amount copied into several rows counts it several times, or an amount comes from
    another column: each such cell, the range's first included, is an error (R15), returned to be
    reported once the data rows are known (`_report_merged_money`). Only the part of a range inside the
    grid and the table's columns is visited, and at most `max_cells` cells in all."""
    names = {c: name for name, (c, _text) in header.columns.items()}
    budget = limits.max_cells
    money_cells = []
    for (r0, c0), (r1, c1) in ranges:
        if r0 <= header.row or r0 >= len(grid) or c0 >= len(grid[r0]) or (r0, c0) == (r1, c1):
            continue
        columns = sorted(c for c in names if c0 <= c <= c1)
        last = min(r1, len(grid) - 1)
        budget -= (last - r0 + 1) * len(columns)
        if budget < 0:
            detail = f"sel gabungan (merge) di tabel data meliputi > {limits.max_cells} sel"
            raise FileRejected(Problem("F04", sheet=sheet, detail=detail))
        if not columns:
            continue
        value = grid[r0][c0]
        text = _cell_text(value)
        span = f"{xlsx_scan.cell_name(r0, c0)}:{xlsx_scan.cell_name(r1, c1)}"
        for r in range(r0, last + 1):
            row = grid[r]
            if len(row) <= columns[-1]:
                row.extend([""] * (columns[-1] + 1 - len(row)))
            for c in columns:
                money = names[c] in _MONEY
                if (r, c) == (r0, c0) and not money:
                    continue
                row[c] = value
                label = COLUMN_BY_NAME[names[c]].label
                if money:
                    money_cells.append(
                        Problem("R15", sheet, r + 1, column_letter(c), label, text, f"sel digabung {span}")
                    )
                else:
                    parsed.problems.append(Problem("W06", sheet, r + 1, column_letter(c), label, text))
    return money_cells


def _report_merged_money(parsed: ParsedFile, money_cells: list[Problem]) -> None:
    """R15 at each merged money cell of a data row. In another row (a total, the signature block) the
    merge holds no figure that is read: there it is the warning it is elsewhere (W06), on the cells the
    range covers beyond its first."""
    data_rows = {row["_baris"] for row in parsed.rows}
    for problem in money_cells:
        if problem.row in data_rows:
            parsed.problems.append(problem)
        elif not problem.detail.startswith(f"sel digabung {problem.column}{problem.row}:"):
            parsed.problems.append(replace(problem, rule="W06", detail=""))


def _read_identity_sheet(parsed: ParsedFile, sheet: str, grid: list[list[object]]) -> None:
    keyed = _identity_keys()
    for r, row in enumerate(grid[:60]):
        if not row:
            continue
        label = _header_key_of(row[0])
        spec = keyed.get(label)
        if spec is None or spec.name in parsed.identity:
            continue
        value = row[1] if len(row) > 1 else None
        parsed.identity[spec.name] = None if value == "" else value
        parsed.identity_where[spec.name] = (sheet, r + 1, "B")
