"""Turn parsed files into canonical frames and validate them with the Great Expectations suites kept
as JSON in `expectations/`. GX runs once over the rows of all files of a run, not once per file."""

from __future__ import annotations

import contextlib
import copy
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, partial
from itertools import compress
from typing import Any

import pandas as pd

from rekap.normalize import (
    MAX_KK,
    MAX_RUPIAH,
    MAX_VOLUME,
    amount_to_sen,
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
    quarter_start,
    split_lokasi,
    triwulan_in_name,
    visible,
)
from rekap.reading import COLUMN_BY_NAME, IDENTITY_BY_NAME, ParsedFile, Problem
from rekap.render import format_rupiah
from rekap.rules import RULES
from rekap.settings import EXPECTATIONS_DIR

AMOUNTS = ("pagu", "pagu_murni", "realisasi_triwulan", "realisasi_kumulatif")
FINDING_COLUMNS = ["file_hash", "sheet", "baris", "kolom", "nama_kolom", "nilai", "aturan", "tingkat",
                   "pesan", "cara_memperbaiki"]  # fmt: skip


@dataclass
class Finding:
    """One located problem, ready for `core.validation_issue` and the feedback letter."""

    file_hash: str
    aturan: str
    sheet: str | None = None
    baris: int | None = None
    kolom: str | None = None
    nama_kolom: str | None = None
    nilai: str | None = None
    detail: str = ""

    def record(self) -> dict[str, Any]:
        """The row stored in the warehouse."""
        rule = RULES[self.aturan]
        pesan = f"{rule.pesan}: {visible(self.detail, 500)}" if self.detail else rule.pesan
        return {
            "file_hash": self.file_hash,
            "sheet": self.sheet,
            "baris": self.baris,
            "kolom": self.kolom,
            "nama_kolom": self.nama_kolom,
            "nilai": None if self.nilai is None else visible(self.nilai),
            "aturan": self.aturan,
            "tingkat": rule.tingkat,
            "pesan": pesan,
            "cara_memperbaiki": rule.cara_memperbaiki,
        }


def finding_from_problem(file_hash: str, p: Problem) -> Finding:
    """A reader problem as a finding."""
    return Finding(file_hash, p.rule, p.sheet, p.row, p.column, p.column_label, p.value, p.detail)


def cell_finding(
    f: ParsedFile, rule: str, baris: int, name: str, value: str | None, detail: str = ""
) -> Finding:
    """A finding located at one cell of the data sheet (column given by field name)."""
    letter = f.columns.get(name, (None, None))[0]
    return Finding(f.file_hash, rule, f.sheet, baris, letter, COLUMN_BY_NAME[name].label, value, detail)


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


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
        return _text(value), None, False
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
        return _text(value), False, False
    if number is None:
        return None, fixed, False
    return format(number.normalize(), "f"), fixed, abs(number) >= limit


# The bound of each count or volume column (rule R14); amounts are bound by MAX_RUPIAH.
_LIMIT = {"target_volume": MAX_VOLUME, "realisasi_volume": MAX_VOLUME, "sasaran_kk": MAX_KK}


def _free_text(value: object) -> tuple[str | None, bool]:
    """(a free-text cell as text, without invisible characters; whether some were removed: W08)."""
    text = _text(value)
    if text is None:
        return None, False
    cleaned, changed = clean_text(text, one_line=False)
    return cleaned.strip() or None, changed


def _sub_kegiatan(value: object) -> tuple[str | None, str | None]:
    """(canonical code, warning: W03 for an old-style code rewritten, W02 for spaces or dots removed)."""
    code, old_style = normalize_sub_kegiatan(value)
    if old_style:
        return code or None, "W03"
    return code or None, "W02" if code and _text(value) != code else None


def _known(normalize):  # type: ignore[no-untyped-def]
    """A label normaliser that keeps the text as typed when it does not know it."""

    def canonical(value: object) -> str | None:
        text = _text(value)
        return (normalize(text) or text) if text else None

    return canonical


_CLEAN_LOKASI = re.compile(r"\d{2}\.\d{2}\.\d{2}(?:\.\d{4})?(?:;\d{2}\.\d{2}\.\d{2}(?:\.\d{4})?)*")


def _lokasi(value: object) -> str | None:
    if isinstance(value, str) and _CLEAN_LOKASI.fullmatch(value):
        return value  # already canonical: what split_lokasi and the join would give back
    return ";".join(split_lokasi(value)) or None


def _memo(function):  # type: ignore[no-untyped-def]
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
                    cell_finding(owner[i], rule, columns["baris"][i], name, _text(raw_of[name][i]))
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
        rec["tahun"] = _text(ident.get("tahun"))
        triwulan = _text(ident.get("triwulan"))
        with contextlib.suppress(ValueError):  # an unreadable quarter is kept as typed, for rule I04
            triwulan = str(parse_triwulan(triwulan)) if triwulan else None
        rec["triwulan"] = triwulan
        rec["kode_skpd"] = clean_code(ident.get("kode_skpd")) or None
        rec["nama_skpd"] = _one_line(ident.get("nama_skpd"))
        rec["revisi"] = _text(ident.get("revisi"))
        tanggal = ident.get("tanggal_laporan")
        try:
            rec["tanggal_laporan"] = parse_tanggal(tanggal).isoformat() if _text(tanggal) else None
        except ValueError:
            rec["tanggal_laporan"] = _text(tanggal)
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
    text = _text(value)
    return (clean_text(text, one_line=True)[0].strip() or None) if text else None


