"""`rekap.whole.Whole`: a list of files that Prefect hands between tasks without walking into it."""

from __future__ import annotations

import pickle

from prefect.utilities.collections import visit_collection

from rekap.reading.parsed import ParsedFile, Problem
from rekap.runtime.checking import Batch
from rekap.validation.batch import Checked
from rekap.whole import Whole


def _parsed(n: int) -> list[ParsedFile]:
    return [
        ParsedFile(f"h{i}", f"/sumber/{i}.xlsx", f"{i}.xlsx", "xlsx", identity={"tahun": 2024},
                   identity_where={"tahun": ("Identitas", 3, "B")}, problems=[Problem("W04")])
        for i in range(n)
    ]  # fmt: skip


def _visited(value: object) -> list[object]:
    """Every object Prefect's walk over a task parameter reaches (as it resolves futures)."""
    seen: list[object] = []
    visit_collection(value, lambda e, c: seen.append(e) or e, return_data=True, context={})
    return seen


def test_prefect_takes_the_files_whole() -> None:
    files = _parsed(3)
    checked = Checked(2024, 1, None, files, [], None, None, None)
    reached = _visited([checked])
    assert checked in reached and checked.files in reached
    assert not any(isinstance(o, (ParsedFile, Problem)) for o in reached)
    # The same files as a plain list are walked down to their problems and dicts.
    assert sum(isinstance(o, ParsedFile) for o in _visited([files])) == 3


def test_whole_behaves_as_a_read_only_list() -> None:
    files = _parsed(4)
    whole = Whole(files)
    assert len(whole) == 4 and list(whole) == files and whole[1] is files[1] and whole[1:3] == files[1:3]
    assert whole == files and files == whole and Whole() == [] and whole != files[:2]
    assert [f.file_hash for f in whole] == ["h0", "h1", "h2", "h3"]
    again = pickle.loads(pickle.dumps(whole))
    assert isinstance(again, Whole) and [f.file_hash for f in again] == ["h0", "h1", "h2", "h3"]


def test_checked_and_batch_hold_their_files_whole() -> None:
    checked = Checked(2024, 1, None, _parsed(2), _parsed(1), None, None, None)
    assert isinstance(checked.files, Whole) and isinstance(checked.deferred, Whole)
    batch = Batch([1, 2, 3], workers=1)
    assert isinstance(batch.files, Whole) and batch.files == [1, 2, 3] and batch.files[:2] == [1, 2]
