"""Compare two output folders of the same run made by two versions of the code (issue 15's "done when").

    python -m bench.compare A B
    python -m bench.compare --run OLD_COMMIT [--national [--scale S] [--report-sample K]]

Every table and view of each DuckDB warehouse (`*.duckdb`, paired by relative path; every schema but
`staging`, the load's scratch space) is compared row for row as a multiset, leaving out the columns that
hold times of day (by type: TIME and TIMESTAMP of any precision or zone) and the run's id (by name); every
other file is compared byte for byte by relative path, apart from what is the run's own bookkeeping (the
warehouse's lock and working copies, the raw store's cache of file times). What differs is printed, with
the first differing rows or bytes, and the exit status is 1 if anything does.

`--run OLD_COMMIT` makes the two folders itself: it checks OLD_COMMIT out into a temporary git worktree and
runs `rekap demo` (and with `--national` the national benchmark's ingest and the reports of a sample of
pemda, `python -m bench.run`) with it, then the same with this checkout's files (committed or not), each
through the current venv with the code put first on `PYTHONPATH`. Both versions run from the same path
and write to the same path (moved aside after each run), since a run records where its files came from.
"""

from __future__ import annotations

import argparse
import fnmatch
import io
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from bench.cli import steward_environment
from bench.generate import DEFAULT_OUT, data_dir, generate

REPO = Path(__file__).resolve().parents[1]

SKIPPED_SCHEMAS = ("staging",)
# Columns a second run of the same code fills differently whatever their type: a run's id is a new UUID.
RUN_ID_COLUMNS = ("run_id",)
# Files that are a run's bookkeeping, not its output: (pattern on the relative path, why).
NOT_COMPARED = (
    ("*.duckdb", "compared table by table"),
    ("*.duckdb.wal", "a warehouse's write-ahead log"),
    ("*.duckdb.lock", "the writer's lock file"),
    ("*.duckdb.kerja-*", "a writer's working copy"),
    ("*/.sidik/*", "the raw store's cache of (path, size, mtime) -> hash: the times are the run's"),
)
SHOWN = 5  # differing rows or zip members shown per table or file


def ignored_type(data_type: str) -> bool:
    """True for a column type that holds a time of day (TIME, TIMESTAMP, with or without zone or unit)."""
    return data_type.upper().startswith("TIME")


@dataclass
class Comparison:
    """What was compared and what differs, as lines to print."""

    equal: list[str] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    def extend(self, other: Comparison) -> None:
        """Add another comparison's lines to this one."""
        self.equal += other.equal
        self.differences += other.differences
        self.ignored += other.ignored


# --- warehouses -----------------------------------------------------------------------------------


def _relations(con, catalog: str) -> dict[str, list[tuple[str, str]]]:
    """{schema.name: [(column, type), ...]} of every table and view of an attached warehouse."""
    rows = con.execute(
        "SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_catalog = ? ORDER BY table_schema, table_name, ordinal_position",
        [catalog],
    ).fetchall()
    out: dict[str, list[tuple[str, str]]] = {}
    for schema, name, column, data_type in rows:
        if schema not in SKIPPED_SCHEMAS:
            out.setdefault(f"{schema}.{name}", []).append((column, data_type))
    return out


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def compare_warehouses(a: Path, b: Path, label: str = "", shown: int = SHOWN) -> Comparison:
    """Every table and view of two warehouses, row for row (as multisets), times of day and run ids
    aside."""
    import duckdb

    result = Comparison()
    label = label or f"{a} / {b}"
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    try:
        con.execute("ATTACH ? AS a (READ_ONLY)", [str(a)])
        con.execute("ATTACH ? AS b (READ_ONLY)", [str(b)])
        left, right = _relations(con, "a"), _relations(con, "b")
        for name in sorted(left.keys() - right.keys()):
            result.differences.append(f"{label}: {name} only in A")
        for name in sorted(right.keys() - left.keys()):
            result.differences.append(f"{label}: {name} only in B")
        for name in sorted(left.keys() & right.keys()):
            result.extend(_compare_relation(con, name, left[name], right[name], label, shown))
    finally:
        con.close()
    return result


