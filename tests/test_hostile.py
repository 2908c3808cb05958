"""The reader against the hostile corpus (tests/hostile.py): each file is read in a process of its own, and
within bounds of time and memory measured there, and the reader and the validation report the expected
rule at the expected cells, reject exactly the files they must, and read every row of the others.

All files are validated together in one `validate_files` call, as a run does."""

from __future__ import annotations

import hashlib
import multiprocessing
import resource
import time
from pathlib import Path

import pandas as pd
import pytest

from rekap.contract.rules import RULES
from rekap.reading.parsed import SKIPPED_KINDS, ParsedFile
from rekap.reading.reader import read_submission
from rekap.validation.validate import validate_files
from tests.corpus import PEMDA
from tests.hostile import SEED, Hostile, cases

CASES = cases()
READ_SECONDS = 10.0  # wall time of one read in its own process, on a busy two-core machine
READ_MEMORY = 200 * 2**20  # growth of the reading process's peak resident memory
HEADROOM = 2 * 2**30  # address space a reading process may add before it fails (the machine's guard)


def _resident() -> int:
    with open("/proc/self/status", encoding="ascii") as fh:
        return next(int(line.split()[1]) * 1024 for line in fh if line.startswith("VmRSS"))


def _read_here(path: Path, conn) -> None:
    """In the child: read one file, send back (parsed, seconds, peak resident growth in bytes)."""
    with open("/proc/self/statm", encoding="ascii") as fh:
        virtual = int(fh.read().split()[0]) * resource.getpagesize()
    resource.setrlimit(resource.RLIMIT_AS, (virtual + HEADROOM, virtual + HEADROOM))
    before = _resident()
    start = time.perf_counter()
    parsed = read_submission(path)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    conn.send((parsed, seconds, peak - before))
    conn.close()


def read_in_child(path: Path) -> tuple[ParsedFile, float, int]:
    """`read_submission` in a forked process: (result, seconds, bytes its peak resident memory grew)."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_read_here, args=(path, sender))
    child.start()
    sender.close()
    if not receiver.poll(READ_SECONDS * 6):
        child.kill()
        child.join()
        pytest.fail(f"{path.name}: no result within {READ_SECONDS * 6} s")
    try:
        result = receiver.recv()
    except EOFError:
        result = None
    child.join()
    assert result is not None, f"{path.name}: the reading process died (exit code {child.exitcode})"
    return result


@pytest.fixture(scope="module")
def corpus(
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, tuple[ParsedFile, float, int, pd.DataFrame]]:
    folder = tmp_path_factory.mktemp("hostile")
    read = {}
    for case in CASES:
        path = case.write(folder / case.name)
        read[case.name] = read_in_child(path)
    parsed = [p for p, _s, _m in read.values()]
    assert len({p.file_hash for p in parsed}) == len(parsed), "every hostile file has its own content"
    _, rows, findings = validate_files(parsed, PEMDA)
    by_file = {h: (findings[findings["file_hash"] == h], rows[rows["file_hash"] == h])
               for h in (p.file_hash for p in parsed)}  # fmt: skip
    return {name: (p, seconds, memory, *by_file[p.file_hash]) for name, (p, seconds, memory) in read.items()}


def _where(findings: pd.DataFrame) -> set[tuple]:
    return {
        (None if pd.isna(f.sheet) else f.sheet, None if pd.isna(f.baris) else int(f.baris),
         None if pd.isna(f.kolom) else f.kolom)
        for f in findings.itertuples()
    }  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_hostile_file_is_read_within_bounds_and_reported_at_its_cell(case: Hostile, corpus) -> None:
    parsed, seconds, memory, findings, rows = corpus[case.name]
    assert seconds < READ_SECONDS, f"{seconds:.1f} s"
    assert memory < READ_MEMORY, f"{memory / 2**20:.0f} MiB"
    errors = findings[findings["tingkat"] == "error"]
    if case.rule is None:
        assert findings.empty, findings.to_dict("records")
    else:
        mine = findings[findings["aturan"] == case.rule]
        assert _where(mine) == set(case.cells), findings.to_dict("records")
        assert all(p.startswith(RULES[case.rule].pesan) for p in mine["pesan"])
    if case.rejected:
        assert set(errors["aturan"]) == {case.rule}, findings.to_dict("records")
    else:
        assert errors.empty, errors.to_dict("records")
        assert parsed.readable and len(parsed.rows) == len(rows) == case.rows
        assert int(rows["pagu_sen"].sum()) == case.pagu_sen
    if case.rule and case.rule.startswith("F"):
        assert not parsed.readable and parsed.rows == [] and parsed.skipped == []


def test_subtotal_in_the_middle_keeps_every_row_and_lists_the_rows_that_are_not_data(corpus) -> None:
    # A subtotal such as "JUMLAH STRATEGI PBP" between data rows does not end the table.
    case = next(c for c in CASES if c.name == "subtotal-di-tengah-tabel")
    parsed, _s, _m, _findings, rows = corpus[case.name]
    assert [(s.baris, s.jenis) for s in parsed.skipped] == list(case.skipped)
    assert {s.jenis for s in parsed.skipped} <= set(SKIPPED_KINDS)
    assert next(s.teks for s in parsed.skipped if s.jenis == "jumlah").startswith("JUMLAH STRATEGI PBP")
    # every non-empty row below the header (2-29 but the blank lines 25 and 28) is data or listed, once
    listed = [s.baris for s in parsed.skipped]
    assert len(rows) == 16 and sorted([*rows["baris"], *listed]) == [
        r for r in range(2, 30) if r not in (25, 28)
    ]
    assert int(rows["pagu_sen"].sum()) == case.pagu_sen == 136 * 100_000_000 * 100


def test_every_class_of_the_issue_has_a_case() -> None:
    names = " ".join(c.name for c in CASES)
    for part in ("sel-jauh", "csv-baris-100000", "teks-bersama", "baris-kosong-berformat-dropdown",
                 "rumus-tanpa-nilai-setelah-sel-kosong", "subtotal", "sel-uang-digabung", "jalur-di-kode",
                 "nama-diawali-titik", "nama-kunci-office", "nama-255-byte", "nama-jalur-windows", "1e300",
                 "23-digit", "NaN", "Infinity", "melebihi-batas", "sepanjang-batas", "baris-baru-di-nama",
                 "karakter-kendali", "baris-kosong-berformat-20000"):  # fmt: skip
        assert part in names, part
    rules = {c.rule for c in CASES}
    assert {"F04", "F11", "F12", "R14", "R15", "W07", "W08"} <= rules


def test_the_corpus_is_seeded() -> None:
    def digests(seed: int) -> dict[str, str]:
        chosen = [c for c in cases(seed) if c.name.startswith(("jalur-", "teks-sepanjang"))]
        return {c.name: hashlib.sha256(c.content()).hexdigest() for c in chosen}

    assert digests(SEED) == digests(SEED)
    assert digests(SEED) != digests(SEED + 1)
