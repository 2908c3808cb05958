"""One pemda's quarter cloned to other pemda codes: the N-pemda series of `python -m bench.cli`.

    python -m bench.klon --n 300

writes `<out>/klon-<N>/tw1/<kode_pemda>/...` and `daftar_opd.csv` (outside the repository, once per N and
reused): the Lebak TW I quarter of the bundled sample (`sample/lebak-2024/tw1`) as N kabupaten/kota of
`bench.generate` would send it. A clone is a real submission of its pemda: the Kode Pemda of the
Identitas sheet (or of the CSV's identity column) and of the file name, the Nama Pemda, and every lokasi
code of the rows, re-prefixed with the new code; so each pemda's files are accepted or rejected exactly as
Lebak's are. Workbooks are rewritten with openpyxl, CSV with the csv module in the file's own dialect.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import re
import time
import zipfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bench.generate import DEFAULT_OUT
from rekap.settings import SAMPLE_DIR
from sample import Pemda, every_pemda
from sample.reference import codes_below

SOURCE = SAMPLE_DIR / "tw1"
DAFTAR_OPD = SAMPLE_DIR / "daftar_opd.csv"
KODE_ASAL, NAMA_ASAL, KOTA_ASAL = "36.02", "Kabupaten Lebak", "Lebak"
KLON_VERSION = 3  # bump when a clone's content changes

# The source pemda's code as a token ("36.02", "36.02.04.2013"; not "136.02" or "1.36.02" or "36.020").
_TOKEN = re.compile(rf"(?<![\d.]){re.escape(KODE_ASAL)}(?!\d)")
# A cell that holds nothing but such codes: the Kode Pemda, or a row's lokasi list ("36.02.01;36.02.04").
_CODES = re.compile(rf"\s*{_TOKEN.pattern}(?:\.\d+)*(?:\s*;\s*{_TOKEN.pattern}(?:\.\d+)*)*\s*")


def clone_codes(n: int) -> list[Pemda]:
    """The first `n` kabupaten/kota of the national list (code and name), the pemda the clones are for."""
    kabkota = [p for p in every_pemda() if not p.provinsi and p.kode != KODE_ASAL]
    if not 1 <= n <= len(kabkota):
        raise ValueError(f"N must be 1..{len(kabkota)}, not {n}")
    return kabkota[:n]


def _same_case(found: str, replacement: str) -> str:
    return replacement.upper() if found.isupper() else replacement


def _region_in(code: str, pemda: Pemda) -> str:
    """The kecamatan or desa of `pemda` in the place `code` holds below Lebak (same rank among its
    siblings, wrapping when `pemda` has fewer): so a cloned lokasi code is one the region reference knows."""
    parent, _, _ = code.rpartition(".")
    target_parent = pemda.kode if parent == KODE_ASAL else _region_in(parent, pemda)
    siblings = codes_below(parent)
    targets = codes_below(target_parent)
    if code not in siblings or not targets:
        return target_parent + code[len(parent) :]
    return targets[siblings.index(code) % len(targets)]


def cloned_text(text: str, pemda: Pemda) -> str:
    """A cell's text as `pemda` would write it: a cell of codes moved to `pemda` (the Kode Pemda itself,
    lokasi codes to its regions of the same rank), its name in place of Lebak's."""
    if _CODES.fullmatch(text):
        return re.sub(
            rf"{_TOKEN.pattern}(?:\.\d+)*",
            lambda m: pemda.kode if m.group() == KODE_ASAL else _region_in(m.group(), pemda),
            text,
        )
    text = re.sub(re.escape(NAMA_ASAL), lambda m: _same_case(m.group(), pemda.nama), text, flags=re.I)
    return re.sub(rf"\b{KOTA_ASAL}\b", lambda m: _same_case(m.group(), pemda.kota), text, flags=re.I)


def cloned_name(name: str, pemda: Pemda) -> str:
    """A file name as `pemda`'s OPD would give it: the code wherever it stands, the name too."""
    return cloned_text(_TOKEN.sub(pemda.kode, name), pemda)


def _checked(text: str, where: str) -> str:
    """`text` if it no longer names the source pemda's code (a code in a form not foreseen fails here
    instead of making a clone that is not what it claims)."""
    if _TOKEN.search(text):
        raise ValueError(f"{where}: {text!r} still names {KODE_ASAL} after cloning")
    return text