_IDENTITY_COLUMNS = [
    "row_id", "file_hash", "kode_pemda", "nama_pemda", "tahun", "triwulan", "kode_skpd", "nama_skpd",
    "revisi", "tanggal_laporan", "awal_triwulan", "nip", "triwulan_nama_berkas", "pemda_run",
    "penanggung_jawab",
]  # fmt: skip


@cache
def load_suite(name: str) -> dict[str, Any]:
    """A suite as stored in `expectations/<name>.json`."""
    return json.loads((EXPECTATIONS_DIR / f"{name}.json").read_text(encoding="utf-8"))


@cache
def gx_validation(name: str):  # type: ignore[no-untyped-def]
    """The GX validation definition for a suite, built once per process (GX import costs seconds):
    `run_suite` validates batches of its batch definition against its suite."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )
    from great_expectations.execution_engine import pandas_execution_engine
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    # GX fingerprints every batch it is given under 1 GB (an MD5 over `hash_pandas_object` of the whole
    # frame) for batch markers nothing here reads, once for the batch and again for each validation: a
    # fifth of validating a national batch. Frames over the threshold are not fingerprinted; with the
    # threshold at 0 none is (tests/test_rules_corpus.py checks that it still holds).
    pandas_execution_engine.HASH_THRESHOLD = 0
    # In memory, and no Data Docs site: the default ephemeral context leaves a temp folder per context.
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False), data_docs_sites={}
    )
    context = gx.get_context(mode="ephemeral", project_config=config)
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    source = context.data_sources.add_pandas(f"rekap-{name}")
    batch = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("run")
    suite = gx.ExpectationSuite(name=name)
    for exp in load_suite(name)["expectations"]:
        # add_expectation appends; add_expectation_configuration would upsert by (type, column) and
        # silently drop a second rule on the same column (R05 and R07 are both regexes on each amount).
        suite.add_expectation(ExpectationConfiguration(**exp).to_domain_obj())
    suite = context.suites.add(suite)
    return context.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch, suite=suite))


@cache
def suite_columns(name: str) -> list[str]:
    """`row_id` and the columns a suite's expectations look at, in frame order."""
    used = {"row_id"}
    for exp in load_suite(name)["expectations"]:
        kwargs = exp["kwargs"]
        used |= {kwargs[k] for k in ("column", "column_A", "column_B") if k in kwargs}
        used |= set(kwargs.get("column_list", []))
    return sorted(used)


# What GX returns for a failing expectation: every failing row, by its row_id.
_EVERY_FAILING_ROW = {"result_format": "COMPLETE", "unexpected_index_column_names": ["row_id"]}


def run_suite(name: str, frame: pd.DataFrame) -> list[tuple[str, int, list[str]]]:
    """Run a suite over a frame; (rule id, row_id, columns involved) for every failing row.

    In two passes: the whole suite first asking only whether each expectation holds (`BOOLEAN_ONLY`),
    then a suite of the expectations that failed, asking for every failing row (`COMPLETE`). GX's cost is
    mostly per expectation and per metric asked for, and most expectations hold: a one-file run costs
    half, a national batch of 60,000 rows less, and the failing rows are the same.
    """
    if frame.empty:
        return []
    import great_expectations as gx

    validation = gx_validation(name)
    # Only the columns the suite reads: GX copies the frame for each expectation it evaluates.
    batch = validation.data.get_batch(batch_parameters={"dataframe": frame[suite_columns(name)]})
    holds = batch.validate(validation.suite, result_format="BOOLEAN_ONLY")
    failed = [outcome for outcome in holds.results if not outcome.success]
    if not failed:
        return []
    for outcome in failed:
        _raise_if_not_run(outcome)
    # Copies: an expectation belongs to one suite.
    again = gx.ExpectationSuite(
        name=f"{name}-gagal", expectations=[copy.copy(o.expectation_config.to_domain_obj()) for o in failed]
    )
    failures = []
    for r in batch.validate(again, result_format=_EVERY_FAILING_ROW).results:
        _raise_if_not_run(r)
        kwargs = r.expectation_config.kwargs
        columns = [kwargs[k] for k in ("column", "column_B", "column_A") if k in kwargs]
        columns += list(kwargs.get("column_list", []))
        for item in r.result.get("unexpected_index_list") or []:
            failures.append((r.expectation_config.meta["aturan"], int(item["row_id"]), columns))
    return failures


def _raise_if_not_run(outcome: Any) -> None:
    """An expectation that raised is a bug of ours or of GX, never a finding for the OPD."""
    if outcome.exception_info and outcome.exception_info.get("raised_exception"):
        expectation = outcome.expectation_config.type
        raise RuntimeError(f"GX expectation {expectation} failed to run: {outcome.exception_info}")


