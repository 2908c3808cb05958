"""The raw store keeps each file whole or not at all: copies checked by hash while written, made durable
before and after their rename (seen in the system calls, under strace), a damaged copy replaced by the
next pull, a file that changes while copied reported instead of kept; and the warehouse's publish made
durable the same way."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from rekap.contract.errors import RunError
from rekap.intake.durable import TEMP_FOLDER
from rekap.intake.folder import pull_local
from rekap.intake.raw import admit_files
from rekap.settings import SAMPLE_DIR

REPO = Path(__file__).resolve().parents[1]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "kiriman"
    root.mkdir()
    for path in sorted((SAMPLE_DIR / "tw1").glob("*.xlsx"))[:3]:
        shutil.copy(path, root / path.name)
    return root


def test_copies_are_named_by_their_hash_and_leave_no_temporary_file(folder: Path, tmp_path: Path) -> None:
    raw = tmp_path / "mentah"
    incoming = pull_local(folder, raw, set())
    assert len(incoming) == 3
    for item in incoming:
        assert item.raw_path == raw / item.file_hash[:2] / f"{item.file_hash}.xlsx"
        assert sha256(item.raw_path) == item.file_hash == sha256(Path(item.source_path))
    assert list((raw / TEMP_FOLDER).iterdir()) == []


def test_a_damaged_copy_is_replaced_by_the_next_pull(
    folder: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    raw = tmp_path / "mentah"
    truncated, flipped, intact = (i.raw_path for i in pull_local(folder, raw, set()))
    truncated.write_bytes(truncated.read_bytes()[:100])
    data = bytearray(flipped.read_bytes())
    data[len(data) // 2] ^= 0xFF  # same size, one wrong byte
    flipped.write_bytes(bytes(data))
    inode = intact.stat().st_ino

    # admitted again: nothing recorded yet (a run that died before loading), or a file parked for later
    with caplog.at_level(logging.WARNING):
        again = pull_local(folder, raw, set())
    assert [sha256(i.raw_path) for i in again] == [i.file_hash for i in again]
    assert intact.stat().st_ino == inode  # an intact copy is left alone
    assert caplog.text.count("Salinan mentah rusak") == 2
    assert f"diganti dengan salinan baru: {truncated}" in caplog.text


def test_a_stale_hash_gives_no_wrong_copy(folder: Path, tmp_path: Path) -> None:
    path = sorted(folder.iterdir())[0]
    wrong = "ab" * 32
    (item,) = admit_files([(path, "kiriman/a.xlsx")], tmp_path / "mentah", set(), digest_of=lambda _: wrong)
    assert item.file_hash == sha256(path) == sha256(item.raw_path)
    assert not (tmp_path / "mentah" / "ab").exists()


@pytest.fixture
def changing(tmp_path: Path) -> Iterator[Path]:
    """A file whose bytes differ each time it is read (a FIFO fed new bytes at every open): an OPD
    overwriting its file while the pull copies it."""
    fifo = tmp_path / "berubah.xlsx"
    os.mkfifo(fifo)
    stop = threading.Event()

    def feed() -> None:
        while not stop.is_set():
            try:
                with open(fifo, "wb") as fh:  # blocks until a reader opens it
                    fh.write(os.urandom(4096))
            except BrokenPipeError:  # the reader that released us at the end
                pass

    thread = threading.Thread(target=feed, daemon=True)
    thread.start()
    yield fifo
    stop.set()
    os.close(os.open(fifo, os.O_RDONLY | os.O_NONBLOCK))  # release a writer waiting for a reader
    thread.join(timeout=10)


def test_a_file_that_changes_while_copied_is_reported_not_kept(changing: Path, tmp_path: Path) -> None:
    raw = tmp_path / "mentah"
    failures: list[tuple[str, str]] = []
    incoming = admit_files(
        [(changing, "kiriman/berubah.xlsx")],
        raw,
        set(),
        digest_of=lambda _: "0" * 64,
        on_failure=lambda path, reason: failures.append((path, reason)),
    )
    assert incoming == []
    assert failures == [
        ("kiriman/berubah.xlsx", "isi berkas berubah selama disalin; diambil lagi pada run berikutnya")
    ]
    assert [p for p in raw.rglob("*") if p.is_file()] == []  # no copy, no temporary file
    with pytest.raises(RunError, match=r"Berkas tidak dapat disimpan di arsip mentah: kiriman/berubah\.xlsx"):
        admit_files([(changing, "kiriman/berubah.xlsx")], raw, set(), digest_of=lambda _: "0" * 64)


def test_a_file_gone_before_it_is_copied_is_reported(folder: Path, tmp_path: Path) -> None:
    gone = folder / "hilang.xlsx"
    failures: list[tuple[str, str]] = []
    present = sorted(folder.iterdir())[0]
    incoming = admit_files(
        [(gone, str(gone)), (present, str(present))],
        tmp_path / "mentah",
        set(),
        digest_of=lambda path: "1" * 64 if path == gone else sha256(path),
        on_failure=lambda path, reason: failures.append((path, reason)),
    )
    assert failures == [(str(gone), "berkas tidak dapat dibaca (No such file or directory)")]
    assert [i.source_path for i in incoming] == [str(present)]


def test_temporary_copies_of_a_run_that_died_are_removed(folder: Path, tmp_path: Path) -> None:
    temp = tmp_path / "mentah" / TEMP_FOLDER
    temp.mkdir(parents=True)
    old, recent = temp / "lama.tmp", temp / "baru.tmp"
    old.write_bytes(b"x")
    recent.write_bytes(b"x")
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(old, (two_days_ago, two_days_ago))
    pull_local(folder, tmp_path / "mentah", set())
    assert sorted(p.name for p in temp.iterdir()) == ["baru.tmp"]  # a live run may still be writing it


def test_an_error_mid_pull_keeps_nothing_half_done(folder: Path, tmp_path: Path) -> None:
    raw = tmp_path / "mentah"
    paths = sorted(folder.iterdir())

    def candidates() -> Iterator[tuple[Path, str]]:
        yield paths[0], str(paths[0])
        raise OSError("sumber hilang di tengah jalan")

    with pytest.raises(OSError, match="di tengah jalan"):
        admit_files(candidates(), raw, set())
    assert [p for p in raw.rglob("*") if p.is_file()] == []


# --- durability, as the kernel sees it -----------------------------------------------------------

_CALL = re.compile(r"^\d+\s+(?P<name>\w+)\((?P<args>.*)\)\s+=\s+(?P<result>-?\d+)")


def traced(script: str, tmp_path: Path) -> list[tuple[str, str, int]]:
    """Run `script` in a fresh Python under strace; its file system calls as (name, arguments, result)."""
    if shutil.which("strace") is None:
        pytest.skip("strace is not installed (Debian package `strace`)")
    log = tmp_path / "strace.txt"
    calls = "openat,rename,renameat,renameat2,fsync,fdatasync,syncfs,sync"
    subprocess.run(
        ["strace", "-f", "-qq", "-e", f"trace={calls}", "-e", "signal=none", "-o", str(log),
         sys.executable, "-c", script],
        check=True, cwd=REPO, timeout=300,
    )  # fmt: skip
    out = []
    for line in log.read_text().splitlines():
        if m := _CALL.match(line):
            out.append((m["name"], m["args"], int(m["result"])))
    return out


def test_raw_copies_and_the_publish_are_durable(folder: Path, tmp_path: Path) -> None:
    raw, warehouse = tmp_path / "mentah", tmp_path / "gudang" / "gudang.duckdb"
    script = (
        "from pathlib import Path\n"
        "from rekap.intake.folder import pull_local\n"
        "from rekap.warehouse.writer import writing\n"
        f"pull_local(Path({str(folder)!r}), Path({str(raw)!r}), set())\n"
        f"with writing(Path({str(warehouse)!r})):\n"
        "    pass\n"
    )
    calls = traced(script, tmp_path)
    renames = [
        i for i, (name, args, _) in enumerate(calls) if name.startswith("rename") and TEMP_FOLDER in args
    ]
    syncs = [i for i, (name, _, _) in enumerate(calls) if name in {"syncfs", "sync"}]
    assert len(renames) == 3
    # every copy flushed before the first rename (all written, then one sync), the renames after
    written = [i for i, (name, args, _) in enumerate(calls) if name == "openat" and f"{TEMP_FOLDER}/" in args]
    assert len(written) == 3 and any(max(written) < s < min(renames) for s in syncs)
    assert any(s > max(renames) for s in syncs)

    # the warehouse: its working copy renamed over the published file, then the folder synced
    (publish,) = [
        i
        for i, (name, args, _) in enumerate(calls)
        if name.startswith("rename") and args.endswith('gudang.duckdb"')
    ]
    folder_fds = {
        result
        for name, args, result in calls[publish:]
        if name == "openat" and f'"{warehouse.parent}"' in args and "O_DIRECTORY" in args
    }
    assert any(name == "fsync" and int(args) in folder_fds for name, args, _ in calls[publish:])
