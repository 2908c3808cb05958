"""Regenerate the screenshots of the report and the dashboard in the stewards' guide
(`docs/img/laporan-*.png`, `docs/img/dasbor-*.png`): run the demo into a temporary folder, load the sample's
household counts, export the dashboard's pages, and photograph the report's page and the dashboard's with
headless Chromium (Debian: `apt-get install chromium`).

    .venv/bin/python docs/screenshots.py [--out docs/img]

Each shot shows the top of the page, or one of its sections alone (the rest of the page hidden by a style
added to a copy of the page), at a desktop or a phone's width; a section's shot is as high as the section,
up to a limit. The demo's Prefect history goes to the temporary folder, not to `~/.prefect`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from html import unescape
from pathlib import Path

DOCS = Path(__file__).resolve().parent
REPORT = "laporan/laporan-ke_36.02_2024_tw3.html"  # in the demo's folder
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
         "--force-device-scale-factor=1")  # fmt: skip


@dataclass(frozen=True)
class Shot:
    """One screenshot: its file, the section shown alone (None: the top of the page), its width and its
    greatest height in CSS pixels."""

    name: str
    section: str | None
    width: int
    height: int


SHOTS = (
    Shot("laporan-ringkasan.png", None, 1280, 1000),
    Shot("laporan-grafik.png", "grafik", 1280, 1300),
    Shot("laporan-matriks.png", "t3", 1280, 900),
    Shot("laporan-kelengkapan.png", "t6", 1280, 1000),
    Shot("laporan-catatan.png", "t7", 1280, 700),
    Shot("laporan-ponsel.png", None, 412, 900),
)

# The dashboard's pages photographed (exported from the demo's warehouse, so as a steward sees them served):
# (file, page under the quarter's folder, the table shown alone or None for the top, width, height).
DASBOR = "dasbor/36.02/2024/tw3"  # in the demo's folder
DASBOR_SHOTS = (
    ("dasbor-ringkasan.png", "ringkasan.html", None, 1280, 1180),
    ("dasbor-opd.png", "opd/1.06.0.00.0.00.01.0000.html", None, 1280, 1000),
    ("dasbor-lokasi.png", "lokasi.html", "cakupan", 1280, 1100),
    ("dasbor-kelengkapan.png", "kelengkapan.html", None, 1280, 900),
    ("dasbor-asal.png", "asal/1.06.0.00.0.00.01.0000/1.06.04.2.01.0001/DAU.html", None, 1280, 620),
    ("dasbor-ponsel.png", "ringkasan.html", None, 412, 1500),
)
# Shows one table of a dashboard page alone, at the top.
DASBOR_ALONE = """<style>
header.dasbor, #baru, main > h2, main > p, main > .charts, main > section:not([aria-labelledby="judul-{id}"])
{{ display: none; }}
</style>"""

# Shows one section of the report page alone, at the top.
ALONE = """<style>
header.laporan, nav, footer, main > section:not(#{id}) {{ display: none; }}
main > section#{id} {{ margin-top: 0; }}
</style>"""
# Measures the page, into its title, for `--dump-dom` (on a copy without the page's Content-Security-Policy).
MEASURE = "<script>document.title = JSON.stringify(document.documentElement.scrollHeight);</script>"


def chromium() -> str:
    """The headless browser: Debian's `chromium`."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        sys.exit("screenshots.py: chromium tidak ditemukan (Debian: apt-get install chromium)")
    return found


def browse(work: Path, *args: str) -> str:
    """Run headless Chromium with a fresh profile under `work`; its standard output."""
    profile = Path(tempfile.mkdtemp(prefix="profil-", dir=work))
    done = subprocess.run([chromium(), *FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=180, check=True)  # fmt: skip
    return done.stdout


def photograph(page: Path, out_dir: Path, work: Path, shots: tuple[Shot, ...] = SHOTS) -> list[Path]:
    """Take `shots` of the report page `page` into `out_dir`, working in `work`; the files written."""
    html = page.read_text(encoding="utf-8")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for shot in shots:
        height = shot.height
        if shot.section:
            html_shot = html.replace("</head>", ALONE.format(id=shot.section) + "</head>", 1)
            height = min(height, _measure(html_shot, shot.width, work) + 24)
        else:
            html_shot = html
        copy = work / f"{shot.name}.html"  # beside nothing the page could load: it loads nothing anyway
        copy.write_text(html_shot, encoding="utf-8")
        target = out_dir / shot.name
        browse(work, f"--window-size={shot.width},{height}", f"--screenshot={target}", copy.as_uri())
        _compress(target)
        written.append(target)
    return written


def _compress(png: Path) -> None:
    """A third of the size: a page of text needs no more than 128 colours (Pillow comes with reportlab)."""
    from PIL import Image

    with Image.open(png) as image:
        fewer = image.convert("RGB").quantize(128, Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    fewer.save(png, optimize=True)


def _measure(html: str, width: int, work: Path) -> int:
    """The height of `html` at `width` CSS pixels."""
    probe = work / "ukur.html"
    html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
    probe.write_text(html.replace("</body>", MEASURE + "</body>", 1), encoding="utf-8")
    dom = browse(
        work, f"--window-size={width},800", "--virtual-time-budget=2000", "--dump-dom", probe.as_uri()
    )
    return int(json.loads(unescape(re.search(r"<title>(.*?)</title>", dom, re.DOTALL)[1])))


def run_demo(folder: Path) -> Path:
    """Run `rekap demo` into `folder` (its Prefect history too); the report page it wrote."""
    env = {**os.environ, "PREFECT_HOME": str(folder / "prefect"), "DO_NOT_TRACK": "1",
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "GX_ANALYTICS_ENABLED": "false"}  # fmt: skip
    env.pop("PREFECT_API_URL", None)  # the demo's own temporary server, not a configured one
    subprocess.run([sys.executable, "-m", "rekap.cli.main", "demo", "--out", str(folder / "demo")], env=env,
                   check=True, cwd=DOCS.parent, stdout=subprocess.DEVNULL)  # fmt: skip
    return folder / "demo" / REPORT


def export_dashboard(demo: Path) -> Path:
    """Load the sample's household counts into the demo's warehouse and export the dashboard's pages of its
    pemda into `demo/dasbor`; that folder."""
    warehouse = str(demo / "gudang-ke.duckdb")
    counts = DOCS.parent / "sample" / "sasaran" / "sasaran-kk_36.02_2024.csv"
    load = ["sasaran", str(counts), "--tahun", "2024", "--warehouse", warehouse]
    export = ["dasbor", "--warehouse", warehouse, "--ekspor", str(demo / "dasbor"), "--pemda", "36.02"]
    for args in (load, export):
        subprocess.run([sys.executable, "-m", "rekap.cli.main", *args], check=True, cwd=DOCS.parent,
                       stdout=subprocess.DEVNULL)  # fmt: skip
    return demo / "dasbor"


def photograph_dashboard(demo: Path, out_dir: Path, work: Path) -> list[Path]:
    """Take the dashboard's shots (DASBOR_SHOTS) of the pages exported into `demo`; the files written."""
    written = []
    for name, page, alone, width, height in DASBOR_SHOTS:
        source = demo / DASBOR / page
        html = source.read_text(encoding="utf-8")
        if alone:
            html = html.replace("</head>", DASBOR_ALONE.format(id=alone) + "</head>", 1)
        copy = source.with_name(f"foto-{source.name}")  # beside the page: its links stay as they are
        copy.write_text(html, encoding="utf-8")
        target = out_dir / name
        browse(work, f"--window-size={width},{height}", f"--screenshot={target}", copy.as_uri())
        _compress(target)
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> None:
    """Run the demo and write the screenshots."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DOCS / "img", help="folder of the screenshots")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="rekap-screenshots-") as folder:
        page = run_demo(Path(folder))
        export_dashboard(Path(folder) / "demo")
        for path in photograph(page, args.out, Path(folder)):
            print(path)
        for path in photograph_dashboard(Path(folder) / "demo", args.out, Path(folder)):
            print(path)


if __name__ == "__main__":
    main()
