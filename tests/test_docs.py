"""Every shell example of the README and the guides runs as written, against the bundled sample, in a
folder of its own: a wrong file name or flag in a guide fails here. The README's first command is run in a
fresh clone, as a newcomer runs it. Examples that need a running Prefect server carry the mark
`<!-- uji: server -->` and are covered by tests/test_server.py (which runs the operator's first run on the
sample, marked `<!-- uji: server-contoh -->`, as written); the README's second command is what CI
runs (`.ci/run`), which is the run this test is part of."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest

from rekap.settings import REPO
from tests.examples import BIN, DOCS, environment, shell_blocks

# `rekap periksa` exits 1 when a file would be rejected: that is its answer, not a failure.
EXIT_ANSWERS = {"rekap periksa": {0, 1}}


def run_command(command: str, cwd: Path, env: dict[str, str], timeout: float = 600) -> str:
    done = subprocess.run(
        ["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    allowed = next((codes for prefix, codes in EXIT_ANSWERS.items() if command.startswith(prefix)), {0})
    output = done.stdout + done.stderr
    assert done.returncode in allowed, f"`{command}` exited {done.returncode}:\n{output[-3000:]}"
    assert "Traceback" not in output, f"`{command}`:\n{output[-3000:]}"
    return output


def test_every_example_is_a_block_or_marked() -> None:
    """A command written inline with its arguments is run only if it also stands in a block."""
    for doc in DOCS:
        text = (REPO / doc).read_text(encoding="utf-8")
        runnable = {c for b in shell_blocks(doc) for c in b.commands}
        for span in re.findall(r"`(rekap [a-z-]+ [^`]+)`", text):
            if "..." not in span:  # a pattern, not a command
                assert any(span in c for c in runnable), f"{doc}: `{span}` is in no example block"
    assert [b.mark for b in shell_blocks("README.md")][:1] == ["pasang"]


@pytest.mark.parametrize("doc", ["README.md", "docs/panduan.md"])
def test_the_examples_of_the_guide_run_on_the_sample(prefect_api, doc: str, tmp_path: Path) -> None:
    """The blocks in order, in one working folder where `sample/` is the repository's sample (read only:
    the guides copy it before changing anything). The runs go to the tests' Prefect server instead of a
    temporary one each (the same runs, seconds less each)."""
    from prefect.settings import PREFECT_API_URL

    work = tmp_path / "kerja"
    work.mkdir()
    (work / "sample").symlink_to(REPO / "sample", target_is_directory=True)
    env = {**environment(tmp_path / "prefect"), "PREFECT_API_URL": PREFECT_API_URL.value()}
    sample_before = sorted((p.relative_to(REPO), p.stat().st_size) for p in (REPO / "sample").rglob("*"))
    ran = 0
    for block in shell_blocks(doc):
        if block.mark:
            continue
        for command in block.commands:
            run_command(command, work, env)
            ran += 1
    assert ran >= (2 if doc == "README.md" else 8)
    sample_after = sorted((p.relative_to(REPO), p.stat().st_size) for p in (REPO / "sample").rglob("*"))
    assert sample_after == sample_before  # the guides work on copies
    if doc == "docs/panduan.md":
        _the_walkthrough_did_what_the_guide_says(work)


def _the_walkthrough_did_what_the_guide_says(work: Path) -> None:
    """After the correction of section 4: Disperindag accepted (revisi 1), its old letter archived."""
    import duckdb

    con = duckdb.connect(str(work / "gudang" / "gudang-ke.duckdb"), read_only=True)
    try:
        status = con.execute(
            "SELECT status, revisi FROM mart.rekap_opd WHERE triwulan = 3 AND kode_skpd = ?",
            ["3.30.3.31.0.00.01.0000"],
        ).fetchall()
    finally:
        con.close()
    assert status == [("diterima", 1)]
    letters = work / "laporan" / "surat"
    assert not list(letters.glob("surat-*"))
    assert [p.name for p in letters.glob("arsip/*/surat-*.html")] == [
        "surat-36.02_3.30.3.31.0.00.01.0000_2024_tw3.html"
    ]
    assert (work / "ekspor" / "rekap_opd.parquet").is_file()


def test_the_readme_first_command_installs_and_runs_the_demo_in_a_fresh_clone(tmp_path: Path) -> None:
    """What a newcomer types first, in a clone of this repository with nothing installed in it."""
    (first, *rest) = next(b for b in shell_blocks("README.md") if b.mark == "pasang").commands
    assert rest == ["bash tests/run.sh"]  # the second command: CI runs it (.ci/run)
    clone = tmp_path / "klon"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True, timeout=120)
    env = environment(tmp_path / "prefect")
    env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep) if p != str(BIN))
    output = run_command(first, clone, env, timeout=1500)
    assert "Rekap TA 2024 triwulan 3 selesai." in output
    report = clone / "keluaran" / "demo" / "laporan" / "laporan-ke_36.02_2024_tw3.pdf"
    assert report.stat().st_size > 0, shlex.quote(str(report))