def _cloned_workbook(path: Path) -> Callable[[Pemda, Path], None]:
    """Load a workbook once; return a writer of its clone for one pemda."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    cells = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":  # openpyxl keeps the formula and drops its cached value
                    raise ValueError(f"{path.name}: formula in {ws.title}!{cell.coordinate}; cannot clone it")
                if isinstance(cell.value, str):
                    cells.append((cell, cell.value))

    created = wb.properties.created
    stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ").encode() if created else b""

    def write(pemda: Pemda, target: Path) -> None:
        for cell, text in cells:
            where = f"{target}: {cell.parent.title}!{cell.coordinate}"
            cell.value = _checked(cloned_text(text, pemda), where)
        saved = io.BytesIO()
        wb.save(saved)
        target.write_bytes(_without_save_time(saved.getvalue(), stamp))

    return write


def _without_save_time(xlsx: bytes, stamp: bytes) -> bytes:
    """The workbook with the time openpyxl saved it at (its members' zip dates, the core property
    `modified`) replaced by fixed ones: a clone's bytes depend on its content only, so that two files
    with the same bytes (one submission sent twice) stay one submission in every clone."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(<)", rb"\g<1>" + stamp + rb"\g<2>", data)
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type, fixed.external_attr = zipfile.ZIP_DEFLATED, info.external_attr
            zout.writestr(fixed, data)
    return out.getvalue()


def _cloned_csv(path: Path) -> Callable[[Pemda, Path], None]:
    """Read a CSV once; return a writer of its clone for one pemda, in the same dialect."""
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    head = text[: text.find("\n")]
    delimiter = ";" if head.count(";") > head.count(",") else ","
    newline = "\r\n" if "\r\n" in text else "\n"
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))

    def write(pemda: Pemda, target: Path) -> None:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=delimiter, lineterminator=newline)
        for i, row in enumerate(rows, start=1):
            writer.writerow([_checked(cloned_text(v, pemda), f"{target}: row {i}") for v in row])
        target.write_bytes((b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode("utf-8"))

    return write


def clone_file(path: Path, pemda: list[Pemda], out: Path) -> list[Path]:
    """The clones of one submitted file for each pemda, as `out/<kode_pemda>/<its name>`."""
    write = _cloned_csv(path) if path.suffix.lower() == ".csv" else _cloned_workbook(path)
    written = []
    for p in pemda:
        target = out / p.kode / _checked(cloned_name(path.name, p), f"{path.name} for {p.kode}")
        target.parent.mkdir(parents=True, exist_ok=True)
        write(p, target)
        written.append(target)
    return written


def cloned_daftar_opd(pemda: list[Pemda], daftar: Path = DAFTAR_OPD) -> str:
    """The expected-OPD list of the source pemda, once for each pemda."""
    lines = daftar.read_text(encoding="utf-8").splitlines()
    header, rows = lines[0], [line for line in lines[1:] if line.startswith(f"{KODE_ASAL},")]
    return "\n".join([header, *(p.kode + r[len(KODE_ASAL) :] for p in pemda for r in rows)]) + "\n"


def _clone_one(job: tuple[str, list[Pemda], str]) -> int:
    path, pemda, out = job
    return len(clone_file(Path(path), pemda, Path(out)))


def _source_key(source: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in source.iterdir() if p.is_file()):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def cloned_quarter(n: int, root: Path = DEFAULT_OUT, source: Path = SOURCE, workers: int = 2) -> Path:
    """The folder of the quarter cloned to `n` pemda (`tw1/<kode>/...`, `daftar_opd.csv`), written once
    and reused while the source and this code are the same."""
    folder = root / f"klon-{n}"
    manifest_path = folder / "manifest.json"
    key = {"n": n, "version": KLON_VERSION, "source": _source_key(source)}
    if manifest_path.exists() and json.loads(manifest_path.read_text())["key"] == key:
        return folder
    if folder.exists():
        import shutil

        shutil.rmtree(folder)
    started = time.perf_counter()
    pemda = clone_codes(n)
    sources = sorted(p for p in source.iterdir() if p.is_file())
    jobs = [(str(p), pemda, str(folder / "tw1")) for p in sources]
    if workers > 1 and n > 1:
        with ProcessPoolExecutor(workers) as pool:
            files = sum(pool.map(_clone_one, jobs))
    else:
        files = sum(map(_clone_one, jobs))
    (folder / "daftar_opd.csv").write_text(cloned_daftar_opd(pemda), encoding="utf-8")
    manifest = {"key": key, "pemda": n, "files": files, "seconds": round(time.perf_counter() - started, 1)}
    manifest_path.write_text(json.dumps(manifest, indent=2))
    return folder


def main(argv: list[str] | None = None) -> None:
    """`python -m bench.klon --n N`."""
    parser = argparse.ArgumentParser(prog="python -m bench.klon", description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=300, help="number of pemda (default 300)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"root folder (default {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    folder = cloned_quarter(args.n, args.out)
    manifest = json.loads((folder / "manifest.json").read_text())
    print(f"{folder}: {manifest['pemda']} pemda, {manifest['files']} files ({manifest['seconds']} s)")


if __name__ == "__main__":
    main()