def _rupiah(sen: object) -> str:
    return format_rupiah(Decimal(int(sen)) / 100)


def row_findings(frame: pd.DataFrame, files: list[ParsedFile]) -> list[Finding]:
    """Validate the row frame with the `realisasi` suite and locate each failure."""
    by_hash = {f.file_hash: f for f in files}
    findings = []
    rows = frame.set_index("row_id")
    raw_cells = {(f.file_hash, int(r["_baris"])): r for f in files for r in f.rows}
    for rule, row_id, columns in run_suite("realisasi", frame):
        row = rows.loc[row_id]
        f = by_hash[row["file_hash"]]
        if rule == "R14":
            for name in row[TOO_LARGE].split(";"):
                limit = _LIMIT.get(name, MAX_RUPIAH)
                raw = raw_cells[(f.file_hash, int(row["baris"]))].get(name)
                detail = f"harus kurang dari {format_rupiah(limit)}"
                findings.append(cell_finding(f, rule, int(row["baris"]), name, _text(raw), detail))
            continue
        # Report at the column the OPD must correct: the realisasi side of a pair, the code for a duplicate.
        name = {"R11": "kode_sub_kegiatan", "R08": "realisasi_kumulatif", "R09": "realisasi_triwulan",
                "R10": "realisasi_triwulan"}.get(rule, columns[0].removesuffix("_sen"))  # fmt: skip
        value = row.get(name)
        detail = ""
        if rule in ("R08", "R09"):
            detail = f"realisasi Rp{_rupiah(row[name + '_sen'])} > pagu Rp{_rupiah(row['pagu_sen'])}"
        elif rule == "R10":
            detail = (
                f"s.d. triwulan Rp{_rupiah(row['realisasi_kumulatif_sen'])} < triwulan ini "
                f"Rp{_rupiah(row['realisasi_triwulan_sen'])}"
            )
        elif rule == "R11":
            detail = f"{row['kode_sub_kegiatan']} / {row['sumber_dana']}"
        raw = raw_cells[(f.file_hash, int(row["baris"]))].get(name, value)
        findings.append(cell_finding(f, rule, int(row["baris"]), name, _text(raw), detail))
    return findings


def identity_findings(frame: pd.DataFrame, files: list[ParsedFile]) -> list[Finding]:
    """Validate the identity frame with the `identitas` suite and locate each failure."""
    findings = []
    rows = frame.set_index("row_id")
    for rule, row_id, columns in run_suite("identitas", frame):
        f = files[row_id]
        name = {"I09": "triwulan", "I10": "kode_pemda"}.get(rule, columns[0])
        name = "tanggal_laporan" if name == "awal_triwulan" else name
        sheet, baris, kolom = f.identity_where.get(name, (f.sheet or "Identitas", None, None))
        detail = ""
        if rule == "I09":
            detail = f"nama berkas menyebut triwulan {rows.loc[row_id]['triwulan_nama_berkas']}"
        elif rule == "I10":
            detail = f"pemda yang direkap {rows.loc[row_id]['pemda_run']}"
        findings.append(
            Finding(
                f.file_hash,
                rule,
                sheet,
                baris,
                kolom,
                IDENTITY_BY_NAME[name].label,
                _text(f.identity.get(name)),
                detail,
            )
        )
    return findings


def one_per_cell(findings: list[Finding]) -> list[Finding]:
    """Keep one error per cell (the first rule in catalogue order): a cell that is not a number
    need not also be told it has too many decimals. Warnings and file-level findings are all kept."""
    order = {rule_id: i for i, rule_id in enumerate(RULES)}
    kept, seen = [], set()
    for f in sorted(findings, key=lambda f: (f.file_hash, f.baris or 0, f.kolom or "", order[f.aturan])):
        key = (f.file_hash, f.sheet, f.baris, f.kolom)
        if RULES[f.aturan].tingkat == "error" and f.baris is not None and f.kolom is not None:
            if key in seen:
                continue
            seen.add(key)
        kept.append(f)
    return kept


def findings_frame(findings: list[Finding]) -> pd.DataFrame:
    """Findings as the frame loaded into `core.validation_issue`."""
    frame = pd.DataFrame.from_records([f.record() for f in findings], columns=FINDING_COLUMNS)
    frame["baris"] = frame["baris"].astype("Int64")
    return frame


def validate_files(
    files: list[ParsedFile], pemda_run: str | None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Validate a run's files: (identity frame, row frame, findings frame)."""
    identities = identity_frame(files, pemda_run)
    rows, repairs = row_frame(files)
    findings = [finding_from_problem(f.file_hash, p) for f in files for p in f.problems]
    # A file whose identity could not be read at all already carries its file-level error.
    with_identity = identities[identities["file_hash"].isin({f.file_hash for f in files if f.identity})]
    findings += repairs + identity_findings(with_identity, files)
    findings += row_findings(rows, files)
    del rows[TOO_LARGE]
    return identities, rows, findings_frame(one_per_cell(findings))
