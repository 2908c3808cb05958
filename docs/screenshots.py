"""Regenerate the screenshots of the report in the stewards' guide (`docs/img/laporan-*.png`): run the demo
into a temporary folder and photograph its web page with headless Chromium (Debian: `apt-get install
chromium`).

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
    subprocess.run([sys.executable, "-m", "rekap.cli", "demo", "--out", str(folder / "demo")], env=env,
                   check=True, cwd=DOCS.parent, stdout=subprocess.DEVNULL)  # fmt: skip
    return folder / "demo" / REPORT


def main(argv: list[str] | None = None) -> None:
    """Run the demo and write the screenshots."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DOCS / "img", help="folder of the screenshots")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="rekap-screenshots-") as folder:
        page = run_demo(Path(folder))
        for path in photograph(page, args.out, Path(folder)):
            print(path)


if __name__ == "__main__":
    main()