def _compare_relation(
    con, name: str, left: list[tuple[str, str]], right: list[tuple[str, str]], label: str, shown: int
) -> Comparison:
    result = Comparison()
    where = f"{label}: {name}"
    types_b = dict(right)
    for column, data_type in left:
        if column in types_b and types_b[column] != data_type:
            result.differences.append(f"{where}.{column}: type {data_type} in A, {types_b[column]} in B")
    names_a, names_b = [c for c, _ in left], [c for c, _ in right]
    for column in [c for c in names_a if c not in types_b]:
        result.differences.append(f"{where}.{column}: column only in A")
    for column in [c for c in names_b if c not in dict(left)]:
        result.differences.append(f"{where}.{column}: column only in B")
    columns = []
    for column, data_type in left:
        if column not in types_b:
            continue
        if ignored_type(data_type) or ignored_type(types_b[column]):
            result.ignored.append(f"{where}.{column} ({data_type})")
        elif column in RUN_ID_COLUMNS:
            result.ignored.append(f"{where}.{column} (a run's id, by name)")
        else:
            columns.append(column)
    # Identifiers cannot be bound: these come from the warehouses' own catalog, quoted.
    schema, table = name.split(".", 1)
    relation = f"{_quoted(schema)}.{_quoted(table)}"
    select = ", ".join(_quoted(c) for c in columns) or "1"
    count = {side: con.execute(f"SELECT count(*) FROM {side}.{relation}").fetchone()[0] for side in "ab"}
    only: dict[str, int] = {}
    rows: dict[str, list[tuple]] = {}
    for side, other in (("a", "b"), ("b", "a")):
        query = f"SELECT {select} FROM {side}.{relation} EXCEPT ALL SELECT {select} FROM {other}.{relation}"
        only[side] = con.execute(f"SELECT count(*) FROM ({query})").fetchone()[0]
        if only[side]:
            rows[side] = con.execute(f"{query} ORDER BY ALL LIMIT {int(shown)}").fetchall()
    if not only["a"] and not only["b"]:
        result.equal.append(f"{where}: {count['a']} rows equal")
        return result
    result.differences.append(
        f"{where}: {count['a']} rows in A, {count['b']} in B; {only['a']} only in A, {only['b']} only in B "
        f"(columns {', '.join(columns)})"
    )
    for side, shown_rows in rows.items():
        result.differences += [f"    only in {side.upper()}: {row!r}" for row in shown_rows]
    return result


# --- files ----------------------------------------------------------------------------------------


def _skipped(relative: str) -> str | None:
    """Why a file is not compared byte for byte, or None."""
    for pattern, why in NOT_COMPARED:
        if fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch("/" + relative, pattern):
            return why
    return None


