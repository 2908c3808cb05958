"""The parsed files as canonical frames: one row per data row and one per file, each distinct cell value
canonicalized once, with the warnings for what was repaired on the way."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable
from decimal import Decimal
from functools import partial
from itertools import compress
from typing import Any

import pandas as pd

from rekap.contract.calendar import quarter_start
from rekap.contract.codes import MAX_KK, MAX_RUPIAH, MAX_VOLUME
from rekap.reading.parsed import ParsedFile
from rekap.reading.values import (
    amount_to_sen,
    cell_text,
    clean_code,
    clean_text,
    kode_pemda_text,
    normalize_strategi,
    normalize_sub_kegiatan,
    normalize_sumber_dana,
    parse_amount,
    parse_number,
    parse_tanggal,
    parse_triwulan,
    split_lokasi,
    triwulan_in_name,
)
from rekap.validation.findings import Finding, cell_finding

AMOUNTS = ("pagu", "pagu_murni", "realisasi_triwulan", "realisasi_kumulatif")


def _canonical_amount(value: object) -> tuple[str | None, int | None, bool]:
    """(canonical decimal text or the raw text when it does not parse, exact sen or None, whether it is
    too large for DECIMAL(18,2): then no sen, rule R14)."""
    if type(value) is float and value.is_integer() and abs(value) < 2**53:
        # The common case, a whole number of Rupiah typed in a cell: what the general path below gives
        # (`Decimal(repr(value))` -> "1250000.0"), without the Decimal. 2**53 < MAX_RUPIAH.
        return repr(value), int(value) * 100, False
    try:
        amount = parse_amount(value)
    except ValueError:
        return cell_text(value), None, False
    if amount is None:
        return None, None, False
    if abs(amount) >= MAX_RUPIAH:
        return format(amount, "f"), None, True
    return format(amount, "f"), amount_to_sen(amount), False


def _volume(value: object, limit: Decimal = MAX_VOLUME) -> tuple[str | None, bool, bool]:
    """(canonical number text, or the raw text when it is not a number; repaired with warning W05; not
    under `limit`, rule R14)."""
    try:
        number, fixed = parse_number(value)
    except ValueError:
        return cell_text(value), False, False
    if number is None:
        return None, fixed, False
    return format(number.normalize(), "f"), fixed, abs(number) >= limit


# The bound of each count or volume column (rule R14); amounts are bound by MAX_RUPIAH.
_LIMIT = {"target_volume": MAX_VOLUME, "realisasi_volume": MAX_VOLUME, "sasaran_kk": MAX_KK}


def _free_text(value: object) -> tuple[str | None, bool]:
    """(a free-text cell as text, without invisible characters; whether some were removed: W08)."""
    text = cell_text(value)
    if text is None:
        return None, False
    cleaned, changed = clean_text(text, one_line=False)
    return cleaned.strip() or None, changed


def _sub_kegiatan(value: object) -> tuple[str | None, str | None]:
    """(canonical code, warning: W03 for an old-style code rewritten, W02 for spaces or dots removed)."""
    code, old_style = normalize_sub_kegiatan(value)
    if old_style:
        return code or None, "W03"
    return code or None, "W02" if code and cell_text(value) != code else None


def _known(normalize):
    """A label normaliser that keeps the text as typed when it does not know it."""

    def canonical(value: object) -> str | None:
        text = cell_text(value)
        return (normalize(text) or text) if text else None

    return canonical


_CLEAN_LOKASI = re.compile(r"\d{2}\.\d{2}\.\d{2}(?:\.\d{4})?(?:;\d{2}\.\d{2}\.\d{2}(?:\.\d{4})?)*")


def _lokasi(value: object) -> str | None:
    if isinstance(value, str) and _CLEAN_LOKASI.fullmatch(value):
        return value  # already canonical: what split_lokasi and the join would give back
    return ";".join(split_lokasi(value)) or None


def _memo(function):
    """`function` of one cell value, computed once per distinct (type, value) in a call of `row_frame`:
    codes, labels and volumes repeat across rows and files."""

    def for_column(values: list[object]) -> list[object]:
        seen: dict[tuple[type, object], object] = {}
        out = []
        for value in values:
            key = (type(value), value)
            try:
                out.append(seen[key])
            except KeyError:
                out.append(seen.setdefault(key, function(value)))
        return out

    return for_column


_FREE_TEXT = ("nama_sub_kegiatan", "indikator", "satuan", "keterangan")


_VOLUMES = ("target_volume", "realisasi_volume", "sasaran_kk")


_COLUMN_RULES = {
    "kode_sub_kegiatan": _memo(_sub_kegiatan),
    "strategi": _memo(_known(normalize_strategi)),
    "sumber_dana": _memo(_known(normalize_sumber_dana)),
    **{name: _memo(partial(_volume, limit=_LIMIT[name])) for name in _VOLUMES},
    "lokasi": _memo(_lokasi),
    **{name: _memo(_free_text) for name in _FREE_TEXT},
}


# The frame's column naming the cells of a row too large for the warehouse (R14); it is for the suite
# only and is dropped from the frame `validate_files` returns.
TOO_LARGE = "terlalu_besar"


def row_frame(files: list[ParsedFile]) -> tuple[pd.DataFrame, list[Finding]]:
    """All data rows of the readable files as one canonical frame (one row per data row), plus the
    warnings for what was repaired on the way. Built column by column: each distinct value of a column
    is canonicalized once."""
    readable = [f for f in files if f.readable]
    raw_rows = [raw for f in readable for raw in f.rows]
    owner = [f for f in readable for _ in f.rows]
    columns: dict[str, list[object]] = {
        "file_hash": [f.file_hash for f in owner],
        "sheet": [f.sheet for f in owner],
        "baris": [int(raw["_baris"]) for raw in raw_rows],
    }
    raw_of = {name: [raw.get(name) for raw in raw_rows] for name in (*_COLUMN_RULES, *AMOUNTS)}
    repairs = []

    def repaired(name: str, rules: list[str | None]) -> None:
        for i, rule in enumerate(rules):
            if rule:
                repairs.append(
                    cell_finding(owner[i], rule, columns["baris"][i], name, cell_text(raw_of[name][i]))
                )

    code_and_warning = _COLUMN_RULES["kode_sub_kegiatan"](raw_of["kode_sub_kegiatan"])
    columns["kode_sub_kegiatan"] = [code for code, _ in code_and_warning]
    repaired("kode_sub_kegiatan", [warning for _, warning in code_and_warning])
    for name in ("strategi", "sumber_dana", "lokasi"):
        columns[name] = _COLUMN_RULES[name](raw_of[name])
    for name in _FREE_TEXT:
        pairs = _COLUMN_RULES[name](raw_of[name])
        columns[name] = [text for text, _ in pairs]
        repaired(name, ["W08" if changed else None for _, changed in pairs])
    too_large: dict[int, list[str]] = {}  # row -> its cells too large (rare: built only for those)

    def over(name: str, flags: Iterable[bool]) -> None:
        for i in compress(range(len(raw_rows)), flags):
            too_large.setdefault(i, []).append(name)

    for name in AMOUNTS:
        values = raw_of[name]
        if name.startswith("realisasi"):
            # An empty realisasi cell in a present column means nothing was spent.
            values = [0 if v is None and name in f.columns else v for v, f in zip(values, owner, strict=True)]
        triples = [_canonical_amount(v) for v in values]
        columns[name] = [text for text, _, _ in triples]
        columns[f"{name}_sen"] = pd.array([sen for _, sen, _ in triples], dtype="Int64")
        over(name, (big for _, _, big in triples))
    for name in _VOLUMES:
        triples = _COLUMN_RULES[name](raw_of[name])
        columns[name] = [text for text, _, _ in triples]
        repaired(name, ["W05" if fixed else None for _, fixed, _ in triples])
        over(name, (big for _, _, big in triples))
    columns[TOO_LARGE] = [None] * len(raw_rows)
    for i, names in too_large.items():
        columns[TOO_LARGE][i] = ";".join(names)
    columns["realisasi_triwulan_ada"] = ["realisasi_triwulan" in f.columns for f in owner]
    columns["realisasi_kumulatif_ada"] = ["realisasi_kumulatif" in f.columns for f in owner]
    frame = pd.DataFrame({name: columns[name] for name in _ROW_COLUMNS}, columns=_ROW_COLUMNS)
    frame["baris"] = frame["baris"].astype("Int64")
    frame.insert(0, "row_id", range(len(frame)))
    return frame, repairs


_ROW_COLUMNS = [
    "file_hash", "sheet", "baris", "kode_sub_kegiatan", "nama_sub_kegiatan", "strategi", "sumber_dana",
    *[c for a in AMOUNTS for c in (a, f"{a}_sen")],
    "target_volume", "realisasi_volume", "sasaran_kk", "lokasi", "indikator", "satuan", "keterangan",
    "realisasi_triwulan_ada", "realisasi_kumulatif_ada", TOO_LARGE,
]  # fmt: skip


def identity_frame(files: list[ParsedFile], pemda_run: str | None) -> pd.DataFrame:
    """One canonical row per readable file: the identity as the suite `identitas` checks it."""
    records = []
    for i, f in enumerate(files):
        ident = f.identity
        rec: dict[str, Any] = {"row_id": i, "file_hash": f.file_hash}
        rec["kode_pemda"] = kode_pemda_text(ident.get("kode_pemda")) or None
        rec["nama_pemda"] = _one_line(ident.get("nama_pemda"))
        rec["tahun"] = cell_text(ident.get("tahun"))
        triwulan = cell_text(ident.get("triwulan"))
        with contextlib.suppress(ValueError):  # an unreadable quarter is kept as typed, for rule I04
            triwulan = str(parse_triwulan(triwulan)) if triwulan else None
        rec["triwulan"] = triwulan
        rec["kode_skpd"] = clean_code(ident.get("kode_skpd")) or None
        rec["nama_skpd"] = _one_line(ident.get("nama_skpd"))
        rec["revisi"] = cell_text(ident.get("revisi"))
        tanggal = ident.get("tanggal_laporan")
        try:
            rec["tanggal_laporan"] = parse_tanggal(tanggal).isoformat() if cell_text(tanggal) else None
        except ValueError:
            rec["tanggal_laporan"] = cell_text(tanggal)
        rec["awal_triwulan"] = None
        if rec["tahun"] and _YEAR.fullmatch(rec["tahun"]) and triwulan in ("1", "2", "3", "4"):
            rec["awal_triwulan"] = quarter_start(int(rec["tahun"]), int(triwulan)).isoformat()
        rec["nip"] = clean_code(ident.get("nip")) or None
        named = triwulan_in_name(f.file_name)
        rec["triwulan_nama_berkas"] = str(named) if named else None
        rec["pemda_run"] = pemda_run
        rec["penanggung_jawab"] = _one_line(ident.get("penanggung_jawab"))
        records.append(rec)
    return pd.DataFrame.from_records(records, columns=_IDENTITY_COLUMNS)


_YEAR = re.compile(r"0*[1-9][0-9]{0,3}")  # a year `datetime.date` takes (1-9999), in ASCII digits


def _one_line(value: object) -> str | None:
    """An identity text on one line, without invisible characters (the reader reports the change, W07)."""
    text = cell_text(value)
    return (clean_text(text, one_line=True)[0].strip() or None) if text else None


_IDENTITY_COLUMNS = [
    "row_id", "file_hash", "kode_pemda", "nama_pemda", "tahun", "triwulan", "kode_skpd", "nama_skpd",
    "revisi", "tanggal_laporan", "awal_triwulan", "nip", "triwulan_nama_berkas", "pemda_run",
    "penanggung_jawab",
]  # fmt: skip