def _files(root: Path) -> dict[str, Path]:
    return {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*")) if p.is_file()}


def first_difference(a: bytes, b: bytes) -> int | None:
    """Offset of the first differing byte (the shorter's length if one is a prefix), or None if equal."""
    if a == b:
        return None
    n = min(len(a), len(b))
    low, high = 0, n  # the prefixes up to `low` are equal; find the first unequal byte by halving
    while low < high:
        mid = (low + high) // 2
        if a[low : mid + 1] == b[low : mid + 1]:
            low = mid + 1
        else:
            high = mid
    return low


def _bytes_around(data: bytes, at: int, width: int = 24) -> str:
    return repr(data[max(0, at - width) : at + width])


def compare_bytes(name: str, a: bytes, b: bytes) -> list[str]:
    """Lines saying where two files' bytes differ (and in a zip, such as xlsx, which members), or []."""
    at = first_difference(a, b)
    if at is None:
        return []
    lines = [
        f"{name}: {len(a)} bytes in A, {len(b)} in B; first difference at byte {at}",
        f"    A: {_bytes_around(a, at)}",
        f"    B: {_bytes_around(b, at)}",
    ]
    if zipfile.is_zipfile(io.BytesIO(a)) and zipfile.is_zipfile(io.BytesIO(b)):
        lines += _zip_members(a, b)
    return lines


def _zip_members(a: bytes, b: bytes) -> list[str]:
    """Which members of two zips differ (content, or only their stored date), to tell data from wrapping."""
    with zipfile.ZipFile(io.BytesIO(a)) as za, zipfile.ZipFile(io.BytesIO(b)) as zb:
        infos_a = {i.filename: i for i in za.infolist()}
        infos_b = {i.filename: i for i in zb.infolist()}
        lines = [f"    member only in A: {m}" for m in sorted(infos_a.keys() - infos_b.keys())]
        lines += [f"    member only in B: {m}" for m in sorted(infos_b.keys() - infos_a.keys())]
        for member in sorted(infos_a.keys() & infos_b.keys()):
            data_a, data_b = za.read(member), zb.read(member)
            at = first_difference(data_a, data_b)
            if at is not None:
                lines.append(f"    member {member}: content differs at byte {at}")
                lines.append(f"        A: {_bytes_around(data_a, at)}")
                lines.append(f"        B: {_bytes_around(data_b, at)}")
            elif infos_a[member].date_time != infos_b[member].date_time:
                lines.append(
                    f"    member {member}: same content, stored date {infos_a[member].date_time} in A, "
                    f"{infos_b[member].date_time} in B"
                )
        if list(infos_a) != list(infos_b) and infos_a.keys() == infos_b.keys():
            lines.append("    members in another order")
    return lines[: 3 * SHOWN + 1]


def compare_folders(a: Path, b: Path) -> Comparison:
    """Warehouses table by table and every other file byte for byte, by relative path."""
    result = Comparison()
    files_a, files_b = _files(a), _files(b)
    for relative in sorted(files_a.keys() | files_b.keys()):
        why = _skipped(relative)
        if relative.endswith(".duckdb") and relative in files_a and relative in files_b:
            result.extend(compare_warehouses(files_a[relative], files_b[relative], relative))
        elif why is not None and not relative.endswith(".duckdb"):
            result.ignored.append(f"{relative} ({why})")
        elif relative not in files_b:
            result.differences.append(f"{relative}: only in A")
        elif relative not in files_a:
            result.differences.append(f"{relative}: only in B")
        else:
            lines = compare_bytes(relative, files_a[relative].read_bytes(), files_b[relative].read_bytes())
            result.differences += lines
            if not lines:
                result.equal.append(f"{relative}: same bytes")
    return result


def print_comparison(result: Comparison, a: Path, b: Path, verbose: bool = False) -> None:
    """Print what was left out, what is equal (counted, or listed with `verbose`) and what differs."""
    print(f"A: {a}\nB: {b}")
    if result.ignored:
        print("Not compared:")
        for line in result.ignored:
            print(f"  {line}")
    if verbose:
        for line in result.equal:
            print(f"  = {line}")
    print(f"{len(result.equal)} tables and files equal.")
    if result.differences:
        print("DIFFERENT:")
        for line in result.differences:
            print(f"  {line}")
    else:
        print("No difference.")


# --- running two versions -------------------------------------------------------------------------


def _git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(REPO), *args], check=True, capture_output=True, text=True).stdout


def _copy_checkout(code: Path) -> None:
    """This checkout's files as they are (tracked and untracked, not ignored) into `code`."""
    listed = _git("ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0")
    for relative in filter(None, listed):
        source = REPO / relative
        if source.is_file():  # a tracked file deleted in the working tree is not there
            target = code / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def _run_version(
    code: Path, out: Path, env: dict[str, str], national: Path | None, scale: float, report_sample: int
) -> None:
    """`rekap demo` (and the national bench's ingest and reports) of the code in `code` into `out`."""
    shutil.rmtree(out, ignore_errors=True)
    commands = [[sys.executable, "-m", "rekap.cli", "demo", "--out", str(out / "demo")]]
    if national is not None:
        shutil.copytree(national, data_dir(out / "nasional", scale))
        commands.append(
            [sys.executable, "-m", "bench.run", "--scale", f"{scale:g}", "--out", str(out / "nasional"),
             "--report-sample", str(report_sample), "--skip", "incremental,catch-up,cli"]
        )  # fmt: skip
    for command in commands:
        print(f"  $ {' '.join(command[1:])}", flush=True)
        done = subprocess.run(command, cwd=out.parent, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    if national is not None:
        # Only the run's outputs: the input data is a copy, and the timings file differs by nature.
        shutil.rmtree(data_dir(out / "nasional", scale))
        (out / "nasional" / f"hasil-{scale:g}.json").unlink(missing_ok=True)


def run_versions(old: str, work: Path, national: bool, scale: float, report_sample: int) -> tuple[Path, Path]:
    """Outputs of OLD's code and of this checkout's, from the same paths; (old, new) folders."""
    old_commit = _git("rev-parse", "--verify", f"{old}^{{commit}}").strip()
    work.mkdir(parents=True, exist_ok=True)
    code, out = work / "kode", work / "keluaran"
    env = steward_environment(work / "prefect-home") | {"PYTHONPATH": str(code)}
    data = generate(scale, DEFAULT_OUT) if national else None  # once, shared by both versions' runs
    results = {"lama": work / "lama", "baru": work / "baru"}
    for path in results.values():
        shutil.rmtree(path, ignore_errors=True)

    print(f"Old: {old_commit} (worktree {code})", flush=True)
    shutil.rmtree(code, ignore_errors=True)  # left by an interrupted comparison
    _git("worktree", "prune")
    _git("worktree", "add", "--detach", str(code), old_commit)
    try:
        _run_version(code, out, env, data, scale, report_sample)
    finally:
        _git("worktree", "remove", "--force", str(code))
    out.rename(results["lama"])

    head = _git("rev-parse", "HEAD").strip()
    changed = bool(_git("status", "--porcelain", "--untracked-files=normal").strip())
    print(f"New: this checkout ({REPO}, {head}{' with uncommitted changes' if changed else ''})", flush=True)
    _copy_checkout(code)
    try:
        _run_version(code, out, env, data, scale, report_sample)
    finally:
        shutil.rmtree(code, ignore_errors=True)
    out.rename(results["baru"])
    return results["lama"], results["baru"]


def main(argv: list[str] | None = None) -> int:
    """`python -m bench.compare`; exit status 1 when anything differs."""
    parser = argparse.ArgumentParser(prog="python -m bench.compare", description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="*", type=Path, metavar="FOLDER", help="A and B")
    parser.add_argument("--run", metavar="OLD_COMMIT", help="make A with OLD_COMMIT, B with this checkout")
    parser.add_argument("--national", action="store_true", help="with --run: the national bench too")
    parser.add_argument("--scale", type=float, default=1.0, help="--national: share of the 552 pemda")
    parser.add_argument("--report-sample", type=int, default=20, help="--national: pemda reported")
    parser.add_argument("--work", type=Path, help="with --run: folder for both runs (default: a new temp)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the equal tables and files too")
    args = parser.parse_args(argv)
    if args.run:
        if args.folders:
            parser.error("--run makes the two folders: give none")
        work = args.work or Path(tempfile.mkdtemp(prefix="rekap-compare-"))
        a, b = run_versions(args.run, work.resolve(), args.national, args.scale, args.report_sample)
    elif len(args.folders) == 2:
        a, b = args.folders
        for folder in (a, b):
            if not folder.is_dir():
                parser.error(f"not a folder: {folder}")
    else:
        parser.error("give two folders, or --run OLD_COMMIT")
    result = compare_folders(a, b)
    print_comparison(result, a, b, args.verbose)
    return 1 if result.differences else 0


if __name__ == "__main__":
    sys.exit(main())
